"""Service data -> the Mini App's JSON (see README, Mini App); pure, in the team's language."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import channel_name, plain
from bot.i18n.format import member_label
from bot.reports.numbers import Numbers, Row, StatsReport
from bot.services import pipeline
from bot.services.browse import Board, CustomerPage
from bot.services.profiles import CustomerProfile
from bot.services.tasks import TaskView
from bot.views.reports import period_label
from models.queries.customers import ListedCustomer
from models.tables import Deal, DealStatus, Member, Task, TaskStatus, Team

JSON = dict[str, Any]


def aware(value: datetime) -> datetime:
    """A stored instant with its zone (naive values from SQLite are UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def when(value: datetime | None, team: Team) -> str | None:
    """An instant as ISO 8601 in the team's zone."""
    if value is None:
        return None
    return aware(value).astimezone(ZoneInfo(team.timezone)).isoformat(timespec="seconds")


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def who(member: Member | None) -> str | None:
    return member_label(member.username, member.full_name) if member is not None else None


def me(user_id: int, name: str, language: str, teams: list[tuple[Team, bool]]) -> JSON:
    """GET /api/me: the user and the active teams they can open, with whether they manage each."""
    return {
        "user": {"id": user_id, "name": name, "language": language},
        "teams": [team_json(team, manages) for team, manages in teams],
    }


def team_json(team: Team, manages: bool) -> JSON:
    lang = team.language
    return {
        "chat_id": team.chat_id,
        "title": team.title,
        "role": "manager" if manages else "rep",
        "language": lang,
        "currency": team.currency,
        "timezone": team.timezone,
        "stages": [
            {"key": key, "name": pipeline.stage_name(team, key, lang)}
            for key in pipeline.stage_keys(team)
        ],
    }


def customer_row(team: Team, listed: ListedCustomer, deal: Deal | None) -> JSON:
    """A customer as a list shows it."""
    customer, owner, channel, partner = listed
    return {
        "id": customer.id,
        "name": customer.name,
        "owner": who(owner),
        "stage": customer.stage,
        "stage_name": pipeline.stage_name(team, customer.stage, team.language),
        "channel": channel_name(channel.name, channel.kind, team.language) if channel else None,
        "partner": partner.name if partner is not None else None,
        "amount": money(deal.amount) if deal is not None else None,
        "currency": deal.currency if deal is not None else team.currency,
        "last_activity": when(customer.last_activity_at, team),
    }


def customer_page(team: Team, page: CustomerPage) -> JSON:
    """GET /api/customers."""
    return {
        "customers": [
            customer_row(team, row, page.deals.get(row.customer.id)) for row in page.rows
        ],
        "total": page.total,
        "next_offset": page.next_offset,
    }


def board(team: Team, found: Board) -> JSON:
    """GET /api/board: every stage in order, its count and its first customers."""
    return {
        "stages": [
            {
                "key": stage.key,
                "name": pipeline.stage_name(team, stage.key, team.language),
                "total": stage.total,
                "customers": [
                    customer_row(team, row, found.deals.get(row.customer.id)) for row in stage.rows
                ],
            }
            for stage in found.stages
        ]
    }


def customer_card(
    team: Team, card: CustomerProfile, *, labels: dict[int, str], now: datetime
) -> JSON:
    """GET /api/customers/ID: the list fields, contacts, deals, timeline and open tasks."""
    listed = ListedCustomer(card.customer, card.owner, card.channel, card.partner)
    open_deals = [d for d in card.deals if d.status == DealStatus.OPEN]
    lang = team.language
    found = customer_row(team, listed, open_deals[0] if open_deals else None)
    contact = next((c for c in card.contacts if c.name or c.phone), None)
    found.update(
        contact=contact.name if contact is not None else None,
        phone=contact.phone if contact is not None else None,
        contacts=[{"name": c.name, "phone": c.phone} for c in card.contacts],
        protected_until=when(card.customer.protected_until, team),
        pool_due=when(card.pool_due, team),
        deals=[
            {
                "id": d.id,
                "status": d.status,
                "stage": d.stage,
                "amount": money(d.amount),
                "currency": d.currency,
                "created": when(d.created_at, team),
                "closed": when(d.closed_at, team),
            }
            for d in card.deals
        ],
        timeline=[
            {
                "when": when(activity.occurred_at, team),
                "kind": activity.kind,
                "kind_name": plain(lang, f"activity.{activity.kind}", default=activity.kind),
                "text": activity.text,
                "amount": money(activity.amount),
                "by": who(member),
            }
            for activity, member in card.timeline
        ],
        tasks=[
            task_json(
                team,
                task,
                owner=labels.get(task.owner_id),
                customer=card.customer.name,
                now=now,
            )
            for task in card.tasks
        ],
    )
    return {"customer": found}


def task_json(
    team: Team, task: Task, *, owner: str | None, customer: str | None, now: datetime
) -> JSON:
    """A task as the page shows it; `number` is the one /done takes."""
    return {
        "id": task.id,
        "number": task.number,
        "text": task.title,
        "due": when(task.due_at, team),
        "overdue": task.status == TaskStatus.OPEN and aware(task.due_at) < now,
        "owner": owner,
        "customer": customer,
        "customer_id": task.customer_id,
        "done": task.status == TaskStatus.DONE,
    }


def task_list(team: Team, views: list[TaskView], *, now: datetime) -> JSON:
    """GET /api/tasks."""
    return {
        "tasks": [
            task_json(team, v.task, owner=who(v.owner), customer=v.customer_name, now=now)
            for v in views
        ]
    }


def numbers(values: Numbers) -> JSON:
    """The figures /stats shows, and the counts they come from."""
    return {
        "leads": values.leads,
        "won_leads": values.won_leads,
        "conversion": values.conversion,
        "visits": values.visits,
        "activities": values.activities,
        "wins": values.wins,
        "losses": values.losses,
        "revenue": money(values.revenue),
        "win_rate": values.win_rate,
        "avg_days_to_close": values.avg_days_to_close,
        "followups_due": values.tasks_due,
        "followups_on_time": values.tasks_on_time,
        "on_time_rate": values.on_time_rate,
    }


def stats(
    team: Team, report: StatsReport, breakdown: dict[str, list[Row]], *, mine_name: str | None
) -> JSON:
    """GET /api/stats: the totals, the channel rows, and per rep and partner (managers)."""
    lang = team.language
    rows = [
        {
            "kind": "channel",
            "name": row.name or plain(lang, "stats.no_channel"),
            **numbers(row.numbers),
        }
        for row in report.rows
    ]
    if report.mine is not None:
        rows.append({"kind": "rep", "name": mine_name or "", "mine": True, **numbers(report.mine)})
    for kind, found in breakdown.items():
        rows += [{"kind": kind, "name": row.name, **numbers(row.numbers)} for row in found]
    return {
        "period": {
            "label": period_label(report.period, lang),
            "start": report.period.start.isoformat(timespec="seconds"),
            "end": report.period.end.isoformat(timespec="seconds"),
        },
        "currency": report.currency,
        "totals": numbers(report.total),
        "rows": rows,
    }

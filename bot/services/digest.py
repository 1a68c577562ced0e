"""The weekly channel digest: which teams are due, claiming a send, the numbers, the settings.

A digest reports the last full Monday–Sunday week in the team's zone and is due once the
team's weekday and time have passed in the current week, unless the team was activated after
that week ended (its first week is reported the week after). /digest now shows this week so
far against the same days of the week before. Sending is claimed by inserting
DigestRun(team_id, period_start) in its own transaction: the unique key lets exactly one
process (or one run after a restart) win each team's week.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.i18n import channel_name
from bot.reports.numbers import (
    TREND_WEEKS,
    Numbers,
    Row,
    SilentPartner,
    TeamDigest,
    drop_warnings,
    rank_key,
)
from bot.reports.periods import (
    Period,
    last_full_week,
    week_edges,
    week_so_far,
    week_start,
    weeks_ending,
)
from bot.reports.requests import DigestChange
from bot.reports.settings import DigestSettings
from bot.services import audit, company_digest, stats
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.db import Database, snapshot
from models.queries import customers as customer_queries
from models.queries import digests as runs
from models.queries import stats as queries
from models.queries.digests import mark_sent as mark_sent  # the job records sends through here
from models.tables import Team

log = logging.getLogger(__name__)
TOP = 3


@dataclass(frozen=True)
class DueDigest:
    """A team whose digest of the week starting `period_start` should go out now."""

    team_id: int
    period_start: datetime


def send_time(team: Team, *, now: datetime) -> datetime:
    """Return when this week's digest of the team goes out (its weekday and time, its zone)."""
    tz = ZoneInfo(team.timezone)
    monday = week_start(now.astimezone(tz).date())
    hour, minute = (int(x) for x in team.digest_time.split(":"))
    day = monday + timedelta(days=min(max(team.digest_weekday, 1), 7) - 1)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def reports(team: Team, week: Period) -> bool:
    """Whether the team has this week to report: it was activated before the week ended."""
    return team.activated_at is None or team.activated_at < week.end


def due_digests(*, session: Session, now: datetime) -> list[DueDigest]:
    """Return the teams whose digest time has passed this week and whose week is unclaimed."""
    candidates: list[DueDigest] = []
    for team in runs.digest_teams(session=session):
        if team.id is None or now < send_time(team, now=now):
            continue
        week = last_full_week(now=now, tz=ZoneInfo(team.timezone))
        if reports(team, week):
            candidates.append(DueDigest(team.id, week.start))
    if not candidates:
        return []
    claimed = runs.claimed_weeks(session=session, since=min(c.period_start for c in candidates))
    return [c for c in candidates if (c.team_id, c.period_start) not in claimed]


def try_claim(*, db: Database, team_id: int, period_start: datetime, now: datetime) -> bool:
    """Claim a team's week in its own transaction; False if another process already has it."""
    try:
        with db.session() as session:
            runs.claim(session=session, team_id=team_id, period_start=period_start, now=now)
    except IntegrityError:
        return False
    return True


def release(*, db: Database, team_id: int, period_start: datetime) -> None:
    """Give a claim back (the send failed before anything reached the chat)."""
    with db.session() as session:
        runs.unclaim(session=session, team_id=team_id, period_start=period_start)


# -- the numbers -----------------------------------------------------------------------------


def build_digests(
    *, session: Session, teams: Sequence[Team], now: datetime, so_far: bool = False
) -> list[TeamDigest]:
    """Compute the digests of many teams, batching teams that share a week and thresholds.

    Each reports its last full week, or with `so_far` this week until today, against the same
    days of each week before; a head office's covers its company too.
    """
    weeks_of = week_so_far if so_far else last_full_week
    groups: dict[tuple[str, int, int], list[Team]] = defaultdict(list)
    for team in teams:
        groups[(team.timezone, team.churn_silent_days, team.partner_silent_days)].append(team)
    digests: dict[int, TeamDigest] = {}
    for (tz_name, churn_days, partner_days), members in groups.items():
        week = weeks_of(now=now, tz=ZoneInfo(tz_name))
        for digest in _build_group(
            session,
            members,
            week=week,
            now=now,
            churn_days=churn_days,
            partner_days=partner_days,
            so_far=so_far,
        ):
            digests[digest.team_id] = digest
    result = [digests[team.id] for team in teams if team.id in digests]
    company_digest.add_companies(session=session, digests=result, teams=list(teams))
    return result


def digests_for(*, session: Session, team_ids: Sequence[int], now: datetime) -> list[TeamDigest]:
    """Load the teams and compute their digests."""
    teams = runs.teams_by_id(session=session, team_ids=team_ids)
    return build_digests(session=session, teams=teams, now=now)


def digests_from_database(url: str, team_ids: Sequence[int], now: datetime) -> list[TeamDigest]:
    """Compute digests from the database at `url`, in one snapshot (a worker process runs this).

    Fifty teams' digests are seconds of pure Python on a Monday morning: in the bot they would
    hold the GIL, in turns, while every chat waited.
    """
    with snapshot(url) as session:
        return digests_for(session=session, team_ids=team_ids, now=now)


def _build_group(
    session: Session,
    teams: list[Team],
    *,
    week: Period,
    now: datetime,
    churn_days: int,
    partner_days: int,
    so_far: bool,
) -> list[TeamDigest]:
    ids = [team.id for team in teams if team.id is not None]
    weeks = weeks_ending(week, TREND_WEEKS)
    edges, step = week_edges(weeks)
    metrics = ("leads", "activities", "deals")
    by_channel = stats.numbers_by(
        session=session, team_ids=ids, edges=edges, dim="channel", now=now, metrics=metrics
    )
    last_edges = [week.start, week.end]
    by_member = stats.numbers_by(
        session=session, team_ids=ids, edges=last_edges, dim="member", now=now, metrics=metrics
    )
    by_partner = stats.numbers_by(
        session=session,
        team_ids=ids,
        edges=last_edges,
        dim="partner",
        now=now,
        metrics=("leads", "deals"),
    )
    channels = queries.channels_of(session=session, team_ids=ids)
    labels = stats.member_labels(session=session, team_ids=ids)
    partner_names = queries.partner_names(session=session, team_ids=ids)
    overdue = queries.overdue_tasks(session=session, team_ids=ids, now=now)
    churn = timedelta(days=churn_days)
    silence = queries.silent_customers(
        session=session,
        team_ids=ids,
        silent_before=now - churn,
        crossed=(week.start - churn, week.end - churn),  # went silent during the week
    )
    quiet = queries.quiet_partners(
        session=session, team_ids=ids, since=now - timedelta(days=partner_days)
    )
    pooled = customer_queries.pooled_between(
        session=session, team_ids=ids, start=week.start, end=week.end
    )

    per_team: dict[int, dict[int | None, list[Numbers]]] = defaultdict(dict)
    for (team_id, channel_id, bucket), numbers in by_channel.items():
        if bucket % step:
            continue  # the days between two weeks so far
        weeks_of = per_team[team_id].setdefault(channel_id, [Numbers() for _ in weeks])
        weeks_of[bucket // step] = numbers
    reps: dict[int, list[Row]] = defaultdict(list)
    for (team_id, member_id, _), numbers in by_member.items():
        if member_id is not None and member_id in labels:
            reps[team_id].append(Row(member_id, labels[member_id], numbers))
    partner_rows: dict[int, list[Row]] = defaultdict(list)
    for (team_id, partner_id, _), numbers in by_partner.items():
        if partner_id is not None and partner_id in partner_names:
            partner_rows[team_id].append(Row(partner_id, partner_names[partner_id], numbers))

    result = []
    for team in teams:
        found = per_team.get(team.id, {})
        named = [
            (channel_name(c.name, c.kind, team.language), found.pop(c.id))
            for c in channels.get(team.id, [])
            if c.id in found
        ]
        named += [("", weeks_of) for weeks_of in found.values()]  # no channel
        owners = overdue.get(team.id, [])
        silent = silence.get(team.id)
        result.append(
            TeamDigest(
                team_id=team.id,
                chat_id=team.chat_id,
                thread_id=team.digest_thread_id,
                lang=team.language,
                tz=ZoneInfo(team.timezone),
                currency=team.currency,
                week=week,
                now=now,
                channels=named,
                top_reps=_top(reps.get(team.id, [])),
                top_partners=_top(partner_rows.get(team.id, [])),
                overdue=sum(count for _, count in owners),
                overdue_by_owner=[(labels.get(m, "?"), n) for m, n in owners[:TOP]],
                silent_customers=silent.count if silent else 0,
                newly_silent=silent.newly if silent else [],
                silent_partners=[
                    SilentPartner(p.name, (now - last).days if last else None)
                    for p, last in quiet.get(team.id, [])
                ],
                pooled=pooled.get(team.id, []),
                warnings=drop_warnings(
                    [(name or "—", w) for name, w in named], threshold_pct=team.warn_drop_pct
                ),
                churn_silent_days=churn_days,
                partner_silent_days=partner_days,
                skip_empty=team.digest_skip_empty,
                so_far=so_far,
            )
        )
    return result


def _top(rows: list[Row]) -> list[Row]:
    """The best three by revenue, wins, visits, leads; someone with none of those is not top."""
    useful = [
        r
        for r in rows
        if r.numbers.revenue or r.numbers.wins or r.numbers.visits or r.numbers.leads
    ]
    return sorted(useful, key=rank_key)[:TOP]


def digest_now(*, session: Session, actor: Actor, now: datetime, so_far: bool = True) -> TeamDigest:
    """Compute the team's digest on demand (not a scheduled send): this week so far, or else
    the last full week."""
    actor.require_active()
    actor.require_manager("error.not_manager.digest")
    return build_digests(session=session, teams=[actor.team], now=now, so_far=so_far)[0]


# -- settings --------------------------------------------------------------------------------


def change_settings(
    *,
    session: Session,
    actor: Actor,
    change: DigestChange,
    thread_id: int | None,
    now: datetime,
) -> Team:
    """Apply /digest settings changes (managers); 'topic here' needs a forum topic."""
    actor.require_active()
    actor.require_manager("error.not_manager.digest")
    team = actor.team
    updates: dict[str, object] = {}
    if change.enabled is not None:
        updates["digest_enabled"] = change.enabled
    if change.weekday is not None:
        updates["digest_weekday"] = change.weekday
    if change.time is not None:
        updates["digest_time"] = change.time
    if change.topic_here is True:
        if thread_id is None:
            raise CrmError("digest.topic_needed")
        updates["digest_thread_id"] = thread_id
    elif change.topic_here is False:
        updates["digest_thread_id"] = None
    if change.skip_empty is not None:
        updates["digest_skip_empty"] = change.skip_empty
    for name in ("warn_drop_pct", "partner_silent_days", "churn_silent_days"):
        value = getattr(change, name)
        if value is not None:
            updates[name] = value
    old = {name: getattr(team, name) for name in updates}
    for name, value in updates.items():
        setattr(team, name, value)
    if updates:
        audit.by_actor(
            actor,
            session=session,
            action="setting",
            entity="team",
            entity_id=team.id,
            now=now,
            field="digest",
            old=old,
            new=updates,
        )
    return team


def settings_of(team: Team, *, session: Session, now: datetime) -> DigestSettings:
    """Return the team's digest settings and when its next digest goes out."""
    return DigestSettings(
        enabled=team.digest_enabled,
        weekday=team.digest_weekday,
        time=team.digest_time,
        tz=ZoneInfo(team.timezone),
        thread_id=team.digest_thread_id,
        skip_empty=team.digest_skip_empty,
        warn_drop_pct=team.warn_drop_pct,
        partner_silent_days=team.partner_silent_days,
        churn_silent_days=team.churn_silent_days,
        next_send=next_send(team, session=session, now=now),
    )


def next_send(team: Team, *, session: Session, now: datetime) -> datetime | None:
    """Return when the digest job will next post the team's digest (None: it is off).

    The job's rule (due_digests): this week's send reports the last full week, unless that
    week is claimed (already sent) or ended before the team was activated; a send time that
    has passed with the week unclaimed goes out at the job's next run. Next week's always
    reports (this week ends after the team's activation).
    """
    if not team.digest_enabled or team.id is None:
        return None
    tz = ZoneInfo(team.timezone)
    this_week = send_time(team, now=now)
    week = last_full_week(now=this_week, tz=tz)
    if reports(team, week) and not runs.is_claimed(
        session=session, team_id=team.id, period_start=week.start
    ):
        return max(this_week, now)
    return send_time(team, now=this_week + timedelta(weeks=1))

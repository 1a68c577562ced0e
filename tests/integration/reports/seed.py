"""Build report fixtures row by row, with explicit times, straight through SQLModel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.services.teams import DEFAULT_STAGES
from models.tables import (
    Activity,
    Channel,
    Customer,
    Deal,
    Member,
    Partner,
    Role,
    Task,
    TaskStatus,
    Team,
)

SH = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    """A time in Shanghai (the fixtures' team zone)."""
    return datetime(year, month, day, hour, minute, tzinfo=SH)


@dataclass
class Seed:
    """A team and the handles tests need to add rows and look them up."""

    session: Session
    team: Team
    members: dict[str, Member] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    partners: dict[str, Partner] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)

    @property
    def team_id(self) -> int:
        assert self.team.id is not None
        return self.team.id

    def member(self, username: str, *, role: str = Role.REP, user_id: int | None = None) -> Member:
        member = Member(
            team_id=self.team_id,
            user_id=user_id or 1000 + len(self.members),
            username=username,
            full_name=username.title(),
            role=role,
            joined_at=at(9, 1),
        )
        self.session.add(member)
        self.session.flush()
        self.members[username] = member
        return member

    def channel(self, name: str, kind: str) -> Channel:
        channel = Channel(team_id=self.team_id, name=name, kind=kind)
        self.session.add(channel)
        self.session.flush()
        self.channels[name] = channel
        return channel

    def partner(
        self, name: str, *, tier: str = "B", channel: str | None = None, created: datetime
    ) -> Partner:
        partner = Partner(
            team_id=self.team_id,
            name=name,
            normalized_name=name.casefold(),
            tier=tier,
            channel_id=self.channels[channel].id if channel else None,
            created_at=created,
        )
        self.session.add(partner)
        self.session.flush()
        self.partners[name] = partner
        return partner

    def customer(
        self,
        name: str,
        *,
        by: str,
        created: datetime,
        channel: str | None = None,
        partner: str | None = None,
        stage: str = "lead",
        last: datetime | None = None,
    ) -> Customer:
        member = self.members[by]
        customer = Customer(
            team_id=self.team_id,
            name=name,
            normalized_name=name.casefold(),
            owner_id=member.id,
            created_by=member.id,
            channel_id=self.channels[channel].id if channel else None,
            partner_id=self.partners[partner].id if partner else None,
            stage=stage,
            created_at=created,
            last_activity_at=last or created,
        )
        self.session.add(customer)
        self.session.flush()
        self.customers[name] = customer
        return customer

    def deal(
        self,
        customer: str,
        *,
        by: str,
        created: datetime,
        status: str = "open",
        closed: datetime | None = None,
        amount: str | None = None,
        currency: str = "CNY",
    ) -> Deal:
        deal = Deal(
            team_id=self.team_id,
            customer_id=self.customers[customer].id or 0,
            owner_id=self.members[by].id,
            stage=status if status != "open" else self.customers[customer].stage,
            status=status,
            amount=Decimal(amount) if amount is not None else None,
            currency=currency,
            created_at=created,
            closed_at=closed,
        )
        self.session.add(deal)
        return deal

    def activity(self, kind: str, customer: str | None, *, by: str, when: datetime) -> None:
        self.session.add(
            Activity(
                team_id=self.team_id,
                customer_id=self.customers[customer].id if customer else None,
                member_id=self.members[by].id,
                kind=kind,
                occurred_at=when,
            )
        )

    def task(
        self,
        customer: str | None,
        *,
        owner: str,
        due: datetime,
        done: datetime | None = None,
        status: str | None = None,
    ) -> None:
        self.session.add(
            Task(
                team_id=self.team_id,
                customer_id=self.customers[customer].id if customer else None,
                owner_id=self.members[owner].id or 0,
                title=f"follow up {customer}",
                due_at=due,
                done_at=done,
                status=status or (TaskStatus.DONE if done else TaskStatus.OPEN),
                created_at=at(9, 1),
            )
        )


def new_team(
    session: Session, *, chat_id: int = -100, title: str = "Sales", language: str = "en"
) -> Seed:
    team = Team(
        chat_id=chat_id,
        title=title,
        timezone="Asia/Shanghai",
        language=language,
        currency="CNY",
        active=True,
        activated_at=at(9, 1),
        created_at=at(9, 1),
        stages=[{"key": key, "name": None} for key in DEFAULT_STAGES],
    )
    session.add(team)
    session.flush()
    return Seed(session=session, team=team)


def november(session: Session, *, chat_id: int = -100) -> Seed:
    """The hand-computed fixture the stats tests check (see test_stats_numbers.py).

    Three channels, a manager and five reps, partners 华泰经销 (A), Globex Agency (B) and
    Silent Co (C); leads, deals, visits and follow-ups in and around November 2026.
    """
    s = new_team(session, chat_id=chat_id)
    s.member("maria", role=Role.MANAGER)
    for name in ("alice", "bob", "carol", "dave", "erin"):
        s.member(name)
    s.channel("Distributor", "distributor")
    s.channel("E-commerce", "ecommerce")
    s.channel("Direct store", "direct")
    s.partner("华泰经销", tier="A", channel="Distributor", created=at(9, 1))
    s.partner("Globex Agency", tier="B", channel="E-commerce", created=at(9, 1))
    s.partner("Silent Co", tier="C", created=at(9, 1))

    # Customers: C0 just before November (Shanghai time), Foxtrot at its first instant.
    s.customer(
        "Old Trading",
        by="bob",
        created=at(10, 31, 23, 59),
        channel="Distributor",
        stage="won",
        last=at(11, 9),
    )
    s.customer(
        "Acme",
        by="alice",
        created=at(11, 2),
        channel="Distributor",
        partner="华泰经销",
        stage="won",
        last=at(11, 12),
    )
    s.customer("Beta", by="alice", created=at(11, 5), channel="Distributor", stage="contacted")
    s.customer(
        "Cathay",
        by="bob",
        created=at(11, 10),
        channel="Distributor",
        partner="华泰经销",
        stage="won",
        last=at(11, 21),
    )
    s.customer(
        "Delta",
        by="carol",
        created=at(11, 20),
        channel="Distributor",
        stage="visited",
        last=at(11, 21),
    )
    s.customer(
        "Echo",
        by="dave",
        created=at(11, 3),
        channel="E-commerce",
        partner="Globex Agency",
        stage="lost",
        last=at(11, 18),
    )
    s.customer("Foxtrot", by="dave", created=at(11, 1, 0, 0), channel="E-commerce")
    s.customer(
        "Golf",
        by="erin",
        created=at(11, 15),
        channel="Direct store",
        stage="quoted",
        last=at(11, 17),
    )
    s.customer("Hotel", by="erin", created=at(11, 23), channel="Direct store")
    s.customer(
        "India", by="bob", created=at(9, 1), partner="Silent Co", stage="contacted", last=at(10, 1)
    )

    s.deal(
        "Old Trading",
        by="bob",
        created=at(10, 25),
        status="won",
        closed=at(11, 8),
        amount="50000.00",
    )
    s.deal(
        "Old Trading",
        by="bob",
        created=at(11, 1),
        status="won",
        closed=at(11, 9),
        amount="5000",
        currency="USD",
    )
    s.deal(
        "Old Trading", by="bob", created=at(10, 1), status="won", closed=at(10, 30), amount="7777"
    )
    s.deal(
        "Acme", by="alice", created=at(11, 2), status="won", closed=at(11, 12), amount="23400.00"
    )
    s.deal("Cathay", by="bob", created=at(11, 10), status="won", closed=at(11, 21), amount="50000")
    s.deal("Echo", by="dave", created=at(11, 3), status="lost", closed=at(11, 18), amount="30000")
    s.deal("Golf", by="erin", created=at(11, 15), amount="80000.00")
    s.deal("Hotel", by="erin", created=at(11, 23))

    for customer, by, when in (
        ("Acme", "alice", at(11, 2)),
        ("Beta", "alice", at(11, 5)),
        ("Cathay", "bob", at(11, 10)),
        ("Delta", "carol", at(11, 20)),
        ("Echo", "dave", at(11, 3)),
        ("Foxtrot", "dave", at(11, 1, 0, 0)),
        ("Golf", "erin", at(11, 15)),
        ("Hotel", "erin", at(11, 23)),
    ):
        s.activity("lead", customer, by=by, when=when)
    for customer, by, when in (
        ("Acme", "alice", at(10, 31, 23, 0)),  # October in Shanghai
        ("Acme", "alice", at(11, 2, 15)),
        ("Acme", "alice", at(11, 9)),
        ("Cathay", "bob", at(11, 11)),
        ("Delta", "carol", at(11, 21)),
        ("Echo", "dave", at(11, 4)),
        ("Golf", "erin", at(11, 16)),
        ("Golf", "erin", at(11, 17)),
    ):
        s.activity("visit", customer, by=by, when=when)
    s.activity("call", "Old Trading", by="bob", when=at(11, 9))
    s.activity("note", "India", by="bob", when=at(10, 1))

    s.task("Acme", owner="alice", due=at(11, 10, 9), done=at(11, 10, 8))  # on time
    s.task("Beta", owner="alice", due=at(11, 12, 9), done=at(11, 13, 9))  # late
    s.task("Cathay", owner="bob", due=at(11, 20, 9), done=at(11, 20, 9))  # on time, exactly
    s.task("Echo", owner="dave", due=at(11, 18, 9))  # open: late, overdue
    s.task("Golf", owner="erin", due=at(11, 19, 9), status=TaskStatus.CANCELLED)
    s.task("Hotel", owner="erin", due=at(11, 25, 9))  # not due yet
    s.task("Delta", owner="carol", due=at(11, 23, 9))  # open: late, overdue
    s.task("Old Trading", owner="bob", due=at(10, 30, 9), done=at(10, 30, 8))  # October
    session.flush()
    return s

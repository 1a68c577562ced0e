"""The SQLModel tables. Every business row belongs to a team (one Telegram group)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    FetchedValue,
    Index,
    Numeric,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime

# Primary keys are typed `int` though they default to None: the database assigns them on flush,
# and code only reads the id of a saved row, so it never needs `id or 0`.


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


def _team_fk() -> Any:
    return Field(foreign_key="team.id", index=True, ondelete="CASCADE")


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    REP = "rep"


class ChannelKind(StrEnum):
    DISTRIBUTOR = "distributor"
    AGENT = "agent"
    ECOMMERCE = "ecommerce"
    DIRECT = "direct"
    REFERRAL = "referral"
    OTHER = "other"


class DealStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class ActivityKind(StrEnum):
    LEAD = "lead"
    VISIT = "visit"
    CALL = "call"
    FOLLOWUP = "followup"
    NOTE = "note"
    WON = "won"
    LOST = "lost"
    STAGE = "stage"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Team(SQLModel, table=True):
    """A Telegram group's workspace and its settings."""

    id: int = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    title: str = ""
    timezone: str = "Asia/Shanghai"
    language: str = "en"
    currency: str = "CNY"
    # Turned on by a chat admin's /setup. `bot_present` is separate: the bot removed from the
    # group (or the group upgraded away from this chat id) pauses the jobs without undoing it.
    active: bool = False
    bot_present: bool = True
    activated_at: datetime | None = _utc(default=None)
    activated_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = _utc()
    # Ownership (报备 / 公海)
    protection_days: int = 90
    pool_after_days: int = 30
    # Working time: reminders and agendas only inside it
    workday_start: str = "09:00"
    workday_end: str = "18:00"
    work_weekdays: str = "12345"  # ISO weekdays, Monday = 1
    default_due_time: str = "09:00"
    # An English numeric date that reads both ways ("3/4"): "md" month first, "dm" day first
    date_order: str = "md"
    remind_privately: bool = False
    escalate_after_hours: int = 24
    morning_agenda: bool = False
    # The local date whose morning agenda was claimed; claiming it is a conditional UPDATE
    agenda_sent_for: date | None = None
    # Weekly digest
    digest_enabled: bool = True
    digest_weekday: int = 1  # ISO weekday
    digest_time: str = "09:00"
    digest_thread_id: int | None = Field(default=None, sa_type=BigInteger)
    digest_skip_empty: bool = False
    warn_drop_pct: int = 30
    partner_silent_days: int = 14
    churn_silent_days: int = 30
    # Pipeline stages in order: [{"key": "lead", "name": null}, …]; name overrides the default
    stages: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    # The last task number handed out (models/numbering.py): a team's tasks are #1, #2, …
    task_seq: int = 0


class Member(SQLModel, table=True):
    """A Telegram user in a team."""

    __table_args__ = (UniqueConstraint("team_id", "user_id"),)
    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    username: str | None = Field(default=None, index=True)
    full_name: str = ""
    role: str = Role.REP
    private_chat: bool = False
    joined_at: datetime = _utc()


class Channel(SQLModel, table=True):
    """A sales channel of a team: distributors, agents, e-commerce, …"""

    __table_args__ = (UniqueConstraint("team_id", "name"),)
    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    kind: str = ChannelKind.OTHER
    name: str | None = None  # None: a default channel, named by its kind in the team's language


class Partner(SQLModel, table=True):
    """A named distributor, agent or dealer in a channel."""

    __table_args__ = (UniqueConstraint("team_id", "normalized_name"),)
    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    channel_id: int | None = Field(default=None, foreign_key="channel.id")
    name: str
    normalized_name: str
    tier: str = "B"
    owner_id: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = _utc()


class Customer(SQLModel, table=True):
    """A customer (account) of a team, owned by one rep or in the shared pool."""

    __table_args__ = (
        UniqueConstraint("team_id", "normalized_name"),
        Index("ix_customer_team_activity", "team_id", "last_activity_at"),
        Index("ix_customer_team_created", "team_id", "created_at"),  # leads in a period
        Index("ix_customer_team_since", "team_id", "id"),  # a team's newest customers
    )
    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    name: str
    normalized_name: str
    owner_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    channel_id: int | None = Field(default=None, foreign_key="channel.id", index=True)
    partner_id: int | None = Field(default=None, foreign_key="partner.id", index=True)
    stage: str = "lead"
    lost_reason: str | None = None
    registered_at: datetime | None = _utc(default=None)
    protected_until: datetime | None = _utc(default=None)
    last_activity_at: datetime | None = _utc(default=None)
    pooled_at: datetime | None = _utc(default=None)
    created_at: datetime = _utc()
    created_by: int | None = Field(default=None, foreign_key="member.id")


class CustomerAlias(SQLModel, table=True):
    """Another name a team uses for one of its customers: 永辉 for 永辉超市有限公司.

    Kept when a rep picks a customer for a name the bot asked about, so it is not asked again.
    """

    __tablename__ = "customer_alias"
    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    normalized_name: str = Field(primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    created_by: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    created_at: datetime = _utc()


class Contact(SQLModel, table=True):
    """A person at a customer."""

    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    name: str | None = None
    phone: str | None = None
    created_at: datetime = _utc()


class Entry(SQLModel, table=True):
    """One logged chat message and what it created (for the card, undo and edits)."""

    __table_args__ = (Index("ix_entry_message", "team_id", "chat_id", "message_id"),)
    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    member_id: int = Field(foreign_key="member.id", index=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    message_id: int = Field(sa_type=BigInteger)
    card_message_id: int | None = Field(default=None, sa_type=BigInteger)
    intent: str
    text: str
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    created_customer: bool = False
    created_at: datetime = _utc()
    undone_at: datetime | None = _utc(default=None)
    # 撞单: what a rep who does not own the customer would have changed, kept for the owner
    # and the managers instead of being applied (the amount, and won/lost/visited).
    proposed_amount: Decimal | None = Field(default=None, sa_type=Numeric(18, 2))
    proposed_currency: str | None = None
    proposed_stage: str | None = None


class Deal(SQLModel, table=True):
    """An opportunity with a customer: stage, amount, status."""

    __table_args__ = (Index("ix_deal_team_closed", "team_id", "closed_at"),)  # wins in a period
    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    owner_id: int | None = Field(default=None, foreign_key="member.id")
    entry_id: int | None = Field(default=None, foreign_key="entry.id", ondelete="SET NULL")
    stage: str = "lead"
    status: str = Field(default=DealStatus.OPEN, index=True)
    amount: Decimal | None = Field(default=None, sa_type=Numeric(18, 2))
    currency: str = "CNY"
    lost_reason: str | None = None
    created_at: datetime = _utc()
    closed_at: datetime | None = _utc(default=None)


class Activity(SQLModel, table=True):
    """Something a rep did with a customer: a visit, a call, a note, a win …"""

    # Covers the report queries (counts by kind, customer and rep in a period) without
    # reading the rows; (team_id, occurred_at) lookups use its prefix.
    __table_args__ = (
        Index(
            "ix_activity_team_time", "team_id", "occurred_at", "kind", "customer_id", "member_id"
        ),
    )
    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    customer_id: int | None = Field(
        default=None, foreign_key="customer.id", index=True, ondelete="CASCADE"
    )
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    entry_id: int | None = Field(default=None, foreign_key="entry.id", ondelete="SET NULL")
    kind: str = ActivityKind.NOTE
    text: str = ""
    amount: Decimal | None = Field(default=None, sa_type=Numeric(18, 2))
    occurred_at: datetime = _utc()
    # What its entry changed in rows it did not create, for undo to put back
    # (bot/services/reversal.py). Kept here, not on the entry, because the activity is inserted
    # in the unit's one flush, when the changes are known: no UPDATE of its own.
    restores: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


TASK_UNREMINDED = "status = 'open' AND (reminded_due_at IS NULL OR reminded_due_at <> due_at)"
TASK_UNESCALATED = "status = 'open' AND escalated_at IS NULL"


class Task(SQLModel, table=True):
    """A follow-up or other to-do with a due time and an owner."""

    __table_args__ = (
        Index("ix_task_due", "status", "due_at"),
        Index("ix_task_team_owner", "team_id", "owner_id", "status"),
        Index("ix_task_team_due", "team_id", "due_at"),  # follow-ups due in a period
        # The number a team's members see and type (#1, #2, …), given by models/numbering.py
        UniqueConstraint("team_id", "number", name="uq_task_team_number"),
        # Partial indexes of what the reminder jobs look for. Their key repeats the status of
        # ix_task_due so both planners see the smaller index is the better one; the queries
        # repeat the predicates so the indexes apply.
        Index(
            "ix_task_unreminded",
            "status",
            "due_at",
            postgresql_where=text(TASK_UNREMINDED),
            sqlite_where=text(TASK_UNREMINDED),
        ),
        Index(
            "ix_task_unescalated",
            "status",
            "due_at",
            postgresql_where=text(TASK_UNESCALATED),
            sqlite_where=text(TASK_UNESCALATED),
        ),
    )
    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    # Typed `int` though None until the flush numbers it (models/numbering.py), like the id;
    # drawn inside the INSERT, so the INSERT returns it (FetchedValue: RETURNING number)
    number: int = Field(default=None, sa_column_kwargs={"server_default": FetchedValue()})
    customer_id: int | None = Field(
        default=None, foreign_key="customer.id", index=True, ondelete="CASCADE"
    )
    owner_id: int = Field(foreign_key="member.id")
    created_by: int | None = Field(default=None, foreign_key="member.id")
    entry_id: int | None = Field(default=None, foreign_key="entry.id", ondelete="SET NULL")
    title: str
    due_at: datetime = _utc()
    status: str = TaskStatus.OPEN
    done_at: datetime | None = _utc(default=None)
    done_by: int | None = Field(default=None, foreign_key="member.id")
    # The due time that has been reminded; a snooze moves due_at past it, re-arming the reminder
    reminded_at: datetime | None = _utc(default=None)
    reminded_due_at: datetime | None = _utc(default=None)
    reminder_chat_id: int | None = Field(default=None, sa_type=BigInteger)
    reminder_message_id: int | None = Field(default=None, sa_type=BigInteger)
    escalated_at: datetime | None = _utc(default=None)
    created_at: datetime = _utc()


class AuditLog(SQLModel, table=True):
    """Who changed what, when."""

    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    actor_user_id: int | None = Field(default=None, sa_type=BigInteger)
    action: str
    entity: str
    entity_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    at: datetime = _utc()


class PendingChoice(SQLModel, table=True):
    """An entry waiting for the rep to pick a customer (or a manager to confirm an import)."""

    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    member_id: int = Field(foreign_key="member.id")
    kind: str = "customer"
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = _utc()
    resolved_at: datetime | None = _utc(default=None)


class DigestRun(SQLModel, table=True):
    """One weekly digest of one team; the unique key makes sending exactly-once."""

    __table_args__ = (UniqueConstraint("team_id", "period_start"),)
    id: int = Field(default=None, primary_key=True)
    team_id: int = _team_fk()
    period_start: datetime = _utc()
    claimed_at: datetime = _utc()
    sent_at: datetime | None = _utc(default=None)
    message_id: int | None = Field(default=None, sa_type=BigInteger)


class ProcessedUpdate(SQLModel, table=True):
    """Telegram updates already handled, so a redelivered one is not handled twice.

    Update ids are per bot, so the bot is part of the key: another bot on the same database
    (a new token for the team) never collides with this one's ids.
    """

    bot_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    processed_at: datetime = _utc(index=True)


class StatCounter(SQLModel, table=True):
    """Per-day report figures of a team: one row per local day, channel, partner and member.

    Kept by models.counters in the transaction of every write that changes them, so a report
    over a period reads a range of a team's days instead of its rows. The day is the team's
    local date; 0 stands for "none" in the keys (a NULL would not match in the primary key).
    The member is the one a figure is credited to: a lead's creator, an activity's rep, a
    deal's owner. Revenue counts won deals in the team currency only.
    """

    __tablename__ = "stat_counter"
    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    day: date = Field(primary_key=True)
    channel_id: int = Field(default=0, primary_key=True)
    partner_id: int = Field(default=0, primary_key=True)
    member_id: int = Field(default=0, primary_key=True)
    leads: int = 0
    won_leads: int = 0
    activities: int = 0
    visits: int = 0
    wins: int = 0
    losses: int = 0
    revenue: Decimal = Field(default=Decimal(0), sa_type=Numeric(18, 2))
    close_secs: float = 0.0  # summed seconds from creation to a win


class StatCounterTeam(SQLModel, table=True):
    """A team's per-day report figures per channel, and per partner: StatCounter summed twice.

    Company reports (/stats org, the company digest) read many teams by channel or by partner,
    never by member, so they read these rows: a team's day has a row per channel it saw and
    one per partner, a fraction of StatCounter's rows per (channel, partner, member). `dim`
    says which ("channel" or "partner"), `dim_id` is its id (0: none). Kept by triggers on
    StatCounter (revision 0014) in the statement that writes it, so the two always agree.
    """

    __tablename__ = "stat_counter_team"
    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    dim: str = Field(primary_key=True, max_length=8)
    day: date = Field(primary_key=True)
    dim_id: int = Field(default=0, primary_key=True)
    leads: int = 0
    won_leads: int = 0
    activities: int = 0
    visits: int = 0
    wins: int = 0
    losses: int = 0
    revenue: Decimal = Field(default=Decimal(0), sa_type=Numeric(18, 2))
    close_secs: float = 0.0


class GroupKind(StrEnum):
    """What a group is in its company."""

    HEAD_OFFICE = "head_office"
    TEAM = "team"
    PARTNER_ROOM = "partner_room"  # a distributor's or agent's own group, bound to its partner


HEAD_OFFICE_ONLY = "kind = 'head_office'"


class Company(SQLModel, table=True):
    """Several groups of one business: a head office, its teams and its partners' rooms.

    Its groups are its CompanyGroup rows; the head office's managers are the company's.
    """

    id: int = Field(default=None, primary_key=True)
    name: str
    created_at: datetime = _utc()
    created_by: int | None = Field(default=None, sa_type=BigInteger)  # a Telegram user id


class CompanyGroup(SQLModel, table=True):
    """A team's place in a company: a team is in one company at most (its key)."""

    __tablename__ = "company_group"
    __table_args__ = (
        # One head office per company.
        Index(
            "uq_company_group_head_office",
            "company_id",
            unique=True,
            postgresql_where=text(HEAD_OFFICE_ONLY),
            sqlite_where=text(HEAD_OFFICE_ONLY),
        ),
    )
    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    kind: str = GroupKind.TEAM
    # A partner room's partner: one of the head office's partners
    partner_id: int | None = Field(default=None, foreign_key="partner.id", ondelete="SET NULL")
    joined_at: datetime = _utc()
    joined_by: int | None = Field(default=None, sa_type=BigInteger)  # a Telegram user id


class JoinCode(SQLModel, table=True):
    """A single-use code that joins one more group to a company, valid for a day.

    Only its SHA-256 is kept: the code is shown once, in the head office's chat.
    """

    __tablename__ = "join_code"
    id: int = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(unique=True)
    issued_by: int | None = Field(default=None, sa_type=BigInteger)  # a Telegram user id
    issued_at: datetime = _utc()
    expires_at: datetime = _utc()
    used_at: datetime | None = _utc(default=None)
    used_by_team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")

"""Keep the per-day report counters (StatCounter) in step with the rows they count.

Every ORM flush is inspected before it writes: an activity, deal or customer that is added,
changed in a counted column, or deleted adds its delta to the session's pending deltas, which
go to the database in one upsert when the transaction commits (or when a report reads the
counters first). So the counters change in the same transaction as the rows, whichever service,
import or fixture wrote them, and a logged message costs one statement more, not one per flush.

What is counted where, as the row queries in models.queries.stats count it:
- a lead on its customer's local creation day, credited to its creator, won if any deal of
  the customer is won;
- an activity on its local day, credited to its rep;
- a won or lost deal on its local closing day, credited to its owner, with the revenue in the
  team currency and the seconds it took to win.
Channel and partner are the customer's current ones: when a customer changes channel or
partner, its leads, activities and deals move with it (as the reports did when they joined
rows to customers). A team whose timezone or currency changes is counted again from its rows.

Writes that bypass the ORM call `count_customers`: an import after its inserts, a move to
another team before and after it (models.queries.transfer); or `recount` (the benchmark
generator).

Every delta lands twice: models.queries.counters.add writes StatCounter at its full grain, and
its triggers (revision 0014) add it, summed over the member, to StatCounterTeam per channel and
per partner (what company reports read). Both are cleared together and counted again, so
nothing here deals with the second.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from models.queries import counters as queries
from models.queries.counters import CounterKey, Deltas
from models.tables import Activity, ActivityKind, Customer, Deal, DealStatus, Team

PENDING = "stat_counter_deltas"
FRESH = "stat_counter_fresh_customers"  # added in this transaction: id -> has stored rows
ACTIVITY_COLUMNS = ("team_id", "customer_id", "occurred_at", "kind", "member_id")
DEAL_COLUMNS = (
    "team_id", "customer_id", "closed_at", "status", "owner_id", "amount", "currency",
    "created_at",
)  # fmt: skip
LEAD_COLUMNS = ("team_id", "created_at", "created_by", "channel_id", "partner_id")
DIMS = ("channel_id", "partner_id")
TEAM_COLUMNS = ("timezone", "currency")
CHUNK = 500  # customer ids per IN (…) list


class Zones:
    """Each team's zone and currency, looked up once per flush."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._teams: dict[int, tuple[ZoneInfo, str]] = {}

    def __getitem__(self, team_id: int) -> tuple[ZoneInfo, str]:
        if team_id not in self._teams:
            team = self._session.get(Team, team_id)
            assert team is not None
            self._teams[team_id] = (ZoneInfo(team.timezone), team.currency)
        return self._teams[team_id]


def local_day(when: datetime, tz: ZoneInfo) -> date:
    return when.astimezone(tz).date()


def _bump(deltas: Deltas, key: CounterKey, sign: int, **values: Any) -> None:
    slot = deltas.setdefault(key, {})
    for name, value in values.items():
        slot[name] = slot.get(name, 0) + sign * value


def count_activity(
    deltas: Deltas, tz: ZoneInfo, sign: int, team_id: int, when: datetime, kind: str,
    member_id: int | None, channel_id: int | None, partner_id: int | None,
) -> None:  # fmt: skip
    key = (team_id, local_day(when, tz), channel_id or 0, partner_id or 0, member_id or 0)
    _bump(deltas, key, sign, activities=1, visits=int(kind == ActivityKind.VISIT))


def count_deal(
    deltas: Deltas, team: tuple[ZoneInfo, str], sign: int, team_id: int, closed: datetime | None,
    status: str, owner_id: int | None, amount: Decimal | None, currency: str, created: datetime,
    channel_id: int | None, partner_id: int | None,
) -> None:  # fmt: skip
    if closed is None or status not in (DealStatus.WON, DealStatus.LOST):
        return
    tz, team_currency = team
    key = (team_id, local_day(closed, tz), channel_id or 0, partner_id or 0, owner_id or 0)
    if status == DealStatus.LOST:
        _bump(deltas, key, sign, losses=1)
        return
    revenue = Decimal(amount or 0) if currency == team_currency else Decimal(0)
    secs = (closed - created).total_seconds()
    _bump(deltas, key, sign, wins=1, revenue=revenue, close_secs=secs)


def count_lead(
    deltas: Deltas, tz: ZoneInfo, sign: int, team_id: int, created: datetime,
    created_by: int | None, channel_id: int | None, partner_id: int | None, won: bool,
) -> None:  # fmt: skip
    key = (team_id, local_day(created, tz), channel_id or 0, partner_id or 0, created_by or 0)
    _bump(deltas, key, sign, leads=1, won_leads=int(won))


def count_facts(
    deltas: Deltas, zones: Any, sign: int, *, activities: Iterable[Any] = (),
    deals: Iterable[Any] = (), leads: Iterable[Any] = (),
    dims: tuple[int | None, int | None] | None = None,
) -> None:  # fmt: skip
    """Count rows of the fact queries; `dims` overrides their channel and partner."""
    for team_id, when, kind, member_id, channel_id, partner_id in activities:
        channel_id, partner_id = dims or (channel_id, partner_id)
        count_activity(
            deltas, zones[team_id][0], sign, team_id, when, kind, member_id, channel_id, partner_id
        )
    for team_id, closed, status, owner, amount, currency, created, channel, partner in deals:
        channel, partner = dims or (channel, partner)
        count_deal(
            deltas, zones[team_id], sign, team_id, closed, status, owner, amount, currency,
            created, channel, partner,
        )  # fmt: skip
    for team_id, created, created_by, channel_id, partner_id, won in leads:
        channel_id, partner_id = dims or (channel_id, partner_id)
        count_lead(
            deltas, zones[team_id][0], sign, team_id, created, created_by, channel_id, partner_id,
            bool(won),
        )  # fmt: skip


# -- the flush hook --------------------------------------------------------------------------


def _before(session: Session, obj: Any, names: Iterable[str]) -> dict[str, Any] | None:
    """The values the database holds for a row about to be flushed (None: not stored yet)."""
    state = inspect(obj)
    if state.key is None:
        return None
    names = tuple(names)
    values: dict[str, Any] = {}
    for name in names:
        if name in state.committed_state:
            values[name] = state.committed_state[name]
        elif name in state.dict:
            values[name] = state.dict[name]
        else:
            values[name] = NO_VALUE
    if any(v is NO_VALUE for v in values.values()):  # changed before it was loaded
        row = queries.stored_row(session.connection(), type(obj), obj.id, names)
        return None if row is None else dict(zip(names, row, strict=True))
    return values


def _changed(obj: Any, names: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _after(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


class Flush:
    """The deltas one flush makes."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.zones = Zones(session)
        self.deltas: Deltas = {}
        self.gone = {c.id for c in session.deleted if isinstance(c, Customer)}

    def dims(self, customer_id: int | None) -> tuple[int | None, int | None]:
        """A customer's channel and partner as they will be after the flush."""
        if customer_id is None:
            return None, None
        customer = self.session.get(Customer, customer_id)
        return (customer.channel_id, customer.partner_id) if customer else (None, None)

    def activity(self, values: dict[str, Any] | None, sign: int) -> None:
        if values is None or values["customer_id"] in self.gone:
            return
        team_id = values["team_id"]
        count_activity(
            self.deltas, self.zones[team_id][0], sign, team_id, values["occurred_at"],
            values["kind"], values["member_id"], *self.dims(values["customer_id"]),
        )  # fmt: skip

    def deal(self, values: dict[str, Any] | None, sign: int) -> None:
        if values is None or values["customer_id"] in self.gone:
            return
        team_id = values["team_id"]
        count_deal(
            self.deltas, self.zones[team_id], sign, team_id, values["closed_at"],
            values["status"], values["owner_id"], values["amount"], values["currency"],
            values["created_at"], *self.dims(values["customer_id"]),
        )  # fmt: skip

    def lead(self, values: dict[str, Any] | None, won: bool, sign: int) -> None:
        if values is None:
            return
        team_id = values["team_id"]
        count_lead(
            self.deltas, self.zones[team_id][0], sign, team_id, values["created_at"],
            values["created_by"], values["channel_id"], values["partner_id"], won,
        )  # fmt: skip


def _flush_deltas(session: Session) -> Deltas:
    flush = Flush(session)
    connection = session.connection()
    rows = [*session.new, *session.dirty, *session.deleted]
    deals = [o for o in rows if isinstance(o, Deal)]
    customers = [o for o in rows if isinstance(o, Customer)]

    # Customers that change channel or partner take their stored activities and deals along.
    for customer in customers:
        if customer in session.new or customer in session.deleted or not _changed(customer, DIMS):
            continue
        old = _before(session, customer, DIMS)
        new = (customer.channel_id, customer.partner_id)
        if old is None or (old["channel_id"], old["partner_id"]) == new:
            continue
        if _fresh_and_bare(session, customer.id):
            continue  # added in this transaction and nothing of it stored yet: nothing to move
        ids = [customer.id]
        acts = list(queries.activity_facts(connection, queries.of_customers(Activity, ids)))
        closed = list(queries.deal_facts(connection, queries.of_customers(Deal, ids)))
        count_facts(flush.deltas, flush.zones, -1, activities=acts, deals=closed)
        count_facts(flush.deltas, flush.zones, 1, activities=acts, deals=closed, dims=new)
    # Deleted customers take their stored activities and deals (the database cascades them).
    gone = [c.id for c in customers if c in session.deleted]
    if gone:
        count_facts(
            flush.deltas, flush.zones, -1,
            activities=queries.activity_facts(connection, queries.of_customers(Activity, gone)),
            deals=queries.deal_facts(connection, queries.of_customers(Deal, gone)),
        )  # fmt: skip

    for obj in rows:
        if isinstance(obj, Activity):
            _row(session, flush.activity, obj, ACTIVITY_COLUMNS)
        elif isinstance(obj, Deal):
            _row(session, flush.deal, obj, DEAL_COLUMNS)

    # Leads: a customer added, deleted or re-dated, or whose deals change whether it is won.
    touched = {
        id(c): c
        for c in customers
        if c in session.new or c in session.deleted or _changed(c, LEAD_COLUMNS)
    }
    winning = [
        d for d in deals
        if d in session.new or d in session.deleted or _changed(d, ("status", "customer_id"))
    ]  # fmt: skip
    for deal in winning:
        before = _before(session, deal, ("customer_id",))
        for customer_id in {deal.customer_id, before["customer_id"] if before else None}:
            found = session.get(Customer, customer_id) if customer_id else None
            if found is not None:
                touched.setdefault(id(found), found)
    stored = [
        c.id
        for c in touched.values()
        if c not in session.new and not _fresh_and_bare(session, c.id)
    ]
    stored_won = queries.won_deal_ids(connection, stored) if stored else {}
    for customer in touched.values():
        won = stored_won.get(customer.id, set())
        if customer not in session.new:
            flush.lead(_before(session, customer, LEAD_COLUMNS), bool(won), -1)
        if customer not in session.deleted:
            after = _won_after(session, customer.id, won, winning)
            flush.lead(_after(customer, LEAD_COLUMNS), after, 1)
    return flush.deltas


def _row(session: Session, count: Any, obj: Any, columns: tuple[str, ...]) -> None:
    if obj in session.new:
        count(_after(obj, columns), 1)
    elif obj in session.deleted:
        count(_before(session, obj, columns), -1)
    elif _changed(obj, columns):
        count(_before(session, obj, columns), -1)
        count(_after(obj, columns), 1)


def _won_after(session: Session, customer_id: int, stored: set[int], changed: list[Deal]) -> bool:
    won = set(stored)
    for deal in changed:
        won.discard(deal.id)
        alive = deal not in session.deleted
        if alive and deal.customer_id == customer_id and deal.status == DealStatus.WON:
            won.add(deal.id if deal.id is not None else -id(deal))
    return bool(won)


def _teams_to_recount(session: Session) -> list[int]:
    return [
        team.id for team in session.dirty if isinstance(team, Team) and _changed(team, TEAM_COLUMNS)
    ]


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    recount = _teams_to_recount(session)
    if recount:
        session.info.setdefault("stat_counter_recount", set()).update(recount)
    counted = (Activity, Deal, Customer)
    if not any(isinstance(o, counted) for o in (*session.new, *session.dirty, *session.deleted)):
        return
    deltas = _flush_deltas(session)
    pending: Deltas = session.info.setdefault(PENDING, {})
    for key, values in deltas.items():
        _bump(pending, key, 1, **values)


def _fresh_and_bare(session: Session, customer_id: int) -> bool:
    """Whether a customer was added in this transaction and no activity or deal of it stored."""
    return session.info.get(FRESH, {}).get(customer_id) is False


@event.listens_for(Session, "after_flush")
def _remember_fresh(session: Session, _context: Any) -> None:
    fresh: dict[int, bool] = session.info.setdefault(FRESH, {})
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Customer) and obj in session.new:
            fresh.setdefault(obj.id, False)
        elif isinstance(obj, (Activity, Deal)) and obj.customer_id in fresh:
            fresh[obj.customer_id] = True


@event.listens_for(Session, "after_flush_postexec")
def _after_flush(session: Session, _context: Any) -> None:
    for team_id in session.info.pop("stat_counter_recount", ()):
        recount_team(session, team_id)


def settle(session: Session) -> None:
    """Write the session's pending deltas (before the transaction commits or a report reads)."""
    session.flush()
    pending: Deltas = session.info.pop(PENDING, {})
    if pending:
        queries.add(session.connection(), pending)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    settle(session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(FRESH, None)
    session.info.pop("stat_counter_recount", None)


def recount_team(session: Session, team_id: int) -> None:
    """Count a team's counters again from its rows (a new zone or currency)."""
    pending: Deltas = session.info.get(PENDING, {})
    for key in [k for k in pending if k[0] == team_id]:
        del pending[key]
    recount(session.connection(), team_id, Zones(session))


def count_customers(session: Session, customer_ids: list[int], sign: int = 1) -> None:
    """Count customers and their rows in (1) or out (-1), for writes unseen by the flushes.

    An import counts in what its bulk inserts wrote; a move to another team counts its
    customer out before and in after.
    """
    connection, pending = session.connection(), session.info.setdefault(PENDING, {})
    for start in range(0, len(customer_ids), CHUNK):
        ids = customer_ids[start : start + CHUNK]
        count_facts(
            pending, Zones(session), sign,
            activities=queries.activity_facts(connection, queries.of_customers(Activity, ids)),
            deals=queries.deal_facts(connection, queries.of_customers(Deal, ids)),
            leads=queries.lead_facts(connection, queries.of_customers(Customer, ids)),
        )  # fmt: skip


def recount(connection: Connection, team_id: int, zones: Any) -> None:
    """Replace a team's counters by a count of its rows; `zones` maps team id to (zone, currency).

    Writes that bypass the ORM (the benchmark generator's bulk inserts) call this after them.
    """
    queries.clear(connection, team_id)
    deltas: Deltas = {}
    count_facts(
        deltas, zones, 1,
        activities=queries.activity_facts(connection, queries.of_team(Activity, team_id)),
        deals=queries.deal_facts(connection, queries.of_team(Deal, team_id)),
        leads=queries.lead_facts(connection, queries.of_team(Customer, team_id)),
    )  # fmt: skip
    queries.add(connection, deltas)

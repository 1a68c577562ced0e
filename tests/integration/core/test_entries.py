"""Logging entries against a real database: dedupe, ownership, deals, undo, the pool."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from bot.clock import ManualClock
from bot.parsing import Intent, ParsedEntry
from bot.services import customers, entries, ownership
from bot.services.entries import LoggedEntry, NeedsChoice, Source
from bot.services.errors import CrmError, NotActivated
from bot.services.teams import Actor
from models.db import Database
from models.tables import (
    Activity,
    AuditLog,
    Customer,
    Deal,
    DealStatus,
    Role,
    Task,
    TaskStatus,
)
from tests.integration.core.factories import make_actor, parsed
from tests.support.database import on_postgres
from tests.support.race import race

SRC = Source(chat_id=-100, message_id=1, text="text")


def test_first_rep_registers_and_owns_the_customer(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        out = entries.log_entry(
            session=s,
            actor=alice,
            parsed=parsed(Intent.LEAD, "Acme Trading", amount="50000"),
            source=SRC,
            now=now,
        )
        assert isinstance(out, LoggedEntry)
        assert out.customer_created and out.owner is not None and out.owner.id == alice.member.id
        assert out.customer.protected_until == now + timedelta(days=90)
        assert out.deal is not None and out.deal.amount == Decimal("50000")


def test_same_customer_by_another_rep_is_a_conflict_not_a_transfer(
    db: Database, clock: ManualClock
) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        bob = make_actor(s, now=now, user_id=2, username="bob")
        entries.log_entry(
            session=s, actor=alice, parsed=parsed(Intent.LEAD, "Acme"), source=SRC, now=now
        )
        out = entries.log_entry(
            session=s, actor=bob, parsed=parsed(Intent.VISIT, "ACME"), source=SRC, now=now
        )
        assert isinstance(out, LoggedEntry)
        assert out.conflict and not out.customer_created
        assert out.owner is not None and out.owner.username == "alice"
        assert out.customer.stage == "lead"  # the owner's record: not moved by someone else
        actions = s.exec(select(AuditLog.action)).all()
        assert "conflict" in actions and actions.count("register") == 1


@pytest.mark.parametrize("intent", [Intent.VISIT, Intent.WON, Intent.LOST])
def test_another_reps_amount_and_close_are_kept_as_a_proposal(
    db: Database, clock: ManualClock, intent: Intent
) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        bob = make_actor(s, now=now, user_id=2, username="bob")
        entries.log_entry(
            session=s,
            actor=alice,
            parsed=parsed(
                Intent.LEAD, "Acme", amount="50000", channel="distributor", partner="Huatai"
            ),
            source=SRC,
            now=now,
        )
        out = entries.log_entry(
            session=s,
            actor=bob,
            parsed=parsed(intent, "Acme", amount="80000", channel="agent", partner="Other"),
            source=SRC,
            now=now,
        )
        assert isinstance(out, LoggedEntry) and out.conflict and out.proposal
        deal = s.exec(select(Deal)).one()
        assert (deal.amount, deal.status, deal.stage) == (Decimal("50000"), DealStatus.OPEN, "lead")
        assert (out.customer.stage, out.customer.lost_reason) == ("lead", None)
        assert out.partner is not None and out.partner.name == "Huatai"
        assert (out.entry.proposed_amount, out.entry.proposed_currency) == (Decimal("80000"), "CNY")
        closing = intent if intent in (Intent.WON, Intent.LOST) else None
        assert out.entry.proposed_stage == (closing.value if closing else None)
        assert s.exec(select(Activity).where(Activity.member_id == bob.member.id)).one()


def test_similar_name_asks_instead_of_creating_a_duplicate(
    db: Database, clock: ManualClock
) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        entries.log_entry(
            session=s, actor=alice, parsed=parsed(Intent.LEAD, "华为技术"), source=SRC, now=now
        )
        out = entries.log_entry(
            session=s, actor=alice, parsed=parsed(Intent.LEAD, "华为"), source=SRC, now=now
        )
        assert isinstance(out, NeedsChoice)
        assert [c.name for c in out.candidates] == ["华为技术"]
        forced = entries.log_entry(
            session=s,
            actor=alice,
            parsed=parsed(Intent.LEAD, "华为"),
            source=SRC,
            now=now,
            force_new=True,
        )
        assert isinstance(forced, LoggedEntry) and forced.customer_created
        assert len(s.exec(select(Customer)).all()) == 2


def test_normalized_names_are_the_same_customer(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        entries.log_entry(
            session=s,
            actor=alice,
            parsed=parsed(Intent.LEAD, "Acme Trading Co., Ltd."),
            source=SRC,
            now=now,
        )
        out = entries.log_entry(
            session=s, actor=alice, parsed=parsed(Intent.VISIT, "acme trading"), source=SRC, now=now
        )
        assert isinstance(out, LoggedEntry) and not out.customer_created


def test_won_and_lost_close_the_deal(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        entries.log_entry(
            session=s,
            actor=alice,
            parsed=parsed(Intent.LEAD, "Acme", amount="50000"),
            source=SRC,
            now=now,
        )
        out = entries.log_entry(
            session=s,
            actor=alice,
            parsed=parsed(Intent.WON, "Acme", amount="48000"),
            source=SRC,
            now=now,
        )
        assert isinstance(out, LoggedEntry) and out.deal is not None
        assert out.deal.status == DealStatus.WON and out.deal.amount == Decimal("48000")
        assert out.customer.stage == "won"
        assert len(s.exec(select(Deal)).all()) == 1
        lost = entries.log_entry(
            session=s,
            actor=alice,
            parsed=parsed(Intent.LOST, "Beta", note="price"),
            source=SRC,
            now=now,
        )
        assert isinstance(lost, LoggedEntry) and lost.deal is not None
        assert lost.deal.status == DealStatus.LOST and lost.customer.lost_reason == "price"


def test_channel_and_partner_attribution(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        out = entries.log_entry(
            session=s,
            actor=alice,
            parsed=parsed(Intent.LEAD, "Acme", channel="distributor", partner="Huatai"),
            source=SRC,
            now=now,
        )
        assert isinstance(out, LoggedEntry)
        assert out.channel is not None and out.channel.kind == "distributor"
        assert out.partner is not None and out.partner.name == "Huatai"
        assert out.partner.channel_id == out.channel.id
        # Later entries without attribution keep the customer's.
        again = entries.log_entry(
            session=s, actor=alice, parsed=parsed(Intent.VISIT, "Acme"), source=SRC, now=now
        )
        assert isinstance(again, LoggedEntry) and again.partner is not None


def test_undo_removes_what_the_entry_created(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        entries.log_entry(
            session=s,
            actor=alice,
            parsed=parsed(Intent.FOLLOWUP, "Acme", due=now + timedelta(days=1)),
            source=SRC,
            now=now,
        )
        entries.undo_last(session=s, actor=alice, now=now)
        assert s.exec(select(Customer)).all() == []
        assert s.exec(select(Task)).all() == [] and s.exec(select(Activity)).all() == []
        with pytest.raises(CrmError):
            entries.undo_last(session=s, actor=alice, now=now)


def _log(s: Session, actor: Actor, entry: ParsedEntry, now: datetime) -> LoggedEntry:
    out = entries.log_entry(session=s, actor=actor, parsed=entry, source=SRC, now=now)
    assert isinstance(out, LoggedEntry)
    return out


def test_a_loss_cancels_the_open_follow_ups_and_undo_puts_everything_back(
    db: Database, clock: ManualClock
) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        _log(s, alice, parsed(Intent.LEAD, "Acme", amount="50000"), now)
        follow = _log(s, alice, parsed(Intent.FOLLOWUP, "Acme", due=now + timedelta(days=2)), now)
        _log(s, alice, parsed(Intent.VISIT, "Acme"), now)
        # Lost, with a win-back call in three months: that one is the message's own, and stays.
        lost = _log(
            s, alice, parsed(Intent.LOST, "Acme", note="price", due=now + timedelta(days=90)), now
        )
        assert lost.cancelled_tasks == 1 and lost.task is not None
        assert follow.task is not None
        s.refresh(follow.task)
        assert follow.task.status == TaskStatus.CANCELLED
        assert lost.deal is not None and lost.deal.status == DealStatus.LOST
        entries.undo_last(session=s, actor=alice, now=now)
        s.flush()
        customer = s.exec(select(Customer)).one()
        assert (customer.stage, customer.lost_reason) == ("visited", None)
        deal = s.exec(select(Deal)).one()
        assert (deal.status, deal.closed_at, deal.amount) == (DealStatus.OPEN, None, 50000)
        tasks = s.exec(select(Task)).all()
        assert [(t.id, t.status, t.done_at) for t in tasks] == [
            (follow.task.id, TaskStatus.OPEN, None)
        ]


def test_taking_back_an_older_entry_keeps_what_a_later_one_set(
    db: Database, clock: ManualClock
) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        _log(s, alice, parsed(Intent.LEAD, "Acme", amount="50000"), now)
        lost = _log(s, alice, parsed(Intent.LOST, "Acme", note="price"), now)
        _log(s, alice, parsed(Intent.WON, "Acme", amount="60000"), now)  # won after all
        entries.undo_entry(session=s, actor=alice, entry=lost.entry, now=now)
        s.flush()
        customer = s.exec(select(Customer)).one()
        assert customer.stage == "won"  # the later win stands
        won = s.exec(select(Deal).where(Deal.status == DealStatus.WON)).all()
        assert [d.amount for d in won] == [60000]


def test_a_re_priced_deal_gets_its_amount_back_on_undo(db: Database, clock: ManualClock) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        _log(s, alice, parsed(Intent.LEAD, "Acme", amount="50000"), now)
        _log(s, alice, parsed(Intent.NOTE, "Acme", amount="65000.50"), now)
        entries.undo_last(session=s, actor=alice, now=now)
        s.flush()
        assert s.exec(select(Deal)).one().amount == Decimal("50000")


def test_a_manager_may_undo_a_reps_entry_and_another_rep_may_not(
    db: Database, clock: ManualClock
) -> None:
    now = clock()
    with db.session() as s:
        alice = make_actor(s, now=now)
        bob = make_actor(s, now=now, user_id=2, username="bob")
        boss = make_actor(s, now=now, user_id=3, username="maria", role=Role.MANAGER)
        out = entries.log_entry(
            session=s, actor=alice, parsed=parsed(Intent.LEAD, "Acme"), source=SRC, now=now
        )
        assert isinstance(out, LoggedEntry)
        with pytest.raises(CrmError):
            entries.undo_entry(session=s, actor=bob, entry=out.entry, now=now)
        entries.undo_entry(session=s, actor=boss, entry=out.entry, now=now)
        assert out.entry.undone_at == now
        assert s.exec(select(Customer)).all() == []


def test_inactive_team_cannot_log(db: Database, clock: ManualClock) -> None:
    with db.session() as s:
        actor = make_actor(s, now=clock(), active=False)
        with pytest.raises(NotActivated):
            entries.log_entry(
                session=s, actor=actor, parsed=parsed(Intent.LEAD, "Acme"), source=SRC, now=clock()
            )


def test_silent_customers_return_to_the_pool_when_protection_ends_and_can_be_claimed(
    db: Database, clock: ManualClock
) -> None:
    """报备 protects for 90 days however silent; after it, 30 days of silence send it back."""
    start = clock()
    day = timedelta(days=1)
    with db.session() as s:
        alice = make_actor(s, now=start)
        bob = make_actor(s, now=start, user_id=2, username="bob")
        for intent, name in ((Intent.LEAD, "Quiet Co"), (Intent.WON, "Won Co")):
            entries.log_entry(
                session=s, actor=alice, parsed=parsed(intent, name), source=SRC, now=start
            )
        entries.log_entry(
            session=s, actor=alice, parsed=parsed(Intent.LEAD, "Busy Co"), source=SRC, now=start
        )
        entries.log_entry(  # a visit on day 80: silent for 10 days when protection ends
            session=s,
            actor=alice,
            parsed=parsed(Intent.VISIT, "Busy Co"),
            source=SRC,
            now=start + 80 * day,
        )
        # Silent for 31 days, but protected until day 90
        assert ownership.return_silent_to_pool(session=s, now=start + 31 * day) == []
        assert ownership.return_silent_to_pool(session=s, now=start + 89 * day) == []
        pooled = ownership.return_silent_to_pool(session=s, now=start + 90 * day)
        assert [c.name for p in pooled for c in p.customers] == ["Quiet Co"]
        # Running again changes nothing: it is already in the pool.
        assert ownership.return_silent_to_pool(session=s, now=start + 91 * day) == []
        # Busy Co goes 30 days after its last visit
        assert ownership.return_silent_to_pool(session=s, now=start + 109 * day) == []
        pooled = ownership.return_silent_to_pool(session=s, now=start + 111 * day)
        assert [c.name for p in pooled for c in p.customers] == ["Busy Co"]
        claimed = ownership.claim(session=s, actor=bob, name="quiet co", now=start + 112 * day)
        assert claimed.owner_id == bob.member.id
        with pytest.raises(CrmError) as info:
            ownership.claim(session=s, actor=alice, name="Quiet Co", now=start + 112 * day)
        assert info.value.key == "claim.owned"
        assert {"pool", "claim"} <= set(s.exec(select(AuditLog.action)).all())


@pytest.mark.skipif(not on_postgres(), reason="concurrent writers need PostgreSQL")
def test_racing_processes_return_each_customer_to_the_pool_once(
    database_url: str, clock: ManualClock
) -> None:
    start = clock()
    with Database(database_url).session() as s:
        alice = make_actor(s, now=start)
        for n in range(60):
            customers.create(session=s, actor=alice, name=f"Quiet {n}", now=start)
    later = start + timedelta(days=91)
    returned: list[list[str]] = [[] for _ in range(4)]

    def process(db: Database, index: int) -> None:
        while True:
            with db.session() as s:
                pooled = ownership.return_silent_to_pool(session=s, now=later, limit=7)
                names = [c.name for p in pooled for c in p.customers]
            if not names:
                return
            returned[index].extend(names)

    race(database_url, process, processes=4)
    every = [name for names in returned for name in names]
    assert len(every) == 60 and len(set(every)) == 60
    db = Database(database_url)
    try:
        with db.session() as s:
            audited = s.exec(select(AuditLog.action).where(AuditLog.action == "pool")).all()
            assert len(audited) == 60
    finally:
        db.dispose()

"""Import against the database: preview, confirm in one transaction, duplicates, permissions."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from bot import exchange
from bot.clock import ManualClock
from bot.exchange import importing
from bot.services import customers
from bot.services.errors import CrmError, NotManager
from models.db import Database
from models.tables import (
    Activity,
    AuditLog,
    Channel,
    Contact,
    Customer,
    Deal,
    Member,
    Partner,
    PendingChoice,
)
from tests.integration.exchange.conftest import Crew, actor

SHEET = (
    "客户名称,联系人,电话,渠道,经销商,负责人,阶段,金额,备注,最近跟进\n"
    "万科集团,王总,13800138000,经销,华泰,@alice,已报价,12万,重点客户,2026-11-03\n"
    "华为,李工,13900139000,代理,深圳代理,张伟,成交,50000,,2026-10-01\n"
    "小米,,,电商,,陌生人,,,,\n"
    "万科集团,重复,,,,,,,,\n"
    ",没有名字,,,,,,,,\n"
    "老客户,,,,,,,,,\n"
)


def preview(
    db: Database, clock: ManualClock, member_id: int, content: bytes, name: str = "old.csv"
) -> importing.ImportPreview:
    with db.session() as session:
        me = actor(session, member_id)
        parsed = exchange.read_import(name, content, exchange.import_rules(me, clock()))
        assert isinstance(parsed, exchange.ParsedImport)
        return exchange.prepare_import(
            session=session, actor=me, parsed=parsed, chat_id=me.team.chat_id, now=clock()
        )


def confirm(
    db: Database, clock: ManualClock, member_id: int, pending_id: int
) -> exchange.ImportResult:
    with db.session() as session:
        return exchange.confirm_import(
            session=session, actor=actor(session, member_id), pending_id=pending_id, now=clock()
        )


def add_customer(db: Database, clock: ManualClock, member_id: int, name: str) -> None:
    with db.session() as session:
        customers.create(session=session, actor=actor(session, member_id), name=name, now=clock())


def count(session: Session, table: type) -> int:
    return len(session.exec(select(table)).all())


def test_preview_then_confirm_creates_everything(
    db: Database, clock: ManualClock, crew: Crew
) -> None:
    add_customer(db, clock, crew.alice_id, "老客户")
    shown = preview(db, clock, crew.manager_id, SHEET.encode("gbk"))
    assert [r.name for r in shown.plan.new] == ["万科集团", "华为", "小米"]
    assert [(d.row, d.existing, d.first_row) for d in shown.duplicates] == [
        (5, None, 2),
        (7, "老客户", None),
    ]
    assert [(p.row, p.reason) for p in shown.parsed.invalid] == [(6, "no_name")]
    assert shown.plan.unknown_owners == {"陌生人": 1}
    assert shown.plan.new_partners == ["华泰", "深圳代理"]
    assert shown.pending_id is not None
    with db.session() as session:
        assert count(session, Partner) == 0  # nothing is saved before Confirm
        assert count(session, Customer) == 1

    clock.advance(timedelta(minutes=5))
    result = confirm(db, clock, crew.manager_id, shown.pending_id)
    assert (result.created, result.duplicates, result.invalid) == (3, 2, 1)
    assert (result.to_pool, result.partners_created) == (1, 2)

    with db.session() as session:
        rows = {c.name: c for c in session.exec(select(Customer))}
        vanke, huawei, xiaomi = rows["万科集团"], rows["华为"], rows["小米"]
        members: dict[int | None, Member] = {m.id: m for m in session.exec(select(Member))}
        channels: dict[int | None, Channel] = {c.id: c for c in session.exec(select(Channel))}
        partners = {p.name: p for p in session.exec(select(Partner))}
        assert members[vanke.owner_id].username == "alice"
        assert members[huawei.owner_id].full_name == "张伟"
        # An unknown owner: the shared pool, unregistered, not the importing manager
        assert (xiaomi.owner_id, xiaomi.registered_at, xiaomi.protected_until) == (None, None, None)
        assert xiaomi.pooled_at is None  # it never left an owner: not "back in the pool"
        assert channels[vanke.channel_id].kind == "distributor"
        assert channels[huawei.channel_id].kind == "agent"
        assert channels[xiaomi.channel_id].kind == "ecommerce"
        assert vanke.partner_id == partners["华泰"].id
        assert partners["华泰"].channel_id == vanke.channel_id
        assert (vanke.stage, huawei.stage, xiaomi.stage) == ("quoted", "won", "lead")
        assert vanke.created_by == crew.manager_id
        assert vanke.registered_at == clock() and vanke.last_activity_at == clock()
        assert vanke.protected_until == clock() + timedelta(days=90)
        contact = session.exec(select(Contact).where(Contact.customer_id == vanke.id)).one()
        assert (contact.name, contact.phone) == ("王总", "13800138000")
        deals: dict[int | None, Deal] = {d.customer_id: d for d in session.exec(select(Deal))}
        assert deals[vanke.id].amount == Decimal("120000.00")
        assert deals[vanke.id].status == "open"
        assert deals[huawei.id].status == "won" and deals[huawei.id].closed_at is not None
        assert xiaomi.id not in deals
        note = session.exec(select(Activity).where(Activity.customer_id == vanke.id)).one()
        assert note.text == "重点客户" and note.occurred_at.date().isoformat() == "2026-11-03"
        actions = [(a.action, a.entity) for a in session.exec(select(AuditLog))]
        assert actions.count(("import", "customer")) == 3
        assert actions.count(("import", "partner")) == 2
        assert actions.count(("import", "team")) == 1
        pending = session.get(PendingChoice, shown.pending_id)
        assert pending is not None and pending.resolved_at == clock()


def test_a_failure_in_the_middle_leaves_nothing(
    db: Database, clock: ManualClock, crew: Crew, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = preview(db, clock, crew.manager_id, SHEET.encode())
    assert shown.pending_id is not None
    real_table = importing.table_of

    def fail_at_the_deals(model: type) -> object:
        if model is Deal:  # customers and partners are inserted by now
            raise RuntimeError("disk full")
        return real_table(model)

    monkeypatch.setattr(importing, "table_of", fail_at_the_deals)
    with pytest.raises(RuntimeError):
        confirm(db, clock, crew.manager_id, shown.pending_id)
    with db.session() as session:
        assert count(session, Customer) == 0
        assert count(session, Partner) == 0
        assert count(session, Contact) == 0
        assert count(session, Deal) == 0
        assert session.exec(select(AuditLog).where(AuditLog.action == "import")).all() == []
        pending = session.get(PendingChoice, shown.pending_id)
        assert pending is not None and pending.resolved_at is None

    monkeypatch.setattr(importing, "table_of", real_table)
    result = confirm(db, clock, crew.manager_id, shown.pending_id)  # still waiting: works now
    assert result.created == 4


def test_customers_added_after_the_preview_are_not_created_twice(
    db: Database, clock: ManualClock, crew: Crew
) -> None:
    shown = preview(db, clock, crew.manager_id, SHEET.encode())
    assert shown.pending_id is not None
    add_customer(db, clock, crew.alice_id, "华为")
    result = confirm(db, clock, crew.manager_id, shown.pending_id)
    assert (result.created, result.duplicates) == (3, 2)
    with db.session() as session:
        names = session.exec(select(Customer.name).order_by(col(Customer.id))).all()
        assert names == ["华为", "万科集团", "小米", "老客户"]


def test_reps_may_not_import(db: Database, clock: ManualClock, crew: Crew) -> None:
    with pytest.raises(NotManager):
        preview(db, clock, crew.alice_id, SHEET.encode())
    shown = preview(db, clock, crew.manager_id, SHEET.encode())
    assert shown.pending_id is not None
    with pytest.raises(NotManager):
        confirm(db, clock, crew.alice_id, shown.pending_id)


def test_another_manager_may_confirm(db: Database, clock: ManualClock, crew: Crew) -> None:
    shown = preview(db, clock, crew.manager_id, SHEET.encode())
    assert shown.pending_id is not None
    with db.session() as session:
        bob = session.get(Member, crew.bob_id)
        assert bob is not None
        bob.role = "manager"
    result = confirm(db, clock, crew.bob_id, shown.pending_id)
    assert result.created == 4
    with pytest.raises(CrmError) as info:
        confirm(db, clock, crew.manager_id, shown.pending_id)
    assert info.value.key == "import.gone"


def test_cancel_and_expiry(db: Database, clock: ManualClock, crew: Crew) -> None:
    first = preview(db, clock, crew.manager_id, SHEET.encode())
    assert first.pending_id is not None
    with db.session() as session:
        name = exchange.cancel_import(
            session=session,
            actor=actor(session, crew.manager_id),
            pending_id=first.pending_id,
            now=clock(),
        )
    assert name == "old.csv"
    with pytest.raises(CrmError):
        confirm(db, clock, crew.manager_id, first.pending_id)
    second = preview(db, clock, crew.manager_id, SHEET.encode())
    assert second.pending_id is not None
    clock.advance(timedelta(hours=25))
    with pytest.raises(CrmError) as info:
        confirm(db, clock, crew.manager_id, second.pending_id)
    assert info.value.key == "import.gone"
    with db.session() as session:
        assert count(session, Customer) == 0


def test_nothing_new_saves_no_pending_import(db: Database, clock: ManualClock, crew: Crew) -> None:
    add_customer(db, clock, crew.alice_id, "Acme")
    shown = preview(db, clock, crew.manager_id, b"Customer\nAcme\nACME Ltd\n")
    assert shown.plan.new == [] and shown.pending_id is None
    with db.session() as session:
        assert count(session, PendingChoice) == 0


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"Phone,Email\n138,a@b.c\n", "import.error.no_name_column"),
        (b"Customer\n", "import.error.no_rows"),
        (b"\x00\x01binary\xff", "import.error.encoding"),
    ],
)
def test_unreadable_files(
    db: Database, clock: ManualClock, crew: Crew, content: bytes, key: str
) -> None:
    with pytest.raises(CrmError) as info:
        preview(db, clock, crew.manager_id, content)
    assert info.value.key == key


def test_partner_column_named_by_kind_puts_partners_in_that_channel(
    db: Database, clock: ManualClock, crew: Crew
) -> None:
    shown = preview(db, clock, crew.manager_id, "客户,代理商\n万科,深圳代理\n".encode())
    assert shown.pending_id is not None
    confirm(db, clock, crew.manager_id, shown.pending_id)
    with db.session() as session:
        customer = session.exec(select(Customer)).one()
        channel = session.get(Channel, customer.channel_id)
        assert channel is not None and channel.kind == "agent"


def import_twenty_thousand_rows(
    db: Database, clock: ManualClock, crew: Crew
) -> importing.ImportResult:
    lines = ["客户名称,联系人,电话,负责人,金额,备注"]
    lines += [f"客户{i},联系人{i},138{i:08d},@alice,{i},备注{i}" for i in range(20_000)]
    shown = preview(db, clock, crew.manager_id, "\n".join(lines).encode())
    assert shown.pending_id is not None and len(shown.plan.new) == 20_000
    return confirm(db, clock, crew.manager_id, shown.pending_id)


def test_twenty_thousand_rows_import_in_one_go(
    db: Database, clock: ManualClock, crew: Crew
) -> None:
    result = import_twenty_thousand_rows(db, clock, crew)
    assert result.created == 20_000
    with db.session() as session:
        assert count(session, Customer) == 20_000


@pytest.mark.timing
def test_twenty_thousand_rows_import_within_a_minute(
    db: Database, clock: ManualClock, crew: Crew
) -> None:
    start = time.perf_counter()
    import_twenty_thousand_rows(db, clock, crew)
    elapsed = time.perf_counter() - start
    assert elapsed < 60, elapsed


def test_an_import_is_counted_in_the_report_counters(
    db: Database, clock: ManualClock, crew: Crew
) -> None:
    from models.queries.stats import metric_counts
    from tests.integration.reports.test_counters import DIMS, from_rows, normal, team_counters

    shown = preview(db, clock, crew.manager_id, SHEET.encode("gbk"))
    assert shown.pending_id is not None
    confirm(db, clock, crew.manager_id, shown.pending_id)
    with db.session() as session:
        team_id = actor(session, crew.manager_id).team.id
        edges = [clock() - timedelta(days=120), clock() + timedelta(days=2)]
        for dim in DIMS:
            got = metric_counts(
                session=session, team_ids=[team_id], edges=edges, dim=dim, now=clock(),
                metrics=("leads", "activities", "deals"),
            )  # fmt: skip
            want = from_rows(session, team_id, edges, dim, None)
            assert normal(got) == normal(want) != {}
        stored, summed = team_counters(session, team_id)
        assert stored == summed != {}

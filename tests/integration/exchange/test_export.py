"""Export against the database: names not ids, periods, permissions, a 10k-customer team."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert
from sqlmodel import select

from bot import exchange
from bot.clock import ManualClock
from bot.services import customers
from bot.services.errors import NotManager, UsageError
from models.db import Database
from models.tables import Activity, Channel, Contact, Customer, Deal, Partner, Task
from tests.conftest import SHANGHAI
from tests.integration.exchange.conftest import Crew, actor, make_crew


def seed(db: Database, clock: ManualClock, crew: Crew) -> None:
    """Two customers of Alice: one from last month with a won deal, one new today."""
    old = clock() - timedelta(days=40)
    with db.session() as session:
        alice = actor(session, crew.alice_id)
        team_id = alice.team.id or 0
        channel = session.exec(
            select(Channel).where(Channel.team_id == team_id, Channel.kind == "distributor")
        ).one()
        partner = Partner(
            team_id=team_id,
            channel_id=channel.id,
            name="华泰",
            normalized_name="华泰",
            created_at=old,
        )
        session.add(partner)
        session.flush()
        vanke = customers.create(session=session, actor=alice, name="万科", now=old)
        vanke.channel_id, vanke.partner_id, vanke.stage = channel.id, partner.id, "won"
        evil = customers.create(session=session, actor=alice, name='=HYPERLINK("x")', now=clock())
        session.add(
            Contact(
                team_id=team_id,
                customer_id=vanke.id or 0,
                name="王总",
                phone="+86 138",
                created_at=old,
            )
        )
        session.add(
            Deal(
                team_id=team_id,
                customer_id=vanke.id or 0,
                owner_id=crew.alice_id,
                stage="won",
                status="won",
                amount=Decimal("120000.50"),
                currency="CNY",
                created_at=old,
                closed_at=old,
            )
        )
        session.add(
            Activity(
                team_id=team_id,
                customer_id=vanke.id,
                member_id=crew.alice_id,
                kind="visit",
                text="拜访",
                occurred_at=old,
            )
        )
        session.add(
            Activity(
                team_id=team_id,
                customer_id=evil.id,
                member_id=crew.alice_id,
                kind="lead",
                text="-1+1",
                occurred_at=clock(),
            )
        )
        session.add(
            Task(
                team_id=team_id,
                customer_id=evil.id,
                owner_id=crew.bob_id,
                title="报价",
                due_at=clock() + timedelta(days=1),
                created_at=clock(),
            )
        )


def export(
    db: Database, clock: ManualClock, member_id: int, period: str = ""
) -> exchange.ExportData:
    with db.session() as session:
        return exchange.collect_export(
            session=session, actor=actor(session, member_id), period_text=period, now=clock()
        )


def test_everything_with_names_owners_and_local_times(
    db: Database, clock: ManualClock, crew: Crew
) -> None:
    seed(db, clock, crew)
    data = export(db, clock, crew.manager_id)
    assert data.counts == {"customers": 2, "deals": 1, "activities": 2, "tasks": 1}
    customers_sheet, deals, activities, tasks = data.tables
    assert customers_sheet.headers[:5] == ["Customer", "Owner", "Channel", "Partner", "Stage"]
    vanke = customers_sheet.rows[0]
    assert vanke[0:7] == [
        "万科",
        "Alice Wong (@alice)",
        "Distributor",
        "华泰",
        "Paid (won)",
        "王总",
        "+86 138",
    ]
    assert deals.rows[0][0:6] == [
        "万科",
        "Alice Wong (@alice)",
        "Paid (won)",
        "Won",
        Decimal("120000.50"),
        "CNY",
    ]
    assert [row[3] for row in activities.rows] == ["Visit", "Lead"]
    assert tasks.rows[0][1:6] == [
        "报价",
        '=HYPERLINK("x")',
        "张伟",
        clock() + timedelta(days=1),
        "Open",
    ]

    files = exchange.render_export(data)
    assert [f.kind for f in files] == ["csv", "xlsx"]
    archive = zipfile.ZipFile(io.BytesIO(files[0].content))
    assert archive.namelist() == ["customers.csv", "deals.csv", "activities.csv", "tasks.csv"]
    rows = list(csv.reader(io.StringIO(archive.read("customers.csv").decode("utf-8-sig"))))
    assert rows[2][0] == '\'=HYPERLINK("x")'
    assert rows[1][5:8] == [
        "王总",
        "'+86 138",
        (clock() - timedelta(days=40)).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
    ]
    workbook = load_workbook(io.BytesIO(files[1].content))
    assert workbook.sheetnames == ["Customers", "Deals", "Activities", "Tasks"]
    assert workbook["Deals"]["E2"].value == 120000.5
    assert workbook["Tasks"]["E2"].value == (clock() + timedelta(days=1)).astimezone(
        SHANGHAI
    ).replace(tzinfo=None)


def test_chinese_team_gets_chinese_headers_and_values(db: Database, clock: ManualClock) -> None:
    crew = make_crew(db, clock, chat_id=-2002, lang="zh")
    seed(db, clock, crew)
    data = export(db, clock, crew.manager_id)
    assert data.tables[0].headers[:2] == ["客户名称", "负责人"]
    assert data.tables[0].rows[0][2:5] == ["经销商", "华泰", "已回款（成交）"]
    assert data.tables[1].rows[0][3] == "赢单"
    assert [t.name for t in data.tables] == ["客户", "商机", "跟进记录", "任务"]


def test_period_limits_activities_deals_tasks_and_touched_customers(
    db: Database, clock: ManualClock, crew: Crew
) -> None:
    seed(db, clock, crew)
    this_month = export(db, clock, crew.manager_id, "month")
    assert this_month.counts == {"customers": 1, "deals": 0, "activities": 1, "tasks": 1}
    assert this_month.period is not None and this_month.period.first.isoformat() == "2026-11-01"
    last_month = export(db, clock, crew.manager_id, "上月")
    assert last_month.counts == {"customers": 1, "deals": 1, "activities": 1, "tasks": 0}


def test_reps_are_refused_and_bad_periods_get_usage(
    db: Database, clock: ManualClock, crew: Crew
) -> None:
    with pytest.raises(NotManager):
        export(db, clock, crew.alice_id)
    with pytest.raises(UsageError) as info:
        export(db, clock, crew.manager_id, "whenever")
    assert info.value.key == "usage.export"


@pytest.fixture
def ten_thousand_customers(db: Database, clock: ManualClock, crew: Crew) -> None:
    """Alice owns 10,000 customers, each with two visits."""
    now = clock()
    with db.session() as session:
        team_id = actor(session, crew.manager_id).team.id
        session.execute(
            insert(Customer.__table__),  # type: ignore[attr-defined]
            [
                {"team_id": team_id, "name": f"客户{i}", "normalized_name": f"客户{i}",
                 "owner_id": crew.alice_id, "stage": "lead", "created_at": now,
                 "last_activity_at": now}
                for i in range(10_000)
            ],
        )  # fmt: skip
        ids = session.exec(select(Customer.id)).all()
        session.execute(
            insert(Activity.__table__),  # type: ignore[attr-defined]
            [
                {"team_id": team_id, "customer_id": cid, "member_id": crew.alice_id,
                 "kind": "visit", "text": "拜访", "occurred_at": now - timedelta(hours=k)}
                for cid in ids for k in range(2)
            ],
        )  # fmt: skip


@pytest.mark.usefixtures("ten_thousand_customers")
def test_ten_thousand_customers_export(db: Database, clock: ManualClock, crew: Crew) -> None:
    data = export(db, clock, crew.manager_id)
    files = exchange.render_export(data)
    assert data.counts["customers"] == 10_000 and data.counts["activities"] == 20_000
    assert sum(len(f.content) for f in files) < 5_000_000


@pytest.mark.timing
@pytest.mark.usefixtures("ten_thousand_customers")
def test_ten_thousand_customers_export_within_twenty_seconds(
    db: Database, clock: ManualClock, crew: Crew
) -> None:
    start = time.perf_counter()
    exchange.render_export(export(db, clock, crew.manager_id))
    elapsed = time.perf_counter() - start
    assert elapsed < 20, elapsed


def test_export_is_audited(db: Database, clock: ManualClock, crew: Crew) -> None:
    from models.tables import AuditLog

    data = export(db, clock, crew.manager_id, "2026-11")
    with db.session() as session:
        exports = select(AuditLog).where(AuditLog.action == "export")
        assert session.exec(exports).first() is None  # reading writes nothing
        exchange.record_export(
            session=session,
            actor=actor(session, crew.manager_id),
            summary=data.summary,
            now=clock(),
        )
    with db.session() as session:
        entry = session.exec(exports).one()
        assert entry.detail["period"] == "2026-11-01..2026-11-30"
        assert entry.actor_user_id is not None
        assert entry.detail["customers"] == data.counts["customers"]

"""Every job a worker process runs pickles with real data, and does the same after the trip.

Jobs cross to the worker pickled: a closure, a lambda or an argument that does not pickle
would fail only there. These build each kind of job the handlers and jobs send, from the
database, and run the round-tripped copy; the last test runs them in a real worker.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import pytest

from bot import exchange
from bot.clock import ManualClock
from bot.reports.requests import parse_stats_args
from bot.services import digest, stats
from bot.services.teams import Actor
from bot.views import charts
from bot.views.files import CHART_NAME, Files, chart_photo
from bot.workers import Workers
from models.db import Database
from tests.integration.exchange.conftest import Crew, actor, make_crew
from tests.integration.exchange.test_export import export
from tests.integration.exchange.test_export import seed as seed_export
from tests.integration.exchange.test_import import SHEET
from tests.integration.reports.test_digest import MONDAY, weekly_fixture

T = TypeVar("T")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def crew(db: Database, clock: ManualClock) -> Crew:
    return make_crew(db, clock)


def round_trip(job: Callable[[], T]) -> Callable[[], T]:
    """Pickle and unpickle a job; its function and arguments must come back equal."""
    assert isinstance(job, partial)
    copy = pickle.loads(pickle.dumps(job))
    assert copy.func is job.func
    assert copy.args == job.args and copy.keywords == job.keywords
    return copy


def chart_jobs(db: Database) -> list[Files]:
    """/stats and /funnel charts, and a digest's trend chart, from the weekly fixture."""
    with db.session() as session:
        seed = weekly_fixture(session)
        alice = Actor(team=seed.team, member=seed.members["alice"])  # a rep: adds her own line
        report = stats.stats_for(
            session=session, actor=alice, request=parse_stats_args(["last", "week"]), now=MONDAY
        )
        funnel = stats.funnel(session=session, team=seed.team, lang="en")
        (weekly,) = digest.build_digests(session=session, teams=[seed.team], now=MONDAY)
    assert report.mine is not None and weekly.warnings and weekly.silent_partners
    return [
        chart_photo(charts.channel_chart, report, lang="en"),
        chart_photo(charts.funnel_chart, funnel, lang="zh"),
        chart_photo(charts.trend_chart, weekly),
    ]


def test_charts(db: Database) -> None:
    for job in chart_jobs(db):
        (photo,) = round_trip(job)()
        assert photo.photo and photo.filename == CHART_NAME and photo.content[:8] == PNG


def test_export_files(db: Database, clock: ManualClock, crew: Crew) -> None:
    seed_export(db, clock, crew)
    data = export(db, clock, crew.manager_id)
    job = partial(exchange.make_export, data)
    made, expected = round_trip(job)(), exchange.make_export(data)
    assert made.summary == expected.summary
    assert [f.filename for f in made.files] == [f.filename for f in expected.files]


def test_export_read_by_the_worker(db: Database, clock: ManualClock, crew: Crew) -> None:
    seed_export(db, clock, crew)
    with db.session() as session:
        manager = actor(session, crew.manager_id)
        request = exchange.export_request(actor=manager, period_text="", now=clock())
    job = partial(exchange.export_from_database, db.url, request)
    made, expected = round_trip(job)(), exchange.make_export(export(db, clock, crew.manager_id))
    assert made.summary == expected.summary
    assert [f.filename for f in made.files] == [f.filename for f in expected.files]


def test_digests_read_by_the_worker(db: Database) -> None:
    with db.session() as session:
        seed = weekly_fixture(session)
        (expected,) = digest.build_digests(session=session, teams=[seed.team], now=MONDAY)
    job = partial(digest.digests_from_database, db.url, [seed.team.id], MONDAY)
    (weekly,) = round_trip(job)()
    assert weekly == expected and weekly.warnings  # the same numbers, from its own snapshot


def test_import_parsing(db: Database, clock: ManualClock, crew: Crew) -> None:
    with db.session() as session:
        rules = exchange.import_rules(actor(session, crew.manager_id), clock())
    job = partial(exchange.read_import, "old.csv", SHEET.encode(), rules)
    parsed = round_trip(job)()
    assert isinstance(parsed, exchange.ParsedImport)
    assert parsed == job()
    assert [row.stage for row in parsed.rows][:2] == ["quoted", "won"]  # 已报价, 成交
    assert pickle.loads(pickle.dumps(parsed)) == parsed  # and the result comes back


async def test_in_a_worker_process(db: Database, clock: ManualClock, crew: Crew) -> None:
    seed_export(db, clock, crew)
    data = export(db, clock, crew.manager_id)
    workers = Workers(1)
    try:
        for job in chart_jobs(db):
            (photo,) = await workers.run(job)
            assert photo.content[:8] == PNG
        made = await workers.run(partial(exchange.make_export, data), long=True)
        assert [f.filename.rsplit(".", 1)[-1] for f in made.files] == ["zip", "xlsx"]
        with db.session() as session:
            manager = actor(session, crew.manager_id)
            request = exchange.export_request(actor=manager, period_text="", now=clock())
        # The worker opens the database itself and reads the same rows.
        read = await workers.run(partial(exchange.export_from_database, db.url, request), long=True)
        assert read.summary == made.summary
    finally:
        await workers.close()


def test_only_an_in_memory_database_is_read_in_the_bot(db: Database) -> None:
    # handlers/exchange.py reads an in-memory database's rows in the bot: a worker process
    # opening ":memory:" would find an empty database of its own.
    memory = Database("sqlite:///:memory:")
    try:
        assert memory.in_memory and not db.in_memory
    finally:
        memory.dispose()

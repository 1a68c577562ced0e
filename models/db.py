"""The engine, the unit of work, and schema migrations."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, event, text
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

# The report counters follow every flush of every session (models/counters.py listens on Session),
# and so do the task numbers per team (models/numbering.py).
import models.counters
import models.numbering  # noqa: F401

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
POOL_SIZE = 5  # PostgreSQL connections kept open per process
MAX_OVERFLOW = 5  # and opened beyond those under load
CONNECT_TIMEOUT = 5  # seconds
SQLITE_THREADS = 4  # SQLite serialises writers anyway; readers run side by side (WAL)
T = TypeVar("T")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if path in ("", ":memory:"):
            kwargs["poolclass"] = StaticPool
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pre-ping (a SELECT 1 per checkout): a connection the server dropped fails its unit of
    # work, SQLAlchemy discards the pool's stale connections, and the unit is retried
    # (handlers/common.py in_transaction); a job simply runs again on its next tick.
    # A database that does not answer fails a connection in seconds instead of hanging it.
    return create_engine(
        url,
        echo=echo,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        connect_args={"connect_timeout": CONNECT_TIMEOUT},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver would open transactions itself, and only before a write: a unit of work's
    # reads would then not belong to its transaction. SQLAlchemy's "begin" event opens it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # Take the write lock up front: units of work (and two processes' claims) run one after
    # another instead of reading the same rows and both writing them. SQLite has one writer.
    # A long read that writes nothing (an export) asks for read_only and leaves the lock free.
    read_only = connection.get_execution_options().get("read_only", False)
    connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


class Database:
    """Owns the engine; hands out one session per unit of work."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = make_engine(url, echo=echo)
        # One thread per pooled connection: a unit of work never waits for a connection while
        # holding a thread, and no more threads contend than the database can serve.
        self._in_memory = isinstance(self.engine.pool, StaticPool)  # one shared connection
        self._threads = POOL_SIZE + MAX_OVERFLOW if not self.is_sqlite else SQLITE_THREADS
        self._executor: ThreadPoolExecutor | None = None

    async def run(self, work: Callable[[], T]) -> T:
        """Run blocking database work in the database's own threads, off the event loop.

        An in-memory SQLite database has one connection that threads must not share: its work
        runs inline.
        """
        if self._in_memory:
            return work()
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self._threads, thread_name_prefix="db")
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def in_memory(self) -> bool:
        """Whether the database lives in this process only (in-memory SQLite, as in tests)."""
        return self._in_memory

    @contextmanager
    def session(self, *, read_only: bool = False) -> Iterator[Session]:
        """Yield a session; commit when the block ends, roll everything back if it raises.

        `read_only` promises the block writes nothing: on SQLite it then does not hold the
        one writer's lock.
        """
        bind = self.engine.execution_options(read_only=True) if read_only else self.engine
        with Session(bind, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def ping(self) -> None:
        """Run SELECT 1; raise if the database does not answer."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    async def in_session(self, work: Callable[[Session], T], *, read_only: bool = False) -> T:
        """Run `work` in one session and transaction, in the database's threads (see run)."""

        def unit() -> T:
            with self.session(read_only=read_only) as session:
                return work(session)

        return await self.run(unit)

    def upgrade(self) -> None:
        """Bring the schema to the newest migration."""
        from alembic import command

        command.upgrade(alembic_config(self.url), "head")

    def dispose(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        self.engine.dispose()


@contextmanager
def snapshot(url: str) -> Iterator[Session]:
    """Yield a session that reads one consistent snapshot of the database at `url`, writing nothing.

    For a worker process: its engine is made on the process's first snapshot and reused by the
    later ones. SQLite's deferred transaction under WAL reads one snapshot and takes no lock;
    PostgreSQL gets a REPEATABLE READ, READ ONLY transaction.
    """
    engine = _process_engine(url)
    if engine.dialect.name == "sqlite":
        bind = engine.execution_options(read_only=True)
    else:
        bind = engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with Session(bind) as session:
        try:
            yield session
        finally:
            session.rollback()


@cache
def _process_engine(url: str) -> Engine:
    return make_engine(url)


def alembic_config(url: str) -> Any:
    """Build Alembic's config in code, so no alembic.ini lookup depends on the cwd."""
    from alembic.config import Config

    # Alembic's default stdout is sys.stdout as it was when alembic was first imported, which
    # may be a stream closed since (a test's captured output): take the one of this moment.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config

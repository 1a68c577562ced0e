"""Each team's customer names, kept in the process and caught up by one indexed query.

Parsing a message and finding the customer it means needs the team's names (prefixes, fuzzy
forms). Loading them all on every message would cost time in proportion to the team, so the
first message of a team loads them once per process and database, and every later one asks
only for the customers created since: a range on ix_customer_team_since that is almost always
empty. Names are added to the team's NameIndex, never rebuilt.

Ids come from a sequence, but transactions commit in any order: a customer inserted by another
process can commit after one with a higher id was already seen. So each catch-up looks again
at the last RECHECK ids below the newest one seen. A customer deleted by an undo stays in the
book until the process restarts; the lookups that need a live row (get_customer) still refuse
it, and forget() drops it in the process that deleted it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlmodel import Session

from bot.parsing.names import NameIndex
from models.queries import customers as queries

RECHECK = 200  # ids below the newest seen that are read again, for late commits


@dataclass
class TeamNames:
    """A team's customer names, and the id of each."""

    index: NameIndex = field(default_factory=NameIndex)
    ids: dict[str, int] = field(default_factory=dict)  # name -> the newest customer's id
    seen: set[int] = field(default_factory=set)
    gone: set[int] = field(default_factory=set)
    newest: int = 0
    caught_up_at: float = 0.0  # time.monotonic() of the last catch-up
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, customer_id: int, name: str) -> None:
        self.seen.add(customer_id)
        self.newest = max(self.newest, customer_id)
        if name not in self.ids:
            self.index.add(name)
        self.ids[name] = customer_id

    def id_of(self, name: str) -> int | None:
        """The live customer of that exact name, if the book knows one."""
        customer_id = self.ids.get(name)
        return None if customer_id is None or customer_id in self.gone else customer_id


_BOOKS: WeakKeyDictionary[Engine, dict[int, TeamNames]] = WeakKeyDictionary()
_BOOKS_LOCK = threading.Lock()


def team_names(*, session: Session, team_id: int, fresh_within: float = 0.0) -> TeamNames:
    """Return the team's names, caught up with the customers committed since the last call.

    With `fresh_within`, a book caught up less than that many seconds ago is returned as it is.
    """
    book = _book(session, team_id)
    with book.lock:
        now = time.monotonic()
        if book.caught_up_at and now - book.caught_up_at < fresh_within:
            return book
        book.caught_up_at = now
        after = max(0, book.newest - RECHECK) if book.seen else 0
        for customer_id, name in queries.customers_after(
            session=session, team_id=team_id, after=after
        ):
            if customer_id not in book.seen:
                book.add(customer_id, name)
    return book


def forget(*, session: Session, team_id: int, customer_id: int) -> None:
    """Drop a customer this process deleted."""
    book = _book(session, team_id)
    with book.lock:
        book.gone.add(customer_id)


def _book(session: Session, team_id: int) -> TeamNames:
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    # A read-only unit of work is bound to engine.execution_options(read_only=True), a new
    # OptionEngine each time over the same engine: the book is the engine's, not the view's.
    engine = getattr(engine, "_proxied", engine)
    with _BOOKS_LOCK:
        teams = _BOOKS.setdefault(engine, {})
        return teams.setdefault(team_id, TeamNames())

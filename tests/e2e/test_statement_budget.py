"""Round trips per update: how many statements and commits a logged message costs.

The budgets are today's counts, so they cannot creep back up; lower them as work moves out.
PostgreSQL marks the update handled inside the query that reads the team and member (a
data-modifying WITH); SQLite has none, so there the claim is a statement of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event

from tests.e2e.conftest import Team
from tests.support.database import on_postgres
from tgemu.sandbox import Sandbox


@dataclass
class Count:
    statements: list[str] = field(default_factory=list)
    commits: int = 0


@contextmanager
def counting(sandbox: Sandbox) -> Iterator[Count]:
    assert sandbox.db is not None
    engine, count = sandbox.db.engine, Count()

    def statement(conn: object, cursor: object, sql: str, *args: object) -> None:
        count.statements.append(sql.split(None, 1)[0].upper())

    def commit(conn: object) -> None:
        count.commits += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


def budget(statements: int) -> int:
    """A budget as counted on SQLite; one fewer on PostgreSQL, whose claim rides on a query."""
    return statements - 1 if on_postgres() else statements


@pytest.mark.parametrize(
    ("text", "statements"),
    [
        # claim (PostgreSQL: in the next), team and member, customer and its open deal, entry,
        # activity, the customer's stage, the task (its number drawn in its INSERT), the report
        # counters' upsert (the team counters follow it by triggers), the card's message id
        ("/visit Acme follow up next Tuesday about the quote", 9),
        ("/lead Globex 20k via distributor Huatai", 16),  # a new customer and partner
        ("/tasks", 3),
    ],
)
async def test_a_message_stays_within_its_statement_budget(
    sandbox: Sandbox, active_team: Team, text: str, statements: int
) -> None:
    team = active_team
    await sandbox.say(team.chat_id, team.alice, "/lead Acme 50k")
    with counting(sandbox) as count:
        replies = await sandbox.say(team.chat_id, team.alice, text)
    assert replies, "the message was answered"
    sql = [
        s for s in count.statements if s not in ("BEGIN", "SAVEPOINT", "RELEASE")
    ]  # SQLite BEGINs
    assert len(sql) <= budget(statements), sql
    assert count.commits <= 2  # the unit of work, then the card's message id


async def test_a_visit_to_another_reps_attributed_customer_costs_one_statement_more(
    sandbox: Sandbox, active_team: Team
) -> None:
    """The customer's channel, partner and owner come with its lookup; only the conflict's
    audit row is added (to the 9 of a visit with a follow-up)."""
    team = active_team
    await sandbox.say(team.chat_id, team.alice, "/lead Acme 50k via distributor Huatai")
    await sandbox.say(team.chat_id, team.bob, "/tasks")  # bob becomes a member
    with counting(sandbox) as count:
        replies = await sandbox.say(
            team.chat_id, team.bob, "/visit Acme follow up next Tuesday about the quote"
        )
    assert replies, "the message was answered"
    sql = [s for s in count.statements if s not in ("BEGIN", "SAVEPOINT", "RELEASE")]
    assert len(sql) <= budget(10), sql
    assert count.commits <= 2

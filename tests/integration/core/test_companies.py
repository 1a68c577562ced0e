"""Join codes in the database: single use, also when groups race for one code."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.services import companies
from bot.services.errors import CrmError
from models.db import Database
from models.tables import CompanyGroup, JoinCode
from tests.integration.core.factories import make_actor
from tests.support.database import on_postgres
from tests.support.race import race


def test_a_code_records_the_group_it_joined_and_only_its_hash(
    db: Database, clock: ManualClock
) -> None:
    now = clock()
    with db.session() as s:
        head = make_actor(s, now=now, chat_id=-1)
        issued = companies.create_company(
            session=s, actor=head, name="  Acme   Trading ", chat_admin=True, now=now
        )
        branch = make_actor(s, now=now, chat_id=-2, user_id=2)
        name = companies.join_company(
            session=s, actor=branch, code=issued.code, chat_admin=True, now=now
        )
        code = s.exec(select(JoinCode)).one()
        assert name == issued.company == "Acme Trading"
        assert (code.used_at, code.used_by_team_id) == (now, branch.team.id)
        assert code.code_hash == companies.hash_code(issued.code) != issued.code
        assert code.expires_at == now + companies.CODE_VALID
        assert code.issued_by == head.member.user_id


@pytest.mark.skipif(not on_postgres(), reason="concurrent writers need PostgreSQL")
def test_groups_racing_for_one_code_join_once(database_url: str, clock: ManualClock) -> None:
    now = clock()
    with Database(database_url).session() as s:
        head = make_actor(s, now=now, chat_id=-1)
        code = companies.create_company(
            session=s, actor=head, name="Acme", chat_admin=True, now=now
        ).code
        for index in range(4):  # the racing groups exist before they race
            make_actor(s, now=now, chat_id=-10 - index, user_id=10 + index)
    outcomes: list[str] = []

    def process(db: Database, index: int) -> None:
        try:
            with db.session() as s:
                actor = make_actor(s, now=now, chat_id=-10 - index, user_id=10 + index)
                companies.join_company(session=s, actor=actor, code=code, chat_admin=True, now=now)
            outcomes.append("joined")
        except CrmError as exc:
            outcomes.append(exc.key)

    race(database_url, process, processes=4)
    assert sorted(outcomes) == ["joined"] + ["org.error.code_used"] * 3
    db = Database(database_url)
    try:
        with db.session() as s:
            assert len(s.exec(select(CompanyGroup)).all()) == 2  # the head office and one
    finally:
        db.dispose()

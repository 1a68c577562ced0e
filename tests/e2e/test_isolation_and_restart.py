"""Teams cannot see each other's data; a restart loses nothing and repeats nothing."""

from __future__ import annotations

from sqlmodel import col, func, select

from models.tables import Entry
from tests.e2e.conftest import OTHER_GROUP, Team, make_team
from tgemu.sandbox import Sandbox


async def test_two_teams_cannot_see_each_others_data(sandbox: Sandbox, active_team: Team) -> None:
    other = make_team(sandbox, OTHER_GROUP, offset=1)
    await sandbox.say(other.chat_id, other.manager, "/setup")
    await sandbox.say(active_team.chat_id, active_team.alice, "/fu Acme tomorrow call back")
    (reply,) = await sandbox.say(other.chat_id, other.manager, "/tasks all")
    assert reply.text == "No open tasks. 🎉"
    (reply,) = await sandbox.say(other.chat_id, other.manager, "/done 1")
    assert reply.text == "There is no task #1 in this team."
    # The same name in the other team is a new customer of that team, not a duplicate.
    (card,) = await sandbox.say(other.chat_id, other.alice, "/lead Acme 10k")
    assert "(new customer)" in card.text and "@alice1" in card.text
    # A member of one team acting in the other is a stranger there.
    (reply,) = await sandbox.say(other.chat_id, other.manager, "/role @alice rep")
    assert "don't know @alice" in reply.text


async def test_restart_mid_stream_loses_and_repeats_nothing(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    names = [
        "Alpha",
        "Bravo",
        "Charlie",
        "Delta",
        "Echo",
        "Foxtrot",
        "Golf",
        "Hotel",
        "India",
        "Juliett",
        "Kilo",
        "Lima",
    ]
    for i, name in enumerate(names):
        await sandbox.emulator.send_message(chat, alice.user_id, f"/lead {name} {i + 1}k")
    await sandbox.stop_bot()  # SIGTERM-like: whatever was fetched is finished first
    await sandbox.start_bot()
    await sandbox.settle()
    await sandbox.stop_bot()
    await sandbox.start_bot()
    await sandbox.settle()
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        texts = session.exec(select(Entry.text).order_by(col(Entry.id))).all()
        assert session.exec(select(func.count()).select_from(Entry)).one() == 12
    assert texts == [f"/lead {name} {i + 1}k" for i, name in enumerate(names)]
    cards = [m for m in sandbox.emulator.sent(chat) if m.text.startswith("🆕 Lead")]
    assert len(cards) == 12

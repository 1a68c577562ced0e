"""Long polling confirms an update only once it is handled, and never handles one twice."""

from __future__ import annotations

from tests.e2e.conftest import OTHER_GROUP, Team, make_team
from tgemu.sandbox import Sandbox


async def test_an_update_in_flight_stays_with_telegram_while_other_groups_go_on(
    sandbox: Sandbox, active_team: Team
) -> None:
    team, emulator = active_team, sandbox.emulator
    other = make_team(sandbox, OTHER_GROUP, offset=1)
    await sandbox.say(other.chat_id, other.manager, "/setup")
    # The card of this visit cannot be sent for a while: its update stays in flight.
    before = len(emulator.sent(team.chat_id))
    emulator.inject_fault("sendMessage", "hang", chat_id=team.chat_id, seconds=3)
    await emulator.send_message(team.chat_id, team.alice.user_id, "/visit Acme showed samples")
    slow = int(emulator.state.updates_log[-1]["update_id"])
    await emulator.send_message(other.chat_id, other.alice.user_id, "/tasks")
    after = int(emulator.state.updates_log[-1]["update_id"])

    await emulator.wait_until(lambda: len(emulator.sent(other.chat_id)) >= 2, 10, "the reply")
    # The later update is handled, and the earlier one is still not confirmed to Telegram.
    assert emulator.confirmed_update_id < slow
    assert emulator.delivered_update_id >= after

    await sandbox.settle()
    assert emulator.confirmed_update_id >= after
    cards = [m for m in emulator.sent(team.chat_id)[before:] if "Acme" in m.text]
    assert len(cards) == 1, cards  # its retry sent the card once; fetched again, not redone

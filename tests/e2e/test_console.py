"""The private console through the emulator: team commands in a private chat with the bot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.clock import ManualClock
from bot.i18n import t
from bot.views.callbacks import ConsoleCommand, ConsolePress
from models.tables import Team as TeamRow
from tests.e2e.conftest import GROUP, OTHER_GROUP, Team, make_team
from tests.e2e.test_org import THIRD_GROUP, code_of
from tgemu import SentMessage
from tgemu.sandbox import Person, Sandbox


@pytest.fixture
async def two_teams(sandbox: Sandbox) -> Team:
    """Maria manages two groups; Alice is a rep in both, Bob only in the first."""
    team = make_team(sandbox)
    sandbox.group(OTHER_GROUP, "Export <Desk>", admins=[team.manager], members=[team.alice])
    for chat in (GROUP, OTHER_GROUP):
        await sandbox.say(chat, team.manager, "/setup")
    await sandbox.say(GROUP, team.alice, "/lead Initech 50k")
    await sandbox.say(OTHER_GROUP, team.alice, "/lead Globex 20k")
    await sandbox.say(OTHER_GROUP, team.alice, "/lead Umbrella 30k")
    return team


def team_id(sandbox: Sandbox, chat_id: int) -> int:
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        team = session.exec(select(TeamRow).where(TeamRow.chat_id == chat_id)).one()
        return team.id


async def private(sandbox: Sandbox, who: Person, text: str) -> list[SentMessage]:
    await sandbox.emulator.start_private(who.user_id)
    await sandbox.settle()
    return await sandbox.say(who.user_id, who, text)


async def test_a_manager_of_two_teams_picks_one(sandbox: Sandbox, two_teams: Team) -> None:
    maria = two_teams.manager
    (in_group,) = await sandbox.say(OTHER_GROUP, maria, "/stats month")
    (picker,) = await private(sandbox, maria, "/stats month")
    assert picker.html == t("en", "console.pick", command="/stats")
    labels = [label for label, _ in picker.buttons]
    assert labels == ["Export <Desk>", f"Sales {GROUP}"]  # by title; a label is plain text
    data = dict(picker.buttons)["Export <Desk>"]
    await sandbox.press(maria.user_id, maria, picker.message_id, data)
    shown = sandbox.message(maria.user_id, picker.message_id)
    assert shown.text == in_group.text  # the group's own /stats, for the month asked
    assert "2" in shown.text and "Globex" not in shown.text
    assert shown.buttons == []  # the picker's are gone; a chart is the group's
    # A stale press of the picker (its message's buttons gone) shows the same, sends nothing.
    before = len(sandbox.emulator.sent(maria.user_id))
    await sandbox.press(maria.user_id, maria, picker.message_id, data, forged=True)
    assert len(sandbox.emulator.sent(maria.user_id)) == before
    assert sandbox.message(maria.user_id, picker.message_id).text == in_group.text


async def test_start_and_help_in_private_say_what_works_here(
    sandbox: Sandbox, two_teams: Team
) -> None:
    maria, alice = two_teams.manager, two_teams.alice
    titles = titles_of(sandbox, GROUP, OTHER_GROUP)
    # Telegram's Start button sends /start.
    await sandbox.emulator.start_private(maria.user_id)
    await sandbox.settle()
    (hello,) = sandbox.emulator.sent(maria.user_id)
    both = ", ".join(sorted(titles.values()))
    assert hello.html == "\n".join(
        (
            t("en", "console.welcome", teams=both),
            t("en", "console.welcome.manager", teams=both),
            t("en", "console.welcome.rest"),
        )
    )
    (rep,) = await private(sandbox, alice, "/help")
    assert rep.html == "\n".join(
        (t("en", "console.welcome", teams=both), t("en", "console.welcome.rest"))
    )
    # Someone in no team yet: how to start, or every command.
    stranger = sandbox.person(7777, "Sam", "sam")
    (start,) = await private(sandbox, stranger, "/start")
    assert start.html == t("en", "start.private")
    (help_,) = await sandbox.say(stranger.user_id, stranger, "/help")
    assert help_.html == t("en", "help")
    li = sandbox.person(7778, "李雷", "lilei", lang="zh")
    (start,) = await private(sandbox, li, "/start")
    assert start.html == t("zh", "start.private")


def titles_of(sandbox: Sandbox, *chat_ids: int) -> dict[int, str]:
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        rows = session.exec(select(TeamRow).where(col(TeamRow.chat_id).in_(chat_ids))).all()
        return {team.chat_id: team.title for team in rows}


async def test_a_rep_gets_own_tasks_across_teams(sandbox: Sandbox, two_teams: Team) -> None:
    alice, bob = two_teams.alice, two_teams.bob
    await sandbox.say(GROUP, alice, "/task call Initech back tomorrow 10am")
    await sandbox.say(OTHER_GROUP, alice, "/task send Globex the price list tomorrow 3pm")
    await sandbox.say(GROUP, bob, "/task Bob's own errand tomorrow 9am")
    (listed,) = await private(sandbox, alice, "/tasks")
    assert f"Sales {GROUP}" in listed.text and "Export &lt;Desk&gt;" in listed.html
    assert "call Initech back" in listed.text and "price list" in listed.text
    assert "errand" not in listed.text
    # Manager commands say plainly that they are for managers.
    (refused,) = await sandbox.say(alice.user_id, alice, "/tasks all")
    assert refused.html == t("en", "console.managers_only", command="/tasks all")
    (stats,) = await sandbox.say(alice.user_id, alice, "/stats")
    assert stats.html == t("en", "console.managers_only", command="/stats")
    (none,) = await private(sandbox, bob, "/tasks")
    assert "errand" in none.text and "Initech" not in none.text


async def test_nothing_of_a_team_for_a_non_member(sandbox: Sandbox, two_teams: Team) -> None:
    stranger = sandbox.person(900, "Sam", "sam")
    await sandbox.say(GROUP, two_teams.bob, "/tasks")  # Bob is known in the first group only
    (reply,) = await private(sandbox, stranger, "/stats")
    assert reply.html == t("en", "console.no_team")
    (tasks,) = await sandbox.say(stranger.user_id, stranger, "/tasks")
    assert tasks.html == t("en", "console.no_team")
    # A forged picker press, for a team the presser is not in: refused, nothing shown.
    for who in (stranger, two_teams.bob):
        await private(sandbox, who, "/tasks")
        target = sandbox.emulator.sent(who.user_id)[-1]
        for command in ConsoleCommand:
            forged = ConsolePress(command, team_id(sandbox, OTHER_GROUP)).encode()
            sent = await sandbox.press(who.user_id, who, target.message_id, forged, forged=True)
            answer = sandbox.emulator.callback_answers[-1]
            assert answer.show_alert and answer.text == t("en", "console.not_member")
            assert sent == [] and sandbox.message(who.user_id, target.message_id).edits == []
    # Bob is a rep of the first group: a manager's command there is refused as a rep's.
    forged = ConsolePress(ConsoleCommand.TASKS_ALL, team_id(sandbox, GROUP), "all").encode()
    await sandbox.press(
        two_teams.bob.user_id, two_teams.bob, target.message_id, forged, forged=True
    )
    answer = sandbox.emulator.callback_answers[-1]
    assert answer.show_alert and answer.text == t("en", "error.not_manager.tasks")


async def test_export_in_private_sends_the_files_there(sandbox: Sandbox, two_teams: Team) -> None:
    maria = two_teams.manager
    (picker,) = await private(sandbox, maria, "/export")
    data = dict(picker.buttons)[f"Sales {GROUP}"]
    sent = await sandbox.press(maria.user_id, maria, picker.message_id, data)
    documents = [m for m in sent if m.kind == "document"]
    assert len(documents) == 2 and "1 customer" in documents[0].text
    assert not sandbox.message(maria.user_id, picker.message_id).buttons
    assert not [m for m in sandbox.emulator.sent(GROUP) if m.kind == "document"]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_company_manager_asks_in_private(sandbox: Sandbox, lang: str) -> None:
    head = make_team(sandbox, lang=lang)
    branch = make_team(sandbox, OTHER_GROUP, lang=lang, offset=1)
    other = make_team(sandbox, THIRD_GROUP, lang=lang, offset=2)
    for team in (head, branch, other):
        await sandbox.say(team.chat_id, team.manager, "/setup")
    (created,) = await sandbox.say(GROUP, head.manager, "/org create Acme")
    await sandbox.say(OTHER_GROUP, branch.manager, f"/org join {code_of(created)}")
    await sandbox.say(THIRD_GROUP, other.manager, "/org create Hooli")
    await sandbox.say(OTHER_GROUP, branch.alice, "/lead Globex 20k")
    await sandbox.say(THIRD_GROUP, other.alice, "/lead Secret 900k")

    (in_group,) = await sandbox.say(GROUP, head.manager, "/stats org 2026-11")
    (rolled,) = await private(sandbox, head.manager, "/stats org 2026-11")
    assert rolled.text == in_group.text and "Hooli" not in rolled.text
    # /stats: the company's groups, the branch too (she is not a member there).
    (picker,) = await sandbox.say(head.manager.user_id, head.manager, "/stats")
    assert picker.html == t(lang, "console.pick", command="/stats")
    assert [label for label, _ in picker.buttons] == [f"Sales {GROUP}", f"Sales {OTHER_GROUP}"]
    (branch_stats,) = await sandbox.say(OTHER_GROUP, branch.manager, "/stats")
    data = dict(picker.buttons)[f"Sales {OTHER_GROUP}"]
    await sandbox.press(head.manager.user_id, head.manager, picker.message_id, data)
    assert sandbox.message(head.manager.user_id, picker.message_id).text == branch_stats.text
    # The branch's own manager manages no company: /stats org is not theirs.
    (refused,) = await private(sandbox, branch.manager, "/stats org")
    assert refused.html == t(lang, "console.no_company")


async def test_done_under_the_private_list_closes_the_task_and_its_reminder_button(
    sandbox: Sandbox, two_teams: Team, clock: ManualClock
) -> None:
    alice = two_teams.alice
    await sandbox.say(GROUP, alice, "/task call Initech back tomorrow 10am")
    await sandbox.say(OTHER_GROUP, alice, "/task send Globex the price list tomorrow 3pm")
    clock.advance(timedelta(days=1, hours=6))
    (reminder,) = [m for m in await sandbox.run_job("due_reminders") if m.chat_id == GROUP]

    (listed,) = await private(sandbox, alice, "/tasks")
    # Task numbers are per team: with two teams each button names its team (plain text).
    labels = [label for label, _ in listed.buttons]
    assert labels[0] == f"✅ Sales {str(GROUP)[:10]} #1 call Initech back", labels
    assert labels[1].startswith("✅ Export <Desk> #1 send Globex"), labels
    assert len(labels[1]) <= 40
    initech = next(data for label, data in listed.buttons if "Initech" in label)

    await sandbox.press(alice.user_id, alice, listed.message_id, initech)

    assert sandbox.emulator.callback_answers[-1].text == "Task #1 done ✅"
    redrawn = sandbox.message(alice.user_id, listed.message_id)
    assert "Initech" not in redrawn.text and "price list" in redrawn.text
    left = [label for label, _ in redrawn.buttons]
    assert left == ["✅ #1 send Globex the price list"]  # one team left: no team named
    assert sandbox.message(GROUP, reminder.message_id).reply_markup is None
    (group_list,) = await sandbox.say(GROUP, alice, "/tasks")
    assert "Initech" not in group_list.text
    # Asked again, the list has only what is left.
    (again,) = await private(sandbox, alice, "/tasks")
    assert "Initech" not in again.text

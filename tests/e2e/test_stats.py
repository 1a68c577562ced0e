"""Stats through Telegram: log work as reps, read the numbers back as rep and manager."""

from __future__ import annotations

import struct
from datetime import datetime, timedelta

import pytest

import handlers.entries
from bot.clock import ManualClock
from tests.conftest import SHANGHAI
from tests.e2e.conftest import Team
from tgemu import SentMessage
from tgemu.sandbox import Sandbox

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def logged(sandbox: Sandbox, active_team: Team) -> Team:
    """Alice: a lead via Huatai, a visit, a 50k win, a 30k lead; Bob: a 120k lead he wins."""
    chat, alice, bob = active_team.chat_id, active_team.alice, active_team.bob
    for who, text in [
        (alice, "/lead Acme 50k via distributor Huatai"),
        (alice, "/visit Acme"),
        (bob, "/lead Globex 120k"),
        (bob, "/won Globex 120k"),
        (alice, "/won Acme 50k"),
        (alice, "/lead Initech 30k via distributor"),
    ]:
        (card,) = await sandbox.say(chat, who, text)
        assert "·" in card.text, card.text
    return active_team


def assert_png(message: SentMessage) -> tuple[int, int]:
    assert message.kind == "photo"
    data = message.content
    assert data is not None and data[:8] == PNG and len(data) > 10_000
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 600 and height >= 250
    return width, height


async def test_manager_sees_the_team_by_channel(sandbox: Sandbox, logged: Team) -> None:
    (reply,) = await sandbox.say(logged.chat_id, logged.manager, "/stats")
    assert reply.text.splitlines() == [
        "📈 Team · Nov 2026",
        "Channel     Leads Visits Won Revenue",
        "Distributor     2      1   1    ¥50k",
        "No channel      1      0   1   ¥120k",
        "Total           3      1   2   ¥170k",
        "💰 Revenue ¥170,000 · won deals: 2",
        "🎯 Lead→won 67% (2 of 3 leads) · 0 days to close on average",
    ]
    assert reply.buttons == [("📊 Chart", "s:c:20261101-20261201:t")]


async def test_rep_sees_the_team_and_their_own_line(sandbox: Sandbox, logged: Team) -> None:
    (reply,) = await sandbox.say(logged.chat_id, logged.alice, "/stats month")
    assert reply.text.splitlines()[-1] == "👤 You: leads 2 · visits 1 · won 1 · ¥50,000"
    (reply,) = await sandbox.say(logged.chat_id, logged.alice, "/stats @alice")
    assert reply.text.splitlines()[0] == "📈 @alice · Nov 2026"
    assert "💰 Revenue ¥50,000 · won deals: 1" in reply.text.splitlines()


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        ("/stats @bob", "Per-rep numbers are for managers; /stats shows the team and your own"),
        ("/leaderboard", "The leaderboard is for managers; /stats shows the team's numbers"),
        ("/partners", "Partner scorecards are for managers; /partner NAME shows one partner."),
        ("/stats partner Huatai", "Per-partner numbers are for managers; /stats shows the team"),
        ("/digest now", "The digest on demand and its settings are for managers;"),
    ],
)
async def test_rep_is_refused_other_reps_and_scorecards_and_told_what_to_use(
    sandbox: Sandbox, logged: Team, command: str, refusal: str
) -> None:
    (reply,) = await sandbox.say(logged.chat_id, logged.alice, command)
    assert reply.text.startswith(refusal)


async def test_a_refusal_in_chinese_says_what_to_use_instead(
    sandbox: Sandbox, logged: Team
) -> None:
    await sandbox.say(logged.chat_id, logged.manager, "/lang zh")
    (reply,) = await sandbox.say(logged.chat_id, logged.alice, "/stats @bob")
    assert reply.text == "按销售的数据只有经理能看；/stats 查看团队和你自己的数据。"
    (reply,) = await sandbox.say(logged.chat_id, logged.alice, "/leaderboard")
    assert reply.text == "排行榜只有经理能看；/stats 查看团队和你自己的数据。"


async def test_manager_reports(sandbox: Sandbox, logged: Team) -> None:
    chat, maria = logged.chat_id, logged.manager
    (board,) = await sandbox.say(chat, maria, "/leaderboard")
    assert board.text.splitlines()[1:] == [
        "Rep       Revenue Won Visits Leads",
        "1. @bob     ¥120k   1      0     1",
        "2. @alice    ¥50k   1      1     2",
    ]
    (partners,) = await sandbox.say(chat, maria, "/partners")
    assert partners.text.splitlines()[2] == "Huatai     B     1 100%    ¥50k 11/24"
    (bob,) = await sandbox.say(chat, maria, "/stats @bob last 30d")
    assert bob.text.splitlines()[0] == "📈 @bob · 26 Oct – 24 Nov 2026"
    assert "💰 Revenue ¥120,000 · won deals: 1" in bob.text.splitlines()
    (channel,) = await sandbox.say(chat, maria, "/stats channel distributor")
    assert channel.text.splitlines()[:3] == [
        "📈 Channel Distributor · Nov 2026",
        "Channel     Leads Visits Won Revenue",
        "Distributor     2      1   1    ¥50k",
    ]


async def test_funnel_pipeline_churn(sandbox: Sandbox, logged: Team) -> None:
    chat, alice = logged.chat_id, logged.alice
    (funnel,) = await sandbox.say(chat, alice, "/funnel")
    lines = funnel.text.splitlines()
    assert lines[2] == "Lead         1       3   67%"
    assert lines[-1] == "❌ Lost: 0 · customers in all: 3"
    (pipeline,) = await sandbox.say(chat, alice, "/pipeline")
    assert pipeline.text.splitlines()[0] == "💼 Pipeline · 1 open deal"
    (churn,) = await sandbox.say(chat, alice, "/churn")
    assert churn.text.splitlines()[1:] == [
        "Open customers silent for 30+ days: 0",
        "Lost in the period: 0",
        "Churn rate 0% (0 of 1 customer)",
    ]


@pytest.mark.parametrize(
    ("lang", "command", "chart"),
    [("en", "/stats", "/stats chart"), ("zh", "/stats", "/stats 图表")],
)
async def test_stats_chart_is_one_photo_with_the_numbers_as_its_caption(
    sandbox: Sandbox, logged: Team, lang: str, command: str, chart: str
) -> None:
    chat, maria = logged.chat_id, logged.manager
    if lang == "zh":
        await sandbox.say(chat, maria, "/lang zh")
    (numbers,) = await sandbox.say(chat, maria, command)
    (photo,) = await sandbox.say(chat, maria, chart)
    assert_png(photo)
    assert photo.reply_to_message_id == sandbox.last_message_id  # the /stats chart message
    assert photo.text == numbers.text and photo.buttons == []
    assert "<pre>" in photo.html  # the table keeps its alignment in the caption


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_funnel_chart_keeps_whole_stage_names(
    sandbox: Sandbox, logged: Team, lang: str
) -> None:
    chat, maria = logged.chat_id, logged.manager
    if lang == "zh":
        await sandbox.say(chat, maria, "/lang zh")
    (photo,) = await sandbox.say(chat, maria, "/funnel chart")
    assert_png(photo)
    won = "已回款（成交）" if lang == "zh" else "Paid (won)"  # 14 cells in Chinese
    (line,) = [line for line in photo.text.splitlines() if line.startswith(won[:2])]
    assert line.startswith(won + " ") and "…" not in photo.text


async def test_numbers_too_long_for_a_caption_follow_their_chart(
    sandbox: Sandbox, logged: Team
) -> None:
    """Telegram takes 1024 characters of caption: the photo keeps the title, and the whole
    funnel comes right after it, as its reply, before anything else is answered."""
    chat, maria = logged.chat_id, logged.manager
    for i in range(12):
        await sandbox.say(chat, maria, f"/stages add Stage {i:02d} with a long descriptive name")
    photo, numbers = await sandbox.say(chat, maria, "/funnel chart")
    assert_png(photo)
    assert photo.text == numbers.text.splitlines()[0]
    assert len(numbers.text) > 1024 and numbers.reply_to_message_id == photo.message_id
    assert "Stage 11 with a long descriptive name" in numbers.text


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_chart_button_sends_the_chart_once(sandbox: Sandbox, logged: Team, lang: str) -> None:
    chat, alice = logged.chat_id, logged.alice
    if lang == "zh":
        await sandbox.say(chat, logged.manager, "/lang zh")
    (reply,) = await sandbox.say(chat, alice, "/stats")
    (photo,) = await sandbox.press(chat, alice, reply.message_id, reply.buttons[0][1] or "")
    assert_png(photo)
    assert photo.reply_to_message_id == reply.message_id and photo.text == ""
    assert sandbox.message(chat, reply.message_id).reply_markup is None
    (funnel,) = await sandbox.say(chat, alice, "/funnel")
    (photo,) = await sandbox.press(chat, alice, funnel.message_id, "s:f:all")
    assert_png(photo)


async def test_a_chart_button_pressed_twice_quickly_sends_one_chart(
    sandbox: Sandbox, logged: Team
) -> None:
    chat, alice, bob = logged.chat_id, logged.alice, logged.bob
    (reply,) = await sandbox.say(chat, alice, "/stats")
    data = reply.buttons[0][1] or ""
    before = len(sandbox.emulator.sent(chat))
    # Both presses reach the bot before it has taken the button away.
    await sandbox.emulator.press_button(chat, reply.message_id, alice.user_id, data)
    await sandbox.emulator.press_button(chat, reply.message_id, bob.user_id, data)
    await sandbox.settle()
    (photo,) = sandbox.emulator.sent(chat)[before:]
    assert_png(photo)
    assert sandbox.message(chat, reply.message_id).reply_markup is None
    assert len(sandbox.emulator.callback_answers) >= 2  # both presses were answered


async def test_a_rep_cannot_press_their_way_to_another_reps_chart(
    sandbox: Sandbox, logged: Team
) -> None:
    chat = logged.chat_id
    (reply,) = await sandbox.say(chat, logged.manager, "/stats @bob")
    data = reply.buttons[0][1]
    assert data is not None and data.startswith("s:c:") and data.split(":")[-1].startswith("m")
    assert await sandbox.press(chat, logged.alice, reply.message_id, data) == []
    answer = sandbox.emulator.callback_answers[-1]
    assert "Per-rep numbers are for managers" in str(answer)


async def test_chinese_team(sandbox: Sandbox, logged: Team) -> None:
    chat, maria = logged.chat_id, logged.manager
    await sandbox.say(chat, maria, "/lang zh")
    (reply,) = await sandbox.say(chat, maria, "/stats 本月")
    assert reply.text.splitlines()[0] == "📈 团队 · 2026年11月"
    assert "💰 业绩 ¥17万，成交 2 单" in reply.text.splitlines()
    assert reply.buttons[0][0] == "📊 图表"
    (reply,) = await sandbox.say(chat, maria, "/stats 下个世纪")
    assert reply.text.startswith("“下个世纪”不是我认识的时间段")


async def test_bad_arguments_get_usage(sandbox: Sandbox, logged: Team) -> None:
    chat, alice = logged.chat_id, logged.alice
    (reply,) = await sandbox.say(chat, alice, "/stats next decade")
    assert reply.text.startswith("“next decade” is not a period I know.")
    (reply,) = await sandbox.say(chat, alice, "/stats channel Nowhere")
    assert reply.text == "There is no channel “Nowhere”. /channel list shows them."
    (reply,) = await sandbox.say(chat, alice, "/stats @alice channel distributor")
    assert reply.text == "Pick one filter: a channel, a partner or a @rep."


def without_entry_edits(sandbox: Sandbox) -> None:
    """Drop the handler that corrects entries on edits: it takes every edited text first, so
    with it in place an edited command never reaches the command's own handler."""
    assert sandbox.app is not None
    for handler in list(sandbox.app.handlers[0]):
        if getattr(handler, "callback", None) is handlers.entries.on_edit:
            sandbox.app.remove_handler(handler)


async def test_an_edited_stats_command_does_not_run_again(sandbox: Sandbox, logged: Team) -> None:
    chat, maria = logged.chat_id, logged.manager
    (reply,) = await sandbox.say(chat, maria, "/stats")
    asked = sandbox.last_message_id
    assert await sandbox.edit(chat, maria, asked, "/stats last month chart") == []
    without_entry_edits(sandbox)
    assert await sandbox.edit(chat, maria, asked, "/stats chart") == []
    assert await sandbox.edit(chat, maria, asked, "/funnel chart") == []
    assert sandbox.message(chat, reply.message_id).edits == []


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "🎯 Lead→won 100% (2 of 2 leads) · 5 days to close on average"),
        ("zh", "🎯 线索转化率 100%（2 条线索中成交 2 条）· 平均成交周期 5 天"),
    ],
)
async def test_days_to_close_run_from_the_first_lead(
    sandbox: Sandbox, clock: ManualClock, active_team: Team, lang: str, line: str
) -> None:
    """Acme: a /lead without an amount (no deal opened), won 6 days later; Globex: a lead
    with an amount (a deal opened), won 4 days later. A second win for Acme opens as it
    closes: 0 days."""
    chat, alice, maria = active_team.chat_id, active_team.alice, active_team.manager
    if lang == "zh":
        await sandbox.say(chat, maria, "/lang zh")
    start = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)  # the day the team was set up
    for days, text in [
        (0, "/lead Acme via distributor"),
        (2, "/lead Globex 30k"),
        (6, "/won Acme 80k"),
        (6, "/won Globex 30k"),
    ]:
        clock.set(start + timedelta(days=days))
        (card,) = await sandbox.say(chat, alice, text)
        assert "Acme" in card.text or "Globex" in card.text
    (reply,) = await sandbox.say(chat, maria, "/stats last 30d")
    assert line in reply.text.splitlines()
    clock.set(start + timedelta(days=8))
    await sandbox.say(chat, alice, "/won Acme 10k")
    (reply,) = await sandbox.say(chat, maria, "/stats last 30d")
    assert reply.text.splitlines()[-1].endswith(
        "3.3 days to close on average" if lang == "en" else "平均成交周期 3.3 天"
    )


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Also open, in another currency: $45,000 (1 deal)"),
        ("zh", "另有其他币种的进行中商机：$45,000（1 个）"),
    ],
)
async def test_pipeline_names_deals_in_another_currency_instead_of_calling_them_blank(
    sandbox: Sandbox, active_team: Team, lang: str, line: str
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, active_team.manager, f"/lang {lang}")
    await sandbox.say(chat, alice, "/lead Initech $45k")
    await sandbox.say(chat, alice, "/lead Acme 50k")
    (pipeline,) = await sandbox.say(chat, alice, "/pipeline")
    lines = pipeline.text.splitlines()
    assert lines[-1] == line, pipeline.text
    assert not any("without an amount" in x or "尚未填写金额" in x for x in lines)


@pytest.mark.parametrize(
    ("lang", "line", "revenue"),
    [
        ("en", "Also won, in another currency (not in the revenue): $12,500 (1 deal)", "¥170,000"),
        ("zh", "另有其他币种的成交（未计入业绩）：$12,500（1 单）", "¥17万"),
    ],
)
async def test_a_win_in_another_currency_is_said_not_dropped(
    sandbox: Sandbox, logged: Team, lang: str, line: str, revenue: str
) -> None:
    chat, alice = logged.chat_id, logged.alice
    if lang == "zh":
        await sandbox.say(chat, logged.manager, "/lang zh")
    await sandbox.say(chat, alice, "/won Hooli $12.5k")
    (report,) = await sandbox.say(chat, logged.manager, "/stats")
    assert line in report.text
    assert revenue in report.text  # the revenue in the team's currency is unchanged
    (mine,) = await sandbox.say(chat, logged.manager, "/stats @bob")
    assert "$12,500" not in mine.text  # Bob won nothing in dollars

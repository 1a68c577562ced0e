"""Calls, meetings and what was sent, as reps tell the bot about them in the group chat.

Each case is a message that @mentions the bot, with no command or hashtag, and states what the
entry must be: its intent, the customer (never a word of the sentence around it), whether a
follow-up is due, and what the note keeps. New customers: the team knows none of these names.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import Intent, parse_entry

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=TZ)  # a Thursday
BOT = "crm_test_bot"

# text, intent, customer, has a due date, words the note keeps
Case = tuple[str, Intent, str, bool, str | None]

CALLS: list[Case] = [
    ("called Acme, they want a quote", Intent.CALL, "Acme", False, "they want a quote"),
    ("had a call with Initech about pricing", Intent.CALL, "Initech", False, "had a call"),
    ("quick call w/ Globex, send contract by Fri", Intent.CALL, "Globex", True, "send contract"),
    ("Spoke to Bob at Initech today, wants pricing", Intent.CALL, "Initech", False, "pricing"),
    ("phoned Hooli, follow up Monday", Intent.CALL, "Hooli", True, None),
    ("给万科打了个电话，他们要报价", Intent.CALL, "万科", False, "他们要报价"),
    ("跟美团通了电话，下周一发方案", Intent.CALL, "美团", True, "发方案"),
]
MEETINGS: list[Case] = [
    ("lunch with the Initech team, they liked the demo", Intent.VISIT, "Initech", False, "liked"),
    (
        "demo at Umbrella Corp went well, follow up in 2 weeks",
        Intent.VISIT,
        "Umbrella Corp",
        True,
        "went well",
    ),
    (
        "had a meeting with Stark Industries, they need 200 units",
        Intent.VISIT,
        "Stark Industries",
        False,
        "200 units",
    ),
    ("和华为开了个会，下周一发方案", Intent.VISIT, "华为", True, "开了个会"),
    ("今天跟美团的李总吃饭，聊得不错", Intent.VISIT, "美团", False, "聊得不错"),
]
PLANNED: list[Case] = [
    # A meeting or call still to come is a follow-up task, not a visit that happened.
    (
        "scheduled a meeting with Umbrella Corp for Monday 3pm",
        Intent.FOLLOWUP,
        "Umbrella Corp",
        True,
        "meeting",
    ),
    (
        "booked a demo for Stark Industries next Wed 10am",
        Intent.FOLLOWUP,
        "Stark Industries",
        True,
        "demo",
    ),
    ("planned a visit to Soylent on Friday", Intent.FOLLOWUP, "Soylent", True, "visit"),
    ("约了京东采购下周三见面", Intent.FOLLOWUP, "京东", True, "见面"),
    ("安排了下周二去拜访万达", Intent.FOLLOWUP, "万达", True, None),
    ("准备明天给美团打电话", Intent.FOLLOWUP, "美团", True, "打电话"),
]
SENT: list[Case] = [
    ("emailed the proposal to Hooli", Intent.NOTE, "Hooli", False, "emailed the proposal"),
    (
        "sent the revised quote to Acme Corp, follow up Tuesday",
        Intent.FOLLOWUP,
        "Acme Corp",
        True,
        "sent the revised quote",
    ),
    ("发了报价单给小米", Intent.NOTE, "小米", False, "发了报价单"),
    ("寄了样品给海底捞，下周跟进", Intent.FOLLOWUP, "海底捞", True, "寄了样品"),
]
LOSSES: list[Case] = [
    ("Hooli went with a competitor", Intent.LOST, "Hooli", False, "competitor"),
    ("Globex is not moving forward this year", Intent.LOST, "Globex", False, None),
    ("盒马那边说价格太高，不做了", Intent.LOST, "盒马", False, "价格太高"),
    ("永辉选了别家", Intent.LOST, "永辉", False, None),
]


@pytest.mark.parametrize(
    ("text", "intent", "customer", "due", "kept"), CALLS + MEETINGS + PLANNED + SENT + LOSSES
)
def test_a_conversation_told_to_the_bot_is_logged_as_it_happened(
    text: str, intent: Intent, customer: str, due: bool, kept: str | None
) -> None:
    parsed = parse_entry(f"@{BOT} {text}", now=NOW, tz=TZ, bot_username=BOT, addressed=True)
    assert (parsed.intent, parsed.customer) == (intent, customer)
    assert (parsed.due is not None) == due
    if kept is not None:
        assert parsed.note is not None and kept in parsed.note


def test_a_referrer_named_before_the_new_customer_is_its_referral_partner() -> None:
    parsed = parse_entry(
        f"@{BOT} 老王介绍了一个新客户：蜜雪冰城，预计20万",
        now=NOW, tz=TZ, bot_username=BOT, addressed=True,
    )  # fmt: skip
    assert (parsed.intent, parsed.customer) == (Intent.LEAD, "蜜雪冰城")
    assert (parsed.channel, parsed.partner) == ("referral", "老王")
    assert parsed.amount is not None and int(parsed.amount) == 200000


@pytest.mark.parametrize(("text", "customer"), [("/call Acme left a voicemail", "Acme"),
                                                ("#call Hooli spoke to the CFO", "Hooli"),
                                                ("#电话 万科 约下周见面", "万科")])  # fmt: skip
def test_a_call_has_its_command_and_hashtags(text: str, customer: str) -> None:
    parsed = parse_entry(text, now=NOW, tz=TZ, bot_username=BOT)
    assert (parsed.intent, parsed.customer) == (Intent.CALL, customer)


def test_a_name_the_team_knows_is_not_cut_by_the_new_phrases() -> None:
    # 和记黄埔 begins with 和 ("with"), and a team that has it keeps it whole.
    parsed = parse_entry(
        f"@{BOT} 和记黄埔开了个会", now=NOW, tz=TZ, bot_username=BOT, addressed=True,
        known_customers=("和记黄埔",),
    )  # fmt: skip
    assert parsed.customer == "和记黄埔"

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
    ("万科说不签了，预算砍了", Intent.LOST, "万科", False, "预算砍了"),  # 签了, negated, is no win
]

EVERYDAY: list[Case] = [
    ("met the purchasing manager at Globex, interested in the premium plan", Intent.VISIT,
     "Globex", False, "premium plan"),
    ("Initech PO received 45k, closed!", Intent.WON, "Initech", False, "PO received"),
    ("pls remind me to chase Hooli for payment next Monday", Intent.FOLLOWUP, "Hooli", True,
     "payment"),
    ("following up w/ Wayne Ent re contract renewal in 3 days", Intent.FOLLOWUP, "Wayne Ent", True,
     "renewal"),
    ("visit to Tyrell Corp postponed to next Friday", Intent.FOLLOWUP, "Tyrell Corp", True,
     "postponed"),
    ("提醒我下周一催一下永辉的款", Intent.FOLLOWUP, "永辉", True, "催一下"),
    ("去麦德龙的拜访改到下周五", Intent.FOLLOWUP, "麦德龙", True, "改到"),
    ("通过代理商华泰商贸拿下了大润发，首单8万", Intent.WON, "大润发", False, "首单"),
    ("下午去了趟永辉，见了采购李姐，下周再送一批样品过去", Intent.VISIT, "永辉", True, "样品"),
    ("went to Costco this morning, manager not in, try next week", Intent.VISIT, "Costco", True,
     "manager not in"),
    ("刚和拼多多开完会，他们想做联合营销，12月15号前给答复", Intent.VISIT, "拼多多", True,
     "联合营销"),
    ("Won!! Initech 3 year contract $150k 🎉🎉", Intent.WON, "Initech", False, "3 year contract"),
    ("reminder: call back Hooli at 4pm", Intent.FOLLOWUP, "Hooli", True, None),
    ("just left Massive Dynamic, contract review next Mon w/ legal", Intent.VISIT,
     "Massive Dynamic", True, "contract review"),
    ("the Globex deal is dead, they went bankrupt", Intent.LOST, "Globex", False, "bankrupt"),
    ("touched base with Wayne Enterprises, nothing new", Intent.CALL, "Wayne Enterprises", False,
     "touched base"),
    ("left a voicemail for Tyrell Corp", Intent.CALL, "Tyrell Corp", False, "voicemail"),
    ("caught up with Umbrella's CTO over coffee, very keen", Intent.VISIT, "Umbrella", False,
     "coffee"),
    ("Cyberdyne asked us to call back in January", Intent.FOLLOWUP, "Cyberdyne", True, "call back"),
    ("和美团的王总通了电话，对方下周来公司参观", Intent.CALL, "美团", True, "参观"),
    # Cantonese and Traditional
    ("今日去咗美心集團，佢哋想要報價，聽日再跟進", Intent.VISIT, "美心集團", True, "報價"),
    ("同大快活傾咗合作，下禮拜三再約", Intent.FOLLOWUP, "大快活", True, "合作"),
    ("打咗電話俾太古，冇人聽", Intent.CALL, "太古", False, "冇人聽"),
    ("給鼎泰豐打了電話，他們要型錄", Intent.CALL, "鼎泰豐", False, "型錄"),
    ("約了85度C下週二見面", Intent.FOLLOWUP, "85度C", True, "見面"),
    # A customer written as a form is a lead.
    ("客户：喜茶，联系人：张三 13800138000，需求：门店设备，预算50万", Intent.LEAD, "喜茶", False,
     "门店设备"),
    ("lead - Dunder Mifflin, paper supplier, contact Michael Scott, budget 20k", Intent.LEAD,
     "Dunder Mifflin", False, "paper supplier"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "customer", "due", "kept"),
    CALLS + MEETINGS + PLANNED + SENT + LOSSES + EVERYDAY,
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


@pytest.mark.parametrize(
    ("text", "amount", "partner"),
    [
        ("家乐福签了三年合同，120万", 1200000, None),
        ("万科签了，合同金额：85万", 850000, None),
        ("通过代理商华泰商贸拿下了大润发，首单8万", 80000, "华泰商贸"),
        ("Acme wants 500 units at $20 each, send quote by Wednesday", None, None),
        ("永辉超市要500箱，单价20块，周三前报价", None, None),
    ],
)
def test_the_deal_amount_is_the_deal_s_not_a_unit_price(
    text: str, amount: int | None, partner: str | None
) -> None:
    parsed = parse_entry(f"@{BOT} {text}", now=NOW, tz=TZ, bot_username=BOT, addressed=True)
    assert (int(parsed.amount) if parsed.amount is not None else None) == amount
    assert parsed.partner == partner
    if amount is None:
        assert parsed.note is not None and ("20" in parsed.note)  # the price stays in the note


@pytest.mark.parametrize(
    "text", ["今天电话沟通了三家：万科、保利、碧桂园", "visited 3 customers today"]
)
def test_how_many_customers_is_no_customer(text: str) -> None:
    # One entry is about one customer: the bot asks for each rather than filing "三家".
    parsed = parse_entry(f"@{BOT} {text}", now=NOW, tz=TZ, bot_username=BOT, addressed=True)
    assert parsed.customer is None


@pytest.mark.parametrize(
    "text",
    ["今天没拜访客户，在公司做报价", "didn't visit Acme today, rain", "明天没拜访万科"],
)
def test_a_negated_word_logs_nothing(text: str) -> None:
    parsed = parse_entry(f"@{BOT} {text}", now=NOW, tz=TZ, bot_username=BOT, addressed=True)
    assert parsed.intent is None

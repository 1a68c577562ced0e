"""Whole messages -> ParsedEntry: intents, customers, contacts, phones, channels, notes."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import Intent, ParsedEntry, parse_entry

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)  # a Tuesday
BOT = "crmbot"
KNOWN = ["万科集团", "Acme Trading Co., Ltd.", "华为技术有限公司", "Globex", "Johnson and Johnson"]


def parse(text: str, *, addressed: bool = False, known: list[str] | None = None) -> ParsedEntry:
    return parse_entry(
        text, now=NOW, tz=TZ, bot_username=BOT, addressed=addressed, known_customers=known or []
    )


@pytest.mark.parametrize(
    ("text", "addressed", "intent"),
    [
        ("/lead Acme", False, Intent.LEAD),
        ("/visit Acme", False, Intent.VISIT),
        ("/followup Acme", False, Intent.FOLLOWUP),
        ("/fu Acme tomorrow", False, Intent.FOLLOWUP),
        ("/won Acme 50k", False, Intent.WON),
        ("/lost Acme", False, Intent.LOST),
        ("/note Acme likes golf", False, Intent.NOTE),
        ("/lead@crmbot Acme", False, Intent.LEAD),
        ("/LEAD@CrmBot Acme", False, Intent.LEAD),
        ("/lead@otherbot Acme", False, None),
        ("/start", False, None),
        ("/lead万科", False, Intent.LEAD),
        ("Acme #lead", False, Intent.LEAD),
        ("#visit Acme", False, Intent.VISIT),
        ("#线索 万科", False, Intent.LEAD),
        ("#拜访 万科", False, Intent.VISIT),
        ("#跟进 万科", False, Intent.FOLLOWUP),
        ("#成交 万科", False, Intent.WON),
        ("#丢单 万科", False, Intent.LOST),
        ("#备注 万科", False, Intent.NOTE),
        ("#線索 華為", False, Intent.LEAD),
        ("#拜訪 華為", False, Intent.VISIT),
        ("#跟進 華為", False, Intent.FOLLOWUP),
        ("#丟單 華為", False, Intent.LOST),
        ("#備註 華為", False, Intent.NOTE),
        ("#leadership Acme", False, None),
        ("visited Acme today", False, None),
        ("visited Acme today", True, Intent.VISIT),
        ("met Acme's CFO", True, Intent.VISIT),
        ("拜访了万科", True, Intent.VISIT),
        ("去了万科", True, Intent.VISIT),
        ("follow up with Acme next week", True, Intent.FOLLOWUP),
        ("跟进万科报价", True, Intent.FOLLOWUP),
        ("signed Acme 50k", True, Intent.WON),
        ("closed the deal with Acme", True, Intent.WON),
        ("万科签约了", True, Intent.WON),
        ("拿下万科", True, Intent.WON),
        ("lost Acme to a competitor", True, Intent.LOST),
        ("万科丢单了", True, Intent.LOST),
        ("new lead Initech", True, Intent.LEAD),
        ("新线索 万科", True, Intent.LEAD),
        ("visited Acme today, follow up next Tuesday about the quote", True, Intent.VISIT),
        ("拜访华为，下周二跟进报价", True, Intent.VISIT),
        ("Acme wants a discount", True, None),
        ("#lost /visit Acme", False, Intent.LOST),
        ("/visit #lost Acme", False, Intent.VISIT),
    ],
)
def test_intent(text: str, addressed: bool, intent: Intent | None) -> None:
    assert parse(text, addressed=addressed).intent == intent


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("/lead Acme", "Acme"),
        ("/lead Acme Trading, 50k", "Acme Trading"),
        ("/lead Acme Trading Co., Ltd. 50k", "Acme Trading Co., Ltd."),
        ("/visit Globex Corp: met the CFO", "Globex Corp"),
        ("visited Acme today, follow up next Tuesday about the quote", "Acme"),
        ("met with Initech about pricing", "Initech"),
        ("follow up with Acme next week", "Acme"),
        ("new lead: Initech, budget 1,250,000", "Initech"),
        ("/lead Bank of China 2亿", "Bank of China"),
        ("/lead acme trading 50k", "acme trading"),
        ("/visit Acme and discussed pricing", "Acme"),
        ("拜访华为，下周二跟进报价", "华为"),
        ("/lead 万科 12万 渠道华泰经销", "万科"),
        ("拜访了万科讨论合同", "万科"),
        ("明天去万科", "万科"),
        ("/visit 万科地产 讨论合同", "万科地产"),
        ("跟进万科的报价", "万科"),
        ("#线索 美的集团 3.5w", "美的集团"),
        ("/lead 華為 250萬", "華為"),
        ("/lead 「万科」 12万", "万科"),
        ("@crmbot visited Acme", "Acme"),
        ("/lead", None),
        ("/lead 12万", None),
        ("/lead 明天下午3点", None),
        ("/visit them tomorrow", None),
        ("/lead " + "A" * 300, "A" * 120),
        ("@alice please follow up Acme tomorrow", "Acme"),
        ("I visited Acme today", "Acme"),
        ("我今天拜访了万科", "万科"),
        ("麻烦跟进一下万科", "万科"),
        ("/lead 我爱我家 5万", "我爱我家"),
    ],
)
def test_customer(text: str, customer: str | None) -> None:
    assert parse(text, addressed=True).customer == customer


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("/lead 万科 12万", "万科集团"),
        ("拜访了万科讨论合同", "万科集团"),
        ("/visit 万科集团 明天", "万科集团"),
        ("/lead Acme Trading 50k", "Acme Trading Co., Ltd."),
        ("/lead ACME TRADING CO LTD 50k", "Acme Trading Co., Ltd."),
        ("/lead Acme Tradng, 50k", "Acme Tradng"),  # near, not sure: the service asks
        ("/lead Acme, 50k", "Acme"),  # contained in a longer name: the service asks
        ("/lead Globex Corp 50k", "Globex"),
        ("/lead Johnson and Johnson 50k", "Johnson and Johnson"),
        ("/visit 万科地产 讨论合同", "万科地产"),
        ("/visit 华为", "华为"),
        ("/lead Acmeville 50k", "Acmeville"),
    ],
)
def test_known_customer(text: str, customer: str) -> None:
    assert parse(text, known=KNOWN).customer == customer


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("/visit Acme, contact Li Lei", "Li Lei"),
        ("/visit Acme contact: Jane Doe, asked for samples", "Jane Doe"),
        ("/visit Acme, spoke with Mr Wang about pricing", "Mr Wang"),
        ("/visit Acme, Mr. Smith will call back", "Mr. Smith"),
        ("/lead 万科 联系人张三", "张三"),
        ("/lead 万科 联系人：李雷 13800138000", "李雷"),
        ("/lead 万科 联系人张三电话13800138000", "张三"),
        ("拜访了万科，见了张总", "张总"),
        ("/visit 万科 王经理说下周给答复", "王经理"),
        ("/lead 華為 聯繫人王小明", "王小明"),
        ("/note 万科 本周总结", None),
        ("/note 万科 公司总部在深圳", None),
        ("/visit Acme", None),
    ],
)
def test_contact(text: str, contact: str | None) -> None:
    assert parse(text).contact == contact


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("/lead 万科 13800138000", "13800138000"),
        ("/lead 万科 138-0013-8000", "13800138000"),
        ("/lead 万科 138 0013 8000", "13800138000"),
        ("/lead 万科 +86 138 0013 8000", "+8613800138000"),
        ("/lead Acme +1 415 555 0100", "+14155550100"),
        ("/lead Acme, tel: 87654321", "87654321"),
        ("/lead 万科 电话 010-12345678", "01012345678"),
        ("/lead Acme (415) 555-0100", "4155550100"),
        ("/lead 万科 联系人张三电话13912345678", "13912345678"),
        ("/lead Acme order 20261124001", None),
        ("/lead Acme 50k", None),
    ],
)
def test_phone(text: str, phone: str | None) -> None:
    entry = parse(text)
    assert entry.phone == phone
    if phone is not None:
        assert entry.amount is None


@pytest.mark.parametrize(
    ("text", "channel", "partner"),
    [
        ("/lead 万科 12万 渠道华泰经销", "distributor", "华泰"),
        ("/lead 万科 经销商华泰", "distributor", "华泰"),
        ("/lead 万科 经销商：华泰", "distributor", "华泰"),
        ("/lead 保利 20万 渠道经销 华泰商贸", "distributor", "华泰商贸"),
        ("/lead 保利 渠道代理 金龙", "agent", "金龙"),
        ("/lead 保利 渠道经销", "distributor", None),
        ("/lead 保利 渠道：代理", "agent", None),
        ("/lead 保利 通过经销商华泰商贸", "distributor", "华泰商贸"),
        ("/lead 保利 走代理商金龙", "agent", "金龙"),
        ("/lead 万科 通过华泰经销商下单", "distributor", "华泰"),
        ("/lead 万科 代理商 华泰", "agent", "华泰"),
        ("/lead 万科 渠道华泰", None, "华泰"),
        # 渠道 as a common noun inside a sentence, or naming what was talked about
        ("#拜访 华润万家 聊了渠道政策，月底前再约", None, None),
        ("/visit 万科 谈渠道价格", None, None),
        ("/lead 万科 渠道政策", None, None),
        ("/lead 万科 经老王介绍", "referral", "老王"),
        ("/lead 万科 转介绍", "referral", None),
        ("/lead 万科 直营", "direct", None),
        ("/lead 万科 电商", "ecommerce", None),
        ("/lead 万科 渠道京东", "ecommerce", "京东"),
        ("/lead 華為 經銷商華泰", "distributor", "華泰"),
        ("/lead Acme 50k via distributor Huatai", "distributor", "Huatai"),
        ("/lead Acme via Huatai distributor", "distributor", "Huatai"),
        # Typed in lower case after an explicit kind: the name ends where the sentence goes on
        ("/lead Acme 50k via distributor huatai", "distributor", "huatai"),
        ("/lead Acme through agent bright star about pricing", "agent", "bright star"),
        ("/lead Acme via dealer huatai trading next tuesday", "distributor", "huatai trading"),
        ("/visit Acme via distributor about the price", "distributor", None),
        ("/lead Acme through our agent Li Ming", "agent", "Li Ming"),
        ("/lead Acme referred by John Smith", "referral", "John Smith"),
        ("/lead Acme via Tmall", "ecommerce", "Tmall"),
        ("/lead Acme via Huatai", None, "Huatai"),
        ("/lead Acme via WeChat", None, None),
        ("/lead Acme, e-commerce", "ecommerce", None),
        ("/lead Acme", None, None),
    ],
)
def test_channel(text: str, channel: str | None, partner: str | None) -> None:
    entry = parse(text)
    assert (entry.channel, entry.partner) == (channel, partner)


def test_assignee_is_first_mention_that_is_not_the_bot() -> None:
    entry = parse("@crmbot /visit Acme tomorrow @alice_w @bob_lee")
    assert entry.assignee == "alice_w"
    assert parse("/fu 万科 明天 交给@bob_lee").assignee == "bob_lee"
    assert parse("@crmbot visited Acme").assignee is None
    assert parse("mail me at bob@example.com").assignee is None


WHOLE = [
    # A person of a customer: "met Sarah from Initech" logs Initech, with Sarah its contact
    (
        "met with Sarah from Initech, they need 200 units, quote $45k, call back Thursday",
        True,
        {"intent": "visit", "customer": "Initech", "contact": "Sarah", "amount": 45000},
    ),
    (
        "#visit spoke with Sarah from Initech, call back Thursday",
        False,
        {"customer": "Initech", "contact": "Sarah", "note": "call back"},
    ),
    (
        "#visit met John Smith of Wayne Enterprises",
        False,
        {"customer": "Wayne Enterprises", "contact": "John Smith"},
    ),
    (
        "#visit today at Globex, demo went well",
        False,
        {"customer": "Globex", "note": "demo went well"},
    ),
    ("#visit met Acme's CFO", False, {"customer": "Acme", "contact": None}),
    # Addressed, dated and about a customer, with no word for what it is: a follow-up
    (
        "Wayne wants a demo next wed at 2pm",
        True,
        {
            "intent": "followup",
            "customer": "Wayne",
            "due": "2026-12-02T14:00:00+08:00",
            "note": "wants a demo",
        },
    ),
    ("Wayne wants a demo next wed at 2pm", False, {"intent": None}),
    ("万科下周三下午两点要看样品", True, {"intent": "followup", "customer": "万科"}),
    ("Wayne wants a demo", True, {"intent": None}),  # no date: nothing to remind of
    (
        "visited Acme today, follow up next Tuesday about the quote",
        True,
        {
            "intent": "visit",
            "customer": "Acme",
            "due": "2026-12-01T09:00:00+08:00",
            "note": "follow up about the quote",
        },
    ),
    (
        "拜访华为，下周二跟进报价",
        True,
        {
            "intent": "visit",
            "customer": "华为",
            "due": "2026-12-01T09:00:00+08:00",
            "note": "跟进报价",
        },
    ),
    (
        "/lead 万科 12万 渠道华泰经销",
        False,
        {
            "intent": "lead",
            "customer": "万科",
            "amount": 120000,
            "currency": "CNY",
            "channel": "distributor",
            "partner": "华泰",
            "note": None,
            "due": None,
        },
    ),
    (
        "/visit@crmbot Globex Corp 50k via distributor Huatai, contact Li Lei 13800138000 @alice",
        False,
        {
            "intent": "visit",
            "customer": "Globex Corp",
            "amount": 50000,
            "currency": "CNY",
            "channel": "distributor",
            "partner": "Huatai",
            "contact": "Li Lei",
            "phone": "13800138000",
            "assignee": "alice",
            "note": None,
        },
    ),
    (
        "#跟进 万科 明天下午3点 回访张总",
        False,
        {
            "intent": "followup",
            "customer": "万科",
            "due": "2026-11-25T15:00:00+08:00",
            "contact": "张总",
            "note": "回访张总",
        },
    ),
    (
        "@crmbot signed Acme $3.5m",
        True,
        {"intent": "won", "customer": "Acme", "amount": 3500000, "currency": "USD", "note": None},
    ),
    (
        "new lead: Initech, budget 1,250,000, call back Friday 3pm",
        True,
        {
            "intent": "lead",
            "customer": "Initech",
            "amount": 1250000,
            "due": "2026-11-27T15:00:00+08:00",
        },
    ),
    (
        "/followup Acme Trading Co., Ltd. tomorrow 10am send samples",
        False,
        {
            "intent": "followup",
            "customer": "Acme Trading Co., Ltd.",
            "due": "2026-11-25T10:00:00+08:00",
            "note": "send samples",
        },
    ),
    (
        "#線索 華為 250萬 聯繫人王小明 電話 13912345678",
        False,
        {
            "intent": "lead",
            "customer": "華為",
            "amount": 2500000,
            "contact": "王小明",
            "phone": "13912345678",
            "note": None,
        },
    ),
    (
        "丢单 万达 价格太高",
        True,
        {"intent": "lost", "customer": "万达", "note": "价格太高"},
    ),
    (
        "/lost Acme - went with a competitor",
        False,
        {"intent": "lost", "customer": "Acme", "note": "went with a competitor"},
    ),
    (
        "/note 万科 下周五上午9点半 开会 @bob_lee",
        False,
        {
            "intent": "note",
            "customer": "万科",
            "due": "2026-12-04T09:30:00+08:00",
            "assignee": "bob_lee",
            "note": "开会",
        },
    ),
    (
        "/lead Globex, +1 415 555 0100, USD 1200",
        False,
        {
            "intent": "lead",
            "customer": "Globex",
            "phone": "+14155550100",
            "amount": 1200,
            "currency": "USD",
            "note": None,
        },
    ),
    (
        "/won 万科 签了 1.2亿 12月5日付款",
        False,
        {
            "intent": "won",
            "customer": "万科",
            "amount": 120000000,
            "due": "2026-12-05T09:00:00+08:00",
        },
    ),
    (
        "/fu Acme in 2 hours",
        False,
        {
            "intent": "followup",
            "customer": "Acme",
            "due": "2026-11-24T12:00:00+08:00",
            "note": None,
        },
    ),
    (
        "/visit 万科 明早9点 带样品 预算3.5w",
        False,
        {"customer": "万科", "due": "2026-11-25T09:00:00+08:00", "amount": 35000},
    ),
    (
        "/lead Initech €2k referred by Jane Doe",
        False,
        {
            "customer": "Initech",
            "amount": 2000,
            "currency": "EUR",
            "channel": "referral",
            "partner": "Jane Doe",
        },
    ),
    (
        "Acme 50k",
        False,
        {"intent": None, "customer": "Acme", "amount": 50000},
    ),
    (
        "",
        False,
        {"intent": None, "customer": None, "note": None},
    ),
]


@pytest.mark.parametrize(("text", "addressed", "expected"), WHOLE)
def test_whole_message(text: str, addressed: bool, expected: dict[str, object]) -> None:
    got = parse(text, addressed=addressed).to_json()
    assert {key: got[key] for key in expected} == expected


def test_to_json_shape() -> None:
    entry = parse("/won 万科 12.5万 明天下午3点")
    data = entry.to_json()
    assert list(data) == ["intent", "customer", "contact", "phone", "channel", "partner",
                          "amount", "currency", "due", "assignee", "note"]  # fmt: skip
    assert data["intent"] == "won" and data["amount"] == 125000
    assert data["due"] == "2026-11-25T15:00:00+08:00"
    json.dumps(data)
    half = ParsedEntry(amount=Decimal("2.5"), currency="CNY").to_json()
    assert half["amount"] == 2.5 and isinstance(half["amount"], float)


@pytest.mark.parametrize(
    "text",
    [
        "\x00/lead\x00 Acme\x00 50k",
        "Robert'); DROP TABLE customers;-- 50k",
        "<b>Acme</b> *50k* _tomorrow_ [link](http://x)",
        "\u202e\u05e9\u05dc\u05d5\u05dd Acme \u0645\u0631\u062d\u0628\u0627 12万",
        "🙂🙂 /lead 🙂 Acme 🚀 50k",
        "x" * 4096,
        "明天" * 2048,
        "1" * 4096,
    ],
)
def test_hostile_input_is_harmless(text: str) -> None:
    entry = parse(text, addressed=True, known=KNOWN)
    json.dumps(entry.to_json())
    assert entry.customer is None or 0 < len(entry.customer) <= 120

"""Commands and customer boundaries as reps type them: /lost with a reason, /won, /note, /stage.

Issue 10 items 5 and 6. A command's customer ends where a known customer's name ends or where
the rest reads as a reason or note; a stage is found by name, synonym, prefix or a near spelling
in both languages; a near customer name is filed silently only under the one dedupe rule.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import parse_entry
from bot.parsing.dedupe import ASK_SCORE, SILENT_SCORE, is_sure, known_name
from bot.services.pipeline import match_stages, split_stage
from models.tables import Team

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)  # a Tuesday
KNOWN = [
    "Acme Trading", "万科", "万科地产", "华为", "Globex", "永辉超市", "Booking.com", "星巴克",
    "Initech", "蘋果日報", "Levi's", "AT&T", "美的集团",
]  # fmt: skip

# text, intent, customer, note, amount, currency, channel, partner, due (local, to the minute)
CASES = [
    ("/lost 万科 价格太高", "lost", "万科", "价格太高", None, None, None, None, None),
    (
        "/lost 万科 价格太高了，选了别家", "lost", "万科", "价格太高了，选了别家",
        None, None, None, None, None,
    ),
    ("/lost 万科价格太高", "lost", "万科", "价格太高", None, None, None, None, None),
    ("/lost 萬科 價格太高", "lost", "万科", "價格太高", None, None, None, None, None),
    ("/lost 华为 选了竞品", "lost", "华为", "选了竞品", None, None, None, None, None),
    ("/lost 华为 因为价格", "lost", "华为", "因为价格", None, None, None, None, None),
    ("/lost 华为 预算砍了", "lost", "华为", "预算砍了", None, None, None, None, None),
    ("/lost 永辉超市 预算不够", "lost", "永辉超市", "预算不够", None, None, None, None, None),
    (
        "/lost 永辉超市 暂时不考虑了", "lost", "永辉超市", "暂时不考虑了",
        None, None, None, None, None,
    ),
    ("/lost 星巴克 没预算", "lost", "星巴克", "没预算", None, None, None, None, None),
    ("/lost 星巴克 用了别家的 😭", "lost", "星巴克", "用了别家的 😭", None, None, None, None, None),
    ("/lost 万科地产 客户说太贵", "lost", "万科地产", "客户说太贵", None, None, None, None, None),
    ("/lost 万科 選了別家", "lost", "万科", "選了別家", None, None, None, None, None),
    ("/lost 美的集团 老板不同意", "lost", "美的集团", "老板不同意", None, None, None, None, None),
    ("/lost 美的 对手报价更低", "lost", "美的集团", "对手报价更低", None, None, None, None, None),
    ("/lost 蘋果日報 暫時不需要", "lost", "蘋果日報", "暫時不需要", None, None, None, None, None),
    (
        "/lost acme trading price too high", "lost", "Acme Trading", "price too high",
        None, None, None, None, None,
    ),
    (
        "/lost Acme Trading price too high", "lost", "Acme Trading", "price too high",
        None, None, None, None, None,
    ),
    (
        "/lost acme trading went with a competitor",
        "lost", "Acme Trading", "went with a competitor",
        None, None, None, None, None,
    ),
    (
        "/lost Acme Trading 价格太高", "lost", "Acme Trading", "价格太高",
        None, None, None, None, None,
    ),
    ("/lost acme 价格太高", "lost", "acme", "价格太高", None, None, None, None, None),
    (
        "/lost Globex went with competitor", "lost", "Globex", "went with competitor",
        None, None, None, None, None,
    ),
    (
        "/lost globex too expensive lol", "lost", "Globex", "too expensive lol",
        None, None, None, None, None,
    ),
    (
        "/lost Globex Corp lost to competitor", "lost", "Globex", "lost to competitor",
        None, None, None, None, None,
    ),
    (
        "/lost globex no budget this yr", "lost", "Globex", "no budget this yr",
        None, None, None, None, None,
    ),
    (
        "/lost Initech price too high", "lost", "Initech", "price too high",
        None, None, None, None, None,
    ),
    (
        "/lost initech chose SAP instead", "lost", "Initech", "chose SAP instead",
        None, None, None, None, None,
    ),
    (
        "/lost initech, budget frozen", "lost", "Initech", "budget frozen",
        None, None, None, None, None,
    ),
    (
        "/lost Initech - they picked a cheaper vendor",
        "lost", "Initech", "they picked a cheaper vendor",
        None, None, None, None, None,
    ),
    ("/lost Booking.com pricing", "lost", "Booking.com", "pricing", None, None, None, None, None),
    (
        "/lost booking.com not interested anymore", "lost", "Booking.com", "not interested anymore",
        None, None, None, None, None,
    ),
    (
        "/lost Levi's went with another supplier", "lost", "Levi's", "went with another supplier",
        None, None, None, None, None,
    ),
    (
        "/lost AT&T cancelled the project", "lost", "AT&T", "cancelled the project",
        None, None, None, None, None,
    ),
    ("/lost Wumart 价格太高", "lost", "Wumart", "价格太高", None, None, None, None, None),
    ("/lost 新客户ABC 价格太高", "lost", "ABC", "价格太高", None, None, None, None, None),
    ("/lost 7-Eleven 太贵", "lost", "7-Eleven", "太贵", None, None, None, None, None),
    (
        "/lost Foxconn price too high 🙃", "lost", "Foxconn", "price too high 🙃",
        None, None, None, None, None,
    ),
    (
        "/lost foxconn delayed to next yr", "lost", "foxconn", "delayed to next yr",
        None, None, None, None, None,
    ),
    ("/lost 小米 嫌贵", "lost", "小米", "嫌贵", None, None, None, None, None),
    ("/lost 小米 推迟到明年", "lost", "小米", "推迟到明年", None, None, None, None, None),
    ("/lost 京东 不做了", "lost", "京东", "不做了", None, None, None, None, None),
    ("/lost 京東 價錢談不攏", "lost", "京東", "價錢談不攏", None, None, None, None, None),
    ("/won 万科 12万", "won", "万科", None, 120000, "CNY", None, None, None),
    ("/won 萬科 12萬", "won", "万科", None, 120000, "CNY", None, None, None),
    ("/won 华为 50万 终于签了🎉", "won", "华为", "终于签了🎉", 500000, "CNY", None, None, None),
    (
        "/won acme trading 50k finally!!", "won", "Acme Trading", "finally!!",
        50000, "CNY", None, None, None,
    ),
    ("/won Acme Trading 120k", "won", "Acme Trading", None, 120000, "CNY", None, None, None),
    ("/won globex 80k usd", "won", "Globex", None, 80000, "USD", None, None, None),
    ("/won 星巴克 8千 回款了", "won", "星巴克", "回款了", 8000, "CNY", None, None, None),
    (
        "/won Initech 20k, PO received", "won", "Initech", "PO received",
        20000, "CNY", None, None, None,
    ),
    (
        "/note 华为 老板下周出差", "note", "华为", "老板出差",
        None, None, None, None, "2026-11-30T09:00",
    ),
    ("/note 华为 下周再联系", "note", "华为", "再联系", None, None, None, None, "2026-11-30T09:00"),
    (
        "/note acme trading they want a discount", "note", "Acme Trading", "they want a discount",
        None, None, None, None, None,
    ),
    (
        "/note Acme Trading 采购换人了", "note", "Acme Trading", "采购换人了",
        None, None, None, None, None,
    ),
    (
        "/note globex new buyer is Tom", "note", "Globex", "new buyer is Tom",
        None, None, None, None, None,
    ),
    ("/note 永辉超市 要样品", "note", "永辉超市", "要样品", None, None, None, None, None),
    (
        "/note Booking.com wants API access", "note", "Booking.com", "wants API access",
        None, None, None, None, None,
    ),
    (
        "/visit acme trading they want a quote", "visit", "Acme Trading", "they want a quote",
        None, None, None, None, None,
    ),
    (
        "/visit Acme Trading met the buyer", "visit", "Acme Trading", "met the buyer",
        None, None, None, None, None,
    ),
    ("/visit 万科 聊了合同", "visit", "万科", "聊了合同", None, None, None, None, None),
    ("/visit 華為 談了報價", "visit", "华为", "談了報價", None, None, None, None, None),
    ("/visit globex demo went ok", "visit", "Globex", "demo went ok", None, None, None, None, None),
    ("/visit 星巴克 店长很感兴趣", "visit", "星巴克", "店长很感兴趣", None, None, None, None, None),
    ("/lead 万科 12万", "lead", "万科", None, 120000, "CNY", None, None, None),
    (
        "/lead acme trading 50k via distributor Huatai", "lead", "Acme Trading", None,
        50000, "CNY", "distributor", "Huatai", None,
    ),
    (
        "/followup 华为 明天下午3点 发报价", "followup", "华为", "发报价",
        None, None, None, None, "2026-11-25T15:00",
    ),
    (
        "/fu acme trading tmrw send samples", "followup", "Acme Trading", "send samples",
        None, None, None, None, "2026-11-25T09:00",
    ),
    (
        "/lost ACME TRADING price too high", "lost", "Acme Trading", "price too high",
        None, None, None, None, None,
    ),
    ("/lost   万科    价格太高", "lost", "万科", "价格太高", None, None, None, None, None),
    ("/lost 万科，价格太高", "lost", "万科", "价格太高", None, None, None, None, None),
    ("/lost 万科: 价格太高", "lost", "万科", "价格太高", None, None, None, None, None),
    ("/lost 万科 - 价格太高", "lost", "万科", "价格太高", None, None, None, None, None),
    (
        "/lost acme trading shanghai branch closed",
        "lost", "Acme Trading", "shanghai branch closed",
        None, None, None, None, None,
    ),
    (
        "/lost Acme Trading Shanghai", "lost", "Acme Trading Shanghai", None,
        None, None, None, None, None,
    ),
    ("/lost 华为 客户说不需要了", "lost", "华为", "客户说不需要了", None, None, None, None, None),
    ("/lost 永辉 放弃了", "lost", "永辉", "放弃了", None, None, None, None, None),
    ("/lost 星巴克 项目黄了", "lost", "星巴克", "项目黄了", None, None, None, None, None),
    ("/lost 万科 因為價格", "lost", "万科", "因為價格", None, None, None, None, None),
    ("/lost 万科 原因：价格", "lost", "万科", "原因：价格", None, None, None, None, None),
    (
        "/note initech new buyer is Tom", "note", "Initech", "new buyer is Tom",
        None, None, None, None, None,
    ),
    ("/lost 华为技术 价格太高", "lost", "华为技术", "价格太高", None, None, None, None, None),
    ("/lost 万科物业 选了别家", "lost", "万科物业", "选了别家", None, None, None, None, None),
    ("/lost 屈臣氏 没有预算", "lost", "屈臣氏", "没有预算", None, None, None, None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent", "customer", "note", "amount", "currency", "channel", "partner", "due"),
    CASES,
)
def test_command_keeps_customer_and_reason_apart(
    text: str,
    intent: str,
    customer: str,
    note: str | None,
    amount: int | None,
    currency: str | None,
    channel: str | None,
    partner: str | None,
    due: str | None,
) -> None:
    p = parse_entry(text, now=NOW, tz=TZ, known_customers=KNOWN)
    assert (p.intent, p.customer, p.note) == (intent, customer, note)
    money = Decimal(amount) if amount is not None else None
    assert (p.amount, p.currency) == (money, currency)
    assert (p.channel, p.partner, p.contact, p.phone, p.assignee) == (
        channel, partner, None, None, None,
    )  # fmt: skip
    assert (p.due.astimezone(TZ).isoformat()[:16] if p.due else None) == due


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 80


def _team(*renamed: tuple[str, str]) -> Team:
    keys = ["lead", "contacted", "visited", "quoted", "contract", "shipped", "won", "lost"]
    names = dict(renamed)
    return Team(chat_id=-1, title="t", stages=[{"key": k, "name": names.get(k)} for k in keys])


@pytest.mark.parametrize(
    ("words", "keys"),
    [
        ("报价", ["quoted"]), ("報價", ["quoted"]), ("已报价", ["quoted"]), ("已報價", ["quoted"]),
        ("quote", ["quoted"]), ("Quoted", ["quoted"]), ("QUOTE", ["quoted"]), ("quo", ["quoted"]),
        ("qouted", ["quoted"]), ("quotation", ["quoted"]), ("合同", ["contract"]),
        ("签约", ["contract"]), ("簽合同", ["contract"]), ("signed", ["contract"]),
        ("won", ["won"]), ("成交", ["won"]), ("赢单", ["won"]), ("paid", ["won"]),
        ("丢单", ["lost"]), ("丟單", ["lost"]), ("lost", ["lost"]), ("visit", ["visited"]),
        ("拜訪", ["visited"]), ("已拜访", ["visited"]), ("contact", ["contacted"]),
        ("联系", ["contacted"]), ("ship", ["shipped"]), ("发货", ["shipped"]),
        ("發貨", ["shipped"]), ("线索", ["lead"]), ("con", ["contacted", "contract"]),
        ("xyz", []), ("c", []), ("", []),
    ],
)  # fmt: skip
def test_stage_words_find_the_stage(words: str, keys: list[str]) -> None:
    assert match_stages(_team(), words, "zh") == keys


@pytest.mark.parametrize(
    ("words", "keys"),
    [("方案", ["quoted"]), ("方案报价", ["quoted"]), ("报价", ["quoted"]), ("quote", ["quoted"]),
     ("demo", ["visited"]), ("演示", ["visited"]), ("dem", ["visited"])],
)  # fmt: skip
def test_a_teams_renamed_stage_is_found_by_its_name_and_the_old_words(
    words: str, keys: list[str]
) -> None:
    team = _team(("quoted", "方案报价"), ("visited", "Demo 演示"))
    assert match_stages(team, words, "en") == keys


@pytest.mark.parametrize(
    ("words", "split"),
    [
        (["万科", "报价"], ("万科", ["quoted"])),
        (["万科报价"], ("万科", ["quoted"])),
        (["萬科", "已報價"], ("萬科", ["quoted"])),
        (["Acme", "Trading", "quote"], ("Acme Trading", ["quoted"])),
        (["acme", "trading", "qouted"], ("acme trading", ["quoted"])),
        (["Globex", "con"], ("Globex", ["contacted", "contract"])),
        (["Globex"], None),
        (["Globex", "somewhere"], None),
    ],
)
def test_stage_command_words_split_into_customer_and_stage(
    words: list[str], split: tuple[str, list[str]] | None
) -> None:
    assert split_stage(_team(), words, "en") == split


@pytest.mark.parametrize(
    ("typed", "known", "meant"),
    [
        ("Acme Tradng", ["Acme Trading"], None),  # 96: near, so asked, as in Chinese
        ("万科地", ["万科地产"], None),
        ("华为", ["华为技术"], None),  # contained in a longer name: asked
        ("Acme", ["Acme Trading"], None),
        ("ACME TRADING CO LTD", ["Acme Trading"], "Acme Trading"),  # the same key
        ("萬科", ["萬科"], "萬科"),
        ("Shanghai Pudong Developmnt Bank", ["Shanghai Pudong Development Bank"],
         "Shanghai Pudong Development Bank"),  # one slip in a long name, nothing else near
        ("Shanghai Pudong Developmnt Bank",
         ["Shanghai Pudong Development Bank", "Shanghai Pudong Development Bank HK"], None),
        ("Globex", ["Initech"], None),
    ],
)  # fmt: skip
def test_one_dedupe_rule_in_both_languages(typed: str, known: list[str], meant: str | None) -> None:
    assert known_name(typed, known) == meant


def test_sure_needs_one_near_name_at_the_silent_score() -> None:
    assert is_sure([SILENT_SCORE]) and is_sure([100.0, ASK_SCORE - 1])
    assert not is_sure([SILENT_SCORE - 1]) and not is_sure([100.0, ASK_SCORE]) and not is_sure([])

"""Benchmark: parse_entry on a few thousand mixed English / Chinese sales messages.

Generates messages deterministically (seeded) from templates like the ones reps write
("/lead 万科 12万 渠道华泰经销", "visited Acme today, follow up next Tuesday about the quote"),
warms up, then times each message separately, in the same process:

* parse_entry            - the whole parser, with 300 known customers to prefix-match
* parse_entry (no known) - the same without known customers
* parse_due (phrase)     - our date layer alone, on each message's date phrase
* dateparser (phrase)    - baseline: a bare dateparser.parse on the same date phrase
* dateparser (message)   - baseline: a bare dateparser.parse on the whole message

"found" is how many calls returned something (a date, for the date rows); for dateparser
that includes wrong answers. Target: parse_entry p95 under 5 ms.

Run:  .venv/bin/python -m benchmarks.bench_parse [--messages 3000] [--seed 42] [--known 300]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import dateparser

from benchmarks.common import NOW as BENCH_NOW
from benchmarks.common import machine, percentile
from bot.parsing import parse_due, parse_entry
from bot.parsing.names import NameIndex

TZ = ZoneInfo("Asia/Shanghai")
NOW = BENCH_NOW.astimezone(TZ)  # Tuesday 10:00
DATEPARSER_SETTINGS = {
    "PREFER_DATES_FROM": "future",
    "RELATIVE_BASE": NOW.replace(tzinfo=None),
    "TIMEZONE": "Asia/Shanghai",
    "RETURN_AS_TIMEZONE_AWARE": False,
}

EN_CUSTOMERS = [
    "Acme",
    "Globex Corp",
    "Initech",
    "Umbrella Corp",
    "Stark Industries",
    "Wayne Enterprises",
    "Acme Trading Co., Ltd.",
    "Hooli",
    "Vandelay Industries",
]
ZH_CUSTOMERS = ["万科", "华为", "美的集团", "格力电器", "小米", "海尔", "比亚迪", "万达", "京东方"]
TW_CUSTOMERS = ["華為", "萬科", "鴻海", "台積電", "統一企業"]
ZH_PARTNERS = ["华泰", "远大", "恒通", "金桥"]
EN_PARTNERS = ["Huatai", "Bluewave", "Northwind"]
ZH_NAMES = ["张三", "李雷", "王小明", "陈静"]
ZH_TITLES = ["张总", "王经理", "李主任", "陈总监"]
EN_CONTACTS = ["Li Lei", "Jane Doe", "Mr Wang", "Alice Chen"]
EN_AMOUNTS = ["50k", "$3.5m", "1,250,000", "USD 1200", "€2k", "HK$5000", "2.5k", "$45k"]
ZH_AMOUNTS = ["12万", "5万", "3.5w", "1.2亿", "十二万", "8千", "￥3000", "20000元", "250萬"]
EN_DATES = [
    "tomorrow 3pm",
    "next Tuesday",
    "in 3 days",
    "Dec 5",
    "December 15th at 2pm",
    "Monday 9am",
    "in 2 hours",
    "tonight 8pm",
    "this Thursday",
    "2026-12-10",
    "the day after tomorrow at 10:30",
    "in two weeks",
    "Friday",
]
ZH_DATES = [
    "明天下午3点",
    "下周二",
    "下周五上午9点半",
    "3天后",
    "两周后",
    "12月5日",
    "11月30日上午10点",
    "下个月3号",
    "周五",
    "明早9点",
    "今晚8点",
    "后天",
    "大后天",
    "下下周一",
    "星期三",
    "礼拜五",
    "中午12点",
    "晚上7点半",
    "12月1日 14:00",
]
TW_DATES = ["下週三", "明天早上10點", "後天下午3點", "禮拜一", "兩週後"]
PHONES = ["13800138000", "+86 138 0013 8000", "139-1234-5678", "+1 415 555 0100"]
NOTES_EN = [
    "about the quote",
    "send samples",
    "re: renewal",
    "demo for the ops team",
    "they want a discount",
    "check the contract draft",
]
NOTES_ZH = ["跟进报价", "带样品", "准备合同", "客户反馈不错", "价格没谈拢", "约了演示"]
# {c} customer, {a} amount, {d} date, {p} partner, {n} contact, {t} phone, {x} note
TEMPLATES: list[tuple[str, str]] = [
    ("en", "/lead {c} {a} via distributor {p}"),
    ("en", "/visit {c}, contact {n}, follow up {d}"),
    ("en", "visited {c} today, follow up {d} {x}"),
    ("en", "/fu {c} {d} {x}"),
    ("en", "/won {c} {a}"),
    ("en", "/lost {c} - went with a competitor"),
    ("en", "@crmbot met {c} today, budget {a}, call back {d}"),
    ("en", "new lead: {c}, {t}, {a}"),
    ("en", "{c} {a} {d} @alice_w"),
    ("zh", "/lead {c} {a} 渠道{p}经销"),
    ("zh", "拜访{c}，{d}{x}"),
    ("zh", "#跟进 {c} {d} 回访{n}"),
    ("zh", "/visit {c} 见了{n} 报价{a} {d}前回复"),
    ("zh", "/won {c} 签约 {a} 经销商{p}"),
    ("zh", "/lost {c} 价格没谈拢，被竞品拿走了"),
    ("zh", "#线索 {c} 联系人{n} {t} 预算{a}"),
    ("zh", "@crmbot 今天拜访了{c}，{d}再去一次"),
    ("zh", "/note {c} {d} {x} @bob_lee"),
    ("tw", "#線索 {c} {a} 聯繫人{n} 電話 {t}"),
    ("tw", "/visit {c} {d} {x}"),
]


@dataclass(frozen=True)
class Message:
    text: str
    date_phrase: str
    addressed: bool


def generate(count: int, seed: int) -> list[Message]:
    """Return `count` messages built from the templates with a seeded generator."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        lang, template = rng.choice(TEMPLATES)
        if lang == "en":
            customers, dates, amounts, partners = EN_CUSTOMERS, EN_DATES, EN_AMOUNTS, EN_PARTNERS
            contacts, notes = EN_CONTACTS, NOTES_EN
        else:
            customers = ZH_CUSTOMERS if lang == "zh" else TW_CUSTOMERS
            dates = ZH_DATES if lang == "zh" else TW_DATES
            amounts, partners, notes = ZH_AMOUNTS, ZH_PARTNERS, NOTES_ZH
            contacts = ZH_NAMES if "联系人" in template or "聯繫人" in template else ZH_TITLES
        date = rng.choice(dates)
        text = template.format(
            c=rng.choice(customers), a=rng.choice(amounts), d=date, p=rng.choice(partners),
            n=rng.choice(contacts), t=rng.choice(PHONES), x=rng.choice(notes),
        )  # fmt: skip
        out.append(Message(text, date if "{d}" in template else "", text.startswith("@crmbot")))
    return out


def known_customers(count: int, seed: int) -> list[str]:
    """Return a team's customer list: the template customers plus made-up ones."""
    rng = random.Random(seed + 1)
    syllables = [
        "泰",
        "华",
        "通",
        "达",
        "新",
        "盛",
        "源",
        "科",
        "联",
        "创",
        "Nova",
        "Prime",
        "Apex",
    ]
    names = {*EN_CUSTOMERS, "万科集团", "华为技术有限公司", *ZH_CUSTOMERS[2:]}
    while len(names) < count:
        # Two syllables give only ~600 names; a team of thousands needs three or four.
        size = 2 if len(names) < 500 else rng.choice((3, 4))
        names.add("".join(rng.sample(syllables, size)) + rng.choice(["", "集团", " Ltd", "科技"]))
    return sorted(names)


@dataclass(frozen=True)
class Result:
    name: str
    wall_ns: list[int]
    cpu_ns: list[int]
    found: int

    def row(self, which: str) -> str:
        micros = [ns / 1000 for ns in (self.wall_ns if which == "wall" else self.cpu_ns)]
        n = len(micros)
        p50, p95, p99 = (percentile(micros, p) for p in (50, 95, 99))
        rate = n / (sum(micros) / 1e6)  # messages per second, one after another
        return (
            f"{self.name:<24} {n:>6} {p50:>9.1f} {p95:>9.1f} {p99:>9.1f}"
            f" {statistics.fmean(micros):>9.1f} {rate:>10.0f} {self.found:>7}"
        )


def measure(name: str, inputs: list[str], call: Callable[[str], object]) -> Result:
    """Time `call` once per input (after a warm-up pass): wall and thread CPU nanoseconds."""
    for text in inputs[: min(300, len(inputs))]:
        call(text)
    gc.collect()
    wall, cpu, found = [], [], 0
    wall_clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for text in inputs:
        cpu_start, wall_start = cpu_clock(), wall_clock()
        result = call(text)
        wall_end, cpu_end = wall_clock(), cpu_clock()
        wall.append(wall_end - wall_start)
        cpu.append(cpu_end - cpu_start)
        found += result is not None
    return Result(name, wall, cpu, found)


def load_average() -> str:
    """Return the 1-minute load average (other work competing for the CPUs), if known."""
    try:
        return f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    except OSError:
        return "unknown"


def _same_day(phrase: str) -> bool:
    """Tell whether bare dateparser lands on the same calendar day as parse_due."""
    ours = parse_due(phrase, now=NOW, tz=TZ)
    theirs = dateparser.parse(phrase, languages=["en", "zh"], settings=DATEPARSER_SETTINGS)
    if ours is None or theirs is None:
        return ours is None and theirs is None
    return ours.when.date() == theirs.date()


def main(argv: list[str] | None = None) -> int:
    """Generate messages, run every measurement, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--known", type=int, default=300, help="known customers per team")
    args = parser.parse_args(argv)

    messages = generate(args.messages, args.seed)
    # As the bot passes them: the team's index, built once (a plain list is indexed per call).
    known = NameIndex(known_customers(args.known, args.seed))
    by_text = {m.text: m for m in messages}
    phrases = [m.date_phrase for m in messages if m.date_phrase]

    def entry(text: str) -> object:
        return parse_entry(text, now=NOW, tz=TZ, known_customers=known, bot_username="crmbot",
                           addressed=by_text[text].addressed)  # fmt: skip

    def entry_unknown(text: str) -> object:
        return parse_entry(text, now=NOW, tz=TZ, bot_username="crmbot",
                           addressed=by_text[text].addressed)  # fmt: skip

    def due(text: str) -> object:
        return parse_due(text, now=NOW, tz=TZ)

    def baseline(text: str) -> object:
        return dateparser.parse(text, languages=["en", "zh"], settings=DATEPARSER_SETTINGS)

    texts = [m.text for m in messages]
    load_before = load_average()
    results = [
        measure("parse_entry", texts, entry),
        measure("parse_entry (no known)", texts, entry_unknown),
        measure("parse_due (phrase)", phrases, due),
        measure("dateparser (phrase)", phrases, baseline),
        measure("dateparser (message)", texts, baseline),
    ]
    print(f"Python {platform.python_version()} ({platform.python_implementation()}) "
          f"on {platform.system()} {platform.machine()}")  # fmt: skip
    print(f"Machine: {machine()}")
    print(f"dateparser {getattr(dateparser, '__version__', '?')}")
    print(f"{len(messages)} messages (seed {args.seed}), {len(phrases)} with a date phrase, "
          f"{len(known)} known customers; now = {NOW.isoformat()}")  # fmt: skip
    print(f"load average before: {load_before}, after: {load_average()}")
    header = (f"{'':<24} {'n':>6} {'p50 µs':>9} {'p95 µs':>9} {'p99 µs':>9} {'mean µs':>9}"
              f" {'msgs/s':>10} {'found':>7}")  # fmt: skip
    # Wall time includes being preempted by other processes; thread CPU time does not, so on
    # a busy machine the second table is the one to compare.
    for which, title in (("wall", "wall clock"), ("cpu", "thread CPU time")):
        print(f"\n{title}:\n{header}")
        for result in results:
            print(result.row(which))
    distinct = sorted(set(phrases))
    agree = [p for p in distinct if _same_day(p)]
    print(f"\ndateparser gives the same day as parse_due on {len(agree)} of {len(distinct)} "
          f"distinct date phrases: {', '.join(agree)}")  # fmt: skip
    print()
    print("Samples:")
    for message in messages[:6]:
        parsed = parse_entry(message.text, now=NOW, tz=TZ, known_customers=known,
                             bot_username="crmbot", addressed=message.addressed)  # fmt: skip
        print(f"  {message.text}\n    -> {parsed.to_json()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

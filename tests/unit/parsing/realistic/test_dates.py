"""Dates as reps type them in chat, through parse_entry: the due, and what the card must say
about it (a rule's reading, a date that does not exist, a due already gone by).

Now is Tue 24 Nov 2026 10:00 in Asia/Shanghai; the team works 09:00-18:00 and reads an English
"3/4" month first unless a case says otherwise.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import DateHabits, DoubtKind, parse_entry
from bot.parsing.dates import DEFAULT_HABITS

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)  # a Tuesday
U, P, A = DoubtKind.DATE_UNREADABLE, DoubtKind.DATE_PAST, DoubtKind.DATE_ASSUMED

Doubts = tuple[tuple[DoubtKind, str, str], ...]


def read(text: str, habits: DateHabits = DEFAULT_HABITS) -> tuple[str | None, str | None, Doubts]:
    entry = parse_entry(text, now=NOW, tz=SHANGHAI, addressed=True, habits=habits)
    due = entry.due.strftime("%Y-%m-%d %H:%M") if entry.due else None
    doubts = tuple((d.kind, d.text, d.assumed) for d in entry.doubts if d.kind.startswith("date"))
    return entry.customer, due, doubts


# (message, customer, due, doubts)
CASES: list[tuple[str, str, str | None, Doubts]] = [
    # numeric dates: the only reading that exists, Chinese month first, else the team's order
    ("/fu Acme 11/28 send quote", "Acme", "2026-11-28 09:00", ()),
    ("/fu Acme 28/11 send quote", "Acme", "2026-11-28 09:00", ()),
    ("/fu Acme 11/28 3pm pls", "Acme", "2026-11-28 15:00", ()),
    ("/fu Acme 12/5 @ 2pm", "Acme", "2026-12-05 14:00", ((A, "12/5 @ 2pm", "month_day"),)),
    ("/fu Acme 12/5 14:00 call", "Acme", "2026-12-05 14:00", ((A, "12/5 14:00", "month_day"),)),
    ("/fu Acme 3/4 demo 🙏", "Acme", "2027-03-04 09:00", ((A, "3/4", "month_day"),)),
    ("/fu Acme by 3/4", "Acme", "2027-03-04 09:00", ((A, "by 3/4", "month_day"),)),
    ("/fu Acme 12/25/26 xmas promo", "Acme", "2026-12-25 09:00", ()),
    ("/fu 万科 12.20号 回访", "万科", "2026-12-20 09:00", ()),
    ("#跟进 华为 1/5 下午3点 开会", "华为", "2027-01-05 15:00", ()),
    ("#跟进 万科 12/20", "万科", "2026-12-20 09:00", ()),
    ("#跟进 万科 3/4 再报价", "万科", "2027-03-04 09:00", ()),
    ("#跟进 万科 11.30 上午10点", "万科", "2026-11-30 10:00", ()),
    ("#跟进 万科 12月20号下午2点", "万科", "2026-12-20 14:00", ()),
    ("/fu Acme tmrw, 1/2 off deal", "Acme", "2026-11-25 09:00", ()),
    ("/note Acme: 24/7 support asked, call Fri", "Acme", "2026-11-27 09:00", ()),
    # weekdays with a time, abbreviations and typos
    ("/fu Globex Fri 4pm 📞", "Globex", "2026-11-27 16:00", ()),
    ("/fu Initech Tue 10:30 call back", "Initech", "2026-11-24 10:30", ()),
    ("/fu Acme mon 9am", "Acme", "2026-11-30 09:00", ()),
    ("/fu Acme next Mon 9", "Acme", "2026-11-30 09:00", ()),
    ("/fu Acme Thurs 11ish", "Acme", "2026-11-26 11:00", ()),
    ("/fu Acme sun 10:30", "Acme", "2026-11-29 10:30", ()),
    ("/fu Acme Fri 4 📞", "Acme", "2026-11-27 16:00", ((A, "Fri 4", "work_hours"),)),
    ("#跟进 比亚迪 周四早上8点 送样品", "比亚迪", "2026-11-26 08:00", ()),
    ("#跟进 万科 下周三下午", "万科", "2026-12-02 14:00", ()),
    ("#跟进 万科 下礼拜五上午10点", "万科", "2026-12-04 10:00", ()),
    ("#跟进 万科 明早9点半", "万科", "2026-11-25 09:30", ()),
    # tomorrow and the day after, however spelled
    ("/fu Acme tmrw pls send deck", "Acme", "2026-11-25 09:00", ()),
    ("/fu Acme 2moro 3pm", "Acme", "2026-11-25 15:00", ()),
    ("/fu Acme 2morrow morning", "Acme", "2026-11-25 09:00", ()),
    ("/fu Acme tmr arvo", "Acme", "2026-11-25 14:00", ()),
    ("/fu Acme tomorow 11am", "Acme", "2026-11-25 11:00", ()),
    ("/fu Acme day after tmrw", "Acme", "2026-11-26 09:00", ()),
    ("/fu Acme tomorrow @ 4", "Acme", "2026-11-25 16:00", ((A, "tomorrow @ 4", "work_hours"),)),
    ("/fu Acme tmrw 3, bring samples", "Acme", "2026-11-25 15:00", ((A, "tmrw 3", "work_hours"),)),
    ("/fu Acme sat 10am", "Acme", "2026-11-28 10:00", ()),
    # numbers next to a date that are not its hour
    ("/fu Acme tmrw re X-305 order", "Acme", "2026-11-25 09:00", ()),
    ("/fu Acme tmrw, quote for 2 units", "Acme", "2026-11-25 09:00", ()),
    ("#跟进 万科 明天 2台样机", "万科", "2026-11-25 09:00", ()),
    ("#跟进 万科 周三 3号楼见", "万科", "2026-11-25 09:00", ()),
    ("/note Acme budget 12.20 per unit, call tmrw", "Acme", "2026-11-25 09:00", ()),
    ("/fu Acme v2.1 demo Thu", "Acme", "2026-11-26 09:00", ()),
    # relative
    ("/fu Acme in 45 mins", "Acme", "2026-11-24 10:45", ()),
    ("/fu Acme in 10 min", "Acme", "2026-11-24 10:10", ()),
    ("/fu Acme in a couple of days", "Acme", "2026-11-26 09:00", ()),
    ("/fu Acme in three weeks chase PO", "Acme", "2026-12-15 09:00", ()),
    ("/fu Acme in 2 wks", "Acme", "2026-12-08 09:00", ()),
    ("#跟进 万科 三天后", "万科", "2026-11-27 09:00", ()),
    ("#跟进 万科 两周后", "万科", "2026-12-08 09:00", ()),
    ("#跟进 万科 过两天", "万科", "2026-11-26 09:00", ()),
    ("#跟进 万科 半小时后", "万科", "2026-11-24 10:30", ()),
    # deadlines: end of the working day, lunch, tonight
    ("/fu Acme by EOD send contract", "Acme", "2026-11-24 18:00", ((A, "by EOD", "eod"),)),
    ("/fu Acme COB tmrw", "Acme", "2026-11-25 18:00", ((A, "COB tmrw", "eod"),)),
    ("/fu Acme EOD Friday", "Acme", "2026-11-27 18:00", ((A, "EOD Friday", "eod"),)),
    ("/fu Acme end of day", "Acme", "2026-11-24 18:00", ((A, "end of day", "eod"),)),
    (
        "/fu Acme by end of business tmrw",
        "Acme",
        "2026-11-25 18:00",
        ((A, "by end of business tmrw", "eod"),),
    ),
    ("/fu Acme before lunch", "Acme", "2026-11-24 12:00", ((A, "before lunch", "lunch"),)),
    ("/fu Acme b4 lunch tmrw", "Acme", "2026-11-25 12:00", ((A, "b4 lunch tmrw", "lunch"),)),
    ("#跟进 万科 下班之前 发报价", "万科", "2026-11-24 18:00", ((A, "下班之前", "eod"),)),
    ("#跟进 万科 周五下班前", "万科", "2026-11-27 18:00", ((A, "周五下班前", "eod"),)),
    ("#跟进 万科 上午之前 回电话", "万科", "2026-11-24 12:00", ((A, "上午之前", "lunch"),)),
    ("#跟进 万科 明天中午之前", "万科", "2026-11-25 12:00", ((A, "明天中午之前", "lunch"),)),
    ("#跟进 万科 今晚之前 发合同", "万科", "2026-11-24 20:00", ((A, "今晚之前", "tonight"),)),
    ("#跟進 萬科 放工前 覆我", "萬科", "2026-11-24 18:00", ((A, "放工前", "eod"),)),
    # a bare hour: the next such hour inside working hours
    ("/fu Acme at 4", "Acme", "2026-11-24 16:00", ((A, "at 4", "work_hours"),)),
    ("/fu Acme at 10", "Acme", "2026-11-25 10:00", ()),
    ("/fu Acme 4 o'clock", "Acme", "2026-11-24 16:00", ((A, "4 o'clock", "work_hours"),)),
    ("#跟进 万科 3点", "万科", "2026-11-24 15:00", ((A, "3点", "work_hours"),)),
    ("#跟进 万科 6点", "万科", "2026-11-24 18:00", ((A, "6点", "work_hours"),)),
    # Cantonese and Taiwanese
    ("#跟进 美的 聽日 打電話", "美的", "2026-11-25 09:00", ()),
    ("#跟进 美的 听日下昼2点", "美的", "2026-11-25 14:00", ()),
    ("#跟进 美的 後日下晝3點 見面", "美的", "2026-11-26 15:00", ()),
    ("#跟进 美的 聽朝10點", "美的", "2026-11-25 10:00", ()),
    ("#跟進 萬科 聽日下晝", "萬科", "2026-11-25 14:00", ()),
    ("#跟进 美的 禮拜三 報價", "美的", "2026-11-25 09:00", ()),
    ("#跟進 萬科 禮拜五 3點", "萬科", "2026-11-27 15:00", ((A, "禮拜五 3點", "work_hours"),)),
    ("#跟进 美的 下禮拜 再約", "美的", "2026-11-30 09:00", ((A, "下禮拜", "week_start"),)),
    ("#跟進 萬科 下星期一 朝早", "萬科", "2026-11-30 09:00", ()),
    ("#跟進 萬科 後天晚上8點", "萬科", "2026-11-26 20:00", ()),
    # vague periods, each by its stated rule
    ("/fu Acme end of month", "Acme", "2026-11-30 09:00", ((A, "end of month", "month_end"),)),
    ("#跟进 格力 月底 回款", "格力", "2026-11-30 09:00", ((A, "月底", "month_end"),)),
    (
        "/fu Acme early next month",
        "Acme",
        "2026-12-01 09:00",
        ((A, "early next month", "month_start"),),
    ),
    ("#跟进 格力 下月初 续约", "格力", "2026-12-01 09:00", ((A, "下月初", "month_start"),)),
    ("#跟进 万科 月初", "万科", "2026-12-01 09:00", ((A, "月初", "month_start"),)),
    ("/fu Acme mid next month", "Acme", "2026-12-15 09:00", ((A, "mid next month", "month_mid"),)),
    ("#跟进 万科 下个月中旬", "万科", "2026-12-15 09:00", ((A, "下个月中旬", "month_mid"),)),
    (
        "/fu Acme end of next month",
        "Acme",
        "2026-12-31 09:00",
        ((A, "end of next month", "month_end"),),
    ),
    ("#跟进 万科 下月底", "万科", "2026-12-31 09:00", ((A, "下月底", "month_end"),)),
    ("/fu Acme next week", "Acme", "2026-11-30 09:00", ((A, "next week", "week_start"),)),
    ("#跟进 格力 下周 再联系", "格力", "2026-11-30 09:00", ((A, "下周", "week_start"),)),
    ("/fu Acme EOW", "Acme", "2026-11-27 09:00", ((A, "EOW", "week_end"),)),
    ("/fu Acme this wknd", "Acme", "2026-11-28 09:00", ((A, "this wknd", "weekend"),)),
    ("#跟进 格力 年底 签约", "格力", "2026-12-31 09:00", ((A, "年底", "year_end"),)),
    ("#跟进 万科 明年底", "万科", "2027-12-31 09:00", ((A, "明年底", "year_end"),)),
    ("/fu Acme EOY", "Acme", "2026-12-31 09:00", ((A, "EOY", "year_end"),)),
    ("/fu Acme end of the year", "Acme", "2026-12-31 09:00", ((A, "end of the year", "year_end"),)),
    # dates that do not exist: asked about, never replaced
    ("/fu Acme 31 Feb", "Acme", None, ((U, "31 Feb", ""),)),
    ("/fu Acme Feb 30 pls", "Acme", None, ((U, "Feb 30", ""),)),
    ("/fu Acme 2026-13-40", "Acme", None, ((U, "2026-13-40", ""),)),
    ("/fu Acme 2026/11/31", "Acme", None, ((U, "2026/11/31", ""),)),
    ("/fu Acme 31/11", "Acme", None, ((U, "31/11", ""),)),
    ("#跟进 格力 2月30日", "格力", None, ((U, "2月30日", ""),)),
    ("#跟进 万科 11月31号", "万科", None, ((U, "11月31号", ""),)),
    ("#跟進 萬科 13月5號", "萬科", None, ((U, "13月5號", ""),)),
    ("/fu Acme Feb 29", "Acme", None, ((U, "Feb 29", ""),)),
    # a due already gone by is a question; a past date no follow-up asks for is history
    ("/fu Acme yesterday 3pm", "Acme", "2026-11-23 15:00", ((P, "yesterday 3pm", ""),)),
    ("#跟进 万科 昨天下午3点", "万科", "2026-11-23 15:00", ((P, "昨天下午3点", ""),)),
    ("/fu Acme today 8am", "Acme", "2026-11-24 08:00", ((P, "today 8am", ""),)),
    ("visited Acme yesterday, follow up Fri", "Acme", "2026-11-27 09:00", ()),
    ("@bot visited Acme today", "Acme", None, ()),
    ("#拜访 万科 尋日 傾咗報價", "万科", None, ()),
    ("/visit Acme last Monday", "Acme", None, ()),
    # a month named alone: its 1st (15th, last day), said on the card; next year once it is past
    (
        "/fu Acme call back in January",
        "Acme",
        "2027-01-01 09:00",
        ((A, "in January", "month_start"),),
    ),
    (
        "/fu Acme mid-January pricing",
        "Acme",
        "2027-01-15 09:00",
        ((A, "mid-January", "month_mid"),),
    ),
    (
        "/fu Acme end of February renewal",
        "Acme",
        "2027-02-28 09:00",
        ((A, "end of February", "month_end"),),
    ),
    ("/fu Acme late December", "Acme", "2026-12-31 09:00", ((A, "late December", "month_end"),)),
    ("/fu Acme march on", "Acme", None, ()),  # lower-case "march" is a verb
    ("#跟进 万科 1月份再联系", "万科", "2027-01-01 09:00", ((A, "1月份", "month_start"),)),
    ("#跟进 华为 明年3月底前签约", "华为", "2027-03-31 09:00", ((A, "明年3月底前", "month_end"),)),
    ("#跟进 美团 十二月中旬回访", "美团", "2026-12-15 09:00", ((A, "十二月中旬", "month_mid"),)),
]

DAY_FIRST: list[tuple[str, str, str | None, Doubts]] = [
    ("/fu Acme 3/4 demo", "Acme", "2027-04-03 09:00", ((A, "3/4", "day_month"),)),
    ("/fu Acme 5/12 2pm", "Acme", "2026-12-05 14:00", ((A, "5/12 2pm", "day_month"),)),
    ("/fu Acme 11/28 send quote", "Acme", "2026-11-28 09:00", ()),
    ("/fu Acme 28/11", "Acme", "2026-11-28 09:00", ()),
    ("#跟进 华为 3/4 开会", "华为", "2027-03-04 09:00", ()),  # Chinese stays month first
]


@pytest.mark.parametrize(("text", "customer", "due", "doubts"), CASES)
def test_realistic_dates(text: str, customer: str, due: str | None, doubts: Doubts) -> None:
    assert read(text) == (customer, due, doubts)


@pytest.mark.parametrize(("text", "customer", "due", "doubts"), DAY_FIRST)
def test_realistic_dates_day_first(
    text: str, customer: str, due: str | None, doubts: Doubts
) -> None:
    assert read(text, DateHabits(day_first=True)) == (customer, due, doubts)


def test_working_hours_move_a_bare_hour() -> None:
    late = DateHabits(workday_start=time(13, 0), workday_end=time(22, 0))
    assert read("/fu Acme at 8", late)[1] == "2026-11-24 20:00"
    assert read("/fu Acme by EOD", late)[1] == "2026-11-24 22:00"

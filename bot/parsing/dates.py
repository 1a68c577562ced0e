"""Due dates and times in English and Chinese, relative to a given "now" and time zone.

Semantics (weeks start on Monday; every result is aware, in the team zone, whole minutes):

* "Friday", "周五", "on Fri": the next such day; today counts only while its time is ahead.
* "this Thursday", "本周四", "这周四": that day of the current week, even if it has passed.
* "next Tuesday", "下周二", "Tuesday next week": that day of next week; "下下周一": the week after.
* "last Monday", "上周一": that day of the previous week (for logging what happened).
* "yesterday", "昨天", "尋日"/"琴日": the day before (for logging what happened).
* Stated rules (the match carries the rule, the card says it): "next week"/"下周"/"下禮拜":
  Monday of next week; "next month", "early next month", "下月初", "月初": the 1st;
  "mid next month", "下月中(旬)": the 15th; "end of (next) month", "(下)月底": its last day;
  "年底", "end of the year", "EOY": 31 December; "by EOD", "COB", "end of day", "下班前",
  "放工前": the team's end of working day; "before lunch", "上午之前", "中午之前": 12:00;
  "今晚之前": 20:00 tonight. "下个月3号": the 3rd of next month; "5号"/"the 5th": this month,
  or next month if past.
* "Dec 5", "12月5日": this year, or next year if that day has passed; a year given is kept.
* A month alone, stated rules: "in January", "early Jan", "1月份", "明年一月", "2月初": its 1st;
  "mid-January", "1月中(旬)": the 15th; "end of/late January", "3月底", "3月下旬": its last day.
  The next such month; the current one only for a day of it still ahead.
* "this weekend"/"周末": Saturday (today on Sunday); "end of the week": Friday;
  "end of the month"/"月底": the month's last day.
* "in 3 days", "3天后", "两周后", "in 2 months": calendar days (months) later at the time of
  day given, else `default_time`; "in 2 hours", "1小时后", "半小时后": exactly that much later.
* A date without a time gets `default_time`; a period alone gets its typical hour:
  morning/上午/早上 09:00, noon/中午 12:00, afternoon/下午 14:00, evening/tonight/晚上 19:00,
  night/夜里 21:00, 凌晨 06:00.
* A time without a date ("3pm", "下午3点") is today if still ahead, else tomorrow.
* An hour without am/pm or a period (下午, 晚上, morning, …) is the one inside the team's
  working hours (rule "work_hours" when that adds 12: "at 4", "3点" = 16:00, 15:00 for
  09:00-18:00); outside them 1 to 6 is still afternoon; "03:00", "10:30" are kept as is.
  "at 4" alone is a date (the next such hour); a bare "4" only next to a day ("Fri 4").
  下午/晚上/pm add 12 hours; 中午1点 = 13:00; 晚上12点 = midnight that night; "半" = :30,
  "一刻" = :15, "三刻" = :45.
* "midnight" is the one that ends the day; "tonight" alone is 19:00.
* Numeric dates "11/28", "28/11", "12.20号", "3/4/2026": the only reading that exists; in
  Chinese text month first; else the team's order (`DateHabits.day_first`, rule "month_day"
  or "day_month"). "1/2"-"1/4" and "24/7" are fractions unless a year, time or "by" says
  otherwise; "12.20" needs 号/日 or such a word (it is more often an amount).
* Words that are a date but no day ("31 Feb", "2026-13-40", "2月30日", "31/11") are returned
  as unreadable spans (`read_dues`), never moved to a day that exists.
* Several dates in one message: the one a follow-up word ("follow up", "remind", 跟进, 回访,
  提醒, 下次) points at within its clause, else the first still ahead, else the first:
  "visited Acme today, follow up next Tuesday" -> next Tuesday.
* A naive `now` is read as wall time in `tz`; an aware one is converted to `tz`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from bot.parsing.numerals import CN_DIGIT_CHARS, EN_NUMBER_WORDS, to_int
from bot.parsing.text import CJK, Span, fold


@dataclass(frozen=True, slots=True)
class DueMatch:
    """A date/time found in text: when it is and the span it came from."""

    when: datetime
    start: int
    end: int
    rule: str | None = None  # the stated rule it was read by ("eod", "month_day", …), if any
    clock: bool = False  # a time of day was written (not only a day)


@dataclass(frozen=True, slots=True)
class DueReading:
    """Every date expression in a text, and the spans that look like dates but do not exist."""

    matches: list[DueMatch]
    unreadable: list[Span]


@dataclass(frozen=True, slots=True)
class DateHabits:
    """How a team writes and works: the working day and the order of an English M/D date."""

    workday_start: time = time(9, 0)
    workday_end: time = time(18, 0)
    day_first: bool = False  # "3/4" is 3 April (day/month) rather than 4 March (month/day)


@dataclass(slots=True)
class _Part:
    """One piece of a date expression: a day, a time of day, or a relative offset."""

    kind: str  # "day" | "time" | "rel" | "bad" (looks like a date that does not exist)
    start: int
    end: int
    day: date | None = None
    roll: str | None = None  # "week" (+7 days) or "day" (+1 day) while the result is not ahead
    period: str | None = None
    hour: int | None = None
    minute: int = 0
    strict: bool = False  # 24-hour clock, am/pm or a leading zero: no business-hours guess
    weak: bool = False  # only meaningful next to a day ("at 3", "morning", "晚")
    exact: datetime | None = None  # "in 2 hours": the instant itself
    rule: str | None = None  # the stated rule this part was read by

    @property
    def is_day(self) -> bool:
        return self.kind in ("day", "bad") or (self.kind == "rel" and self.exact is None)


@dataclass(frozen=True, slots=True)
class _Ctx:
    now: datetime  # aware, in the team zone
    today: date
    tz: ZoneInfo
    default_time: time
    habits: DateHabits
    cjk: bool  # the text has Chinese in it: numeric dates are month first


# ---------------------------------------------------------------------------------------------
# Vocabulary

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}  # fmt: skip
_WEEKDAYS_EN = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2,
    "wed": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
# Abbreviations that are also English words ("sat down", "the sun"): need "on"/"next"/… first.
_AMBIGUOUS_ABBREVIATIONS = {"sat", "sun", "mon", "wed"}
# Month names that are also words ("may", "march"): need a capital letter.
_CAPITALIZED_MONTHS = {"may", "mar", "march"}
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
                "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}  # fmt: skip
_ZH_DAYS = {
    "今天": (0, None), "今日": (0, None), "今儿": (0, None), "今兒": (0, None),
    "今晚": (0, "evening"), "今夜": (0, "evening"), "今早": (0, "morning"), "今晨": (0, "morning"),
    "明天": (1, None), "明日": (1, None), "明儿": (1, None), "明兒": (1, None),
    "明早": (1, "morning"), "明晨": (1, "morning"), "明晚": (1, "evening"), "明夜": (1, "evening"),
    "后天": (2, None), "後天": (2, None), "大后天": (3, None), "大後天": (3, None),
    "大大后天": (4, None), "大大後天": (4, None),
    # Cantonese and Taiwanese: 聽日 tomorrow, 後日 the day after, 尋日/琴日 yesterday, 朝 morning
    "聽日": (1, None), "听日": (1, None), "聽朝": (1, "morning"), "听朝": (1, "morning"),
    "聽晚": (1, "evening"), "听晚": (1, "evening"), "後日": (2, None), "今朝": (0, "morning"),
    "昨天": (-1, None), "昨日": (-1, None), "尋日": (-1, None), "寻日": (-1, None),
    "琴日": (-1, None), "昨晚": (-1, "evening"), "前天": (-2, None),
}  # fmt: skip
_ZH_PERIODS = {
    "凌晨": "dawn", "清晨": "morning", "早上": "morning", "早晨": "morning", "上午": "morning",
    "早": "morning", "中午": "noon", "正午": "noon", "午后": "afternoon", "午後": "afternoon",
    "下午": "afternoon", "傍晚": "evening", "晚上": "evening", "晚间": "evening",
    "晚間": "evening", "晚": "evening", "夜里": "night", "夜裡": "night", "夜间": "night",
    "夜間": "night", "半夜": "night", "深夜": "night",
    "朝早": "morning", "上晝": "morning", "上昼": "morning", "下晝": "afternoon",
    "下昼": "afternoon", "晏晝": "afternoon", "晏昼": "afternoon", "夜晚": "evening",
}  # fmt: skip
_EN_PERIODS = {"morning": "morning", "afternoon": "afternoon", "evening": "evening",
               "night": "night", "tonight": "evening", "tonite": "evening",
               "arvo": "afternoon"}  # fmt: skip
_PERIOD_CLOCK = {
    "dawn": time(6, 0), "morning": time(9, 0), "noon": time(12, 0), "afternoon": time(14, 0),
    "evening": time(19, 0), "night": time(21, 0),
}  # fmt: skip

_NB = r"(?<![A-Za-z])"  # an ASCII word start that also works next to CJK characters
_NA = r"(?![A-Za-z])"
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WD_ALT = "|".join(sorted(_WEEKDAYS_EN, key=len, reverse=True))
_CN = f"[{CN_DIGIT_CHARS}十]"
_CNN = rf"(?:\d{{1,2}}|{_CN}{{1,3}})"
_ZH_PERIOD_ALT = "|".join(sorted(_ZH_PERIODS, key=len, reverse=True))
_EN_NUM_ALT = "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(EN_NUMBER_WORDS, key=len, reverse=True)
)

_TOMORROW = "tomorrow|tomorow|tommorow|tommorrow|tmrw|tmrow|tmr|tmw|2moro|2morrow|2morow|2mrw"
_EN_DAY_RE = re.compile(
    rf"""
    {_NB}(?:
        (?P<dat>(?:the\s+)?day\s+after\s+(?:{_TOMORROW})|overmorrow)
      | (?P<tom>{_TOMORROW})
      | (?P<yest>yesterday|yday)
      | (?P<tod>today|tdy)
      | (?P<tonight>tonight|tonite)
      | this\s+(?P<thisp>morning|afternoon|evening)
      | (?:(?P<wmod>next|this|coming|last|following)\s+)?(?P<wd>{_WD_ALT})\.?
        (?:\s+(?P<wsuf>next|this|last)\s+week)?
      | (?P<eonw>end\s+of\s+next\s+week)
      | (?P<nw>next\s+week|following\s+week)
      | (?P<nms>(?:early|beginning\s+of|start\s+of)\s+next\s+month)
      | (?P<mnm>mid[\s-]+next[\s-]+month|(?:the\s+)?middle\s+of\s+next\s+month)
      | (?P<eonm>end\s+of\s+next\s+month)
      | (?P<nm>next\s+month)
      | (?P<eoy>end\s+of\s+(?:the\s+|this\s+)?year|eoy|year[\s-]end)
      | (?P<eow>end\s+of\s+(?:the\s+|this\s+)?week|eow)
      | (?P<eom>end\s+of\s+(?:the\s+|this\s+)?month|eom)
      | (?P<wkend>(?:this\s+|next\s+)?(?:weekend|wknd|wkend))
      | (?P<mn>{_MONTH_ALT})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:.])
        (?:,?\s+(?P<my>\d{{4}})(?!\d))?
      | (?P<dm>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmn>{_MONTH_ALT})\.?{_NA}
        (?:,?\s+(?P<dmy>\d{{4}})(?!\d))?
      | the\s+(?P<ord>\d{{1,2}})(?:st|nd|rd|th)
      | (?P<mop>in|by|early|beginning\s+of|start\s+of|mid|middle\s+of|late|end\s+of|next)
        [\s-]+(?:the\s+)?(?P<mo>{_MONTH_ALT})\.?(?!\s*\d)
      | (?<![\d.\-/])(?P<iy>(?:19|20)\d\d)[-/.](?P<im>\d{{1,2}})[-/.](?P<id>\d{{1,2}})(?![\d.\-/])
    ){_NA}
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ZH_DAY_ALT = "|".join(sorted(_ZH_DAYS, key=len, reverse=True))
_ZH_DAY_RE = re.compile(
    rf"""
      (?<!\d)(?P<zy>\d{{4}}|[{CN_DIGIT_CHARS}]{{4}})\s*年\s*(?P<zym>{_CNN})\s*月\s*(?P<zyd>{_CNN})
        \s*[日号號]?
    | (?<![\d.])(?P<zmo>{_CNN})\s*月\s*(?P<zmd>{_CNN})\s*(?:[日号號](?![楼樓线線])|(?![\d个個份]))
    | (?P<zrm>下下(?:个|個)?月|下(?:个|個)?月|本月|这个月|這個月|次月)
      (?:\s*(?P<zrmd>{_CNN})\s*[日号號]|(?P<zrmp>初|中旬|中|底|末|尾))?
    | (?<![\d{CN_DIGIT_CHARS}十.])(?P<zmy>明年|今年)?
      (?P<zmm>(?:1[0-2]|0?[1-9])|十[一二]?|[一二三四五六七八九])\s*月(?:份)?
      (?P<zmmp>初|上旬|中旬|中|下旬|底|末)?(?![\d{CN_DIGIT_CHARS}十个個])
    | (?<![\d{CN_DIGIT_CHARS}十])(?P<zmp>月初|月中旬|月中)
    | (?P<zwmod>下下(?:个|個)?|下(?:个|個)?|上(?:个|個)?|本|这(?:个)?|這(?:個)?)?
      (?:周|週|星期|礼拜|禮拜)(?P<zwd>[一二三四五六日天1-7])
    | (?P<zwkend>(?:下(?:个|個)?|这(?:个)?|這(?:個)?|本)?(?:周末|週末))
    | (?P<znw>下下(?:个|個)?(?:周|週|星期|礼拜|禮拜)|下(?:个|個)?(?:周|週|星期|礼拜|禮拜))
    | (?P<zeom>(?:本|这个|這個)?(?:月底|月末))
    | (?P<zyr>今年|明年|(?P<zyry>\d{{4}})\s*年|年)(?P<zyp>底|末|尾)
    | (?P<zday>{_ZH_DAY_ALT})
    | (?<![\d月年.])(?P<zdd>\d{{1,2}}|{_CN}{{1,3}})\s*[号號]
      (?![楼樓线線门門店室房院路街位机機库庫仓倉口厂廠车車箱桌馆館厅廳床窗柜櫃码碼])
    | (?<![\d月年.])(?P<zdd2>\d{{1,2}})日(?![内內后後前])
    """,
    re.VERBOSE,
)
# Deadlines: "by EOD", "COB", "before lunch", "下班之前", "上午之前", "今晚之前".
_DEADLINE_RE = re.compile(
    rf"""
      {_NB}(?P<eod>eod|e\.o\.d\.?|cob|c\.o\.b\.?|eob|close\s+of\s+(?:business|play)
        |end\s+of\s+(?:the\s+)?(?:business\s+|working\s+|work\s+)?day|end\s+of\s+business){_NA}
    | {_NB}(?P<lunch>(?:before|by|b4|until|till)\s+lunch(?:\s*time)?){_NA}
    | (?P<zeod>下班|收工|放工|收市)\s*(?:之前|以前|前)
    | (?P<zlunch>上午|中午|午饭|午飯|午休|食晏|上晝|上昼)\s*(?:之前|以前|前)
    | (?P<ztonight>今晚|今夜|今天晚上|今日晚上|晚上)\s*(?:之前|以前|前)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_EN_TIME_RE = re.compile(
    rf"""
    {_NB}(?:(?:at|@|around|by|from)\s*)?
    (?:
        (?P<eh>\d{{1,2}})(?:[:.](?P<em>\d{{2}}))?\s*(?P<eap>a\.?m\.?|p\.?m\.?){_NA}
      | (?P<eh2>\d{{1,2}}):(?P<em2>\d{{2}})(?![\d:])(?:\s*(?:h|hrs){_NA})?
      | (?P<noon>noon|midday|midnight){_NA}
      | (?P<eh3>\d{{1,2}})\s*o['’]?clock{_NA}
      | (?:in\s+the\s+)?(?P<ep>morning|afternoon|arvo|evening|night){_NA}
      | (?:(?<=[Aa]t\s)|(?<=@)|(?<=@\s))(?P<eh4>\d{{1,2}})(?![\d:.,%/A-Za-z])
      | (?<![\d.,:/-])(?P<eh5>\d{{1,2}})
        (?:\s*ish|(?=\s*(?:$|[,，;；!?。！？)]|\.(?!\d)|[^\x00-\x7f{CJK}])))
    )
    (?:\s+(?:in\s+the\s+)?(?P<ep2>morning|afternoon|arvo|evening|night){_NA})?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ZH_CLOCK = rf"""
    (?:
        (?P<zh>\d{{1,2}}|{_CN}{{1,3}})\s*(?:点钟|點鐘|点|點|(?:时|時)(?![间間候代]))
        (?:(?P<zhalf>半)|(?P<zq>[一1三3])刻|(?P<zm>\d{{1,2}})(?:分钟|分鐘|分)?(?![\d万萬千kKwW%.])
          |(?P<zmc>{_CN}{{1,3}})(?:分钟|分鐘|分)|(?P<zzheng>整))?
      | (?P<zh2>\d{{1,2}})\s*:\s*(?P<zm2>\d{{2}})(?![\d:]|\s*[AaPp]\.?[Mm](?![A-Za-z]))
    )
"""
_CN_OR_DIGIT = rf"(?:\d|{_CN})"
_ZH_TIME_RE = re.compile(
    rf"(?:(?P<zp>{_ZH_PERIOD_ALT})\s*)?{_ZH_CLOCK}|(?P<zpo>{_ZH_PERIOD_ALT})", re.VERBOSE
)
_EN_REL_RE = re.compile(
    rf"""
    {_NB}(?:
        (?:in|within|after)\s+(?P<rn>(?<![\d.])\d{{1,4}}(?:\.\d{{1,2}})?|half\s+an?|{_EN_NUM_ALT})\s*
        (?P<ru>minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|fortnights?|months?|(?<=\d)[hd]){_NA}
        (?:\s+(?:from\s+now|later|time){_NA})?
      | (?P<rn2>(?<![\d.])\d{{1,4}}(?:\.\d{{1,2}})?|{_EN_NUM_ALT})\s*
        (?P<ru2>minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|fortnights?|months?)
        \s+(?:from\s+now|later){_NA}
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ZH_REL_RE = re.compile(
    rf"""
      (?P<zrn>(?<![\d.])\d{{1,4}}(?:\.\d{{1,2}})?|{_CN}{{1,3}}|半|几|幾)\s*(?:个|個)?\s*(?P<zrh1>半)?\s*
      (?P<zru>分钟|分鐘|小时|小時|钟头|鐘頭|天|日|周|週|星期|礼拜|禮拜|月)\s*(?P<zrh2>半)?\s*
      (?:以后|以後|之后|之後|后|後|以内|以內|之内|之內|内|內)
    | (?:过|過)\s*(?P<zrn2>(?<!\d)\d{{1,4}}|{_CN}{{1,3}}|几|幾)\s*(?:个|個)?\s*
      (?P<zru2>小时|小時|天|周|週|星期|礼拜|禮拜|月)
    """,
    re.VERBOSE,
)
# Slash dates are ambiguous and sparse: hand them to dateparser, but only with a year, a time,
# or a word that says a date follows (a bare "1/2" is more often a fraction).
_FALLBACK_RE = re.compile(
    rf"""
    (?<![\d/.:A-Za-z$¥€£])(?P<a>\d{{1,2}})(?P<sep>[/.])(?P<b>\d{{1,2}})
    (?:(?P=sep)(?P<y>\d{{4}}|\d{{2}}))?
    (?:\s*(?P<hao>[号號日])(?![楼樓线線门門店室房])|(?![\d/%A-Za-z]|\.\d|\s*(?:of|的|折|off)\b))
    (?P<t>(?=\s*(?:at\s+|@\s*)?\d{{1,2}}(?::\d{{2}})?\s*(?:am|pm)|\s*(?:{_ZH_PERIOD_ALT})?\s*{_CN_OR_DIGIT}{{1,3}}\s*[点點]|\s+\d{{1,2}}:\d{{2}}))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_FALLBACK_CONTEXT_RE = re.compile(
    r"(?i)(?:\b(?:on|by|due|before|until|till|deadline|date|from)\s*:?\s*|截止|日期|于|於|在)$"
)
_GAP_RE = re.compile(r"(?:[\s,，、@]|at|on|around|by|from|the|的|in)*", re.IGNORECASE)
_LEAD_RE = re.compile(r"(?<![A-Za-z])(?:on|by|before|until|till|due|around)\s+$", re.IGNORECASE)
_TAIL_RE = re.compile(r"\s*(?:之前|以前|前|左右)")
# "mon 9am", "Sun 10:30": a clock right after an ambiguous abbreviation makes it a weekday.
_CLOCK_AFTER_RE = re.compile(r"\s*(?:at\s*|@\s*)?\d{1,2}(?::\d{2}|\s*[ap]\.?m\.?(?![a-z]))", re.I)
_ABBR_OK_BEFORE_RE = re.compile(r"(?:on|by|until|till|before|every|from)\s+$", re.IGNORECASE)
_FOLLOWUP_RE = re.compile(
    r"(?<![A-Za-z])(?:follow[\s-]?up|f/u|remind(?:\s+me)?|reminder|call\s+back|check\s+in|"
    r"next\s+step|chase)(?![A-Za-z])|跟进|跟進|回访|回訪|提醒|再联系|再聯繫|下次|催",
    re.IGNORECASE,
)
# No real message has more date phrases than this; the cap bounds the work on garbage input.
_MAX_MATCHES = 32
_CJK_RE = re.compile(f"[{CJK}]")
_CLAUSE_RE = re.compile(r"[,;，；。!?！？\n]|\.\s|\s[-–—]\s|—")


# ---------------------------------------------------------------------------------------------
# Public API


DEFAULT_HABITS = DateHabits()


def parse_due(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_time: time = time(9, 0),
    habits: DateHabits = DEFAULT_HABITS,
) -> DueMatch | None:
    """Return the due date in text: the one a follow-up word points at, else the first ahead."""
    try:
        folded = fold(text)
        found = find_dues(folded, now=now, tz=tz, default_time=default_time, habits=habits)
        return choose_due(found, folded, now)
    except (ValueError, OverflowError, ArithmeticError):
        return None


def find_dues(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_time: time = time(9, 0),
    habits: DateHabits = DEFAULT_HABITS,
) -> list[DueMatch]:
    """Return every date expression in already folded text, in order."""
    return read_dues(text, now=now, tz=tz, default_time=default_time, habits=habits).matches


def read_dues(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_time: time = time(9, 0),
    habits: DateHabits = DEFAULT_HABITS,
) -> DueReading:
    """Return every date expression in already folded text, and the dates that do not exist."""
    local = now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)
    cjk = _CJK_RE.search(text) is not None
    ctx = _Ctx(local.replace(second=0, microsecond=0), local.date(), tz, default_time, habits, cjk)
    parts: list[_Part] = []
    taken: list[Span] = []
    for scanner in (_scan_deadline, _scan_rel_en, _scan_rel_zh, _scan_day_en, _scan_day_zh,
                    _scan_slash, _scan_time_zh, _scan_time_en):  # fmt: skip
        for part in scanner(text, ctx, taken):
            parts.append(part)
            taken.append((part.start, part.end))
    parts.sort(key=lambda p: p.start)
    found: list[DueMatch] = []
    unreadable: list[Span] = []
    for group in _group(parts, text):
        start, end = _widen(text, group[0].start, group[-1].end)
        if any(p.kind == "bad" for p in group):
            unreadable.append((group[0].start, group[-1].end))
            continue
        resolved = _resolve(group, ctx)
        if resolved is None:
            continue
        when, rule = resolved
        clock = any(p.hour is not None or p.exact is not None for p in group)
        found.append(DueMatch(when, start, end, rule, clock))
    return DueReading(found, unreadable)


def choose_due(matches: list[DueMatch], text: str, now: datetime) -> DueMatch | None:
    """Pick the date a follow-up word points at, else the first still ahead, else the first."""
    if len(matches) <= 1:
        return matches[0] if matches else None
    pointed = pointed_due(matches, text)
    if pointed is not None:
        return pointed
    # "今天拜访了万科，下周三再去": the visit happened today, what is due is next Wednesday.
    if now.tzinfo is None:
        now = now.replace(tzinfo=matches[0].when.tzinfo)
    ahead = [m for m in matches if m.when > now]
    return ahead[0] if ahead else matches[0]


def pointed_due(matches: list[DueMatch], text: str) -> DueMatch | None:
    """Return the date a follow-up word ("follow up", 跟进, 提醒 …) points at in its clause."""
    for kw in _FOLLOWUP_RE.finditer(text):
        left = max((m.end() for m in _CLAUSE_RE.finditer(text, 0, kw.start())), default=0)
        right_m = _CLAUSE_RE.search(text, kw.end())
        right = right_m.start() if right_m else len(text)
        in_clause = [m for m in matches if m.start >= left and m.end <= right]
        after = [m for m in in_clause if m.start >= kw.end()]
        if after:
            return after[0]
        before = [m for m in in_clause if m.end <= kw.start()]
        if before:
            return before[-1]
    return None


# ---------------------------------------------------------------------------------------------
# Scanners: each yields parts that do not overlap what earlier scanners took.


def _matches(pattern: re.Pattern[str], text: str, taken: list[Span]) -> list[re.Match[str]]:
    """Return non-overlapping matches that avoid taken spans, retrying just past a collision."""
    out: list[re.Match[str]] = []
    pos = 0
    while pos <= len(text) and len(out) < _MAX_MATCHES:
        m = pattern.search(text, pos)
        if m is None:
            break
        if m.end() == m.start():
            pos = m.end() + 1
            continue
        blocking = next(((a, b) for a, b in taken if m.start() < b and a < m.end()), None)
        if blocking is not None:
            # Starting inside a taken span ("明早", then "早9点"): look again right after it;
            # running into one: look again one character later.
            pos = blocking[1] if blocking[0] <= m.start() else m.start() + 1
            continue
        out.append(m)
        pos = m.end()
    return out


def _scan_deadline(text: str, ctx: _Ctx, taken: list[Span]) -> list[_Part]:
    """Read "EOD", "before lunch", "下班前", "今晚之前" as a time of day, by its stated rule."""
    parts = []
    end_of_day = ctx.habits.workday_end
    for m in _matches(_DEADLINE_RE, text, taken):
        s, e = m.start(), m.end()
        if m["eod"] or m["zeod"]:
            parts.append(_Part("time", s, e, hour=end_of_day.hour, minute=end_of_day.minute,
                               strict=True, rule="eod"))  # fmt: skip
        elif m["lunch"] or m["zlunch"]:
            parts.append(_Part("time", s, e, hour=12, strict=True, rule="lunch"))
        elif m["ztonight"].startswith("晚"):
            parts.append(_Part("time", s, e, hour=20, strict=True, rule="tonight"))
        else:
            parts.append(_Part("day", s, e, day=ctx.today, hour=20, strict=True, rule="tonight"))
    return parts


def _scan_rel_en(text: str, ctx: _Ctx, taken: list[Span]) -> list[_Part]:
    parts = []
    for m in _matches(_EN_REL_RE, text, taken):
        number, unit = (m["rn"], m["ru"]) if m["rn"] else (m["rn2"], m["ru2"])
        amount = _en_number(number)
        part = _rel_part(amount, unit.lower(), m, ctx) if amount is not None else None
        if part:
            parts.append(part)
    return parts


def _scan_rel_zh(text: str, ctx: _Ctx, taken: list[Span]) -> list[_Part]:
    units = {"分钟": "minute", "分鐘": "minute", "小时": "hour", "小時": "hour", "钟头": "hour",
             "鐘頭": "hour", "天": "day", "日": "day", "周": "week", "週": "week",
             "星期": "week", "礼拜": "week", "禮拜": "week", "月": "month"}  # fmt: skip
    parts = []
    for m in _matches(_ZH_REL_RE, text, taken):
        raw, unit = (m["zrn"], m["zru"]) if m["zrn"] else (m["zrn2"], m["zru2"])
        amount: Decimal | None
        if raw == "半":
            amount = Decimal("0.5")
        elif raw in ("几", "幾"):
            amount = Decimal(3)
        elif raw.replace(".", "", 1).isdigit():
            amount = Decimal(raw)
        else:
            value = to_int(raw)
            amount = Decimal(value) if value is not None else None
        if amount is None:
            continue
        if (m["zrn"] and (m["zrh1"] or m["zrh2"])) and raw != "半":
            amount += Decimal("0.5")  # 一个半小时 = 1.5 hours
        part = _rel_part(amount, units[unit], m, ctx)
        if part:
            parts.append(part)
    return parts


def _rel_part(amount: Decimal, unit: str, m: re.Match[str], ctx: _Ctx) -> _Part | None:
    if amount <= 0 or amount > 1000:
        return None
    unit = unit.rstrip("s") if len(unit) > 1 else unit
    if unit in ("minute", "min", "hour", "hr", "h"):
        minutes = amount * (1 if unit in ("minute", "min") else 60)
        exact = (ctx.now.astimezone(UTC) + timedelta(minutes=float(minutes))).astimezone(ctx.tz)
        return _Part("rel", m.start(), m.end(), exact=exact.replace(second=0, microsecond=0))
    if unit in ("month", "mo"):
        whole = int(amount)
        day = _add_months(ctx.today, whole) + timedelta(days=round((amount - whole) * 30))
        return _Part("rel", m.start(), m.end(), day=day)
    days = amount * {"week": 7, "wk": 7, "fortnight": 14}.get(unit, 1)
    return _Part("rel", m.start(), m.end(), day=ctx.today + timedelta(days=round(days)))


def _scan_day_en(text: str, ctx: _Ctx, taken: list[Span]) -> list[_Part]:
    parts = []
    for m in _matches(_EN_DAY_RE, text, taken):
        part = _en_day(m, text, ctx)
        if part is not None:
            parts.append(part)
    return parts


def _en_day(m: re.Match[str], text: str, ctx: _Ctx) -> _Part | None:
    today = ctx.today
    s, e = m.start(), m.end()
    if m["dat"]:
        return _Part("day", s, e, day=today + timedelta(days=2))
    if m["tom"]:
        return _Part("day", s, e, day=today + timedelta(days=1))
    if m["yest"]:
        return _Part("day", s, e, day=today - timedelta(days=1))
    if m["tod"]:
        return _Part("day", s, e, day=today)
    if m["tonight"]:
        return _Part("day", s, e, day=today, period="evening")
    if m["thisp"]:
        return _Part("day", s, e, day=today, period=m["thisp"].lower())
    if m["wd"]:
        word = m["wd"].lower()
        mod = (m["wmod"] or "").lower()
        suffix = (m["wsuf"] or "").lower()
        if word in _AMBIGUOUS_ABBREVIATIONS and not (mod or suffix or m.group().endswith(".")):
            before = _ABBR_OK_BEFORE_RE.search(text, max(0, s - 8), s)
            if not before and not _CLOCK_AFTER_RE.match(text, e):
                return None
        weekday = _WEEKDAYS_EN[word]
        offset = {"next": 1, "following": 1, "this": 0, "last": -1}.get(suffix or mod)
        return _weekday_part(s, e, weekday, offset, ctx)
    if m["eonw"]:
        return _Part("day", s, e, day=_monday(today) + timedelta(days=11), rule="week_end")
    if m["nw"]:
        return _Part("day", s, e, day=_monday(today) + timedelta(days=7), rule="week_start")
    if m["nms"] or m["nm"]:
        return _Part("day", s, e, day=_add_months(today.replace(day=1), 1), rule="month_start")
    if m["mnm"]:
        return _Part("day", s, e, day=_add_months(today.replace(day=15), 1), rule="month_mid")
    if m["eonm"]:
        next_month = _add_months(today.replace(day=1), 1)
        return _Part("day", s, e, day=_month_end(next_month), rule="month_end")
    if m["eoy"]:
        return _Part("day", s, e, day=date(today.year, 12, 31), rule="year_end")
    if m["eow"]:
        friday = _monday(today) + timedelta(days=4)
        day = friday if friday >= today else friday + timedelta(days=7)
        return _Part("day", s, e, day=day, rule="week_end")
    if m["eom"]:
        return _Part("day", s, e, day=_month_end(today), rule="month_end")
    if m["wkend"]:
        return _weekend_part(s, e, 1 if m["wkend"].lower().startswith("next") else 0, ctx)
    if m["mn"] or m["dmn"]:
        name = m["mn"] or m["dmn"]
        if name.lower() in _CAPITALIZED_MONTHS and not name[0].isupper():
            return None
        month = _MONTHS[name.lower()]
        day_s, year_s = (m["md"], m["my"]) if m["mn"] else (m["dm"], m["dmy"])
        return _month_day_part(s, e, int(year_s) if year_s else None, month, int(day_s), ctx)
    if m["ord"]:
        return _day_of_month_part(s, e, int(m["ord"]), 0, ctx)
    if m["mo"]:
        name = m["mo"]
        if name.lower() in _CAPITALIZED_MONTHS and not name[0].isupper():
            return None
        which = _EN_MONTH_PART.get(m["mop"].lower().split()[0], "start")
        return _month_part(s, e, None, _MONTHS[name.lower()], which, ctx)
    if m["iy"]:
        return _month_day_part(s, e, int(m["iy"]), int(m["im"]), int(m["id"]), ctx)
    return None


_EN_MONTH_PART = {"mid": "mid", "middle": "mid", "late": "end", "end": "end"}
_ZH_MONTH_PART = {"中": "mid", "中旬": "mid", "底": "end", "末": "end", "下旬": "end"}


def _month_part(
    s: int, e: int, year: int | None, month: int, where: str, ctx: _Ctx
) -> _Part | None:
    """A month named alone ("in January", "1月份", "3月底"): its 1st, 15th or last day.

    The next such month; the current one only for a day of it still ahead (mid, end).
    """
    today = ctx.today
    if year is None:
        year = today.year if month >= today.month else today.year + 1
    first = date(year, month, 1)
    day = {"start": first, "mid": first.replace(day=15), "end": _month_end(first)}[where]
    if day < today:
        return None  # "in December" said in December: no day to put it on
    return _Part("day", s, e, day=day, rule=f"month_{where}")


def _scan_day_zh(text: str, ctx: _Ctx, taken: list[Span]) -> list[_Part]:
    parts = []
    for m in _matches(_ZH_DAY_RE, text, taken):
        part = _zh_day(m, ctx)
        if part is not None:
            parts.append(part)
    return parts


def _zh_day(m: re.Match[str], ctx: _Ctx) -> _Part | None:
    today = ctx.today
    s, e = m.start(), m.end()
    if m["zy"]:
        year, month, day = to_int(m["zy"]), to_int(m["zym"]), to_int(m["zyd"])
        if year is None or month is None or day is None:
            return None
        return _month_day_part(s, e, year, month, day, ctx)
    if m["zmo"]:
        month, day = to_int(m["zmo"]), to_int(m["zmd"])
        if month is None or day is None:
            return None
        return _month_day_part(s, e, None, month, day, ctx)
    if m["zyr"]:
        year = int(m["zyry"]) if m["zyry"] else today.year + (1 if m["zyr"] == "明年" else 0)
        return _Part("day", s, e, day=date(year, 12, 31), rule="year_end")
    if m["zmm"]:
        month = to_int(m["zmm"])
        if month is None or not 1 <= month <= 12:
            return None
        year = today.year + 1 if m["zmy"] == "明年" else today.year if m["zmy"] else None
        which = _ZH_MONTH_PART.get(m["zmmp"] or "", "start")
        return _month_part(s, e, year, month, which, ctx)
    if m["zmp"]:
        day = 1 if m["zmp"] == "月初" else 15
        part = _day_of_month_part(s, e, day, 0, ctx)
        if part is not None:
            part.rule = "month_start" if day == 1 else "month_mid"
        return part
    if m["zrm"]:
        word = m["zrm"]
        months = 2 if word.startswith("下下") else 1 if word.startswith(("下", "次")) else 0
        if m["zrmp"]:
            first = _add_months(today.replace(day=1), months)
            if m["zrmp"] == "初":
                return _Part("day", s, e, day=first, rule="month_start")
            if m["zrmp"].startswith("中"):
                return _Part("day", s, e, day=first.replace(day=15), rule="month_mid")
            return _Part("day", s, e, day=_month_end(first), rule="month_end")
        if m["zrmd"]:
            day = to_int(m["zrmd"])
            if day is None:
                return None
            return _day_of_month_part(s, e, day, months, ctx, roll=False)
        if months == 0:
            return None  # "本月" alone is not a date
        return _Part("day", s, e, day=_add_months(today.replace(day=1), months),
                     rule="month_start")  # fmt: skip
    if m["zwd"]:
        mod = m["zwmod"] or ""
        offset = (2 if mod.startswith("下下") else 1 if mod.startswith("下")
                  else -1 if mod.startswith("上") else 0 if mod else None)  # fmt: skip
        return _weekday_part(s, e, _WEEKDAYS_ZH[m["zwd"]], offset, ctx)
    if m["zwkend"]:
        return _weekend_part(s, e, 1 if m["zwkend"].startswith("下") else 0, ctx)
    if m["znw"]:
        weeks = 2 if m["znw"].startswith("下下") else 1
        monday = _monday(today) + timedelta(days=7 * weeks)
        return _Part("day", s, e, day=monday, rule="week_start")
    if m["zeom"]:
        return _Part("day", s, e, day=_month_end(today), rule="month_end")
    if m["zday"]:
        offset, period = _ZH_DAYS[m["zday"]]
        return _Part("day", s, e, day=today + timedelta(days=offset), period=period)
    raw = m["zdd"] or m["zdd2"]
    if raw:
        day = to_int(raw)
        return _day_of_month_part(s, e, day, 0, ctx) if day else None
    return None


def _scan_time_zh(text: str, ctx: _Ctx, taken: list[Span]) -> list[_Part]:
    parts = []
    for m in _matches(_ZH_TIME_RE, text, taken):
        if m["zpo"]:
            period_word = m["zpo"]
            # A bare 早/晚 ("晚了", "早日") only counts right after a day word.
            parts.append(_Part("time", m.start(), m.end(), period=_ZH_PERIODS[period_word],
                               weak=True))  # fmt: skip
            continue
        period_word = m["zp"]
        if m["zh2"]:
            hour_s, minute = m["zh2"], int(m["zm2"])
        else:
            hour_s = m["zh"]
            minute = 0
            if m["zhalf"]:
                minute = 30
            elif m["zq"]:
                minute = 15 if m["zq"] in "一1" else 45
            elif m["zm"]:
                minute = int(m["zm"])
            elif m["zmc"]:
                minute = to_int(m["zmc"]) or 0
        hour = to_int(hour_s)
        if hour is None or hour > 24 or minute > 59:
            continue
        spoken = not hour_s.isdigit()
        suffix = bool(m["zhalf"] or m["zq"] or m["zm"] or m["zmc"] or m["zzheng"])
        long_period = period_word is not None and len(period_word) > 1
        # "一点" is usually "a bit" (便宜一点, 晚一点); spoken hours alone are weak as well.
        weak = spoken and not suffix and not long_period and "钟" not in m.group()
        if hour_s in ("一", "1") and period_word in ("早", "晚") and not suffix:
            continue
        parts.append(_Part(
            "time", m.start(), m.end(), hour=hour, minute=minute,
            period=_ZH_PERIODS[period_word] if period_word else None,
            strict=(hour_s.startswith("0") and len(hour_s) == 2) or hour > 12, weak=weak,
        ))  # fmt: skip
    return parts


def _scan_time_en(text: str, ctx: _Ctx, taken: list[Span]) -> list[_Part]:
    parts = []
    for m in _matches(_EN_TIME_RE, text, taken):
        period = _EN_PERIODS.get((m["ep2"] or "").lower())
        s, e = m.start(), m.end()
        if m["eh"]:
            hour, minute = int(m["eh"]), int(m["em"] or 0)
            ampm = "am" if m["eap"].lower().startswith("a") else "pm"
            if not 1 <= hour <= 12 and not (hour <= 23 and ampm == "pm"):
                continue
            parts.append(_Part("time", s, e, hour=hour, minute=minute, period=ampm, strict=True))
        elif m["eh2"]:
            hour, minute = int(m["eh2"]), int(m["em2"])
            strict = (m["eh2"].startswith("0") and len(m["eh2"]) == 2) or hour > 12
            parts.append(_Part("time", s, e, hour=hour, minute=minute, period=period,
                               strict=strict))  # fmt: skip
        elif m["noon"]:
            word = m["noon"].lower()
            hour = 0 if word == "midnight" else 12
            parts.append(_Part("time", s, e, hour=hour, strict=True,
                               period="midnight" if hour == 0 else None))  # fmt: skip
        elif m["eh3"]:
            parts.append(_Part("time", s, e, hour=int(m["eh3"]), period=period))
        elif m["ep"]:
            parts.append(_Part("time", s, e, period=_EN_PERIODS[m["ep"].lower()], weak=True))
        elif m["eh5"]:
            # "Fri 4", "Mon 9ish": a bare number is an hour only right next to a day.
            hour = int(m["eh5"])
            if 1 <= hour <= 12:
                parts.append(_Part("time", s, e, hour=hour, period=period, weak=True))
        elif m["eh4"]:
            # "at 4" alone: the next 4 o'clock inside working hours (see _working_hour).
            parts.append(_Part("time", s, e, hour=int(m["eh4"]), period=period))
    return parts


# ---------------------------------------------------------------------------------------------
# Day arithmetic


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _weekday_part(s: int, e: int, weekday: int, week_offset: int | None, ctx: _Ctx) -> _Part:
    if week_offset is None:
        ahead = (weekday - ctx.today.weekday()) % 7
        return _Part("day", s, e, day=ctx.today + timedelta(days=ahead), roll="week")
    day = _monday(ctx.today) + timedelta(days=7 * week_offset + weekday)
    return _Part("day", s, e, day=day)


def _weekend_part(s: int, e: int, week_offset: int, ctx: _Ctx) -> _Part:
    if ctx.today.weekday() == 6 and week_offset == 0:
        return _Part("day", s, e, day=ctx.today, rule="weekend")
    saturday = _monday(ctx.today) + timedelta(days=5 + 7 * week_offset)
    return _Part("day", s, e, day=saturday, rule="weekend")


def _month_day_part(
    s: int, e: int, year: int | None, month: int, day: int, ctx: _Ctx
) -> _Part | None:
    try:
        when = date(year or ctx.today.year, month, day)
    except ValueError:
        return _Part("bad", s, e)  # "31 Feb", "2026-13-40": said as a date, but no such day
    if year is None and when < ctx.today:
        try:
            when = when.replace(year=when.year + 1)
        except ValueError:  # 29 February
            return None
    return _Part("day", s, e, day=when)


def _day_of_month_part(
    s: int, e: int, day: int, month_offset: int, ctx: _Ctx, *, roll: bool = True
) -> _Part | None:
    first = _add_months(ctx.today.replace(day=1), month_offset)
    for extra in range(13 if roll else 1):
        month = _add_months(first, extra)
        if day > calendar.monthrange(month.year, month.month)[1]:
            continue
        when = month.replace(day=day)
        if not roll or when >= ctx.today:
            return _Part("day", s, e, day=when)
    return None if roll else _Part("bad", s, e)


def _en_number(token: str) -> Decimal | None:
    token = " ".join(token.lower().split())
    if token.startswith("half"):
        return Decimal("0.5")
    if token in EN_NUMBER_WORDS:
        return Decimal(EN_NUMBER_WORDS[token])
    try:
        return Decimal(token)
    except InvalidOperation:
        return None


# ---------------------------------------------------------------------------------------------
# Grouping and resolution


def _group(parts: list[_Part], text: str) -> list[list[_Part]]:
    """Join adjacent parts ("明天" + "下午3点", "3pm" + "on Friday") into one expression each."""
    groups: list[list[_Part]] = []
    for part in parts:
        if groups and _fits(groups[-1], part, text):
            groups[-1].append(part)
        else:
            groups.append([part])
    # A weak part ("at 3", "morning", "晚") alone is not a date.
    return [g for g in groups if any(p.is_day or p.exact or not p.weak for p in g)]


def _fits(group: list[_Part], part: _Part, text: str) -> bool:
    last = group[-1]
    if _GAP_RE.fullmatch(text, last.end, part.start) is None:
        return False
    members = [*group, part]
    if any(p.exact is not None for p in members):
        return False
    days = sum(p.is_day for p in members)
    clocks = sum(p.hour is not None for p in members)
    periods = sum(p.kind == "time" and p.hour is None for p in members)
    return days <= 1 and clocks <= 1 and periods <= 1


def _resolve(group: list[_Part], ctx: _Ctx) -> tuple[datetime, str | None] | None:
    exact = next((p.exact for p in group if p.exact is not None), None)
    if exact is not None:
        return exact, None
    rule = next((p.rule for p in group if p.rule), None)
    day_part = next((p for p in group if p.is_day), None)
    clock_part = next((p for p in group if p.hour is not None), None)
    period = next((p.period for p in group if p.kind == "time" and p.period), None)
    if clock_part is not None and clock_part.period is not None:
        period = clock_part.period
    if period is None and day_part is not None:
        period = day_part.period
    extra_days = 0
    if clock_part is not None and clock_part.hour is not None:
        clock = _clock(clock_part.hour, clock_part.minute, period, strict=clock_part.strict,
                       habits=ctx.habits)  # fmt: skip
        if clock is None:
            return None
        at, extra_days = clock
        if clock_part.period is None and period is None and not clock_part.strict:
            if at.hour != clock_part.hour % 24:
                rule = rule or "work_hours"  # "at 4" -> 16:00: the next 4 o'clock at work
    elif period is not None:
        at = _PERIOD_CLOCK.get(period, ctx.default_time)
    else:
        at = ctx.default_time
    if day_part is not None and day_part.day is not None:
        day, roll = day_part.day, day_part.roll
    else:
        day, roll = ctx.today, "day"
    when = _at(day + timedelta(days=extra_days), at, ctx.tz)
    if roll is not None and when <= ctx.now:
        step = 7 if roll == "week" else 1
        when = _at(day + timedelta(days=extra_days + step), at, ctx.tz)
    return when, rule


def _clock(
    hour: int,
    minute: int,
    period: str | None,
    *,
    strict: bool,
    habits: DateHabits = DEFAULT_HABITS,
) -> tuple[time, int] | None:
    """Return the wall clock time and a day carry for an hour read with its period."""
    carry = 0
    if period in ("am",):
        if hour > 12:
            return None
        hour = 0 if hour == 12 else hour
    elif period in ("pm", "afternoon", "evening"):
        if hour < 12:
            hour += 12
        elif hour == 12 and period == "evening":
            hour, carry = 0, 1  # 晚上12点: midnight at the end of that day
    elif period == "noon":
        if 1 <= hour <= 5:
            hour += 12
    elif period == "night":
        if 6 <= hour < 12:
            hour += 12
        elif hour == 12:
            hour, carry = 0, 1
    elif period == "midnight":
        hour, carry = 0, 1  # the midnight that ends the day
    elif period == "dawn":
        hour = 0 if hour == 12 else hour
    elif period is None and not strict and 1 <= hour < 12:
        hour = _working_hour(hour, minute, habits)
    if hour == 24:
        hour, carry = 0, carry + 1
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute), carry


def _working_hour(hour: int, minute: int, habits: DateHabits) -> int:
    """Read an hour without am/pm as the one inside working hours (1-6 as afternoon if neither)."""

    def inside(h: int) -> bool:
        return habits.workday_start <= time(h, minute) <= habits.workday_end

    if inside(hour):
        return hour
    if inside(hour + 12) or 1 <= hour <= 6:
        return hour + 12
    return hour


def _at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """Return the aware datetime for a wall clock time, normalized across DST gaps."""
    naive_local = datetime.combine(day, at, tzinfo=tz)
    return naive_local.astimezone(UTC).astimezone(tz)


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in a leading "on"/"by" and a trailing 前/左右 so they do not stay in the note."""
    lead = _LEAD_RE.search(text, max(0, start - 10), start)
    if lead is not None:
        start = lead.start()
    tail = _TAIL_RE.match(text, end)
    if tail is not None:
        end = tail.end()
    return start, end


def _scan_slash(text: str, ctx: _Ctx, taken: list[Span]) -> list[_Part]:
    """Read numeric dates "11/28", "28/11", "12.20号", "3/4/2026" by the team's order."""
    parts = []
    for m in _matches(_FALLBACK_RE, text, taken):
        first, second = int(m["a"]), int(m["b"])
        context = _FALLBACK_CONTEXT_RE.search(text, max(0, m.start() - 12), m.start())
        said = bool(m["y"] or m["hao"] or m["t"] is not None or context)
        if m["sep"] == "." and not said:
            continue  # "12.20" alone is an amount more often than a date
        if not said and ((first == 1 and second <= 4) or (first, second) == (24, 7)):
            continue  # "1/2", "1/3": a fraction; "24/7": always
        year = None
        if m["y"]:
            year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
        part = _numeric_date(m.start(), m.end(), first, second, year, ctx, chinese=bool(m["hao"]))
        if part is not None:
            parts.append(part)
    return parts


def _numeric_date(
    s: int, e: int, first: int, second: int, year: int | None, ctx: _Ctx, *, chinese: bool
) -> _Part | None:
    """Choose M/D or D/M: the only reading that exists, else month first in Chinese, else the
    team's order (a stated rule)."""
    if first > 31 or second > 31 or (first > 12 and second > 12) or not (first and second):
        return None
    month_first = first <= 12
    rule = None
    if first <= 12 and second <= 12 and first != second:
        month_first = chinese or ctx.cjk or not ctx.habits.day_first
        if not (chinese or ctx.cjk):
            rule = "month_day" if month_first else "day_month"
    month, day = (first, second) if month_first else (second, first)
    part = _month_day_part(s, e, year, month, day, ctx)
    if part is not None and rule is not None:
        part.rule = rule
    return part

"""Command arguments of the report commands, read into plain values; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from bot.parsing.ids import parse_digits
from bot.reports.periods import looks_like_period


class ArgsError(ValueError):
    """The arguments do not fit; `key` names the usage message to show."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


CHART_WORDS = frozenset({"chart", "charts", "graph", "图", "图表"})
_CHANNEL_WORDS = frozenset({"channel", "渠道"})
_PARTNER_WORDS = frozenset({"partner", "伙伴", "合作伙伴", "经销商", "代理商"})
_OPTION = re.compile(r"^(channel|partner|渠道|伙伴)[=:：](.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class StatsRequest:
    """What /stats (and the other report commands) were asked for."""

    period: str = ""
    channel: str | None = None
    partner: str | None = None
    rep: str | None = None  # a username, without the @
    chart: bool = False


COMPANY_WORDS = frozenset({"org", "company", "公司", "全公司"})


def is_company_request(args: list[str]) -> bool:
    """Whether '/stats …' asks for the company's numbers: '/stats org [PERIOD]'."""
    return bool(args) and args[0].casefold() in COMPANY_WORDS


def parse_stats_args(args: list[str]) -> StatsRequest:
    """Split '/stats last month channel Direct store chart' into period, filter and flags."""
    period: list[str] = []
    named: dict[str, list[str]] = {}
    current: list[str] | None = None
    rep: str | None = None
    chart = False
    for arg in args:
        word = arg.casefold()
        if word in CHART_WORDS:
            chart = True
            continue
        if arg.startswith("@") and len(arg) > 1:
            if rep is not None:
                raise ArgsError("usage.stats")
            rep, current = arg[1:], None
            continue
        if option := _OPTION.match(arg):
            kind = "channel" if option.group(1).casefold() in ("channel", "渠道") else "partner"
            current = named.setdefault(kind, [])
            current.append(option.group(2))
            continue
        # Right after "channel", 经销商 is the channel's name (Chinese for distributor), not
        # the word that opens a partner's.
        opening_name = current is not None and not current
        if (word in _CHANNEL_WORDS or word in _PARTNER_WORDS) and not opening_name:
            kind = "channel" if word in _CHANNEL_WORDS else "partner"
            if kind in named:
                raise ArgsError("usage.stats")
            current = named.setdefault(kind, [])
            continue
        (current if current is not None else period).append(arg)
    # A period may follow a name: "channel Direct store last month" → the longest period suffix.
    for words in named.values():
        for cut in range(len(words)):
            tail = " ".join(words[cut:])
            if cut > 0 and looks_like_period(tail):
                if period:
                    raise ArgsError("usage.stats")
                period = words[cut:]
                del words[cut:]
                break
    if any(not words for words in named.values()):
        raise ArgsError("usage.stats")
    if sum(1 for x in (named.get("channel"), named.get("partner"), rep) if x) > 1:
        raise ArgsError("usage.stats.one_filter")
    return StatsRequest(
        period=" ".join(period),
        channel=" ".join(named["channel"]) if "channel" in named else None,
        partner=" ".join(named["partner"]) if "partner" in named else None,
        rep=rep,
        chart=chart,
    )


# -- /digest settings ----------------------------------------------------------------------

WEEKDAY_WORDS: dict[str, int] = {
    **{name: i + 1 for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        name: i + 1
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 2,
    "weds": 3,
    "thur": 4,
    "thurs": 4,
    **{str(i): i for i in range(1, 8)},
    **{f"周{c}": i + 1 for i, c in enumerate("一二三四五六日")},
    **{f"星期{c}": i + 1 for i, c in enumerate("一二三四五六日")},
    "周天": 7,
    "星期天": 7,
}
_ON = frozenset({"on", "yes", "true", "开", "开启", "打开"})
_OFF = frozenset({"off", "no", "false", "关", "关闭"})
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：.]([0-5]\d)$")
_KEYS: dict[str, str] = {
    "day": "weekday",
    "weekday": "weekday",
    "星期": "weekday",
    "日期": "weekday",
    "time": "time",
    "at": "time",
    "时间": "time",
    "topic": "topic_here",
    "thread": "topic_here",
    "话题": "topic_here",
    "skip-empty": "skip_empty",
    "skip_empty": "skip_empty",
    "跳过空周": "skip_empty",
    "drop": "warn_drop_pct",
    "降幅": "warn_drop_pct",
    "partner-silent": "partner_silent_days",
    "partner_silent": "partner_silent_days",
    "伙伴沉默": "partner_silent_days",
    "churn": "churn_silent_days",
    "流失": "churn_silent_days",
}
_LIMITS = {
    "warn_drop_pct": (1, 100),
    "partner_silent_days": (1, 365),
    "churn_silent_days": (1, 365),
}


@dataclass(frozen=True)
class DigestChange:
    """Changes to a team's digest settings; None = leave as it is."""

    enabled: bool | None = None
    weekday: int | None = None  # ISO, Monday = 1
    time: str | None = None  # HH:MM
    topic_here: bool | None = None  # True: this topic, False: the main chat
    skip_empty: bool | None = None
    warn_drop_pct: int | None = None
    partner_silent_days: int | None = None
    churn_silent_days: int | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


NOW_WORDS = frozenset({"now", "现在", "立即", "预览", "本周"})
LAST_WORDS = frozenset({"last", "上周"})
SETTINGS_WORDS = frozenset({"settings", "setting", "设置"})


@dataclass(frozen=True)
class DigestRequest:
    """What /digest was asked for: a digest now, the settings, or a change to them."""

    now: bool = False  # this week so far
    last: bool = False  # the last full week, as it was posted
    change: DigestChange | None = None  # None (and not now): show the settings


def parse_digest_args(args: list[str]) -> DigestRequest:
    """Read '/digest now|last', '/digest [settings]' and '/digest [settings] day fri …'."""
    words = list(args)
    if words and words[0].casefold() in NOW_WORDS | LAST_WORDS:
        if len(words) > 1:
            raise ArgsError("usage.digest")
        return DigestRequest(
            now=words[0].casefold() in NOW_WORDS, last=words[0].casefold() in LAST_WORDS
        )
    if words and words[0].casefold() in SETTINGS_WORDS:
        words = words[1:]
    return DigestRequest(change=parse_digest_settings(words) if words else None)


def parse_digest_settings(args: list[str]) -> DigestChange:
    """Read 'day mon time 09:00 topic here|off on|off skip-empty on|off drop 30 …'."""
    values: dict[str, object] = {}
    words = [a.casefold() for a in args]
    i = 0
    while i < len(words):
        word = words[i]
        if word in _ON or word in _OFF:
            values["enabled"] = word in _ON
            i += 1
            continue
        key = _KEYS.get(word)
        if key is None or i + 1 >= len(words) or key in values:
            raise ArgsError("usage.digest")
        values[key] = _setting_value(key, words[i + 1])
        i += 2
    return DigestChange(**values)  # type: ignore[arg-type]


def _setting_value(key: str, word: str) -> object:
    if key == "weekday":
        if word not in WEEKDAY_WORDS:
            raise ArgsError("usage.digest")
        return WEEKDAY_WORDS[word]
    if key == "time":
        match = _TIME.match(word)
        if match is None:
            raise ArgsError("usage.digest")
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    if key == "topic_here":
        if word in ("here", "这里", "此处", "本话题"):
            return True
        if word in _OFF or word in ("main", "group", "主群"):
            return False
        raise ArgsError("usage.digest")
    if key == "skip_empty":
        if word in _ON or word in _OFF:
            return word in _ON
        raise ArgsError("usage.digest")
    number = parse_digits(word.rstrip("%天日d"))
    low, high = _LIMITS[key]
    if number is None or not low <= number <= high:
        raise ArgsError("usage.digest")
    return number

"""Where a customer's name gives way to a reason or a note ("/lost 万科 价格太高").

A command's customer argument ends where a known customer's name ends, when what follows reads
as words about it rather than more of a name; and an unknown name ends before the words reps
open a reason or a note with (price, 价格, went with, 选了 …) or where the script changes after a
space ("ABC 价格太高").
"""

from __future__ import annotations

import re

from bot.parsing.text import is_cjk

# Words that open a reason or a note, never a company name's next word.
_EN_REASON_RE = re.compile(
    r"""\s+(?:price[sd]?|pricing|too|no|not|never|went|go(?:ing|ne)?|chose|chosen|choose|picked
        |prefer(?:s|red)?|switched|cheaper|expensive|costly|competitor|competition|lost|lose
        |cancel(?:l?ed)?|delayed|postponed|paused|stopped|declined|rejected|budget|due|over
        |under|out|wants?|needs?|said|says|asked|is|are|was|were|has|had|will|would|isn't
        |wasn't|didn't|doesn't|don't|won't|can't|couldn't)(?![A-Za-z'’])""",
    re.IGNORECASE | re.VERBOSE,
)
# Lowercase only: "globex demo went ok", but "Globex Call Center" is a name.
_EN_NOTE_NOUN_RE = re.compile(
    r"\s+(?:demo|quote|quotation|samples?|discount|meeting|call|order|trial|invoice|payment"
    r"|new\s+(?:buyer|contact|manager|boss|po|order))(?![A-Za-z])"
)
_ZH_REASON_RE = re.compile(
    r"价格|價格|价钱|價錢|太贵|太貴|嫌贵|嫌貴|贵了|貴了|选了|選了|选择了|選擇了|用了|改用|转用|轉用|"
    r"竞品|競品|对手|對手|别家|別家|其他家|没预算|沒預算|没钱|沒錢|预算不|預算不|不需要|不要了|"
    r"不考虑|不考慮|暂时|暫時|暂不|暫不|因为|因為|原因|取消|延期|推迟|推遲|搁置|擱置|放弃|放棄|"
    r"不做了|不买|不買|没戏|沒戲|黄了|黃了"
)
_LATIN_THEN_CJK_RE = re.compile(r"[A-Za-z0-9&.'’)]\s+(?=[\u3400-\u9fff\uf900-\ufaff])")
_NAME_WORD_RE = re.compile(r"\s*[A-Z&(]")  # a capitalized next word may be more of the name


def reason_start(work: str, pos: int, end: int) -> int:
    """Return where words about the customer begin in work[pos:end], or `end`."""
    if is_cjk(work[pos]):
        reason = _ZH_REASON_RE.search(work, pos + 2, end)
        return reason.start() if reason else end
    found = (_EN_REASON_RE.search(work, pos, end), _EN_NOTE_NOUN_RE.search(work, pos, end))
    starts = [m.start() for m in found if m]
    switch = _LATIN_THEN_CJK_RE.search(work, pos, end)
    if switch is not None:
        starts.append(switch.start() + 1)
    return min(starts, default=end)


def reads_as_note(work: str, name_end: int, phrase_end: int) -> bool:
    """Tell whether what follows a known name up to phrase_end is about it, not more name.

    "acme trading price too high" and "Acme Trading 价格太高" are; "Acme Trading Shanghai" and
    万科地产 (no space) are not, and stay for the dedupe rule to ask about.
    """
    rest = work[name_end:phrase_end]
    if not rest.strip() or not rest[:1].isspace():
        return False
    if is_cjk(work[name_end - 1]):
        return True  # a Chinese name followed by a space: the name ended there
    if reason_start(work, name_end - 1, phrase_end) < phrase_end or is_cjk(rest.strip()[0]):
        return True
    return not _NAME_WORD_RE.match(rest) and len(rest.split()) >= 2

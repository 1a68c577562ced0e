"""What a message is for: a leading /command, an intent hashtag, or (when addressed) its words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Intent(StrEnum):
    """The kind of CRM entry a message logs."""

    LEAD = "lead"
    VISIT = "visit"
    FOLLOWUP = "followup"
    WON = "won"
    LOST = "lost"
    NOTE = "note"
    CALL = "call"  # a call or video meeting that happened: an activity, not a visit


@dataclass(frozen=True, slots=True)
class IntentMarker:
    """A command or hashtag found in text: the intent (None for someone else's) and its span."""

    intent: Intent | None
    start: int
    end: int


_COMMANDS = {
    "lead": Intent.LEAD, "visit": Intent.VISIT, "followup": Intent.FOLLOWUP,
    "follow_up": Intent.FOLLOWUP, "fu": Intent.FOLLOWUP, "won": Intent.WON,
    "lost": Intent.LOST, "note": Intent.NOTE, "call": Intent.CALL,
}  # fmt: skip
_TAGS = {
    **_COMMANDS,
    "线索": Intent.LEAD, "線索": Intent.LEAD, "拜访": Intent.VISIT, "拜訪": Intent.VISIT,
    "跟进": Intent.FOLLOWUP, "跟進": Intent.FOLLOWUP, "成交": Intent.WON, "丢单": Intent.LOST,
    "丟單": Intent.LOST, "备注": Intent.NOTE, "備註": Intent.NOTE, "电话": Intent.CALL,
    "電話": Intent.CALL,
}  # fmt: skip
_COMMAND_RE = re.compile(r"\s*/(?P<cmd>[A-Za-z0-9_]{1,64})(?:@(?P<bot>[A-Za-z0-9_]{1,64}))?"
                         r"(?![A-Za-z0-9_@])")  # fmt: skip
_HASHTAG_RE = re.compile(
    r"(?<![A-Za-z0-9_&#])#(?:(?P<tag>lead|visit|followup|follow_up|fu|won|lost|note|call)"
    r"(?![A-Za-z0-9_])|(?P<ztag>线索|線索|拜访|拜訪|跟进|跟進|成交|丢单|丟單|备注|備註|电话|電話))",
    re.IGNORECASE,
)
# Checked in this order: a message that says both "visited" and "follow up" is a visit (the
# follow-up becomes its due date); "signed"/"lost" outrank the visit they happened on.
_WORDS: tuple[tuple[Intent, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern, re.IGNORECASE))
    for intent, pattern in (
        (Intent.LOST, r"(?<![A-Za-z])(?:lost|closed[\s-]lost|lost\s+the\s+deal"
                      r"|(?:went|signed|chose|picked|going)\s+with\s+(?:a|another|the)\s+competitor"
                      r"|not\s+moving\s+forward|passed\s+on\s+us|no\s+longer\s+interested"
                      r"|(?:deal\s+)?is\s+dead|went\s+(?:bankrupt|bust|under)|out\s+of\s+business)"
                      r"(?![A-Za-z])|丢单|丟單|丢了|丟了|输单|輸單|没签成|沒簽成|黄了|黃了|不做了|"
                      r"不合作了|放弃了|放棄了|没戏了|沒戲了|选了别家|選了別家|用了别家|用了別家|"
                      r"签了别家|簽了別家|选了竞品|選了競品|不签了|不簽了|不买了|不買了|不要了|"
                      r"不考虑了|不考慮了|不采购了|不採購了"),
        (Intent.WON, r"(?<![A-Za-z])(?:signed|closed|won(?!['’]t)|deal\s+done|closed[\s-]won)"
                     r"(?![A-Za-z])|签约|簽約|签了|簽了|成交|拿下|中标|中標|签单|簽單"),
        (Intent.VISIT, r"(?<![A-Za-z])(?:visited|visiting|visit|met|meeting\s+with|dropped\s+by"
                       r"|stopped\s+by|went\s+to|been\s+to|dropped\s+in|popped\s+in|just\s+left"
                       r"|back\s+from|over\s+(?:coffee|lunch|dinner|drinks|breakfast)"
                       r"|had\s+(?:an?\s+)?(?:\w+\s+)?(?:meeting|lunch|dinner|coffee|drinks"
                       r"|breakfast|demo|presentation)\s+(?:with|at)"
                       r"|(?:lunch|dinner|coffee|drinks|breakfast)\s+with"
                       r"|demo(?:ed)?\s+(?:at|with|for|to))(?![A-Za-z])"
                       r"|拜访|拜訪|去了|去咗|见了|見了|見咗|见咗|上门|上門|走访|走訪|见面|見面|面谈|面談|"
                       r"开了个?会|開了個?會|开完会|開完會|开完了会|開完了會|开了会|開了會|"
                       r"吃饭|吃飯|吃了个?饭|吃了個?飯|碰了个?面|碰了個?面"),
        # A new one, or a customer written as a form: "客户：喜茶，联系人：张三，预算50万".
        (Intent.LEAD, r"(?<![A-Za-z])(?:new\s+(?:lead|prospect|customer|client)|lead\s*[:\-–]"
                      r"|(?:customer|client)\s*:)(?![A-Za-z])|新线索|新線索|新客户|新客戶"
                      r"|^\s*(?:客户|客戶)(?:名称|名稱)?\s*[:：]"),
        # Calls that happened; "call Acme tomorrow" is a to-do, read by its date.
        (Intent.CALL, r"(?<![A-Za-z])(?:called|phoned|rang|spoke\s+(?:to|with)|talked\s+(?:to|with)"
                      r"|touched\s+base|caught\s+up\s+with|checked\s+in\s+with|synced\s+with"
                      r"|chatted\s+with|left\s+(?:a\s+)?(?:voicemail|voice\s+mail|vm|message)"
                      r"|had\s+(?:an?\s+)?(?:\w+\s+)?call|(?:phone|video|zoom|teams|quick|short)"
                      r"\s+call\s+(?:with|w/))(?![A-Za-z])|打了个?电话|打了個?電話|打过电话|打過電話|"
                      r"打咗电话|打咗電話|"
                      r"通了电话|通了電話|电话沟通|電話溝通|电联了|電聯了|通话|通話|电话聊了|電話聊了"),
        (Intent.FOLLOWUP, r"(?<![A-Za-z])(?:follow[\s-]?up|f/u|remind\s+me|chase|call\s+back"
                          r"|check\s+in\s+with)(?![A-Za-z])|跟进|跟進|回访|回訪|提醒"),
        (Intent.NOTE, r"(?<![A-Za-z])(?:note|sent|emailed|e-mailed|mailed|forwarded|texted"
                      r"|messaged)(?![A-Za-z])|备注|備註|记一下|記一下|发了|發了|寄了"),
    )
)  # fmt: skip


def find_command(text: str, bot_username: str | None) -> IntentMarker | None:
    """Return the leading /command (with /cmd@bot), or None; unknown commands have no intent."""
    m = _COMMAND_RE.match(text)
    if m is None:
        return None
    intent = _COMMANDS.get(m["cmd"].lower())
    addressee = m["bot"]
    if addressee and bot_username and addressee.casefold() != bot_username.casefold():
        intent = None  # /lead@otherbot is another bot's command
    return IntentMarker(intent, m.start("cmd") - 1, m.end())


def find_hashtags(text: str) -> list[IntentMarker]:
    """Return the intent hashtags in text, in order."""
    out = []
    for m in _HASHTAG_RE.finditer(text):
        tag = (m["tag"] or m["ztag"]).lower()
        out.append(IntentMarker(_TAGS[tag], m.start(), m.end()))
    return out


_NEGATION_RE = re.compile(
    r"(?:没有|沒有|没|沒|未|不|别|別|(?<![A-Za-z])(?:not|never|didn['’]t|did\s+not|haven['’]t"
    r"|have\s+not|hasn['’]t|won['’]t|couldn['’]t|can['’]t|no))\s*$",
    re.IGNORECASE,
)
# A meeting or call still to come: "约了京东下周三见面", "scheduled a call with Acme for Monday".
_PLANNED_RE = re.compile(
    r"(?<![A-Za-z])(?:scheduled|booked|set\s+up|arranged|planned|planning|plan\s+to|going\s+to|will"
    r"|postponed|rescheduled|moved\s+to|pushed\s+to)(?![A-Za-z])|约了|約了|约好|約好|约在|約在|"
    r"安排了|准备|準備|打算|计划|計劃|改到|改期|推迟|推遲|延期",
    re.IGNORECASE,
)


def planned(text: str) -> bool:
    """Tell whether a message's words put its meeting or call in the future."""
    return _PLANNED_RE.search(text) is not None


def intent_from_words(text: str) -> Intent | None:
    """Return the intent a message's words express ("visited …", "签约", "丢单"), or None.

    A negated word says nothing: "今天没拜访客户", "didn't visit Acme".
    """
    for intent, pattern in _WORDS:
        if any(not _negated(text, m.start()) for m in pattern.finditer(text)):
            return intent
    return None


def says_not(text: str) -> bool:
    """Tell whether the message negates what it would log ("didn't visit Acme today")."""
    return any(_negated(text, m.start()) for _, pattern in _WORDS for m in pattern.finditer(text))


def _negated(text: str, start: int) -> bool:
    return _NEGATION_RE.search(text, max(0, start - 8), start) is not None

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


@dataclass(frozen=True, slots=True)
class IntentMarker:
    """A command or hashtag found in text: the intent (None for someone else's) and its span."""

    intent: Intent | None
    start: int
    end: int


_COMMANDS = {
    "lead": Intent.LEAD, "visit": Intent.VISIT, "followup": Intent.FOLLOWUP,
    "follow_up": Intent.FOLLOWUP, "fu": Intent.FOLLOWUP, "won": Intent.WON,
    "lost": Intent.LOST, "note": Intent.NOTE,
}  # fmt: skip
_TAGS = {
    **_COMMANDS,
    "线索": Intent.LEAD, "線索": Intent.LEAD, "拜访": Intent.VISIT, "拜訪": Intent.VISIT,
    "跟进": Intent.FOLLOWUP, "跟進": Intent.FOLLOWUP, "成交": Intent.WON, "丢单": Intent.LOST,
    "丟單": Intent.LOST, "备注": Intent.NOTE, "備註": Intent.NOTE,
}  # fmt: skip
_COMMAND_RE = re.compile(r"\s*/(?P<cmd>[A-Za-z0-9_]{1,64})(?:@(?P<bot>[A-Za-z0-9_]{1,64}))?"
                         r"(?![A-Za-z0-9_@])")  # fmt: skip
_HASHTAG_RE = re.compile(
    r"(?<![A-Za-z0-9_&#])#(?:(?P<tag>lead|visit|followup|follow_up|fu|won|lost|note)(?![A-Za-z0-9_])"
    r"|(?P<ztag>线索|線索|拜访|拜訪|跟进|跟進|成交|丢单|丟單|备注|備註))",
    re.IGNORECASE,
)
# Checked in this order: a message that says both "visited" and "follow up" is a visit (the
# follow-up becomes its due date); "signed"/"lost" outrank the visit they happened on.
_WORDS: tuple[tuple[Intent, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern, re.IGNORECASE))
    for intent, pattern in (
        (Intent.LOST, r"(?<![A-Za-z])(?:lost|closed[\s-]lost|lost\s+the\s+deal)(?![A-Za-z])"
                      r"|丢单|丟單|丢了|丟了|输单|輸單|没签成|沒簽成|黄了|黃了"),
        (Intent.WON, r"(?<![A-Za-z])(?:signed|closed|won(?!['’]t)|deal\s+done|closed[\s-]won)"
                     r"(?![A-Za-z])|签约|簽約|签了|簽了|成交|拿下|中标|中標|签单|簽單"),
        (Intent.VISIT, r"(?<![A-Za-z])(?:visited|visiting|visit|met|meeting\s+with|dropped\s+by"
                       r"|stopped\s+by)(?![A-Za-z])|拜访|拜訪|去了|见了|見了|上门|上門|走访|走訪"),
        (Intent.LEAD, r"(?<![A-Za-z])new\s+(?:lead|prospect|customer|client)(?![A-Za-z])"
                      r"|新线索|新線索|新客户|新客戶"),
        (Intent.FOLLOWUP, r"(?<![A-Za-z])(?:follow[\s-]?up|f/u|remind\s+me|chase|call\s+back"
                          r"|check\s+in\s+with)(?![A-Za-z])|跟进|跟進|回访|回訪|提醒"),
        (Intent.NOTE, r"(?<![A-Za-z])note(?![A-Za-z])|备注|備註|记一下|記一下"),
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


def intent_from_words(text: str) -> Intent | None:
    """Return the intent a message's words express ("visited …", "签约", "丢单"), or None."""
    for intent, pattern in _WORDS:
        if pattern.search(text):
            return intent
    return None

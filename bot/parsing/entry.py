"""A rep's message -> ParsedEntry: intent, customer, contact, money, channel, due date, note."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.parsing.amounts import best_amount
from bot.parsing.channels import find_channel
from bot.parsing.contacts import find_contact
from bot.parsing.dates import choose_due, find_dues
from bot.parsing.dedupe import known_name
from bot.parsing.doubts import Doubt
from bot.parsing.intents import Intent, find_command, find_hashtags, intent_from_words
from bot.parsing.names import Names, index_names
from bot.parsing.phones import find_phones
from bot.parsing.reasons import reads_as_note, reason_start
from bot.parsing.text import Span, blank, fold, is_cjk, overlaps, visible

logger = logging.getLogger(__name__)

MAX_CUSTOMER = 120
MAX_NOTE = 4096


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """What a message says, field by field; every field is None when the message does not say."""

    intent: Intent | None = None
    customer: str | None = None
    contact: str | None = None
    phone: str | None = None
    channel: str | None = None
    partner: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    due: datetime | None = None
    assignee: str | None = None
    note: str | None = None
    doubts: tuple[Doubt, ...] = ()  # what the card must say the parser was unsure of

    def to_json(self) -> dict[str, object]:
        """Return a JSON-ready dict (ISO 8601 due, int or float amount, intent as a string).

        Exactly the keys `crmbot parse` documents; doubts are the card's, not part of it.
        """
        amount: int | float | None = None
        if self.amount is not None:
            whole = self.amount == self.amount.to_integral_value()
            amount = int(self.amount) if whole else float(self.amount)
        return {
            "intent": self.intent.value if self.intent is not None else None,
            "customer": self.customer,
            "contact": self.contact,
            "phone": self.phone,
            "channel": self.channel,
            "partner": self.partner,
            "amount": amount,
            "currency": self.currency,
            "due": self.due.isoformat() if self.due is not None else None,
            "assignee": self.assignee,
            "note": self.note,
        }


# Telegram usernames have 5+ characters; shorter ones are accepted for older or test accounts.
_MENTION_RE = re.compile(
    r"(?<![A-Za-z0-9_@.])@(?P<user>[A-Za-z][A-Za-z0-9_]{2,31})(?![A-Za-z0-9_])"
)
_ASSIGN_LEAD_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:assign(?:ed)?\s+to|owner|cc|for)\s*:?\s*|交给|交給|指派给|指派給|分配给|"
    r"分配給|负责人[:：]?\s*|負責人[:：]?\s*|让|讓|请|請)$",
    re.IGNORECASE,
)
_EN_VERB_RE = re.compile(
    r"""(?:
        new\s+(?:lead|prospect|customer|client)(?:\s*[:\-]\s*|\s+)
      | lead\s*[:\-]\s*
      | (?:visited|visiting|visit|met(?:\s+with)?|meeting\s+with|dropped\s+by|stopped\s+by
          |went\s+to|going\s+to)\s+
      | (?:follow(?:ed|ing)?[\s-]?up|f/u)(?:\s+(?:with|on))?(?:\s*[:\-]\s*|\s+)
      | remind\s+me\s+to(?:\s+(?:call|visit|email|ping|contact|meet(?:\s+with)?
          |follow\s+up\s+(?:with|on)))?\s+
      | (?:called|call|rang|phoned|emailed|email|pinged|ping|texted|text|check\s+in\s+with)\s+
      | (?:signed(?:\s+(?:with|up))?|closed(?:\s+(?:with|the\s+deal\s+with|deal\s+with))?
          |won(?:\s+(?:the\s+deal\s+with|deal\s+with|over))?|deal\s+(?:done|closed)\s+with)\s+
      | lost(?:\s+(?:the\s+deal\s+with|deal\s+with|to))?\s+
      | note(?:\s+(?:for|on|about))?(?:\s*[:\-]\s*|\s+)
      | (?:please|pls|plz|kindly|can\s+you|could\s+you|just|also)\s+
    )(?:the\s+)?""",
    re.IGNORECASE | re.VERBOSE,
)
_ZH_VERB_RE = re.compile(
    r"(?:上门拜访|上門拜訪|拜访了|拜访|拜訪了|拜訪|走访了|走访|走訪|去了|去|见了|見了|约了|約了|"
    r"跟进一下|跟进了|跟进|跟進|回访了|回访|回訪|签约了|签约|簽約了|簽約|签了|簽了|成交了|成交|"
    r"拿下了|拿下|丢单了|丢单|丟單|丢了|丟了|新线索|新線索|新客户|新客戶|备注|備註|联系了|聯繫了|"
    r"打电话给|打電話給|给|給|请|請|麻烦|麻煩|帮忙|幫忙|帮我|幫我|刚刚|剛剛|刚|剛|已经|已經)\s*[:：]?\s*"
)
# "I visited Acme", "我今天拜访了万科": skipped only when a verb or a date follows, so that
# names such as 我爱我家 stay whole.
_PRONOUN_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:i|we|i've|we've|i\s+have|we\s+have|i\s+just|we\s+just)\s+"
    r"|我们|我們|我)\s*",
    re.IGNORECASE,
)
_SEPARATOR_RE = re.compile(
    r"[;:，；：、。!?！？\n|#@()（）【】\[\]<>《》「」]"
    r"|,(?!\s*(?:ltd|limited|inc|llc|corp)\b)"
    r"|\s[-–—]\s|—|/(?!\d)"
    r"|(?<![Cc]o)(?<![Ii]nc)(?<![Ll]td)(?<![Cc]orp)(?<![MmDdSs]r)(?<![Mm]rs)(?<![Mm]s)(?<![Ss]t)"
    r"\.(?:\s|$)",
    re.IGNORECASE,
)
_EN_STOP_RE = re.compile(
    r"""(?<!\s)\s+(?:about|regarding|re|for|to|on|at|by|via|through|thru|from|and|with|contact|tel
        |phone|budget|deal|worth|who|which|that|they|he|she|we|i|is|are|was|were|wants?|needs?
        |asked|said|says|will|would|should|can|could|has|had|have|yesterday|earlier|again|today
        |tomorrow|tonight|office|team|hq|re:|after|before|since|because|but|so|then|ceo|cfo|cto
        |coo|cio|vp|manager|director|buyer|procurement|purchasing|boss|owner|founder|president)
        (?![A-Za-z])
      | ['’]s(?![A-Za-z])""",
    re.IGNORECASE | re.VERBOSE,
)
_ZH_STOP_RE = re.compile(
    r"讨论|討論|洽谈|洽談|商谈|商談|谈|談|聊|沟通|溝通|报价|報價|合同|签约|簽約|签了|簽了|下单|下單|"
    r"订单|訂單|采购|採購|需求|意向|预算|預算|金额|金額|联系人|聯繫人|联系|聯繫|电话|電話|手机|手機|"
    r"渠道|经销|經銷|代理|通过|通過|关于|關於|对接|對接|反馈|反饋|表示|准备|準備|计划|計劃|打算|需要|"
    r"希望|说|說|的|要|想|了解|看了|看看|参观|參觀|演示|见了|見了|跟进|跟進|拜访|拜訪|提醒|回访|回訪|"
    r"确认|確認|打电话|打電話|问|問|老板|负责人|負責人|今天|明天|这边|那边|这周|那周|项目|項目|产品|產品|"
    r"样品|樣品|续约|續約|付款|回款|发货|發貨|送货|送貨|已经|已經|还|還|也|都|又|再|在|和|与|與|跟"
)
_SUFFIX_TAIL_RE = re.compile(
    r"[\s,.]*(?:co\.?,?\s*ltd\.?|co\.?|ltd\.?|inc\.?|llc|corp\.?|corporation|limited|gmbh|plc|"
    r"股份有限公司|有限责任公司|有限責任公司|有限公司|公司|集团|集團)(?![A-Za-z])",
    re.IGNORECASE,
)
# A label right before an amount says nothing the amount field does not.
_AMOUNT_LABEL_RE = re.compile(
    r"(?:预算|預算|金额|金額|(?<![A-Za-z])(?:budget|amount|deal\s+size|deal\s+value|worth|value))"
    r"\s*(?:is|of|[:：])?\s*$",
    re.IGNORECASE,
)
_ABBREVIATION_END_RE = re.compile(r"(?<![A-Za-z])(?:co|ltd|inc|corp|bros|pte|pty)\.$", re.I)
_LEAD_JUNK = " \t\n,;:.-–—，；：、。!?！？\"'“”‘’「」『』《》()（）[]【】"
_CONNECTORS = frozenset({"of", "de", "la", "le", "du", "van", "von", "der", "den", "&", "y", "e"})
_NOT_CUSTOMERS = frozenset({
    "i", "we", "they", "he", "she", "them", "him", "her", "us", "me", "it", "you", "the",
    "customer", "client", "the customer", "the client", "我", "我们", "我們", "他", "她", "他们",
    "他們", "她们", "她們", "客户", "客戶", "对方", "對方", "这个客户", "這個客戶",
})  # fmt: skip
_NOTE_PUNCT_RE = re.compile(r"(?<!\s)\s+([,，;；:：、。.!?！？)）])")
_NOTE_CJK_PUNCT_RE = re.compile(r"([，。；：、！？）】」』])[ \t]+")
_NOTE_REPEAT_RE = re.compile(r"([,，;；、])(?:\s*[,，;；、:：])+")
_NOTE_EDGE = " \t,;:.-–—|/，；：、。"


def parse_entry(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_currency: str = "CNY",
    known_customers: Names = (),
    bot_username: str | None = None,
    addressed: bool = False,
    default_time: time = time(9, 0),
) -> ParsedEntry:
    """Parse a rep's message into a ParsedEntry; never raises."""
    try:
        return _parse(
            text, now=now, tz=tz, default_currency=default_currency,
            known_customers=known_customers, bot_username=bot_username, addressed=addressed,
            default_time=default_time,
        )  # fmt: skip
    except Exception:
        # A parser bug must cost one message its structure, never the whole update.
        logger.exception("parse_entry failed on %r", text[:200] if isinstance(text, str) else text)
        return ParsedEntry()


def _parse(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_currency: str,
    known_customers: Names,
    bot_username: str | None,
    addressed: bool,
    default_time: time,
) -> ParsedEntry:
    folded = fold(text)
    shown = visible(text)
    bot = (bot_username or "").lstrip("@") or None

    # Markers: the command, intent hashtags and mentions never belong to any field's text.
    markers: list[Span] = []
    intent: Intent | None = None
    command = find_command(folded, bot)
    if command is not None:
        intent = command.intent
        markers.append((command.start, command.end))
    for tag in find_hashtags(folded):
        intent = intent or tag.intent
        markers.append((tag.start, tag.end))
    assignee: str | None = None
    for m in _MENTION_RE.finditer(folded):
        user = m["user"]
        if bot is not None and user.casefold() == bot.casefold():
            markers.append(m.span())
        elif assignee is None:
            assignee = user
            lead = _ASSIGN_LEAD_RE.search(folded, max(0, m.start() - 16), m.start())
            markers.append((lead.start() if lead else m.start(), m.end()))
    work = blank(folded, markers)
    if intent is None and addressed and command is None:
        intent = intent_from_words(work)

    phones = [p for p in find_phones(work) if not overlaps(p.start, p.end, markers)]
    phone = phones[0] if phones else None
    phone_spans = [(p.start, p.end) for p in phones]

    dues = [d for d in find_dues(work, now=now, tz=tz, default_time=default_time)
            if not overlaps(d.start, d.end, phone_spans)]  # fmt: skip
    due = choose_due(dues, work, now)
    due_spans = [(d.start, d.end) for d in dues]

    channel = find_channel(blank(work, phone_spans + due_spans))
    channel_spans = [(channel.start, channel.end)] if channel else []
    contact = find_contact(blank(work, phone_spans + channel_spans), stops=due_spans)
    contact_spans = [(contact.start, contact.end)] if contact else []
    amount = best_amount(
        work, exclude=phone_spans + due_spans + channel_spans + contact_spans,
        default_currency=default_currency,
    )  # fmt: skip
    amount_spans = [(amount.start, amount.end)] if amount else []

    fields = phone_spans + due_spans + channel_spans + contact_spans + amount_spans
    customer, customer_span = _customer(work, fields, known_customers)

    removed = [*markers, *channel_spans]
    if amount is not None:
        label = _AMOUNT_LABEL_RE.search(work, max(0, amount.start - 16), amount.start)
        removed.append((label.start() if label else amount.start, amount.end))
    if phone is not None:
        removed.append((phone.start, phone.end))
    if due is not None:
        removed.append((due.start, due.end))
    if contact is not None and contact.labelled:
        removed.append((contact.start, contact.end))
    if customer_span is not None:
        removed.append(customer_span)
    return ParsedEntry(
        intent=intent,
        customer=customer,
        contact=contact.name if contact else None,
        phone=phone.number if phone else None,
        channel=channel.kind if channel else None,
        partner=channel.partner if channel else None,
        amount=amount.value if amount else None,
        currency=amount.currency if amount else None,
        due=due.when if due else None,
        assignee=assignee,
        note=_note(shown, removed),
    )


# ---------------------------------------------------------------------------------------------
# Customer


def _customer(work: str, fields: list[Span], known: Names) -> tuple[str | None, Span | None]:
    """Return the customer named at the start of the message and the span to drop from the note."""
    region_start = pos = _skip_junk(work, 0)
    for _ in range(4):
        # Leading dates and verbs: "明天拜访了万科", "today visited Acme", "new lead: Acme".
        leading = next((b for a, b in fields if a <= pos < b), None)
        verb = _EN_VERB_RE.match(work, pos) or _ZH_VERB_RE.match(work, pos)
        pronoun = _PRONOUN_RE.match(work, pos)
        if leading is not None:
            pos = _skip_junk(work, leading)
        elif verb is not None and verb.end() > pos and not _known_prefix(work, pos, known):
            pos = _skip_junk(work, verb.end())
        elif pronoun is not None and _verb_or_field_at(work, pronoun.end(), fields):
            pos = _skip_junk(work, pronoun.end())
        else:
            break
    if pos >= len(work):
        return None, None
    end = _phrase_end(work, pos, fields)
    name = _tidy_customer(work[pos:end])
    canonical = _known_prefix(work, pos, known)
    if canonical is not None and _covers(work, canonical[1], end):
        name, end = canonical[0], max(end, canonical[1])
    elif canonical is not None and reads_as_note(work, canonical[1], end):
        name, end = canonical  # "/lost acme trading lost to a competitor": the rest is the note
    elif name and known:
        # bot/parsing/dedupe.py: only a sure match replaces what was typed; else the bot asks.
        name = known_name(name, known) or name
    if not name or name.casefold() in _NOT_CUSTOMERS or not any(c.isalpha() for c in name):
        return None, None
    removed_end = _trailing_fields(work, end, fields)
    if removed_end < len(work) and work[removed_end] == "的":
        removed_end += 1  # "万科的王总": the note keeps "王总"
    return name[:MAX_CUSTOMER], (region_start, removed_end)


def _verb_or_field_at(work: str, pos: int, fields: list[Span]) -> bool:
    if any(a == pos for a, _ in fields):
        return True
    return bool(_EN_VERB_RE.match(work, pos) or _ZH_VERB_RE.match(work, pos))


def _covers(work: str, known_end: int, phrase_end: int) -> bool:
    """Tell whether a known name covers the typed phrase (万科 does not cover 万科地产)."""
    rest = work[known_end:phrase_end].strip(_LEAD_JUNK)
    return not rest


def _skip_junk(work: str, pos: int) -> int:
    while pos < len(work) and work[pos] in _LEAD_JUNK:
        pos += 1
    return pos


def _phrase_end(work: str, pos: int, fields: list[Span]) -> int:
    """Return where the customer phrase starting at pos ends."""
    limit = min(len(work), pos + 200)
    ends = [limit, *(a for a, _ in fields if pos < a < limit)]
    sep = _SEPARATOR_RE.search(work, pos, limit)
    if sep is not None:
        ends.append(sep.start())
    end = reason_start(work, pos, min(ends))
    if is_cjk(work[pos]):
        space = next((i for i in range(pos, end) if work[i].isspace()), end)
        stop = _ZH_STOP_RE.search(work, pos + 2, space)
        return stop.start() if stop else space
    stop = _EN_STOP_RE.search(work, pos, end)
    if stop is not None:
        end = stop.start()
    return _capitalized_run(work, pos, end)


def _capitalized_run(work: str, pos: int, end: int) -> int:
    """Cut a Latin name at the first lowercase word when the name itself is capitalized."""
    words = list(re.finditer(r"\S+", work[pos:end]))
    if not words or not words[0].group()[:1].isupper():
        return end if len(words) <= 8 else pos + words[7].end()
    for i, word in enumerate(words[1:], start=1):
        token = word.group()
        if i >= 8 or (token[:1].islower() and token.lower() not in _CONNECTORS):
            return pos + words[i - 1].end()
    return end


def _tidy_customer(raw: str) -> str:
    name = " ".join(raw.split())
    stripped = name.strip(_LEAD_JUNK)
    if _ABBREVIATION_END_RE.search(name[: len(name.rstrip(" "))]):
        stripped += "."  # keep the dot of "Co., Ltd." and "Inc."
    return stripped[:MAX_CUSTOMER].strip()


def _trailing_fields(work: str, end: int, fields: list[Span]) -> int:
    """Extend the customer part over date/amount phrases right after it ("Acme today")."""
    while True:
        pos = end
        while pos < len(work) and work[pos] in " \t":
            pos += 1
        nxt = next((b for a, b in fields if a == pos), None)
        if nxt is None:
            return end
        end = nxt


def _known_prefix(work: str, pos: int, known: Names) -> tuple[str, int] | None:
    """Return the longest known customer the text at pos starts with, and where it ends."""
    if not known:
        return None
    names = index_names(known)
    chars: list[str] = []
    index: list[int] = []
    for i in range(pos, min(len(work), pos + 4 * names.longest)):
        for c in unicodedata.normalize("NFKC", work[i]).casefold():
            if c.isalnum():
                chars.append(c)
                index.append(i)
        if len(chars) > names.longest:
            break
    head = "".join(chars)
    # Longest first: one dict probe per length, whatever the size of the team.
    best: tuple[str, int] | None = None
    for length in range(min(len(head), names.longest), 1, -1):
        name = names.first_with_key(head[:length])
        if name is None:
            continue
        end = index[length - 1] + 1
        last = work[end - 1]
        if end < len(work) and last.isascii() and last.isalnum() and work[end].isascii():
            if work[end].isalnum():
                continue  # "Acme" is not the start of "Acmeville"
        best = (name, end)
        break
    if best is None:
        return None
    name, end = best
    while (tail := _SUFFIX_TAIL_RE.match(work, end)) is not None and tail.end() > end:
        end = tail.end()
    return name, end


# ---------------------------------------------------------------------------------------------
# Note


def _note(shown: str, removed: list[Span]) -> str | None:
    """Return what is left of the message once every parsed field is taken out."""
    rest = blank(shown, removed)
    lines = (" ".join(line.split()) for line in rest.split("\n"))
    note = "\n".join(line.strip(_NOTE_EDGE) for line in lines if line.strip(_NOTE_EDGE))
    note = _NOTE_REPEAT_RE.sub(r"\1", _NOTE_PUNCT_RE.sub(r"\1", note))
    note = _NOTE_CJK_PUNCT_RE.sub(r"\1", note).strip(_NOTE_EDGE)
    if not any(ch.isalnum() for ch in note):
        return None
    return note[:MAX_NOTE]

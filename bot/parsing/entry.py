"""A rep's message -> ParsedEntry: intent, customer, contact, money, channel, due date, note."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.parsing.amounts import AMOUNT_LABEL_RE, read_money
from bot.parsing.channels import find_channel
from bot.parsing.contacts import find_contact
from bot.parsing.dates import (
    DEFAULT_HABITS,
    DateHabits,
    DueMatch,
    choose_due,
    pointed_due,
    read_dues,
)
from bot.parsing.dedupe import known_name
from bot.parsing.doubts import Doubt, DoubtKind
from bot.parsing.intents import (
    Intent,
    find_command,
    find_hashtags,
    intent_from_words,
    planned,
    says_not,
)
from bot.parsing.names import Names, index_names, to_simplified
from bot.parsing.phones import find_phones
from bot.parsing.reasons import reads_as_note, reason_start
from bot.parsing.text import CJK, Span, blank, fold, is_cjk, overlaps, visible

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
      | (?:follow(?:ed|ing)?[\s-]?up|f/u)(?:\s+(?:with|w/|on))?(?:\s*[:\-]\s*|\s+)
      | remind\s+me\s+to(?:\s+(?:call|visit|email|ping|contact|chase|nudge|text|message
          |meet(?:\s+with)?|follow\s+up\s+(?:with|on)))?\s+
      | (?:call\s+back|called|call|rang|phoned|emailed|email|pinged|ping|texted|text
          |check\s+in\s+with)(?:\s+(?:with|w/))?\s+
      | (?:signed(?:\s+(?:with|up))?|closed(?:\s+(?:with|the\s+deal\s+with|deal\s+with))?
          |won(?:\s+(?:the\s+deal\s+with|deal\s+with|over))?|deal\s+(?:done|closed)\s+with)\s+
      | lost(?:\s+(?:the\s+deal\s+with|deal\s+with|to))?\s+
      | (?:won|signed|closed|lost|deal\s+done)\s*[!.]+\s*  # "Won!! Initech …"
      | (?:reminder|todo|to\s+do|task)\s*[:\-]\s*(?:to\s+)?
      | (?:just\s+left|back\s+from|came\s+back\s+from|got\s+back\s+from)\s+
      | note(?:\s+(?:for|on|about))?(?:\s*[:\-]\s*|\s+)
      | (?:please|pls|plz|kindly|can\s+you|could\s+you|just|also|finally|today|so|and)\s+
      | (?:fyi|btw|update|quick\s+update|heads\s+up)(?![A-Za-z])\s*[:,!\-]*\s*
      | (?:ok(?:ay)?|hey|hi|hello|guys|all|team)(?:\s+(?:all|guys|team|everyone))?
          \s*[:,!]+\s*  # greetings only with a comma
    )(?:the\s+)?""",
    re.IGNORECASE | re.VERBOSE,
)
_ZH_VERB_RE = re.compile(
    r"(?:去了趟|去了一趟|跑了一趟|跑了趟|去咗|見咗|见咗|拜訪咗|拜访咗|打咗電話俾|打咗电话俾|打咗電話畀|"
    r"打咗电话畀|打電話俾|打电话俾|上门拜访|上門拜訪|拜访了|拜访|拜訪了|拜訪|走访了|走访|走訪|去了|去|"
    r"见了|見了|约了|約了|"
    r"跟进一下|跟进了|跟进|跟進|回访了|回访|回訪|签约了|签约|簽約了|簽約|签了|簽了|成交了|成交|"
    r"拿下了|拿下|丢单了|丢单|丟單|丢了|丟了|新线索|新線索|新客户|新客戶|备注|備註|联系了|聯繫了|"
    r"打电话给|打電話給|给|給|请|請|麻烦|麻煩|帮忙|幫忙|帮我|幫我|刚刚|剛剛|刚|剛|已经|已經|终于|終於|"
    r"汇报一下|匯報一下|汇报|匯報|更新一下|更新|同步一下|同步|各位|大家好|约咗|約咗|"
    r"电话回访了|电话回访|電話回訪了|電話回訪|电话联系了|電話聯繫了|电话沟通了|電話溝通了|电话沟通|"
    r"電話溝通|电话|電話|待办[:：]|待辦[:：]|安排了|安排|准备|準備|"
    r"打算|计划|計劃|提醒我|提醒一下|提醒|今天上午|今天下午|今早|上午|"
    r"下午|早上|晚上|中午|刚才|剛才)"
    r"\s*[:：,，]?\s*"
)
# "跟万科聊了", "刚和Walmart开完会": a preposition before the name. 和 and 同 also begin names
# (和记黄埔, 同仁堂), so they are skipped only after something else was (a verb, a date).
_ZH_WITH_RE = re.compile(r"(?:(?P<always>跟|与|與)|和|同)\s*")
# "I visited Acme", "我今天拜访了万科": skipped only when a verb or a date follows, so that
# names such as 我爱我家 stay whole.
_PRONOUN_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:i|we|i've|we've|i\s+have|we\s+have|i\s+just|we\s+just)\s+"
    r"|我们|我們|我)\s*",
    re.IGNORECASE,
)
# `<`, `>` and `&` belong to names (A<B Corp, AT&T): the card escapes them. Emoji, symbols and
# tildes end a name ("Acme 🎉 signed", "海底捞～").
_SEPARATOR_RE = re.compile(
    r"[;:，；：、。!?！？\n|#@()（）【】\[\]《》「」~…\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff"
    r"\U0001f000-\U0001faff]"
    r"|,(?!\s*(?:ltd|limited|inc|llc|corp)\b)"
    r"|\s[-–—]\s|—|/(?!\d)"
    r"|(?<![Cc]o)(?<![Ii]nc)(?<![Ll]td)(?<![Cc]orp)(?<![MmDdSs]r)(?<![Mm]rs)(?<![Mm]s)(?<![Ss]t)"
    r"(?<![Bb]ros)(?<![Pp]te)(?<![Pp]ty)(?<!(?<![A-Za-z])[A-Za-z])"  # initials: "J.P. Morgan"
    r"\.(?:\s|$)",
    re.IGNORECASE,
)
# Roles and teams: "Acme CFO", "Acme's buyer" (the possessive is cut before them).
_EN_ROLES = (
    "office|team|hq|ceo|cfo|cto|coo|cio|vp|manager|director|buyer|procurement|purchasing|boss"
    "|owner|founder|president|guys|people|folks|ppl|side|staff|rep|reps|contact|sales|finance"
)
# Where an English name turns into a sentence: a function word or verb ("Acme is", "AT&T went").
_EN_STOPS = r"""about|regarding|re|for|to|on|at|by|via|through|thru|from|and|with|tel|phone
    |budget|deal|worth|who|which|that|they|he|she|we|i|it|is|are|was|were|wants?|needs?|asked
    |said|says|will|would|should|can|could|may|might|must|has|had|have|did|does|do|didn['’]t
    |doesn['’]t|won['’]t|can['’]t|isn['’]t|not|no|just|finally|already|still|also|really
    |yesterday|earlier|again|today|tomorrow|tonight|re:|after|before|since|because|but|so|then
    |in|went|came|met|visited|rang|replied|got|gave|wrote|sent|paid|chose|want|like|likes|love
    |loves|hates|prefers|seems|plans|looking|interested|ready|keen|happy|requests|reviewing
    |pushing|asking|going|coming|closing|signing|calling|thinking|considering|waiting|po|order
    |invoice|payment|quote|proposal|contract|renewal|samples"""
_EN_STOP_RE = re.compile(
    rf"""(?<!\s)\s+(?:{_EN_STOPS}|{_EN_ROLES})(?![A-Za-z])
      | (?<!\s)\s+(?-i:[a-z]+ed)(?<!limited)(?<!united)(?<!incorporated)(?<!listed)(?![A-Za-z])
      | ['’]s(?=\s+(?:(?:{_EN_ROLES})(?![A-Za-z])|(?!(?:{_EN_STOPS})(?![A-Za-z]))(?-i:[a-z])))""",
    re.IGNORECASE | re.VERBOSE,
)
_POSSESSIVE_RE = re.compile(r"['’]s(?![A-Za-z])")
# A Latin name runs into Chinese only through a region or company word (Apple中国区, IBM公司).
_CJK_NAME_TAIL_RE = re.compile(
    r"(?:中国|中國|香港|台湾|台灣|亚太|亞太|大中华|大中華|华东|華東|华南|華南|华北|華北|上海|北京|深圳"
    r"|区|區|分公司|总部|總部|股份有限公司|有限责任公司|有限責任公司|有限公司|公司|集团|集團|控股|科技"
    r"|银行|銀行|酒店|超市|门店|門店)+"
)
# A number after the first word is a quantity or a figure, not part of the name ("Stark
# Industries 200 units", "21Vianet 50台"), unless it ends the message ("Forever 21").
_FIGURE_AFTER_RE = re.compile(r"\s+(?P<figure>\d\S*)\s*(?P<rest>.*)", re.DOTALL)
_ZH_STOP_RE = re.compile(
    r"讨论|討論|洽谈|洽談|商谈|商談|谈|談|聊|沟通|溝通|报价|報價|合同|签约|簽約|签了|簽了|下单|下單|"
    r"订单|訂單|采购|採購|需求|意向|预算|預算|金额|金額|联系人|聯繫人|联系|聯繫|电话|電話|手机|手機|"
    r"渠道|经销|經銷|代理|通过|通過|关于|關於|对接|對接|反馈|反饋|表示|准备|準備|计划|計劃|打算|需要|"
    r"希望|说|說|的|要|想|了解|看了|看看|参观|參觀|演示|见了|見了|跟进|跟進|拜访|拜訪|提醒|回访|回訪|"
    r"确认|確認|打电话|打電話|问|問|老板|负责人|負責人|今天|明天|这边|那边|这周|那周|项目|項目|产品|產品|"
    r"样品|樣品|续约|續約|付款|回款|发货|發貨|送货|送貨|已经|已經|还|還|也|都|又|再|在|和|与|與|跟|"
    # verbs and particles that turn a name into a sentence, Cantonese ones too
    r"了|開|开|見|见|話|话|講|讲|咗|嘅|係|唔|冇|佢|傾|睇|約|约|搞|同意|觉得|覺得|认为|認為|回复|回覆|"
    r"答应|答應|考虑|考慮|试用|試用|加盟|上线|上線|来了|來了|过来|過來|没有|沒有|没|沒|不|很|挺|"
    r"非常|比较|比較|特别|特別|一直|刚|剛|才|就|把|被|让|讓|给|給|对|對|是|有意|有兴趣|有興趣|"
    r"感兴趣|感興趣|打了|打过|打過|打个|打個|通了|吃饭|吃飯|吃了|开会|開會|见面|見面|面谈|面談|发了|"
    r"發了|寄了|送了"
    # a figure after the name: "永辉超市50箱"
    r"|(?<=[\u3400-\u9fff])\d"
)
_SUFFIX_TAIL_RE = re.compile(
    r"[\s,.]*(?:co\.?,?\s*ltd\.?|co\.?|ltd\.?|inc\.?|llc|corp\.?|corporation|limited|gmbh|plc|"
    r"股份有限公司|有限责任公司|有限責任公司|有限公司|公司|集团|集團)(?![A-Za-z])",
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
# "电话沟通了三家：万科、保利…", "visited 3 customers": how many, not who (one entry per customer).
_HOW_MANY_RE = re.compile(
    r"[一二两兩三四五六七八九十几幾多\d]+\s*(?:家|个客户|個客戶|位客户|位客戶|个|個)"
    r"|(?i:\d+|two|three|four|five|several|a\s+few)\s+(?i:customers|clients|accounts|shops|stores)"
)
_GAP_RE = re.compile(rf"(?<=[{CJK}])[ \t]+(?=[{CJK}])")
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
    habits: DateHabits = DEFAULT_HABITS,
) -> ParsedEntry:
    """Parse a rep's message into a ParsedEntry; never raises."""
    try:
        return _parse(
            text, now=now, tz=tz, default_currency=default_currency,
            known_customers=known_customers, bot_username=bot_username, addressed=addressed,
            default_time=default_time, habits=habits,
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
    habits: DateHabits,
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
    worded = intent is None and addressed and command is None
    if worded:
        intent = intent_from_words(work)

    phones = [p for p in find_phones(work) if not overlaps(p.start, p.end, markers)]
    phone = phones[0] if phones else None
    phone_spans = [(p.start, p.end) for p in phones]

    reading = read_dues(work, now=now, tz=tz, default_time=default_time, habits=habits)
    dues = [d for d in reading.matches if not overlaps(d.start, d.end, phone_spans)]
    unreadable = [s for s in reading.unreadable if not overlaps(*s, phone_spans)]
    due = choose_due(dues, work, now)
    due_spans = [(d.start, d.end) for d in dues] + unreadable
    due, doubts = _due_doubts(due, dues, unreadable, work, shown, intent=intent, now=now)

    channel = find_channel(blank(work, phone_spans + due_spans))
    channel_spans = [(channel.start, channel.end)] if channel else []
    contact = find_contact(blank(work, phone_spans + channel_spans), stops=due_spans)
    contact_spans = [(contact.start, contact.end)] if contact else []
    money = read_money(
        work, exclude=phone_spans + due_spans + channel_spans + contact_spans,
        default_currency=default_currency,
    )  # fmt: skip
    amount = money.amount
    amount_spans = [(_labelled_start(work, amount.start), amount.end)] if amount else []

    fields = phone_spans + due_spans + channel_spans + contact_spans + amount_spans
    stops = [*money.stops, *money.unreadable]
    customer = _customer(work, fields, known_customers, stops=stops)
    if customer is not None:
        # A field read inside a known customer's name was part of the name.
        if amount is not None and overlaps(amount.start, amount.end, [customer.span]):
            amount = None
        if due is not None and overlaps(due.start, due.end, [customer.span]):
            due = None

    if intent is None and worded and customer is not None and due and not says_not(work):
        intent = Intent.FOLLOWUP  # "@bot Wayne wants a demo next wed at 2pm": a dated to-do
    elif worded and due and intent in (Intent.VISIT, Intent.CALL) and planned(work):
        intent = Intent.FOLLOWUP  # "约了京东下周三见面": the meeting is still to come
    removed = [*markers, *channel_spans, *amount_spans, *money.unreadable]
    if phone is not None:
        removed.append((phone.start, phone.end))
    if due is not None:
        removed.append((due.start, due.end))
    if contact is not None and contact.labelled:
        removed.append((contact.start, contact.end))
    if customer is not None:
        removed.extend(customer.removed)
    return ParsedEntry(
        intent=intent,
        customer=customer.name if customer else None,
        contact=contact.name if contact else None,
        phone=phone.number if phone else None,
        channel=channel.kind if channel else None,
        partner=channel.partner if channel else None,
        amount=amount.value if amount else None,
        currency=amount.currency if amount else None,
        due=due.when if due else None,
        assignee=assignee,
        note=_note(shown, removed),
        doubts=doubts + money.doubts,
    )


def _due_doubts(
    due: DueMatch | None,
    dues: list[DueMatch],
    unreadable: list[Span],
    work: str,
    shown: str,
    *,
    intent: Intent | None,
    now: datetime,
) -> tuple[DueMatch | None, tuple[Doubt, ...]]:
    """Keep the due a message asks for and say what about it is unsure; a past date that no
    follow-up word points at is when something happened, not a due."""
    doubts = [Doubt(DoubtKind.DATE_UNREADABLE, shown[a:b].strip()) for a, b in unreadable]
    if due is None:
        return None, tuple(doubts)
    words = shown[due.start : due.end].strip()
    if due.when <= now:
        asked = intent is Intent.FOLLOWUP or pointed_due(dues, work) is due
        if not asked:
            return None, tuple(doubts)
        if due.clock or due.when.date() < now.astimezone(due.when.tzinfo).date():
            doubts.append(Doubt(DoubtKind.DATE_PAST, words))
    if due.rule is not None:
        doubts.append(Doubt(DoubtKind.DATE_ASSUMED, words, due.rule))
    return due, tuple(doubts)


def _labelled_start(work: str, start: int) -> int:
    """Return where an amount starts with its label: "预算 5万", "budget: 50k" say nothing more."""
    label = AMOUNT_LABEL_RE.search(work, max(0, start - 16), start)
    return label.start() if label else start


# ---------------------------------------------------------------------------------------------
# Customer


@dataclass(frozen=True, slots=True)
class _Customer:
    name: str
    span: Span  # the name itself
    removed: tuple[Span, ...]  # what the note loses: leading verbs and dates, the name, trailing
    # fields; all but what was done before the name ("emailed the proposal", "催一下")


# After a contact or a date, what names the customer: "… from Initech", "today at Acme"
_OF_RE = re.compile(rf"(?i:from|of|at)\s+(?=[A-Z{CJK}])")
# Someone by their role at the customer: "met the purchasing manager at Globex".
_ROLE_AT_RE = re.compile(
    rf"(?i:(?:the|their|a|an)\s+)?(?i:(?:head\s+of\s+)?(?:purchasing|procurement|buying|sales"
    rf"|marketing|finance|it|ops|operations|store|regional|general|category|hr|legal)\s+)?"
    rf"(?i:{_EN_ROLES}|head|lead|team|people|guy|lady|folks)\s+(?i:at|from|of)\s+(?=[A-Za-z{CJK}])"
)
# What happened with the customer, before its name: "had a call with Initech", "emailed the
# proposal to Hooli", "发了报价单给小米". The note keeps it, without the word that leads to the
# name.
_KEPT_RE = re.compile(
    r"""(?:(?i:(?:had|have|scheduled|booked|set\s+up|arranged|planned)\s+(?:an?\s+)?)?
        (?i:(?:quick|short|good|great|long|phone|video|zoom|teams|intro|first|follow[\s-]?up)\s+)?
        (?i:call|meeting|lunch|dinner|coffee|drinks|breakfast|demo|presentation|chat
          |catch[\s-]?up|visit)
        (?P<meet>\s+(?i:with|w/|at|for|to)\s+)(?i:the\s+)?
      | (?i:touched\s+base|caught\s+up|checked\s+in|synced(?:\s+up)?|chatted|met\s+up
          |left\s+(?:a\s+)?(?:voicemail|voice\s+mail|vm|message|msg))
        (?P<touch>\s+(?i:with|w/|for|to)\s+)(?i:the\s+)?
      | (?i:sent|send|emailed|e-mailed|email|mailed|forwarded|shared|gave|delivered|dropped\s+off)
        \s+(?i:the\s+|a\s+|an\s+|our\s+|my\s+)?(?i:revised\s+|updated\s+|new\s+|final\s+)?
        (?i:proposal|quote|quotation|offer|contract|invoice|deck|brochure|samples?|pricing
          |price\s+list|catalog(?:ue)?|presentation|specs?|agreement|nda|po|order\s+form)
        (?P<en>\s+(?i:to|for)\s+)
      | (?:发了|發了|发|發|寄了|寄|送了|送|递交了|遞交了|提交了|交了)
        (?:一份|一下|个|個)?(?:新的|最新的|修改后的|修改後的)?
        (?:报价单|報價單|报价|報價|合同|方案|样品|樣品|资料|資料|产品目录|產品目錄|价格表|價格表|PPT|ppt
          |标书|標書|订单|訂單|发票|發票|画册|畫冊)(?P<zh>给|給|到)
      | (?:催一下|催))(?P<urge>)\s*""",
    re.VERBOSE,
)
# A label anywhere names the customer after it: "老王介绍了一个新客户：蜜雪冰城",
# "… new lead: Acme".
_LABEL_RE = re.compile(
    r"(?:新客户|新客戶|新线索|新線索|客户名称|客戶名稱|客户|客戶"
    r"|(?<![A-Za-z])(?i:new\s+(?:lead|customer|client|prospect)|customer|client))\s*[:：]\s*"
)
# "和华为开了个会": 和/同 at the start is "with" when a meeting verb follows the name (和记黄埔 is
# a name of its own, unless the team knows it).
_WITH_VERB_RE = re.compile(
    r"\s*(?:开|開|聊|谈|談|吃|见|見|通|沟通|溝通|签|簽|合作|碰|约|約|对接|對接|的|傾|倾)"
)


def _customer(
    work: str, fields: list[Span], known: Names, *, stops: Iterable[Span] = ()
) -> _Customer | None:
    """Return the customer named at the start of the message, if any.

    A name also ends before a stop (a quantity, an unreadable amount), which stays in the note.
    """
    region_start = pos = _skip_junk(work, 0)
    first = region_start
    kept: Span | None = None  # what the note keeps of the text before the name
    label = _LABEL_RE.search(work, pos)
    if label is not None and label.start() >= pos and not _known_prefix(work, pos, known):
        kept = (region_start, label.start())  # "老王介绍了一个": who referred it
        region_start = pos = _skip_junk(work, label.end())
    for _ in range(4):
        # Leading dates and verbs: "明天拜访了万科", "today visited Acme", "new lead: Acme".
        leading = next((b for a, b in fields if a <= pos < b), None)
        verb = _EN_VERB_RE.match(work, pos) or _ZH_VERB_RE.match(work, pos)
        pronoun = _PRONOUN_RE.match(work, pos)
        with_ = _ZH_WITH_RE.match(work, pos)
        if (
            with_ is not None
            and not (
                with_["always"]
                or pos > region_start
                or not is_cjk(work[with_.end() : with_.end() + 1])
            )
            and not _WITH_VERB_RE.match(work, _phrase_end(work, with_.end(), fields))
        ):
            with_ = None
        done = _KEPT_RE.match(work, pos)
        if leading is not None and (here := _known_prefix(work, pos, known)) and here[1] >= leading:
            break  # a known name wins over a field read inside it: "1688", "7 Days Inn"
        if leading is not None:
            pos = _skip_junk(work, leading)
            if (of := _OF_RE.match(work, pos)) is not None:  # "spoke with Sarah from Initech"
                pos = _skip_junk(work, of.end())
        elif (role := _ROLE_AT_RE.match(work, pos)) is not None and pos > region_start:
            pos = _skip_junk(work, role.end())
        elif done is not None and not _known_prefix(work, pos, known):
            group = next((g for g in ("meet", "touch", "en", "zh") if done[g]), "urge")
            kept = (done.start(), done.start(group))
            pos = _skip_junk(work, done.end())
        elif verb is not None and verb.end() > pos and not _known_prefix(work, pos, known):
            pos = _skip_junk(work, verb.end())
        elif with_ is not None and with_.end() > pos and not _known_prefix(work, pos, known):
            pos = _skip_junk(work, with_.end())
        elif pronoun is not None and _verb_or_field_at(work, pronoun.end(), fields):
            pos = _skip_junk(work, pronoun.end())
        else:
            break
    if pos >= len(work):
        return None
    end = _phrase_end(work, pos, [*fields, *stops])
    name = _tidy_customer(work[pos:end])
    canonical = _known_prefix(work, pos, known)
    is_known = canonical is not None and _covers(work, canonical[1], end)
    if canonical is not None and is_known:
        name, end = canonical[0], max(end, canonical[1])
    elif canonical is not None and reads_as_note(work, canonical[1], end):
        name, end = canonical  # "/lost acme trading lost to a competitor": the rest is the note
    elif name and known:
        # bot/parsing/dedupe.py: only a sure match replaces what was typed; else the bot asks.
        name = known_name(name, known) or name
    if not name or name.casefold() in _NOT_CUSTOMERS or _HOW_MANY_RE.fullmatch(name):
        return None
    if not is_known and not any(c.isalpha() for c in name):
        return None  # a new customer needs a letter; a known one may be digits ("1688")
    if (possessive := _POSSESSIVE_RE.match(work, end)) is not None:
        end = possessive.end()  # "Acme's CFO": the note keeps "CFO"
    removed_end = _trailing_fields(work, end, fields)
    after = _skip_space(work, removed_end)
    if after < len(work) and work[after] == "的":
        removed_end = after + 1  # "万科的王总", "1688 的王总": the note keeps "王总"
    removed = ((first, kept[0]), (kept[1], removed_end)) if kept else ((first, removed_end),)
    return _Customer(name[:MAX_CUSTOMER], (pos, end), removed)


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
    first = pos
    while first < end and work[first].isdigit():
        first += 1  # "58同城" is a Chinese name, "21Vianet" a Latin one
    if first < end and is_cjk(work[first]):
        space = next((i for i in range(pos, end) if work[i].isspace()), end)
        stop = _ZH_STOP_RE.search(work, max(first, pos + 2), space)
        return stop.start() if stop else space
    end = _latin_end(work, pos, end)
    stop = _EN_STOP_RE.search(work, pos, end)
    if stop is not None:
        end = stop.start()
    return _capitalized_run(work, pos, end)


def _latin_end(work: str, pos: int, end: int) -> int:
    """Cut a Latin name where Chinese text (but a region or company word) or a figure starts."""
    i = pos
    while i < end:
        if is_cjk(work[i]):
            tail = _CJK_NAME_TAIL_RE.match(work, i, end) if i > pos else None
            if tail is None:
                return i
            i = tail.end()
            continue
        figure = _FIGURE_AFTER_RE.match(work, i, end) if work[i].isspace() else None
        if figure is not None and (figure["rest"] or not figure["figure"].isdigit()):
            return i
        i += 1
    return end


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
    if name.startswith("the ") and name[4:5].isupper():
        name = name[4:]  # "the Globex deal" (The Home Depot keeps its capital)
    stripped = name.strip(_LEAD_JUNK)
    if _ABBREVIATION_END_RE.search(name[: len(name.rstrip(" "))]):
        stripped += "."  # keep the dot of "Co., Ltd." and "Inc."
    return stripped[:MAX_CUSTOMER].strip()


def _skip_space(work: str, pos: int) -> int:
    while pos < len(work) and work[pos] in " \t":
        pos += 1
    return pos


def _trailing_fields(work: str, end: int, fields: list[Span]) -> int:
    """Extend the customer part over date/amount phrases right after it ("Acme today")."""
    while True:
        pos = _skip_space(work, end)
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
    simplified = to_simplified(head)  # keys are Simplified: 華為 finds 华为
    if len(simplified) == len(head):  # one character for one, so `index` still holds
        head = simplified
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


def _join_cjk(rest: str, shown: str) -> str:
    """Close the gaps a taken-out field leaves between Chinese words ("约了 开会" → "约了开会").

    Spaces the rep typed stay.
    """
    parts, last = [], 0
    for m in _GAP_RE.finditer(rest):
        if not any(ch.isspace() for ch in shown[m.start() : m.end()]):
            parts.append(rest[last : m.start()])
            last = m.end()
    return "".join(parts) + rest[last:]


def _note(shown: str, removed: list[Span]) -> str | None:
    """Return what is left of the message once every parsed field is taken out."""
    rest = _join_cjk(blank(shown, removed), shown)
    lines = (" ".join(line.split()) for line in rest.split("\n"))
    note = "\n".join(line.strip(_NOTE_EDGE) for line in lines if line.strip(_NOTE_EDGE))
    note = _NOTE_REPEAT_RE.sub(r"\1", _NOTE_PUNCT_RE.sub(r"\1", note))
    note = _NOTE_CJK_PUNCT_RE.sub(r"\1", note).strip(_NOTE_EDGE)
    if not any(ch.isalnum() for ch in note):
        return None
    return note[:MAX_NOTE]

"""One language all the way: every reply, button, chart and file of a team in its language.

A team is set up in one language and switched to the other with /lang, the way the channel
names went wrong: they were stored in the language of activation. The team's user data is
neutral for the check (Chinese names in the Chinese team, Latin ones in the English team), so
any English word of the bot's own in the Chinese team, or Chinese in the English team, is one
that the bot wrote.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from openpyxl import load_workbook

import bot.views.charts
from bot.clock import ManualClock
from bot.config import Settings
from bot.i18n import CATALOGS, Message, t
from tgemu import SentMessage
from tgemu.sandbox import Person, Sandbox

GROUP = -1001000000077
# A word of the English catalog's own: three letters or more, not a command, a mention, a
# placeholder or an example inside <code>, and not also in the Chinese catalog (CSV, Excel …).
_WORD = re.compile(r"(?<![/@#\w{])[A-Za-z][A-Za-z'-]*[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_TAG = re.compile(r"<code>.*?</code>|<[^>]+>", re.DOTALL)


def _forms(message: Message) -> list[str]:
    return [message] if isinstance(message, str) else list(message.values())


def _texts(lang: str) -> list[str]:
    return [_TAG.sub(" ", form) for m in CATALOGS[lang].values() for form in _forms(m)]


def _catalog_words(lang: str) -> set[str]:
    return {
        w.casefold() for text in _texts(lang) for w in _WORD.findall(_PLACEHOLDER.sub(" ", text))
    }


EN_ONLY = _catalog_words("en") - _catalog_words("zh")
EN_TEXT = "\n".join(form for m in CATALOGS["en"].values() for form in _forms(m))


def english_in(text: str) -> set[str]:
    """The English catalog's own words in a text."""
    return {w for w in _WORD.findall(text) if w.casefold() in EN_ONLY and len(w) > 2}


def chinese_in(text: str, user_data: tuple[str, ...]) -> set[str]:
    """Chinese in a text that neither the user wrote nor the English catalog holds (examples)."""
    for value in user_data:
        text = text.replace(value, " ")
    return {run for run in _CJK.findall(text) if run not in EN_TEXT and run.strip("（）：，。 ")}


# What both teams do once they have logged some work; {a} is a customer, {p} a partner.
REPORTS = (
    ("alice", "/customer {a}"),
    ("maria", "/partner {p}"),
    ("maria", "/channel list"),
    ("maria", "/stats"),
    ("maria", "/stats channel {kind}"),
    ("alice", "/stats"),
    ("maria", "/funnel"),
    ("maria", "/pipeline"),
    ("maria", "/stages"),
    ("alice", "/stage {a} {stage}"),
    ("alice", "/tasks"),
    ("maria", "/tasks all"),
    ("maria", "/settings"),
    ("maria", "/digest settings"),
    ("maria", "/churn"),
    ("maria", "/partners"),
    ("maria", "/leaderboard"),
)
AFTER_CLOSING = (
    ("alice", "/leaderboard"),  # refused: for managers
    ("alice", "/done 99"),
    ("alice", "/customer {nobody}"),
    ("alice", "/stage"),
    ("alice", "/nosuchcommand"),
    ("maria", "/help"),
    ("maria", "/digest now"),
    ("maria", "/stats chart"),
    ("maria", "/funnel chart"),
    ("maria", "/export"),
)


@dataclass
class Scenario:
    lang: str  # the team's language after /lang
    first: str  # the language it was set up in
    user_data: tuple[str, ...]
    sheet: str  # a CSV to /import: a new customer, a known one, a row without a name
    logs: tuple[tuple[str, str], ...]  # (who, text)
    closes: tuple[tuple[str, str], ...]
    words: dict[str, str]

    @property
    def script(self) -> list[tuple[str, str]]:
        def fill(lines: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
            return [(who, text.format(**self.words)) for who, text in lines]

        return [*self.logs, *fill(REPORTS), *self.closes, *fill(AFTER_CLOSING)]


ZH = Scenario(
    lang="zh",
    first="en",
    user_data=(
        "万科",
        "华润",
        "华泰",
        "华东组",
        "跟进报价",
        "寄样品",
        "价格太高",
        "王经理",
        "招商局",
    ),
    sheet="客户名称,电话,阶段,金额\n招商局,13800138000,已报价,5万\n万科,,,\n,139,,\n",
    logs=(
        ("alice", "/lead 万科 12万 渠道华泰经销"),
        ("alice", "/visit 万科 下周二跟进报价"),
        ("bob", "/lead 华润 3万"),
        ("bob", "/followup 华润 明天下午3点 寄样品"),
        ("alice", "/note 万科 跟进报价"),
    ),
    closes=(("alice", "/won 万科 12万"), ("bob", "/lost 华润 价格太高")),
    words={"a": "万科", "p": "华泰", "kind": "经销商", "stage": "报价", "nobody": "无此客户"},
)
EN = Scenario(
    lang="en",
    first="zh",
    user_data=("Acme", "Globex", "Huatai", "East", "Initech"),
    sheet="Customer,Phone,Stage,Amount\nInitech,5550100,Quoted,50000\nAcme,,,\n,5550101,,\n",
    logs=(
        ("alice", "/lead Acme 50k via distributor Huatai"),
        ("alice", "/visit Acme, follow up next Tue about the quote"),
        ("bob", "/lead Globex 30k"),
        ("bob", "/followup Globex tomorrow 3pm send samples"),
        ("alice", "/note Acme called the buyer"),
    ),
    closes=(("alice", "/won Acme 50k"), ("bob", "/lost Globex price too high")),
    words={
        "a": "Acme",
        "p": "Huatai",
        "kind": "distributor",
        "stage": "quoted",
        "nobody": "Nobody",
    },
)


@pytest.fixture
def chart_texts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every text drawn in a chart (titles, axes, ticks, labels), charts drawn in-process."""
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    drawn: list[str] = []
    real = bot.views.charts._png

    def recording(figure: Figure) -> bytes:
        png = real(figure)  # drawn: the ticks have their labels now
        drawn.extend(t.get_text() for t in figure.findobj(Text) if t.get_text())
        return png

    monkeypatch.setattr(bot.views.charts, "_png", recording)
    yield drawn


@pytest.fixture
async def inprocess(database_url: str, clock: ManualClock) -> AsyncIterator[Sandbox]:
    async with Sandbox(
        database_url=database_url, clock=clock, settings=Settings(CRMBOT_WORKERS=0)
    ) as box:
        yield box


def _people(sandbox: Sandbox, lang: str) -> dict[str, Person]:
    return {
        "maria": sandbox.person(100, "王经理" if lang == "zh" else "Maria", "maria", lang),
        "alice": sandbox.person(200, "Alice", "alice", lang),
        "bob": sandbox.person(300, "Bob", "bob", lang),
    }


def _everything(messages: list[SentMessage]) -> list[str]:
    """What people read: texts and captions (every edit), and button labels.

    What is inside <code> is command syntax to type (/settings hours 09:00-18:00), the same in
    both languages, so it is left out.
    """
    seen = []
    for message in messages:
        text = html.unescape(_TAG.sub(" ", message.html)) if message.html else message.text
        seen += [text, *message.edits, *(label for label, _ in message.buttons)]
    return seen


def _file_cells(message: SentMessage) -> list[str]:
    assert message.content is not None and message.document is not None
    if message.document["file_name"].endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(message.content))
        return [
            cell
            for name in archive.namelist()
            for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
            for cell in row
        ]
    workbook = load_workbook(io.BytesIO(message.content))
    cells = list(workbook.sheetnames)
    for sheet in workbook.worksheets:
        cells += [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    return cells


def _foreign(scenario: Scenario, text: str) -> set[str]:
    if scenario.lang == "zh":
        return english_in(text)
    return chinese_in(text, scenario.user_data)


@pytest.mark.parametrize("scenario", [ZH, EN], ids=["zh", "en"])
async def test_a_team_reads_only_its_own_language(
    inprocess: Sandbox, clock: ManualClock, chart_texts: list[str], scenario: Scenario
) -> None:
    sandbox = inprocess
    people = _people(sandbox, scenario.first)
    sandbox.group(
        GROUP,
        "华东组" if scenario.lang == "zh" else "East",
        admins=[people["maria"]],
        members=[people["alice"], people["bob"]],
    )
    # Set up in the admin's language (their Telegram's), then switched with /lang.
    (setup,) = await sandbox.say(GROUP, people["maria"], "/setup")
    assert setup.html == t(scenario.first, "setup.done", tz="Asia/Shanghai", lang=scenario.first)
    await sandbox.say(GROUP, people["maria"], f"/lang {scenario.lang}")
    start = len(sandbox.emulator.sent(GROUP))
    for who, text in scenario.script:
        await sandbox.say(GROUP, people[who], text)
    # The buttons' own replies: the due-time choices, the customers "not this one" offers.
    visit = next(
        m for m in sandbox.emulator.sent(GROUP) if any(":due" in (d or "") for _, d in m.buttons)
    )
    (due,) = [d for _, d in visit.buttons if ":due" in (d or "")]
    await sandbox.press(GROUP, people["alice"], visit.message_id, due)
    shown = sandbox.message(GROUP, visit.message_id).buttons
    await sandbox.press(GROUP, people["alice"], visit.message_id, shown[0][1])
    lead = next(
        m for m in sandbox.emulator.sent(GROUP) if any(":nc" in (d or "") for _, d in m.buttons)
    )
    (other,) = [d for _, d in lead.buttons if ":nc" in (d or "")]
    await sandbox.press(GROUP, people["alice"], lead.message_id, other)
    # An import (a preview, then its result), the reminders, the escalation and the agenda.
    (preview,) = await sandbox.send_document(
        GROUP,
        people["maria"],
        "客户表.csv" if scenario.lang == "zh" else "sheet.csv",
        scenario.sheet.encode(),
        "text/csv",
        caption="/import",
    )
    confirm = next(d for _, d in preview.buttons if d)
    await sandbox.press(GROUP, people["maria"], preview.message_id, confirm)
    await sandbox.say(GROUP, people["maria"], "/settings agenda on")
    clock.advance(timedelta(days=7))  # a week on: overdue by more than 24 working hours
    for job in ("due_reminders", "escalations", "morning_agenda"):
        await sandbox.run_job(job)
    # A quarter on: protection is over, silent customers go back to the pool; Monday's digest.
    clock.advance(timedelta(days=97))
    for job in ("pool", "digest"):
        await sandbox.run_job(job)
    sent = sandbox.emulator.sent(GROUP)[start:]

    found = {text: _foreign(scenario, text) for text in _everything(sent)}
    found |= {
        f"{m.document['file_name']}: {cell}": _foreign(scenario, cell)
        for m in sent
        if m.kind == "document" and m.document is not None
        for cell in _file_cells(m)
    }
    found |= {f"chart: {text}": _foreign(scenario, text) for text in chart_texts}
    assert {text: words for text, words in found.items() if words} == {}
    # The script reached what it means to check.
    assert len([m for m in sent if m.kind == "document"]) == 2
    starts = {text[:2] for m in sent for text in (m.text, *m.edits)}
    assert {"⏰ ", "⚠️", "☀️", "📥 ", "✅ ", "🌊 "} <= starts, starts
    assert len([m for m in sent if m.kind == "photo"]) >= 2 and chart_texts


async def test_default_channels_follow_lang_and_renamed_ones_keep_their_name(
    sandbox: Sandbox,
) -> None:
    """Set up in English, switched to Chinese and back: the default channels follow."""
    people = _people(sandbox, "en")
    maria, alice = people["maria"], people["alice"]
    sandbox.group(GROUP, "East", admins=[maria], members=[alice, people["bob"]])
    await sandbox.say(GROUP, maria, "/setup")
    await sandbox.say(GROUP, maria, "/channel add Tmall kind=ecommerce")
    (reply,) = await sandbox.say(GROUP, maria, "/channel add 代理商 kind=agent")
    assert reply.text == "There already is a channel 代理商."  # the default one, in Chinese
    await sandbox.say(GROUP, maria, "/lang zh")
    (card,) = await sandbox.say(GROUP, alice, "/lead 万科 12万 渠道华泰经销")
    assert card.text.splitlines()[1] == "负责人 @alice · 渠道 经销商 / 华泰 · ¥12万"
    (listing,) = await sandbox.say(GROUP, alice, "/channel list")
    assert listing.text.splitlines() == [
        "渠道",
        "• 经销商 — 1 个客户",
        "• 代理商 — 0 个客户",
        "• 电商 — 0 个客户",
        "• 直营店 — 0 个客户",
        "• 转介绍 — 0 个客户",
        "• 其他 — 0 个客户",
        "• Tmall（电商）— 0 个客户",  # the team's own name stays
    ]
    (partner,) = await sandbox.say(GROUP, maria, "/partner 华泰")
    assert partner.text.splitlines()[1] == "渠道 经销商 · 负责人 —"
    (stats,) = await sandbox.say(GROUP, maria, "/stats channel 经销商")
    assert stats.text.splitlines()[:3] == [
        "📈 渠道 经销商 · 2026年11月",
        "渠道   线索 拜访 成交 业绩",
        "经销商    1    0    0   ¥0",
    ]
    await sandbox.say(GROUP, maria, "/lang en")
    (customer,) = await sandbox.say(GROUP, alice, "/customer 万科")
    assert "via Distributor / 华泰" in customer.text.splitlines()


async def test_a_partner_named_as_its_channel_is_said_once(sandbox: Sandbox) -> None:
    people = _people(sandbox, "en")
    maria, alice = people["maria"], people["alice"]
    sandbox.group(GROUP, "East", admins=[maria], members=[alice])
    await sandbox.say(GROUP, maria, "/setup")
    await sandbox.say(GROUP, maria, "/partner add Referral channel=referral")
    (card,) = await sandbox.say(GROUP, alice, "/lead Acme 5000 via referral Referral")
    assert card.text.splitlines()[1] == "Owner @alice · via Referral · ¥5,000"


@pytest.mark.parametrize(
    ("lang", "hours", "quiet"),
    [
        ("en", "Escalate to managers after: 1 working hour", "partners quiet 1 day"),
        ("zh", "逾期多久通知经理：1 个工作小时", "伙伴 1 天无动态"),
    ],
)
async def test_one_is_singular(sandbox: Sandbox, lang: str, hours: str, quiet: str) -> None:
    people = _people(sandbox, lang)
    maria = people["maria"]
    sandbox.group(GROUP, "East", admins=[maria], members=[people["alice"]])
    await sandbox.say(GROUP, maria, "/setup")
    (reply,) = await sandbox.say(GROUP, maria, "/settings escalate 1")
    assert hours in reply.text.splitlines()
    (reply,) = await sandbox.say(GROUP, maria, "/digest settings partner-silent 1 churn 1")
    assert quiet in reply.text
    assert ("customers silent 1 day" if lang == "en" else "客户 1 天无动态") in reply.text
    (reply,) = await sandbox.say(GROUP, maria, "/settings escalate 2")
    assert hours.replace("1 working hour", "2 working hours").replace("1 个", "2 个") in (
        reply.text.splitlines()
    )

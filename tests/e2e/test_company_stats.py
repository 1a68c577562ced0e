"""/stats org through the emulator: a company's numbers equal the sum of its groups' /stats."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from bot.i18n import plain, t
from tests.e2e.conftest import GROUP, OTHER_GROUP, Team, make_team
from tests.e2e.test_org import THIRD_GROUP, code_of
from tgemu import SentMessage
from tgemu.sandbox import Sandbox

FIFTH_GROUP = -1001000000005
PERIOD = "2026-11"
AMOUNT = re.compile(r"[¥$€]?([\d,.]+)(万|k|m)?")


@dataclass
class Company:
    head: Team
    branch: Team
    lang: str


Figures = tuple[int, int, int, str]  # leads, visits, won, revenue as the table shows it


async def active(sandbox: Sandbox, chat_id: int, *, lang: str, offset: int) -> Team:
    team = make_team(sandbox, chat_id, lang=lang, offset=offset)
    await sandbox.say(chat_id, team.manager, "/setup")
    return team


async def log(sandbox: Sandbox, team: Team, entries: list[str]) -> None:
    for text in entries:
        (card,) = await sandbox.say(team.chat_id, team.alice, text)
        assert "·" in card.text, card.text


@pytest.fixture(params=["en", "zh"])
async def company(sandbox: Sandbox, request: pytest.FixtureRequest) -> Company:
    """Acme: a head office and a branch that both log leads, visits and wins in November."""
    lang = request.param
    head = await active(sandbox, GROUP, lang=lang, offset=0)
    branch = await active(sandbox, OTHER_GROUP, lang=lang, offset=1)
    (created,) = await sandbox.say(head.chat_id, head.manager, "/org create Acme <Co>")
    await sandbox.say(branch.chat_id, branch.manager, f"/org join {code_of(created)}")
    await log(
        sandbox,
        head,
        ["/lead Initech 50k via distributor Huatai", "/visit Initech", "/won Initech 50k"],
    )
    await log(
        sandbox,
        branch,
        [
            "/lead Globex 20k via distributor",
            "/lead Umbrella 30k",
            "/visit Umbrella",
            "/visit Globex",
            "/won Umbrella 30k",
        ],
    )
    return Company(head, branch, lang)


def rows_after(reply: SentMessage, header: str) -> dict[str, Figures]:
    """The table whose header line starts with `header`, as name → figures."""
    lines = reply.text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows: dict[str, Figures] = {}
    for line in lines[start + 1 :]:
        parts = line.split()
        if len(parts) < 5 or not all(p.isdigit() for p in parts[-4:-1]):
            break
        leads, visits, won = (int(p) for p in parts[-4:-1])
        rows[" ".join(parts[:-4])] = (leads, visits, won, parts[-1])
    return rows


def team_total(reply: SentMessage, lang: str) -> Figures:
    """A group's /stats: its total row (the only row when one channel has numbers)."""
    rows = rows_after(reply, plain(lang, "stats.col.channel"))
    return rows.get(plain(lang, "stats.total")) or next(iter(rows.values()))


def revenue(text: str) -> float:
    """The amount a short revenue cell (¥50k, ¥5万) stands for."""
    found = AMOUNT.search(text)
    assert found, text
    scale = {"k": 1e3, "m": 1e6, "万": 1e4, None: 1}[found.group(2)]
    return float(found.group(1).replace(",", "")) * scale


async def test_the_company_is_the_sum_of_its_groups(sandbox: Sandbox, company: Company) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    # A second company's numbers are never in Acme's.
    other = await active(sandbox, THIRD_GROUP, lang=lang, offset=2)
    await sandbox.say(other.chat_id, other.manager, "/org create Globex Inc")
    await log(sandbox, other, ["/lead Hooli 900k via distributor", "/won Hooli 900k"])

    (rolled,) = await sandbox.say(head.chat_id, head.manager, f"/stats org {PERIOD}")
    own = {}
    channels = {}
    for team in (head, branch):
        (reply,) = await sandbox.say(team.chat_id, team.manager, f"/stats {PERIOD}")
        own[f"Sales {team.chat_id}"] = team_total(reply, lang)
        channels[team.chat_id] = rows_after(reply, plain(lang, "stats.col.channel"))

    assert "Acme &lt;Co&gt;" in rolled.html
    groups = rows_after(rolled, plain(lang, "stats.org.col.group"))
    assert groups == own
    assert f"Sales {THIRD_GROUP}" not in rolled.text and "Globex" not in rolled.text

    # Per channel kind: a kind's row is the sum of that kind's rows in each group.
    by_kind = rows_after(rolled, plain(lang, "stats.col.channel"))
    distributor = plain(lang, "channel.distributor")
    no_channel = plain(lang, "stats.no_channel")
    assert set(by_kind) == {distributor, no_channel}
    for kind, row in by_kind.items():
        parts = [rows.get(kind, (0, 0, 0, "0")) for rows in channels.values()]
        assert row[:3] == (
            sum(p[0] for p in parts),
            sum(p[1] for p in parts),
            sum(p[2] for p in parts),
        )
        assert revenue(row[3]) == sum(revenue(p[3]) for p in parts)

    # The total line: the sum of the groups, by value.
    leads = sum(f[0] for f in own.values())
    visits = sum(f[1] for f in own.values())
    won = sum(f[2] for f in own.values())
    assert (leads, visits, won) == (3, 3, 2)
    total = rolled.text.splitlines()[-1]
    assert total.startswith("Σ")
    assert [int(n) for n in re.findall(r"\s(\d+)\s", total)] == [leads, visits, won]
    assert revenue(total.split("·")[-1]) == sum(revenue(f[3]) for f in own.values()) == 80_000
    if lang == "en":
        assert rolled.text.splitlines()[0] == "🏢 Acme <Co> · Nov 2026 · Asia/Shanghai time"
        assert total == "Σ Company: leads 3 · visits 3 · won 2 · ¥80,000"
    else:
        assert total == "Σ 全公司：线索 3 · 拜访 3 · 成交 2 · ¥8万"

    # The other company sees its own numbers only.
    (theirs,) = await sandbox.say(other.chat_id, other.manager, "/stats org 2026-11")
    assert list(rows_after(theirs, plain(lang, "stats.org.col.group"))) == [f"Sales {THIRD_GROUP}"]
    assert "Acme" not in theirs.text


async def test_who_may_ask_and_where(sandbox: Sandbox, company: Company) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    (rep,) = await sandbox.say(head.chat_id, head.alice, "/stats org")
    assert rep.html == t(lang, "stats.org.not_manager")
    (there,) = await sandbox.say(branch.chat_id, branch.manager, "/stats org")
    assert there.html == t(lang, "stats.org.not_head", head=f"Sales {GROUP}")
    alone = await active(sandbox, FIFTH_GROUP, lang=lang, offset=4)
    (none,) = await sandbox.say(alone.chat_id, alone.manager, "/stats org")
    assert none.html == t(lang, "stats.org.none")
    assert "/org create" in none.text
    (usage,) = await sandbox.say(head.chat_id, head.manager, "/stats org channel Direct")
    assert usage.html == t(lang, "usage.stats.org")
    # A group's own /stats is as it was.
    (own,) = await sandbox.say(branch.chat_id, branch.alice, "/stats")
    assert own.text.startswith("📈")


async def test_help_lists_stats_org(sandbox: Sandbox, company: Company) -> None:
    (manager,) = await sandbox.say(company.head.chat_id, company.head.manager, "/help")
    assert "/stats org" in manager.text


async def test_one_partner_across_the_company(sandbox: Sandbox, company: Company) -> None:
    """/stats org partner NAME: the partner's numbers in every group that sells through it."""
    head, branch, lang = company.head, company.branch, company.lang
    await log(sandbox, branch, ["/lead Hooli 10k via distributor Huatai", "/won Hooli 10k"])
    room = await active(sandbox, FIFTH_GROUP, lang=lang, offset=4)
    (code,) = await sandbox.say(head.chat_id, head.manager, "/org code")
    await sandbox.say(room.chat_id, room.manager, f"/org join {code_of(code)}")
    await sandbox.emulator.join_group(FIFTH_GROUP, head.manager.user_id)
    await sandbox.say(room.chat_id, head.manager, "/org partner Huatai")
    await log(sandbox, room, ["/lead Vandelay 5k", "/visit Vandelay"])

    (reply,) = await sandbox.say(head.chat_id, head.manager, f"/stats org partner huatai {PERIOD}")

    rows = rows_after(reply, plain(lang, "stats.org.col.group"))
    titles = {team.chat_id: f"Sales {team.chat_id}" for team in (head, branch, room)}
    assert {name: row[:3] for name, row in rows.items()} == {
        titles[head.chat_id]: (1, 1, 1),
        titles[branch.chat_id]: (1, 0, 1),
        titles[room.chat_id]: (1, 1, 0),
    }
    # Each group's row is that group's own /stats of the partner.
    for team in (head, branch, room):
        (own,) = await sandbox.say(team.chat_id, team.manager, f"/stats {PERIOD} partner Huatai")
        assert team_total(own, lang) == rows[titles[team.chat_id]], own.text
    total = reply.text.splitlines()[-1]
    if lang == "en":
        assert (
            reply.text.splitlines()[0] == "🏢 Acme <Co> · 🤝 Huatai · Nov 2026 · Asia/Shanghai time"
        )
        assert total == "Σ Huatai, whole company: leads 3 · visits 2 · won 2 · ¥60,000"
    else:
        assert total == "Σ Huatai（全公司）：线索 3 · 拜访 2 · 成交 2 · ¥6万"
    # A partner nobody in the company has is refused; a channel is not a company scope.
    (unknown,) = await sandbox.say(head.chat_id, head.manager, "/stats org partner Nobody")
    assert unknown.text == plain(lang, "partner.unknown", name="Nobody")
    (usage,) = await sandbox.say(head.chat_id, head.manager, "/stats org channel Direct")
    assert usage.html == t(lang, "usage.stats.org")


async def test_the_partners_scorecard_of_the_whole_company(
    sandbox: Sandbox, company: Company
) -> None:
    """/partners org: a partner the head office and the branch both sell through is one row."""
    head, branch, lang = company.head, company.branch, company.lang
    await log(sandbox, branch, ["/lead Hooli 10k via distributor huatai", "/won Hooli 10k"])
    await log(sandbox, branch, ["/lead Pied Piper via agent Bright Star"])

    (reply,) = await sandbox.say(head.chat_id, head.manager, f"/partners org {PERIOD}")

    lines = reply.text.splitlines()
    if lang == "en":
        assert lines[0] == "🤝 Partners · Acme <Co>, all groups · Nov 2026"
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    assert rows["Huatai"][:3] == ["B", "2", "100%"], reply.text  # tier, leads, win rate
    assert revenue(rows["Huatai"][3]) == 60_000
    assert rows["Bright"][2:4] == ["1", "—"], reply.text  # "Bright St…": nothing closed yet
    # A group's own /partners stays its own: the branch's one lead of huatai, as typed there.
    (own,) = await sandbox.say(branch.chat_id, branch.manager, f"/partners {PERIOD}")
    theirs = {line.split()[0]: line.split()[1:] for line in own.text.splitlines()[2:]}
    assert theirs["huatai"][:2] == ["B", "1"], own.text
    (refused,) = await sandbox.say(branch.chat_id, branch.manager, "/partners org")
    assert refused.text == plain(lang, "stats.org.not_head", head=f"Sales {GROUP}")

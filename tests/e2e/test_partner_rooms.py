"""Partner rooms and roles across groups, through the emulator, in English and in Chinese.

Acme sells through distributors: its head office has the partners Huatai Trading and Jinlong,
a regional team, and one room for each partner (the distributor's own group). Globex, another
company, has a partner of the same name and a room for it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select

from bot.i18n import plain, t
from models.tables import AuditLog, Customer, Partner
from models.tables import Team as TeamRow
from tests.e2e.conftest import GROUP, OTHER_GROUP, Team
from tests.e2e.test_company_register import ELSEWHERE, NEW_CUSTOMER, WARNING, clashed
from tests.e2e.test_company_stats import rows_after
from tests.e2e.test_org import FOURTH_GROUP, THIRD_GROUP, active, code_of
from tgemu.sandbox import Sandbox

FIFTH_GROUP = -1001000000005
SIXTH_GROUP = -1001000000006
HUATAI = "Huatai Trading"


@dataclass
class Acme:
    head: Team
    room: Team  # Huatai Trading's room
    branch: Team  # an ordinary team of Acme
    other_room: Team  # Jinlong's room
    lang: str


def session_of(sandbox: Sandbox) -> AbstractContextManager[Session]:
    assert sandbox.db is not None
    return sandbox.db.session()


def team_id(session: Session, chat_id: int) -> int:
    return session.exec(select(TeamRow.id).where(TeamRow.chat_id == chat_id)).one()


def attributed(sandbox: Sandbox, chat_id: int) -> dict[str, str | None]:
    """A group's customers and the name of the partner each is attributed to (its own row)."""
    with session_of(sandbox) as session:
        rows = session.exec(
            select(Customer.name, Partner.name, Partner.team_id)
            .join(Partner, col(Partner.id) == Customer.partner_id, isouter=True)
            .where(Customer.team_id == team_id(session, chat_id))
            .order_by(col(Customer.id))
        ).all()
        here = team_id(session, chat_id)
    assert all(owner in (None, here) for _, _, owner in rows), "a partner of another group"
    return {name: partner for name, partner, _ in rows}


async def bind(sandbox: Sandbox, room: Team, manager: Team, partner: str, lang: str) -> None:
    """The head office's manager joins the room and binds it to `partner`."""
    await sandbox.emulator.join_group(room.chat_id, manager.manager.user_id)
    await sandbox.settle()
    (bound,) = await sandbox.say(room.chat_id, manager.manager, f"/org partner {partner}")
    assert bound.html == t(lang, "org.partner.bound", company="Acme", partner=partner)


@pytest.fixture(params=["en", "zh"])
async def acme(sandbox: Sandbox, request: pytest.FixtureRequest) -> Acme:
    lang = request.param
    head = await active(sandbox, GROUP, lang=lang, offset=0)
    room = await active(sandbox, OTHER_GROUP, lang=lang, offset=1)
    branch = await active(sandbox, THIRD_GROUP, lang=lang, offset=2)
    other_room = await active(sandbox, FOURTH_GROUP, lang=lang, offset=3)
    await sandbox.say(head.chat_id, head.manager, f"/partner add {HUATAI} channel=distributor")
    await sandbox.say(head.chat_id, head.manager, "/partner add Jinlong channel=agent")
    (created,) = await sandbox.say(head.chat_id, head.manager, "/org create Acme")
    await sandbox.say(room.chat_id, room.manager, f"/org join {code_of(created)}")
    for team in (branch, other_room):
        (code,) = await sandbox.say(head.chat_id, head.manager, "/org code")
        await sandbox.say(team.chat_id, team.manager, f"/org join {code_of(code)}")
    # The distributor's staff logged a customer before the room was bound.
    await sandbox.say(room.chat_id, room.alice, "/lead 老客户 10万")
    await bind(sandbox, room, head, HUATAI, lang)
    await bind(sandbox, other_room, head, "Jinlong", lang)
    return Acme(head, room, branch, other_room, lang)


async def test_a_partner_room_sees_only_its_partners_customers(
    sandbox: Sandbox, acme: Acme
) -> None:
    head, room, branch, lang = acme.head, acme.room, acme.branch, acme.lang
    # Bound, the room's customers are the partner's: its own copy of the head office's partner.
    assert attributed(sandbox, room.chat_id) == {"老客户": HUATAI}
    await sandbox.say(head.chat_id, head.alice, f"/lead 万科 50万 via distributor {HUATAI}")
    await sandbox.say(head.chat_id, head.alice, "/lead 华润 20万")
    await sandbox.say(branch.chat_id, branch.bob, "/lead 保利 30万")

    # The picker offers the partner's customers of other groups, nothing else of the brand's.
    (ask,) = await sandbox.say(room.chat_id, room.alice, "/visit 万科地产 met the buyer")
    labels = [text for text, _ in ask.buttons]
    assert labels[:2] == [ELSEWHERE[lang].format(group=GROUP), NEW_CUSTOMER[lang]], labels
    assert len(labels) == 3, labels  # and Cancel
    (card,) = await sandbox.say(room.chat_id, room.bob, "/visit 华润置地 met the buyer")
    assert "Sales" not in card.text and not any("Sales" in x for x, _ in card.buttons), card.text
    # The partner's customer in the head office warns (撞单); the brand's own ones do not.
    (card,) = await sandbox.say(room.chat_id, room.alice, "/lead 万科 10万")
    assert WARNING[lang].format(group=GROUP) in card.text.splitlines(), card.text
    for name in ("华润", "保利"):
        (card,) = await sandbox.say(room.chat_id, room.alice, f"/lead {name} 10万")
        assert not clashed(card.text) and "Sales" not in card.text, card.text
    # Whatever the text says, what is logged in the room is the partner's.
    # (华润 there is the room's 华润置地, the only near name.)
    await sandbox.say(room.chat_id, room.bob, "/lead 美的 5万 via agent Jinlong")
    assert attributed(sandbox, room.chat_id) == dict.fromkeys(
        ["老客户", "华润置地", "万科", "保利", "美的"], HUATAI
    )
    (shown,) = await sandbox.say(room.chat_id, room.bob, "/customer 美的")
    assert HUATAI in shown.text and plain(lang, "channel.distributor") in shown.text, shown.text
    (stats,) = await sandbox.say(room.chat_id, room.manager, f"/stats partner {HUATAI}")
    assert stats.text.splitlines()[0].startswith("📈"), stats.text
    assert HUATAI in stats.text.splitlines()[0]
    leads = rows_after(stats, plain(lang, "stats.col.channel"))
    assert leads[plain(lang, "channel.distributor")][0] == 5, stats.text

    # The head office and an ordinary team see the room's customers through the register;
    # the room of another partner does not.
    for group in (head, branch):
        (card,) = await sandbox.say(group.chat_id, group.bob, "/lead 老客户 8万")
        warning = WARNING[lang].replace("万科", "老客户").replace("@alice", "@alice1")
        assert warning.format(group=OTHER_GROUP) in card.text.splitlines(), card.text
    (card,) = await sandbox.say(acme.other_room.chat_id, acme.other_room.alice, "/lead 老客户")
    assert not clashed(card.text) and "Sales" not in card.text, card.text

    # /org in a room: itself and the head office, not the other groups.
    (listed,) = await sandbox.say(room.chat_id, room.bob, "/org")
    assert f"Sales {GROUP}" in listed.text and f"Sales {OTHER_GROUP}" in listed.text
    assert f"Sales {THIRD_GROUP}" not in listed.text and f"Sales {FOURTH_GROUP}" not in listed.text
    (listed,) = await sandbox.say(branch.chat_id, branch.bob, "/org")
    assert all(f"Sales {g}" in listed.text for g in (GROUP, OTHER_GROUP, FOURTH_GROUP))

    # The head office's /stats org counts the room's leads in the distributors' channel kind.
    (rolled,) = await sandbox.say(head.chat_id, head.manager, "/stats org month")
    by_kind = rows_after(rolled, plain(lang, "stats.col.channel"))
    assert by_kind[plain(lang, "channel.distributor")][0] == 5 + 1  # the room's and 万科
    assert by_kind[plain(lang, "channel.agent")][0] == 1  # Jinlong's room's 老客户

    # Binding re-attributed the room's customer, audited there and in the head office's log.
    with session_of(sandbox) as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == "attribute")).all()
        ids = {team_id(session, c) for c in (GROUP, OTHER_GROUP)}  # Jinlong's had none
    assert {r.team_id for r in rows} == ids
    assert {r.detail["old_partner"] for r in rows} == {None}


async def test_an_import_in_a_partner_room_is_its_partners(sandbox: Sandbox, acme: Acme) -> None:
    room, lang = acme.room, acme.lang
    sheet = "Customer,Distributor\n保利,Jinlong\n招商,\n".encode()
    (preview,) = await sandbox.send_document(
        room.chat_id, room.manager, "leads.csv", sheet, "text/csv", caption="/import"
    )
    assert "Jinlong" not in preview.text, preview.text  # no new partner offered in a room
    assert plain(lang, "import.preview.room", partner=HUATAI) in preview.text.splitlines()
    confirm = preview.buttons[0][1]
    await sandbox.press(room.chat_id, room.manager, preview.message_id, confirm)
    assert attributed(sandbox, room.chat_id) == dict.fromkeys(("老客户", "保利", "招商"), HUATAI)
    with session_of(sandbox) as session:
        names = session.exec(
            select(Partner.name).where(Partner.team_id == team_id(session, room.chat_id))
        )
        assert set(names) == {HUATAI}


async def test_the_head_offices_tier_reaches_the_room(sandbox: Sandbox, acme: Acme) -> None:
    head, room = acme.head, acme.room
    await sandbox.say(head.chat_id, head.manager, f"/partner add {HUATAI} tier=A")
    with session_of(sandbox) as session:
        tiers = session.exec(select(Partner.team_id, Partner.tier).where(Partner.name == HUATAI))
        found = dict(tiers.all())
        assert found[team_id(session, room.chat_id)] == "A"
        assert found[team_id(session, head.chat_id)] == "A"
        assert set(found.values()) == {"A"}, found  # and nothing else was copied


async def test_partner_off_makes_the_room_a_team_again(sandbox: Sandbox, acme: Acme) -> None:
    head, room, lang = acme.head, acme.room, acme.lang
    await sandbox.say(head.chat_id, head.alice, "/lead 华润 20万")
    await sandbox.say(head.chat_id, head.alice, "/lead 招商 20万")
    (card,) = await sandbox.say(room.chat_id, room.alice, "/lead 华润 10万")
    assert not clashed(card.text), card.text
    # Only a company manager unbinds; the room's own admin does not.
    (refused,) = await sandbox.say(room.chat_id, room.manager, "/org partner off")
    assert refused.html == t(lang, "org.error.not_manager.partner")
    (off,) = await sandbox.say(room.chat_id, head.manager, "/org partner off")
    assert off.html == t(lang, "org.partner.unbound", company="Acme", partner=HUATAI)
    (again,) = await sandbox.say(room.chat_id, head.manager, "/org partner off")
    assert again.html == t(lang, "org.error.not_room")
    # A team of the company again: the whole register, every group in /org, nothing imposed.
    (card,) = await sandbox.say(room.chat_id, room.bob, "/lead 招商 5万")
    warning = WARNING[lang].replace("万科", "招商").format(group=GROUP)
    assert warning in card.text.splitlines(), card.text
    (listed,) = await sandbox.say(room.chat_id, room.bob, "/org")
    assert f"Sales {THIRD_GROUP}" in listed.text
    assert attributed(sandbox, room.chat_id) == {"老客户": HUATAI, "华润": HUATAI, "招商": None}
    with session_of(sandbox) as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == "partner_off")).all()
        ids = {team_id(session, c) for c in (GROUP, OTHER_GROUP)}
    assert {r.team_id for r in rows} == ids
    assert {r.detail["partner"] for r in rows} == {HUATAI}
    assert {r.actor_user_id for r in rows} == {head.manager.user_id}


async def test_a_company_manager_manages_every_group(sandbox: Sandbox, acme: Acme) -> None:
    head, branch, lang = acme.head, acme.branch, acme.lang
    await sandbox.say(branch.chat_id, branch.alice, "/lead 保利 30万")
    await sandbox.say(branch.chat_id, branch.alice, "/fu 保利 tomorrow send samples")
    await sandbox.say(branch.chat_id, branch.bob, "hello")
    # Neither an admin nor a manager of the branch, the head office's manager manages it.
    await sandbox.emulator.join_group(branch.chat_id, head.manager.user_id)
    await sandbox.settle()
    boss = head.manager
    (stats,) = await sandbox.say(branch.chat_id, boss, f"/stats @{branch.alice.username}")
    assert stats.text.startswith("📈"), stats.text
    (tasks,) = await sandbox.say(branch.chat_id, boss, "/tasks all")
    assert "保利" in tasks.text, tasks.text
    (assigned,) = await sandbox.say(branch.chat_id, boss, f"/assign 保利 @{branch.bob.username}")
    assert f"@{branch.bob.username}" in assigned.text, assigned.text
    exported = await sandbox.say(branch.chat_id, boss, "/export")
    assert exported and exported[-1].document is not None, [m.text for m in exported]
    # So does someone made a manager with /role in the head office, and one of its chat
    # admins who never used a manager command there (Telegram is asked).
    await sandbox.say(head.chat_id, head.bob, "hello")
    await sandbox.say(head.chat_id, head.manager, f"/role @{head.bob.username} manager")
    new_admin = sandbox.person(900, "Nora", "nora", lang)
    await sandbox.emulator.join_group(head.chat_id, new_admin.user_id)
    sandbox.emulator.state.chat(head.chat_id).members[new_admin.user_id] = "administrator"
    for person in (head.bob, new_admin):
        await sandbox.emulator.join_group(branch.chat_id, person.user_id)
        await sandbox.settle()
        (tasks,) = await sandbox.say(branch.chat_id, person, "/tasks all")
        assert "保利" in tasks.text, tasks.text
    # A group's own admin manages that group only, and a rep their own.
    await sandbox.emulator.join_group(head.chat_id, branch.manager.user_id)
    await sandbox.settle()
    (refused,) = await sandbox.say(head.chat_id, branch.manager, "/tasks all")
    assert "保利" not in refused.text and refused.text != tasks.text, refused.text
    (refused,) = await sandbox.say(branch.chat_id, branch.bob, f"/stats @{branch.alice.username}")
    assert not refused.text.startswith("📈"), refused.text
    # The company manager's change in the branch is in both groups' logs.
    with session_of(sandbox) as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == "assign")).all()
        ids = {team_id(session, c) for c in (GROUP, THIRD_GROUP)}
    assert {r.team_id for r in rows} == ids, [(r.team_id, r.detail) for r in rows]
    assert {r.actor_user_id for r in rows} == {boss.user_id}


async def test_two_companies_with_a_partner_of_one_name_never_meet(
    sandbox: Sandbox, acme: Acme
) -> None:
    head, room, lang = acme.head, acme.room, acme.lang
    globex = await active(sandbox, FIFTH_GROUP, lang=lang, offset=4)
    their_room = await active(sandbox, SIXTH_GROUP, lang=lang, offset=5)
    await sandbox.say(globex.chat_id, globex.manager, f"/partner add {HUATAI} channel=distributor")
    (created,) = await sandbox.say(globex.chat_id, globex.manager, "/org create Globex")
    await sandbox.say(their_room.chat_id, their_room.manager, f"/org join {code_of(created)}")
    await sandbox.emulator.join_group(their_room.chat_id, globex.manager.user_id)
    await sandbox.settle()
    (bound,) = await sandbox.say(their_room.chat_id, globex.manager, f"/org partner {HUATAI}")
    assert bound.html == t(lang, "org.partner.bound", company="Globex", partner=HUATAI)

    await sandbox.say(head.chat_id, head.alice, f"/lead 万科 50万 via distributor {HUATAI}")
    (card,) = await sandbox.say(their_room.chat_id, their_room.alice, "/lead 万科 10万")
    assert not clashed(card.text) and "Sales" not in card.text, card.text
    (near,) = await sandbox.say(their_room.chat_id, their_room.bob, "/visit 老客户集团 met")
    assert not any("Sales" in text for text, _ in near.buttons), near.buttons
    (card,) = await sandbox.say(room.chat_id, room.bob, "/lead 万科 1万")
    assert WARNING[lang].format(group=GROUP) in card.text.splitlines(), card.text
    (listed,) = await sandbox.say(their_room.chat_id, their_room.alice, "/org")
    assert "Acme" not in listed.text and f"Sales {GROUP}" not in listed.text
    (rolled,) = await sandbox.say(globex.chat_id, globex.manager, "/stats org month")
    assert "Acme" not in rolled.text and f"Sales {OTHER_GROUP}" not in rolled.text
    assert f"Sales {SIXTH_GROUP}" in rolled.text
    # Acme's manager is nobody in Globex's room.
    await sandbox.emulator.join_group(their_room.chat_id, head.manager.user_id)
    await sandbox.settle()
    (refused,) = await sandbox.say(their_room.chat_id, head.manager, "/org partner off")
    assert refused.html == t(lang, "org.error.not_manager.partner")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_anonymous_admin_runs_org(sandbox: Sandbox, lang: str) -> None:
    head = await active(sandbox, GROUP, lang=lang, offset=0)
    branch = await active(sandbox, OTHER_GROUP, lang=lang, offset=1)
    await sandbox.say(head.chat_id, head.manager, f"/partner add {HUATAI}")
    h, b = head.chat_id, branch.chat_id
    (created,) = await sandbox.say(h, head.manager, "/org create Acme", as_chat=h)
    assert created.html.startswith(t(lang, "org.created", company="Acme"))
    (code,) = await sandbox.say(h, head.manager, "/org code", as_chat=h)
    (joined,) = await sandbox.say(b, branch.manager, f"/org join {code_of(code)}", as_chat=b)
    assert joined.html == t(lang, "org.joined", company="Acme")
    # The branch's anonymous admin is its chat admin, not a manager of the company.
    (refused,) = await sandbox.say(b, branch.manager, f"/org partner {HUATAI}", as_chat=b)
    assert refused.html == t(lang, "org.error.not_manager.partner")
    (listed,) = await sandbox.say(b, branch.manager, "/org", as_chat=b)
    assert f"Sales {GROUP}" in listed.text
    (left,) = await sandbox.say(b, branch.manager, "/org leave", as_chat=b)
    assert left.html == t(lang, "org.left", company="Acme")
    with session_of(sandbox) as session:
        rows = session.exec(select(AuditLog).where(AuditLog.entity == "company")).all()
    assert {r.actor_user_id for r in rows} == {h, b}  # named by the group they wrote as
    assert {r.detail.get("by") for r in rows} == {"anonymous admin"}

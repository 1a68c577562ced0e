"""Companies of several groups (/org) through the emulator, in English and in Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.clock import ManualClock
from bot.i18n import t
from models.tables import AuditLog
from models.tables import Team as TeamRow
from tests.e2e.conftest import GROUP, OTHER_GROUP, Team, make_team
from tgemu import SentMessage
from tgemu.sandbox import Sandbox

THIRD_GROUP = -1001000000003
FOURTH_GROUP = -1001000000004
CODE = re.compile(r"<code>([A-Z0-9]{6,})</code>")


@dataclass
class Company:
    """A head office (Sales GROUP) and a second group; the head's manager is in both."""

    head: Team
    branch: Team
    lang: str


def code_of(reply: SentMessage) -> str:
    found = CODE.search(reply.html)
    assert found, reply.html
    return found.group(1)


async def active(sandbox: Sandbox, chat_id: int, *, lang: str, offset: int) -> Team:
    team = make_team(sandbox, chat_id, lang=lang, offset=offset)
    (reply,) = await sandbox.say(chat_id, team.manager, "/setup")
    assert "/tz" in reply.text
    return team


@pytest.fixture(params=["en", "zh"])
async def company(sandbox: Sandbox, request: pytest.FixtureRequest) -> Company:
    lang = request.param
    head = await active(sandbox, GROUP, lang=lang, offset=0)
    branch = await active(sandbox, OTHER_GROUP, lang=lang, offset=1)
    await sandbox.emulator.join_group(OTHER_GROUP, head.manager.user_id)
    await sandbox.settle()
    return Company(head, branch, lang)


async def test_create_code_join_show_bind_leave(sandbox: Sandbox, company: Company) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    # The head office's manager adds a partner there, as /partner does.
    await sandbox.say(head.chat_id, head.manager, "/partner add Huatai Trading tier=A")

    (created,) = await sandbox.say(head.chat_id, head.manager, "/org create Acme <Group>")
    first = code_of(created)
    assert len(first) >= 6
    until = "Wed 25 Nov 10:00" if lang == "en" else "11月25日(周三) 10:00"
    assert created.html == (
        t(lang, "org.created", company="Acme <Group>")
        + "\n"
        + t(lang, "org.code", company="Acme <Group>", code=first, until=until)
    )
    assert "Acme &lt;Group&gt;" in created.html
    if lang == "en":
        assert created.text.startswith("🏢 Company Acme <Group> created. This group is its head")
        assert f"Join code for Acme <Group>: {first}\nValid until Wed 25 Nov 10:00" in created.text
    else:
        assert created.text.startswith("🏢 已创建公司 Acme <Group>。本群为总部")
        assert f"邀请码：{first}\n有效期至 11月25日(周三) 10:00" in created.text

    (again,) = await sandbox.say(head.chat_id, head.manager, "/org code")
    second = code_of(again)
    assert second != first
    assert again.html == t(lang, "org.code", company="Acme <Group>", code=second, until=until)

    # Codes are typed as people type them: lower case is the same code.
    (joined,) = await sandbox.say(branch.chat_id, branch.manager, f"/org join {second.lower()}")
    assert joined.html == t(lang, "org.joined", company="Acme <Group>")
    assert ("joined Acme <Group>" if lang == "en" else "本群已加入 Acme <Group>") in joined.text

    head_title, branch_title = f"Sales {GROUP}", f"Sales {OTHER_GROUP}"
    (listed,) = await sandbox.say(head.chat_id, head.alice, "/org")
    (seen,) = await sandbox.say(branch.chat_id, branch.bob, "/org")
    if lang == "en":
        assert listed.text == (
            f"🏢 Acme <Group> · 2 groups\n• {head_title} — head office (this group)\n"
            f"• {branch_title} — team"
        )
        assert seen.text == (
            f"🏢 Acme <Group> · 2 groups\n• {head_title} — head office\n"
            f"• {branch_title} — team (this group)"
        )
    else:
        assert listed.text == (
            f"🏢 Acme <Group> · 2 个群\n• {head_title} — 总部（本群）\n• {branch_title} — 团队"
        )
        assert seen.text == (
            f"🏢 Acme <Group> · 2 个群\n• {head_title} — 总部\n• {branch_title} — 团队（本群）"
        )

    # A company manager (the head office's admin) binds the branch to a head-office partner,
    # found by a near name as elsewhere.
    (bound,) = await sandbox.say(branch.chat_id, head.manager, "/org partner huatai")
    assert bound.html == t(
        lang, "org.partner.bound", company="Acme <Group>", partner="Huatai Trading"
    )
    (seen,) = await sandbox.say(branch.chat_id, branch.alice, "/org")
    room = "partner room" if lang == "en" else "伙伴群"
    colon = ": " if lang == "en" else "："
    here = " (this group)" if lang == "en" else "（本群）"
    assert seen.text.splitlines()[-1] == f"• {branch_title} — {room}{colon}Huatai Trading{here}"

    # The head office cannot leave while the branch is in; the branch can.
    (refused,) = await sandbox.say(head.chat_id, head.manager, "/org leave")
    assert refused.html == t(lang, "org.error.head_leaves", company="Acme <Group>", count=1)
    if lang == "en":
        assert refused.text.startswith("The head office cannot leave Acme <Group> while 1 other")
    (left,) = await sandbox.say(branch.chat_id, branch.manager, "/org leave")
    assert left.html == t(lang, "org.left", company="Acme <Group>")
    (after,) = await sandbox.say(branch.chat_id, branch.manager, "/org")
    assert after.html == t(lang, "org.none")
    (alone,) = await sandbox.say(head.chat_id, head.alice, "/org")
    assert alone.text.splitlines()[1:] == [
        f"• {head_title} — " + ("head office (this group)" if lang == "en" else "总部（本群）")
    ]
    # Alone, the head office leaves too, and the company is gone with it.
    (closed,) = await sandbox.say(head.chat_id, head.manager, "/org leave")
    assert closed.html == t(lang, "org.left", company="Acme <Group>")
    (none,) = await sandbox.say(head.chat_id, head.manager, "/org")
    assert none.html == t(lang, "org.none")

    # Every change across groups is in the audit log of the group and of the head office.
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        rows = session.exec(
            select(AuditLog).where(AuditLog.entity == "company").order_by(col(AuditLog.id))
        ).all()
        ids = {t.chat_id: t.id for t in session.exec(select(TeamRow))}
    teams = {"head": ids[head.chat_id], "branch": ids[branch.chat_id]}
    logged = [(r.team_id, r.action, r.detail["group_team_id"]) for r in rows if r.action != "code"]
    assert logged == [
        (teams["head"], "create", teams["head"]),
        (teams["head"], "join", teams["branch"]),
        (teams["branch"], "join", teams["branch"]),
        (teams["head"], "partner", teams["branch"]),
        (teams["branch"], "partner", teams["branch"]),
        (teams["head"], "leave", teams["branch"]),
        (teams["branch"], "leave", teams["branch"]),
        (teams["head"], "leave", teams["head"]),
    ]
    partner_rows = [r for r in rows if r.action == "partner"]
    assert {r.detail["partner"] for r in partner_rows} == {"Huatai Trading"}
    assert all(r.actor_user_id == head.manager.user_id for r in partner_rows)
    assert [r.team_id for r in rows if r.action == "code"] == [teams["head"], teams["head"]]


async def test_wrong_used_and_expired_codes_are_refused(
    sandbox: Sandbox, company: Company, clock: ManualClock
) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    third = await active(sandbox, THIRD_GROUP, lang=lang, offset=2)
    fourth = await active(sandbox, FOURTH_GROUP, lang=lang, offset=3)
    (created,) = await sandbox.say(head.chat_id, head.manager, "/org create Acme")
    code = code_of(created)

    for wrong in ("ZZZZZZZZ", "abc", "12345678"):
        (reply,) = await sandbox.say(branch.chat_id, branch.manager, f"/org join {wrong}")
        assert reply.html == t(lang, "org.error.code_wrong")
    if lang == "en":
        assert reply.text.startswith("That is not a join code I know.")
    else:
        assert reply.text.startswith("这不是有效的邀请码。")

    await sandbox.say(branch.chat_id, branch.manager, f"/org join {code}")
    (used,) = await sandbox.say(third.chat_id, third.manager, f"/org join {code}")
    assert used.html == t(lang, "org.error.code_used")
    assert ("already been used" if lang == "en" else "已被使用") in used.text

    # Valid for 24 hours: a minute before the end it joins, a minute after it is refused.
    (issued,) = await sandbox.say(head.chat_id, head.manager, "/org code")
    (late,) = await sandbox.say(head.chat_id, head.manager, "/org code")
    clock.advance(timedelta(hours=23, minutes=59))
    (reply,) = await sandbox.say(third.chat_id, third.manager, f"/org join {code_of(issued)}")
    assert reply.html == t(lang, "org.joined", company="Acme")
    clock.advance(timedelta(minutes=2))
    (expired,) = await sandbox.say(fourth.chat_id, fourth.manager, f"/org join {code_of(late)}")
    assert expired.html == t(lang, "org.error.code_expired")
    assert ("expired" if lang == "en" else "已过期") in expired.text
    (listed,) = await sandbox.say(head.chat_id, head.manager, "/org")
    assert listed.text.splitlines()[0].endswith("3 groups" if lang == "en" else "3 个群")


async def test_reps_are_refused_and_told_what_they_can_use(
    sandbox: Sandbox, company: Company
) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    await sandbox.say(head.chat_id, head.manager, "/partner add Huatai")
    (refused,) = await sandbox.say(head.chat_id, head.alice, "/org create Acme")
    assert refused.html == t(lang, "org.error.not_chat_admin")
    if lang == "en":
        assert refused.text == (
            "Only a chat admin of this group creates, joins or leaves a company; "
            "/org shows this group's."
        )
    (created,) = await sandbox.say(head.chat_id, head.manager, "/org create Acme")
    (refused,) = await sandbox.say(head.chat_id, head.alice, "/org code")
    assert refused.html == t(lang, "org.error.not_manager.code")
    (refused,) = await sandbox.say(branch.chat_id, branch.alice, f"/org join {code_of(created)}")
    assert refused.html == t(lang, "org.error.not_chat_admin")
    await sandbox.say(branch.chat_id, branch.manager, f"/org join {code_of(created)}")
    # The branch's own admin manages the branch, not the company.
    for who in (branch.alice, branch.manager):
        (refused,) = await sandbox.say(branch.chat_id, who, "/org partner Huatai")
        assert refused.html == t(lang, "org.error.not_manager.partner")
    (refused,) = await sandbox.say(branch.chat_id, branch.alice, "/org leave")
    assert refused.html == t(lang, "org.error.not_chat_admin")
    # Codes come from the head office only.
    (refused,) = await sandbox.say(branch.chat_id, branch.manager, "/org code")
    assert refused.html == t(lang, "org.error.code_not_head", head=f"Sales {GROUP}")
    # Someone made a manager with /role in the head office is a company manager.
    await sandbox.say(head.chat_id, head.bob, "hello")
    await sandbox.say(head.chat_id, head.manager, "/role @bob manager")
    await sandbox.emulator.join_group(branch.chat_id, head.bob.user_id)
    (bound,) = await sandbox.say(branch.chat_id, head.bob, "/org partner Huatai")
    assert bound.html == t(lang, "org.partner.bound", company="Acme", partner="Huatai")


async def test_usage_and_refusals(sandbox: Sandbox, company: Company) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    usage = t(lang, "usage.org")
    for text in ("/org create", "/org join", "/org nonsense"):
        (reply,) = await sandbox.say(head.chat_id, head.manager, text)
        assert reply.html == usage, text
    assert "<code>/org join " in usage
    (none,) = await sandbox.say(head.chat_id, head.manager, "/org")
    assert none.html == t(lang, "org.none")
    for text in ("/org code", "/org leave", "/org partner Huatai"):
        (reply,) = await sandbox.say(head.chat_id, head.manager, text)
        assert reply.html == t(lang, "org.none"), text

    (created,) = await sandbox.say(head.chat_id, head.manager, "/org 创建 Acme")  # Chinese words
    await sandbox.say(branch.chat_id, branch.manager, f"/org 加入 {code_of(created)}")
    (reply,) = await sandbox.say(branch.chat_id, head.manager, "/org partner")
    assert reply.html == usage
    (reply,) = await sandbox.say(branch.chat_id, head.manager, "/org partner Nobody")
    assert reply.html == t(lang, "org.error.partner_unknown", name="Nobody")
    await sandbox.say(head.chat_id, head.manager, "/partner add Huatai East")
    await sandbox.say(head.chat_id, head.manager, "/partner add Huatai West")
    (reply,) = await sandbox.say(branch.chat_id, head.manager, "/org partner Huatai")
    assert reply.html == t(
        lang, "org.error.partner_ambiguous", name="Huatai", candidates="Huatai East, Huatai West"
    )
    (reply,) = await sandbox.say(head.chat_id, head.manager, "/org partner Huatai East")
    assert reply.html == t(lang, "org.error.head_partner")
    # A group is in one company at most: not again, not a second one.
    (reply,) = await sandbox.say(branch.chat_id, branch.manager, "/org create Other")
    assert reply.html == t(lang, "org.error.already_in", company="Acme")
    (code,) = await sandbox.say(head.chat_id, head.manager, "/org code")
    (reply,) = await sandbox.say(branch.chat_id, branch.manager, f"/org join {code_of(code)}")
    assert reply.html == t(lang, "org.error.already_in", company="Acme")


async def test_an_inactive_group_and_a_private_chat(sandbox: Sandbox, company: Company) -> None:
    lang = company.lang
    idle = make_team(sandbox, THIRD_GROUP, lang=lang, offset=2)
    (reply,) = await sandbox.say(idle.chat_id, idle.manager, "/org create Acme")
    assert reply.html == t(lang, "error.not_activated")
    await sandbox.emulator.start_private(idle.manager.user_id)
    await sandbox.settle()
    (reply,) = await sandbox.say(idle.manager.user_id, idle.manager, "/org")
    assert reply.html == t(lang, "error.group_only")


async def test_two_companies_never_see_each_others_groups(
    sandbox: Sandbox, company: Company
) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    third = await active(sandbox, THIRD_GROUP, lang=lang, offset=2)
    fourth = await active(sandbox, FOURTH_GROUP, lang=lang, offset=3)
    (acme,) = await sandbox.say(head.chat_id, head.manager, "/org create Acme")
    (globex,) = await sandbox.say(third.chat_id, third.manager, "/org create Globex")
    await sandbox.say(branch.chat_id, branch.manager, f"/org join {code_of(acme)}")
    await sandbox.say(fourth.chat_id, fourth.manager, f"/org join {code_of(globex)}")

    acme_groups = {f"Sales {GROUP}", f"Sales {OTHER_GROUP}"}
    globex_groups = {f"Sales {THIRD_GROUP}", f"Sales {FOURTH_GROUP}"}
    for team, name, mine, theirs in (
        (head, "Acme", acme_groups, globex_groups),
        (branch, "Acme", acme_groups, globex_groups),
        (third, "Globex", globex_groups, acme_groups),
        (fourth, "Globex", globex_groups, acme_groups),
    ):
        (listed,) = await sandbox.say(team.chat_id, team.alice, "/org")
        assert name in listed.text.splitlines()[0]
        assert all(title in listed.text for title in mine)
        assert not any(title in listed.text for title in theirs)
    # A Globex manager cannot reach into Acme: its partners are not theirs to bind, and an
    # Acme group is not theirs to take.
    await sandbox.say(head.chat_id, head.manager, "/partner add Huatai")
    await sandbox.emulator.join_group(fourth.chat_id, third.manager.user_id)
    (reply,) = await sandbox.say(fourth.chat_id, third.manager, "/org partner Huatai")
    assert reply.html == t(lang, "org.error.partner_unknown", name="Huatai")
    await sandbox.emulator.join_group(branch.chat_id, third.manager.user_id)
    (reply,) = await sandbox.say(branch.chat_id, third.manager, "/org partner Huatai")
    assert reply.html == t(lang, "org.error.not_manager.partner")
    (code,) = await sandbox.say(third.chat_id, third.manager, "/org code")
    (reply,) = await sandbox.say(branch.chat_id, branch.manager, f"/org join {code_of(code)}")
    assert reply.html == t(lang, "org.error.already_in", company="Acme")


async def test_help_lists_the_org_commands(sandbox: Sandbox, company: Company) -> None:
    head = company.head
    (rep,) = await sandbox.say(head.chat_id, head.alice, "/help")
    (manager,) = await sandbox.say(head.chat_id, head.manager, "/help")
    assert "/org" in rep.text and "/org create" not in rep.text
    for command in ("/org create", "/org code", "/org join", "/org partner", "/org leave"):
        assert command in manager.text


async def test_a_group_where_crmbot_is_no_longer_active_is_marked(
    sandbox: Sandbox, company: Company
) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    (created,) = await sandbox.say(head.chat_id, head.manager, "/org create Acme")
    await sandbox.say(branch.chat_id, branch.manager, f"/org join {code_of(created)}")
    assert sandbox.db is not None
    with sandbox.db.session() as session:  # as when the bot is removed from the group
        row = session.exec(select(TeamRow).where(TeamRow.chat_id == branch.chat_id)).one()
        row.active = False
    (listed,) = await sandbox.say(head.chat_id, head.alice, "/org")
    marked = "crmbot is not active there" if lang == "en" else "crmbot 未在该群启用"
    assert listed.text.splitlines()[1:] == [
        f"• Sales {GROUP} — " + ("head office (this group)" if lang == "en" else "总部（本群）"),
        f"• Sales {OTHER_GROUP} — " + ("team" if lang == "en" else "团队") + f" · {marked}",
    ]

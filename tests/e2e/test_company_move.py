"""A customer moved to a rep of another group of its company: /assign CUSTOMER @rep [GROUP]."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from bot.i18n import plain, t
from models.counters import Zones, recount
from models.tables import Activity, AuditLog, Customer, Deal, Partner, StatCounter, Task
from models.tables import Team as TeamRow
from tests.e2e.conftest import GROUP, OTHER_GROUP
from tests.e2e.test_company_stats import PERIOD, Company, active, company, rows_after, team_total
from tests.e2e.test_org import THIRD_GROUP, code_of
from tgemu.sandbox import Sandbox

__all__ = ["company"]  # the fixture: a head office and a branch with November's entries

HEAD, BRANCH = f"Sales {GROUP}", f"Sales {OTHER_GROUP}"


def team_id(session: Session, chat_id: int) -> int:
    return session.exec(select(TeamRow.id).where(TeamRow.chat_id == chat_id)).one()


def customers_of(sandbox: Sandbox, chat_id: int) -> dict[str, Customer]:
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        found = session.exec(select(Customer).where(Customer.team_id == team_id(session, chat_id)))
        return {c.name: c for c in found}


def counters_match_their_rows(sandbox: Sandbox, chat_ids: list[int]) -> None:
    """Each team's report counters equal a count of its rows made afresh (then rolled back)."""
    assert sandbox.db is not None

    def kept(session: Session, team: int) -> set[tuple[object, ...]]:
        rows = session.exec(select(StatCounter).where(StatCounter.team_id == team)).all()
        return {
            (r.day, r.channel_id, r.partner_id, r.member_id, r.leads, r.won_leads, r.activities,
             r.visits, r.wins, r.losses, Decimal(r.revenue))
            for r in rows
            if r.leads or r.activities or r.wins or r.losses
        }  # fmt: skip

    with sandbox.db.session() as session:
        for chat_id in chat_ids:
            team = team_id(session, chat_id)
            before = kept(session, team)
            recount(session.connection(), team, Zones(session))
            assert kept(session, team) == before, chat_id
        session.rollback()


async def test_a_company_manager_moves_a_customer_with_its_history_to_another_group(
    sandbox: Sandbox, company: Company
) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    await sandbox.say(
        head.chat_id, head.alice, "/visit Initech follow up 2026-12-20 about the contract"
    )
    (before,) = await sandbox.say(head.chat_id, head.manager, f"/stats org {PERIOD}")

    (reply,) = await sandbox.say(head.chat_id, head.manager, "/assign Initech @alice1")

    owner = "@alice1"
    moved = plain(
        lang, "move.done", customer="Initech", source=HEAD, dest=BRANCH, owner=owner,
        activities=t(lang, "count.activities", count=4),
        deals=t(lang, "count.deals", count=1), tasks=t(lang, "count.tasks", count=1),
    )  # fmt: skip
    assert reply.html == moved + t(lang, "move.partner", dest=BRANCH, partner="Huatai")
    # The branch is told, in its own language, who owns the customer now.
    notice = sandbox.emulator.sent(branch.chat_id)[-1]
    days = t(lang, "count.days", count=90)
    expected = t(lang, "move.notice", customer="Initech", source=HEAD, owner=owner, days=days)
    assert notice.html == expected + t(lang, "move.partner.here", partner="Huatai")

    # The customer is the branch's now, with its deal, activities, task and partner.
    assert "Initech" not in customers_of(sandbox, head.chat_id)
    initech = customers_of(sandbox, branch.chat_id)["Initech"]
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        branch_id = team_id(session, branch.chat_id)
        assert {
            d.team_id for d in session.exec(select(Deal).where(Deal.customer_id == initech.id))
        } == {branch_id}
        assert (
            len(session.exec(select(Activity).where(Activity.customer_id == initech.id)).all()) == 4
        )
        (task,) = session.exec(select(Task).where(Task.customer_id == initech.id)).all()
        assert (task.team_id, task.number) == (branch_id, 1)
        partner = session.get_one(Partner, initech.partner_id)
        assert (partner.team_id, partner.name) == (branch_id, "Huatai")
        moves = session.exec(select(AuditLog).where(AuditLog.action == "move")).all()
        assert {m.team_id for m in moves} == {branch_id, team_id(session, head.chat_id)}
    (card,) = await sandbox.say(branch.chat_id, branch.alice, "/customer Initech")
    assert "@alice1" in card.text and "Huatai" in card.text
    (missing,) = await sandbox.say(head.chat_id, head.manager, "/customer Initech")
    assert missing.text == plain(lang, "error.customer_not_found", name="Initech")
    (tasks,) = await sandbox.say(branch.chat_id, branch.alice, "/tasks")
    assert "#1" in tasks.text and "contract" in tasks.text

    # Its figures moved with it: the company's sums are the same, the groups' are not.
    (after,) = await sandbox.say(head.chat_id, head.manager, f"/stats org {PERIOD}")
    assert after.text.splitlines()[-1] == before.text.splitlines()[-1]
    groups = rows_after(after, plain(lang, "stats.org.col.group"))
    (own,) = await sandbox.say(branch.chat_id, branch.manager, f"/stats {PERIOD}")
    assert groups[BRANCH] == team_total(own, lang)
    assert groups[BRANCH][:3] == (3, 4, 2)
    assert groups.get(HEAD, (0, 0, 0, ""))[:3] == (0, 0, 0)
    counters_match_their_rows(sandbox, [head.chat_id, branch.chat_id])


async def test_only_company_managers_move_and_clear_refusals(
    sandbox: Sandbox, company: Company
) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    # The branch's own manager manages the branch, not the company.
    (refused,) = await sandbox.say(branch.chat_id, branch.manager, "/assign Globex @alice")
    assert refused.text == plain(lang, "move.error.not_company_manager")
    assert "Globex" in customers_of(sandbox, branch.chat_id)
    # A rep of another company is nobody here.
    other = await active(sandbox, THIRD_GROUP, lang=lang, offset=2)
    await sandbox.say(other.chat_id, other.manager, "/org create Globex Inc")
    await sandbox.say(other.chat_id, other.alice, "/tasks")
    (unknown,) = await sandbox.say(head.chat_id, head.manager, "/assign Initech @alice2")
    assert unknown.text == plain(lang, "error.unknown_member", username="alice2")
    # One customer cannot move onto another of the same name.
    await sandbox.say(branch.chat_id, branch.alice, "/lead Initech")
    (taken,) = await sandbox.say(head.chat_id, head.manager, "/assign Initech @alice1")
    assert taken.text == plain(lang, "move.error.name_taken", customer="Initech", group=BRANCH)
    # Nothing moved.
    assert "Initech" in customers_of(sandbox, head.chat_id)
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        assert not session.exec(select(AuditLog).where(AuditLog.action == "move")).all()
    (usage,) = await sandbox.say(head.chat_id, head.manager, "/assign @alice1")
    assert usage.html == t(lang, "usage.assign")


async def test_a_rep_in_several_groups_and_a_partner_room(
    sandbox: Sandbox, company: Company
) -> None:
    head, branch, lang = company.head, company.branch, company.lang
    room = await active(sandbox, THIRD_GROUP, lang=lang, offset=2)
    (code,) = await sandbox.say(head.chat_id, head.manager, "/org code")
    await sandbox.say(room.chat_id, room.manager, f"/org join {code_of(code)}")
    await sandbox.emulator.join_group(THIRD_GROUP, head.manager.user_id)
    await sandbox.say(room.chat_id, head.manager, "/org partner Huatai")
    # bob1 of the branch works in the partner room too.
    await sandbox.emulator.join_group(THIRD_GROUP, branch.bob.user_id)
    await sandbox.say(room.chat_id, branch.bob, "/tasks")
    await sandbox.say(branch.chat_id, branch.bob, "/tasks")

    # From the head office, a customer of the branch: bob1 is in the branch (its own group).
    (same,) = await sandbox.say(head.chat_id, head.manager, "/assign Umbrella @bob1")
    assert same.text == plain(lang, "assign.done", customer="Umbrella", owner="@bob1")
    assert "Umbrella" in customers_of(sandbox, branch.chat_id)

    (several,) = await sandbox.say(head.chat_id, head.manager, "/assign Initech @bob1")
    assert several.html == t(
        lang, "move.error.several_groups", username="bob1", groups=f"{BRANCH}, Sales {THIRD_GROUP}"
    )
    (nowhere,) = await sandbox.say(head.chat_id, head.manager, "/assign Initech @bob1 Tokyo")
    assert nowhere.text == plain(lang, "move.error.no_group", group="Tokyo")
    (unseen,) = await sandbox.say(head.chat_id, head.manager, "/assign Initech @alice1 000003")
    assert unseen.text == plain(
        lang, "move.error.not_there", username="alice1", groups=f"Sales {THIRD_GROUP}"
    )

    # Into the partner room: attributed to the room's partner, so the room's staff see it.
    (moved,) = await sandbox.say(head.chat_id, head.manager, "/assign Globex @bob1 000003")
    assert moved.text.endswith(
        plain(lang, "move.partner", dest=f"Sales {THIRD_GROUP}", partner="Huatai")
    ), moved.text
    globex = customers_of(sandbox, THIRD_GROUP)["Globex"]
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        partner = session.get_one(Partner, globex.partner_id)
        assert (partner.team_id, partner.name) == (team_id(session, THIRD_GROUP), "Huatai")
    (card,) = await sandbox.say(room.chat_id, room.alice, "/customer Globex")
    assert "@bob1" in card.text
    counters_match_their_rows(sandbox, [head.chat_id, branch.chat_id, THIRD_GROUP])


async def test_a_move_asked_in_the_group_it_goes_to_is_one_message(
    sandbox: Sandbox, company: Company
) -> None:
    head, branch = company.head, company.branch
    await sandbox.emulator.join_group(OTHER_GROUP, head.manager.user_id)
    await sandbox.say(branch.chat_id, branch.alice, "/tasks")
    before = len(sandbox.emulator.sent(branch.chat_id))
    (reply,) = await sandbox.say(branch.chat_id, head.manager, "/assign Initech @alice1")
    assert reply.text.startswith("🔀"), reply.text
    assert len(sandbox.emulator.sent(branch.chat_id)) == before + 1
    assert "Initech" in customers_of(sandbox, branch.chat_id)
    # Back to the head office, asked there: the reply is all, the branch is not told.
    before_branch = len(sandbox.emulator.sent(branch.chat_id))
    (back,) = await sandbox.say(head.chat_id, head.manager, "/assign Initech @alice")
    assert back.text.startswith("🔀") and "Initech" in customers_of(sandbox, head.chat_id)
    assert len(sandbox.emulator.sent(branch.chat_id)) == before_branch

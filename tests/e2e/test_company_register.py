"""The company-wide customer register: 报备 / 撞单 / dedupe across the groups of one company."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import col, select

from models.tables import AuditLog, Customer
from models.tables import Team as TeamRow
from tests.e2e.conftest import GROUP, OTHER_GROUP, Team
from tests.e2e.test_org import FOURTH_GROUP, THIRD_GROUP, active, code_of
from tgemu.sandbox import Sandbox

# What a rep reads, word for word, in each language: the group is its title, the owner @name.
WARNING = {
    "en": "⚠️ 万科 is already registered to @alice in Sales {group}; logged here, ownership stays.",
    "zh": "⚠️ 撞单：万科 已由 Sales {group} 的 @alice 报备；已在本群记录，负责人不变。",
}
NEW_CUSTOMER = {"en": "➕ New customer", "zh": "➕ 新客户"}
ELSEWHERE = {"en": "万科 · Sales {group}", "zh": "万科（Sales {group}）"}


def clashed(text: str) -> bool:
    """Whether a card warns that another group's rep registered the customer (撞单)."""
    return "撞单" in text or "already registered to" in text


@dataclass
class Groups:
    """Acme: a head office and a branch; Globex: a head office; and a group in no company."""

    head: Team
    branch: Team
    other: Team  # Globex's head office
    alone: Team  # in no company
    lang: str


@pytest.fixture(params=["en", "zh"])
async def groups(sandbox: Sandbox, request: pytest.FixtureRequest) -> Groups:
    lang = request.param
    head = await active(sandbox, GROUP, lang=lang, offset=0)
    branch = await active(sandbox, OTHER_GROUP, lang=lang, offset=1)
    other = await active(sandbox, THIRD_GROUP, lang=lang, offset=2)
    alone = await active(sandbox, FOURTH_GROUP, lang=lang, offset=3)
    (acme,) = await sandbox.say(head.chat_id, head.manager, "/org create Acme")
    await sandbox.say(branch.chat_id, branch.manager, f"/org join {code_of(acme)}")
    await sandbox.say(other.chat_id, other.manager, "/org create Globex")
    return Groups(head, branch, other, alone, lang)


def _names(sandbox: Sandbox, chat_id: int) -> list[str]:
    """A group's customers, oldest first."""
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        team = session.exec(select(TeamRow).where(TeamRow.chat_id == chat_id)).one()
        return list(
            session.exec(
                select(Customer.name).where(Customer.team_id == team.id).order_by(col(Customer.id))
            )
        )


async def test_a_customer_registered_in_one_group_warns_a_rep_in_another(
    sandbox: Sandbox, groups: Groups
) -> None:
    head, branch, lang = groups.head, groups.branch, groups.lang
    await sandbox.say(head.chat_id, head.alice, "/lead 万科 50万")
    (card,) = await sandbox.say(branch.chat_id, branch.alice, "/lead 万科 30万")
    warning = WARNING[lang].format(group=GROUP)
    assert warning in card.text.splitlines(), card.text
    # Logged in the rep's own group as today: its own customer row, its own card.
    assert card.text.startswith("🆕"), card.text
    assert _names(sandbox, branch.chat_id) == ["万科"]
    assert _names(sandbox, head.chat_id) == ["万科"]
    # The owner's group keeps its customer as it was; the conflict is on the branch's record.
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        logged = session.exec(select(AuditLog).where(AuditLog.action == "conflict_company")).all()
    assert len(logged) == 1 and logged[0].detail["owner"] == head.alice.user_id
    # The rep who owns it in both groups is not warned about themself.
    await sandbox.emulator.join_group(OTHER_GROUP, head.alice.user_id)
    (own,) = await sandbox.say(branch.chat_id, head.alice, "/visit 万科 met the buyer")
    assert warning not in own.text


async def test_a_near_name_is_offered_the_other_groups_customer(
    sandbox: Sandbox, groups: Groups
) -> None:
    head, branch, lang = groups.head, groups.branch, groups.lang
    await sandbox.say(head.chat_id, head.alice, "/lead 万科 50万")
    (ask,) = await sandbox.say(branch.chat_id, branch.alice, "/visit 万科地产 met the buyer")
    labels = [text for text, _ in ask.buttons]
    assert labels[0] == ELSEWHERE[lang].format(group=GROUP), (ask.text, labels)
    assert labels[1] == NEW_CUSTOMER[lang]
    # Picking it: the same company customer, logged here under its exact name, with the warning.
    await sandbox.press(branch.chat_id, branch.alice, ask.message_id, ask.buttons[0][1])
    card = sandbox.message(branch.chat_id, ask.message_id)
    assert WARNING[lang].format(group=GROUP) in card.text.splitlines(), card.text
    assert _names(sandbox, branch.chat_id) == ["万科"]
    # Another near name in the branch: its own 万科 is offered first, then the head office's.
    (again,) = await sandbox.say(branch.chat_id, branch.bob, "/visit 万科地产 again")
    assert [text for text, _ in again.buttons][:2] == ["万科", ELSEWHERE[lang].format(group=GROUP)]
    # "New customer" makes a new one here; a name nobody registered warns of nothing.
    await sandbox.press(branch.chat_id, branch.bob, again.message_id, again.buttons[2][1])
    card = sandbox.message(branch.chat_id, again.message_id)
    assert not clashed(card.text), card.text
    assert _names(sandbox, branch.chat_id) == ["万科", "万科地产"]


async def test_other_companies_and_lone_groups_see_nothing(
    sandbox: Sandbox, groups: Groups
) -> None:
    head, other, alone = groups.head, groups.other, groups.alone
    await sandbox.say(head.chat_id, head.alice, "/lead 万科 50万")
    await sandbox.say(head.chat_id, head.alice, "/lead 万科地产")
    for group in (other, alone):
        (card,) = await sandbox.say(group.chat_id, group.alice, "/lead 万科 30万")
        assert not clashed(card.text) and "Sales" not in card.text, card.text
        assert card.text.startswith("🆕"), card.text
        # No picker offers another company's (or any other group's) customers either.
        (near,) = await sandbox.say(group.chat_id, group.bob, "/visit 万科集团地产 met")
        assert all("Sales" not in text for text, _ in near.buttons), near.buttons
    # A group that left the company is on its own again.
    branch = groups.branch
    await sandbox.say(branch.chat_id, branch.manager, "/org leave")
    (card,) = await sandbox.say(branch.chat_id, branch.alice, "/lead 万科")
    assert not clashed(card.text), card.text

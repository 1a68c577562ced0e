"""/lost with a reason, /stage by any word for a stage, one dedupe rule, and 撞单 proposals.

Issue 10 items 5-7, in English and Chinese, through the emulator.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from bot.i18n import plain
from models.tables import Customer, Deal, DealStatus, Entry
from tests.e2e.conftest import GROUP, Team, make_team
from tgemu.sandbox import Sandbox


async def _chinese_team(sandbox: Sandbox) -> Team:
    team = make_team(sandbox, GROUP - 7, lang="zh", offset=7)
    await sandbox.say(team.chat_id, team.manager, "/setup")
    await sandbox.say(team.chat_id, team.manager, "/lang zh")
    return team


def _deal(sandbox: Sandbox, name: str) -> Deal:
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        customer = session.exec(select(Customer).where(Customer.name == name)).one()
        return session.exec(select(Deal).where(Deal.customer_id == customer.id)).one()


async def test_lost_with_a_space_keeps_the_reason_in_chinese(sandbox: Sandbox) -> None:
    team = await _chinese_team(sandbox)
    await sandbox.say(team.chat_id, team.alice, "/lead 万科 12万")
    (card,) = await sandbox.say(team.chat_id, team.alice, "/lost 万科 价格太高")
    assert card.text.startswith("❌ 丢单 · 万科"), card.text
    assert card.text.splitlines()[1].endswith(" · ¥12万 · 原因：价格太高")  # the reason shows
    assert card.buttons and "万科" not in [text for text, _ in card.buttons]
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        customer = session.exec(select(Customer).where(Customer.name == "万科")).one()
        assert (customer.stage, customer.lost_reason) == ("lost", "价格太高")
        assert len(session.exec(select(Customer)).all()) == 1


async def test_lost_lowercase_known_name_keeps_the_reason(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/lead Acme Trading 50k")
    (card,) = await sandbox.say(chat, alice, "/lost acme trading went with a competitor")
    assert card.text.startswith("❌ Lost · Acme Trading"), card.text
    assert card.text.splitlines()[1].endswith(" · reason: went with a competitor")
    assert _deal(sandbox, "Acme Trading").lost_reason == "went with a competitor"


async def test_stage_finds_quoted_from_a_synonym_in_both_languages(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/lead Globex")
    (reply,) = await sandbox.say(chat, alice, "/stage Globex quote")
    assert reply.text == "Globex → Quoted"
    (reply,) = await sandbox.say(chat, alice, "/stage Globex nowhere")
    assert reply.text.startswith("Usage: /stage CUSTOMER STAGE. Stages: Lead → Contacted")
    team = await _chinese_team(sandbox)
    await sandbox.say(team.chat_id, team.alice, "/lead 万科")
    (reply,) = await sandbox.say(team.chat_id, team.alice, "/stage 万科 报价")
    assert reply.text == "万科 → 已报价"
    (reply,) = await sandbox.say(team.chat_id, team.alice, "/stage 万科 簽合同")
    assert reply.text == "万科 → 签合同"


async def test_ambiguous_stage_asks_with_buttons(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/lead Globex")
    (ask,) = await sandbox.say(chat, alice, "/stage Globex con")
    assert ask.text == "Which stage for Globex?"
    assert [row[0][0] for row in [[b] for b in ask.buttons]] == ["Contacted", "Contract"]
    await sandbox.press(chat, alice, ask.message_id, ask.buttons[1][1])
    assert sandbox.message(chat, ask.message_id).text == "Globex → Contract"


async def test_stage_of_someone_elses_customer_is_refused(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat = active_team.chat_id
    await sandbox.say(chat, active_team.alice, "/lead Globex")
    (reply,) = await sandbox.say(chat, active_team.bob, "/stage Globex won")
    assert "registered to @alice" in reply.text
    (reply,) = await sandbox.say(chat, active_team.manager, "/stage Globex won")
    assert reply.text == "Globex → Paid (won)"


async def test_near_name_asks_in_english_as_in_chinese(sandbox: Sandbox, active_team: Team) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/lead Acme Trading 50k")
    (ask,) = await sandbox.say(chat, alice, "/visit Acme Tradng met the buyer")
    assert ask.text == "Which customer did you mean by “Acme Tradng”?"
    assert ask.buttons[0][0] == "Acme Trading"
    team = await _chinese_team(sandbox)
    await sandbox.say(team.chat_id, team.alice, "/lead 万科地产 12万")
    (ask,) = await sandbox.say(team.chat_id, team.alice, "/visit 万科地 聊了合同")
    assert ask.text == "“万科地”指的是哪个客户？"
    assert ask.buttons[0][0] == "万科地产"


async def test_not_this_customer_offers_the_other_near_names(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat, alice = active_team.chat_id, active_team.alice
    await sandbox.say(chat, alice, "/lead Acme Trading")
    await sandbox.say(chat, alice, "/lead Acme Tools")
    (card,) = await sandbox.say(chat, alice, "/visit Acme Trading met the buyer")
    not_this = card.buttons[-1][1]
    await sandbox.press(chat, alice, card.message_id, not_this)
    ask = sandbox.message(chat, card.message_id)
    names = [text for text, _ in ask.buttons]
    assert "Acme Tools" in names and "Acme Trading" not in names


async def test_conflict_keeps_the_owners_deal_and_shows_the_proposal(
    sandbox: Sandbox, active_team: Team
) -> None:
    chat = active_team.chat_id
    await sandbox.say(chat, active_team.alice, "/lead Globex 120k via distributor Huatai")
    (card,) = await sandbox.say(chat, active_team.bob, "/won Globex 80k via agent Other")
    assert "⚠️ Globex is registered to @alice" in card.text
    assert "💡 Proposed won · ¥80,000: kept on this entry for @alice" in card.text
    assert "¥120,000" in card.text
    deal = _deal(sandbox, "Globex")
    assert (deal.amount, deal.status) == (Decimal("120000.00"), DealStatus.OPEN)
    (view,) = await sandbox.say(chat, active_team.alice, "/customer Globex")
    assert "Proposed by others" in view.text and "@bob won · ¥80,000" in view.text
    assert "Distributor / Huatai" in view.text
    (managers,) = await sandbox.say(chat, active_team.manager, "/customer Globex")
    assert "@bob won · ¥80,000" in managers.text
    (others,) = await sandbox.say(chat, active_team.bob, "/customer Globex")
    assert "Proposed by others" not in others.text  # for the owner and the managers to apply
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        entry = session.exec(select(Entry).where(Entry.intent == "won")).one()
        assert (entry.proposed_amount, entry.proposed_stage) == (Decimal("80000.00"), "won")


async def test_conflict_in_chinese(sandbox: Sandbox) -> None:
    team = await _chinese_team(sandbox)
    await sandbox.say(team.chat_id, team.alice, "/lead 华为 50万")
    (card,) = await sandbox.say(team.chat_id, team.bob, "#拜访 华为 谈了报价 60万")
    assert "撞单" in card.text and "💡 提议 ¥60万" in card.text, card.text
    assert _deal(sandbox, "华为").amount == Decimal("500000.00")
    (view,) = await sandbox.say(team.chat_id, team.manager, "/customer 华为")
    assert "他人提议" in view.text and "¥60万" in view.text


async def test_a_contact_named_again_is_kept_once_and_gets_its_phone(sandbox: Sandbox) -> None:
    team = await _chinese_team(sandbox)
    say = sandbox.say
    await say(team.chat_id, team.alice, "/lead 永辉超市 35万 联系人王总 13912345678")
    await say(team.chat_id, team.alice, "#拜访 永辉超市 王总对新品很感兴趣")
    await say(team.chat_id, team.alice, "#拜访 华润万家 见了李经理")
    await say(team.chat_id, team.alice, "#跟进 华润万家 李经理 13800001111 周五回电")
    for name, contact in (("永辉超市", "☎️ 王总 13912345678"), ("华润万家", "☎️ 李经理 13800001111")):
        (card,) = await say(team.chat_id, team.alice, f"/customer {name}")
        phones = [line for line in card.text.splitlines() if line.startswith("☎️")]
        assert phones == [contact], card.text


@pytest.mark.parametrize(
    ("lang", "full", "short", "entry", "again"),
    [
        ("zh", "永辉超市有限公司", "永辉", "#跟进 永辉 明天下午3点电话确认样品",
         "#拜访 永辉 送了样品"),
        ("en", "Shanghai Pudong Development Bank", "Pudong Bank", "#visit Pudong Bank demo",
         "#visit Pudong Bank contract signed"),
    ],
)  # fmt: skip
async def test_a_name_the_rep_picked_a_customer_for_is_not_asked_about_again(
    sandbox: Sandbox, lang: str, full: str, short: str, entry: str, again: str
) -> None:
    team = make_team(sandbox, GROUP - 8, lang=lang, offset=8)
    await sandbox.say(team.chat_id, team.manager, "/setup")
    await sandbox.say(team.chat_id, team.manager, f"/lang {lang}")
    await sandbox.say(team.chat_id, team.alice, f"/lead {full} 35万")
    (question,) = await sandbox.say(team.chat_id, team.alice, entry)
    assert question.text == plain(lang, "choice.ask", name=short), question.text
    pick = next(data for label, data in question.buttons if label == full)
    await sandbox.press(team.chat_id, team.alice, question.message_id, pick)

    # Next time, by anyone in the team, the name is that customer: a card, no question.
    (card,) = await sandbox.say(team.chat_id, team.bob, again)
    assert full in card.text.splitlines()[0], card.text
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        assert len(session.exec(select(Customer)).all()) == 1

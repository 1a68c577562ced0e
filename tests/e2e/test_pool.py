"""The shared pool (公海) through Telegram: /release, the end of 报备 protection, the digest.

The clock starts on Tuesday 24 November 2026, 10:00 in Shanghai; jobs run on demand.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from models.tables import AuditLog
from reminders.digest import JOB as DIGEST
from tests.e2e.conftest import Team, make_team
from tests.e2e.test_digest import LOGGED, NOW, SETUP
from tgemu.sandbox import Sandbox

SHANGHAI = ZoneInfo("Asia/Shanghai")

SAYS = {
    "en": {
        "lead": "/lead Acme 50k",
        "name": "Acme",
        "released": "🌊 Acme is back in the shared pool: any rep can /claim it.",
        "again": "Acme is already in the shared pool.",
        "refused": "Acme is registered to @alice: only they or a manager can return it to the"
        " shared pool.",
        "usage": "Usage: /release CUSTOMER — returns your customer to the shared pool",
        "card": "Owner shared pool",
        "claimed": "✅ Acme is yours now, protected for 90 days.",
        "returned": "🌊 Back in the shared pool after 30 days without activity: Acme. Any rep"
        " can /claim them.",
        "digest": "🌊 Back in the shared pool: 1 (Acme) — any rep can /claim them",
        "protected": "Registered, protected until 22 Feb 2027",
        "pool_due": "Protection over: back to the shared pool on 14 Mar 2027 without activity",
    },
    "zh": {
        "lead": "/lead 万科 5万",
        "name": "万科",
        "released": "🌊 万科 已退回公海：任何销售都可以 /claim 认领。",
        "again": "万科 已经在公海中。",
        "refused": "万科 已由 @alice 报备：只有负责人或经理可以把它退回公海。",
        "usage": "用法：/release 客户——把你的客户退回公海",
        "card": "负责人 公海",
        "claimed": "✅ 万科 已归你所有，保护期 90 天。",
        "returned": "🌊 30 天无跟进，已退回公海：万科。任何销售都可以 /claim 认领。",
        "digest": "🌊 退回公海：1 个（万科）——任何销售都可以 /claim 认领",
        "protected": "已报备，保护期至 2027年2月22日",
        "pool_due": "保护期已过：如无跟进，2027年3月14日 退回公海",
    },
}


async def speak(sandbox: Sandbox, team: Team, lang: str) -> None:
    if lang == "zh":
        await sandbox.say(team.chat_id, team.manager, "/lang zh")


def actions(sandbox: Sandbox) -> list[str]:
    assert sandbox.db is not None
    with sandbox.db.session() as session:
        return list(session.exec(select(AuditLog.action)))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_release_returns_a_customer_to_the_pool_at_once(
    sandbox: Sandbox, active_team: Team, lang: str
) -> None:
    says, team = SAYS[lang], active_team
    chat, alice, bob, name = team.chat_id, team.alice, team.bob, SAYS[lang]["name"]
    await speak(sandbox, team, lang)
    await sandbox.say(chat, alice, says["lead"])
    (reply,) = await sandbox.say(chat, bob, f"/release {name}")
    assert reply.text == says["refused"]
    (reply,) = await sandbox.say(chat, alice, "/release")
    assert reply.text == says["usage"]

    (reply,) = await sandbox.say(chat, alice, f"/release {name}")
    assert reply.text == says["released"]
    assert "release" in actions(sandbox)
    (card,) = await sandbox.say(chat, bob, f"/customer {name}")
    assert says["card"] in card.text
    (reply,) = await sandbox.say(chat, alice, f"/release {name}")
    assert reply.text == says["again"]

    (reply,) = await sandbox.say(chat, bob, f"/claim {name}")
    assert reply.text == says["claimed"]
    # A manager may release anyone's customer
    (reply,) = await sandbox.say(chat, team.manager, f"/release {name}")
    assert reply.text == says["released"]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_silent_customer_returns_when_its_protection_ends_unlooked_at(
    sandbox: Sandbox, active_team: Team, clock: ManualClock, lang: str
) -> None:
    says, chat = SAYS[lang], active_team.chat_id
    await speak(sandbox, active_team, lang)
    await sandbox.say(chat, active_team.alice, says["lead"])
    clock.advance(timedelta(days=89))
    assert await sandbox.run_job("pool") == []  # silent for 89 days, still protected
    clock.advance(timedelta(days=1, minutes=1))
    sent = await sandbox.run_job("pool")
    assert [(m.chat_id, m.text) for m in sent] == [(chat, says["returned"])]
    assert await sandbox.run_job("pool") == []  # told once
    (card,) = await sandbox.say(chat, active_team.bob, f"/customer {says['name']}")
    assert says["card"] in card.text


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_weekly_digest_lists_the_customers_back_in_the_pool(
    sandbox: Sandbox, clock: ManualClock, lang: str
) -> None:
    team = make_team(sandbox, lang=lang)
    says, chat = SAYS[lang], team.chat_id
    clock.set(SETUP)
    await sandbox.say(chat, team.manager, "/setup")
    await speak(sandbox, team, lang)
    clock.set(LOGGED)
    await sandbox.say(chat, team.alice, says["lead"])
    await sandbox.say(chat, team.alice, "/lead Globex 10k")
    await sandbox.say(chat, team.alice, f"/release {says['name']}")
    await sandbox.say(chat, team.alice, "/release Globex")
    await sandbox.say(chat, team.bob, "/claim Globex")  # claimed again: no longer in the pool
    clock.set(NOW)
    sent = await sandbox.run_job(DIGEST)
    (digest,) = [m for m in sent if m.chat_id == chat and m.kind == "text"]
    assert says["digest"] in digest.text.splitlines()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_after_its_protection_a_customer_stays_while_there_is_activity(
    sandbox: Sandbox, active_team: Team, clock: ManualClock, lang: str
) -> None:
    says, chat, alice = SAYS[lang], active_team.chat_id, active_team.alice
    await speak(sandbox, active_team, lang)
    await sandbox.say(chat, alice, says["lead"])
    (card,) = await sandbox.say(chat, alice, f"/customer {says['name']}")
    assert says["protected"] in card.text.splitlines()
    clock.advance(timedelta(days=80))
    await sandbox.say(chat, alice, f"/visit {says['name']}")
    clock.advance(timedelta(days=11))  # protection over, silent for 11 days only
    assert await sandbox.run_job("pool") == []
    (card,) = await sandbox.say(chat, alice, f"/customer {says['name']}")
    assert says["pool_due"] in card.text.splitlines()
    clock.advance(timedelta(days=19, minutes=1))  # due on a Sunday: the weekend stays quiet
    assert clock().astimezone(SHANGHAI).isoweekday() == 7
    assert await sandbox.run_job("pool") == []
    clock.advance(timedelta(days=1))  # Monday, in working hours
    (returned,) = await sandbox.run_job("pool")
    assert returned.text == says["returned"]

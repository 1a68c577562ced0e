"""The head office's weekly digest covers its company: its totals are its groups', summed."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from bot.clock import ManualClock
from tests.conftest import SHANGHAI
from tests.e2e.conftest import GROUP, OTHER_GROUP, make_team
from tests.e2e.test_org import code_of
from tgemu.sandbox import Sandbox

SETUP = datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI)
LOGGED = datetime(2026, 11, 18, 11, 0, tzinfo=SHANGHAI)
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
COUNTS = re.compile(r"(?:leads|线索) (\d+).*(?:visits|拜访) (\d+).*(?:won|成交) (\d+)")


def counts(line: str) -> tuple[int, int, int]:
    found = COUNTS.search(line)
    assert found, line
    leads, visits, won = (int(n) for n in found.groups())
    return leads, visits, won


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_head_office_digest_is_the_sum_of_the_groups(
    sandbox: Sandbox, clock: ManualClock, lang: str
) -> None:
    clock.set(SETUP)
    head = make_team(sandbox, GROUP, lang=lang, offset=0)
    branch = make_team(sandbox, OTHER_GROUP, lang=lang, offset=1)
    for team in (head, branch):
        await sandbox.say(team.chat_id, team.manager, "/setup")
    (created,) = await sandbox.say(head.chat_id, head.manager, "/org create Acme")
    await sandbox.say(branch.chat_id, branch.manager, f"/org join {code_of(created)}")
    clock.set(LOGGED)
    for team, texts in [
        (head, ["/lead Initech 50k via distributor Huatai", "/visit Initech"]),
        (branch, ["/lead Globex 20k via distributor", "/lead Umbrella 30k", "/won Umbrella 30k"]),
    ]:
        for text in texts:
            await sandbox.say(team.chat_id, team.alice, text)
    clock.set(NOW)

    own = []
    for team in (head, branch):
        replies = await sandbox.say(team.chat_id, team.manager, "/digest last")
        own.append(replies[0].text.splitlines())
    # The branch's own digest is as it was: its channels and its total.
    title = "📊 Weekly digest" if lang == "en" else "📊 渠道周报"
    assert own[1][0].startswith(title)
    branch_total = counts(own[1][3])
    assert branch_total == (2, 0, 1)

    company = own[0]
    assert company[0].startswith("🏢 Acme")
    assert "Asia/Shanghai" in company[0]
    (total,) = [line for line in company if line.startswith("Σ")]
    assert counts(total) == (3, 1, 1)  # the head office's 1 lead, 1 visit and the branch's
    assert "30,000" in total or "3万" in total
    movers = [line for line in company if line.startswith(f"Sales {OTHER_GROUP}")]
    assert movers and counts(movers[0]) == branch_total
    assert len(company) < 15  # one short message

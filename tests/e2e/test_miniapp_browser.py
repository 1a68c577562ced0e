"""The Mini App in headless chromium, opened the way Telegram opens it, against the real bot.

The team is seeded by chat messages; the page gets init data signed with the emulator bot's
token in its URL fragment, lists and searches the customers, opens a card, marks its task
done, and the chat's /tasks no longer lists it. Forged or stale init data shows the page's
"open this from Telegram" screen. The clock starts on Tuesday 24 November 2026, 10:00 in Shanghai.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.async_api import Browser, Page, expect

from bot.clock import ManualClock
from tests.e2e.conftest import GROUP, OTHER_GROUP, Team, make_team
from tests.e2e.miniapp import web_settings
from tests.support.miniapp import init_data, person_user
from tgemu.sandbox import TOKEN, Person, Sandbox
from tgemu.webapp import LIGHT_THEME, launch_url, telegram_script

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Says:
    """What a team writes in the chat and what its page shows, in one language."""

    lang: str
    leads: tuple[str, ...]
    visit: str  # logs a visit to the first lead with a follow-up: the team's task #1
    search: str
    found: str
    hidden: tuple[str, ...]
    task: str
    customers_tab: str
    done_toast: str
    stage_quoted: str


SAYS = {
    "en": Says(
        lang="en",
        leads=("/lead Acme Trading 50k", "/lead Globex 20k", "/lead Initech"),
        visit="/visit Acme Trading follow up tomorrow 3pm about the quote",
        search="acme",
        found="Acme Trading",
        hidden=("Globex", "Initech"),
        task="follow up about the quote",
        customers_tab="Customers",
        done_toast="Task #1 done",
        stage_quoted="Quoted",
    ),
    "zh": Says(
        lang="zh",
        leads=("/lead 万科 5万", "/lead 华为 2万", "/lead 小米"),
        visit="/visit 万科 明天下午3点跟进报价",
        search="万科",
        found="万科",
        hidden=("华为", "小米"),
        task="跟进报价",
        customers_tab="客户",
        done_toast="待办 #1 已完成",
        stage_quoted="已报价",
    ),
}


@dataclass
class MiniApp:
    """The bot with the Mini App's server on a port of its own."""

    sandbox: Sandbox
    url: str  # of /app/


@pytest.fixture
async def miniapp(database_url: str, clock: ManualClock) -> AsyncIterator[MiniApp]:
    settings, port = web_settings()
    async with Sandbox(database_url=database_url, clock=clock, settings=settings) as box:
        yield MiniApp(box, f"http://127.0.0.1:{port}/app/")


async def seed(sandbox: Sandbox, says: Says) -> Team:
    team = make_team(sandbox, GROUP, lang=says.lang)
    await sandbox.say(team.chat_id, team.manager, "/setup")
    if says.lang == "zh":
        await sandbox.say(team.chat_id, team.manager, "/lang zh")
    for text in says.leads:
        await sandbox.say(team.chat_id, team.alice, text)
    await sandbox.say(team.chat_id, team.alice, says.visit)
    return team


def opened_as(app: MiniApp, person: Person, team: Team, *, clock: ManualClock) -> str:
    """The URL Telegram opens for `person` from the team's /app link."""
    user = person_user(person.user_id, person.first_name, person.username, person.language_code)
    data = init_data(user, token=TOKEN, signed_at=clock(), start_param=str(team.chat_id))
    return launch_url(app.url, data, theme=LIGHT_THEME)


@dataclass
class Phone:
    """A phone-sized page, and every URL it requested."""

    page: Page
    requested: list[str]

    def elsewhere(self) -> list[str]:
        """What it fetched from anywhere but crmbot's server (nothing, behind a firewall)."""
        return [url for url in self.requested if not url.startswith("http://127.0.0.1:")]


async def phone(browser: Browser) -> Phone:
    context = await browser.new_context(viewport={"width": 390, "height": 760}, is_mobile=True)
    page = await context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    return Phone(page, requested)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_search_open_a_card_and_close_its_task_as_the_chat_sees(
    chromium: Browser, miniapp: MiniApp, clock: ManualClock, lang: str
) -> None:
    says = SAYS[lang]
    sandbox = miniapp.sandbox
    team = await seed(sandbox, says)
    (before,) = await sandbox.say(team.chat_id, team.alice, "/tasks")
    assert "#1 ·" in before.text

    device = await phone(chromium)
    page = device.page
    await page.goto(opened_as(miniapp, team.alice, team, clock=clock))
    # The first screen is the customer list, in the team's language.
    await expect(page.get_by_test_id("customer-list")).to_be_visible()
    await expect(page.get_by_test_id("title")).to_have_text(f"Sales {team.chat_id}")
    await expect(page.get_by_test_id("tab-customers")).to_have_text(says.customers_tab)
    # Telegram's theme colours, from the launch parameters: its secondary background.
    await expect(page.locator("body")).to_have_css("background-color", "rgb(244, 244, 245)")
    names = page.get_by_test_id("customer-name")
    await expect(names).to_have_count(3)
    for name in (says.found, *says.hidden):
        await expect(names.filter(has_text=name)).to_have_count(1)

    await page.get_by_test_id("search").fill(says.search)
    await expect(names).to_have_count(1)
    await expect(names).to_have_text(says.found)

    await page.get_by_test_id("customer-row").click()
    card = page.get_by_test_id("customer-card")
    await expect(card.get_by_test_id("card-name")).to_have_text(says.found)
    task = card.get_by_test_id("task-row")
    await expect(task).to_contain_text(says.task)
    await expect(card.get_by_test_id("timeline")).to_contain_text(says.task)

    await task.get_by_test_id("task-done").click()
    await expect(page.get_by_test_id("toast")).to_have_text(says.done_toast)
    await expect(card.get_by_test_id("task-row")).to_have_count(0)
    (after,) = await sandbox.say(team.chat_id, team.alice, "/tasks")
    assert "#1 ·" not in after.text and says.task not in after.text

    # A stage change from the card is the chat's /stage: the board counts it there.
    await card.get_by_test_id("stage-select").select_option(label=says.stage_quoted)
    await expect(page.get_by_test_id("toast")).to_contain_text(says.stage_quoted)
    await page.get_by_test_id("back").click()
    before_board = len(device.requested)
    await page.get_by_test_id("tab-board").click()
    quoted = page.locator('[data-testid="board-column"][data-stage="quoted"]')
    await expect(quoted.get_by_test_id("board-count")).to_have_text("1")
    await expect(quoted.get_by_test_id("board-customer")).to_contain_text(says.found)
    # The whole pipeline comes in one call, not one per stage.
    board_calls = [url for url in device.requested[before_board:] if "/api/" in url]
    assert [url.split("?")[0].rsplit("/", 1)[-1] for url in board_calls] == ["board"]
    assert device.elsewhere() == []


@pytest.mark.parametrize("damage", ["forged", "stale"])
async def test_init_data_that_telegram_did_not_sign_today_shows_the_open_from_telegram_screen(
    chromium: Browser, miniapp: MiniApp, clock: ManualClock, damage: str
) -> None:
    sandbox = miniapp.sandbox
    team = await seed(sandbox, SAYS["en"])
    signed = opened_as(miniapp, team.alice, team, clock=clock)
    if damage == "forged":
        # Another user id under the same hash: what a page tampering with it would send.
        url = signed.replace(f"%2522id%2522%253A{team.alice.user_id}", "%2522id%2522%253A1")
        assert url != signed
    else:
        clock.advance(timedelta(hours=25))
        url = signed

    page = (await phone(chromium)).page
    await page.goto(url)
    await expect(page.get_by_test_id("error-401")).to_contain_text("Open this from Telegram")
    await expect(page.get_by_test_id("customer-list")).to_have_count(0)
    await expect(page.get_by_test_id("tabs")).to_be_hidden()


async def test_a_lost_connection_offers_a_retry_that_loads_the_page(
    chromium: Browser, miniapp: MiniApp, clock: ManualClock
) -> None:
    team = await seed(miniapp.sandbox, SAYS["en"])
    page = (await phone(chromium)).page
    # The network drops every API call, as on a phone between two cells, then comes back.
    await page.route("**/api/**", lambda route: route.abort("internetdisconnected"))
    await page.goto(opened_as(miniapp, team.alice, team, clock=clock))
    await expect(page.get_by_test_id("error-network")).to_be_visible()
    await page.unroute("**/api/**")
    await page.get_by_test_id("retry").click()
    await expect(page.get_by_test_id("customer-name")).to_have_count(3)
    await expect(page.get_by_test_id("error-network")).to_have_count(0)


async def test_another_teams_link_says_not_a_member_and_offers_the_users_own_team(
    chromium: Browser, miniapp: MiniApp, clock: ManualClock
) -> None:
    sandbox = miniapp.sandbox
    team = await seed(sandbox, SAYS["en"])
    other = make_team(sandbox, OTHER_GROUP, offset=1)
    await sandbox.say(other.chat_id, other.manager, "/setup")
    await sandbox.say(other.chat_id, other.alice, "/lead Umbrella")

    page = (await phone(chromium)).page
    # The other team's rep opens the first team's /app link (its chat id as start parameter).
    await page.goto(opened_as(miniapp, other.alice, team, clock=clock))
    await expect(page.get_by_test_id("error-403")).to_contain_text("not a member of this team")
    await expect(page.get_by_test_id("customer-list")).to_have_count(0)
    await page.get_by_test_id("open-team").click()
    await expect(page.get_by_test_id("title")).to_have_text(f"Sales {other.chat_id}")
    await page.get_by_test_id("tab-customers").click()
    await expect(page.get_by_test_id("customer-name")).to_have_text(["Umbrella"])


async def test_inside_telegram_its_script_gives_the_init_data_back_button_and_haptics(
    chromium: Browser, miniapp: MiniApp, clock: ManualClock
) -> None:
    team = await seed(miniapp.sandbox, SAYS["en"])
    user = person_user(team.alice.user_id, "Alice", team.alice.username)
    data = init_data(user, token=TOKEN, signed_at=clock(), start_param=str(team.chat_id))
    page = (await phone(chromium)).page
    # Telegram's own script (a stand-in: the page never loads it from Telegram) and no fragment.
    await page.add_init_script(telegram_script(data, viewport_height=640))
    await page.goto(miniapp.url)
    await expect(page.get_by_test_id("customer-name")).to_have_count(3)
    calls = "Telegram.WebApp.calls"
    assert {"ready", "expand"} <= set(await page.evaluate(calls))
    height = "getComputedStyle(document.documentElement).getPropertyValue('--tg-viewport-height')"
    assert await page.evaluate(height) == "640px"

    await page.get_by_test_id("tab-customers").click()
    await page.get_by_test_id("customer-row").filter(has_text="Acme Trading").click()
    card = page.get_by_test_id("customer-card")
    await expect(card).to_be_visible()
    # Telegram's back button, not the page's own, leads back from the card.
    assert (await page.evaluate(calls))[-1] == "BackButton.show"
    await expect(page.get_by_test_id("back")).to_be_hidden()
    await card.get_by_test_id("task-done").click()
    await expect(card.get_by_test_id("task-row")).to_have_count(0)
    assert "haptic:success" in await page.evaluate(calls)
    await page.evaluate("Telegram.WebApp.BackButton.press()")
    await expect(page.get_by_test_id("customer-list")).to_be_visible()
    assert (await page.evaluate(calls))[-1] == "BackButton.hide"


async def test_a_rep_cannot_move_a_colleagues_customer_and_the_card_keeps_its_stage(
    chromium: Browser, miniapp: MiniApp, clock: ManualClock
) -> None:
    team = await seed(miniapp.sandbox, SAYS["en"])
    await miniapp.sandbox.say(team.chat_id, team.bob, "/lead Hooli")  # bob is a member
    page = (await phone(chromium)).page
    await page.goto(opened_as(miniapp, team.bob, team, clock=clock))
    await page.get_by_test_id("tab-customers").click()
    await page.get_by_test_id("customer-row").filter(has_text="Globex").click()
    select = page.get_by_test_id("customer-card").get_by_test_id("stage-select")
    before = await select.input_value()
    await select.select_option("quoted")
    await expect(page.get_by_test_id("toast")).to_have_text(
        "Only the owner or a manager can do that."
    )
    await expect(select).to_have_value(before)
    await expect(select).to_be_enabled()
    (card,) = await miniapp.sandbox.say(team.chat_id, team.alice, "/customer Globex")
    assert "stage Lead" in card.text  # as the chat has it, unmoved

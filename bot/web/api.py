"""The Mini App's JSON API: authenticate, find the actor, run one unit of work, answer JSON.

Each request is one unit of work as the chat's commands run theirs (models.db: one session and
transaction in the database's threads, off the event loop), through the same services, as the
actor the private console uses (console.actor_in): the same team scoping, permissions and
audit entries. Nothing here knows Telegram.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel import Session

from bot.clock import Clock
from bot.i18n import normalize_lang, t
from bot.i18n.format import member_label
from bot.services import browse, console, pipeline, profiles, reminders, stats, tasks, teams
from bot.services.browse import Browse
from bot.services.errors import CrmError, NotAPerson, NotManager
from bot.services.tasks import TaskScope
from bot.services.teams import Actor
from bot.views.keyboards import Keyboard
from bot.views.reminders import task_keyboard
from bot.views.text import plain
from bot.web import views
from bot.web.auth import InitData, InitDataError, validate
from models.db import Database
from models.queries import members as member_queries
from models.tables import Customer, Member, Task, Team

log = logging.getLogger(__name__)
T = TypeVar("T")
NO_STORE = {"Cache-Control": "no-store"}
PAGE = 50
MAX_PAGE = 200
BOARD = 8  # names per stage the board shows
MAX_BOARD = 50
MAX_OFFSET = 1_000_000
MAX_BODY = 4096  # {"stage": NAME} is a few dozen bytes
INT64 = range(-(2**63), 2**63)
_INTEGER = re.compile(r"^-?[0-9]{1,19}$")
_PERIOD = re.compile(r"^(week|month|\d{4}-\d{2})$")
MAX_TEXT = 200
# Domain refusals the API answers with their own status and code; the rest are 400s.
_REFUSALS: dict[str, tuple[int, str]] = {
    "console.not_member": (403, "not_member"),
    "error.not_activated": (403, "not_member"),
    "error.customer_gone": (404, "not_found"),
    "error.task_not_found": (404, "not_found"),
    "stage.not_yours": (403, "not_yours"),
    "error.not_your_task": (403, "not_yours"),
    "error.task_closed": (400, "task_closed"),
    "usage.stage": (400, "unknown_stage"),
    "web.unknown_stage": (400, "unknown_stage"),
    "usage.period": (400, "bad_period"),
    "channel.unknown": (400, "unknown_channel"),
    "partner.unknown": (400, "unknown_partner"),
    "error.unknown_member": (400, "unknown_owner"),
}


@dataclass(frozen=True)
class Backend:
    """What the API needs of the bot: its token (to check init data), clock and database."""

    token: str
    clock: Clock
    database: Callable[[], Database | None]  # opened in the bot's post_init
    # Whether Telegram says a user is in a chat (None: never asked, e.g. in benchmarks)
    in_chat: Callable[[int, int], Awaitable[bool]] | None = None
    # Change a sent message's buttons (a reminder whose task was done here); None: never
    edit_buttons: Callable[[int, int, Keyboard], Awaitable[object]] | None = None


class ApiError(Exception):
    """A request refused with an HTTP status and an error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def answer(data: dict[str, Any], status: int = 200) -> web.Response:
    """A JSON response nobody caches."""
    return web.json_response(data, status=status, headers=NO_STORE, dumps=_dumps)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def refusal(status: int, code: str, message: str) -> web.Response:
    return answer({"error": code, "message": message}, status)


Handler = Callable[[web.Request], Awaitable[web.Response]]


def guarded(handler: Handler) -> Handler:
    """Turn a handler's refusals into JSON errors: ApiError, CrmError, no database (503)."""

    async def guard(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except ApiError as exc:
            return refusal(exc.status, exc.code, exc.message)
        except (NotManager, NotAPerson) as exc:
            return refusal(403, "not_manager", _english(exc))
        except CrmError as exc:
            status, code = _REFUSALS.get(exc.key, (400, exc.key.rsplit(".", 1)[-1]))
            return refusal(status, code, _english(exc))
        except (OperationalError, InterfaceError):
            log.warning("Mini App API: the database is unreachable", exc_info=True)
            return refusal(503, "unavailable", "The database is not answering; try again.")

    return guard


def _english(exc: CrmError) -> str:
    return plain(t("en", exc.key, **exc.params), limit=1000)


def authenticate(request: web.Request, backend: Backend) -> InitData:
    """The init data of `Authorization: tma <initData>`, checked; 401 for anything else."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "tma" or not raw.strip():
        raise ApiError(401, "unauthorized", "Open this page from Telegram (no init data).")
    try:
        return validate(raw.strip(), token=backend.token, now=backend.clock())
    except InitDataError as exc:
        raise ApiError(401, "unauthorized", f"Telegram's init data was refused: {exc}.") from None


def integer(request: web.Request, name: str, *, where: str = "query") -> int:
    """A required integer parameter that fits 64 bits; 400 otherwise."""
    text = request.match_info.get(name) if where == "path" else request.query.get(name)
    if text is None or text == "":
        raise ApiError(400, f"missing_{name}", f"The parameter {name} is required.")
    value = _int64(text)
    if value is None:
        raise ApiError(400, f"bad_{name}", f"{name} must be an integer, not {text[:40]!r}.")
    return value


def _int64(text: str) -> int | None:
    """The integer a text spells, if it fits 64 bits."""
    if not _INTEGER.match(text) or int(text) not in INT64:
        return None
    return int(text)


def row_id(request: web.Request) -> int:
    """The positive id in the path."""
    value = integer(request, "id", where="path")
    if value <= 0:
        raise ApiError(400, "bad_id", "id must be a positive integer.")
    return value


def bounded(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    if name not in request.query:
        return default
    value = integer(request, name)
    if not low <= value <= high:
        raise ApiError(400, f"bad_{name}", f"{name} must be between {low} and {high}.")
    return value


def text_param(request: web.Request, name: str) -> str | None:
    value = request.query.get(name, "").strip()
    if len(value) > MAX_TEXT:
        raise ApiError(400, f"bad_{name}", f"{name} is longer than {MAX_TEXT} characters.")
    return value or None


def acting(session: Session, login: InitData, *, team: Team | None) -> Actor:
    """The actor the user is in a team (console.actor_in); 403 for a team they are not of."""
    if team is None or not team.active:
        raise ApiError(403, "not_member", "You are not a member of that team.")
    user = login.user
    return console.actor_in(
        session=session,
        team_id=team.id,
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
    )


def team_of_chat(session: Session, chat_id: int) -> Team | None:
    return teams.get_team(session=session, chat_id=chat_id)


class Api:
    """The endpoints; each a unit of work of its own."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def unit(self, work: Callable[[Session], T], *, read_only: bool) -> T:
        db = self.backend.database()
        if db is None:
            raise ApiError(503, "unavailable", "crmbot is starting; try again shortly.")
        return await db.in_session(work, read_only=read_only)

    async def in_team(
        self, request: web.Request, work: Callable[[Session, Actor], T], *, read_only: bool = True
    ) -> T:
        """Run `work` as the user in the team of `?team=`."""
        login = authenticate(request, self.backend)
        chat_id = integer(request, "team")

        def run(session: Session) -> T:
            actor = acting(session, login, team=team_of_chat(session, chat_id))
            return work(session, actor)

        try:
            return await self.unit(run, read_only=read_only)
        except CrmError as exc:  # not of the team (yet): maybe Telegram says otherwise
            if exc.key != "console.not_member" or not await self.join(login, chat_id):
                raise
        return await self.unit(run, read_only=read_only)

    async def join(self, login: InitData, chat_id: int) -> bool:
        """Make someone Telegram says is in a team's chat its member, as their first message
        there would: the group's /app button is tapped by people who never wrote in it."""
        if self.backend.in_chat is None or not await self.backend.in_chat(chat_id, login.user.id):
            return False
        user, now = login.user, self.backend.clock()

        def add(session: Session) -> bool:
            team = team_of_chat(session, chat_id)
            if team is None or not team.active:
                return False
            teams.ensure_member(
                session=session,
                team=team,
                user_id=user.id,
                username=user.username,
                full_name=user.full_name,
                now=now,
            )
            return True

        return await self.unit(add, read_only=False)

    async def me(self, request: web.Request) -> web.Response:
        login = authenticate(request, self.backend)
        user = login.user
        # Opened from a group's /app button: its chat id is the start parameter.
        started = _int64(login.start_param) if login.start_param is not None else None
        if started is not None:
            await self.join_if_new(login, started)

        def work(session: Session) -> dict[str, Any]:
            found = console.openable_teams(session=session, user_id=user.id)
            lang = normalize_lang(user.language_code or (found[0][0].language if found else None))
            return views.me(user.id, user.full_name, lang, found)

        return answer(await self.unit(work, read_only=True))

    async def join_if_new(self, login: InitData, chat_id: int) -> None:
        """Join the team the page was opened for, if the user is in its chat but not yet known."""

        def known(session: Session) -> bool:
            team = team_of_chat(session, chat_id)
            if team is None:
                return True  # no such team: nothing to join
            return (
                member_queries.member_by_user(
                    session=session, team_id=team.id, user_id=login.user.id
                )
                is not None
            )

        if not await self.unit(known, read_only=True):
            await self.join(login, chat_id)

    async def customers(self, request: web.Request) -> web.Response:
        stage = text_param(request, "stage")
        wanted = Browse(
            text=text_param(request, "q") or "",
            stage=stage,
            owner=text_param(request, "owner"),
            channel=text_param(request, "channel"),
            partner=text_param(request, "partner"),
        )
        limit = bounded(request, "limit", PAGE, 1, MAX_PAGE)
        offset = bounded(request, "offset", 0, 0, MAX_OFFSET)

        def work(session: Session, actor: Actor) -> dict[str, Any]:
            page = browse.browse(
                session=session, actor=actor, request=wanted, limit=limit, offset=offset
            )
            return views.customer_page(actor.team, page)

        return answer(await self.in_team(request, work))

    async def board(self, request: web.Request) -> web.Response:
        limit = bounded(request, "limit", BOARD, 1, MAX_BOARD)

        def work(session: Session, actor: Actor) -> dict[str, Any]:
            return views.board(actor.team, browse.board(session=session, actor=actor, limit=limit))

        return answer(await self.in_team(request, work))

    async def customer(self, request: web.Request) -> web.Response:
        customer_id = row_id(request)
        now = self.backend.clock()

        def work(session: Session, actor: Actor) -> dict[str, Any]:
            card = profiles.customer_profile_by_id(
                session=session, actor=actor, customer_id=customer_id
            )
            labels = stats.member_labels(session=session, team_ids=[actor.team.id])
            return views.customer_card(actor.team, card, labels=labels, now=now)

        return answer(await self.in_team(request, work))

    async def tasks(self, request: web.Request) -> web.Response:
        everyone = request.query.get("all", "") in ("1", "true")
        if request.query.get("all", "") not in ("", "0", "1", "true", "false"):
            raise ApiError(400, "bad_all", "all must be 1 or 0.")
        now = self.backend.clock()

        def work(session: Session, actor: Actor) -> dict[str, Any]:
            scope = TaskScope.ALL if everyone else TaskScope.MINE
            found = tasks.list_tasks(session=session, actor=actor, now=now, scope=scope, limit=200)
            return views.task_list(actor.team, found, now=now)

        return answer(await self.in_team(request, work))

    async def stats(self, request: web.Request) -> web.Response:
        period_text = request.query.get("period", "month")
        if not _PERIOD.match(period_text):
            raise ApiError(400, "bad_period", "period must be week, month or YYYY-MM.")
        now = self.backend.clock()

        def work(session: Session, actor: Actor) -> dict[str, Any]:
            actor.require_active()
            period = stats.period_for(actor, period_text, now=now)
            report = stats.stats_in_scope(
                session=session, actor=actor, period=period, scope=stats.Scope(), now=now
            )
            rows = stats.breakdown_for(session=session, actor=actor, period=period, now=now)
            mine = actor.member if report.mine is not None else None
            name = member_label(mine.username, mine.full_name) if mine is not None else None
            return views.stats(actor.team, report, rows, mine_name=name)

        return answer(await self.in_team(request, work))

    async def task_done(self, request: web.Request) -> web.Response:
        task_id = row_id(request)
        now = self.backend.clock()
        edits: list[tuple[int, int, Keyboard]] = []  # the task's reminder, once committed

        def work(session: Session, actor: Actor) -> dict[str, Any]:
            task = tasks.task_by_id(session=session, actor=actor, task_id=task_id)
            tasks.complete_task(session=session, actor=actor, task=task, now=now)
            reminder = reminders.reminder_after_change(session=session, task=task)
            if reminder is not None:  # its Done button goes, the other tasks' stay
                keyboard = task_keyboard(actor.lang, reminder.waiting)
                edits.append((reminder.chat_id, reminder.message_id, keyboard))
            owner = session.get(Member, task.owner_id)
            customer = session.get(Customer, task.customer_id) if task.customer_id else None
            found = views.task_json(
                actor.team,
                task,
                owner=views.who(owner),
                customer=customer.name if customer is not None else None,
                now=now,
            )
            return {"task": found}

        done = await self.on_row(request, lambda s: s.get(Task, task_id), work)
        edit_buttons = self.backend.edit_buttons
        if edit_buttons is not None:
            for chat_id, message_id, keyboard in edits:
                await edit_buttons(chat_id, message_id, keyboard)
        return answer(done)

    async def customer_stage(self, request: web.Request) -> web.Response:
        customer_id = row_id(request)
        wanted = await _stage_body(request)
        now = self.backend.clock()

        def work(session: Session, actor: Actor) -> dict[str, Any]:
            key = pipeline.named_stage(actor.team, wanted, actor.lang)
            customer, _ = pipeline.choose_stage(
                session=session, actor=actor, customer_id=customer_id, key=key, now=now
            )
            found, deal = browse.listed(session=session, customer=customer)
            return {"customer": views.customer_row(actor.team, found, deal)}

        return answer(await self.on_row(request, lambda s: s.get(Customer, customer_id), work))

    async def on_row(
        self,
        request: web.Request,
        find: Callable[[Session], Task | Customer | None],
        work: Callable[[Session, Actor], T],
    ) -> T:
        """Run a change to a row as the user in the row's team (`?team=` optional, checked)."""
        if "team" in request.query:
            return await self.in_team(request, work, read_only=False)
        login = authenticate(request, self.backend)

        def run(session: Session) -> T:
            row = find(session)
            if row is None:
                raise ApiError(404, "not_found", "There is no such row.")
            return work(session, acting(session, login, team=session.get(Team, row.team_id)))

        return await self.unit(run, read_only=False)


async def _stage_body(request: web.Request) -> str:
    if (request.content_length or 0) > MAX_BODY:
        raise ApiError(400, "bad_body", "The body is too large.")
    try:
        body = json.loads(await request.read() or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_body", 'The body must be JSON: {"stage": NAME}.') from None
    stage = body.get("stage") if isinstance(body, dict) else None
    if not isinstance(stage, str) or not stage.strip() or len(stage) > MAX_TEXT:
        raise ApiError(400, "bad_body", 'The body must be JSON: {"stage": NAME}.')
    return stage.strip()


def add_api_routes(router: web.UrlDispatcher, backend: Backend) -> None:
    """Add the /api/ endpoints."""
    api = Api(backend)
    router.add_get("/api/me", guarded(api.me))
    router.add_get("/api/customers", guarded(api.customers))
    router.add_get("/api/board", guarded(api.board))
    router.add_get("/api/customers/{id}", guarded(api.customer))
    router.add_post("/api/customers/{id}/stage", guarded(api.customer_stage))
    router.add_get("/api/tasks", guarded(api.tasks))
    router.add_post("/api/tasks/{id}/done", guarded(api.task_done))
    router.add_get("/api/stats", guarded(api.stats))

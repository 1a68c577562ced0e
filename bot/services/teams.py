"""Teams (one per Telegram group), their members and roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from bot.i18n import normalize_lang
from bot.parsing import DateHabits
from bot.services import audit, updates
from bot.services.errors import CrmError, NotActivated, NotAPerson, NotManager
from bot.services.worktime import DEFAULT_END, DEFAULT_START, parse_clock
from models.queries import members as queries
from models.queries import partners as partner_queries
from models.queries import teams as team_queries
from models.queries.teams import Standing
from models.tables import Channel, ChannelKind, Member, Role, Team

MANAGING = (Role.MANAGER, Role.ADMIN)

DEFAULT_STAGES: tuple[str, ...] = (
    "lead",
    "contacted",
    "visited",
    "quoted",
    "contract",
    "shipped",
    "won",
    "lost",
)


@dataclass(frozen=True)
class TeamDefaults:
    """What a new team starts with (from Settings)."""

    timezone: str = "Asia/Shanghai"
    language: str = "en"
    currency: str = "CNY"


@dataclass(frozen=True)
class Anonymous:
    """A sender with no person behind it: the group's anonymous admin, or a channel."""

    chat_id: int  # the group itself (one of its admins, unnamed), or the channel
    admin: bool

    @property
    def label(self) -> str:
        """How the audit log names it."""
        return "anonymous admin" if self.admin else "channel"


class Actor:
    """The team and member an update acts as, or an anonymous admin or a channel (no member).

    Nobody can be named for an anonymous sender, so there is no Member for them: whatever
    needs one (an entry, a task, a claim) is refused as NotAPerson when it asks for `member`.
    The group's anonymous admin is a manager; a channel never is.

    In a company, the head office's managers (`standing.head_role`) are managers of every
    group of it: what they change in a group they do not manage themselves is in the audit
    log of the head office too (audit.by_actor).
    """

    def __init__(
        self,
        team: Team,
        member: Member | None = None,
        *,
        anonymous: Anonymous | None = None,
        standing: Standing | None = None,
    ) -> None:
        assert (member is None) != (anonymous is None), "a member, or an anonymous sender"
        self.team = team
        self.anonymous = anonymous
        self.standing = standing
        self._member = member

    @property
    def member(self) -> Member:
        """The member behind the update; an anonymous sender is refused (NotAPerson)."""
        self.require_person()
        assert self._member is not None
        return self._member

    @property
    def is_anonymous_admin(self) -> bool:
        return self.anonymous is not None and self.anonymous.admin

    @property
    def user_id(self) -> int:
        """Who the audit log names: the member's Telegram user, else the group or channel."""
        if self.anonymous is not None:
            return self.anonymous.chat_id
        return self.member.user_id

    @property
    def lang(self) -> str:
        return self.team.language

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.team.timezone)

    @property
    def due_time(self) -> time:
        """The team's default time of day for follow-ups, in its zone."""
        hour, minute = (int(x) for x in self.team.default_due_time.split(":"))
        return time(hour, minute)

    @property
    def date_habits(self) -> DateHabits:
        """How the team's dates read: its working day, and M/D or D/M for "3/4"."""
        team = self.team
        return DateHabits(
            workday_start=parse_clock(team.workday_start) or DEFAULT_START,
            workday_end=parse_clock(team.workday_end) or DEFAULT_END,
            day_first=team.date_order == "dm",
        )

    @property
    def is_manager(self) -> bool:
        if self.anonymous is not None:
            return self.anonymous.admin  # only a group's admins can write as the group
        return self.member.role in MANAGING or self.by_company

    @property
    def by_company(self) -> bool:
        """Whether the actor manages this group only as a manager of its company."""
        standing = self.standing
        return (
            self.anonymous is None
            and standing is not None
            and standing.head_team_id != self.team.id
            and standing.head_role in MANAGING
            and self.member.role not in MANAGING
        )

    @property
    def is_company_manager(self) -> bool:
        """Whether the actor manages the team's company (a manager of its head office)."""
        standing = self.standing
        if standing is None:
            return False
        if standing.head_team_id == self.team.id:
            return self.is_manager  # the head office's anonymous admin too
        return self.anonymous is None and standing.head_role in MANAGING

    @property
    def room_partner_id(self) -> int | None:
        """The head office's partner whose room the team is, if it is one."""
        standing = self.standing
        return standing.partner_id if standing is not None else None

    def require_active(self) -> None:
        if not self.team.active:
            raise NotActivated()

    def require_person(self) -> None:
        """Refuse an anonymous admin or a channel: what follows is logged as someone's."""
        if self.anonymous is not None:
            raise NotAPerson("error.not_a_person.admin" if self.anonymous.admin else None)

    def require_manager(self, refusal: str | None = None) -> None:
        """Refuse a rep; `refusal` names the message that says what they can use instead."""
        if self.anonymous is not None and not self.anonymous.admin:
            self.require_person()  # a channel is nobody's manager: say who may do it
        if not self.is_manager:
            raise NotManager(refusal)


def get_team(*, session: Session, chat_id: int) -> Team | None:
    """Return the team of a chat, if it has one."""
    return team_queries.team_by_chat(session=session, chat_id=chat_id)


def ensure_team(
    *, session: Session, chat_id: int, title: str, defaults: TeamDefaults, now: datetime
) -> Team:
    """Return the chat's team, creating an inactive one on first contact."""
    return _refresh_team(session, get_team(session=session, chat_id=chat_id), chat_id, title,
                         defaults, now)  # fmt: skip


def ensure_actor(
    *,
    session: Session,
    chat_id: int,
    title: str,
    user_id: int,
    username: str | None,
    full_name: str,
    defaults: TeamDefaults,
    now: datetime,
    anonymous: Anonymous | None = None,
    claim: updates.Claim | None = None,
) -> Actor:
    """Return the team and member behind a message, in one query; create them on first contact.

    Written `anonymous`ly (as the group or a channel), `from` is a placeholder: no member.
    With `claim`, the update is marked handled in that query (see updates.claim_update).
    """
    with updates.claiming(session, claim):
        team, member, standing = team_queries.team_and_member(
            session=session, chat_id=chat_id, user_id=user_id, claim=claim
        )
    team = _refresh_team(session, team, chat_id, title, defaults, now)
    if anonymous is not None:
        return Actor(team, anonymous=anonymous, standing=standing)
    member = _refresh_member(session, team, member, user_id, username, full_name, now)
    return Actor(team=team, member=member, standing=standing)


def ensure_member(
    *,
    session: Session,
    team: Team,
    user_id: int,
    username: str | None,
    full_name: str,
    now: datetime,
) -> Member:
    """Return the team's member for a Telegram user, creating or refreshing it."""
    member = queries.member_by_user(session=session, team_id=team.id, user_id=user_id)
    return _refresh_member(session, team, member, user_id, username, full_name, now)


def _refresh_team(
    session: Session,
    team: Team | None,
    chat_id: int,
    title: str,
    defaults: TeamDefaults,
    now: datetime,
) -> Team:
    if team is None:
        team = Team(
            chat_id=chat_id,
            title=title,
            timezone=defaults.timezone,
            language=defaults.language,
            currency=defaults.currency,
            created_at=now,
            stages=[{"key": key, "name": None} for key in DEFAULT_STAGES],
        )
        session.add(team)
        session.flush()
    elif title and team.title != title:
        team.title = title
    return team


def _refresh_member(
    session: Session,
    team: Team,
    member: Member | None,
    user_id: int,
    username: str | None,
    full_name: str,
    now: datetime,
) -> Member:
    if member is None:
        member = Member(
            team_id=team.id, user_id=user_id, username=username, full_name=full_name, joined_at=now
        )
        session.add(member)
        session.flush()
    else:
        if username != member.username:
            member.username = username
        if full_name and full_name != member.full_name:
            member.full_name = full_name
    return member


def follow_upgrade(
    *, session: Session, old_chat_id: int, new_chat_id: int, now: datetime
) -> Team | None:
    """Move a basic group's team to the supergroup Telegram upgraded it to; return the team there.

    Idempotent: both service messages and a send refused with ChatMigrated may each call it,
    from any process. The old team's row is locked first, so of two transactions the second
    finds it moved and does nothing. If the new chat already has a team of its own (someone
    wrote there before the upgrade was seen), the one with data keeps the chat and the other,
    having nothing logged, is absorbed (deleted; its members not in the survivor move over).
    Should both hold data, nothing is merged: the old team stays on the old chat id with the bot
    marked absent (its jobs stop, its data stays) and the new chat's team goes on.
    Entries and reminders keep the old chat id: they name messages of the old chat, whose ids
    mean other messages in the new one.
    """
    old = team_queries.team_by_chat(session=session, chat_id=old_chat_id, lock=True)
    new = team_queries.team_by_chat(session=session, chat_id=new_chat_id, lock=True)
    if old is None:
        return new
    detail = {"from_chat": old_chat_id, "to_chat": new_chat_id}
    if new is not None:
        old_has = team_queries.holds_data(session=session, team_id=old.id)
        new_has = team_queries.holds_data(session=session, team_id=new.id)
        if old_has and new_has:
            old.bot_present = False
            for team in (old, new):
                _record(session, team, "upgrade", now, **detail, kept_apart=old.id)
            return new
        survivor, gone = (new, old) if new_has else (old, new)
        survivor.active = survivor.active or gone.active
        team_queries.absorb_team(session=session, survivor=survivor, gone=gone)
        detail["absorbed_team"] = gone.id
        if survivor is new:
            _record(session, new, "upgrade", now, **detail)
            return new
        session.flush()  # the absorbed team's row is gone before the survivor takes its chat
    old.chat_id = new_chat_id
    old.bot_present = True
    _record(session, old, "upgrade", now, **detail)
    session.flush()
    return old


def _record(
    session: Session,
    team: Team,
    action: str,
    now: datetime,
    by: int | None = None,
    **detail: object,
) -> None:
    """Audit something that happened to the team itself (by a Telegram user, or by Telegram)."""
    audit.record(
        session=session,
        team_id=team.id,
        actor_user_id=by,
        action=action,
        entity="team",
        entity_id=team.id,
        now=now,
        **detail,
    )


def bot_removed(*, session: Session, chat_id: int, by_user_id: int, now: datetime) -> Team | None:
    """Mark the bot gone from a chat's team: its jobs stop, nothing is deleted."""
    team = get_team(session=session, chat_id=chat_id)
    if team is None or not team.bot_present:
        return team
    team.bot_present = False
    _record(session, team, "bot_removed", now, by=by_user_id)
    return team


def bot_added(
    *,
    session: Session,
    chat_id: int,
    title: str,
    by_user_id: int,
    defaults: TeamDefaults,
    now: datetime,
) -> tuple[Team, bool]:
    """Return the chat's team now that the bot is in it, and whether it came back to it."""
    team = ensure_team(session=session, chat_id=chat_id, title=title, defaults=defaults, now=now)
    returned = not team.bot_present
    if returned:
        team.bot_present = True
        _record(session, team, "bot_added", now, by=by_user_id)
    return team, returned


def activate(*, session: Session, actor: Actor, admin_user_ids: list[int], now: datetime) -> bool:
    """Activate the team; make the chat's admins managers; return False if it already was.

    `actor` is a chat admin, or the group's anonymous admin (the audit log names the group).
    """
    team = actor.team
    for member in queries.members_of_team(session=session, team_id=team.id):
        if member.user_id in admin_user_ids and member.role == Role.REP:
            member.role = Role.MANAGER
    if actor.anonymous is None and actor.member.role == Role.REP:
        actor.member.role = Role.MANAGER
    if team.active:
        return False
    team.active = True
    team.activated_at = now
    team.activated_by = actor.user_id
    _ensure_default_channels(session=session, team=team)
    audit.by_actor(
        actor, session=session, action="activate", entity="team", entity_id=team.id, now=now
    )
    return True


def _ensure_default_channels(*, session: Session, team: Team) -> None:
    # No name of their own: a default channel reads as its kind in the team's language of the
    # moment (bot.i18n.channel_name), so /lang changes it too.
    existing = partner_queries.channel_kinds(session=session, team_id=team.id)
    for kind in ChannelKind:
        if kind.value not in existing:
            session.add(Channel(team_id=team.id, kind=kind.value, name=None))


def adopt_language(*, session: Session, team: Team, language_code: str | None) -> None:
    """Speak the language of the admin who brings the bot in (zh-hans, zh-TW … → zh).

    Only until the team is active or has chosen one with /lang, so the welcome and the /setup
    reply are already in the team's language and a later admin's phone does not switch it.
    """
    if team.active or team_queries.language_chosen(session=session, team_id=team.id):
        return
    team.language = normalize_lang(language_code, team.language)


def set_language(*, session: Session, actor: Actor, language: str, now: datetime) -> None:
    """Switch the team's language."""
    actor.require_manager("error.not_manager.lang")
    if language not in ("en", "zh"):
        raise CrmError("usage.lang")
    _change(session=session, actor=actor, field="language", value=language, now=now)


def set_timezone(*, session: Session, actor: Actor, name: str, now: datetime) -> str:
    """Switch the team's time zone; return its canonical name."""
    actor.require_manager("error.not_manager.tz")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CrmError("error.bad_timezone", tz=name) from None
    _change(session=session, actor=actor, field="timezone", value=name, now=now)
    return name


def _change(*, session: Session, actor: Actor, field: str, value: object, now: datetime) -> None:
    old = getattr(actor.team, field)
    setattr(actor.team, field, value)
    audit.by_actor(
        actor,
        session=session,
        action="setting",
        entity="team",
        entity_id=actor.team.id,
        now=now,
        field=field,
        old=old,
        new=value,
    )


def find_member(*, session: Session, team: Team, username: str) -> Member:
    """Return the team member with that @username, or raise NotFound-style CrmError."""
    name = username.lstrip("@")
    member = queries.member_by_username(session=session, team_id=team.id, username=name)
    if member is None:
        raise CrmError("error.unknown_member", username=name)
    return member


def set_role(*, session: Session, actor: Actor, username: str, role: str, now: datetime) -> Member:
    """Give a member the manager or rep role."""
    actor.require_manager("error.not_manager.role")
    if role not in (Role.MANAGER, Role.REP):
        raise CrmError("usage.role")
    member = find_member(session=session, team=actor.team, username=username)
    old = member.role
    member.role = role
    audit.by_actor(
        actor,
        session=session,
        action="role",
        entity="member",
        entity_id=member.id,
        now=now,
        old=old,
        new=role,
    )
    return member


def team_members(*, session: Session, team: Team) -> list[Member]:
    """Return the team's members."""
    return queries.members_of_team(session=session, team_id=team.id)


def mark_private_chat(*, session: Session, user_id: int) -> int:
    """Remember that a user started the bot privately; return in how many teams."""
    members = queries.memberships_of_user(session=session, user_id=user_id)
    for member in members:
        member.private_chat = True
    return len(members)


def promote_chat_admin(*, session: Session, actor: Actor, now: datetime) -> None:
    """Make a chat admin a manager (roles follow the chat's admins); audited."""
    if actor.is_manager:
        return
    old = actor.member.role
    actor.member.role = Role.MANAGER
    audit.by_actor(
        actor,
        session=session,
        action="role",
        entity="member",
        entity_id=actor.member.id,
        now=now,
        old=old,
        new=Role.MANAGER,
        reason="chat admin",
    )

"""Companies of several groups: create one, issue join codes, join, bind a partner room, leave.

A company is a head office (the group that created it) and the groups that joined it with a
code from there. Its managers are the head office's: its chat admins and its managers. Every
change that crosses groups is in the audit log of the group and of the head office. The
customers, tasks and settings of a group stay its own whether it is in a company or not.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.services import audit, customers, partners, teams
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor
from models.queries import companies as queries
from models.queries import members as member_queries
from models.tables import Company, CompanyGroup, GroupKind, JoinCode, Partner, Role, Team

# Upper-case letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 31**8, about 8.5e11 codes, for a code that lives a day and is used once
CODE_VALID = timedelta(hours=24)
MAX_NAME = 80


def new_code() -> str:
    """Return a fresh random join code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def read_code(text: str) -> str | None:
    """Return the join code a user typed (any case, spaces or dashes), or None if it is none."""
    code = "".join(unicodedata.normalize("NFKC", text).split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def hash_code(code: str) -> str:
    """Return how a join code is kept: its SHA-256, in hex."""
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedCode:
    company: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class GroupLine:
    """A group of a company as /org lists it."""

    title: str
    kind: str
    partner: str | None
    here: bool  # the group /org was asked in
    active: bool  # crmbot is active there (not removed from the group)


@dataclass(frozen=True)
class CompanyView:
    name: str
    groups: list[GroupLine]


@dataclass(frozen=True)
class Place:
    """Where a team stands in its company."""

    group: CompanyGroup
    company: Company
    head: Team

    @property
    def is_head_office(self) -> bool:
        return self.group.kind == GroupKind.HEAD_OFFICE


def place(*, session: Session, team: Team) -> Place | None:
    """Return the team's company and its place in it, if it is in one."""
    found = queries.place_of(session=session, team_id=team.id)
    if found is None:
        return None
    group, company = found
    if group.kind == GroupKind.HEAD_OFFICE:
        return Place(group, company, team)
    return Place(group, company, queries.head_office(session=session, company_id=company.id))


def head_office_chat(*, session: Session, chat_id: int) -> int | None:
    """Return the chat of the head office of a chat's company, if the chat is in one."""
    team = teams.get_team(session=session, chat_id=chat_id)
    found = place(session=session, team=team) if team is not None else None
    return found.head.chat_id if found is not None else None


def promote_head_admin(
    *,
    session: Session,
    chat_id: int,
    user_id: int,
    username: str | None,
    full_name: str,
    now: datetime,
) -> None:
    """Make a chat admin of a chat's head office a manager there, so of the whole company."""
    team = teams.get_team(session=session, chat_id=chat_id)
    found = place(session=session, team=team) if team is not None else None
    if found is None:
        return
    member = teams.ensure_member(
        session=session,
        team=found.head,
        user_id=user_id,
        username=username,
        full_name=full_name,
        now=now,
    )
    teams.promote_chat_admin(session=session, actor=Actor(found.head, member), now=now)


def create_company(
    *, session: Session, actor: Actor, name: str, chat_admin: bool, now: datetime
) -> IssuedCode:
    """Create a company with the actor's group as its head office; return its first join code."""
    actor.require_active()
    _require_chat_admin(chat_admin)
    name = " ".join(name.split())[:MAX_NAME]
    if not name:
        raise UsageError("usage.org")
    _require_no_company(session, actor.team)
    company = Company(name=name, created_at=now, created_by=actor.user_id)
    session.add(company)
    session.flush()
    _add_group(session, actor, company, GroupKind.HEAD_OFFICE, now)
    # The head office's admins are the company's managers; the one who created it is one.
    teams.promote_chat_admin(session=session, actor=actor, now=now)
    _record(session, actor, company, actor.team, "create", now)
    return _issue(session, actor, company, now)


def issue_code(*, session: Session, actor: Actor, head_admin: bool, now: datetime) -> IssuedCode:
    """Issue another join code of the actor's company, in its head office, by its manager."""
    actor.require_active()
    found = _require_place(session, actor.team)
    if not found.is_head_office:
        raise CrmError("org.error.code_not_head", head=found.head.title)
    _require_company_manager(actor, head_admin, "org.error.not_manager.code")
    return _issue(session, actor, found.company, now)


def join_company(
    *, session: Session, actor: Actor, code: str, chat_admin: bool, now: datetime
) -> str:
    """Join the actor's group to the company of a join code; return the company's name."""
    actor.require_active()
    _require_chat_admin(chat_admin)
    _require_no_company(session, actor.team)
    typed = read_code(code)
    row = queries.code_by_hash(session=session, code_hash=hash_code(typed)) if typed else None
    if row is None:
        raise CrmError("org.error.code_wrong")
    if row.used_at is not None:
        raise CrmError("org.error.code_used")
    if row.expires_at <= now:
        raise CrmError("org.error.code_expired")
    if not queries.use_code(session=session, code_id=row.id, team_id=actor.team.id, now=now):
        raise CrmError("org.error.code_used")  # another group took it a moment ago
    company = session.get_one(Company, row.company_id)
    _add_group(session, actor, company, GroupKind.TEAM, now)
    head = queries.head_office(session=session, company_id=company.id)
    _record(session, actor, company, head, "join", now)
    return company.name


def overview(*, session: Session, actor: Actor) -> CompanyView | None:
    """Return the actor's company and its groups, or None when the group is in none.

    A partner room sees itself and the head office only, not the other partners' rooms.
    """
    actor.require_active()
    found = place(session=session, team=actor.team)
    if found is None:
        return None
    room = found.group.kind == GroupKind.PARTNER_ROOM
    groups = [
        GroupLine(
            title=team.title,
            kind=group.kind,
            partner=partner.name if partner is not None else None,
            here=team.id == actor.team.id,
            active=team.active,
        )
        for group, team, partner in queries.groups_of(session=session, company_id=found.company.id)
        if not room or team.id in (actor.team.id, found.head.id)
    ]
    return CompanyView(name=found.company.name, groups=groups)


def bind_partner(
    *, session: Session, actor: Actor, name: str, head_admin: bool, now: datetime
) -> tuple[str, str]:
    """Make the actor's group the room of one of the head office's partners (company managers).

    The room's customers, those it has and those logged there from now on, are attributed to
    the partner (through the room's own copy of it, see partners.copy_partner). Return the
    company's and the partner's names.
    """
    actor.require_active()
    if not name.strip():
        raise UsageError("usage.org")
    found = _require_place(session, actor.team)
    _require_company_manager(actor, head_admin, "org.error.not_manager.partner")
    if found.is_head_office:
        raise CrmError("org.error.head_partner")
    near = partners.near_partners(session=session, team=found.head, name=name)
    if not near:
        raise CrmError("org.error.partner_unknown", name=name.strip())
    if len(near) > 1:
        listed = ", ".join(p.name for p in near)
        raise CrmError("org.error.partner_ambiguous", name=name.strip(), candidates=listed)
    partner = near[0]
    found.group.kind = GroupKind.PARTNER_ROOM
    found.group.partner_id = partner.id
    own = partners.copy_partner(session=session, actor=actor, bound=partner, now=now)
    session.flush()
    moved = customers.attribute_all(session=session, actor=actor, partner=own, now=now)
    _record(
        session, actor, found.company, found.head, "partner", now,
        partner=partner.name, customers=moved,
    )  # fmt: skip
    return found.company.name, partner.name


def unbind_partner(
    *, session: Session, actor: Actor, head_admin: bool, now: datetime
) -> tuple[str, str]:
    """Make a partner room an ordinary group of its company again (company managers).

    Its customers keep their attribution: they were the partner's when they were logged.
    Return the company's and the partner's names.
    """
    actor.require_active()
    found = _require_place(session, actor.team)
    _require_company_manager(actor, head_admin, "org.error.not_manager.partner")
    group = found.group
    if group.kind != GroupKind.PARTNER_ROOM:
        raise CrmError("org.error.not_room")
    bound = session.get(Partner, group.partner_id) if group.partner_id else None
    partner = bound.name if bound is not None else ""
    group.kind, group.partner_id = GroupKind.TEAM, None
    _record(session, actor, found.company, found.head, "partner_off", now, partner=partner)
    return found.company.name, partner


def leave_company(*, session: Session, actor: Actor, chat_admin: bool, now: datetime) -> str:
    """Take the actor's group out of its company; return the company's name.

    The head office leaves last, and the company ends with it.
    """
    actor.require_active()
    _require_chat_admin(chat_admin)
    found = _require_place(session, actor.team)
    if found.is_head_office:
        others = queries.group_count(session=session, company_id=found.company.id) - 1
        if others:
            raise CrmError("org.error.head_leaves", company=found.company.name, count=others)
    _record(session, actor, found.company, found.head, "leave", now)
    session.delete(found.group)
    if found.is_head_office:
        session.flush()  # the group's row first: the company's cascades to its rows
        session.delete(found.company)  # its join codes go with it
    return found.company.name


def _add_group(
    session: Session, actor: Actor, company: Company, kind: GroupKind, now: datetime
) -> None:
    session.add(
        CompanyGroup(
            team_id=actor.team.id,
            company_id=company.id,
            kind=kind,
            joined_at=now,
            joined_by=actor.user_id,
        )
    )


def _issue(session: Session, actor: Actor, company: Company, now: datetime) -> IssuedCode:
    code = new_code()
    while queries.code_exists(session=session, code_hash=hash_code(code)):
        code = new_code()
    session.add(
        JoinCode(
            company_id=company.id,
            code_hash=hash_code(code),
            issued_by=actor.user_id,
            issued_at=now,
            expires_at=now + CODE_VALID,
        )
    )
    audit.by_actor(
        actor, session=session, action="code", entity="company", entity_id=company.id, now=now
    )
    return IssuedCode(company=company.name, code=code, expires_at=now + CODE_VALID)


def _record(
    session: Session,
    actor: Actor,
    company: Company,
    head: Team,
    action: str,
    now: datetime,
    **detail: Any,
) -> None:
    """Audit a change to the actor's group's place, in its log and in the head office's."""
    if actor.anonymous is not None:  # named by the group it wrote as
        detail = {**detail, "by": actor.anonymous.label}
    for team_id in sorted({actor.team.id, head.id}):
        audit.record(
            session=session,
            team_id=team_id,
            actor_user_id=actor.user_id,
            action=action,
            entity="company",
            entity_id=company.id,
            now=now,
            company=company.name,
            group=actor.team.title,
            group_team_id=actor.team.id,
            **detail,
        )


def _require_chat_admin(chat_admin: bool) -> None:
    if not chat_admin:
        raise CrmError("org.error.not_chat_admin")


def _require_no_company(session: Session, team: Team) -> None:
    found = queries.place_of(session=session, team_id=team.id)
    if found is not None:
        raise CrmError("org.error.already_in", company=found[1].name)


def _require_place(session: Session, team: Team) -> Place:
    found = place(session=session, team=team)
    if found is None:
        raise CrmError("org.none")
    return found


def is_company_manager(*, session: Session, head: Team, user_id: int) -> bool:
    """Whether a Telegram user is a manager of the head office `head`, so of its company.

    The head office's chat admins are, once the head office has known them as such; a
    handler that asked Telegram says so to the services that take `head_admin`.
    """
    member = member_queries.member_by_user(session=session, team_id=head.id, user_id=user_id)
    return member is not None and member.role in (Role.MANAGER, Role.ADMIN)


def _require_company_manager(actor: Actor, head_admin: bool, refusal: str) -> None:
    """Refuse anyone but the head office's chat admins (`head_admin`) and managers."""
    if not head_admin and not actor.is_company_manager:
        raise CrmError(refusal)

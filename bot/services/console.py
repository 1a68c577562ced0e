"""The private console: the teams a user may work in from a private chat with the bot, and as whom.

Nothing is created from a private chat: a user acts in a team as the member they already are
there, or, in a group of a company whose head office they manage, as one of its managers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.services import companies
from bot.services.errors import CrmError
from bot.services.tasks import TaskScope, TaskView, list_tasks
from bot.services.teams import MANAGING, Actor
from models.queries import companies as company_queries
from models.queries import members as member_queries
from models.queries import teams as team_queries
from models.tables import Member, Team


@dataclass(frozen=True)
class Choice:
    """A team a console command can run for."""

    team_id: int
    title: str


@dataclass(frozen=True)
class Teams:
    """What a private command may run for: the fitting teams, and whether the user has any."""

    fitting: list[Choice]
    member: bool  # of some active team, fitting or not


def managed_teams(*, session: Session, user_id: int, head_offices: bool = False) -> Teams:
    """The teams a user manages: their own as a manager, and every group of a company they manage.

    With `head_offices`, only the head offices of the companies they manage (for /stats org).
    """
    own = member_queries.teams_of_user(session=session, user_id=user_id)
    fitting: dict[int, str] = {}
    for team, member in own:
        if member.role not in MANAGING:
            continue
        found = companies.place(session=session, team=team)
        if found is not None and found.is_head_office:
            groups = company_queries.groups_of(session=session, company_id=found.company.id)
            if head_offices:
                fitting[team.id] = team.title
            else:
                fitting.update((group.id, group.title) for _, group, _ in groups if group.active)
        elif not head_offices:
            fitting[team.id] = team.title
    choices = [Choice(team_id, title) for team_id, title in fitting.items()]
    return Teams(fitting=choices, member=bool(own))


@dataclass(frozen=True)
class Welcome:
    """What a user can do in a private chat: the teams they are in, and those they manage."""

    member_of: list[str]  # titles
    managed: list[str]


def welcome(*, session: Session, user_id: int) -> Welcome:
    """The teams a user's private chat with the bot works for."""
    own = member_queries.teams_of_user(session=session, user_id=user_id)
    managed = managed_teams(session=session, user_id=user_id).fitting
    return Welcome([team.title for team, _ in own], [choice.title for choice in managed])


def openable_teams(*, session: Session, user_id: int) -> list[tuple[Team, bool]]:
    """The teams a user can work in from outside their chats (the Mini App): their own, then
    the company groups they manage as a head office's manager; each with whether they manage it.
    """
    own = member_queries.teams_of_user(session=session, user_id=user_id)
    found = [(team, member.role in MANAGING) for team, member in own]
    mine = {team.id for team, _ in own}
    managed = managed_teams(session=session, user_id=user_id).fitting
    extra = [choice.team_id for choice in managed if choice.team_id not in mine]
    return found + [
        (team, True) for team in team_queries.teams_by_id(session=session, team_ids=extra)
    ]


def actor_in(
    *, session: Session, team_id: int, user_id: int, username: str | None, full_name: str
) -> Actor:
    """The actor a user is in a team, from a private chat; refuse anyone who is not of it.

    A manager of the team's company is a manager there (Actor.by_company). Without a member
    row of their own in that group they act as one that is never added to the session: nothing
    is created from a private chat.
    """
    team = session.get(Team, team_id)
    if team is None:
        raise CrmError("console.not_member")
    _, member, standing = team_queries.team_and_member(
        session=session, chat_id=team.chat_id, user_id=user_id
    )
    if member is None:
        if standing is None or standing.head_role not in MANAGING:
            raise CrmError("console.not_member")
        member = Member(team_id=team.id, user_id=user_id, username=username, full_name=full_name)
    return Actor(team, member, standing=standing)


def own_tasks(
    *, session: Session, user_id: int, now: datetime
) -> list[tuple[Actor, list[TaskView]]]:
    """A user's own open tasks in each of their teams that has some, as its member there."""
    found = []
    for team, member in member_queries.teams_of_user(session=session, user_id=user_id):
        actor = Actor(team, member)
        mine = list_tasks(session=session, actor=actor, now=now, scope=TaskScope.MINE)
        if mine:
            found.append((actor, mine))
    return found

"""The customer list: a team's customers, searched by name and filtered, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.parsing import dedupe
from bot.parsing.ids import parse_digits
from bot.parsing.names import search_names
from bot.services import customers, names, partners, pipeline, teams
from bot.services.errors import CrmError
from bot.services.teams import Actor
from models.queries import customers as queries
from models.queries import members as member_queries
from models.queries.customers import CustomerFilter, ListedCustomer
from models.tables import Customer, Deal


@dataclass(frozen=True)
class Browse:
    """What a list asks for: a name search and filters by stage, owner, channel, partner."""

    text: str = ""
    stage: str | None = None  # a stage key
    owner: str | None = None  # @username, username, or Telegram user id
    channel: str | None = None
    partner: str | None = None


@dataclass(frozen=True)
class CustomerPage:
    """One page of a list, the newest open deal of each, and how many the list has in all."""

    rows: list[ListedCustomer]
    deals: dict[int, Deal]
    total: int
    next_offset: int | None


def browse(
    *, session: Session, actor: Actor, request: Browse, limit: int, offset: int
) -> CustomerPage:
    """Return a page of the actor's team's customers, latest activity first."""
    actor.require_active()
    only = _filter(session, actor, request)
    if only.ids is not None and not only.ids:
        return CustomerPage([], {}, 0, None)
    team_id = actor.team.id
    if only.ids is not None:
        rows, total = queries.found_page(
            session=session, team_id=team_id, only=only, limit=limit, offset=offset
        )
    else:
        rows = queries.customer_page(
            session=session, team_id=team_id, only=only, limit=limit, offset=offset
        )
        total = queries.customer_count(session=session, team_id=team_id, only=only)
    deals = queries.open_amounts(session=session, customer_ids=[r.customer.id for r in rows])
    more = offset + len(rows) < total and len(rows) == limit
    return CustomerPage(rows, deals, total, offset + limit if more else None)


@dataclass(frozen=True)
class BoardStage:
    """A stage of the pipeline board: its key, how many customers it has, the first of them."""

    key: str
    total: int
    rows: list[ListedCustomer]


@dataclass(frozen=True)
class Board:
    """The pipeline board: every stage of the team in order, and the newest open deal of each
    customer on it."""

    stages: list[BoardStage]
    deals: dict[int, Deal]


def board(*, session: Session, actor: Actor, limit: int) -> Board:
    """Return each of the team's stages with its count and first `limit` customers."""
    actor.require_active()
    team_id, keys = actor.team.id, pipeline.stage_keys(actor.team)
    heads = queries.stage_heads(session=session, team_id=team_id, stages=keys, limit=limit)
    totals = queries.stage_counts(session=session, team_id=team_id)
    by_stage: dict[str, list[ListedCustomer]] = {key: [] for key in keys}
    for row in heads:
        by_stage[row.customer.stage].append(row)
    deals = queries.open_amounts(session=session, customer_ids=[r.customer.id for r in heads])
    stages = [BoardStage(key, totals.get(key, 0), by_stage[key]) for key in keys]
    return Board(stages, deals)


def search_ids(*, session: Session, team_id: int, text: str) -> list[int]:
    """Return the team's customers a search finds, best first, from the team's name book.

    The book (bot.services.names) is the one the parser finds customers in, kept in the
    process and caught up by one indexed query; names are compared by the dedupe key.
    """
    book = names.team_names(session=session, team_id=team_id)
    found = search_names(text, book.index, limit=len(book.index), cutoff=dedupe.ASK_SCORE)
    ids = (book.id_of(name) for name in found)
    return [customer_id for customer_id in ids if customer_id is not None]


def _filter(session: Session, actor: Actor, request: Browse) -> CustomerFilter:
    team = actor.team
    stage = request.stage
    if stage is not None and stage not in pipeline.stage_keys(team):
        raise CrmError("web.unknown_stage", stage=stage)
    owner_id = None
    if request.owner:
        owner_id = _owner(session, actor, request.owner)
    channel_id = None
    if request.channel:
        channel = partners.find_channel(session=session, team=team, text=request.channel)
        if channel is None:
            raise CrmError("channel.unknown", name=request.channel)
        channel_id = channel.id
    partner_id = None
    if request.partner:
        partner = partners.find_partner(session=session, team=team, name=request.partner)
        if partner is None:
            raise CrmError("partner.unknown", name=request.partner)
        partner_id = partner.id
    ids = search_ids(session=session, team_id=team.id, text=request.text) if request.text else None
    return CustomerFilter(ids, stage, owner_id, channel_id, partner_id)


def _owner(session: Session, actor: Actor, text: str) -> int:
    """The member id of an owner named by @username or by Telegram user id."""
    user_id = parse_digits(text)
    if user_id is None:
        return teams.find_member(session=session, team=actor.team, username=text).id
    member = member_queries.member_by_user(session=session, team_id=actor.team.id, user_id=user_id)
    if member is None:
        raise CrmError("error.unknown_member", username=text)
    return member.id


def listed(*, session: Session, customer: Customer) -> tuple[ListedCustomer, Deal | None]:
    """A customer as a list shows it, with its newest open deal."""
    channel, partner = customers.attribution(session=session, customer=customer)
    owner = customers.owner_of(session=session, customer=customer)
    deal = queries.open_deal(session=session, customer_id=customer.id)
    return ListedCustomer(customer, owner, channel, partner), deal

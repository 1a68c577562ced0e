"""Logging a rep's message: a lead, visit, follow-up, win, loss or note — one Entry each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from bot.parsing import Doubt, DoubtKind, Intent, ParsedEntry, normalize_name
from bot.services import audit, customers, names, partners, pipeline, reversal
from bot.services.errors import CrmError, UsageError
from bot.services.teams import Actor, find_member
from models.queries import customers as customer_queries
from models.queries import entries as queries
from models.tables import (
    Activity,
    Channel,
    Contact,
    Customer,
    Deal,
    DealStatus,
    Entry,
    Member,
    Partner,
    Task,
)

# The stage an entry moves its customer forward to (never back, see pipeline.advance).
_ADVANCES = {Intent.VISIT: "visited", Intent.CALL: "contacted"}


@dataclass
class LoggedEntry:
    """What one logged message created or touched, for the confirmation card."""

    entry: Entry
    customer: Customer
    customer_created: bool
    owner: Member | None
    conflict: bool = False  # 撞单: someone else owns this customer
    # 撞单 across groups: the company's customer registered to someone in another group
    elsewhere: customers.Registered | None = None
    task: Task | None = None
    deal: Deal | None = None
    channel: Channel | None = None
    partner: Partner | None = None
    doubts: tuple[Doubt, ...] = ()  # what the parser was unsure of, said on the card
    cancelled_tasks: int = 0  # the customer's open follow-ups a loss cancelled

    @property
    def proposal(self) -> bool:
        """Tell whether the entry proposes an amount or a close the owner's deal did not take."""
        return self.entry.proposed_amount is not None or self.entry.proposed_stage is not None


@dataclass
class NeedsChoice:
    """The customer name is close to existing customers: the rep must pick one or a new one."""

    name: str
    candidates: list[customers.Candidate]


@dataclass(frozen=True)
class Source:
    """Where the logged message lives in Telegram."""

    chat_id: int
    message_id: int
    text: str


def log_entry(
    *,
    session: Session,
    actor: Actor,
    parsed: ParsedEntry,
    source: Source,
    now: datetime,
    customer_id: int | None = None,
    force_new: bool = False,
) -> LoggedEntry | NeedsChoice:
    """Record a parsed message: customer (deduplicated), activity, task, deal, ownership."""
    actor.require_active()
    intent = parsed.intent or Intent.NOTE
    if not parsed.customer and customer_id is None:
        raise UsageError(f"usage.{intent.value}")
    created = False
    open_deal: Deal | None = None
    elsewhere: customers.Registered | None = None
    picked = (
        customers.find_by_id(session=session, team=actor.team, customer_id=customer_id)
        if customer_id is not None
        else None
    )
    if picked is not None:
        customer = picked
        open_deal = customer_queries.open_deal(session=session, customer_id=customer.id)
        _remember_alias(session, actor, parsed.customer, customer, now)
    else:
        name = parsed.customer
        if customer_id is not None:
            # Another group's customer, picked as the same company customer: logged here
            # under its exact name, with the 撞单 warning if someone there owns it.
            elsewhere = customers.company_customer(
                session=session, actor=actor, customer_id=customer_id
            )
            name, force_new = elsewhere.customer.name, True
        assert name is not None
        # `hit` stays referenced to the end: the card then reads its channel, partner and
        # owner from the session instead of three more queries.
        hit = customers.find_exact_with_open_deal(session=session, team=actor.team, name=name)
        found, open_deal = (hit.customer, hit.open_deal) if hit is not None else (None, None)
        # A name this team does not have is looked up in its company's other groups, if any.
        in_company = hit is not None and hit.company_id is not None
        if found is None and not force_new:
            candidates = customers.similar(session=session, team=actor.team, name=name)
            sure = customers.sure_candidate(candidates)
            if sure is None and candidates:  # near names: the one a rep picked for it before
                found = customers.aliased(session=session, team=actor.team, name=name)
            elif sure is not None:
                found = customers.get_customer(
                    session=session, team=actor.team, customer_id=sure.customer_id
                )
            if found is not None:
                open_deal = customer_queries.open_deal(session=session, customer_id=found.id)
            elif in_company:
                looked = _company_register(session, actor, name, candidates)
                if isinstance(looked, NeedsChoice):
                    return looked
                elsewhere = looked
            elif candidates:
                return NeedsChoice(name, candidates)
        elif found is None and elsewhere is None and in_company:
            register = customers.company_register(session=session, actor=actor)
            elsewhere = customers.registered_elsewhere(
                session=session, register=register, name=name
            )
        if found is None:
            found = customers.create(session=session, actor=actor, name=name, now=now)
            created = True
        customer = found

    entry = queries.add_entry(
        session=session,
        team_id=actor.team.id,
        member_id=actor.member.id,
        chat_id=source.chat_id,
        message_id=source.message_id,
        intent=intent.value,
        text=source.text[:4096],
        customer_id=customer.id,
        created_customer=created,
        created_at=now,
    )
    result = LoggedEntry(
        entry=entry,
        customer=customer,
        customer_created=created,
        owner=None,
        conflict=customer.owner_id not in (None, actor.member.id),
        doubts=parsed.doubts,
    )
    _apply(
        session=session,
        actor=actor,
        parsed=parsed,
        intent=intent,
        result=result,
        open_deal=open_deal,
        now=now,
    )
    result.owner = customers.owner_of(session=session, customer=customer)
    if result.conflict:
        audit.by_actor(
            actor,
            session=session,
            action="conflict",
            entity="customer",
            entity_id=customer.id,
            now=now,
            owner=customer.owner_id,
        )
    owner_elsewhere = elsewhere.owner if elsewhere is not None else None
    if owner_elsewhere is not None and owner_elsewhere.user_id != actor.member.user_id:
        # 撞单 across groups: the group that registered it first keeps it; this entry stays
        # this group's own, and the conflict is on record for the managers to settle.
        result.elsewhere = elsewhere
        audit.by_actor(
            actor,
            session=session,
            action="conflict_company",
            entity="customer",
            entity_id=customer.id,
            now=now,
            owner=owner_elsewhere.user_id,
            team=elsewhere.customer.team_id if elsewhere else None,
            customer=elsewhere.customer.id if elsewhere else None,
        )
    return result


def news_of_known(*, session: Session, actor: Actor, parsed: ParsedEntry) -> ParsedEntry:
    """A message to the bot with nothing to log, about a customer the team has: a note on it.

    "@bot Acme's CFO asked for a discount". A name the team does not have is not filed unasked.
    """
    name = parsed.customer
    if parsed.intent is not None or not name or not actor.team.active:
        return parsed
    if customers.find_exact(session=session, team=actor.team, name=name) is None:
        return parsed
    return replace(parsed, intent=Intent.NOTE)


def _company_register(
    session: Session, actor: Actor, name: str, candidates: list[customers.Candidate]
) -> customers.Registered | NeedsChoice | None:
    """Look a name the team does not have up in the other groups of its company, if any.

    An owned customer of that exact name there is the company's: it is logged here with the
    撞单 warning, unless the team has near names of its own (`candidates`): then the question
    offers them and the near names there, each labelled with its group.
    """
    register = customers.company_register(session=session, actor=actor)
    registered = customers.registered_elsewhere(session=session, register=register, name=name)
    if registered is not None and not candidates:
        return registered
    near = candidates + customers.similar_elsewhere(session=session, register=register, name=name)
    return NeedsChoice(name, near) if near else registered


def _apply(
    *,
    session: Session,
    actor: Actor,
    parsed: ParsedEntry,
    intent: Intent,
    result: LoggedEntry,
    open_deal: Deal | None,
    now: datetime,
) -> None:
    team, customer, entry = actor.team, result.customer, result.entry
    customer.last_activity_at = now
    if result.conflict:
        # 撞单: the owner's record stays as it is; what this rep says is kept as a proposal.
        result.channel, result.partner = customers.attribution(session=session, customer=customer)
    else:
        result.channel, result.partner = _attribute(
            session=session, actor=actor, parsed=parsed, customer=customer, now=now
        )
    if parsed.contact or parsed.phone:
        _note_contact(session, customer, parsed.contact, parsed.phone, now)
    restores: dict[str, Any] | None = None
    if result.conflict:
        _propose(actor=actor, parsed=parsed, intent=intent, entry=entry)
        result.deal = open_deal
    else:
        was = reversal.before(customer, open_deal)
        if intent in _ADVANCES:
            pipeline.advance(team=team, customer=customer, stage=_ADVANCES[intent])
        result.deal = _deal(
            session=session,
            actor=actor,
            parsed=parsed,
            intent=intent,
            customer=customer,
            entry=entry,
            open_deal=open_deal,
            now=now,
        )
        # A lost customer is followed up no more: its open tasks are cancelled (undo reopens
        # them); a task the message itself asks for is added below and stays.
        cancelled = (
            reversal.cancel_open_tasks(session=session, customer_id=customer.id, now=now)
            if intent is Intent.LOST
            else []
        )
        result.cancelled_tasks = len(cancelled)
        restores = reversal.changes(was, customer, open_deal, cancelled)
    # Added once what it changed is known: it keeps that for undo, in its own INSERT.
    session.add(
        Activity(
            team_id=team.id,
            customer_id=customer.id,
            member_id=actor.member.id,
            entry_id=entry.id,
            kind=intent.value,
            text=(parsed.note or "")[:2000],
            amount=parsed.amount,
            occurred_at=now,
            restores=restores,
        )
    )
    due = parsed.due
    unreadable = any(d.kind is DoubtKind.DATE_UNREADABLE for d in parsed.doubts)
    if due is None and (intent is Intent.FOLLOWUP or unreadable):
        # A date the rep wrote but that does not exist still asks for a task: it gets the
        # default due, and the card asks for the real one (its 🗓 button needs the task).
        due = default_due(actor=actor, now=now)
    if due is not None:
        owner = actor.member
        if parsed.assignee:
            owner = find_member(session=session, team=team, username=parsed.assignee)
        title = parsed.note or customer.name
        result.task = Task(
            team_id=team.id,
            customer_id=customer.id,
            owner_id=owner.id,
            created_by=actor.member.id,
            entry_id=entry.id,
            title=title[:500],
            due_at=due,
            created_at=now,
        )
        session.add(result.task)
    session.flush()


def default_due(*, actor: Actor, now: datetime) -> datetime:
    """Return tomorrow at the team's default reminder time, in the team's zone."""
    tz = actor.tz
    local = now.astimezone(tz) + timedelta(days=1)
    return datetime.combine(local.date(), actor.due_time, tzinfo=tz)


def _deal(
    *,
    session: Session,
    actor: Actor,
    parsed: ParsedEntry,
    intent: Intent,
    customer: Customer,
    entry: Entry,
    open_deal: Deal | None,
    now: datetime,
) -> Deal | None:
    team = actor.team
    currency = parsed.currency or team.currency
    if intent is Intent.WON:
        deal = open_deal or _closing_deal(session, actor, customer, entry, currency, parsed, now)
        deal.status, deal.stage, deal.closed_at = DealStatus.WON, "won", now
        if parsed.amount is not None:
            deal.amount, deal.currency = parsed.amount, currency
        customer.stage = "won"
    elif intent is Intent.LOST:
        deal = open_deal or _closing_deal(session, actor, customer, entry, currency, parsed, now)
        deal.status, deal.stage, deal.closed_at = DealStatus.LOST, "lost", now
        deal.lost_reason = customer.lost_reason = (parsed.note or "")[:500] or None
        customer.stage = "lost"
    elif parsed.amount is not None:
        deal = open_deal or _new_deal(actor, customer, entry, currency, parsed.amount, now)
        deal.amount, deal.currency = parsed.amount, currency
    else:
        return open_deal
    deal.stage = customer.stage if deal.status == DealStatus.OPEN else deal.stage
    session.add(deal)
    return deal


def _propose(*, actor: Actor, parsed: ParsedEntry, intent: Intent, entry: Entry) -> None:
    """Keep on the entry the amount and the close a non-owner wrote; nothing else changes."""
    if parsed.amount is not None:
        entry.proposed_amount = parsed.amount
        entry.proposed_currency = parsed.currency or actor.team.currency
    if intent in (Intent.WON, Intent.LOST):
        entry.proposed_stage = intent.value


def _closing_deal(
    session: Session,
    actor: Actor,
    customer: Customer,
    entry: Entry,
    currency: str,
    parsed: ParsedEntry,
    now: datetime,
) -> Deal:
    """The deal a /won or /lost closes when none is open (a /lead without an amount opens none).

    A customer's first deal opened at its first lead, so days to close count from there; a
    later one opens as it closes.
    """
    opened = now
    if customer.created_at < now and not customer_queries.has_deal(
        session=session, customer_id=customer.id
    ):
        opened = customer.created_at
    return _new_deal(actor, customer, entry, currency, parsed.amount, opened)


def _new_deal(
    actor: Actor,
    customer: Customer,
    entry: Entry,
    currency: str,
    amount: Decimal | None,
    now: datetime,
) -> Deal:
    return Deal(
        team_id=actor.team.id,
        customer_id=customer.id,
        owner_id=customer.owner_id or actor.member.id,
        entry_id=entry.id,
        stage=customer.stage,
        amount=amount,
        currency=currency,
        created_at=now,
    )


def _attribute(
    *, session: Session, actor: Actor, parsed: ParsedEntry, customer: Customer, now: datetime
) -> tuple[Channel | None, Partner | None]:
    """Attribute the customer to the channel and partner named in the text, else keep theirs.

    In a partner room everything logged is its partner's (and that partner's channel).
    """
    team = actor.team
    partner = partners.room_partner(session=session, actor=actor, now=now)
    channel = (
        session.get(Channel, partner.channel_id)
        if partner is not None and partner.channel_id
        else partners.channel_by_kind(session=session, team=team, kind=parsed.channel)
    )
    if parsed.partner and partner is None:
        partner = partners.ensure_partner(
            session=session, actor=actor, name=parsed.partner, channel=channel, now=now
        )
        if channel is None and partner.channel_id:
            channel = session.get(Channel, partner.channel_id)
    if channel is not None:
        customer.channel_id = channel.id
    if partner is not None:
        customer.partner_id = partner.id
    return customers.attribution(session=session, customer=customer)


def undo_last(*, session: Session, actor: Actor, now: datetime) -> Entry:
    """Take back the actor's last live entry and return it."""
    actor.require_active()
    entry = queries.last_live_entry(
        session=session, team_id=actor.team.id, member_id=actor.member.id
    )
    if entry is None:
        raise CrmError("error.nothing_to_undo")
    undo_entry(session=session, actor=actor, entry=entry, now=now)
    return entry


def undo_entry(*, session: Session, actor: Actor, entry: Entry, now: datetime) -> None:
    """Take back one entry (its author or a manager): its rows go, the audit log stays."""
    actor.require_active()
    _retire(
        session=session, actor=actor, entry=entry, now=now, action="undo", text=entry.text[:200]
    )


def _retire(
    *, session: Session, actor: Actor, entry: Entry, now: datetime, action: str, **detail: Any
) -> None:
    require_author(actor, entry)
    reversal.restore(session=session, entry=entry)
    remove_entry_rows(session=session, entry=entry)
    entry.undone_at = now
    audit.by_actor(
        actor,
        session=session,
        action=action,
        entity="entry",
        entity_id=entry.id,
        now=now,
        **detail,
    )


def remove_entry_rows(*, session: Session, entry: Entry) -> None:
    """Delete what an entry created, and its customer if it created it and nothing else uses it."""
    for row in queries.created_rows(session=session, entry_id=entry.id):
        session.delete(row)
    session.flush()
    customer_id = entry.customer_id
    if entry.created_customer and customer_id:
        if not customer_queries.has_activity(session=session, customer_id=customer_id):
            customer = session.get(Customer, customer_id)
            if customer is not None:
                for contact in customer_queries.contacts_of(
                    session=session, customer_id=customer_id
                ):
                    session.delete(contact)
                for other in queries.entries_of_customer(session=session, customer_id=customer_id):
                    other.customer_id = None
                session.flush()
                session.delete(customer)
                names.forget(session=session, team_id=customer.team_id, customer_id=customer_id)
    session.flush()


def entry_for_message(
    *, session: Session, actor: Actor, chat_id: int, message_id: int
) -> Entry | None:
    """Return the live entry logged from a given chat message."""
    return queries.live_entry_for_message(
        session=session, team_id=actor.team.id, chat_id=chat_id, message_id=message_id
    )


def get_entry(*, session: Session, actor: Actor, entry_id: int) -> Entry:
    """Return one of the team's live entries."""
    entry = session.get(Entry, entry_id)
    if entry is None or entry.team_id != actor.team.id or entry.undone_at is not None:
        raise CrmError("error.entry_gone")
    return entry


def require_author(actor: Actor, entry: Entry) -> None:
    """Only the rep who logged an entry (or a manager) may change it."""
    if entry.member_id != actor.member.id and not actor.is_manager:
        raise CrmError("error.not_your_entry")


def reload(*, session: Session, actor: Actor, entry: Entry) -> LoggedEntry:
    """Rebuild what an entry created from the database, for re-rendering its card."""
    customer = customers.get_customer(
        session=session, team=actor.team, customer_id=entry.customer_id or 0
    )
    task = queries.task_of(session=session, entry_id=entry.id)
    deal = queries.deal_of(session=session, entry_id=entry.id) or customer_queries.open_deal(
        session=session, customer_id=customer.id
    )
    owner = customers.owner_of(session=session, customer=customer)
    author = session.get(Member, entry.member_id)
    channel, partner = customers.attribution(session=session, customer=customer)
    return LoggedEntry(
        entry=entry,
        customer=customer,
        customer_created=entry.created_customer,
        owner=owner,
        conflict=owner is not None and author is not None and owner.id != author.id,
        task=task,
        deal=deal,
        channel=channel,
        partner=partner,
        cancelled_tasks=reversal.cancelled_count(session=session, entry_id=entry.id),
    )


def change_due(
    *, session: Session, actor: Actor, entry_id: int, days: int, now: datetime
) -> LoggedEntry:
    """Move the entry's task to `days` from today at the team's default time."""
    entry = get_entry(session=session, actor=actor, entry_id=entry_id)
    require_author(actor, entry)
    task = queries.task_of(session=session, entry_id=entry.id)
    if task is None:
        raise CrmError("error.entry_gone")
    old = task.due_at
    task.due_at = default_due(actor=actor, now=now) + timedelta(days=days - 1)
    audit.by_actor(
        actor,
        session=session,
        action="due",
        entity="task",
        entity_id=task.id,
        now=now,
        old=old,
        new=task.due_at,
    )
    return reload(session=session, actor=actor, entry=entry)


def remember_card(session: Session, entry_id: int, message_id: int) -> None:
    """Note which bot message is the entry's card, so later changes edit it."""
    queries.set_card_message(session=session, entry_id=entry_id, message_id=message_id)


def replace_entry(*, session: Session, actor: Actor, entry: Entry, now: datetime) -> None:
    """Retire an entry whose message was edited or re-assigned; a new one takes its place."""
    _retire(session=session, actor=actor, entry=entry, now=now, action="replace")


def _note_contact(
    session: Session, customer: Customer, name: str | None, phone: str | None, now: datetime
) -> None:
    """Add a contact the message names, unless the customer has it: same phone, or same name.

    A known name with a phone it did not have gets the phone ("王总" first, "王总 139…" later).
    """
    known = customer_queries.contacts_of(session=session, customer_id=customer.id)
    if phone is not None and any(contact.phone == phone for contact in known):
        return
    key = (name or "").casefold()
    same = [contact for contact in known if key and (contact.name or "").casefold() == key]
    if same and phone is None:
        return
    bare = next((contact for contact in same if contact.phone is None), None)
    if bare is not None:
        bare.phone = phone
        return
    session.add(
        Contact(
            team_id=customer.team_id,
            customer_id=customer.id,
            name=name,
            phone=phone,
            created_at=now,
        )
    )


def _remember_alias(
    session: Session, actor: Actor, typed: str | None, customer: Customer, now: datetime
) -> None:
    """A rep picked `customer` for a name they typed: the team calls it that from now on."""
    key = normalize_name(typed or "")
    if key and key != customer.normalized_name:
        customer_queries.remember_alias(
            session=session, team_id=actor.team.id, key=key, customer_id=customer.id,
            member_id=actor.member.id, now=now,
        )  # fmt: skip

"""Replies of /org: a company and its groups, a join code, joining, binding and leaving."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Html, t
from bot.i18n.format import format_when
from bot.services.companies import CompanyView, GroupLine, IssuedCode
from bot.services.teams import Actor


def company_card(lang: str, company: CompanyView | None) -> Html:
    """The company's name and its groups (the head office first), or how to make or join one."""
    if company is None:
        return t(lang, "org.none")
    lines = [t(lang, "org.title", company=company.name, count=len(company.groups))]
    lines += [_group_line(lang, group) for group in company.groups]
    return Html("\n".join(lines))


def _group_line(lang: str, group: GroupLine) -> Html:
    kind = t(lang, f"org.kind.{group.kind}")
    title = group.title or "—"
    line = (
        t(lang, "org.line.partner", title=title, kind=kind, partner=group.partner)
        if group.partner
        else t(lang, "org.line", title=title, kind=kind)
    )
    if not group.active:
        line = t(lang, "org.inactive", line=line)
    return t(lang, "org.here", line=line) if group.here else line


def code_issued(actor: Actor, issued: IssuedCode, *, now: datetime, created: bool) -> Html:
    """A join code, and on creation the company it opens."""
    until = format_when(issued.expires_at, lang=actor.lang, tz=actor.tz, now=now)
    code = t(actor.lang, "org.code", company=issued.company, code=issued.code, until=until)
    if not created:
        return code
    return Html(f"{t(actor.lang, 'org.created', company=issued.company)}\n{code}")


def joined(lang: str, company: str) -> Html:
    return t(lang, "org.joined", company=company)


def partner_bound(lang: str, company: str, partner: str) -> Html:
    return t(lang, "org.partner.bound", company=company, partner=partner)


def partner_unbound(lang: str, company: str, partner: str) -> Html:
    return t(lang, "org.partner.unbound", company=company, partner=partner)


def left(lang: str, company: str) -> Html:
    return t(lang, "org.left", company=company)

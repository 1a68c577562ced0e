"""English messages of companies (/org). Templates are Telegram HTML; parameters are escaped."""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "usage.org": (
        "Usage: <code>/org</code> — this group's company · <code>/org create NAME</code> · "
        "<code>/org code</code> · <code>/org join CODE</code> · <code>/org partner NAME</code> · "
        "<code>/org partner off</code> · <code>/org leave</code>"
    ),
    "org.none": (
        "This group is in no company. A chat admin links it: <code>/org create NAME</code> "
        "makes it a company's head office, <code>/org join CODE</code> joins one with a code "
        "from its head office."
    ),
    "org.created": (
        "🏢 Company <b>{company}</b> created. This group is its head office; its admins and "
        "managers are the company's managers."
    ),
    "org.code": (
        "🔑 Join code for {company}: <code>{code}</code>\n"
        "Valid until {until}, for one group: a chat admin there sends <code>/org join {code}</code>. "
        "/org code issues another."
    ),
    "org.joined": (
        "🤝 This group joined <b>{company}</b>. Its customers, tasks and settings stay its own; "
        "/org lists the company's groups."
    ),
    "org.title": {
        "one": "🏢 <b>{company}</b> · {count} group",
        "other": "🏢 <b>{company}</b> · {count} groups",
    },
    "org.line": "• {title} — {kind}",
    "org.line.partner": "• {title} — {kind}: {partner}",
    "org.here": "{line} (this group)",
    "org.inactive": "{line} · crmbot is not active there",
    "org.kind.head_office": "head office",
    "org.kind.team": "team",
    "org.kind.partner_room": "partner room",
    "org.partner.bound": "🔗 This group is now the partner room of <b>{partner}</b> in {company}.",
    "org.partner.unbound": (
        "This group is no longer the partner room of {partner} in {company}; its customers "
        "stay attributed to {partner}."
    ),
    "org.error.not_room": "This group is not a partner room; /org shows the company's groups.",
    "org.left": "This group has left {company}. Its customers, tasks and settings stay here.",
    "org.error.not_chat_admin": (
        "Only a chat admin of this group creates, joins or leaves a company; /org shows "
        "this group's."
    ),
    "org.error.already_in": (
        "This group is already in {company}; a group belongs to one company at most "
        "(a chat admin can /org leave first)."
    ),
    "org.error.code_wrong": (
        "That is not a join code I know. Check it, or ask the head office for one "
        "(<code>/org code</code> there)."
    ),
    "org.error.code_used": (
        "That join code has already been used; each code joins one group. Ask the head office "
        "for a new one (<code>/org code</code>)."
    ),
    "org.error.code_expired": (
        "That join code has expired (codes are valid 24 hours). Ask the head office for a new "
        "one (<code>/org code</code>)."
    ),
    "org.error.code_not_head": "Join codes are issued in the head office's group ({head}).",
    "org.error.not_manager.code": (
        "Join codes are issued by the company's managers (the head office's admins and "
        "managers); /org shows the company's groups."
    ),
    "org.error.not_manager.partner": (
        "Only the company's managers (the head office's admins and managers) bind a group to "
        "a partner; /org shows the company's groups."
    ),
    "org.error.head_partner": "The head office cannot be a partner room; bind the partner's own group.",
    "org.error.partner_unknown": (
        "The head office has no partner “{name}”; a manager there adds it with "
        "<code>/partner add {name}</code>."
    ),
    "org.error.partner_ambiguous": "“{name}” could be {candidates} — write the full name.",
    "org.error.head_leaves": {
        "one": (
            "The head office cannot leave {company} while {count} other group is in it; "
            "it leaves first (a chat admin there sends /org leave)."
        ),
        "other": (
            "The head office cannot leave {company} while {count} other groups are in it; "
            "they leave first (a chat admin in each sends /org leave)."
        ),
    },
    "move.done": (
        "🔀 <b>{customer}</b> moved from {source} to {dest} and now belongs to {owner}. "
        "Its history went along: {activities}, {deals}, {tasks}."
    ),
    "move.notice": (
        "🔀 <b>{customer}</b> moved here from {source}, with its history; it now belongs to "
        "{owner}, protected for {days}. <code>/customer {customer}</code> shows it."
    ),
    "move.partner": " In {dest} it is attributed to {partner}.",
    "move.partner.here": " Here it is attributed to {partner}.",
    "move.error.in_several": (
        "Several groups of the company have a customer “{customer}” ({groups}): send /assign "
        "in the group whose customer you mean."
    ),
    "move.error.no_group": "No group of the company has “{group}” in its title; /org lists them.",
    "move.error.not_there": (
        "I don't know @{username} in {groups} yet: they need to write in that group first."
    ),
    "move.error.several_groups": (
        "@{username} is in several groups of the company ({groups}): add the group, e.g. "
        "<code>/assign CUSTOMER @{username} GROUP</code>."
    ),
    "move.error.not_company_manager": (
        "Only the company's managers (the head office's admins and managers) move a customer "
        "to another group."
    ),
    "move.error.inactive": "crmbot is not active in {group}: nothing can move there now.",
    "move.error.name_taken": (
        "{group} already has a customer “{customer}”: one customer cannot move onto another."
    ),
}

"""English messages of the private console. Templates are Telegram HTML; parameters are escaped."""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "console.pick": "Which team is {command} for?",
    "console.no_team": (
        "You are in no team yet. Add me to your sales group and send /setup there; then you "
        "can ask me here for your tasks, and managers for /stats, /tasks all, /digest, /export."
    ),
    "console.managers_only": (
        "{command} here is for the managers of a team. /tasks lists your own open tasks in "
        "all your teams."
    ),
    "console.no_company": (
        "/stats org is for the managers of a company's head office. "
        "<code>/org create NAME</code> in your head-office group starts a company."
    ),
    "console.digest": (
        "Here: <code>/digest now</code> (this week so far) or <code>/digest last</code> (the last "
        "full week). Digest settings are changed in the team's group."
    ),
    "console.not_member": "You are not a member of that team.",
    "console.too_long": "That is too long to ask here; ask in the team's group.",
    "console.tasks.none": "You have no open tasks in your teams. 🎉",
    "console.tasks.team": "👥 <b>{team}</b>",
    "console.tasks.done": "✅ #{id} {what}",
    "console.tasks.done.in": "✅ {team} #{id} {what}",
    "console.welcome": (
        "👋 Hi! You are in {teams}. Here in private:\n/tasks — your open tasks in all your teams\n"
        "/app — the Mini App: pipeline board, customers, tasks and numbers"
    ),
    "console.welcome.manager": (
        "/stats · /stats org · /tasks all · /digest now · /export — for the teams you manage "
        "({teams}); a button asks which"
    ),
    "console.welcome.rest": (
        "Leads, visits and follow-ups are logged in the team's group. Reminders come here when "
        "a manager sends <code>/settings remind private</code> there."
    ),
    "console.welcome.more": " and {count} more",
}

"""Tasks messages (English)."""

MESSAGES: dict[str, str | dict[str, str]] = {
    # /task, /snooze, /reassign
    "menu.task": "Add a task",
    "task.created": "📌 Task #{id} for {owner}: {title}\n⏰ Due {when}",
    "snooze.ok": "💤 Task #{id} snoozed to {when}.",
    "reassign.ok": "➡️ Task #{id} now belongs to {owner}: {title}",
    "usage.task": "Usage: <code>/task WHAT WHEN [@user]</code>, e.g. <code>/task send the price list to Huatai tomorrow 3pm @bob</code>. Reply to a rep's message to give them the task.",
    "usage.snooze": "Usage: <code>/snooze ID 2h</code> — or 30m, 1d, 1w, tomorrow, next Monday 10am (a time ahead)",
    "usage.reassign": "Usage: <code>/reassign ID @user</code> — the owner or a manager can hand a task on",
    "error.not_your_task_change": "Task #{id} belongs to someone else; only they or a manager can change it. /tasks shows yours.",
    "error.already_owner": "Task #{id} already belongs to them.",
    "error.task_gone": "That task no longer exists.",
    # Reminders
    "remind.group": "⏰ {who}, overdue:",
    "remind.private": "⏰ Overdue in {team}:",
    "remind.line": "🔴 #{id} · {when} · {what}",
    "remind.line.done": "✅ #{id} · {what} — done by {who}",
    "remind.line.snoozed": "💤 #{id} · {what} — snoozed to {when} by {who}",
    "remind.line.reassigned": "➡️ #{id} · {what} — handed to {owner} by {who}",
    "remind.more": "…and {count} more — /tasks lists them",
    "btn.r.done": "✅ Done",
    "btn.r.done_id": "✅ #{id}",
    "btn.r.snooze_1h": "💤 1h",
    "btn.r.snooze_1d": "💤 1 day",
    "btn.r.reassign": "👤 Reassign",
    "btn.r.cancel": "✖️ Cancel",
    "toast.done": "Task #{id} done ✅",
    "toast.snoozed": "Task #{id} snoozed to {when}",
    "toast.reassigned": "Task #{id} handed to {owner}",
    "toast.pick": "Who should take task #{id}?",
    # Escalation and agenda
    "escalate.title": "⚠️ {managers}: overdue by more than {hours}",
    "escalate.title.none": "⚠️ Overdue by more than {hours}:",
    "escalate.line": "🔴 #{id} · due {when} · {what} · {owner}",
    "agenda.title": "☀️ <b>Today's tasks</b> · {date}",
    "agenda.owner": "{who} ({count})",
    "agenda.line": "  • #{id} · {when} · {what}",
    "agenda.line.overdue": "  🔴 #{id} · {when} · {what}",
    # /settings
    "settings.show": (
        "⚙️ <b>Reminder settings</b>\n"
        "Working hours: {start}–{end} ({tz})\n"
        "Working days: {days}\n"
        "Reminders: {remind}\n"
        "Escalate to managers after: {escalate}\n"
        "Morning agenda: {agenda}\n"
        "Dates like 3/4 read as: {dates}\n"
        "Change with <code>/settings hours 09:00-18:00</code> · <code>days 1-5</code> · "
        "<code>remind group|private</code> · <code>escalate 24</code> · <code>agenda on|off</code> · "
        "<code>dates md|dm</code>"
    ),
    "settings.dates.md": "month/day (3/4 = 4 March)",
    "settings.dates.dm": "day/month (3/4 = 3 April)",
    "settings.remind.group": "in the group, mentioning the owner",
    "settings.remind.private": "in private to those who started me (else in the group)",
    "settings.escalate.hours": "{hours}",
    "settings.escalate.off": "never",
    "settings.on": "on",
    "settings.off": "off",
    "settings.changed": "✅ Saved. {summary}",
    "usage.settings": "Usage: <code>/settings</code> to see them; managers: <code>/settings hours 09:00-18:00</code>, <code>/settings days 1-5</code>, <code>/settings remind group|private</code>, <code>/settings escalate 24</code>, <code>/settings agenda on|off</code>, <code>/settings dates md|dm</code>",
    "usage.settings.dates": "Usage: <code>/settings dates md</code> (3/4 = 4 March) or <code>/settings dates dm</code> (3/4 = 3 April)",
    "usage.settings.hours": "Usage: <code>/settings hours 09:00-18:00</code> — start before end, 24-hour clock",
    "usage.settings.days": "Usage: <code>/settings days 1-5</code> — weekdays 1 (Monday) to 7 (Sunday), e.g. <code>1-6</code> or <code>1,2,3,4,5</code>",
    "usage.settings.remind": "Usage: <code>/settings remind group</code> or <code>/settings remind private</code>",
    "usage.settings.escalate": "Usage: <code>/settings escalate 24</code> — working hours overdue before managers hear of it (0 or off: never, at most 720)",
    "usage.settings.agenda": "Usage: <code>/settings agenda on</code> or <code>/settings agenda off</code>",
}

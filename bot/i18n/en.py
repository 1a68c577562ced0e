"""English messages. Templates are Telegram HTML; parameters are escaped by t()."""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    # Onboarding
    "welcome": (
        "👋 Hi, I'm crmbot, this team's CRM assistant.\n"
        "A chat admin activates me with /setup; then log work like "
        "<code>/visit Acme, follow up next Tue about the quote</code>. /help lists everything."
    ),
    "welcome.back": "👋 I'm back. This team's customers, tasks and reminders carry on as before.",
    "start.private": (
        "Hi! I work in your team's group chat. Add me to the group and send /setup there.\n"
        "From now on I can also send you your reminders here, if your team prefers that."
    ),
    "start.active": "crmbot is active in this group. Log with /lead, /visit, /followup — /help for more.",
    "start.inactive": "crmbot is not active here yet. A chat admin sends /setup to start.",
    "help": (
        "<b>Log your work</b>\n"
        "/lead CUSTOMER [amount] [via partner] — a new lead\n"
        "/visit CUSTOMER [what happened] [when to follow up] · /call CUSTOMER [what was said]\n"
        "/followup CUSTOMER WHEN WHAT (/fu) — a follow-up task\n"
        "/won CUSTOMER AMOUNT · /lost CUSTOMER REASON · /note CUSTOMER TEXT\n"
        "…or write <code>#visit Acme …</code>, or mention me: "
        "<code>@bot visited Acme today, follow up Tuesday</code>\n"
        "Names are kept as typed (AT&amp;T, Levi's, 永辉超市有限公司); 華為 and 华为 are one customer.\n"
        "/undo — take back your last entry (edit your message to correct it)\n"
        "Dates: <code>by EOD</code> = end of the working day · <code>before lunch</code> = 12:00 · "
        "<code>at 4</code> = the next 4 o'clock in working hours · <code>next week</code> = its "
        "Monday · <code>end of month</code> = its last day · <code>3/4</code> follows "
        "/settings dates md|dm; the card says when a date was read by a rule or not at all\n"
        "Amounts: 50k · 3 mil · $3.5m · HK$12k · 5k usd · 12万 · 3万5 · 2.5个亿 · 三万五; "
        "a range (50-80万) is read as its low end; 50台, 200 pcs, 15%, 2026, PO 4500123 "
        "are not amounts\n"
        "<b>Customers</b>\n"
        "/customer NAME — its card · /claim NAME — take one from the shared pool · "
        "/release NAME — return yours to it\n"
        "/stage NAME STAGE (a stage's name, a synonym or its start: <code>/stage Acme quote</code>) · "
        "/stages · /partner NAME · /channel list\n"
        "A name close to an existing customer is asked about; on someone else's customer (撞单) "
        "your entry is logged, but its amount or close is only a proposal for the owner\n"
        "<b>Your tasks</b>\n"
        "/tasks — yours · /done ID — mark one done\n"
        "/task WHAT WHEN [@user] · /snooze ID 2h|1d|tomorrow · /reassign ID @user\n"
        "<b>Numbers</b>\n"
        "/stats [week|month|2026-11|last 30d] [channel NAME|@rep] [chart] · /funnel · "
        "/pipeline · /churn\n"
        "/app — the Mini App: pipeline board, customer list, tasks and numbers on your phone\n"
        "<b>Company</b>\n"
        "/org — the company this group is in and its groups"
    ),
    "help.manager": (
        "{base}\n<b>Managers</b>\n"
        "/tasks all|overdue|@user · /role @user manager|rep · /lang en|zh · /tz Area/City\n"
        "/settings — working hours, reminders, escalation, morning agenda, dates md|dm\n"
        "/assign NAME @rep · /partner add NAME channel=… tier=A · /channel add NAME kind=… · "
        "/stages rename|add|move\n"
        "/leaderboard · /partners · /digest now|last|settings · /export [PERIOD] · "
        "/import (as a file's caption)\n"
        "/org create NAME — a company with this group as its head office · /org code — a join "
        "code (head office) · /org join CODE (chat admins) · /org partner NAME — this group is "
        "that partner's room (off: no longer) · /org leave\n"
        "/stats org [PERIOD] — the company's numbers per group and per channel (head office) · "
        "/stats org partner NAME — one partner's across the groups · /assign NAME @rep GROUP — "
        "move a customer to a rep of another group (company managers)"
    ),
    "setup.done": (
        "✅ crmbot is active for this group.\nTime zone: {tz} (change with /tz) · "
        "language: {lang} (/lang en|zh). Chat admins are managers.\nTry: "
        "<code>/lead Acme 50k via distributor Huatai</code>"
    ),
    "setup.already": "crmbot is already active here. Time zone {tz}, language {lang}.",
    "lang.set": "Language set to English.",
    "tz.set": "Time zone set to {tz}.",
    "role.set": "{user} is now a {role}.",
    "role.manager": "manager",
    "role.rep": "rep",
    "role.admin": "admin",
    # Channels
    "channel.distributor": "Distributor",
    "channel.agent": "Agent",
    "channel.ecommerce": "E-commerce",
    "channel.direct": "Direct store",
    "channel.referral": "Referral",
    "channel.other": "Other",
    # Menus (setMyCommands descriptions)
    "menu.lead": "Log a new lead",
    "menu.visit": "Log a visit",
    "menu.call": "Log a call",
    "menu.followup": "Set a follow-up",
    "menu.tasks": "My open tasks",
    "menu.done": "Mark a task done",
    "menu.customer": "A customer's card",
    "menu.undo": "Take back my last entry",
    "menu.stats": "Team numbers",
    "menu.funnel": "The sales funnel",
    "menu.export": "Export to Excel (managers)",
    "menu.help": "What I can do",
    "menu.setup": "Activate crmbot (admins)",
    # Entry cards
    "card.lead": "🆕 <b>Lead</b> · {customer}",
    "card.visit": "🤝 <b>Visit</b> · {customer}",
    "card.followup": "📌 <b>Follow-up</b> · {customer}",
    "card.won": "🏆 <b>Won</b> · {customer}",
    "card.lost": "❌ <b>Lost</b> · {customer}",
    "card.call": "📞 <b>Call</b> · {customer}",
    "card.note": "📝 <b>Note</b> · {customer}",
    "card.new_customer": "{base} (new customer)",
    "card.owner": "Owner {owner}",
    "card.pool": "In the shared pool — /claim it",
    "card.channel": "via {channel}",
    "card.amount": "{amount}",
    "card.reason": "reason: {reason}",
    "card.due": "⏰ Task #{id} due {when}",
    "card.tasks_cancelled": {
        "one": "🗑 Its open follow-up is cancelled (↩️ Undo reopens it)",
        "other": "🗑 Its {count} open follow-ups are cancelled (↩️ Undo reopens them)",
    },
    "card.conflict": "⚠️ {customer} is registered to {owner}; logged, but ownership stays.",
    "card.conflict_group": (
        "⚠️ {customer} is already registered to {owner} in {group}; logged here, ownership stays."
    ),
    "card.proposal": "💡 Proposed {what}: kept on this entry for {owner}, the deal is unchanged.",
    "proposal.won": "won",
    "proposal.lost": "lost",
    "doubt.date_unreadable": "❓ I couldn't read “{text}” as a date — tap 🗓 to set it",
    "doubt.date_past": "❓ “{text}” has already passed — tap 🗓 to set the due time",
    "doubt.date_assumed": "❔ Read “{text}” as {assumed}",
    "date_rule.month_day": "month/day (the team's setting: /settings dates dm for day/month)",
    "date_rule.day_month": "day/month (the team's setting: /settings dates md for month/day)",
    "date_rule.eod": "the end of the working day",
    "date_rule.lunch": "12:00, before lunch",
    "date_rule.tonight": "20:00 tonight",
    "date_rule.work_hours": "the next such hour inside working hours",
    "date_rule.week_start": "the Monday of that week",
    "date_rule.week_end": "the Friday of that week",
    "date_rule.weekend": "the Saturday",
    "date_rule.month_start": "the 1st of the month",
    "date_rule.month_mid": "the 15th of the month",
    "date_rule.month_end": "the last day of the month",
    "date_rule.year_end": "31 December",
    "doubt.amount_unreadable": "❓ “{text}” is not an amount I can record — not saved",
    "doubt.amount_assumed": "❔ Read “{text}” as {assumed}",
    "btn.undo": "↩️ Undo",
    "btn.change_due": "🗓 Change due",
    "btn.not_this": "Not this customer",
    "btn.due.tomorrow": "Tomorrow",
    "btn.due.in3days": "In 3 days",
    "btn.due.nextweek": "In a week",
    "btn.back": "Back",
    "btn.new_customer": "➕ New customer",
    "btn.cancel": "Cancel",
    "choice.ask": "Which customer did you mean by “{name}”?",
    "choice.elsewhere": "{name} · {group}",
    "choice.cancelled": "Cancelled — nothing was logged.",
    "undo.done": "Undone",
    "undo.card": "↩️ Undone: <i>{text}</i>",
    "due.changed": "Due date changed",
    # Tasks
    "tasks.none": "No open tasks. 🎉",
    "tasks.title.mine": "<b>Your open tasks</b> ({count})",
    "tasks.title.all": "<b>Open team tasks</b> ({count})",
    "tasks.title.overdue": "<b>Overdue tasks</b> ({count})",
    "tasks.title.member": "<b>Open tasks</b> ({count})",
    "tasks.line": "#{id} · {when} · {what} {owner}",
    "tasks.line.overdue": "🔴 #{id} · {when} · {what} {owner}",
    "done.ok": "✅ Task #{id} done: {title}",
    # Usage
    "usage.generic": "That did not work. /help lists the commands.",
    "usage.lead": "Usage: <code>/lead CUSTOMER [amount] [via partner]</code>, e.g. <code>/lead Acme 50k via distributor Huatai</code>",
    "entry.not_understood": (
        "I could not tell what to log. Say what happened and with whom, e.g. "
        "<code>visited Acme today, follow up Tuesday</code>, <code>new lead Acme 50k</code> or "
        "<code>won Acme 80k</code>; /help lists the rest."
    ),
    "usage.visit": "Usage: <code>/visit CUSTOMER [what happened] [follow-up date]</code>, e.g. <code>/visit Acme, follow up next Tue about the quote</code>",
    "usage.followup": "Usage: <code>/followup CUSTOMER WHEN WHAT</code>, e.g. <code>/fu Acme tomorrow 3pm send the quote</code>",
    "usage.won": "Usage: <code>/won CUSTOMER AMOUNT</code>, e.g. <code>/won Acme 120k</code>",
    "usage.lost": "Usage: <code>/lost CUSTOMER REASON</code>, e.g. <code>/lost Acme price too high</code>",
    "usage.call": "Usage: <code>/call CUSTOMER [what was said] [follow-up date]</code>, e.g. <code>/call Acme, wants a quote, follow up Friday</code>",
    "usage.note": "Usage: <code>/note CUSTOMER TEXT</code>",
    "usage.lang": "Usage: <code>/lang en</code> or <code>/lang zh</code>",
    "usage.tz": "Usage: <code>/tz Area/City</code>, e.g. <code>/tz Asia/Shanghai</code>. Now: {tz}",
    "usage.role": "Usage: <code>/role @user manager</code> or <code>/role @user rep</code>",
    "usage.tasks": "Usage: <code>/tasks</code>, or for managers <code>/tasks all|overdue|@user</code>",
    "usage.done": "Usage: <code>/done ID</code>, e.g. <code>/done 12</code> (/tasks shows the ids)",
    # Customers, ownership, pipeline
    "customer.title": "👤 <b>{name}</b>",
    "customer.owner": "Owner {owner} · stage {stage}",
    "customer.pool": "shared pool",
    "customer.channel": "via {channel}",
    "customer.protected": "Registered, protected until {until}",
    "customer.pool_due": "Protection over: back to the shared pool on {when} without activity",
    "customer.contact": "☎️ {name} {phone}",
    "customer.deal": "💰 {amount} · {status}",
    "customer.timeline": "<b>Timeline</b>",
    "customer.activity": "{when} · {kind} {who} {text}",
    "customer.tasks": "<b>Open tasks</b>",
    "customer.proposals": "<b>Proposed by others</b> (not applied)",
    "customer.proposal": "{when} · {who} {what}",
    "customer.task": "#{id} · {when} · {title}",
    "deal.open": "open",
    "deal.won": "won",
    "deal.lost": "lost",
    "activity.lead": "lead",
    "activity.visit": "visit",
    "activity.call": "call",
    "activity.followup": "follow-up",
    "activity.note": "note",
    "activity.won": "won",
    "activity.lost": "lost",
    "activity.stage": "stage",
    "stage.lead": "Lead",
    "stage.contacted": "Contacted",
    "stage.visited": "Visited",
    "stage.quoted": "Quoted",
    "stage.contract": "Contract",
    "stage.shipped": "Shipped",
    "stage.won": "Paid (won)",
    "stage.lost": "Lost",
    "assign.done": "{customer} now belongs to {owner}.",
    "claim.done": "✅ {customer} is yours now, protected for {days}.",
    "claim.already_yours": "{customer} is already yours.",
    "claim.owned": "{customer} belongs to {owner}; only customers in the shared pool can be claimed. Ask {owner} or a manager (/assign) to hand it over.",
    "release.done": "🌊 {customer} is back in the shared pool: any rep can /claim it.",
    "release.in_pool": "{customer} is already in the shared pool.",
    "release.not_yours": "{customer} is registered to {owner}: only they or a manager can return it to the shared pool.",
    "stage.done": "{customer} → {stage}",
    "stage.which": "Which stage for {customer}?",
    "stage.not_yours": "{customer} is registered to {owner}: only they or a manager can move its stage. /note {customer} … tells them what you know.",
    "stages.list": "Pipeline: {stages}",
    "list.more": "{names} and {count} more",
    # A number with its noun, for a template that holds several (Chinese keeps the measure word
    # in its template, so its forms are the bare number).
    "count.days": {"one": "{count} day", "other": "{count} days"},
    "count.days.none": "— days",
    "count.working_hours": {"one": "{count} working hour", "other": "{count} working hours"},
    "count.customers": {"one": "{count} customer", "other": "{count} customers"},
    "count.leads": {"one": "{count} lead", "other": "{count} leads"},
    "count.deals": {"one": "{count} deal", "other": "{count} deals"},
    "count.open_deals": {"one": "{count} open deal", "other": "{count} open deals"},
    "count.activities": {"one": "{count} activity", "other": "{count} activities"},
    "count.tasks": {"one": "{count} task", "other": "{count} tasks"},
    "count.rows": {"one": "{count} row", "other": "{count} rows"},
    "count.duplicates": {"one": "{count} duplicate", "other": "{count} duplicates"},
    "count.invalid_rows": {"one": "{count} invalid row", "other": "{count} invalid rows"},
    "pool.returned": "🌊 Back in the shared pool after {days} without activity: {names}. Any rep can /claim them.",
    "channel.title": "<b>Channels</b>",
    "channel.line": "• {name} ({kind}) — {customers}",
    "channel.line.default": "• {name} — {customers}",
    "channel.added": "Channel {name} ({kind}) added.",
    "channel.exists": "There already is a channel {name}.",
    "channel.unknown": "There is no channel “{name}”. /channel list shows them.",
    "partner.added": "Partner {name} added (tier {tier}).",
    "partner.updated": "Partner {name} updated (tier {tier}).",
    "partner.unknown": "There is no partner “{name}” in this team.",
    "partner.title": "🤝 <b>{name}</b> · tier {tier}",
    "partner.info": "Channel {channel} · owner {owner}",
    "partner.numbers": "{customers} · {deals} worth {value} · last activity {last}",
    "partner.never": "never",
    "usage.customer": "Usage: <code>/customer NAME</code>",
    "usage.assign": (
        "Usage: <code>/assign CUSTOMER @rep</code> (managers). In a company, a rep of another "
        "group moves the customer there: <code>/assign CUSTOMER @rep [GROUP]</code>"
    ),
    "usage.claim": "Usage: <code>/claim CUSTOMER</code> — for customers in the shared pool",
    "usage.release": "Usage: <code>/release CUSTOMER</code> — returns your customer to the shared pool",
    "usage.stage": "Usage: <code>/stage CUSTOMER STAGE</code>. Stages: {stages}",
    "usage.stages": "Usage: <code>/stages</code>, or for managers <code>/stages rename STAGE NAME</code>, <code>/stages add NAME</code>, <code>/stages move STAGE N</code>",
    "usage.channel": "Usage: <code>/channel list</code> or <code>/channel add NAME kind=distributor|agent|ecommerce|direct|referral|other</code>",
    "usage.partner": "Usage: <code>/partner NAME</code> or <code>/partner add NAME channel=… tier=A|B|C owner=@user</code>",
    # The offline demo and chat (terminal transcript)
    # Errors
    "error.generic": "That did not work.",
    "error.db_waiting": "⏳ The database is not answering right now. Your message is kept and will be saved as soon as it is back.",
    "error.internal": "Sorry, something went wrong on my side. Nothing was saved — please try again.",
    "error.after_save": "That was saved, but I could not show the result. /tasks or /customer NAME shows where things stand.",
    "error.not_activated": "crmbot is not active in this group yet. A chat admin sends /setup to activate it.",
    "error.not_manager": "Only managers can do that. /help lists what you can use; a chat admin can make you a manager with /role.",
    "error.not_manager.stats_rep": "Per-rep numbers are for managers; /stats shows the team and your own.",
    "error.not_manager.stats_partner": "Per-partner numbers are for managers; /stats shows the team, /stats channel NAME a channel.",
    "error.not_manager.leaderboard": "The leaderboard is for managers; /stats shows the team's numbers and your own.",
    "error.not_manager.partners": "Partner scorecards are for managers; /partner NAME shows one partner.",
    "error.not_manager.tasks": "Other people's tasks are for managers; /tasks shows yours.",
    "error.not_manager.assign": "Only managers give customers to reps; /claim CUSTOMER takes one from the shared pool.",
    "error.not_manager.role": "Only managers change roles; ask a chat admin (they are managers) to send /role.",
    "error.not_manager.lang": "Only managers change the team's language; ask one of them or a chat admin.",
    "error.not_manager.tz": "Only managers change the team's time zone; ask one of them or a chat admin.",
    "error.not_manager.settings": "The team's settings are for managers; /tasks shows your tasks and when they are due.",
    "error.not_manager.channel": "Only managers add channels; /channel list shows the team's channels.",
    "error.not_manager.partner": "Only managers add or change partners; /partner NAME shows one.",
    "error.not_manager.stages": "Only managers change the pipeline; /stages shows it, /stage CUSTOMER STAGE moves your own customer.",
    "error.not_manager.digest": "The digest on demand and its settings are for managers; it is posted here every week, and /stats shows this week's numbers.",
    "error.not_manager.export": "Exports are for managers; /customer NAME and /stats show the data here in the chat.",
    "error.not_manager.import": "Only managers import sheets; send the file to a manager, or log customers with /lead.",
    "error.not_chat_admin": "Only a chat admin can activate crmbot; ask one of the group's admins to send /setup.",
    "error.not_a_person.admin": "🙈 You are writing as the group (anonymous admin), so I can't tell whose this is. Send it from your own account; manager commands such as /stats work as they are.",
    "error.not_a_person.channel": "🙈 That was sent as a channel, so I can't tell whose it is. Send it from your own account.",
    "error.group_only": "That works in your team's group chat. Add me to the group and send /setup there.",
    "error.not_found": "Not found.",
    "error.customer_ambiguous": "“{name}” could be {candidates} — write the full name.",
    "error.customer_not_found": "I don't know a customer “{name}” in this team.",
    "error.bad_customer_name": "That customer name is empty once cleaned up — please write the company's name.",
    "error.bad_timezone": "“{tz}” is not a time zone. Use a name like Asia/Shanghai or Europe/Berlin.",
    "error.unknown_member": "I don't know @{username} in this team yet — they need to write in this group first.",
    "error.nothing_to_undo": "You have nothing to undo.",
    "error.task_not_found": "There is no task #{id} in this team.",
    "error.task_closed": "Task #{id} is already closed.",
    "error.not_your_task": "Task #{id} belongs to someone else; they or a manager can close it. /tasks shows yours.",
    "error.customer_gone": "That customer no longer exists in this team.",
    "error.entry_gone": "That entry no longer exists.",
    "error.not_your_entry": "Only the rep who logged this (or a manager) can change it; write your own message to log what you know.",
    "error.button_expired": "This button has expired. Send the command again for fresh buttons.",
    "error.choice_gone": "That question has expired — please log the message again.",
    "error.too_long": "That message is too long for me to log (over 4096 characters).",
    "error.unknown_command": "I don't know {command}. /help lists what I can do.",
}

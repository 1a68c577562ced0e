"""Reports messages (English): /stats, /funnel, /pipeline, /leaderboard, /partners, /churn, /digest."""

MESSAGES: dict[str, str | dict[str, str]] = {
    # /stats
    "stats.title": "📈 <b>{scope}</b> · {period}",
    "stats.scope.team": "Team",
    "stats.scope.channel": "Channel {name}",
    "stats.scope.partner": "Partner {name}",
    "stats.scope.member": "{name}",
    "stats.empty": "Nothing logged in this period yet.",
    "stats.col.channel": "Channel",
    "stats.col.leads": "Leads",
    "stats.col.visits": "Visits",
    "stats.col.won": "Won",
    "stats.col.revenue": "Revenue",
    "stats.total": "Total",
    "stats.no_channel": "No channel",
    "stats.revenue": "💰 Revenue <b>{amount}</b> · won deals: {wins}",
    "stats.won_elsewhere": {
        "one": "Also won, in another currency (not in the revenue): {amount} ({count} deal)",
        "other": "Also won, in another currency (not in the revenue): {amount} ({count} deals)",
    },
    "stats.conversion": "🎯 Lead→won {rate} ({won} of {leads}) · {days} to close on average",
    "stats.conversion.none_closed": "🎯 Lead→won {rate} ({won} of {leads}) · nothing closed yet",
    "stats.followups": "⏰ Follow-ups done on time: {on_time} of {due} ({rate})",
    "stats.mine": "👤 You: leads {leads} · visits {visits} · won {wins} · {amount}",
    "stats.btn.chart": "📊 Chart",
    # /stats org
    "stats.org.title": "🏢 <b>{company}</b> · {period} · {tz} time",
    "stats.org.col.group": "Group",
    "stats.org.total": "Σ Company: leads {leads} · visits {visits} · won {wins} · <b>{amount}</b>",
    "stats.org.total.in": "Σ Company, {name}: leads {leads} · visits {visits} · won {wins} · <b>{amount}</b>",
    "stats.org.partner.title": "🏢 <b>{company}</b> · 🤝 {partner} · {period} · {tz} time",
    "stats.org.partner.total": "Σ {partner}, whole company: leads {leads} · visits {visits} · won {wins} · <b>{amount}</b>",
    "stats.org.partner.total.in": "Σ {partner}, whole company, {name}: leads {leads} · visits {visits} · won {wins} · <b>{amount}</b>",
    "stats.org.none": (
        "/stats org adds up a company's groups, and this group is in no company. A chat admin "
        "makes it one's head office with <code>/org create NAME</code>; /stats shows this group."
    ),
    "stats.org.not_head": (
        "The company's numbers are asked in its head office's group ({head}); /stats here "
        "shows this group's."
    ),
    "stats.org.not_manager": (
        "The company's numbers are for its managers (the head office's admins and managers); "
        "/stats shows this group's and your own."
    ),
    "usage.stats.org": (
        "Usage: <code>/stats org [today|week|month|quarter|last month|2026-11|last 30d]</code>; "
        "one partner across the company: <code>/stats org partner NAME [PERIOD]</code>"
    ),
    # Charts (plain text, drawn in the image)
    "chart.revenue": "Revenue ({currency})",
    "chart.leads": "Leads",
    "chart.visits": "Visits",
    "chart.funnel": "Funnel: customers who reached each stage",
    "chart.trend": "Last 8 weeks, to {period}",
    "chart.trend.so_far": "The same days of the last 8 weeks, to {period}",
    # /funnel
    "funnel.title": "🔻 <b>Funnel</b> · {scope}",
    "funnel.all": "all customers",
    "funnel.created": "customers added in {period}",
    "funnel.empty": "No customers yet.",
    "funnel.col.stage": "Stage",
    "funnel.col.count": "Now",
    "funnel.col.reached": "Reached",
    "funnel.col.next": "→Next",
    "funnel.lost": "❌ Lost: {count} · customers in all: {total}",
    # /pipeline
    "pipeline.title": "💼 <b>Pipeline</b> · {deals}",
    "pipeline.empty": "No open deals.",
    "pipeline.col.stage": "Stage (weight)",
    "pipeline.col.deals": "Deals",
    "pipeline.col.value": "Value",
    "pipeline.col.weighted": "Weighted",
    "pipeline.total": "Total {value} · weighted {weighted}",
    "pipeline.no_amount": "Open deals without an amount yet: {count}",
    "pipeline.elsewhere": {
        "one": "Also open, in another currency: {amount} ({count} deal)",
        "other": "Also open, in another currency: {amount} ({count} deals)",
    },
    # /leaderboard
    "leaderboard.title": "🏆 <b>Leaderboard</b> · {period}",
    "leaderboard.empty": "No rep has logged anything in this period.",
    "leaderboard.col.rep": "Rep",
    "leaderboard.col.revenue": "Revenue",
    "leaderboard.col.won": "Won",
    "leaderboard.col.visits": "Visits",
    "leaderboard.col.leads": "Leads",
    # /partners
    "partners.title": "🤝 <b>Partners</b> · {period}",
    "partners.org.title": "🤝 <b>Partners</b> · {company}, all groups · {period}",
    "partners.empty": "No partners yet. Add one with <code>/partner add NAME tier=A</code>.",
    "partners.col.partner": "Partner",
    "partners.col.tier": "Tier",
    "partners.col.leads": "Leads",
    "partners.col.win": "Win%",
    "partners.col.revenue": "Revenue",
    "partners.col.last": "Last",
    # /churn
    "churn.title": "💤 <b>Churn</b> · {period}",
    "churn.silent": "Open customers silent for {days}+ days: <b>{count}</b>",
    "churn.silent_line": "• {name} — {days}",
    "churn.more": "• … and {count} more",
    "churn.lost": "Lost in the period: <b>{count}</b>{names}",
    "churn.names": " ({names})",
    "churn.rate": "Churn rate {rate} ({churned} of {base})",
    # The weekly digest
    "digest.title.week": "📊 <b>Weekly digest</b> · {period}",
    "digest.title.so_far": "📊 <b>This week so far</b> · {period}",
    "digest.empty.week": "📭 Weekly digest · {period}: no activity was logged.",
    "digest.empty.so_far": "📭 This week so far · {period}: no activity logged yet.",
    "digest.status.working": "⏳ Putting the digest together… it replaces this message.",
    "digest.channel": "<b>{name}</b> · leads {leads}{leads_delta} · visits {visits}{visits_delta} · won {wins} · {amount}{amount_delta}",
    "digest.vs.week": "<i>(▲▼ against the week before)</i>",
    "digest.vs.so_far": "<i>(▲▼ against the same days of last week)</i>",
    "digest.top_reps": "🏆 Top reps: {list}",
    "digest.rep_item": "{name} {amount} (won {wins}, visits {visits})",
    "digest.top_partners": "🤝 Top partners: {list}",
    "digest.partner_item": "{name} {amount} (leads {leads})",
    "digest.overdue": "⏰ Overdue tasks: {count} ({owners})",
    "digest.silent": "💤 Customers silent {days}+ days: {count}{names}",
    "digest.newly": " — new this week: {names}",
    "digest.pooled": "🌊 Back in the shared pool: {count} ({names}) — any rep can /claim them",
    "digest.warnings": "⚠️ <b>Early warnings</b>",
    "digest.warn.drop": "• {channel}: {metric} {change}% against the 4-week average",
    "digest.warn.partner": "• Partner {name}: no activity for {days}",
    "digest.warn.partner_never": "• Partner {name}: no activity yet",
    "digest.warn.more_partners": {
        "one": "• … and {count} more quiet partner",
        "other": "• … and {count} more quiet partners",
    },
    "metric.leads": "leads",
    "metric.visits": "visits",
    "metric.revenue": "revenue",
    # the head office's digest: its company's
    "digest.org.title.week": "🏢 <b>{company}</b> · weekly digest · {period} · {tz} time",
    "digest.org.title.so_far": "🏢 <b>{company}</b> · this week so far · {period} · {tz} time",
    "digest.org.empty.week": "{title}\n📭 No group logged anything this week.",
    "digest.org.empty.so_far": "{title}\n📭 No group has logged anything yet this week.",
    "digest.org.total": "Σ Company",
    "digest.org.total.in": "Σ Company, {currency}",
    "digest.org.movers": "🚀 <b>Moved most</b> of {count} groups:",
    "digest.org.warn.group": "• Group {channel}: {metric} {change}% against the 4-week average",
    "digest.org.warn.channel": "• {channel}: {metric} {change}% against the 4-week average",
    "digest.org.warn.partner": "• Partner {channel}: {metric} {change}% against the 4-week average",
    "digest.org.warn.more": {
        "one": "• … and {count} more warning",
        "other": "• … and {count} more warnings",
    },
    "digest.org.here": "🏠 <b>This group</b>",
    "digest.settings": (
        "🗓 <b>Weekly digest</b>: {state} · {weekday} {time} ({tz}) · {where}\n"
        "Empty weeks: {empty} · warnings: a drop over {drop}%, partners quiet {partner_days}, "
        "customers silent {churn_days}\nNext: {next}"
    ),
    "digest.changed": "✅ {settings}",
    "digest.on": "on",
    "digest.off": "off",
    "digest.next_off": "none while the digest is off",
    "digest.where.chat": "posted in this chat",
    "digest.where.topic": "posted in topic #{id}",
    "digest.empty_note": "a one-line note",
    "digest.empty_skip": "skipped",
    "digest.topic_needed": "Send <code>/digest settings topic here</code> inside the forum topic the digest should go to.",
    # Usage
    "usage.stats": "Usage: <code>/stats [today|week|month|quarter|last month|2026-11|last 30d] [channel NAME | partner NAME | @rep] [chart]</code>",
    "usage.stats.one_filter": "Pick one filter: a channel, a partner or a @rep.",
    "usage.period": "“{text}” is not a period I know. Try today, week, month, quarter, last month, 2026-11 or last 30d.",
    "usage.funnel": "Usage: <code>/funnel [PERIOD] [chart]</code> — with a period, only customers added in it",
    "usage.leaderboard": "Usage: <code>/leaderboard [PERIOD]</code> (managers)",
    "usage.partners": "Usage: <code>/partners [PERIOD]</code> (managers); the whole company: <code>/partners org [PERIOD]</code> (head office)",
    "usage.churn": "Usage: <code>/churn [PERIOD]</code>",
    "usage.digest": "Usage: <code>/digest now</code> (this week so far), <code>/digest last</code> (the last full week) or <code>/digest settings day mon time 09:00 topic here|off on|off skip-empty on|off drop 30 partner-silent 14 churn 30</code> (managers)",
}

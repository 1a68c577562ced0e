"""Tasks messages (简体中文)."""

MESSAGES: dict[str, str] = {
    # /task, /snooze, /reassign
    "menu.task": "新建任务",
    "task.created": "📌 任务 #{id} 交给 {owner}：{title}\n⏰ 截止 {when}",
    "snooze.ok": "💤 任务 #{id} 已推迟到 {when}。",
    "reassign.ok": "➡️ 任务 #{id} 现在由 {owner} 负责：{title}",
    "usage.task": "用法：<code>/task 内容 时间 [@成员]</code>，例如 <code>/task 给华泰发报价单 明天下午3点 @bob</code>。回复某位同事的消息即可把任务交给他。",
    "usage.snooze": "用法：<code>/snooze 编号 2h</code>，也可以用 30m、1d、1w、明天、下周一上午10点（须是将来的时间）",
    "usage.reassign": "用法：<code>/reassign 编号 @成员</code>（负责人或经理可以转交任务）",
    "error.not_your_task_change": "任务 #{id} 属于别人，只有负责人或经理可以修改。/tasks 查看你自己的任务。",
    "error.already_owner": "任务 #{id} 本来就是他负责的。",
    "error.task_gone": "这个任务已经不存在了。",
    # Reminders
    "remind.group": "⏰ {who}，以下任务已到期：",
    "remind.private": "⏰ {team} 中已到期的任务：",
    "remind.line": "🔴 #{id} · {when} · {what}",
    "remind.line.done": "✅ #{id} · {what} — {who} 已完成",
    "remind.line.snoozed": "💤 #{id} · {what} — {who} 推迟到 {when}",
    "remind.line.reassigned": "➡️ #{id} · {what} — {who} 转交给 {owner}",
    "remind.more": "……还有 {count} 项，发送 /tasks 查看",
    "btn.r.done": "✅ 完成",
    "btn.r.done_id": "✅ #{id}",
    "btn.r.snooze_1h": "💤 1小时",
    "btn.r.snooze_1d": "💤 1天",
    "btn.r.reassign": "👤 转交",
    "btn.r.cancel": "✖️ 取消",
    "toast.done": "任务 #{id} 已完成 ✅",
    "toast.snoozed": "任务 #{id} 已推迟到 {when}",
    "toast.reassigned": "任务 #{id} 已转交给 {owner}",
    "toast.pick": "把任务 #{id} 转交给谁？",
    # Escalation and agenda
    "escalate.title": "⚠️ {managers}：以下任务逾期已超过 {hours} 个工作小时",
    "escalate.title.none": "⚠️ 以下任务逾期已超过 {hours} 个工作小时：",
    "escalate.line": "🔴 #{id} · 截止 {when} · {what} · {owner}",
    "agenda.title": "☀️ <b>今日任务</b> · {date}",
    "agenda.owner": "{who}（{count}）",
    "agenda.line": "  • #{id} · {when} · {what}",
    "agenda.line.overdue": "  🔴 #{id} · {when} · {what}",
    # /settings
    "settings.show": (
        "⚙️ <b>提醒设置</b>\n"
        "工作时间：{start}–{end}（{tz}）\n"
        "工作日：{days}\n"
        "提醒方式：{remind}\n"
        "逾期多久通知经理：{escalate}\n"
        "早间日程：{agenda}\n"
        "英文日期 3/4 理解为：{dates}\n"
        "修改：<code>/settings hours 09:00-18:00</code> · <code>days 1-5</code> · "
        "<code>remind group|private</code> · <code>escalate 24</code> · <code>agenda on|off</code> · "
        "<code>dates md|dm</code>"
    ),
    "settings.dates.md": "月/日（3/4 = 3月4日）",
    "settings.dates.dm": "日/月（3/4 = 4月3日）",
    "settings.remind.group": "在群里提醒并@负责人",
    "settings.remind.private": "私聊提醒已启动机器人的成员（否则在群里）",
    "settings.escalate.hours": "{hours} 个工作小时",
    "settings.escalate.off": "不通知",
    "settings.on": "开",
    "settings.off": "关",
    "settings.changed": "✅ 已保存。{summary}",
    "usage.settings": "用法：<code>/settings</code> 查看设置；经理可以用 <code>/settings hours 09:00-18:00</code>、<code>/settings days 1-5</code>、<code>/settings remind group|private</code>、<code>/settings escalate 24</code>、<code>/settings agenda on|off</code>、<code>/settings dates md|dm</code>",
    "usage.settings.dates": "用法：<code>/settings dates md</code>（3/4 = 3月4日）或 <code>/settings dates dm</code>（3/4 = 4月3日）",
    "usage.settings.hours": "用法：<code>/settings hours 09:00-18:00</code>（24小时制，开始早于结束）",
    "usage.settings.days": "用法：<code>/settings days 1-5</code>（1 是周一，7 是周日），例如 <code>1-6</code> 或 <code>1,2,3,4,5</code>",
    "usage.settings.remind": "用法：<code>/settings remind group</code>（群里）或 <code>/settings remind private</code>（私聊）",
    "usage.settings.escalate": "用法：<code>/settings escalate 24</code>：逾期多少个工作小时后通知经理（0 或 off 表示不通知，最多 720）",
    "usage.settings.agenda": "用法：<code>/settings agenda on</code> 或 <code>/settings agenda off</code>",
}

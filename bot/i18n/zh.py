"""简体中文消息。模板为 Telegram HTML；参数由 t() 转义。"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # 入群
    "welcome": (
        "👋 你好，我是 crmbot，团队的 CRM 助手。\n"
        "请群管理员发送 /setup 启用；之后这样记录："
        "<code>/visit 华为，下周二跟进报价</code>。/help 查看全部命令。"
    ),
    "start.private": (
        "你好！我在团队群里工作。请把我加入群，并在群里发送 /setup。\n"
        "如果团队设置为私聊提醒，我会在这里给你发提醒。"
    ),
    "start.active": "crmbot 已在本群启用。用 /lead、/visit、/followup 记录——/help 查看更多。",
    "start.inactive": "crmbot 尚未在本群启用。请群管理员发送 /setup。",
    "help": (
        "<b>记录工作</b>\n"
        "/lead 客户 [金额] [渠道/经销商] — 新线索\n"
        "/visit 客户 [情况] [跟进时间] — 拜访\n"
        "/followup 客户 时间 事项（/fu）— 跟进任务\n"
        "/won 客户 金额 · /lost 客户 原因 · /note 客户 内容\n"
        "…也可以写 <code>#拜访 华为 …</code>，或 @我："
        "<code>@bot 拜访了华为，下周二跟进报价</code>\n"
        "/undo — 撤销上一条记录（编辑原消息即可更正）\n"
        "<b>我的任务</b>\n"
        "/tasks — 我的任务 · /done 编号 — 完成任务"
    ),
    "help.manager": (
        "{base}\n<b>经理</b>\n"
        "/tasks all|overdue|@成员 · /role @成员 manager|rep · /lang en|zh · /tz 地区/城市"
    ),
    "setup.done": (
        "✅ crmbot 已在本群启用。\n时区：{tz}（/tz 修改）· 语言：{lang}（/lang en|zh）。"
        "群管理员即为经理。\n试试：<code>/lead 万科 12万 渠道华泰经销</code>"
    ),
    "setup.already": "crmbot 已在本群启用。时区 {tz}，语言 {lang}。",
    "lang.set": "语言已切换为简体中文。",
    "tz.set": "时区已设为 {tz}。",
    "role.set": "{user} 现在是{role}。",
    "role.manager": "经理",
    "role.rep": "销售",
    "role.admin": "管理员",
    # 渠道
    "channel.distributor": "经销商",
    "channel.agent": "代理商",
    "channel.ecommerce": "电商",
    "channel.direct": "直营店",
    "channel.referral": "转介绍",
    "channel.other": "其他",
    # 菜单
    "menu.lead": "记录新线索",
    "menu.visit": "记录拜访",
    "menu.followup": "设置跟进",
    "menu.tasks": "我的待办",
    "menu.done": "完成任务",
    "menu.customer": "客户卡片",
    "menu.undo": "撤销上一条记录",
    "menu.stats": "团队数据",
    "menu.help": "使用说明",
    "menu.setup": "启用 crmbot（管理员）",
    # 记录卡片
    "card.lead": "🆕 <b>线索</b> · {customer}",
    "card.visit": "🤝 <b>拜访</b> · {customer}",
    "card.followup": "📌 <b>跟进</b> · {customer}",
    "card.won": "🏆 <b>成交</b> · {customer}",
    "card.lost": "❌ <b>丢单</b> · {customer}",
    "card.note": "📝 <b>备注</b> · {customer}",
    "card.new_customer": "{base}（新客户）",
    "card.owner": "负责人 {owner}",
    "card.pool": "在公海中——发送 /claim 认领",
    "card.channel": "渠道 {channel}",
    "card.amount": "{amount}",
    "card.due": "⏰ 任务 #{id} 截止 {when}",
    "card.conflict": "⚠️ 撞单：{customer} 已由 {owner} 报备；已记录，负责人不变。",
    "btn.undo": "↩️ 撤销",
    "btn.change_due": "🗓 改时间",
    "btn.not_this": "不是这个客户",
    "btn.due.tomorrow": "明天",
    "btn.due.in3days": "3天后",
    "btn.due.nextweek": "一周后",
    "btn.back": "返回",
    "btn.new_customer": "➕ 新客户",
    "btn.cancel": "取消",
    "choice.ask": "“{name}”指的是哪个客户？",
    "choice.cancelled": "已取消，未记录任何内容。",
    "undo.done": "已撤销",
    "undo.card": "↩️ 已撤销：<i>{text}</i>",
    "due.changed": "截止时间已修改",
    # 任务
    "tasks.none": "没有待办任务。🎉",
    "tasks.title.mine": "<b>我的待办</b>（{count}）",
    "tasks.title.all": "<b>团队今日到期及逾期任务</b>（{count}）",
    "tasks.title.overdue": "<b>逾期任务</b>（{count}）",
    "tasks.title.member": "<b>待办任务</b>（{count}）",
    "tasks.line": "#{id} · {when} · {what} {owner}",
    "tasks.line.overdue": "🔴 #{id} · {when} · {what} {owner}",
    "done.ok": "✅ 任务 #{id} 已完成：{title}",
    # 用法
    "usage.generic": "没有成功。/help 查看命令。",
    "usage.lead": "用法：<code>/lead 客户 [金额] [渠道]</code>，例如 <code>/lead 万科 12万 渠道华泰经销</code>",
    "usage.visit": "用法：<code>/visit 客户 [情况] [跟进时间]</code>，例如 <code>/visit 华为，下周二跟进报价</code>",
    "usage.followup": "用法：<code>/followup 客户 时间 事项</code>，例如 <code>/fu 华为 明天下午3点 发报价</code>",
    "usage.won": "用法：<code>/won 客户 金额</code>，例如 <code>/won 华为 12万</code>",
    "usage.lost": "用法：<code>/lost 客户 原因</code>，例如 <code>/lost 华为 价格太高</code>",
    "usage.note": "用法：<code>/note 客户 内容</code>",
    "usage.lang": "用法：<code>/lang zh</code> 或 <code>/lang en</code>",
    "usage.tz": "用法：<code>/tz 地区/城市</code>，例如 <code>/tz Asia/Shanghai</code>。当前：{tz}",
    "usage.role": "用法：<code>/role @成员 manager</code> 或 <code>/role @成员 rep</code>",
    "usage.tasks": "用法：<code>/tasks</code>；经理可用 <code>/tasks all|overdue|@成员</code>",
    "usage.done": "用法：<code>/done 编号</code>，例如 <code>/done 12</code>（/tasks 可查看编号）",
    # 错误
    "error.generic": "没有成功。",
    "error.internal": "抱歉，我这边出了点问题，未保存任何内容，请重试。",
    "error.not_activated": "crmbot 尚未在本群启用。请群管理员发送 /setup 启用。",
    "error.not_manager": "只有经理可以这样操作。",
    "error.not_chat_admin": "只有群管理员可以启用 crmbot。",
    "error.group_only": "请在团队群里使用。把我加入群并在群里发送 /setup。",
    "error.not_found": "未找到。",
    "error.customer_not_found": "本团队没有名为“{name}”的客户。",
    "error.bad_customer_name": "客户名称为空，请写公司名称。",
    "error.bad_timezone": "“{tz}”不是有效时区。请使用 Asia/Shanghai 这样的名称。",
    "error.unknown_member": "本团队还没有 @{username}——请对方先在群里发一条消息。",
    "error.nothing_to_undo": "没有可撤销的记录。",
    "error.task_not_found": "本团队没有任务 #{id}。",
    "error.task_closed": "任务 #{id} 已关闭。",
    "error.not_your_task": "任务 #{id} 属于其他人；本人或经理可以关闭。",
    "error.entry_gone": "这条记录已不存在。",
    "error.not_your_entry": "只有记录人（或经理）可以修改。",
    "error.choice_gone": "该选择已过期，请重新发送记录。",
    "error.too_long": "消息太长（超过 4096 字），无法记录。",
    "error.unknown_command": "我不认识 {command}。/help 查看我能做什么。",
}

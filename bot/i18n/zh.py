"""简体中文消息。模板为 Telegram HTML；参数由 t() 转义。"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # 入群
    "welcome": (
        "👋 你好，我是 crmbot，团队的 CRM 助手。\n"
        "请群管理员发送 /setup 启用；之后这样记录："
        "<code>/visit 华为，下周二跟进报价</code>。/help 查看全部命令。"
    ),
    "welcome.back": "👋 我回来了。团队的客户、任务和提醒照常继续。",
    "start.private": (
        "你好！我在团队群里工作。请把我加入群，并在群里发送 /setup。\n"
        "如果团队设置为私聊提醒，我会在这里给你发提醒。"
    ),
    "start.active": "crmbot 已在本群启用。用 /lead、/visit、/followup 记录——/help 查看更多。",
    "start.inactive": "crmbot 尚未在本群启用。请群管理员发送 /setup。",
    "help": (
        "<b>记录工作</b>\n"
        "/lead 客户 [金额] [渠道/经销商] — 新线索\n"
        "/visit 客户 [情况] [跟进时间] — 拜访 · /call 客户 [内容] — 电话沟通\n"
        "/followup 客户 时间 事项（/fu）— 跟进任务\n"
        "/won 客户 金额 · /lost 客户 原因 · /note 客户 内容\n"
        "…也可以写 <code>#拜访 华为 …</code>，或 @我："
        "<code>@bot 拜访了华为，下周二跟进报价</code>\n"
        "客户名按原样记录（AT&amp;T、Levi's、永辉超市有限公司）；華為与华为是同一客户。\n"
        "/undo — 撤销上一条记录（编辑原消息即可更正）\n"
        "日期：<code>下班前</code> = 下班时间 · <code>上午之前</code> = 12:00 · "
        "<code>今晚之前</code> = 20:00 · <code>4点</code> = 工作时间内最近的4点 · "
        "<code>下周</code> = 下周一 · <code>月底</code> = 最后一天 · <code>下月初</code> = 1号；"
        "按规则理解或无法识别的日期，卡片上都会写明\n"
        "金额：12万 · 3万5 · 2.5个亿 · 三万五 · 港币5万 · 50k · $3.5m · 5k usd；"
        "区间（50-80万）按下限记录；50台、200 pcs、15%、2026年、订单号不算金额\n"
        "<b>客户</b>\n"
        "/customer 名称 — 客户卡片 · /claim 名称 — 认领公海客户 · "
        "/release 名称 — 把你的客户退回公海\n"
        "/stage 名称 阶段（如 <code>/stage 万科 报价</code>，阶段名、同义词或开头几个字均可）· "
        "/stages · /partner 名称 · /channel list\n"
        "近似的客户名会先问你指哪一个；别人报备的客户（撞单）照常记录，但金额和阶段只作为提议留给负责人\n"
        "<b>我的任务</b>\n"
        "/tasks — 我的任务 · /done 编号 — 完成任务\n"
        "/task 内容 时间 [@成员] · /snooze 编号 2h|1d|明天 · /reassign 编号 @成员\n"
        "<b>数据</b>\n"
        "/stats [本周|本月|2026-11|近30天] [channel 渠道|@成员] [chart] · /funnel · "
        "/pipeline · /churn\n"
        "/app — 小程序：在手机上看销售看板、客户列表、任务和报表\n"
        "<b>公司</b>\n"
        "/org — 本群所属公司及其各个群"
    ),
    "help.manager": (
        "{base}\n<b>经理</b>\n"
        "/tasks all|overdue|@成员 · /role @成员 manager|rep · /lang en|zh · /tz 地区/城市\n"
        "/settings — 工作时间、提醒方式、逾期上报、早间日程、英文日期顺序 dates md|dm\n"
        "/assign 客户 @成员 · /partner add 名称 channel=… tier=A · /channel add 名称 kind=… · "
        "/stages rename|add|move\n"
        "/leaderboard · /partners · /digest now|last|settings · /export [时间段] · "
        "/import（作为文件说明）\n"
        "/org create 名称 — 创建公司，本群为总部 · /org code — 邀请码（总部）· "
        "/org join 邀请码（群管理员）· /org partner 名称 — 本群为该合作伙伴的伙伴群（off 解除）· /org leave\n"
        "/stats org [时间段] — 全公司按群、按渠道汇总的数据（总部群）· "
        "/stats org partner 名称 — 某合作伙伴在各群的数据 · /assign 客户 @成员 群名 — "
        "把客户转给其他群的销售（公司经理）"
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
    "menu.call": "记录电话沟通",
    "menu.followup": "设置跟进",
    "menu.tasks": "我的待办",
    "menu.done": "完成任务",
    "menu.customer": "客户卡片",
    "menu.undo": "撤销上一条记录",
    "menu.stats": "团队数据",
    "menu.funnel": "销售漏斗",
    "menu.export": "导出 Excel（经理）",
    "menu.help": "使用说明",
    "menu.setup": "启用 crmbot（管理员）",
    # 记录卡片
    "card.lead": "🆕 <b>线索</b> · {customer}",
    "card.visit": "🤝 <b>拜访</b> · {customer}",
    "card.followup": "📌 <b>跟进</b> · {customer}",
    "card.won": "🏆 <b>成交</b> · {customer}",
    "card.lost": "❌ <b>丢单</b> · {customer}",
    "card.call": "📞 <b>电话</b> · {customer}",
    "card.note": "📝 <b>备注</b> · {customer}",
    "card.new_customer": "{base}（新客户）",
    "card.owner": "负责人 {owner}",
    "card.pool": "在公海中——发送 /claim 认领",
    "card.channel": "渠道 {channel}",
    "card.amount": "{amount}",
    "card.reason": "原因：{reason}",
    "card.due": "⏰ 任务 #{id} 截止 {when}",
    "card.tasks_cancelled": "🗑 已取消其 {count} 个待办跟进（↩️ 撤销可恢复）",
    "card.conflict": "⚠️ 撞单：{customer} 已由 {owner} 报备；已记录，负责人不变。",
    "card.conflict_group": "⚠️ 撞单：{customer} 已由 {group} 的 {owner} 报备；已在本群记录，负责人不变。",
    "card.proposal": "💡 提议 {what}：已记在本条记录上供 {owner} 查看，商机未改动。",
    "proposal.won": "成交",
    "proposal.lost": "丢单",
    "doubt.date_unreadable": "❓ 无法把“{text}”识别为日期——点 🗓 设置",
    "doubt.date_past": "❓ “{text}”已经过去了——点 🗓 设置到期时间",
    "doubt.date_assumed": "❔ 已将“{text}”理解为 {assumed}",
    "date_rule.month_day": "月/日（团队设置；/settings dates dm 改为日/月）",
    "date_rule.day_month": "日/月（团队设置；/settings dates md 改为月/日）",
    "date_rule.eod": "当天下班时间",
    "date_rule.lunch": "午饭前 12:00",
    "date_rule.tonight": "今晚 20:00",
    "date_rule.work_hours": "工作时间内最近的这个钟点",
    "date_rule.week_start": "那一周的周一",
    "date_rule.week_end": "那一周的周五",
    "date_rule.weekend": "周六",
    "date_rule.month_start": "当月1号",
    "date_rule.month_mid": "当月15号",
    "date_rule.month_end": "当月最后一天",
    "date_rule.year_end": "12月31日",
    "doubt.amount_unreadable": "❓ “{text}”不是可记录的金额——未保存",
    "doubt.amount_assumed": "❔ 已将“{text}”理解为 {assumed}",
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
    "choice.elsewhere": "{name}（{group}）",
    "choice.cancelled": "已取消，未记录任何内容。",
    "undo.done": "已撤销",
    "undo.card": "↩️ 已撤销：<i>{text}</i>",
    "due.changed": "截止时间已修改",
    # 任务
    "tasks.none": "没有待办任务。🎉",
    "tasks.title.mine": "<b>我的待办</b>（{count}）",
    "tasks.title.all": "<b>团队待办任务</b>（{count}）",
    "tasks.title.overdue": "<b>逾期任务</b>（{count}）",
    "tasks.title.member": "<b>待办任务</b>（{count}）",
    "tasks.line": "#{id} · {when} · {what} {owner}",
    "tasks.line.overdue": "🔴 #{id} · {when} · {what} {owner}",
    "done.ok": "✅ 任务 #{id} 已完成：{title}",
    # 用法
    "usage.generic": "没有成功。/help 查看命令。",
    "usage.lead": "用法：<code>/lead 客户 [金额] [渠道]</code>，例如 <code>/lead 万科 12万 渠道华泰经销</code>",
    "entry.not_understood": (
        "没看懂要记录什么。请写明做了什么、和哪个客户，例如 <code>今天拜访万科，周二跟进</code>、"
        "<code>新线索 万科 50万</code> 或 <code>成交 万科 80万</code>；/help 查看更多。"
    ),
    "usage.visit": "用法：<code>/visit 客户 [情况] [跟进时间]</code>，例如 <code>/visit 华为，下周二跟进报价</code>",
    "usage.followup": "用法：<code>/followup 客户 时间 事项</code>，例如 <code>/fu 华为 明天下午3点 发报价</code>",
    "usage.won": "用法：<code>/won 客户 金额</code>，例如 <code>/won 华为 12万</code>",
    "usage.lost": "用法：<code>/lost 客户 原因</code>，例如 <code>/lost 华为 价格太高</code>",
    "usage.call": "用法：<code>/call 客户 [内容] [跟进时间]</code>，例如 <code>/call 万科，要报价，周五跟进</code>",
    "usage.note": "用法：<code>/note 客户 内容</code>",
    "usage.lang": "用法：<code>/lang zh</code> 或 <code>/lang en</code>",
    "usage.tz": "用法：<code>/tz 地区/城市</code>，例如 <code>/tz Asia/Shanghai</code>。当前：{tz}",
    "usage.role": "用法：<code>/role @成员 manager</code> 或 <code>/role @成员 rep</code>",
    "usage.tasks": "用法：<code>/tasks</code>；经理可用 <code>/tasks all|overdue|@成员</code>",
    "usage.done": "用法：<code>/done 编号</code>，例如 <code>/done 12</code>（/tasks 可查看编号）",
    # 客户、归属、销售阶段
    "customer.title": "👤 <b>{name}</b>",
    "customer.owner": "负责人 {owner} · 阶段 {stage}",
    "customer.pool": "公海",
    "customer.channel": "渠道 {channel}",
    "customer.protected": "已报备，保护期至 {until}",
    "customer.pool_due": "保护期已过：如无跟进，{when} 退回公海",
    "customer.contact": "☎️ {name} {phone}",
    "customer.deal": "💰 {amount} · {status}",
    "customer.timeline": "<b>动态</b>",
    "customer.activity": "{when} · {kind} {who} {text}",
    "customer.tasks": "<b>待办任务</b>",
    "customer.proposals": "<b>他人提议</b>（未应用）",
    "customer.proposal": "{when} · {who} {what}",
    "customer.task": "#{id} · {when} · {title}",
    "deal.open": "进行中",
    "deal.won": "已成交",
    "deal.lost": "已丢单",
    "activity.lead": "线索",
    "activity.visit": "拜访",
    "activity.call": "电话",
    "activity.followup": "跟进",
    "activity.note": "备注",
    "activity.won": "成交",
    "activity.lost": "丢单",
    "activity.stage": "阶段",
    "stage.lead": "线索",
    "stage.contacted": "已联系",
    "stage.visited": "已拜访",
    "stage.quoted": "已报价",
    "stage.contract": "签合同",
    "stage.shipped": "已发货",
    "stage.won": "已回款（成交）",
    "stage.lost": "丢单",
    "assign.done": "{customer} 已分配给 {owner}。",
    "claim.done": "✅ {customer} 已归你所有，保护期 {days} 天。",
    "claim.already_yours": "{customer} 已经是你的客户。",
    "claim.owned": "{customer} 属于 {owner}；只能认领公海中的客户。可以请 {owner} 或经理（/assign）转给你。",
    "release.done": "🌊 {customer} 已退回公海：任何销售都可以 /claim 认领。",
    "release.in_pool": "{customer} 已经在公海中。",
    "release.not_yours": "{customer} 已由 {owner} 报备：只有负责人或经理可以把它退回公海。",
    "stage.done": "{customer} → {stage}",
    "stage.which": "{customer} 要改到哪个阶段？",
    "stage.not_yours": "{customer} 已由 {owner} 报备：只有负责人或经理可以修改阶段。可以用 /note {customer} … 把情况记下来。",
    "stages.list": "销售阶段：{stages}",
    "list.more": "{names} 等另外 {count} 个",
    # 数字加名词（英文需要单复数）；中文模板自带量词，这里只是数字
    "count.days": "{count}",
    "count.days.none": "—",
    "count.working_hours": "{count}",
    "count.customers": "{count}",
    "count.leads": "{count}",
    "count.deals": "{count}",
    "count.open_deals": "{count}",
    "count.activities": "{count}",
    "count.tasks": "{count}",
    "count.rows": "{count}",
    "count.duplicates": "{count}",
    "count.invalid_rows": "{count}",
    "pool.returned": "🌊 {days} 天无跟进，已退回公海：{names}。任何销售都可以 /claim 认领。",
    "channel.title": "<b>渠道</b>",
    "channel.line": "• {name}（{kind}）— {customers} 个客户",
    "channel.line.default": "• {name} — {customers} 个客户",
    "channel.added": "已添加渠道 {name}（{kind}）。",
    "channel.exists": "已有名为 {name} 的渠道。",
    "channel.unknown": "没有渠道“{name}”。/channel list 查看全部。",
    "partner.added": "已添加合作伙伴 {name}（{tier} 级）。",
    "partner.updated": "已更新合作伙伴 {name}（{tier} 级）。",
    "partner.unknown": "本团队没有合作伙伴“{name}”。",
    "partner.title": "🤝 <b>{name}</b> · {tier} 级",
    "partner.info": "渠道 {channel} · 负责人 {owner}",
    "partner.numbers": "{customers} 个客户 · {deals} 个进行中商机，金额 {value} · 最近动态 {last}",
    "partner.never": "无",
    "usage.customer": "用法：<code>/customer 客户名称</code>",
    "usage.assign": (
        "用法：<code>/assign 客户 @销售</code>（经理）。在公司里，指定其他群的销售即把客户转到该群："
        "<code>/assign 客户 @销售 [群名]</code>"
    ),
    "usage.claim": "用法：<code>/claim 客户</code>——认领公海客户",
    "usage.release": "用法：<code>/release 客户</code>——把你的客户退回公海",
    "usage.stage": "用法：<code>/stage 客户 阶段</code>。阶段：{stages}",
    "usage.stages": "用法：<code>/stages</code>；经理可用 <code>/stages rename 阶段 新名称</code>、<code>/stages add 名称</code>、<code>/stages move 阶段 位置</code>",
    "usage.channel": "用法：<code>/channel list</code> 或 <code>/channel add 名称 kind=经销|代理|电商|直营|转介绍|其他</code>",
    "usage.partner": "用法：<code>/partner 名称</code> 或 <code>/partner add 名称 channel=… tier=A|B|C owner=@成员</code>",
    # 离线演示与终端聊天
    # 错误
    "error.generic": "没有成功。",
    "error.db_waiting": "⏳ 数据库暂时无响应。你的消息已保留，恢复后会立即保存。",
    "error.internal": "抱歉，我这边出了点问题，未保存任何内容，请重试。",
    "error.after_save": "已保存，但结果没能显示出来。用 /tasks 或 /customer 客户名 查看最新情况。",
    "error.not_activated": "crmbot 尚未在本群启用。请群管理员发送 /setup 启用。",
    "error.not_manager": "只有经理可以这样操作。/help 列出你能用的命令；群管理员可以用 /role 把你设为经理。",
    "error.not_manager.stats_rep": "按销售的数据只有经理能看；/stats 查看团队和你自己的数据。",
    "error.not_manager.stats_partner": "按合作伙伴的数据只有经理能看；/stats 查看团队，/stats channel 渠道名 查看单个渠道。",
    "error.not_manager.leaderboard": "排行榜只有经理能看；/stats 查看团队和你自己的数据。",
    "error.not_manager.partners": "合作伙伴评分只有经理能看；/partner 名称 查看单个合作伙伴。",
    "error.not_manager.tasks": "别人的任务只有经理能看；/tasks 查看你自己的任务。",
    "error.not_manager.assign": "只有经理可以把客户分配给销售；/claim 客户名 可以从公海认领客户。",
    "error.not_manager.role": "只有经理可以修改角色；请群管理员（默认是经理）发送 /role。",
    "error.not_manager.lang": "只有经理可以修改团队语言；请找经理或群管理员。",
    "error.not_manager.tz": "只有经理可以修改团队时区；请找经理或群管理员。",
    "error.not_manager.settings": "团队设置只有经理能看和修改；/tasks 查看你的任务和到期时间。",
    "error.not_manager.channel": "只有经理可以添加渠道；/channel list 查看团队的渠道。",
    "error.not_manager.partner": "只有经理可以添加或修改合作伙伴；/partner 名称 查看合作伙伴。",
    "error.not_manager.stages": "只有经理可以修改销售阶段；/stages 查看阶段，/stage 客户 阶段 修改你自己客户的阶段。",
    "error.not_manager.digest": "即时周报和周报设置只有经理能用；周报每周会自动发到本群，/stats 查看本周数据。",
    "error.not_manager.export": "导出只有经理能用；/customer 客户名 和 /stats 可以在群里查看数据。",
    "error.not_manager.import": "只有经理可以导入表格；请把文件发给经理，或用 /lead 录入客户。",
    "error.not_chat_admin": "只有群管理员可以启用 crmbot；请群管理员发送 /setup。",
    "error.not_a_person.admin": "🙈 你正以群组身份（匿名管理员）发言，我无法知道这是谁的记录。请用你自己的账号发送；/stats 等经理命令可以照常使用。",
    "error.not_a_person.channel": "🙈 这条消息是以频道身份发送的，我无法知道这是谁的记录。请用你自己的账号发送。",
    "error.group_only": "请在团队群里使用。把我加入群并在群里发送 /setup。",
    "error.not_found": "未找到。",
    "error.customer_ambiguous": "“{name}”可能是：{candidates}——请写全名。",
    "error.customer_not_found": "本团队没有名为“{name}”的客户。",
    "error.bad_customer_name": "客户名称为空，请写公司名称。",
    "error.bad_timezone": "“{tz}”不是有效时区。请使用 Asia/Shanghai 这样的名称。",
    "error.unknown_member": "本团队还没有 @{username}——请对方先在群里发一条消息。",
    "error.nothing_to_undo": "没有可撤销的记录。",
    "error.task_not_found": "本团队没有任务 #{id}。",
    "error.task_closed": "任务 #{id} 已关闭。",
    "error.not_your_task": "任务 #{id} 属于其他人；本人或经理可以关闭。/tasks 查看你自己的任务。",
    "error.customer_gone": "本团队已没有这个客户。",
    "error.entry_gone": "这条记录已不存在。",
    "error.not_your_entry": "只有记录人（或经理）可以修改；你可以另发一条消息记录你的情况。",
    "error.button_expired": "这个按钮已失效，请重新发送命令获取新的按钮。",
    "error.choice_gone": "该选择已过期，请重新发送记录。",
    "error.too_long": "消息太长（超过 4096 字），无法记录。",
    "error.unknown_command": "我不认识 {command}。/help 查看我能做什么。",
}

"""公司（/org）的简体中文消息。模板为 Telegram HTML；参数由 t() 转义。"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "usage.org": (
        "用法：<code>/org</code> — 本群所属公司 · <code>/org create 名称</code> · "
        "<code>/org code</code> · <code>/org join 邀请码</code> · <code>/org partner 名称</code> · "
        "<code>/org partner off</code> · <code>/org leave</code>"
    ),
    "org.none": (
        "本群不属于任何公司。群管理员可以：<code>/org create 名称</code> 创建公司并以本群为总部，"
        "或 <code>/org join 邀请码</code> 用总部给的邀请码加入公司。"
    ),
    "org.created": "🏢 已创建公司 <b>{company}</b>。本群为总部；本群的管理员和经理即公司的经理。",
    "org.code": (
        "🔑 {company} 的邀请码：<code>{code}</code>\n"
        "有效期至 {until}，仅限一个群使用：请该群管理员发送 <code>/org join {code}</code>。"
        "/org code 可再生成一个。"
    ),
    "org.joined": "🤝 本群已加入 <b>{company}</b>。本群的客户、任务和设置仍归本群；/org 查看公司的各个群。",
    "org.title": "🏢 <b>{company}</b> · {count} 个群",
    "org.line": "• {title} — {kind}",
    "org.line.partner": "• {title} — {kind}：{partner}",
    "org.here": "{line}（本群）",
    "org.inactive": "{line} · crmbot 未在该群启用",
    "org.kind.head_office": "总部",
    "org.kind.team": "团队",
    "org.kind.partner_room": "伙伴群",
    "org.partner.bound": "🔗 本群现为 {company} 的合作伙伴 <b>{partner}</b> 的伙伴群。",
    "org.partner.unbound": "本群不再是 {company} 的合作伙伴 {partner} 的伙伴群；本群客户仍归属 {partner}。",
    "org.error.not_room": "本群不是伙伴群；/org 查看公司的各个群。",
    "org.left": "本群已退出 {company}。本群的客户、任务和设置都保留在本群。",
    "org.error.not_chat_admin": "只有本群的群管理员可以创建、加入或退出公司；/org 查看本群所属公司。",
    "org.error.already_in": "本群已属于 {company}；一个群最多属于一个公司（群管理员可先 /org leave 退出）。",
    "org.error.code_wrong": "这不是有效的邀请码。请核对，或请总部生成一个（在总部群发送 <code>/org code</code>）。",
    "org.error.code_used": "这个邀请码已被使用；每个邀请码只能让一个群加入。请总部重新生成（<code>/org code</code>）。",
    "org.error.code_expired": "这个邀请码已过期（有效期 24 小时）。请总部重新生成（<code>/org code</code>）。",
    "org.error.code_not_head": "邀请码在总部群（{head}）里生成。",
    "org.error.not_manager.code": "邀请码由公司的经理（总部的群管理员和经理）生成；/org 查看公司的各个群。",
    "org.error.not_manager.partner": "只有公司的经理（总部的群管理员和经理）可以把群绑定到合作伙伴；/org 查看公司的各个群。",
    "org.error.head_partner": "总部不能作为伙伴群；请在合作伙伴自己的群里绑定。",
    "org.error.partner_unknown": "总部没有合作伙伴“{name}”；请总部的经理用 <code>/partner add {name}</code> 添加。",
    "org.error.partner_ambiguous": "“{name}”可能是 {candidates}——请写全称。",
    "org.error.head_leaves": "公司 {company} 还有 {count} 个其他群，总部暂不能退出；请这些群先退出（由各群管理员发送 /org leave）。",
    "move.done": (
        "🔀 <b>{customer}</b> 已从 {source} 转到 {dest}，现归 {owner}。"
        "历史记录随之转移：活动 {activities} 条、商机 {deals} 个、待办 {tasks} 个。"
    ),
    "move.notice": (
        "🔀 <b>{customer}</b> 已连同历史记录从 {source} 转到本群，现归 {owner}，保护期 {days} 天。"
        "<code>/customer {customer}</code> 查看。"
    ),
    "move.partner": "在 {dest} 归属合作伙伴 {partner}。",
    "move.partner.here": "在本群归属合作伙伴 {partner}。",
    "move.error.in_several": "公司有多个群都有客户“{customer}”（{groups}）：请在该客户所在的群里发送 /assign。",
    "move.error.no_group": "公司里没有名称含“{group}”的群；/org 查看各个群。",
    "move.error.not_there": "{groups} 还没有 @{username}——请对方先在该群发一条消息。",
    "move.error.several_groups": (
        "@{username} 在公司的多个群里（{groups}）：请加上群名，例如 "
        "<code>/assign 客户 @{username} 群名</code>。"
    ),
    "move.error.not_company_manager": "只有公司的经理（总部的群管理员和经理）可以把客户转到其他群。",
    "move.error.inactive": "crmbot 在 {group} 未启用：现在无法转到该群。",
    "move.error.name_taken": "{group} 已有客户“{customer}”：不能把一个客户转到另一个客户上。",
}

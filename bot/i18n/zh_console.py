"""私聊控制台的消息（简体中文）。模板为 Telegram HTML；参数会被转义。"""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "console.pick": "{command} 要看哪个团队？",
    "console.no_team": (
        "你还不在任何团队里。请把我加入你的销售群，并在群里发送 /setup；之后可以在这里"
        "查看你的任务，经理还可以用 /stats、/tasks all、/digest、/export。"
    ),
    "console.managers_only": "在这里 {command} 仅供团队经理使用。/tasks 列出你在所有团队的待办任务。",
    "console.no_company": (
        "/stats org 仅供公司总部群的经理使用。在总部群发送 <code>/org create 名称</code> 即可创建公司。"
    ),
    "console.digest": (
        "在这里可以用 <code>/digest now</code>（本周至今）或 <code>/digest last</code>（上一整周）。"
        "周报设置请在团队群里修改。"
    ),
    "console.not_member": "你不是该团队的成员。",
    "console.too_long": "内容太长，无法在这里发起；请在团队群里发送。",
    "console.tasks.none": "你在各团队都没有待办任务。🎉",
    "console.tasks.team": "👥 <b>{team}</b>",
    "console.tasks.done": "✅ #{id} {what}",
    "console.tasks.done.in": "✅ {team} #{id} {what}",
    "console.welcome": (
        "👋 你好！你在 {teams}。在私聊里可以：\n/tasks——你在所有团队的待办任务\n"
        "/app——小程序：销售看板、客户、任务和报表"
    ),
    "console.welcome.manager": (
        "/stats · /stats org · /tasks all · /digest now · /export——用于你管理的团队（{teams}），"
        "按钮选择团队"
    ),
    "console.welcome.rest": (
        "线索、拜访和跟进请在团队群里记录。经理在群里发送 <code>/settings remind private</code> 后，"
        "提醒会发到这里。"
    ),
    "console.welcome.more": " 等另外 {count} 个",
}

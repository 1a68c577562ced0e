"""What the demo and the terminal chat say around the bot's own messages, in both languages."""

from __future__ import annotations

# ruff: noqa: E501 (one line per message reads best)

LINES: dict[str, dict[str, str]] = {
    "en": {
        "demo.title": "— {title} — ({url}, offline emulator)",
        "demo.added": "[{at}] {who} added @{bot}",
        "demo.job": "[{at}] ⏰ (the {job} job runs)",
        "demo.presses": "[presses {label}]",
        "demo.where": "The team's data is in {where} — `crmbot chat` lets you try it yourself.",
        "chat.intro": "You are {name} (@{username}) in a team group; the bot is @{bot}. Type /help, ':as NAME' to switch user, ':anon TEXT' to write as the group (an anonymous admin: maria), ':quit' to leave.",
        "chat.not_admin": "Only a group admin writes anonymously: ':as maria' first.",
        "chat.bad_user": "--as must be one of {names}",
    },
    "zh": {
        "demo.title": "— {title} —（{url}，离线模拟器）",
        "demo.added": "[{at}] {who} 把 @{bot} 拉进了群",
        "demo.job": "[{at}] ⏰（定时任务 {job} 运行）",
        "demo.presses": "[点击 {label}]",
        "demo.where": "团队数据保存在 {where}——运行 `crmbot chat` 亲自试试。",
        "chat.intro": "你是 {name}（@{username}），在团队群里；机器人是 @{bot}。输入 /help；':as 名字' 切换用户，':anon 内容' 以群组身份（匿名管理员：maria）发言，':quit' 退出。",
        "chat.not_admin": "只有群管理员可以匿名发言：请先输入 ':as maria'。",
        "chat.bad_user": "--as 只能是 {names} 之一",
    },
}


def transcript_line(lang: str, key: str, /, **params: object) -> str:
    """Render a transcript line (plain text) in `lang`, falling back to English."""
    template = LINES.get(lang, LINES["en"]).get(key) or LINES["en"][key]
    return template.format(**params)

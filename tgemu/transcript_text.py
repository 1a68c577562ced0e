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
        "chat.intro": "You are {name} (@{username}) in a team group; the bot is @{bot}. Type /help, ':as NAME' to switch user, ':press LABEL' to press a button of the bot's last answer (part of its label is enough), ':group TITLE' to go to (or make) another group of the team, ':dm' to write to the bot in private, ':anon TEXT' to write as the group (an anonymous admin: maria), ':quit' to leave.",
        "chat.groups": "Groups: {names}. ':group TITLE' goes to one (or makes it).",
        "chat.in_group": "— in the group “{title}” —",
        "chat.in_private": "— in your private chat with @{bot} (':group TITLE' goes back) —",
        "chat.no_button": "No button “{label}” on the bot's last answer here.",
        "chat.toast": "        💬 {text}",
        "chat.not_admin": "Only a group admin writes anonymously, in a group: ':as maria' first.",
        "chat.bad_user": "--as must be one of {names}",
    },
    "zh": {
        "demo.title": "— {title} —（{url}，离线模拟器）",
        "demo.added": "[{at}] {who} 把 @{bot} 拉进了群",
        "demo.job": "[{at}] ⏰（定时任务 {job} 运行）",
        "demo.presses": "[点击 {label}]",
        "demo.where": "团队数据保存在 {where}——运行 `crmbot chat` 亲自试试。",
        "chat.intro": "你是 {name}（@{username}），在团队群里；机器人是 @{bot}。输入 /help；':as 名字' 切换用户，':press 按钮文字' 点击机器人上一条回复的按钮（写出部分文字即可），':group 群名' 进入（或新建）团队的另一个群，':dm' 与机器人私聊，':anon 内容' 以群组身份（匿名管理员：maria）发言，':quit' 退出。",
        "chat.groups": "群：{names}。输入 ':group 群名' 进入（或新建）。",
        "chat.in_group": "——在群「{title}」——",
        "chat.in_private": "——与 @{bot} 私聊（':group 群名' 返回群里）——",
        "chat.no_button": "机器人在这里的上一条回复没有按钮「{label}」。",
        "chat.toast": "        💬 {text}",
        "chat.not_admin": "只有群管理员可以在群里匿名发言：请先输入 ':as maria'。",
        "chat.bad_user": "--as 只能是 {names} 之一",
    },
}


def transcript_line(lang: str, key: str, /, **params: object) -> str:
    """Render a transcript line (plain text) in `lang`, falling back to English."""
    template = LINES.get(lang, LINES["en"]).get(key) or LINES["en"][key]
    return template.format(**params)

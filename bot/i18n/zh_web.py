"""小程序（Mini App）相关的中文消息。模板为 Telegram HTML。"""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "menu.app": "打开小程序：销售看板、客户、报表",
    "app.group": "📱 <b>{team}</b> 的小程序：销售看板、客户列表、我的任务和报表。点下面打开。",
    "app.private": (
        "📱 小程序：你所在团队的销售看板、客户列表、任务和报表。点下面的按钮，"
        "或用输入框旁的菜单按钮打开。"
    ),
    "app.menu": "CRM",
    "app.button": "📱 打开 crmbot",
    "app.not_set_up": (
        "这个机器人还没有开通小程序。请运行 crmbot 的人设置 <code>CRMBOT_WEB_LISTEN</code>"
        "（服务监听的地址）和 <code>CRMBOT_WEBAPP_URL</code>（<code>/app/</code> 的公网 https 地址），"
        "再在 @BotFather 用 <code>/newapp</code> 登记。步骤见 README 的“Mini App”一节。"
    ),
    "web.unknown_stage": "本团队的销售阶段里没有“{stage}”。",
}

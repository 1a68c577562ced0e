"""English messages of the Mini App's command and API. Templates are Telegram HTML."""

from __future__ import annotations

MESSAGES: dict[str, str | dict[str, str]] = {
    "menu.app": "Open the Mini App: pipeline, customers, numbers",
    "app.group": (
        "📱 <b>{team}</b> in the Mini App: the pipeline board, the customer list, your tasks "
        "and the numbers. Tap to open it."
    ),
    "app.private": (
        "📱 The Mini App: the pipeline board, the customer list, your tasks and the numbers of "
        "your teams. Tap below, or use the menu button next to the message field."
    ),
    "app.menu": "CRM",
    "app.button": "📱 Open crmbot",
    "app.not_set_up": (
        "The Mini App is not set up on this bot yet. Whoever runs crmbot sets "
        "<code>CRMBOT_WEB_LISTEN</code> (where its server listens) and "
        "<code>CRMBOT_WEBAPP_URL</code> (the public https address of <code>/app/</code>), "
        "then registers it with @BotFather (<code>/newapp</code>). The README's "
        "“Mini App” section has the steps."
    ),
    "web.unknown_stage": "There is no stage “{stage}” in this team's pipeline.",
}

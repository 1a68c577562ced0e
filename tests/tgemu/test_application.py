"""A real telegram.ext.Application polling the emulator, start to clean stop."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.tgemu.conftest import ALICE, GROUP, TOKEN
from tgemu import BotApiEmulator


async def _echo_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_html(
        f"Hello, <b>{update.effective_user.first_name if update.effective_user else '?'}</b>!"
    )


async def test_application_polls_and_replies(emu: BotApiEmulator) -> None:
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{emu.base_url}/bot")
        .base_file_url(f"{emu.base_url}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=1))
        .build()
    )
    app.add_handler(CommandHandler("start", _echo_start))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        await emu.start_private(ALICE)
        await emu.wait_consumed()
        [reply] = await emu.wait_sent(ALICE)
        assert reply.text == "Hello, Alice!"
        assert reply.html == "Hello, <b>Alice</b>!"
        assert reply.reply_to_message_id is None  # PTB quotes only outside private chats

        command = await emu.send_message(GROUP, ALICE, "/start@crm_test_bot")
        [group_reply] = await emu.wait_sent(GROUP)
        assert group_reply.text == "Hello, Alice!"
        assert group_reply.reply_to_message_id == command["message_id"]
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert [c.method for c in emu.calls[:2]] == ["getMe", "deleteWebhook"]
    assert not emu.state.default_bot().pending  # the updater confirmed everything on stop


async def test_application_answers_callback_queries(emu: BotApiEmulator) -> None:
    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Saved")
        await query.edit_message_text(f"Chosen: {query.data}")

    app = ApplicationBuilder().token(TOKEN).base_url(f"{emu.base_url}/bot").build()
    app.add_handler(CallbackQueryHandler(on_button))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        sent = await app.bot.send_message(
            GROUP,
            "Pick",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]),
        )
        await emu.press_button(GROUP, sent.message_id, ALICE, "a")
        await emu.wait_until(lambda: emu.sent(GROUP)[0].edits == ["Pick"], what="the edit")
        assert emu.sent(GROUP)[0].text == "Chosen: a"
        assert emu.callback_answers[0].text == "Saved"
        await app.updater.stop()
        await app.stop()

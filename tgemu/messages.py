"""Bot API methods that send, edit and delete messages, and answer callback queries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from tgemu.context import MethodContext
from tgemu.entities import EntityParseError, checked_link, utf16_len
from tgemu.errors import (
    MESSAGE_NOT_MODIFIED,
    QUERY_INVALID,
    ApiError,
    bad_request,
)
from tgemu.formatting import FormattedText, UnsupportedParseMode, format_text
from tgemu.media import (
    document_json,
    guess_mime_type,
    image_size,
    photo_json,
    store_photo,
)
from tgemu.params import Params, UploadedFile
from tgemu.state import (
    JSON,
    CallbackAnswer,
    Chat,
    SentMessage,
    StoredFile,
    StoredMessage,
    UserDirectory,
)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_UPLOAD = 50 * 1024 * 1024
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)


# -- shared validation -----------------------------------------------------------------------


def _format(
    ctx: MethodContext, params: Params, text_name: str, entities_name: str
) -> FormattedText:
    entities = params.json(entities_name, error="can't parse entities JSON object")
    if entities is not None and not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    users = UserDirectory(ctx.state)
    try:
        return format_text(
            params.text(text_name) or "",
            params.text("parse_mode"),
            entities,
            strict_html=ctx.strict_html,
            users=users,
        )
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    except UnsupportedParseMode:
        raise bad_request("unsupported parse_mode") from None


def _message_text(ctx: MethodContext, params: Params) -> FormattedText:
    if not params.text("text"):
        raise bad_request("message text is empty")
    formatted = _format(ctx, params, "text", "entities")
    if not formatted.text:
        raise bad_request("message text is empty")
    if utf16_len(formatted.text) > MAX_TEXT:
        raise bad_request("message is too long")
    return formatted


def _caption(ctx: MethodContext, params: Params) -> FormattedText:
    formatted = _format(ctx, params, "caption", "caption_entities")
    if utf16_len(formatted.text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return formatted


def validate_reply_markup(markup: Any) -> JSON | None:
    """Check a reply_markup like Telegram does and return it."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup["inline_keyboard"])
        return {"inline_keyboard": markup["inline_keyboard"]}
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
        return markup
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _validate_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    if sum(len(row) for row in rows) > 100:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request(
                    'can\'t parse inline keyboard button: Field "text" must be of type String'
                )
            if not button["text"]:
                raise bad_request("BUTTON_TEXT_INVALID")
            actions = _BUTTON_ACTIONS & button.keys()
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the "
                    "inline keyboard"
                )
            data = button.get("callback_data")
            if "callback_data" in button and (
                not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA
            ):
                raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and checked_link(str(button["url"])) is None:
                raise bad_request("BUTTON_URL_INVALID")
            if "web_app" in button:
                check_web_app(button["web_app"], "inline keyboard button")


def check_web_app(info: Any, where: str) -> None:
    """Check a WebAppInfo like Telegram does: an object with an https URL."""
    url = info.get("url") if isinstance(info, dict) else None
    if not isinstance(url, str) or not url:
        raise bad_request(f'can\'t parse {where}: Field "url" must be of type String')
    host = urlsplit(url).hostname if "://" in url else None
    if not url.lower().startswith("https://") or not host:
        raise bad_request(f"{where} Web App URL '{url}' is invalid: Only HTTPS links are allowed")


def _refuse_web_apps_outside_private(chat: Chat, markup: JSON | None) -> None:
    """Telegram allows Web App buttons only in private chats (groups get a t.me link)."""
    rows = (markup or {}).get("inline_keyboard", [])
    if chat.type != "private" and any("web_app" in button for row in rows for button in row):
        raise bad_request("BUTTON_TYPE_INVALID")


def _inline_markup(params: Params) -> JSON | None:
    markup = validate_reply_markup(
        params.json("reply_markup", error="can't parse reply keyboard markup JSON object")
    )
    return markup if markup is not None and "inline_keyboard" in markup else None


def _reply_target(ctx: MethodContext, params: Params, chat: Chat) -> StoredMessage | None:
    reply = params.json("reply_parameters", error="can't parse reply parameters JSON object")
    allow_missing = params.boolean("allow_sending_without_reply")
    message_id: Any = None
    if reply is not None:
        if not isinstance(reply, dict):
            raise bad_request("can't parse reply parameters JSON object")
        message_id = reply.get("message_id")
        allow_missing = bool(reply.get("allow_sending_without_reply"))
        if reply.get("chat_id") not in (None, chat.id, str(chat.id)):
            raise bad_request("message to be replied not found")
    elif params.has("reply_to_message_id"):
        message_id = params.integer("reply_to_message_id")
    if message_id is None:
        return None
    try:
        target = ctx.state.message(chat, int(message_id))
    except (TypeError, ValueError):
        target = None
    if target is None and not allow_missing:
        raise bad_request("message to be replied not found")
    return target


def _thread_id(params: Params, chat: Chat, reply_to: StoredMessage | None) -> int | None:
    thread_id = params.integer("message_thread_id")
    if thread_id is not None:
        known = thread_id in chat.topics if chat.is_forum else thread_id in chat.messages
        if chat.type == "private" or not known:
            raise bad_request("message thread not found")
        return thread_id
    if reply_to is not None and reply_to.data.get("is_topic_message"):
        return int(reply_to.data["message_thread_id"])
    return None


def _post(
    ctx: MethodContext,
    params: Params,
    chat: Chat,
    content: JSON,
    *,
    html: str,
    formatted: FormattedText,
) -> tuple[StoredMessage, SentMessage]:
    reply_to = _reply_target(ctx, params, chat)
    thread_id = _thread_id(params, chat, reply_to)
    markup = validate_reply_markup(
        params.json("reply_markup", error="can't parse reply keyboard markup JSON object")
    )
    _refuse_web_apps_outside_private(chat, markup)
    if markup is not None and "inline_keyboard" in markup:
        # Only inline keyboards are part of the Message; reply keyboards live in the client.
        content["reply_markup"] = markup
    if params.boolean("protect_content"):
        content["has_protected_content"] = True
    stored = ctx.state.post_message(
        chat,
        ctx.bot.public_user,
        content,
        reply_to=reply_to,
        thread_id=thread_id if chat.is_forum else None,
        bot_token=ctx.bot.token,
    )
    sent = SentMessage(
        message_id=stored.data["message_id"],
        chat_id=chat.id,
        text=formatted.text,
        html=html,
        parse_mode=params.text("parse_mode"),
        entities=formatted.entities,
        reply_markup=markup,
        message_thread_id=thread_id,
        reply_to_message_id=None if reply_to is None else reply_to.data["message_id"],
        date=ctx.state.now(),
        bot_username=ctx.bot.username,
        disable_notification=params.boolean("disable_notification"),
        link_preview_options=params.json(
            "link_preview_options", error="can't parse link preview options JSON object"
        ),
    )
    stored.sent = sent
    ctx.state.sent.append(sent)
    ctx.state.notifier.notify()
    return stored, sent


# -- sending -------------------------------------------------------------------------------


async def send_message(ctx: MethodContext, params: Params) -> JSON:
    """sendMessage."""
    chat = ctx.chat_for_send(params)
    formatted = _message_text(ctx, params)
    stored, _ = _post(
        ctx, params, chat, formatted.fields(), html=params.text("text") or "", formatted=formatted
    )
    return stored.data


def _existing_file(ctx: MethodContext, file_id: str, kind: str) -> StoredFile:
    if file_id.lower().startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content (the emulator does not fetch URLs)")
    stored = ctx.state.files.get(file_id)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if stored.kind != kind:
        raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
    return stored


def _check_upload(upload: UploadedFile) -> None:
    if not upload.content:
        raise bad_request("file must be non-empty")
    if len(upload.content) > MAX_UPLOAD:
        raise ApiError(413, "Request Entity Too Large")


async def send_photo(ctx: MethodContext, params: Params) -> JSON:
    """sendPhoto (upload or file_id)."""
    chat = ctx.chat_for_send(params)
    source = params.file("photo")
    if source is None:
        raise bad_request("there is no photo in the request")
    if isinstance(source, UploadedFile):
        _check_upload(source)
        dimensions = image_size(source.content)
        if dimensions is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        sizes = store_photo(ctx.state, source.content, *dimensions)
    else:
        group_id = _existing_file(ctx, source, "photo").group_id
        sizes = ctx.state.photo_groups[group_id or ""]
    caption = _caption(ctx, params)
    content: JSON = {"photo": photo_json(sizes)}
    if caption.text:
        content.update(caption.fields("caption", "caption_entities"))
    stored, sent = _post(
        ctx, params, chat, content, html=params.text("caption") or "", formatted=caption
    )
    sent.photo = content["photo"]
    sent.content = sizes[-1].content
    return stored.data


async def send_document(ctx: MethodContext, params: Params) -> JSON:
    """sendDocument (upload or file_id)."""
    chat = ctx.chat_for_send(params)
    source = params.file("document")
    if source is None:
        raise bad_request("there is no document in the request")
    if isinstance(source, UploadedFile):
        _check_upload(source)
        name = source.filename or "document"
        stored_file = ctx.state.store_file(
            "document",
            source.content,
            file_name=name,
            mime_type=guess_mime_type(name, source.content_type),
        )
    else:
        stored_file = _existing_file(ctx, source, "document")
    caption = _caption(ctx, params)
    content: JSON = {"document": document_json(stored_file)}
    if caption.text:
        content.update(caption.fields("caption", "caption_entities"))
    stored, sent = _post(
        ctx, params, chat, content, html=params.text("caption") or "", formatted=caption
    )
    sent.document = content["document"]
    sent.content = stored_file.content
    return stored.data


# -- editing and deleting -----------------------------------------------------------------------


def _editable(ctx: MethodContext, params: Params) -> StoredMessage:
    if params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")  # the emulator has no inline mode
    chat = ctx.chat_for_send(params)
    message_id = params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    stored = ctx.state.message(chat, message_id)
    if stored is None:
        raise bad_request("message to edit not found")
    if stored.bot_token != ctx.bot.token:
        raise bad_request("message can't be edited")
    return stored


def _apply_edit(
    ctx: MethodContext,
    stored: StoredMessage,
    *,
    text_key: str,
    formatted: FormattedText | None,
    html: str | None,
    parse_mode: str | None,
    markup: JSON | None,
) -> JSON:
    _refuse_web_apps_outside_private(ctx.state.chat(stored.data["chat"]["id"]), markup)
    data = stored.data
    entities_key = "entities" if text_key == "text" else "caption_entities"
    unchanged_text = formatted is None or (
        formatted.text == data.get(text_key, "")
        and formatted.entities == data.get(entities_key, [])
    )
    if unchanged_text and markup == data.get("reply_markup"):
        raise bad_request(MESSAGE_NOT_MODIFIED)
    sent = stored.sent
    if formatted is not None:
        if sent is not None:
            sent.edits.append(sent.text)
            sent.text, sent.entities = formatted.text, formatted.entities
            sent.html, sent.parse_mode = html or "", parse_mode
        data.pop(text_key, None)
        data.pop(entities_key, None)
        if formatted.text or text_key == "text":
            data.update(formatted.fields(text_key, entities_key))
    if markup is None:
        data.pop("reply_markup", None)
    else:
        data["reply_markup"] = markup
    if sent is not None:
        sent.reply_markup = markup
    data["edit_date"] = ctx.state.timestamp()
    ctx.state.notifier.notify()
    return data


async def edit_message_text(ctx: MethodContext, params: Params) -> JSON:
    """editMessageText (chat_id + message_id; without reply_markup the keyboard goes)."""
    stored = _editable(ctx, params)
    if "text" not in stored.data:
        raise bad_request("there is no text in the message to edit")
    formatted = _message_text(ctx, params)
    return _apply_edit(
        ctx,
        stored,
        text_key="text",
        formatted=formatted,
        html=params.text("text"),
        parse_mode=params.text("parse_mode"),
        markup=_inline_markup(params),
    )


async def edit_message_caption(ctx: MethodContext, params: Params) -> JSON:
    """editMessageCaption."""
    stored = _editable(ctx, params)
    if "text" in stored.data:
        raise bad_request("there is no caption in the message to edit")
    return _apply_edit(
        ctx,
        stored,
        text_key="caption",
        formatted=_caption(ctx, params),
        html=params.text("caption"),
        parse_mode=params.text("parse_mode"),
        markup=_inline_markup(params),
    )


async def edit_message_reply_markup(ctx: MethodContext, params: Params) -> JSON:
    """editMessageReplyMarkup."""
    stored = _editable(ctx, params)
    text_key = "text" if "text" in stored.data else "caption"
    return _apply_edit(
        ctx,
        stored,
        text_key=text_key,
        formatted=None,
        html=None,
        parse_mode=None,
        markup=_inline_markup(params),
    )


def _delete(ctx: MethodContext, chat: Chat, message_id: int) -> bool:
    stored = ctx.state.message(chat, message_id)
    if stored is None:
        return False
    own = stored.bot_token == ctx.bot.token
    if not own and chat.type != "private" and not chat.is_admin(ctx.bot.id):
        raise bad_request("message can't be deleted")
    stored.deleted = True
    if stored.sent is not None:
        stored.sent.deleted = True
    ctx.state.notifier.notify()
    return True


async def delete_message(ctx: MethodContext, params: Params) -> bool:
    """deleteMessage."""
    chat = ctx.chat_for_read(params)
    message_id = params.integer("message_id")
    if message_id is None or not _delete(ctx, chat, message_id):
        raise bad_request("message to delete not found")
    return True


async def delete_messages(ctx: MethodContext, params: Params) -> bool:
    """deleteMessages (missing messages are skipped, as in Telegram)."""
    chat = ctx.chat_for_read(params)
    ids = params.json("message_ids", error="can't parse message identifiers JSON object")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message identifiers are not specified")
    for message_id in ids:
        _delete(ctx, chat, int(message_id))
    return True


async def pin_chat_message(ctx: MethodContext, params: Params) -> bool:
    """pinChatMessage."""
    chat = ctx.chat_for_send(params)
    if chat.type != "private" and not chat.is_admin(ctx.bot.id):
        raise bad_request("not enough rights to manage pinned messages in the chat")
    message_id = params.integer("message_id")
    if message_id is None or ctx.state.message(chat, message_id) is None:
        raise bad_request("message to pin not found")
    chat.pinned_message_id = message_id
    return True


async def unpin_chat_message(ctx: MethodContext, params: Params) -> bool:
    """unpinChatMessage."""
    chat = ctx.chat_for_send(params)
    if chat.type != "private" and not chat.is_admin(ctx.bot.id):
        raise bad_request("not enough rights to manage pinned messages in the chat")
    chat.pinned_message_id = None
    return True


async def answer_callback_query(ctx: MethodContext, params: Params) -> bool:
    """answerCallbackQuery (each query can be answered once)."""
    query = ctx.state.callback_queries.get(params.text("callback_query_id") or "")
    if query is None or query.bot_token != ctx.bot.token or query.answered:
        raise bad_request(QUERY_INVALID)
    text = params.text("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    ctx.state.callback_answers.append(
        CallbackAnswer(
            callback_query_id=query.id,
            text=text,
            show_alert=params.boolean("show_alert"),
            url=params.text("url"),
            cache_time=params.integer("cache_time", 0) or 0,
            data=query.data,
            user_id=query.user_id,
            chat_id=query.chat_id,
            message_id=query.message_id,
        )
    )
    ctx.state.notifier.notify()
    return True


HANDLERS: dict[str, Callable[[MethodContext, Params], Awaitable[Any]]] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
    "pinChatMessage": pin_chat_message,
    "unpinChatMessage": unpin_chat_message,
    "answerCallbackQuery": answer_callback_query,
}

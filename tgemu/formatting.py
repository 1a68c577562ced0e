"""Turn a bot's text + parse_mode/entities into what Telegram stores: plain text, entities."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tgemu.entities import (
    Entity,
    EntityParseError,
    detect_entities,
    sort_entities,
    utf16_len,
    utf16_prefix,
)
from tgemu.telegram_html import parse_html
from tgemu.telegram_markdown import parse_markdown, parse_markdown_v2

_TRIMMED = " \t\r\n\v\f"
_ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)


class UnsupportedParseMode(ValueError):
    """The parse_mode is none of HTML, MarkdownV2, Markdown."""


@dataclass(frozen=True)
class FormattedText:
    """Plain text and its entities (UTF-16 offsets), as Telegram returns them."""

    text: str
    entities: list[Entity]

    def fields(self, text_key: str = "text", entities_key: str = "entities") -> dict[str, Any]:
        """Return the Message JSON fields for this text."""
        result: dict[str, Any] = {text_key: self.text}
        if self.entities:
            result[entities_key] = self.entities
        return result


def plain_text(text: str) -> FormattedText:
    """Wrap unformatted text (e.g. a user's message) with the entities Telegram detects."""
    return FormattedText(text, detect_entities(text))


def format_text(
    source: str,
    parse_mode: str | None,
    entities: list[Any] | None,
    *,
    strict_html: bool,
    users: Mapping[int, dict[str, Any]],
) -> FormattedText:
    """Apply parse_mode (or explicit entities), trim, and add automatic entities.

    Raises EntityParseError (the "can't parse entities" family) or UnsupportedParseMode.
    """
    if entities is not None:
        text, parsed = source, _explicit_entities(source, entities)
    else:
        mode = (parse_mode or "").lower()
        if mode == "html":
            text, parsed = parse_html(source, strict=strict_html, known_user=users)
        elif mode == "markdownv2":
            text, parsed = parse_markdown_v2(source)
        elif mode == "markdown":
            text, parsed = parse_markdown(source)
        elif mode == "":
            text, parsed = source, []
        else:
            raise UnsupportedParseMode(parse_mode)
    parsed = _resolve_mentions(parsed, users)
    text, parsed = _trim(text, parsed)
    automatic = detect_entities(text, skip=parsed)
    return FormattedText(text, sort_entities(parsed + automatic))


def _explicit_entities(text: str, entities: list[Any]) -> list[Entity]:
    total = utf16_len(text)
    result: list[Entity] = []
    for raw in entities:
        if not isinstance(raw, dict) or raw.get("type") not in _ENTITY_TYPES:
            raise EntityParseError(f"unsupported entity {raw!r}")
        offset, length = raw.get("offset"), raw.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0:
            raise EntityParseError(f"wrong entity offset/length in {raw!r}")
        if offset > total:
            raise EntityParseError("entity begins after the end of the text")
        length = min(length, total - offset)
        if length > 0 and raw["type"] not in ("mention", "hashtag", "cashtag", "bot_command"):
            result.append({**raw, "length": length})
    return result


def _resolve_mentions(entities: list[Entity], users: Mapping[int, dict[str, Any]]) -> list[Entity]:
    result: list[Entity] = []
    for entity in entities:
        if entity["type"] == "text_mention":
            user_id = entity.get("user", {}).get("id")
            if user_id not in users:
                continue  # Telegram drops mentions of users the bot can't see
            entity = {**entity, "user": users[user_id]}
        result.append(entity)
    return result


def _trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    stripped = text.strip(_TRIMMED)
    if stripped == text:
        return text, entities
    lead = len(text) - len(text.lstrip(_TRIMMED))
    prefix = utf16_prefix(text)
    start16, end16 = prefix[lead], prefix[lead + len(stripped)]
    result: list[Entity] = []
    for entity in entities:
        begin = max(entity["offset"], start16)
        end = min(entity["offset"] + entity["length"], end16)
        if end > begin:
            result.append({**entity, "offset": begin - start16, "length": end - begin})
    return stripped, result

"""Telegram's HTML parse mode: validation, entity extraction and stripping.

This re-implements the algorithm of tdlib's ``parse_html`` (used by the Bot API server)
so that errors carry Telegram's own wording and byte offsets, e.g. ``Unsupported start
tag "foo" at byte offset 6``. The standard library's ``html.parser`` is deliberately not
used: it accepts a bare ``<`` and decodes every named entity, both of which Telegram
handles differently.

Telegram itself shows a bare ``&`` or ``>`` literally. With ``strict=True`` (the
emulator's default) those are rejected as well, because in this project they always mean
that user text reached an HTML message without ``html.escape``.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from tgemu.entities import (
    Entity,
    EntityParseError,
    checked_link,
    link_user_id,
    sort_entities,
)

_ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
}
_SPACES = frozenset(b" \t\r\n\v\0")
_AMP, _LT, _GT, _SLASH, _EQ = 0x26, 0x3C, 0x3E, 0x2F, 0x3D


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    byte_offset: int  # where the tag's content starts in the output


class _Reader:
    """Byte access that reads NUL past the end, like tdlib's NUL-terminated strings."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __getitem__(self, index: int) -> int:
        return self.data[index] if index < len(self.data) else 0


def _decode_entity(text: _Reader, pos: int) -> tuple[int, int]:
    """Decode the character reference at ``pos`` (an ``&``); return (code, end) or (0, pos)."""
    end = pos + 1
    code = 0
    if text[end] == ord("#"):
        end += 1
        if text[end] == ord("x"):
            end += 1
            while chr(text[end]) in "0123456789abcdefABCDEF" and text[end]:
                code = code * 16 + int(chr(text[end]), 16)
                end += 1
        else:
            while ord("0") <= text[end] <= ord("9"):
                code = code * 10 + text[end] - ord("0")
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while chr(text[end]).isascii() and chr(text[end]).isalpha():
            end += 1
        name = text.data[pos + 1 : end]
        code = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}.get(name, 0)
        if code == 0:
            return 0, pos
    if text[end] == ord(";"):
        end += 1
    return code, end


def _encode_code_point(code: int) -> bytes:
    return chr(code).encode("utf-8", "surrogatepass")


def parse_html(
    source: str, *, strict: bool = True, known_user: Container[int] | None = None
) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into plain text and entities (UTF-16 offsets).

    ``known_user`` limits ``tg://user?id=`` links to users the bot may mention; links to
    others are dropped like Telegram drops unusable links. Raises EntityParseError.
    """
    text = _Reader(source.encode("utf-8", "surrogatepass"))
    size = len(text.data)
    out = bytearray()
    utf16 = 0
    entities: list[Entity] = []
    stack: list[_OpenTag] = []
    i = 0
    while i < size:
        c = text[i]
        if c == _AMP:
            code, end = _decode_entity(text, i)
            if code:
                out += _encode_code_point(code)
                utf16 += 2 if code > 0xFFFF else 1
                i = end
                continue
            if strict:
                raise EntityParseError(
                    f'Unescaped "&" at byte offset {i}; write "&amp;" '
                    "(emulator strict mode: Telegram would show it literally)"
                )
        if c != _LT:
            if strict and c == _GT:
                raise EntityParseError(
                    f'Unescaped ">" at byte offset {i}; write "&gt;" '
                    "(emulator strict mode: Telegram would show it literally)"
                )
            if c & 0xC0 != 0x80:
                utf16 += 2 if c >= 0xF0 else 1
            out.append(c)
            i += 1
            continue

        begin = i
        i += 1
        if text[i] != _SLASH:
            i = _open_tag(text, begin, stack, utf16, len(out))
        else:
            i = _close_tag(text, begin, stack, entities, out, utf16, known_user)
    if stack:
        raise EntityParseError(f"Can't find end tag corresponding to start tag {stack[-1].name}")

    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    try:
        plain = out.decode("utf-8", "surrogatepass")
        plain = plain.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeError as exc:
        raise EntityParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        ) from exc
    return plain, sort_entities(entities)


def _open_tag(text: _Reader, begin: int, stack: list[_OpenTag], utf16: int, out_len: int) -> int:
    i = begin + 1
    while text[i] not in _SPACES and text[i] != _GT:
        i += 1
    if text[i] == 0:
        raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
    name = text.data[begin + 1 : i].lower().decode("utf-8", "replace")
    if name not in _ALLOWED_TAGS:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {begin}')

    argument = ""
    while text[i] != _GT:
        while text[i] != 0 and text[i] in _SPACES:
            i += 1
        if text[i] == _GT:
            break
        attr_begin = i
        while text[i] not in _SPACES and text[i] != _EQ and text[i] != _GT:
            i += 1
        attr_name = text.data[attr_begin:i].decode("utf-8", "replace")
        if not attr_name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {begin}'
            )
        while text[i] != 0 and text[i] in _SPACES:
            i += 1
        if name == "blockquote" and attr_name == "expandable" and text[i] != _EQ:
            argument = "expandable"
            continue
        if text[i] != _EQ:
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{name}" at byte offset {begin}'
            )
        i += 1
        while text[i] != 0 and text[i] in _SPACES:
            i += 1
        if text[i] == 0:
            raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
        value, i = _attribute_value(text, i)
        if text[i] == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        if name == "a" and attr_name == "href":
            argument = value
        elif name == "code" and attr_name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif name == "span" and attr_name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif name == "tg-emoji" and attr_name == "emoji-id":
            argument = value
    if name == "span" and argument != "spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    stack.append(_OpenTag(name, argument, utf16, out_len))
    return i + 1


def _attribute_value(text: _Reader, i: int) -> tuple[str, int]:
    quote = text[i]
    if quote not in (ord("'"), ord('"')):
        # A name token: letters, digits, periods or hyphens, case-insensitive.
        start = i
        while chr(text[i]).isascii() and (chr(text[i]).isalnum() or text[i] in b".-") and text[i]:
            i += 1
        if text[i] not in _SPACES and text[i] != _GT:
            raise EntityParseError(f"Unexpected end of name token at byte offset {start}")
        return text.data[start:i].lower().decode("utf-8", "replace"), i
    i += 1
    value = bytearray()
    while text[i] != quote and text[i] != 0:
        if text[i] == _AMP:
            code, end = _decode_entity(text, i)
            if code:
                value += _encode_code_point(code)
                i = end
                continue
        value.append(text[i])
        i += 1
    if text[i] == quote:
        i += 1
    return value.decode("utf-8", "replace"), i


def _close_tag(
    text: _Reader,
    begin: int,
    stack: list[_OpenTag],
    entities: list[Entity],
    out: bytearray,
    utf16: int,
    known_user: Container[int] | None,
) -> int:
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
    i = begin + 2
    while text[i] not in _SPACES and text[i] != _GT:
        i += 1
    end_name = text.data[begin + 2 : i].lower().decode("utf-8", "replace")
    while text[i] in _SPACES and text[i] != 0:
        i += 1
    if text[i] != _GT:
        raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
    tag = stack[-1]
    if end_name and end_name != tag.name:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", '
            f'found "</{end_name}>"'
        )
    if utf16 > tag.utf16_offset:
        entity = _entity_for(tag, utf16, out, entities, known_user)
        if entity is not None:
            entities.append(entity)
    stack.pop()
    return i + 1


def _entity_for(
    tag: _OpenTag,
    utf16: int,
    out: bytearray,
    entities: list[Entity],
    known_user: Container[int] | None,
) -> Entity | None:
    offset, length = tag.utf16_offset, utf16 - tag.utf16_offset
    span: Entity = {"offset": offset, "length": length}
    last = entities[-1] if entities else None
    same_span = last is not None and last["offset"] == offset and last["length"] == length
    if tag.name in _SIMPLE_TAGS or (tag.name == "span" and tag.argument == "spoiler"):
        return {"type": _SIMPLE_TAGS.get(tag.name, "spoiler"), **span}
    if tag.name == "blockquote":
        kind = "expandable_blockquote" if tag.argument == "expandable" else "blockquote"
        return {"type": kind, **span}
    if tag.name == "tg-emoji":
        if not tag.argument.isdigit() or int(tag.argument) == 0:
            raise EntityParseError("Invalid custom emoji identifier specified")
        return {"type": "custom_emoji", **span, "custom_emoji_id": tag.argument}
    if tag.name == "a":
        url = tag.argument or out[tag.byte_offset :].decode("utf-8", "replace")
        user_id = link_user_id(url)
        if user_id is not None:
            if known_user is not None and user_id not in known_user:
                return None
            return {"type": "text_mention", **span, "user": {"id": user_id}}
        checked = checked_link(url)
        return None if checked is None else {"type": "text_link", **span, "url": checked}
    if tag.name == "pre":
        if same_span and last is not None and last["type"] == "code" and last.get("language"):
            last["type"] = "pre"
            return None
        return {"type": "pre", **span}
    # tag.name == "code"
    if same_span and last is not None and last["type"] == "pre" and tag.argument:
        last["language"] = tag.argument
        return None
    entity: Entity = {"type": "code", **span}
    if tag.argument:
        entity["language"] = tag.argument
    return entity

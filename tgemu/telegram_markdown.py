"""Telegram's MarkdownV2 and legacy Markdown parse modes.

Both follow tdlib's ``parse_markdown_v2`` / ``parse_markdown`` byte by byte so that the
errors match the server's, e.g. ``Character '.' is reserved and must be escaped with the
preceding '\\'``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tgemu.entities import (
    Entity,
    EntityParseError,
    checked_link,
    link_user_id,
    sort_entities,
)

_RESERVED = frozenset(b"_*[]()~`>#+-=|{}.!\n")
_SPACES = frozenset(b" \t\r\n\v\0")

# tdlib prints entity types by these names in "Can't find end of ... entity" errors.
_TYPE_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "pre_code": "PreCode",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
    "blockquote": "BlockQuote",
}


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def __getitem__(self, index: int) -> int:
        return self.data[index] if index < len(self.data) else 0

    def __len__(self) -> int:
        return len(self.data)


@dataclass
class _Open:
    kind: str
    argument: str
    utf16_offset: int
    byte_offset: int  # of the opening markup in the source, for error messages
    out_offset: int  # where the content starts in the output


def _utf16_step(byte: int) -> int:
    if byte & 0xC0 == 0x80:
        return 0
    return 2 if byte >= 0xF0 else 1


def _reserved_error(char: int) -> EntityParseError:
    return EntityParseError(
        f"Character '{chr(char)}' is reserved and must be escaped with the preceding '\\'"
    )


def _link_entity(url: str, span: Entity) -> Entity | None:
    user_id = link_user_id(url)
    if user_id is not None:
        return {"type": "text_mention", **span, "user": {"id": user_id}}
    checked = checked_link(url)
    return None if checked is None else {"type": "text_link", **span, "url": checked}


def _is_end(kind: str, text: _Bytes, i: int) -> bool:
    c = text[i]
    if kind == "bold":
        return c == ord("*")
    if kind == "italic":
        return c == ord("_") and text[i + 1] != ord("_")
    if kind == "code":
        return c == ord("`")
    if kind in ("pre", "pre_code"):
        return c == ord("`") and text[i + 1] == ord("`") and text[i + 2] == ord("`")
    if kind in ("text_link", "custom_emoji"):
        return c == ord("]")
    if kind == "underline":
        return c == ord("_") and text[i + 1] == ord("_")
    if kind == "strikethrough":
        return c == ord("~")
    if kind == "spoiler":
        return c == ord("|") and text[i + 1] == ord("|")
    return False  # blockquote ends at a line without ">"


def _read_url(text: _Bytes, i: int) -> tuple[str, int]:
    """Read an escaped URL starting at ``i``; return it and the index of ``)``."""
    url = bytearray()
    while i < len(text) and text[i] != ord(")"):
        if text[i] == ord("\\") and 0 < text[i + 1] <= 126:
            url.append(text[i + 1])
            i += 2
            continue
        url.append(text[i])
        i += 1
    return url.decode("utf-8", "replace"), i


def _open_entity(text: _Bytes, i: int) -> tuple[str, str, int]:
    """Classify the markup starting at ``i``; return (kind, argument, last index consumed)."""
    c = text[i]
    if c == ord("_"):
        return ("underline", "", i + 1) if text[i + 1] == ord("_") else ("italic", "", i)
    if c == ord("*"):
        return "bold", "", i
    if c == ord("~"):
        return "strikethrough", "", i
    if c == ord("|"):
        if text[i + 1] == ord("|"):
            return "spoiler", "", i + 1
        raise _reserved_error(c)
    if c == ord("["):
        return "text_link", "", i
    if c == ord("!"):
        if text[i + 1] == ord("["):
            return "custom_emoji", "", i + 1
        raise _reserved_error(c)
    if c == ord("`"):
        if text[i + 1] == ord("`") and text[i + 2] == ord("`"):
            i += 3
            kind, language = "pre", ""
            end = i
            while text[end] not in _SPACES and text[end] != ord("`"):
                end += 1
            if i != end and end < len(text) and text[end] != ord("`"):
                kind, language = "pre_code", text.data[i:end].decode("utf-8", "replace")
                i = end
            if text[i] in (ord("\n"), ord("\r")):
                pair = text[i + 1] in (ord("\n"), ord("\r")) and text[i] != text[i + 1]
                i += 2 if pair else 1
            return kind, language, i - 1
        return "code", "", i
    raise _reserved_error(c)


def parse_markdown_v2(source: str) -> tuple[str, list[Entity]]:
    """Parse MarkdownV2 into plain text and entities; raise EntityParseError."""
    text = _Bytes(source.encode("utf-8", "surrogatepass"))
    out = bytearray()
    utf16 = 0
    entities: list[Entity] = []
    stack: list[_Open] = []
    have_blockquote = False
    i = 0
    while i < len(text):
        c = text[i]
        if c == ord("\\") and 0 < text[i + 1] <= 126:
            i += 1
            utf16 += 1
            out.append(text[i])
            i += 1
            continue
        in_code = bool(stack) and stack[-1].kind in ("code", "pre", "pre_code")
        reserved = {ord("`")} if in_code else _RESERVED
        if c not in reserved:
            utf16 += _utf16_step(c)
            out.append(c)
            i += 1
            continue

        ends = False
        if stack:
            ends = (
                have_blockquote
                and c == ord("\n")
                and (i + 1 == len(text) or text[i + 1] != ord(">"))
            ) or _is_end(stack[-1].kind, text, i)

        if not ends:
            start = i
            if c == ord("\n"):
                utf16 += 1
                out.append(c)
                if text[i + 1] == ord(">") and i + 1 < len(text):
                    i += 1
                    if not have_blockquote:
                        have_blockquote = True
                        stack.append(_Open("blockquote", "", utf16, start, len(out)))
                i += 1
                continue
            if c == ord(">"):
                if i != 0:
                    raise _reserved_error(c)
                have_blockquote = True
                stack.append(_Open("blockquote", "", utf16, start, len(out)))
                i += 1
                continue
            kind, argument, i = _open_entity(text, i)
            stack.append(_Open(kind, argument, utf16, start, len(out)))
            i += 1
            continue

        top = stack[-1]
        if c == ord("\n") and top.kind != "blockquote":
            raise EntityParseError(
                f"Can't find end of {_TYPE_NAMES[top.kind]} entity at byte offset {top.byte_offset}"
            )
        span: Entity = {"offset": top.utf16_offset, "length": utf16 - top.utf16_offset}
        entity: Entity | None = None
        skip = utf16 == top.utf16_offset
        if top.kind in ("bold", "italic", "code", "strikethrough", "underline", "spoiler"):
            if top.kind in ("underline", "spoiler"):
                i += 1
            entity = {"type": top.kind, **span}
        elif top.kind in ("pre", "pre_code"):
            i += 2
            entity = {"type": "pre", **span}
            if top.argument:
                entity["language"] = top.argument
        elif top.kind == "text_link":
            if text[i + 1] != ord("("):
                url = out[top.out_offset :].decode("utf-8", "replace")
            else:
                url_begin = i + 2
                url, i = _read_url(text, url_begin)
                if text[i] != ord(")"):
                    raise EntityParseError(f"Can't find end of a URL at byte offset {url_begin}")
            entity = _link_entity(url, span)
        elif top.kind == "custom_emoji":
            if text[i + 1] != ord("("):
                raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
            url_begin = i + 2
            url, i = _read_url(text, url_begin)
            if text[i] != ord(")"):
                raise EntityParseError(
                    f"Can't find end of a custom emoji URL at byte offset {url_begin}"
                )
            prefix = "tg://emoji?id="
            emoji_id = url[len(prefix) :] if url.startswith(prefix) else ""
            if not emoji_id.isdigit():
                raise EntityParseError("Custom emoji URL must have an emoji identifier")
            entity = {"type": "custom_emoji", **span, "custom_emoji_id": emoji_id}
        else:  # blockquote closed by a line that does not start with ">"
            have_blockquote = False
            out.append(c)
            utf16 += 1
            entity = {
                "type": "blockquote",
                "offset": top.utf16_offset,
                "length": utf16 - top.utf16_offset,
            }
        if entity is not None and not skip:
            entities.append(entity)
        stack.pop()
        i += 1

    if have_blockquote and stack and stack[-1].kind == "blockquote":
        top = stack.pop()
        if utf16 != top.utf16_offset:
            entities.append(
                {
                    "type": "blockquote",
                    "offset": top.utf16_offset,
                    "length": utf16 - top.utf16_offset,
                }
            )
    if stack:
        top = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_TYPE_NAMES[top.kind]} entity at byte offset {top.byte_offset}"
        )
    return out.decode("utf-8", "replace"), sort_entities(entities)


def parse_markdown(source: str) -> tuple[str, list[Entity]]:
    """Parse legacy Markdown (``*bold*``, ``_italic_``, `` `code` ``, ``[text](url)``)."""
    text = _Bytes(source.encode("utf-8", "surrogatepass"))
    out = bytearray()
    utf16 = 0
    entities: list[Entity] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == ord("\\") and text[i + 1] in b"_*`[":
            out.append(text[i + 1])
            utf16 += 1
            i += 2
            continue
        if c not in b"_*`[":
            utf16 += _utf16_step(c)
            out.append(c)
            i += 1
            continue
        begin = i
        end_char = ord("]") if c == ord("[") else c
        i += 1
        is_pre = False
        language = ""
        if c == ord("`") and text[i] == ord("`") and text[i + 1] == ord("`"):
            i += 2
            is_pre = True
            end = i
            while text[end] not in _SPACES and text[end] != ord("`"):
                end += 1
            if i != end and end < len(text) and text[end] != ord("`"):
                language = text.data[i:end].decode("utf-8", "replace")
                i = end
            if text[i] in (ord("\n"), ord("\r")):
                pair = text[i + 1] in (ord("\n"), ord("\r")) and text[i] != text[i + 1]
                i += 2 if pair else 1
        offset = utf16
        while i < len(text) and (
            text[i] != end_char
            or (is_pre and not (text[i + 1] == ord("`") and text[i + 2] == ord("`")))
        ):
            utf16 += _utf16_step(text[i])
            out.append(text[i])
            i += 1
        if i == len(text):
            raise EntityParseError(f"Can't find end of the entity starting at byte offset {begin}")
        if utf16 != offset:
            span: Entity = {"offset": offset, "length": utf16 - offset}
            entity: Entity | None
            if c == ord("_"):
                entity = {"type": "italic", **span}
            elif c == ord("*"):
                entity = {"type": "bold", **span}
            elif c == ord("["):
                if text[i + 1] != ord("("):
                    url = text.data[begin + 1 : i].decode("utf-8", "replace")
                else:
                    i += 2
                    start = i
                    while i < len(text) and text[i] != ord(")"):
                        i += 1
                    url = text.data[start:i].decode("utf-8", "replace")
                entity = _link_entity(url, span)
            elif is_pre:
                entity = {"type": "pre", **span}
                if language:
                    entity["language"] = language
            else:
                entity = {"type": "code", **span}
            if entity is not None:
                entities.append(entity)
        if is_pre:
            i += 2
        i += 1
    return out.decode("utf-8", "replace"), sort_entities(entities)

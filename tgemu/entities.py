"""Telegram message entities: UTF-16 arithmetic, automatic detection, ordering.

Detection follows tdlib's ``MessageEntity.cpp`` (which the Bot API server uses): a
``bot_command`` may appear anywhere after a non-word character, a ``mention`` needs at
least 4 characters, a ``hashtag`` needs at least one letter, and offsets/lengths count
UTF-16 code units. URL and e-mail detection is a simplified version of tdlib's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

Entity = dict[str, Any]

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SHORT_USERNAMES = frozenset({"gif", "vid", "pic"})
_MAX_HASHTAG = 256

# tdlib's MessageEntity::get_type_priority: entities starting at the same offset with the
# same length are ordered by it.
_PRIORITY = {
    "mention": 50,
    "hashtag": 50,
    "bot_command": 50,
    "url": 50,
    "email": 50,
    "bold": 90,
    "italic": 91,
    "code": 20,
    "pre": 11,
    "text_link": 49,
    "text_mention": 49,
    "cashtag": 50,
    "phone_number": 50,
    "underline": 92,
    "strikethrough": 93,
    "blockquote": 0,
    "spoiler": 94,
    "custom_emoji": 99,
    "expandable_blockquote": 0,
}

# Entities that are atomic: automatic detection never looks inside them.
OPAQUE_TYPES = frozenset({"code", "pre", "text_link", "text_mention", "custom_emoji"})

_COMMON_TLDS = frozenset(
    "com org net edu gov mil int info biz io co me app dev ai ru su ua by kz uz de fr it es "
    "nl uk us eu ca au nz in cn jp kr tw hk sg vn id my ph th tr il ir br mx ar cl pe pl cz "
    "sk ch at be se no fi dk ee lv lt pt gr ro bg hu rs hr si tv fm xyz online site store "
    "shop tech pro top club news blog link live cloud page".split()
)

_URL_STOP = '\\s<>"«»'
_SCHEME_URL_RE = re.compile(rf"(?i)\b(?:https?|ftp|tg|ton)://[^{_URL_STOP}]+")
_BARE_URL_RE = re.compile(
    rf"(?i)(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+([a-z]{{2,24}})"
    rf"(?::\d{{1,5}})?(?:[/?#][^{_URL_STOP}]*)?"
)
_EMAIL_RE = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}(?![\w@])"
)
_URL_BAD_END = ".:;,('?!`"


class EntityParseError(ValueError):
    """Text could not be parsed with the requested parse_mode."""


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_prefix(text: str) -> list[int]:
    """Return the UTF-16 offset of every code point index of ``text`` (plus the end)."""
    offsets = [0] * (len(text) + 1)
    total = 0
    for index, char in enumerate(text):
        offsets[index] = total
        total += 2 if ord(char) > 0xFFFF else 1
    offsets[len(text)] = total
    return offsets


def utf16_slice(text: str, offset: int, length: int) -> str:
    """Return the part of ``text`` covered by a UTF-16 ``offset``/``length`` pair."""
    raw = text.encode("utf-16-le", "surrogatepass")
    return raw[2 * offset : 2 * (offset + length)].decode("utf-16-le", "surrogatepass")


def entity_text(text: str, entity: Entity) -> str:
    """Return the substring an entity points at."""
    return utf16_slice(text, int(entity["offset"]), int(entity["length"]))


def sort_entities(entities: Iterable[Entity]) -> list[Entity]:
    """Order entities like Telegram: by offset, longer first, then by type priority."""
    return sorted(
        entities,
        key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(str(e["type"]), 50)),
    )


def _is_word(char: str) -> bool:
    return char == "_" or unicodedata.category(char)[0] in "LN"


def _hashtag_letter(char: str) -> tuple[bool, bool]:
    """Return (belongs to a hashtag, is a letter)."""
    category = unicodedata.category(char)
    if category[0] == "L":
        return True, True
    if category == "Nd" or char in "_\u200c\u00b7" or "\u0d80" <= char <= "\u0dff":
        return True, False
    return False, False


def _ascii_run(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] in _ASCII_WORD:
        end += 1
    return end


def _find_mentions(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = text.find("@")
    while pos >= 0:
        end = _ascii_run(text, pos + 1)
        name = text[pos + 1 : end]
        if (
            (pos == 0 or not _is_word(text[pos - 1]))
            and 2 <= len(name) <= 32
            and (end == len(text) or not _is_word(text[end]))
            and (len(name) >= 4 or name.lower() in _SHORT_USERNAMES)
        ):
            spans.append((pos, end))
        pos = text.find("@", max(end, pos + 1))
    return spans


def _find_bot_commands(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = text.find("/")
    while pos >= 0:
        next_search = pos + 1
        prev_ok = pos == 0 or not (_is_word(text[pos - 1]) or text[pos - 1] in "/<>")
        if prev_ok:
            end = _ascii_run(text, pos + 1)
            next_search = max(end, pos + 1)
            valid = 1 <= end - pos - 1 <= 64
            if valid and end < len(text) and text[end] == "@":
                bot_end = _ascii_run(text, end + 1)
                next_search = bot_end
                valid = 3 <= bot_end - end - 1 <= 32
                end = bot_end
            if valid and (end == len(text) or not (_is_word(text[end]) or text[end] in "/<>")):
                spans.append((pos, end))
        pos = text.find("/", next_search)
    return spans


def _find_hashtags(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = text.find("#")
    while pos >= 0:
        if pos > 0 and _hashtag_letter(text[pos - 1])[0]:
            pos = text.find("#", pos + 1)
            continue
        end = pos + 1
        size = 0
        tag_end = -1
        has_letter = False
        while end < len(text):
            belongs, is_letter = _hashtag_letter(text[end])
            if not belongs:
                break
            end += 1
            if size == _MAX_HASHTAG - 1:
                tag_end = end
            if size != _MAX_HASHTAG:
                has_letter |= is_letter
                size += 1
        if tag_end < 0:
            tag_end = end
        if size >= 1 and has_letter and not (end < len(text) and text[end] == "#"):
            spans.append((pos, tag_end))
        pos = text.find("#", max(end, pos + 1))
    return spans


def _find_cashtags(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = text.find("$")
    while pos >= 0:
        start = pos
        pos = text.find("$", pos + 1)
        if start > 0 and (_hashtag_letter(text[start - 1])[0] or text[start - 1] == "$"):
            continue
        end = start + 1
        if text.startswith("1INCH", end):
            end += 5
        else:
            while end < len(text) and "A" <= text[end] <= "Z":
                end += 1
        if not 1 <= end - start - 1 <= 8:
            continue
        if end < len(text) and (_hashtag_letter(text[end])[0] or text[end] == "$"):
            continue
        spans.append((start, end))
    return spans


def _trim_url(url: str) -> str:
    balance = {"(": 0, "[": 0, "{": 0}
    closers = {")": "(", "]": "[", "}": "{"}
    cut = len(url)
    for index, char in enumerate(url):
        if char in balance:
            balance[char] += 1
        elif char in closers:
            balance[closers[char]] -= 1
            if balance[closers[char]] < 0:
                cut = index
                break
    url = url[:cut]
    while url and url[-1] in _URL_BAD_END:
        url = url[:-1]
    return url


def _find_urls(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for match in _EMAIL_RE.finditer(text):
        spans.append((match.start(), match.end(), "email"))
    for match in _SCHEME_URL_RE.finditer(text):
        url = _trim_url(match.group(0))
        if "://" in url and url.split("://", 1)[1]:
            spans.append((match.start(), match.start() + len(url), "url"))
    for match in _BARE_URL_RE.finditer(text):
        if match.group(1).lower() not in _COMMON_TLDS:
            continue
        url = _trim_url(match.group(0))
        if "." in url:
            spans.append((match.start(), match.start() + len(url), "url"))
    return spans


def detect_entities(text: str, *, skip: Iterable[Entity] = ()) -> list[Entity]:
    """Find the entities Telegram adds by itself: mentions, hashtags, commands, URLs.

    ``skip`` are existing entities (UTF-16 offsets) whose ranges must not be searched,
    e.g. ``code`` or ``text_link`` produced by a parse mode.
    """
    candidates: list[tuple[int, int, str]] = []
    candidates += [(s, e, "mention") for s, e in _find_mentions(text)]
    candidates += [(s, e, "bot_command") for s, e in _find_bot_commands(text)]
    candidates += [(s, e, "hashtag") for s, e in _find_hashtags(text)]
    candidates += [(s, e, "cashtag") for s, e in _find_cashtags(text)]
    candidates += _find_urls(text)
    candidates.sort(key=lambda span: (span[0], span[0] - span[1]))

    prefix = utf16_prefix(text)
    blocked = [
        (int(e["offset"]), int(e["offset"]) + int(e["length"]))
        for e in skip
        if e["type"] in OPAQUE_TYPES
    ]
    result: list[Entity] = []
    taken_until = -1
    for start, end, kind in candidates:
        if start < taken_until:
            continue
        offset, stop = prefix[start], prefix[end]
        if any(offset < b_end and b_start < stop for b_start, b_end in blocked):
            continue
        taken_until = end
        result.append({"type": kind, "offset": offset, "length": stop - offset})
    return result


def checked_link(url: str) -> str | None:
    """Normalise a link the way Telegram does for text links and URL buttons, or None."""
    url = url.strip()
    if not url or any(char.isspace() for char in url):
        return None
    lowered = url.lower()
    if lowered.startswith(("tg:", "ton:")):
        return url
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "ftp"):
        return None
    host = parts.hostname or ""
    if not host or ("." not in host and host != "localhost"):
        return None
    if not parts.path:
        # Telegram returns "https://example.com/" for "https://example.com".
        url = parts._replace(path="/").geturl()
    return url


def link_user_id(url: str) -> int | None:
    """Return the user id of a ``tg://user?id=N`` link, else None."""
    match = re.fullmatch(r"(?i)tg://user\?id=(\d{1,19})", url.strip())
    return int(match.group(1)) if match else None

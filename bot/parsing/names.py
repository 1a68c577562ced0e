"""Customer and partner names: a normalized key for dedupe, and fuzzy matching against a list."""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc
from rapidfuzz import fuzz, process

from bot.parsing.grams import GramIndex
from bot.parsing.text import has_cjk


@dataclass(frozen=True, slots=True)
class CustomerMatch:
    """A known name that matches a query: score 0-100, exact when the normalized keys are equal."""

    name: str
    score: float
    exact: bool


# Longest first, so that 股份有限公司 goes before 有限公司 and 公司.
_CJK_SUFFIXES = sorted(
    (
        "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "公司", "集团", "集團",
        "分公司", "总公司", "總公司", "控股",
    ),
    key=len,
    reverse=True,
)  # fmt: skip
_CJK_SUFFIX_SET = frozenset(_CJK_SUFFIXES)
_LATIN_SUFFIXES = frozenset({
    "co", "company", "ltd", "limited", "inc", "incorporated", "llc", "llp", "lp", "corp",
    "corporation", "gmbh", "plc", "pte", "pty", "srl", "sarl", "bv", "ag", "kk", "group",
})  # fmt: skip
_NOT_WORD_RE = re.compile(r"[\W_]+")
# Shortest query worth a fuzzy look: 2 ideographs ("万科") or 3 letters ("HP" matches too much).
_MIN_FUZZY_CJK = 2
_MIN_FUZZY_LATIN = 3


# Traditional and Simplified forms of one name are one customer (華為 = 华为): keys are in
# Simplified Chinese, by OpenCC's phrase-aware converter (Taiwan and Hong Kong variants too).
_TO_SIMPLIFIED = opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Return text with Traditional Chinese converted to Simplified (other scripts as they are)."""
    return _TO_SIMPLIFIED.convert(text) if has_cjk(text) else text


@lru_cache(maxsize=16384)
def normalize_name(name: str) -> str:
    """Return the dedupe key of a name: folded, Simplified, without punctuation or suffixes."""
    words = _words(name)
    return "".join(words)


@lru_cache(maxsize=16384)
def _fuzzy_key(name: str) -> str:
    """Return the name as normalized words joined by spaces (token scorers need the spaces)."""
    return " ".join(_words(name))


def _words(name: str) -> tuple[str, ...]:
    text = to_simplified(unicodedata.normalize("NFKC", name[:500]).casefold())
    for suffix in ("(中国)", "（中国）"):
        text = text.replace(suffix, " ")
    words = [w for w in _NOT_WORD_RE.split(text) if w]
    if not words:
        return ()
    stripped = list(words)
    changed = True
    while changed and stripped:
        changed = False
        last = stripped[-1]
        if (last in _LATIN_SUFFIXES or last in _CJK_SUFFIX_SET) and len(stripped) > 1:
            stripped.pop()
            changed = True
            continue
        for suffix in _CJK_SUFFIXES:
            if last.endswith(suffix) and len(last) > len(suffix):
                stripped[-1] = last[: -len(suffix)]
                changed = True
                break
    return tuple(stripped) if stripped else tuple(words)


def similarity(a: str, b: str) -> float:
    """Score two fuzzy keys 0-100: whole-string ratio, or a containment match scaled down.

    Chinese names have no word boundaries, so containment is by substring (万科 in 万科地产);
    Latin names contain by whole words (Acme in "Acme Trading"), never by letters (Apple is
    not in "Applied Materials").
    """
    if not a or not b:
        return 0.0
    score = fuzz.ratio(a, b)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    scale = 0.95 if len(long) < 1.5 * len(short) else 0.9 if len(long) < 8 * len(short) else 0.6
    if has_cjk(short):
        if len(short.replace(" ", "")) >= _MIN_FUZZY_CJK:
            contained = fuzz.partial_ratio(short.replace(" ", ""), long.replace(" ", ""))
            score = max(score, contained * scale)
    elif len(short) >= _MIN_FUZZY_LATIN:
        score = max(score, fuzz.token_set_ratio(short, long) * scale)
    return float(score)


class NameIndex:
    """A customer list prepared for repeated lookups (keys, prefixes, fuzzy forms).

    Names are only ever added, one at a time and cheaply: a team's index lives as long as
    the process and grows with each new customer instead of being rebuilt.
    """

    __slots__ = (
        "any_cjk",
        "by_normalized",
        "compact",
        "fuzzy",
        "grams",
        "key_text",
        "longest",
        "names",
        "normalized",
    )

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names: list[str] = []
        self.normalized: list[str] = []
        self.fuzzy: list[str] = []  # words joined by spaces, for token scorers
        self.compact: list[str] = []  # the same without spaces, for substring scorers
        self.by_normalized: dict[str, list[int]] = {}  # key -> positions, oldest first
        self.grams = GramIndex()  # the few names a fuzzy query can match
        self.key_text = KeyText()  # the keys as one text, for a search box's substrings
        self.longest = 0  # length of the longest key
        self.any_cjk = False
        for name in names:
            self.add(name)

    def __len__(self) -> int:
        return len(self.names)

    def add(self, name: str) -> None:
        """Add one name."""
        key, fuzzy = normalize_name(name), _fuzzy_key(name)
        position = len(self.names)
        self.names.append(name)
        self.normalized.append(key)
        self.fuzzy.append(fuzzy)
        self.compact.append(fuzzy.replace(" ", ""))
        self.by_normalized.setdefault(key, []).append(position)
        self.longest = max(self.longest, len(key))
        cjk = has_cjk(fuzzy)
        self.any_cjk = self.any_cjk or cjk
        self.grams.add(position, fuzzy, cjk=cjk)

    def first_with_key(self, key: str) -> str | None:
        """Return the oldest name whose normalized key is `key`."""
        positions = self.by_normalized.get(key)
        return self.names[positions[0]] if positions else None


class KeyText:
    """An index's keys joined by newlines, so a substring is found in one C scan of them.

    Built on the first search and caught up with the names added since on each later one
    (keys are only ever appended); a key has no newline, so no match spans two keys.
    """

    def __init__(self) -> None:
        self.text = ""
        self.starts: list[int] = []  # where each key begins in `text`
        self._lock = threading.Lock()

    def containing(self, keys: list[str], key: str) -> list[int]:
        """Return the positions of the keys that contain `key`, in order."""
        with self._lock:
            if len(self.starts) < len(keys):
                added = keys[len(self.starts) :]
                offset = len(self.text)
                for each in added:
                    self.starts.append(offset)
                    offset += len(each) + 1
                self.text += "".join(f"{each}\n" for each in added)
            text, starts = self.text, self.starts
        found: list[int] = []
        at = text.find(key)
        while at != -1:
            position = bisect_right(starts, at) - 1
            found.append(position)
            following = starts[position + 1] if position + 1 < len(starts) else len(text)
            at = text.find(key, following)
        return found


Names = Sequence[str] | NameIndex
"""Known customer names: a plain list, or an index kept for a team."""


@lru_cache(maxsize=32)
def _index_of_list(names: tuple[str, ...]) -> NameIndex:
    return NameIndex(names)


def index_names(names: Names) -> NameIndex:
    """Return the index of a name list (a NameIndex as it is; a plain list's is cached)."""
    return names if isinstance(names, NameIndex) else _index_of_list(tuple(names))


def match_customers(
    name: str, candidates: Names, *, limit: int = 5, cutoff: float = 80
) -> list[CustomerMatch]:
    """Return the candidates that look like `name`, exact (normalized) matches first."""
    key = normalize_name(name)
    if not key or limit <= 0 or not len(candidates):
        return []
    index = index_names(candidates)
    out: list[CustomerMatch] = []
    seen: set[str] = set()
    for i in index.by_normalized.get(key, ()):
        if index.names[i] not in seen:
            out.append(CustomerMatch(index.names[i], 100.0, True))
            seen.add(index.names[i])
    if len(out) >= limit or len(key) < (_MIN_FUZZY_CJK if has_cjk(key) else _MIN_FUZZY_LATIN):
        return out[:limit]
    query = _fuzzy_key(name)
    fuzzy: list[CustomerMatch] = []
    for i in sorted(_shortlist(query, index, cutoff)):
        candidate = index.names[i]
        score = similarity(query, index.fuzzy[i])
        if candidate not in seen and score >= cutoff:
            seen.add(candidate)
            fuzzy.append(CustomerMatch(candidate, round(score, 1), False))
    fuzzy.sort(key=lambda m: -m.score)
    return (out + fuzzy)[:limit]


def _shortlist(query: str, index: NameIndex, cutoff: float) -> set[int]:
    """Return the positions that can reach `cutoff` under `similarity`, using C scorers only.

    The gram index narrows the team to the names that share enough with the query; of those,
    `similarity` is the larger of a ratio and a containment score scaled by at most 0.95, so
    anything below `cutoff` on the ratio and below `cutoff / 0.95` on the containment scorer
    cannot reach the cutoff; only the rest is scored in Python.
    """
    if cutoff > 100:
        return set()
    query_cjk = has_cjk(query)
    positions = index.grams.candidates(query, cutoff, query_cjk=query_cjk)
    fuzzy: Sequence[str] | Mapping[int, str] = index.fuzzy
    compact: Sequence[str] | Mapping[int, str] = index.compact
    if positions is not None:
        fuzzy = {i: index.fuzzy[i] for i in positions}
        compact = {i: index.compact[i] for i in positions}
    found = {i for _, _, i in process.extract(
        query, fuzzy, scorer=fuzz.ratio, score_cutoff=max(0.0, cutoff), limit=None
    )}  # fmt: skip
    contained_cutoff = max(0.0, cutoff / 0.95 - 1e-6)  # a little slack for float rounding
    if contained_cutoff > 100:
        return found
    if query_cjk or index.any_cjk:
        found.update(i for _, _, i in process.extract(
            query.replace(" ", ""), compact, scorer=fuzz.partial_ratio,
            score_cutoff=contained_cutoff, limit=None,
        ))  # fmt: skip
    found.update(i for _, _, i in process.extract(
        query, fuzzy, scorer=fuzz.token_set_ratio, score_cutoff=contained_cutoff,
        limit=None,
    ))  # fmt: skip
    return found


def search_names(query: str, index: NameIndex, *, limit: int, cutoff: float) -> list[str]:
    """Return the names a search box's text finds, best first: keys equal to, starting with,
    or containing the query's key; when none does (a typo), the keys nearest it by ratio.

    A search is typed a few letters at a time, so containment is the rule and a typo the
    exception; the near pass is one C scan of the keys (rapidfuzz), never Python per name.
    """
    key = normalize_name(query)
    if not key:
        return []
    keys = index.normalized
    hits = index.key_text.containing(keys, key)
    exact = index.by_normalized.get(key, [])
    starting: list[int] = []
    containing: list[int] = []
    for position in hits:
        (starting if keys[position].startswith(key) else containing).append(position)
    ranked = [*exact, *starting, *containing]
    names = [index.names[p] for p in ranked[: limit * 2]]  # exact ones come twice
    if not names and len(key) >= (_MIN_FUZZY_CJK if has_cjk(key) else _MIN_FUZZY_LATIN):
        near = process.extract(
            key, index.normalized, scorer=fuzz.ratio, limit=_NEAREST, score_cutoff=cutoff
        )
        names = [index.names[position] for _, _, position in near]
    return list(dict.fromkeys(names))[:limit]


_NEAREST = 20  # near names a search with no containing name shows

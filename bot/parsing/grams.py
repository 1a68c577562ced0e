"""A posting index of name bigrams and words: the few names a fuzzy query can match, found
without looking at the others.

`bot.parsing.names.similarity` scores a query against a name as the larger of
- `fuzz.ratio` of the two fuzzy keys (words joined by spaces),
- `fuzz.token_set_ratio` of the keys, scaled by at most 0.95, when the shorter is not Chinese,
- `fuzz.partial_ratio` of the keys without spaces, scaled likewise, when the shorter is Chinese.

Each has a floor on what the two strings share, so only names that share enough are
candidates; the rest cannot reach the cutoff. Two strings of lengths m and n whose longest
common subsequence is L share at least 3L - m - n - 1 bigram occurrences (of the L - 1 pairs
of consecutive matched characters, each unmatched character on either side breaks at most
one), and a ratio of r needs L >= r (m + n) / 200. So:

- ratio: a name must share at least `_ratio_floor` bigram occurrences with the query; any
  such name holds one of the query's rarest (count - floor + 1) bigrams (prefix filtering);
- token_set_ratio: either the two share a word (a word posting), or the score is the ratio of
  the sorted distinct words, whose shared bigrams, less the 2 per space that span two words,
  are bigrams both keys hold;
- partial_ratio: the shorter string, at least 2 characters, against a window of the longer no
  longer than itself; at a cutoff above 2/3 they share a bigram of the spaceless keys.

The index answers with a superset; the caller scores it as before, so matches do not change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

_CONTAINMENT_SCALE = 0.95  # the largest scale `similarity` gives a containment score
_SLACK = 1e-6  # for float rounding in the scorers
_NEVER = 1 << 30  # the floor when no length can reach the score


class GramIndex:
    """Postings of a name list's bigrams and words, added to one name at a time."""

    __slots__ = ("grams", "joined", "spanning", "words")

    def __init__(self) -> None:
        # Bigram occurrences of the fuzzy keys: "ab" for the first, "ab\x001" for the second…
        self.grams: dict[str, list[int]] = {}
        self.words: dict[str, list[int]] = {}
        # Bigrams of the spaceless keys: all of a Chinese name's, and a Latin name's that span
        # a space (its others are in `grams`).
        self.joined: dict[str, list[int]] = {}
        self.spanning: dict[str, list[int]] = {}

    def add(self, position: int, fuzzy: str, *, cjk: bool) -> None:
        """Add the name at `position`, given its fuzzy key."""
        for gram in _occurrences(fuzzy):
            self.grams.setdefault(gram, []).append(position)
        for word in set(fuzzy.split()):
            self.words.setdefault(word, []).append(position)
        compact = fuzzy.replace(" ", "")
        if cjk:
            for gram in set(_bigrams(compact)):
                self.joined.setdefault(gram, []).append(position)
        elif compact != fuzzy:
            for gram in set(_bigrams(compact)) - set(_bigrams(fuzzy)):
                self.spanning.setdefault(gram, []).append(position)

    def candidates(self, query: str, cutoff: float, *, query_cjk: bool) -> set[int] | None:
        """Return the positions that may score `cutoff` against the fuzzy key `query`.

        None means the floors say nothing at this cutoff and length: every name is a candidate.
        """
        floor = min(
            _ratio_floor(len(query), cutoff),
            _word_floor(" ".join(sorted(set(query.split()))), cutoff),
        )
        if floor <= 0 or not _partial_shares_gram(cutoff):
            return None
        found: set[int] = set()
        grams = sorted(_occurrences(query), key=lambda g: len(self.grams.get(g, ())))
        for gram in grams[: max(0, len(grams) - floor + 1)]:
            found.update(self.grams.get(gram, ()))
        for word in set(query.split()):
            found.update(self.words.get(word, ()))
        spaceless = set(_bigrams(query.replace(" ", "")))
        for gram in spaceless:
            found.update(self.joined.get(gram, ()))
            if query_cjk:  # a Chinese query is the shorter string against Latin names too
                found.update(self.grams.get(gram, ()))
                found.update(self.spanning.get(gram, ()))
        return found


def _bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)]


def _occurrences(text: str) -> list[str]:
    """Return the bigrams of `text`, each repeat numbered, so that sets count a multiset."""
    seen: dict[str, int] = {}
    out = []
    for gram in _bigrams(text):
        n = seen.get(gram, 0)
        seen[gram] = n + 1
        out.append(gram if n == 0 else f"{gram}\x00{n}")
    return out


def _shared_floor(m: int, lengths: Iterable[int], score: float) -> int:
    """Return the fewest bigrams a string of length m shares with any of `lengths` at `score`."""
    floor = _NEVER
    for n in lengths:
        common = max(0, math.ceil(score * (m + n) / 200 - _SLACK))  # the least LCS
        if common <= min(m, n):
            floor = min(floor, 3 * common - m - n - 1)
    return floor


def _partners(m: int, score: float) -> range:
    """Return the lengths a string of length m can reach `score` against on fuzz.ratio."""
    return range(1, math.floor(m * (200 / score - 1) + _SLACK) + 1)


@lru_cache(maxsize=4096)
def _ratio_floor(m: int, cutoff: float) -> int:
    if 3 * cutoff <= 200:
        return 0  # the floor 3L - m - n - 1 is never positive
    return _shared_floor(m, _partners(m, cutoff), cutoff)


@lru_cache(maxsize=4096)
def _word_floor_of(m: int, spaces: int, cutoff: float) -> int:
    score = cutoff / _CONTAINMENT_SCALE - _SLACK
    if 3 * score <= 200:
        return 0
    return _shared_floor(m, _partners(m, score), score) - 2 * spaces


def _word_floor(sorted_words: str, cutoff: float) -> int:
    return _word_floor_of(len(sorted_words), sorted_words.count(" "), cutoff)


@lru_cache(maxsize=256)
def _partial_shares_gram(cutoff: float) -> bool:
    """Tell whether a containment match at `cutoff` needs a shared spaceless bigram."""
    score = cutoff / _CONTAINMENT_SCALE - _SLACK
    if 3 * score <= 200:
        return False  # the floor 3L - n - w - 1 never turns positive
    # Past this total length the floor is positive whatever the lengths; check below it (and
    # near 2/3, where that length is large, say nothing rather than loop long).
    top = math.ceil(1 / (3 * score / 200 - 1)) + 2
    if top > 64:
        return False
    for n in range(2, top + 1):  # the needle: 2 characters at least
        for w in range(1, n + 1):  # a window of the longer string, never longer than it
            common = math.ceil(score * (n + w) / 200 - _SLACK)
            if common <= w and 3 * common - n - w - 1 < 1:
                return False
    return True

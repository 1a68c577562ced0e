"""A brute-force customer matcher: every name scored, the reference the indexed one must equal."""

from __future__ import annotations

from bot.parsing import CustomerMatch, normalize_name
from bot.parsing.names import _MIN_FUZZY_CJK, _MIN_FUZZY_LATIN, _fuzzy_key, similarity
from bot.parsing.text import has_cjk


def reference_matches(
    name: str, candidates: list[str], *, limit: int = 5, cutoff: float = 80
) -> list[CustomerMatch]:
    """Return what match_customers returns, by scoring each candidate in Python."""
    key = normalize_name(name)
    if not key or limit <= 0 or not candidates:
        return []
    exact = list(dict.fromkeys(c for c in candidates if normalize_name(c) == key))
    out = [CustomerMatch(c, 100.0, True) for c in exact]
    if len(out) >= limit or len(key) < (_MIN_FUZZY_CJK if has_cjk(key) else _MIN_FUZZY_LATIN):
        return out[:limit]
    if cutoff > 100:
        return out[:limit]
    query, seen = _fuzzy_key(name), set(exact)
    fuzzy = []
    for candidate in candidates:
        score = similarity(query, _fuzzy_key(candidate))
        if candidate not in seen and score >= cutoff:
            seen.add(candidate)
            fuzzy.append(CustomerMatch(candidate, round(score, 1), False))
    fuzzy.sort(key=lambda m: -m.score)
    return (out + fuzzy)[:limit]

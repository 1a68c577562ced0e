"""One dedupe rule for customer names, the same in every language and script.

A name whose normalized key equals a known customer's (case, width, spacing, punctuation and
legal suffixes aside) is that customer. Otherwise a known name is used without asking only
when it is very close (SILENT_SCORE, a slip of one letter in a long name) and no other known
name is near (ASK_SCORE); any other near name makes the bot ask, with every near name offered.
Chinese names are short, so one changed character keeps them under SILENT_SCORE: they are
asked about, and so is "Acme Tradng" (96), while "Shanghai Pudong Developmnt Bank" (98) is not.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.parsing.names import Names, match_customers

ASK_SCORE = 80  # this near a known customer: asked about, never created silently
SILENT_SCORE = 97  # this near, and the only one near: taken without asking
CANDIDATES = 4  # near names offered on the question
OTHER_SCORE = 50  # looser: the names offered when a rep says "Not this customer"


def is_sure(scores: Sequence[float]) -> bool:
    """Tell whether the best of these similarity scores needs no question (exact scores 100)."""
    near = [score for score in scores if score >= ASK_SCORE]
    return len(near) == 1 and near[0] >= SILENT_SCORE


def known_name(name: str, known: Names) -> str | None:
    """Return the known customer `name` surely means, by the rule above, or None."""
    # The strict look first: few names reach SILENT_SCORE, while a look at ASK_SCORE scores
    # many of 20,000 names, so it runs only for the rare name that has a very close match.
    if not match_customers(name, known, limit=1, cutoff=SILENT_SCORE):
        return None
    matches = match_customers(name, known, limit=2, cutoff=ASK_SCORE)
    return matches[0].name if matches and is_sure([m.score for m in matches]) else None

"""The Mini App's name search: the dedupe key contained, best first; near names for a typo."""

from __future__ import annotations

import pytest

from bot.parsing.names import NameIndex, search_names

NAMES = ["Acme Trading Co., Ltd.", "Acme", "Big Acme Stores", "Globex", "華為技術", "万科地产"]
INDEX = NameIndex([*NAMES, "Initech"])


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("acme", ["Acme", "Acme Trading Co., Ltd.", "Big Acme Stores"]),
        ("ACME trading", ["Acme Trading Co., Ltd."]),
        ("trad", ["Acme Trading Co., Ltd."]),
        ("华为", ["華為技術"]),  # Simplified finds Traditional: one key
        ("万科", ["万科地产"]),
        ("Glbex", ["Globex"]),  # nothing contains it: the near names
        ("Initec", ["Initech"]),
        ("zzz", []),
        ("  ", []),
        ("有限公司", []),  # only a suffix: no key
    ],
)
def test_search(query: str, found: list[str]) -> None:
    assert search_names(query, INDEX, limit=10, cutoff=80) == found


def test_limit_keeps_the_best() -> None:
    assert search_names("acme", INDEX, limit=1, cutoff=80) == ["Acme"]

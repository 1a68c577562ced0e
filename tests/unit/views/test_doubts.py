"""A parser's doubts are stated on the entry card, in the team's language, escaped."""

from __future__ import annotations

import pytest

from bot.i18n import CATALOGS, t
from bot.parsing import Doubt, DoubtKind


@pytest.mark.parametrize("kind", list(DoubtKind))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_doubt_has_words_in_both_languages(kind: DoubtKind, lang: str) -> None:
    assert f"doubt.{kind.value}" in CATALOGS[lang]
    line = t(lang, f"doubt.{kind.value}", text="31 <Feb>", assumed="1 Dec")
    assert "31 &lt;Feb&gt;" in line and "<Feb>" not in line


def test_doubt_defaults_to_nothing_assumed() -> None:
    assert Doubt(DoubtKind.DATE_UNREADABLE, "31 Feb").assumed == ""

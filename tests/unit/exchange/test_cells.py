"""Formula injection: cells that a spreadsheet would run are shown as text."""

from __future__ import annotations

import pytest

from bot.exchange.cells import neutralize, unneutralize


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+86 138 0000 0000", "'+86 138 0000 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Acme", "Acme"),
        ("万科", "万科"),
        ("a=b", "a=b"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_neutralize(value: str, expected: str) -> None:
    assert neutralize(value) == expected


@pytest.mark.parametrize("value", ["=1+1", "+86", "-x", "@x", "Acme", "'plain", "\tx"])
def test_unneutralize_undoes_neutralize(value: str) -> None:
    assert unneutralize(neutralize(value)) == value

"""The Mini App's page files: every string in both languages, within budget, nothing external."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).parents[3] / "bot" / "web" / "static"
APP_JS = (STATIC / "app.js").read_text(encoding="utf-8")
FIRST_SCREEN_FILES = ("index.html", "app.js", "app.css")
# The JSON of a first screen is ~15 KB (benchmarks/bench_page.py); the files get the rest.
FILES_BUDGET = 85_000


def catalog(lang: str) -> set[str]:
    """The keys of one language's strings in app.js."""
    block = re.search(rf"\n    {lang}: {{\n(.*?)\n    }},", APP_JS, re.S)
    assert block is not None, f"no {lang} strings in app.js"
    return set(re.findall(r'^      "?([\w.]+)"?:', block.group(1), re.M))


def test_every_string_is_in_english_and_chinese() -> None:
    english, chinese = catalog("en"), catalog("zh")
    assert len(english) > 50
    assert english - chinese == set() and chinese - english == set()


def test_every_string_the_page_asks_for_is_in_the_catalog() -> None:
    keys = catalog("en")
    asked = set(re.findall(r'\bt\("([\w.]+)"\s*[,)]', APP_JS))
    # Keys built at run time: "tab." + tab, "stats." + figure, "role." + role, "card." + field.
    built = {
        prefix + name
        for prefix, names in {
            "tab.": ("board", "customers", "tasks", "stats"),
            "role.": ("manager", "rep"),
            "stats.kind.": ("channel", "rep", "partner"),
            "card.": ("contact", "phone", "email", "address"),
        }.items()
        for name in names
    }
    figures = re.search(r"const TILES = \[(.*?)\];", APP_JS, re.S)
    assert figures is not None
    built |= {"stats." + name for name in re.findall(r'"(\w+)"', figures.group(1))}
    assert len(asked) > 40
    assert asked - keys == set() and built - keys == set()


def test_the_first_screen_files_fit_the_budget() -> None:
    size = sum((STATIC / name).stat().st_size for name in FIRST_SCREEN_FILES)
    assert size < FILES_BUDGET


def test_the_page_loads_nothing_from_elsewhere_and_never_parses_data_as_html() -> None:
    for name in FIRST_SCREEN_FILES:
        text = (STATIC / name).read_text(encoding="utf-8")
        # The SVG namespace is a name, not a request.
        urls = set(re.findall(r"https?://[^\s\"'`)]+", text)) - {"http://www.w3.org/2000/svg"}
        assert urls == set(), name
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", text), name

"""Telegram HTML and MarkdownV2 parsing: what is accepted, what is stripped, what fails."""

import pytest

from tgemu.entities import EntityParseError
from tgemu.formatting import format_text
from tgemu.telegram_html import parse_html
from tgemu.telegram_markdown import parse_markdown, parse_markdown_v2


@pytest.mark.parametrize(
    ("source", "plain", "entities"),
    [
        ("plain", "plain", []),
        ("<b>Hi</b> &lt;you&gt; &amp; &quot;me&quot;", 'Hi <you> & "me"', [("bold", 0, 2)]),
        ("<strong>a</strong><i>b</i><em>c</em><u>d</u><ins>e</ins>", "abcde", None),
        ("<s>x</s><strike>y</strike><del>z</del>", "xyz", None),
        ('<tg-spoiler>s</tg-spoiler><span class="tg-spoiler">t</span>', "st", None),
        ("<b>bold <i>both</i></b>", "bold both", [("bold", 0, 9), ("italic", 5, 4)]),
        ("🙂 <b>客户</b>", "🙂 客户", [("bold", 3, 2)]),
        ("&#128578;&#x1F642;", "🙂🙂", []),
        ("<code>x &lt; y</code>", "x < y", [("code", 0, 5)]),
        ("<blockquote>q</blockquote>", "q", [("blockquote", 0, 1)]),
        ("<B>upper</B>", "upper", [("bold", 0, 5)]),
        ("<b></b>empty tag", "empty tag", []),
    ],
)
def test_valid_html_is_stripped_into_entities(
    source: str, plain: str, entities: list[tuple[str, int, int]] | None
) -> None:
    text, parsed = parse_html(source)
    assert text == plain
    if entities is not None:
        assert [(e["type"], e["offset"], e["length"]) for e in parsed] == entities


def test_links_and_pre_with_language() -> None:
    text, entities = parse_html(
        '<a href="https://example.com">site</a> '
        '<pre><code class="language-python">x = 1</code></pre>'
    )
    assert text == "site x = 1"
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://example.com/"},
        {"type": "pre", "offset": 5, "length": 5, "language": "python"},
    ]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("price < 100", 'Unsupported start tag "" at byte offset 6'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("Hi <name>", 'Unsupported start tag "name" at byte offset 3'),
        ("<b>open", "Can't find end tag corresponding to start tag b"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<span class="bold">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<a href=x,y>x</a>", "Unexpected end of name token at byte offset 8"),
        ("Tom & Jerry", 'Unescaped "&" at byte offset 4'),
        ("a -> b", 'Unescaped ">" at byte offset 3'),
        ("&nbsp;", 'Unescaped "&" at byte offset 0'),
    ],
)
def test_invalid_html_is_rejected_with_telegram_wording(source: str, error: str) -> None:
    with pytest.raises(EntityParseError, match=error.replace("(", r"\(")):
        parse_html(source)


def test_lenient_mode_accepts_what_telegram_accepts() -> None:
    assert parse_html("Tom & Jerry -> &nbsp;", strict=False) == ("Tom & Jerry -> &nbsp;", [])
    with pytest.raises(EntityParseError):
        parse_html("1 < 2", strict=False)


def test_byte_offsets_count_utf8_bytes() -> None:
    with pytest.raises(EntityParseError, match="at byte offset 7"):
        parse_html("客户 <x>")


def test_format_text_trims_and_adds_automatic_entities() -> None:
    formatted = format_text(
        "\n  <b>New visit</b> by @alice_sales #客户  \n",
        "HTML",
        None,
        strict_html=True,
        users={},
    )
    assert formatted.text == "New visit by @alice_sales #客户"
    assert [(e["type"], e["offset"], e["length"]) for e in formatted.entities] == [
        ("bold", 0, 9),
        ("mention", 13, 12),
        ("hashtag", 26, 3),
    ]


def test_format_text_resolves_text_mentions_of_known_users() -> None:
    users = {101: {"id": 101, "is_bot": False, "first_name": "Alice"}}
    formatted = format_text(
        '<a href="tg://user?id=101">Alice</a> <a href="tg://user?id=9">ghost</a>',
        "HTML",
        None,
        strict_html=True,
        users=users,
    )
    assert formatted.entities == [
        {"type": "text_mention", "offset": 0, "length": 5, "user": users[101]}
    ]


@pytest.mark.parametrize(
    ("source", "plain", "entities"),
    [
        ("*bold* _it_ __under__ ~gone~ ||hidden||", "bold it under gone hidden", None),
        ("Total: 5\\.00\\!", "Total: 5.00!", []),
        ("[site](https://example.com/a\\)b)", "site", [("text_link", 0, 4)]),
        ("`a_b` and ```python\nprint()\n```", "a_b and print()\n", [("code", 0, 3), ("pre", 8, 8)]),
        (">quoted\nplain", "quoted\nplain", [("blockquote", 0, 7)]),
    ],
)
def test_markdown_v2(source: str, plain: str, entities: list[tuple[str, int, int]] | None) -> None:
    text, parsed = parse_markdown_v2(source)
    assert text == plain
    if entities is not None:
        assert [(e["type"], e["offset"], e["length"]) for e in parsed] == entities


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("Total: 5.00", "Character '.' is reserved and must be escaped with the preceding '\\\\'"),
        ("a - b", "Character '-' is reserved"),
        ("*open", "Can't find end of Bold entity at byte offset 0"),
        ("x _y", "Can't find end of Italic entity at byte offset 2"),
    ],
)
def test_markdown_v2_errors(source: str, error: str) -> None:
    with pytest.raises(EntityParseError, match=error.replace("(", r"\(")):
        parse_markdown_v2(source)


def test_legacy_markdown() -> None:
    assert parse_markdown("*b* _i_ `c` [t](http://x.org)")[0] == "b i c t"
    with pytest.raises(EntityParseError, match="Can't find end of the entity starting at byte"):
        parse_markdown("snake_case")

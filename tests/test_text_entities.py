"""HTML character references in plain-text and Markdown articles are decoded."""

from __future__ import annotations

import pytest

from briefing.sources.text import decode_entities, parse_text_article


def test_an_article_copied_with_its_entities_reads_as_text() -> None:
    text = (
        "Ferry firm AT&amp;T Marine cuts routes\n\n"
        "The company called the cuts &quot;painful&quot; on Monday and said Gull&#8217;s "
        "berth&nbsp;would close.\n"
    )
    for markdown in (False, True):
        parsed = parse_text_article(text, stem="ferry", markdown=markdown)
        assert parsed.title == "Ferry firm AT&T Marine cuts routes"
        assert parsed.text == (
            'The company called the cuts "painful" on Monday and said Gull’s berth would close.'
        )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("AT&T; rivals", "AT&T; rivals"),  # no reference: left alone
        ("&copyright law", "&copyright law"),  # html.unescape alone would make "©right"
        ("&bogus; stays", "&bogus; stays"),
        ("&#x2019;", "’"),
    ],
)
def test_only_complete_known_references_are_decoded(line: str, expected: str) -> None:
    assert decode_entities(line) == expected

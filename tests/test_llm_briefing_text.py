"""What the LLM engine's briefing says to a reader: one row per source and value in a
divergence, whatever the model's reply repeats.

The articles are invented for these tests (a flood in the made-up town of Orlen).
"""

from __future__ import annotations

from typing import Any

from briefing.llm.accounting import Accounting
from briefing.llm.assemble import Sections, assemble
from briefing.llm.notes import Notebook
from briefing.llm.schema import ReduceReply
from briefing.model import Article, Citation, Claim

TEXT_1 = (
    "The flood in Orlen killed 14 people, the governor said. "
    "Another 25 were injured, a hospital spokesman said on Wednesday. "
    '"This disaster killed 14 people and injured 25," the governor told reporters.'
)
TEXT_2 = "Eleven people died in the Orlen flood and about 30 were injured, the agency said."
ARTICLES = [
    Article(id="a1", label=1, title="Orlen flood", text=TEXT_1, outlet="Riverside Courier"),
    Article(id="b2", label=2, title="Eleven dead", text=TEXT_2, outlet="Northern Ledger"),
]


def _notebook() -> Notebook:
    """One note per sentence: c1-c3 from article a1, c4 from b2."""
    book = Notebook.for_articles(ARTICLES)
    for article in ARTICLES:
        start = 0
        for sentence in article.text.replace(". ", ".\n").split("\n"):
            start = article.text.index(sentence, start)
            end = start + len(sentence)
            cit = Citation(article_id=article.id, start=start, end=end, quote=sentence)
            book.add_claim(Claim(text=sentence, citation=cit))
            start = end
    return book


def _assemble(versions: list[dict[str, Any]]) -> Sections:
    reply = ReduceReply.model_validate(
        {
            "headline": "Orlen flood",
            "bottom_line": {"text": "A flood hit Orlen.", "citations": [{"id": "c1"}]},
            "divergences": [{"topic": "How many injured", "kind": "numeric", "versions": versions}],
        }
    )
    return assemble(reply, _notebook(), ARTICLES, Accounting(), max_points=8)


def test_the_notebook_holds_one_note_per_sentence() -> None:
    book = _notebook()
    assert [c.citation.article_id for c in book.claims.values()] == ["a1", "a1", "a1", "b2"]
    assert book.claims["c3"].citation.quote.startswith('"This disaster')


def test_one_source_with_one_value_twice_is_one_row() -> None:
    sections = _assemble(
        [
            {"text": "25 injured", "citations": [{"id": "c2"}]},
            {"text": "about 30 injured", "citations": [{"id": "c4"}]},
            {"text": "25 Injured.", "citations": [{"id": "c3"}]},  # the same, written again
        ]
    )
    [div] = sections.divergences
    rows = [(v.citation.article_id, v.text) for v in div.versions]
    assert rows == [("a1", "25 injured"), ("b2", "about 30 injured")]
    # The kept row cites a passage of that source that carries the figure.
    assert "25" in div.versions[0].citation.quote
    assert not sections.unverified


def test_the_merged_row_cites_the_passage_that_carries_the_figure() -> None:
    sections = _assemble(
        [
            {"text": "25 injured", "citations": [{"id": "c1"}]},  # "killed 14": no 25
            {"text": "about 30 injured", "citations": [{"id": "c4"}]},
            {"text": "25 injured", "citations": [{"id": "c2"}]},
        ]
    )
    [div] = sections.divergences
    assert [v.citation.quote for v in div.versions] == [
        "Another 25 were injured, a hospital spokesman said on Wednesday.",
        TEXT_2,
    ]


def test_one_source_with_two_values_keeps_both_rows() -> None:
    sections = _assemble(
        [
            {"text": "25 injured", "citations": [{"id": "c2"}]},
            {"text": "14 killed", "citations": [{"id": "c1"}]},
            {"text": "about 30 injured", "citations": [{"id": "c4"}]},
        ]
    )
    [div] = sections.divergences
    assert [v.text for v in div.versions] == ["25 injured", "14 killed", "about 30 injured"]


def test_a_source_repeating_itself_is_no_divergence_and_not_unverified() -> None:
    sections = _assemble(
        [
            {"text": "25 injured", "citations": [{"id": "c2"}]},
            {"text": "25 injured", "citations": [{"id": "c3"}]},
        ]
    )
    assert sections.divergences == []
    assert sections.unverified == []

"""Sources a divergence note names are cited there, with a span, and not called uncited."""

from __future__ import annotations

from functools import partial

from offline_sentences import invented

from briefing.model import Briefing, Citation, Divergence, Point, RunInfo, SourceVersion
from briefing.offline import build_briefing

_article = partial(invented, prefix="note")


def _story() -> list:
    # Eight sources, two tolls: the table shows six, the note the other two.
    texts = [
        f"A bus fell into a ravine near Orvik on Tuesday. The crash killed {toll} people, "
        f"police in Orvik said. Rescue work went on into the night near the {place}."
        for toll, place in [
            (16, "bridge"), (16, "river"), (16, "pass"), (16, "village"),
            (20, "dam"), (20, "quarry"), (20, "school"), (20, "mill"),
        ]
    ]  # fmt: skip
    return [_article(k, text) for k, text in enumerate(texts, 1)]


def test_sources_a_divergence_note_names_are_cited_and_not_reported_uncited() -> None:
    articles = _story()
    b: Briefing = build_briefing(articles)
    noted = [d for d in b.divergences if d.note and "more source" in d.note]
    assert noted, [(d.topic, d.note) for d in b.divergences]
    d = noted[0]
    shown = {v.citation.article_id for v in d.versions}
    named = {c.article_id for c in d.note_citations}
    assert len(named) == 8 - len(shown) and not named & shown
    by_id = {a.id: a for a in articles}
    for c in d.note_citations:
        assert by_id[c.article_id].text[c.start : c.end] == c.quote
        assert "killed" in c.quote
    assert named <= b.cited_ids()
    assert not [w for w in b.run.warnings if "not cited" in w]


def test_a_source_quoted_only_in_a_divergence_note_counts_as_cited() -> None:
    def cite(article_id: str) -> Citation:
        return Citation(article_id=article_id, start=0, end=4, quote="Nine")

    b = Briefing(
        headline="h",
        bottom_line=Point(text="t", citations=[cite("a")]),
        divergences=[
            Divergence(
                topic="Number killed",
                kind="numeric",
                versions=[SourceVersion(text="9", citation=cite(x)) for x in ("a", "b")],
                note="1 more source gives: 12 ([3])",
                note_citations=[cite("c")],
            )
        ],
        run=RunInfo(engine="offline"),
    )
    assert b.cited_ids() == {"a", "b", "c"}

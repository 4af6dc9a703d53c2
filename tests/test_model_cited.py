"""Briefing.cited_ids: which sources the briefing states something from."""

from __future__ import annotations

from briefing.model import (
    Briefing,
    Citation,
    Divergence,
    Point,
    RunInfo,
    SingleSourceNote,
    SourceVersion,
    TimelineEntry,
)


def _cite(article_id: str) -> Citation:
    return Citation(article_id=article_id, start=0, end=4, quote="text")


def test_cited_ids_cover_every_section_but_unverified() -> None:
    b = Briefing(
        headline="Dam fails in Norland",
        bottom_line=Point(text="The dam failed.", citations=[_cite("bottom")]),
        points=[Point(text="Sixteen died.", citations=[_cite("point-a"), _cite("point-b")])],
        divergences=[
            Divergence(
                topic="Death toll",
                kind="numeric",
                versions=[
                    SourceVersion(text="16 killed", citation=_cite("diverge-a")),
                    SourceVersion(text="20 killed", citation=_cite("diverge-b")),
                ],
            )
        ],
        single_source=[SingleSourceNote(text="A bridge closed.", citation=_cite("note"))],
        timeline=[
            TimelineEntry(
                when="2031-03-02", label="Sunday", text="Dam fails.", citations=[_cite("time")]
            )
        ],
        unverified=[Point(text="Unchecked.", citations=[_cite("unverified")])],
        run=RunInfo(engine="offline"),
    )
    assert b.cited_ids() == {
        "bottom", "point-a", "point-b", "diverge-a", "diverge-b", "note", "time"
    }  # fmt: skip


def test_cited_ids_of_an_uncited_briefing_is_empty() -> None:
    b = Briefing(headline="h", bottom_line=Point(text="No usable text"), run=RunInfo(engine="llm"))
    assert b.cited_ids() == set()

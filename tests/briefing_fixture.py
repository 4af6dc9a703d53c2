"""A realistic Briefing record built in code, for renderer, e-mail and SMTP tests.

The story (a ferry fire off the invented Port Kessa) and its four sources are made
up for these tests. Citations point at real character spans of the short article
texts below, as the pipeline's would.

``make_briefing(hostile=True)`` puts markup into every article-derived string
(titles, outlets, points, quotes, divergence topics, timeline labels, URLs, paths)
so tests can check that no renderer lets it through as live HTML or Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.model import (
    Briefing,
    Citation,
    Divergence,
    Point,
    RunInfo,
    SingleSourceNote,
    SourceRef,
    SourceVersion,
    TimelineEntry,
)

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> "
    "[click](javascript:alert(1)) *star* _under_ # hash | pipe `tick` &amp; 1. ]"
)


@dataclass(frozen=True)
class _Source:
    id: str
    label: int
    title: str
    outlet: str | None
    date: str | None
    url: str | None
    path: str | None
    sentences: tuple[str, ...]
    duplicates: tuple[str, ...] = ()


_SOURCES = (
    _Source(
        id="a1f00d000001",
        label=1,
        title="At least 14 dead as fire sweeps ferry off Port Kessa",
        outlet="Meridian Wire",
        date="2025-03-04",
        url="https://meridian-wire.example/world/2025/03/04/ferry-fire-kessa",
        path=None,
        duplicates=("https://syndication.example/meridian/ferry-fire-kessa",),
        sentences=(
            "A fire broke out on the passenger ferry Aster Line 7 shortly after 6 a.m. "
            "on Tuesday as it approached Port Kessa.",
            "At least 14 people were killed and 40 injured, the coast guard said.",
            "The ferry was carrying 212 passengers.",
            "Officials said an electrical fault in the engine room was the likely cause.",
            "Rescue boats reached the vessel within 20 minutes.",
        ),
    ),
    _Source(
        id="b2f00d000002",
        label=2,
        title="Governor blames operator after nine die in ferry blaze",
        outlet="The Kessa Courier",
        date="2025-03-04",
        url="https://kessacourier.example/news/ferry-blaze?id=41&src=rss",
        path=None,
        sentences=(
            "Nine people died when fire swept through the ferry Aster Line 7 early on "
            "Tuesday morning, the regional governor said.",
            "The governor blamed the operator for ignoring safety warnings issued last year.",
            "More than 200 passengers were on board.",
            "Survivors were taken to St. Brannoc Hospital, which declared an emergency.",
        ),
    ),
    _Source(
        id="c3f00d000003",
        label=3,
        title="Aster Line: ferry fire was an accident",
        outlet="Radio Lindvar",
        date="2025-03-05",
        url="https://radiolindvar.example/en/news/aster-line-7",
        path=None,
        sentences=(
            "The Aster Line 7 ferry caught fire at about 7 a.m. on Tuesday near Port Kessa.",
            "The operator, Aster Line, said 11 people were killed.",
            "Aster Line said the fire was an accident and that the ship had passed its "
            "inspection in January.",
            "Divers resumed the search on Wednesday.",
        ),
    ),
    _Source(
        id="d4f00d000004",
        label=4,
        title="Statement on the closure of the northern berth",
        outlet="Kessa Harbour Authority",
        date=None,
        url=None,
        path="notes/harbour-office-statement.txt",
        sentences=(
            "The harbour authority closed the northern berth of Port Kessa on Tuesday "
            "after the fire aboard Aster Line 7.",
            "The berth will reopen on Friday.",
            "The authority counted 212 passengers and 18 crew on the ferry's manifest.",
        ),
    ),
)


class _Builder:
    """Turns the sources above into article texts and exact citations."""

    def __init__(self, hostile: bool) -> None:
        self.hostile = hostile
        self.texts: dict[str, str] = {}
        self.sentences: dict[tuple[int, int], tuple[int, int, str]] = {}
        for src in _SOURCES:
            text = ""
            for index, sentence in enumerate(src.sentences):
                sentence = self.mark(sentence)
                start = len(text)
                text += sentence + " "
                self.sentences[(src.label, index)] = (start, start + len(sentence), sentence)
            self.texts[src.id] = text

    def mark(self, text: str) -> str:
        return f"{text} {HOSTILE}" if self.hostile else text

    def cite(self, label: int, index: int) -> Citation:
        start, end, sentence = self.sentences[(label, index)]
        return Citation(article_id=_SOURCES[label - 1].id, start=start, end=end, quote=sentence)

    def ref(self, src: _Source) -> SourceRef:
        return SourceRef(
            id=src.id,
            label=src.label,
            title=self.mark(src.title),
            outlet=self.mark(src.outlet) if src.outlet else None,
            date=src.date,
            url="javascript:alert(1)" if self.hostile and src.label == 3 else src.url,
            path=self.mark(src.path) if src.path else None,
            duplicates=[self.mark(d) for d in src.duplicates],
            chars=len(self.texts[src.id]),
        )


FILE_NOTE = "merged duplicate copy.txt into [2]"
CONTENT_WARNING = "source [3] was cut at 20000 characters"


def make_briefing(
    *,
    hostile: bool = False,
    unverified: bool = False,
    extra_points: int = 0,
    run_notes: bool = False,
) -> Briefing:
    """The four-source ferry-fire briefing.

    ``unverified`` adds a statement whose citation could not be grounded;
    ``extra_points`` appends that many lower-ranked filler points (for size limits);
    ``run_notes`` adds a note on how a file was read (FILE_NOTE) and a warning about the
    content (CONTENT_WARNING).
    """
    b = _Builder(hostile)
    m = b.mark
    points = [
        Point(
            text=m(
                "A fire on the ferry Aster Line 7 near Port Kessa on Tuesday morning killed "
                "between 9 and 14 people; the sources disagree on the toll."
            ),
            citations=[b.cite(1, 1), b.cite(2, 0), b.cite(3, 1)],
        ),
        Point(
            text=m("More than 200 passengers were on board; the manifest lists 212 and 18 crew."),
            citations=[b.cite(4, 2), b.cite(1, 2), b.cite(2, 2)],
        ),
        Point(
            text=m("The cause is disputed between officials, the governor and the operator."),
            citations=[b.cite(1, 3), b.cite(2, 1), b.cite(3, 2)],
        ),
        Point(
            text=m("Rescue boats arrived within 20 minutes; divers resumed the search Wednesday."),
            citations=[b.cite(1, 4), b.cite(3, 3)],
        ),
    ]
    for n in range(extra_points):
        points.append(
            Point(
                text=m(
                    f"Lower-ranked filler point number {n + 1}, repeating that the ferry "
                    "Aster Line 7 caught fire near Port Kessa on Tuesday morning."
                ),
                citations=[b.cite(1 + n % 3, 0), b.cite(1 + (n + 1) % 3, 0)],
            )
        )
    divergences = [
        Divergence(
            topic=m("Death toll"),
            kind="numeric",
            versions=[
                SourceVersion(text=m("at least 14 killed"), citation=b.cite(1, 1)),
                SourceVersion(text=m("9 dead"), citation=b.cite(2, 0)),
                SourceVersion(text=m("11 killed, per the operator"), citation=b.cite(3, 1)),
            ],
            note=m("The wire cites the coast guard, the Courier the governor."),
        ),
        Divergence(
            topic=m("Cause of the fire"),
            kind="attribution",
            versions=[
                SourceVersion(
                    text=m("an electrical fault, according to officials"),
                    citation=b.cite(1, 3),
                ),
                SourceVersion(
                    text=m("the operator ignored safety warnings, says the governor"),
                    citation=b.cite(2, 1),
                ),
                SourceVersion(text=m("an accident, says the operator"), citation=b.cite(3, 2)),
            ],
        ),
        Divergence(
            topic=m("When the fire started"),
            kind="other",
            versions=[
                SourceVersion(text=m("shortly after 6 a.m."), citation=b.cite(1, 0)),
                SourceVersion(text=m("about 7 a.m."), citation=b.cite(3, 0)),
            ],
        ),
    ]
    single_source = [
        SingleSourceNote(
            text=m("St. Brannoc Hospital declared an emergency."), citation=b.cite(2, 3)
        ),
        SingleSourceNote(
            text=m("The northern berth of Port Kessa stays closed until Friday."),
            citation=b.cite(4, 1),
        ),
        SingleSourceNote(
            text=m("The ship passed its inspection in January."), citation=b.cite(3, 2)
        ),
    ]
    timeline = [
        TimelineEntry(
            when="2025-03-04T06:00",
            label=m("Tuesday, 6–7 a.m."),
            text=m("Fire breaks out on Aster Line 7 as it approaches Port Kessa."),
            citations=[b.cite(1, 0), b.cite(3, 0)],
        ),
        TimelineEntry(
            when="2025-01",
            label=m("January"),
            text=m("Aster Line 7 passes its inspection."),
            citations=[b.cite(3, 2)],
        ),
        TimelineEntry(
            when="2025-03-04T10:00",
            label=m("Tuesday"),
            text=m("The harbour authority closes the northern berth."),
            citations=[b.cite(4, 0)],
        ),
        TimelineEntry(
            when="2025-03-05",
            label=m("Wednesday"),
            text=m("Divers resume the search."),
            citations=[b.cite(3, 3)],
        ),
        TimelineEntry(
            when="2025-03-07",
            label=m("Friday"),
            text=m("The northern berth is due to reopen."),
            citations=[b.cite(4, 1)],
        ),
    ]
    unverified_points = []
    if unverified:
        unverified_points.append(
            Point(
                text=m("The captain was arrested on Wednesday."),
                citations=[Citation(article_id=_SOURCES[1].id, start=0, end=0, quote="")],
            )
        )
    return Briefing(
        headline=m("Ferry fire off Port Kessa kills at least nine; toll and cause disputed"),
        bottom_line=Point(
            text=m(
                "A fire on the ferry Aster Line 7 near Port Kessa on Tuesday killed between "
                "9 and 14 people; officials, the governor and the operator blame different causes."
            ),
            citations=[b.cite(1, 1), b.cite(2, 0), b.cite(3, 1)],
        ),
        points=points,
        divergences=divergences,
        single_source=single_source,
        timeline=timeline,
        unverified=unverified_points,
        sources=[b.ref(src) for src in _SOURCES],
        run=RunInfo(
            engine="llm",
            model=m("test-model-1"),
            generated_at="2025-03-05T09:15:00+00:00",
            version="0.1.0",
            counts={"articles": 4, "chunks": 4, "claims": 16},
            warnings=[
                *([m("chunk 3 of source [2] needed a retry")] if hostile else []),
                *([CONTENT_WARNING] if run_notes else []),
            ],
            notes=[FILE_NOTE] if run_notes else [],
        ),
    )


def make_single_source_briefing() -> Briefing:
    """One article only: no divergences, nothing 'single-source', no timeline."""
    b = _Builder(hostile=False)
    src = _SOURCES[0]
    return Briefing(
        headline="Fire on ferry Aster Line 7 near Port Kessa",
        bottom_line=Point(text="A fire on a ferry killed at least 14.", citations=[b.cite(1, 1)]),
        points=[Point(text="The ferry carried 212 passengers.", citations=[b.cite(1, 2)])],
        sources=[b.ref(src)],
        run=RunInfo(engine="offline", generated_at="2025-03-05T09:15:00+00:00"),
    )


def article_texts(*, hostile: bool = False) -> dict[str, str]:
    """Article id -> the text the fixture's citation spans point into."""
    return dict(_Builder(hostile).texts)

"""Salient facts only one source reports.

A sentence qualifies when no other article has a matching sentence, it is not
already a key point or part of a divergence, and it carries checkable detail:
a number, a named person or place. Ranked by the same score as key points,
at most two per outlet (one when there are many) so one long article cannot
fill the section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.model import Article, SingleSourceNote

from .citations import cite_sentence, display
from .facts import SentenceFacts
from .grouping import Links
from .numbers import Count
from .ranking import fragment, leans_back
from .segment import ContentSentence
from .support import same_count
from .vectors import SentenceSpace

MAX_NOTES = 6
MAX_NOTES_LARGE = 10  # for large article sets: one note per three articles, up to this
PER_OUTLET = 2
# Closer than this to a key point (or a chosen note) and the fact is not new.
NOT_NEW = 0.3
# A key point's own sentences are held to a lower bar: a note that merely rewords one
# ("may have been mistaken for a U.S. drone") is not news from a single source.
NOT_NEW_POINT = 0.2
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


def _salient(text: str, facts: SentenceFacts) -> bool:
    if facts.counts or any(ch.isdigit() for ch in text):
        return True
    return len(_NAME.findall(text[1:])) >= 1


def _counted_elsewhere(
    i: int,
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    by_thing: dict[tuple[str, str | None], list[tuple[int, Count]]],
) -> bool:
    """Every count the sentence gives is also given by another source: "the deaths of 16
    people" is not single-source when five outlets report 16 killed in Iraq."""
    counts = facts[i].counts
    own = sents[i].article
    return bool(counts) and all(
        any(
            article != own and same_count(c, other) and other.quantity.value == c.quantity.value
            for article, other in by_thing.get((c.thing, c.who), [])
        )
        for c in counts
    )


def single_source_notes(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    scores: Sequence[float],
    space: SentenceSpace,
    links: Links,
    used: Sequence[int],
    *,
    points: Sequence[int] = (),
    limit: int | None = None,
) -> list[SingleSourceNote]:
    """Notes for facts one source reports. ``used`` are sentences already in the briefing,
    ``points`` those of its key points."""
    if len(articles) < 2:
        return []
    if limit is None:
        limit = max(MAX_NOTES, min(MAX_NOTES_LARGE, len(articles) // 3))
    # With many sources, one note each shows more of what only they report.
    per_source = PER_OUTLET if len(articles) < 6 else 1
    import numpy as np

    taken = list(dict.fromkeys(used))
    point_rows = list(dict.fromkeys(points))
    by_thing: dict[tuple[str, str | None], list[tuple[int, Count]]] = {}
    for j, f in enumerate(facts):
        for c in f.counts:
            by_thing.setdefault((c.thing, c.who), []).append((sents[j].article, c))
    per_outlet: dict[int, int] = {}
    notes: list[SingleSourceNote] = []
    for i in np.argsort(-np.asarray(scores), kind="stable"):
        if len(notes) >= limit:
            break
        i = int(i)
        s = sents[i]
        outlet = int(links.outlet[s.article])
        if i in taken or links.support(i) > 0 or per_outlet.get(outlet, 0) >= per_source:
            continue
        # A note states its sentence as the source's report: words that are someone's
        # only in the sentence before (a quotation's speaker) would read as the outlet's.
        if not _salient(s.text, facts[i]) or fragment(s.text) or leans_back(s.text):
            continue
        if taken and float(space.sim[i, taken].max()) >= NOT_NEW:
            continue
        if point_rows and float(space.sim[i, point_rows].max()) >= NOT_NEW_POINT:
            continue
        if _counted_elsewhere(i, sents, facts, by_thing):
            continue
        citation = cite_sentence(articles, s)
        notes.append(SingleSourceNote(text=display(citation.quote), citation=citation))
        taken.append(i)
        per_outlet[outlet] = per_outlet.get(outlet, 0) + 1
    return notes

"""Divergences on loose figures: one sentence, told by two sources with other numbers.

"Rescue teams pulled 14 people from cars" against "... pulled 9 people from cars":
the count reader has no measure for "pulled", so the numeric finder never sees these.
Two sentences are the same telling when one would be cited for the other but for the
figure (the support test, figures aside), which keeps out sentences that merely share
a word after a number ("14 people were hurt" / "9 people were arrested").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from briefing.model import Article, Divergence

from .candidates import Candidate, snippet, version_at
from .facts import SentenceFacts
from .figures import Figure, figure_key
from .numbers import compatible
from .segment import ContentSentence
from .support import WEAK_SIMILARITY, Support

MAX_VERSIONS = 6
# Words two figures' contexts must share to be one fact told twice: "a town of about
# 17,000 people near Fort Worth" and "about 250 people were inside the church" share a
# sentence's worth of names but not a word around the figure.
SHARED_CONTEXT = 2
# A figure the count reader could not name ranks with generic counts.
_BASE_SCORE = 1.5


def _one_context(a: Figure, b: Figure) -> bool:
    """The words around two figures make them one fact: SHARED_CONTEXT of them, or all
    of a short sentence's ("The fire burned for six hours": only "burned")."""
    shared = len(a.context & b.context)
    return shared >= 1 and shared >= min(SHARED_CONTEXT, len(a.context), len(b.context))


def _on(facts: SentenceFacts, key: str) -> Figure | None:
    return next((g for g in facts.figures if g.key == key), None)


def _figure(text: str, figure: Figure) -> str:
    """The figure with the word it qualifies: "14 people", "1.5 metres"."""
    return f"{text[figure.start : figure.end]} {figure.word}".strip()


def _topic(text: str, figure: Figure) -> str:
    blanked = f"{text[: figure.start]}…{text[figure.end :]}"
    context = snippet(blanked, figure.start, figure.start + 1, before=4, after=5)
    return f"Figure in “{context.strip('… ').rstrip('.,;:')}”"


def figure_divergences(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    support: Support,
    scores: Sequence[float],
) -> list[Candidate]:
    by_key: dict[str, list[int]] = {}
    for i, f in enumerate(facts):
        for g in f.figures:
            by_key.setdefault(g.key, []).append(i)
    found: list[Candidate] = []
    used: set[int] = set()
    for key, rows in sorted(by_key.items()):
        for i in sorted(rows, key=lambda k: (-scores[k], k)):
            if i in used:
                continue
            mine = _on(facts[i], key)
            assert mine is not None
            bare = replace(support.stated[i], figures=())
            # Per other article, its best sentence told like this one.
            told: dict[int, int] = {}
            for j in rows:
                a = sents[j].article
                if a == sents[i].article or j in used:
                    continue
                similarity = support.similarity(i, j)
                if similarity < WEAK_SIMILARITY or not support.backs(bare, j, similarity):
                    continue
                if a not in told or scores[j] > scores[told[a]]:
                    told[a] = j
            theirs: dict[int, Figure] = {}
            for j in told.values():
                g = _on(facts[j], key)
                if g is not None and _one_context(mine, g):
                    theirs[j] = g
            if not any(not compatible(mine.quantity, g.quantity) for g in theirs.values()):
                continue
            theirs[i] = mine
            # By value, so the reader sees the range; the best-ranked telling is kept.
            chosen = sorted(
                theirs, key=lambda j: (j != i, theirs[j].quantity.value, sents[j].article)
            )[:MAX_VERSIONS]
            chosen.sort(key=lambda j: (theirs[j].quantity.value, sents[j].article))
            versions = []
            for k in chosen:
                g = theirs[k]
                versions.append(
                    version_at(articles, sents, k, _figure(sents[k].text, g), g.start, g.end)
                )
            used.update(chosen)
            score = _BASE_SCORE + 0.1 * len(chosen) + max(scores[k] for k in chosen)
            found.append(
                Candidate(
                    Divergence(
                        topic=_topic(sents[i].text, mine), kind="numeric", versions=versions
                    ),
                    score,
                    tuple(chosen),
                    disputes=figure_key(key),
                )
            )
    return found

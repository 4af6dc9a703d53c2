"""Framing divergences: one source's dead are "civilians", another's are "militants".

Two descriptors are about the same people only when something ties them: the same
place named, counts that agree ("16 people, including civilians" / "16 were
killed"), or sentences that are plainly about the same event. Without such a tie
"civilians killed in Iraq" and "fighters killed in Syria" are simply two facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from briefing.model import Article, Divergence

from .candidates import Candidate, snippet, version
from .facts import SentenceFacts
from .framing import Descriptor
from .numbers import compatible
from .segment import ContentSentence

MAX_VERSIONS = 6
# Similarity above which two casualty sentences are taken to be about the same event.
SAME_EVENT = 0.2

_SIDES = {"victims": ("civilians", "militants"), "crowd": ("protesters", "rioters")}


def _places_agree(a: Descriptor, b: Descriptor) -> bool:
    return a.places == b.places or not a.places or not b.places


def _tied(
    i: int,
    a: Descriptor,
    j: int,
    b: Descriptor,
    facts: Sequence[SentenceFacts],
    sim: object,
) -> bool:
    if not _places_agree(a, b) or a.measure != b.measure:
        return False
    if a.places and a.places == b.places:
        return True
    for ca in facts[i].counts:
        for cb in facts[j].counts:
            if (
                ca.thing == cb.thing == a.measure
                and ca.places == a.places
                and cb.places == b.places
                and compatible(ca.quantity, cb.quantity)
            ):
                return True
    return float(sim[i, j]) >= SAME_EVENT  # type: ignore[index]


def framing_divergences(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    sim: object,
    scores: Sequence[float],
) -> list[Candidate]:
    found: list[Candidate] = []
    for axis, (left, right) in _SIDES.items():
        items = [(i, d) for i, f in enumerate(facts) for d in f.descriptors if d.axis == axis]
        lefts = [(i, d) for i, d in items if d.side == left]
        rights = [(i, d) for i, d in items if d.side == right]
        chosen: dict[int, tuple[int, Descriptor]] = {}
        places: set[tuple[str, ...]] = set()
        for i, a in lefts:
            for j, b in rights:
                if sents[i].article == sents[j].article:
                    continue
                if not _tied(i, a, j, b, facts, sim):
                    continue
                for k, d in ((i, a), (j, b)):
                    held = chosen.get(sents[k].article)
                    if held is None or (scores[k], -k) > (scores[held[0]], -held[0]):
                        chosen[sents[k].article] = (k, d)
                places.update(p for p in (a.places, b.places) if p)
        if not chosen:
            continue
        sides = {d.side for _, d in chosen.values()}
        if sides != {left, right}:
            continue
        rows = sorted(chosen.items(), key=lambda kv: (kv[1][1].side != left, kv[0]))
        # Both sides must survive the cap.
        rows_left = [r for r in rows if r[1][1].side == left]
        rows_right = [r for r in rows if r[1][1].side == right]
        half = MAX_VERSIONS // 2
        keep = rows_left[: max(half, MAX_VERSIONS - len(rows_right))]
        keep += rows_right[: MAX_VERSIONS - len(keep)]
        words = {
            side: Counter(d.word.lower() for _, (_, d) in rows if d.side == side).most_common(1)[0][
                0
            ]
            for side in (left, right)
        }
        versions = []
        for _, (k, d) in keep:
            text = sents[k].text
            versions.append(version(articles, sents, k, snippet(text, d.start, d.end)))
        measure = next((d.measure for _, (_, d) in rows if d.measure), None)
        where = f" in {' and '.join(next(iter(places)))}" if len(places) == 1 else ""
        if axis == "victims":
            verb = "hurt" if measure == "injured" else "killed"
            title = f"Who was {verb}{where}: {words[left]} vs {words[right]}"
        else:
            title = f"How the crowd is described{where}: {words[left]} vs {words[right]}"
        used = tuple(k for _, (k, _) in keep)
        score = 2.8 + 0.1 * len(rows) + max(scores[k] for k in used)
        found.append(
            Candidate(Divergence(topic=title, kind="framing", versions=versions), score, used)
        )
    return found

"""Numeric divergences: sources giving incompatible counts of the same thing in the same place.

Counts are keyed by what they count (killed / injured / targets ...), who (people
or troops) and where ("Syria" and "Iraq" tolls are different things). Each article
contributes its first count per key (the lead carries the latest figure). Two
figures conflict when their intervals cannot both be true ("9" vs "at least 12");
two lower bounds far apart ("at least 23" vs "at least 35") are flagged too, since
readers take them as the toll.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from briefing.model import Article, Divergence

from .candidates import Candidate, spread, version_at
from .facts import SentenceFacts
from .numbers import Count, compatible
from .segment import ContentSentence
from .support import count_key

MAX_VERSIONS = 6
# Two lower bounds further apart than this (ratio) read as different tolls.
_MIN_BOUND_GAP = 1.5

Key = tuple[str, str | None, tuple[str, ...]]


def _conflict(a: Count, b: Count) -> bool:
    qa, qb = a.quantity, b.quantity
    if not compatible(qa, qb):
        return True
    if qa.qualifier == "min" and qb.qualifier == "min":
        lo, hi = sorted((qa.value, qb.value))
        return lo > 0 and hi / lo >= _MIN_BOUND_GAP
    return False


def topic(key: Key) -> str:
    thing, who, places = key
    where = f" in {' and '.join(places)}" if places else ""
    if who is not None:
        if who == "military":
            return f"Number of troops {thing}{where}"
        return f"Number {thing}{where}"
    if thing.startswith("distance"):
        return thing.capitalize() + where
    return f"Number of {thing}{where}"


def _weight(thing: str) -> float:
    if thing == "killed":
        return 3.2  # the toll first
    if thing.endswith("injured"):
        return 3.0
    if thing in ("detained", "missing", "displaced", "evacuated"):
        return 2.0
    return 1.5


def _keyed(facts: Sequence[SentenceFacts]) -> list[list[tuple[Key, Count]]]:
    """Each sentence's counts under the key they are compared by.

    Objects (targets, sites) named without a place, or across several places, count the
    whole operation; one place ("four in Syria") is a part of it. A place the articles
    say lies inside another ("Rukban in northeast Jordan") counts as the larger one when
    other counts of the thing use that; and a casualty count with no place joins the
    only place the others give (our inference, so it is marked as such).
    """
    inside = {inner: outer for f in facts for inner, outer in f.within if inner != outer}
    raw = [[(count_key(c), c) for c in f.counts] for f in facts]
    keys = {key for row in raw for key, _ in row}

    def lift(key: Key, c: Count) -> tuple[Key, Count]:
        thing, who, places = key
        if len(places) == 1 and places[0] in inside:
            outer = (thing, who, (inside[places[0]],))
            if outer in keys:
                return outer, replace(c, places=outer[2])
        return key, c

    lifted = [[lift(key, c) for key, c in row] for row in raw]
    placed: dict[tuple[str, str | None], set[tuple[str, ...]]] = {}
    for row in lifted:
        for (thing, who, places), _ in row:
            if places:
                placed.setdefault((thing, who), set()).add(places)
    out: list[list[tuple[Key, Count]]] = []
    for row in lifted:
        mine: list[tuple[Key, Count]] = []
        for key, c in row:
            thing, who, places = key
            spots = placed.get((thing, who), set())
            if who is not None and not places and len(spots) == 1:
                (only,) = spots
                key, c = (thing, who, only), replace(c, places=only, inferred=True)
            mine.append((key, c))
        out.append(mine)
    return out


def numeric_divergences(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    scores: Sequence[float],
) -> list[Candidate]:
    first: dict[Key, dict[int, tuple[int, Count]]] = {}
    keyed = _keyed(facts)
    for i, s in enumerate(sents):
        for key, c in keyed[i]:
            first.setdefault(key, {}).setdefault(s.article, (i, c))
    found: list[Candidate] = []
    for key in sorted(first, key=lambda k: (k[0], k[1] or "", k[2])):
        per_article = first[key]
        if len(per_article) < 2:
            continue
        items = sorted(per_article.items())
        clashing: set[int] = set()
        stated = False
        for x, (a, (_, ca)) in enumerate(items):
            for b, (_, cb) in items[x + 1 :]:
                if _conflict(ca, cb):
                    clashing.update((a, b))
                    stated = stated or not (ca.inferred or cb.inferred)
        # A place we inferred may be wrong: it can join a clash, never make one.
        if not clashing or not stated:
            continue
        # Order variants by value so the reader sees the range; clashing ones first per value.
        rows = sorted(
            ((c.quantity.text.lower(), a, i) for a, (i, c) in items),
            key=lambda r: (per_article[r[1]][1].quantity.value, r[1] not in clashing, r[1]),
        )
        # Figures that clash get the slots first; a vague "dozens" fits every side.
        first_pick = sorted(rows, key=lambda r: r[1] not in clashing)
        chosen = sorted(spread(first_pick, MAX_VERSIONS), key=rows.index)
        versions = []
        for _, a, i in chosen:
            c = per_article[a][1]
            versions.append(version_at(articles, sents, i, c.phrase, c.start, c.end))
        tally: dict[str, int] = {}
        for variant, _, _ in rows:
            tally[variant] = tally.get(variant, 0) + 1
        note = None
        if len(rows) > len(chosen):
            note = "Figures given: " + "; ".join(
                f"{v} ({n} source{'s' if n > 1 else ''})" for v, n in tally.items()
            )
        used = tuple(i for _, _, i in chosen)
        score = _weight(key[0]) + 0.1 * len(items) + max(scores[i] for i in used)
        found.append(
            Candidate(
                Divergence(topic=topic(key), kind="numeric", versions=versions, note=note),
                score,
                used,
            )
        )
    return found

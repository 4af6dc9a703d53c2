"""Time divergences: the sources put the same event at incompatible times.

Only sentences early in their article that tell of the event itself (a strike, an
attack, deaths) and whose time is not that of a statement ("on Saturday, Iran
condemned") are compared, and only with similar sentences from other articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.model import Article, Divergence

from .candidates import Candidate, version
from .citations import labels
from .dates import When
from .facts import SentenceFacts
from .segment import ContentSentence
from .vectors import SentenceSpace

MAX_VERSIONS = 6
SAME_EVENT = 0.3
LEAD_SENTENCES = 4
_TOLERANCE_HOURS = 0.25
_EVENT = re.compile(
    r"\b(strike|struck|strikes|airstrikes?|attack(?:ed|s)?|blast|explosions?|exploded|bomb(?:ed|ing)?|"
    r"raid|shooting|shot|fire|crash(?:ed)?|quake|earthquake|storm|hit|launched|carried out|"
    r"killed|erupted|collapsed|took place|occurred|happened)\b",
    re.IGNORECASE,
)
_NOUNS = ("strike", "attack", "blast", "explosion", "raid", "shooting", "crash", "fire", "quake")
_SPEECH = re.compile(
    r"\b(said|says|announced|condemned|told|stated|confirmed|denied|warned|added|reported|"
    r"called|urged|vowed|claimed|declared|praised|criticised|criticized)\b",
    re.IGNORECASE,
)


# A time right after one of these dates the report, not the event: "according to
# breaking reports Sunday morning", "announced on Monday", "a statement late Friday".
_REPORTED = re.compile(
    r"\b(?:reports?|reported|reporting|said|says|announced|stated|statement|briefing|"
    r"bulletin|update|told\s+\w+|posted|published|confirmed)(?:\s+(?:on|at|in|late|early|"
    r"by|the|a))*\s*$",
    re.IGNORECASE,
)


def _event_time(text: str, times: Sequence[When]) -> When | None:
    for w in times:
        if w.span() is None or w.text.endswith(("'s", "’s")):
            continue  # "Sunday's drone attack" dates another event
        if _REPORTED.search(text[: w.start]):
            continue
        near = text[max(0, w.start - 25) : w.end + 25]
        if _SPEECH.search(near) and not _EVENT.search(near):
            continue
        if w.hours is None and not w.absolute and w.weekday is None:
            continue
        return w
    return None


def _ranges(a: When, b: When) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Both times on one scale: absolute hours, or hours of the week when only one of
    them could be resolved to a date ("Saturday night" / "January 28, 2024")."""
    sa, sb = a.span(), b.span()
    if sa is None or sb is None:
        return None
    if (a.day is None) != (b.day is None):
        wa = a.weekday if a.day is None else a.day.weekday()
        wb = b.weekday if b.day is None else b.day.weekday()
        if wa is None or wb is None:
            return None
        lo_a, hi_a = a.hours or (0.0, 24.0)
        lo_b, hi_b = b.hours or (0.0, 24.0)
        sa, sb = (wa * 24.0 + lo_a, wa * 24.0 + hi_a), (wb * 24.0 + lo_b, wb * 24.0 + hi_b)
    return sa, sb


def _clash(a: When, b: When) -> bool:
    both = _ranges(a, b)
    if both is None:
        return False
    sa, sb = both
    return sa[1] + _TOLERANCE_HOURS < sb[0] or sb[1] + _TOLERANCE_HOURS < sa[0]


def _overlap(a: When, b: When) -> bool:
    """Whether two times can be the same moment (touching at midnight is not enough)."""
    both = _ranges(a, b)
    if both is None:
        return True
    sa, sb = both
    slack = _TOLERANCE_HOURS if a.clock and b.clock else 0.0
    return sa[0] < sb[1] + slack and sb[0] < sa[1] + slack


def _width(w: When) -> float:
    span = w.span()
    return 24.0 if span is None else span[1] - span[0]


def _sides(items: Sequence[int], timed: dict[int, When]) -> list[list[int]]:
    """Sentences grouped by mutually compatible times, most precise first in each: a date,
    its weekday and "that weekday morning" are one side, not three versions."""
    sides: list[list[int]] = []
    for k in sorted(items, key=lambda k: (_width(timed[k]), k)):
        for side in sides:
            if all(_overlap(timed[k], timed[m]) for m in side):
                side.append(k)
                break
        else:
            sides.append([k])
    return sides


def _same_count(a: SentenceFacts, b: SentenceFacts) -> bool:
    """Both sentences count the same thing in the same place: the same event's toll."""
    keys = {(c.thing, c.who, c.places) for c in a.counts if c.places}
    return any((c.thing, c.who, c.places) in keys for c in b.counts)


def _shown(w: When) -> str:
    return f"{w.clock}, {w.text}" if w.clock else w.text


def time_divergences(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    space: SentenceSpace,
    scores: Sequence[float],
) -> list[Candidate]:
    timed: dict[int, When] = {}
    for i, (s, f) in enumerate(zip(sents, facts, strict=True)):
        if s.position >= LEAD_SENTENCES or not _EVENT.search(s.text):
            continue
        w = _event_time(s.text, f.times)
        if w is not None:
            timed[i] = w
    keys = sorted(timed)
    parent = {i: i for i in keys}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    clashes: list[tuple[int, int]] = []
    for x, i in enumerate(keys):
        for j in keys[x + 1 :]:
            if sents[i].article == sents[j].article:
                continue
            if float(space.sim[i, j]) < SAME_EVENT and not _same_count(facts[i], facts[j]):
                continue
            ri, rj = root(i), root(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
            # Days alone differ between sub-events even in near-identical sentences
            # ("bombers left on Feb. 1" / "strikes on Friday"): a clash needs a time of day
            # on both sides.
            precise = timed[i].hours is not None and timed[j].hours is not None
            if precise and _clash(timed[i], timed[j]):
                clashes.append((i, j))
    if not clashes:
        return []
    found: list[Candidate] = []
    for head in sorted({root(i) for pair in clashes for i in pair}):
        clashing = {k for pair in clashes for k in pair if root(k) == head}
        component = [k for k in keys if root(k) == head]
        per_article: dict[int, int] = {}
        for k in sorted(component, key=lambda k: (k not in clashing, -scores[k], k)):
            per_article.setdefault(sents[k].article, k)
        sides = _sides(sorted(per_article.values()), timed)
        if len(sides) < 2:
            continue
        # One version per side, the most precise; the rest only agree with it.
        chosen = sorted((side[0] for side in sides[:MAX_VERSIONS]), key=lambda k: sents[k].article)
        versions = [version(articles, sents, k, _shown(timed[k])) for k in chosen]
        extra = [(side[0], side[1:]) for side in sides if len(side) > 1]
        note = (
            "; ".join(
                f"{len(more)} more source{'s' if len(more) > 1 else ''} "
                f"({labels(articles, (sents[m].article for m in more))}) "
                f"give{'' if len(more) > 1 else 's'} a time consistent with "
                f"“{_shown(timed[k])}”"
                for k, more in extra
            )
            + "."
            if extra
            else None
        )
        lowered = " ".join(sents[k].text.lower() for k in chosen)
        noun = max(_NOUNS, key=lambda n: (lowered.count(n), -_NOUNS.index(n)))
        title = f"Time of the {noun}" if noun in lowered else "When it happened"
        score = 2.2 + 0.1 * len(chosen) + max(scores[k] for k in chosen)
        found.append(
            Candidate(
                Divergence(topic=title, kind="other", versions=versions, note=note),
                score,
                tuple(chosen),
            )
        )
    return found

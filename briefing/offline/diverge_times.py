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


def _event_time(text: str, times: Sequence[When]) -> When | None:
    for w in times:
        if w.span() is None or w.text.endswith(("'s", "’s")):
            continue  # "Sunday's drone attack" dates another event
        near = text[max(0, w.start - 25) : w.end + 25]
        if _SPEECH.search(near) and not _EVENT.search(near):
            continue
        if w.hours is None and not w.absolute and w.weekday is None:
            continue
        return w
    return None


def _clash(a: When, b: When) -> bool:
    sa, sb = a.span(), b.span()
    if sa is None or sb is None:
        return False
    if (a.day is None) != (b.day is None):
        # One resolved, one not: compare weekdays only when both name one.
        if a.weekday is None or b.weekday is None:
            return False
        base_a, base_b = a.weekday * 24.0, b.weekday * 24.0
        lo_a, hi_a = a.hours or (0.0, 24.0)
        lo_b, hi_b = b.hours or (0.0, 24.0)
        sa, sb = (base_a + lo_a, base_a + hi_a), (base_b + lo_b, base_b + hi_b)
    return sa[1] + _TOLERANCE_HOURS < sb[0] or sb[1] + _TOLERANCE_HOURS < sa[0]


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
        chosen = sorted(per_article.values(), key=lambda k: (k not in clashing, sents[k].article))
        chosen = sorted(chosen[:MAX_VERSIONS], key=lambda k: sents[k].article)
        if len({_shown(timed[k]) for k in chosen}) < 2:
            continue
        versions = [version(articles, sents, k, _shown(timed[k])) for k in chosen]
        lowered = " ".join(sents[k].text.lower() for k in chosen)
        noun = max(_NOUNS, key=lambda n: (lowered.count(n), -_NOUNS.index(n)))
        title = f"Time of the {noun}" if noun in lowered else "When it happened"
        score = 2.2 + 0.1 * len(chosen) + max(scores[k] for k in chosen)
        found.append(
            Candidate(
                Divergence(topic=title, kind="other", versions=versions), score, tuple(chosen)
            )
        )
    return found

"""A timeline from dated sentences, merged across sources.

Each sentence contributes its first resolvable time (a dateline's date is the
publication date, not an event, so it is skipped). Sentences on the same day,
at compatible times, that say similar things become one entry citing each source.
The most widely reported and most central entries are kept, then sorted by time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.model import Article, TimelineEntry

from .citations import cite_sentence, display
from .dates import When, iso, label
from .facts import SentenceFacts
from .segment import ContentSentence, trim_span
from .support import Support
from .vectors import SentenceSpace

MAX_ENTRIES = 10
PER_DAY = 3
SAME_ENTRY = 0.2


@dataclass
class _Entry:
    head: int
    when: When
    members: list[int] = field(default_factory=list)


def _hours_agree(a: When, b: When) -> bool:
    # "2 a.m." does not merge into a plain "Tuesday": the entry would lose the hour.
    if a.hours is None or b.hours is None:
        return a.hours is None and b.hours is None
    return a.hours[0] <= b.hours[1] + 0.25 and b.hours[0] <= a.hours[1] + 0.25


# A time after one of these (in the same clause) dates something else than the sentence:
# "in retaliation for a drone attack that killed three ... last Sunday", "ahead of
# strikes on Friday", "after the October 7 attack".
_SUBORDINATE = re.compile(
    r"\b(?:that|which|who|whose|after|following|since|ahead of|prior to|before|until|"
    r"retaliation for|response to|in the wake of)\b",
    re.IGNORECASE,
)
# A date bounding a period ("between the October 7 attacks and January 27, 2031, the
# groups struck 160 times", "from Monday to Friday") dates no event of its own.
_RANGE_BOUND = re.compile(
    r"\b(?:between|from)\s+(?:the\s+)?$|"
    r"\b(?:between|from)\b[^;.]{0,120}?\s(?:and|to|until|through)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(r"[,;:—–(]\s*(?=[^,;:—–(]*$)")
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told(?:\s+\w+){0,2}|announced|stated|confirmed|added|admitted|"
    r"acknowledged|conceded|reported|declared|insisted)(?:\s+(?:in|on|at|a|an|the|late|"
    r"early|statement|briefing|interview|news|conference)){0,4}\s*$",
    re.IGNORECASE,
)
_SAID_AFTER = re.compile(r"^\s*,?\s*(?:said|told|announced|stated|confirmed|added)\b", re.I)


def _saying(text: str, w: When) -> bool:
    """ "said Monday", "said on Monday", "told reporters Friday": the date of a statement."""
    return bool(_SAID_BEFORE.search(text[: w.start]) or _SAID_AFTER.match(text[w.end :]))


def _subordinate(text: str, w: When) -> bool:
    if w.text.endswith(("'s", "’s")):
        return True  # "Sunday's drone attack"
    before = text[: w.start]
    if _RANGE_BOUND.search(before):
        return True
    m = _CLAUSE_START.search(before)
    clause = before[m.end() :] if m else before
    return bool(_SUBORDINATE.search(clause))


def _event_time(
    articles: Sequence[Article], s: ContentSentence, times: Sequence[When]
) -> When | None:
    """The day the sentence is about, or None when that is unclear.

    Times in a subordinate clause date another event; a statement's own date ("...,
    a spokesperson said Monday") dates the sentence when nothing else does. A sentence
    with a statement date and another event date is ambiguous and left out.
    """
    body_start = trim_span(articles[s.article].text, s.start, s.end)[0] - s.start
    usable = [w for w in times if w.day is not None and w.start >= body_start]
    said = [w for w in usable if _saying(s.text, w)]
    events = [w for w in usable if w not in said and not _subordinate(s.text, w)]
    if said and events and any(w.day != said[0].day for w in events):
        return None
    if len({w.day for w in events}) > 1:
        return None
    pool = events or said
    # A calendar date beats a weekday, which beats "today" (often inside a quotation,
    # where it is the speaker's today, not the article's).
    for kind in ("absolute", "weekday", "relative"):
        for w in pool:
            if _kind(w) == kind and not (kind == "relative" and _quoted(s.text, w.start)):
                return w
    return None


def _kind(w: When) -> str:
    if w.absolute:
        return "absolute"
    return "weekday" if w.weekday is not None else "relative"


def _quoted(text: str, at: int) -> bool:
    before = text[:at]
    return (before.count('"') % 2 == 1) or before.count("“") > before.count("”")


def build_timeline(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    scores: Sequence[float],
    space: SentenceSpace,
    *,
    support: Support | None = None,
    limit: int = MAX_ENTRIES,
) -> list[TimelineEntry]:
    """Dated entries, earliest first; ``support`` decides which sentences of other
    sources an entry may cite (by default any similar one on the same day)."""
    import numpy as np

    entries: list[_Entry] = []
    for i in np.argsort(-np.asarray(scores), kind="stable"):
        i = int(i)
        w = _event_time(articles, sents[i], facts[i].times)
        if w is None:
            continue
        for entry in entries:
            if (
                entry.when.day == w.day
                and _hours_agree(entry.when, w)
                and float(space.sim[entry.head, i]) >= SAME_ENTRY
                and (support is None or support.supports(entry.head, i))
            ):
                if all(sents[m].article != sents[i].article for m in entry.members):
                    entry.members.append(i)
                break
        else:
            entries.append(_Entry(head=i, when=w, members=[i]))
    ranked = sorted(
        entries,
        key=lambda e: (-len(e.members), -float(scores[e.head]), e.head),
    )
    kept: list[_Entry] = []
    per_day: dict[object, int] = {}
    for entry in ranked:
        if len(kept) >= limit:
            break
        if per_day.get(entry.when.day, 0) >= PER_DAY:
            continue
        per_day[entry.when.day] = per_day.get(entry.when.day, 0) + 1
        kept.append(entry)
    out: list[TimelineEntry] = []
    for entry in sorted(kept, key=lambda e: (iso(e.when), -len(e.members), e.head)):
        citations = [cite_sentence(articles, sents[m]) for m in entry.members]
        out.append(
            TimelineEntry(
                when=iso(entry.when),
                label=label(entry.when),
                text=display(citations[0].quote),
                citations=citations,
            )
        )
    return out

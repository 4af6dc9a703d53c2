"""Time divergences: the sources put the same event at incompatible times.

Only sentences early in their article that tell of the event itself (a strike, an
attack, deaths) and whose time is that event's, not that of a statement ("on Saturday,
Iran condemned"), a later toll or funeral, or an earlier event ("Saturday's attack"),
are compared, and only with similar sentences from other articles. Two times of day
that cannot meet clash; so do two named days one apart ("Friday" / "Saturday",
"Saturday night" / "Sunday"), the seam a time zone or a report's day leaves, unless
some article tells of the event on both days (then they are two events).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.model import Article, Divergence

from .candidates import Candidate, version
from .citations import cite_sentence, labels
from .dates import WEEKDAYS, When
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


# A time right after one of these dates the report, not the event: "according to
# breaking reports Sunday morning", "announced on Monday", "a statement late Friday".
_REPORTED = re.compile(
    r"\b(?:reports?|reported|reporting|said|says|announced|stated|statement|briefing|"
    r"bulletin|update|told\s+\w+|posted|published|confirmed)(?:\s+(?:on|at|in|late|early|"
    r"by|the|a))*\s*$",
    re.IGNORECASE,
)


# The event itself.
_DEED = (
    r"strikes?|struck|airstrikes?|attack(?:ed|s)?|blasts?|explosions?|exploded|"
    r"bomb(?:ed|ing|ings|s)?|raids?|shooting|shot|fire[sd]?|crash(?:ed)?|quake|earthquake|"
    r"storm|hit|hitting|launched|carried out|conducted|mounted|killed|killing|erupted|"
    r"collapsed|took place|occurred|happened"
)
# The time of a statement or a report.
_SAID = (
    r"said|says|announced|condemned|told|stated|confirmed|denied|warned|added|reported|"
    r"reports?|reporting|called|urged|vowed|claimed|declared|praised|criticised|criticized|"
    r"statement|briefing|according to|provided|released|published|posted"
)
# The time of what followed: a later toll, a funeral, the aftermath. Anywhere in the
# time's clause it wins over a nearer deed: "buried the guards killed in the strike on
# Sunday" dates the burial.
_AFTER = (
    r"toll|rose|risen|climbed|funerals?|buried|burials?|mourn\w*|aftermath|emerg\w*|as of|"
    r"died of|succumbed|passed away"
)
_LATER = re.compile(rf"\b(?:{_AFTER})\b", re.IGNORECASE)
# Whose time a time is: the nearest of these before it in its own clause decides
# ("strikes carried out ... on Saturday"); with none there, the first after it ("On
# Saturday, the US launched strikes" / "Tehran on Saturday condemned").
_MARKER = re.compile(rf"\b(?:(?P<deed>{_DEED})|{_SAID}|{_AFTER})\b", re.IGNORECASE)
# A time in a clause that answers an earlier event is that event's: "in retaliation
# for a drone attack that killed three soldiers last Sunday".
_ANSWERS = re.compile(r"\b(?:retaliat\w*|reprisal|revenge|aveng\w*|in response|responding)\b", re.I)
_CLAUSE_END = re.compile(r"[,;:()\u2014\u2013]|\s-\s")
# "the January 28 attack", "Saturday's raid": the date names an event, it is not its time.
_NAMES_EVENT = re.compile(rf"^\s+(?:[\w-]+\s+)?(?:{_DEED})\b", re.IGNORECASE)
_POSSESSIVE_EVENT = re.compile(rf"['\u2019]s\s+(?:[\w-]+\s+)?(?:{_DEED})\b", re.IGNORECASE)
_DETERMINER = re.compile(r"(?:\b(?:a|an|the|its|their)|['\u2019]s)\s+$", re.IGNORECASE)
# A bound of a period, not a time something happened: "since October 7", "between
# the 7 October attacks and 27 January 2024".
_BOUND = re.compile(r"\b(?:since|until|till|between|through)\b", re.IGNORECASE)
# Over two days ("February 2-3") or overnight: either day is right.
_RANGE = re.compile(r"\d\s*[-\u2013]\s*\d")
_OVERNIGHT = re.compile(r"\bovernight\b", re.IGNORECASE)


def _clause_start(text: str, at: int) -> int:
    ends = [m.end() for m in _CLAUSE_END.finditer(text, 0, at)]
    return ends[-1] if ends else 0


def _names_event(text: str, w: When) -> bool:
    """``w`` names an event rather than timing the sentence's: "Saturday's attack",
    "the January 28 attack"."""
    before, after = text[: w.start], text[w.end :]
    if w.text.endswith(("'s", "\u2019s")):
        after = "'s" + after
    if _POSSESSIVE_EVENT.match(after):
        return True
    return bool(_NAMES_EVENT.match(after) and _DETERMINER.search(before))


def _anchored(text: str, w: When) -> bool:
    """Whether ``w`` is the time of the event the sentence tells, not of a statement
    about it, a later toll, an earlier event it answers, or the page's own date."""
    before, after = text[: w.start], text[w.end :]
    if w.text.endswith(("'s", "\u2019s")) or after.startswith(("'s", "\u2019s")):
        return False  # "Sunday's drone attack", "Sunday's statement": another event
    if before.count("(") > before.count(")") or after.startswith((":", "/")):
        return False  # a dateline: "(APP - 3rd Feb, 2024)", "Norland, 9th June 2031:"
    if re.match(r",?\s+from\b", after, re.IGNORECASE):
        return False  # "the bombers launched early Feb. 1 from Dyess": a departure
    if _names_event(text, w):
        return False
    clause = text[_clause_start(text, w.start) : w.start]
    if _RANGE.search(w.text) or _OVERNIGHT.search(text[max(0, w.start - 20) : w.end + 20]):
        return False
    if _REPORTED.search(before) or _LATER.search(clause):
        return False
    if _ANSWERS.search(clause) or _BOUND.search(clause):
        return False
    own = list(_MARKER.finditer(clause))
    earlier = list(_MARKER.finditer(before))
    nearest = own[-1] if own else _MARKER.search(after) or (earlier[-1] if earlier else None)
    return nearest is not None and nearest.group("deed") is not None


def _event_time(text: str, times: Sequence[When]) -> When | None:
    for w in times:
        if w.span() is None:
            continue
        if w.hours is None and not w.absolute and w.weekday is None:
            continue  # "today", "yesterday": a day only through the article's date
        if _anchored(text, w):
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


def _named(w: When) -> bool:
    """A day the sentence names: a weekday or a date, not "last night" (whose day is
    only the article's date, often a day off)."""
    return w.absolute or w.weekday is not None


def _same_day(a: When, b: When) -> bool:
    if a.day is not None and b.day is not None:
        return a.day == b.day
    wa = a.weekday if a.day is None else a.day.weekday()
    wb = b.weekday if b.day is None else b.day.weekday()
    return wa is not None and wa == wb


def _next_day(a: When, b: When) -> bool:
    """The two named days are adjacent: "Friday" / "Saturday", "Saturday night" /
    "January 28". Accounts of one event a day apart differ by time zone or by which
    day a report counts; days further apart are more often two events."""
    if not (_named(a) and _named(b)):
        return False
    if a.day is not None and b.day is not None:
        return abs((a.day - b.day).days) == 1
    wa = a.weekday if a.day is None else a.day.weekday()
    wb = b.weekday if b.day is None else b.day.weekday()
    return wa is not None and wb is not None and (wa - wb) % 7 in (1, 6)


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


def _shown(w: When, *, weekday: bool = False) -> str:
    """The time as written; with ``weekday``, a date also gets its weekday, so "January
    28, 2024" can be read against "Saturday night"."""
    text = f"{w.clock}, {w.text}" if w.clock else w.text
    if weekday and w.absolute and w.day is not None:
        text += f" ({WEEKDAYS[w.day.weekday()].capitalize()})"
    return text


_ZONE = re.compile(
    r"\b(?:local time|(?:Eastern|Central|Mountain|Pacific) (?:Standard |Daylight )?[Tt]ime|"
    r"GMT|UTC|EST|EDT|CST|CDT|PST|PDT|ET)\b"
)


def _zone_note(
    articles: Sequence[Article], sents: Sequence[ContentSentence], shown: Sequence[int]
) -> str | None:
    """Which of the shown accounts name a time zone: the days may then differ by zone.
    Said, never settled: the briefing does not pick a version."""
    named = [(k, m.group(0)) for k in shown if (m := _ZONE.search(sents[k].text))]
    if not named:
        return None
    which = ", ".join(f"{labels(articles, [sents[k].article])} “{zone}”" for k, zone in named)
    return f"Time zone stated: {which}; the days may differ by time zone."


def time_divergences(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    space: SentenceSpace,
    scores: Sequence[float],
) -> list[Candidate]:
    timed: dict[int, When] = {}
    # Every day an article ties to an event, lead or not: an article that tells of strikes
    # on Friday and of Saturday's strikes shows two events, not two accounts of one.
    told: dict[int, list[When]] = {}
    for i, (s, f) in enumerate(zip(sents, facts, strict=True)):
        if not _EVENT.search(s.text):
            continue
        w = _event_time(s.text, f.times)
        named = [x for x in f.times if _named(x) and _names_event(s.text, x)]
        told.setdefault(s.article, []).extend(named + ([w] if w is not None else []))
        if w is not None and s.position < LEAD_SENTENCES:
            timed[i] = w

    def both_told(a: When, b: When) -> bool:
        return any(
            _same_day(a, x) and _same_day(b, y) and _next_day(x, y)
            for ws in told.values()
            for x in ws
            for y in ws
        )

    keys = sorted(timed)
    parent = {i: i for i in keys}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    clashes: list[tuple[int, int]] = []
    by_hour: set[tuple[int, int]] = set()
    for x, i in enumerate(keys):
        for j in keys[x + 1 :]:
            if sents[i].article == sents[j].article:
                continue
            if float(space.sim[i, j]) < SAME_EVENT and not _same_count(facts[i], facts[j]):
                continue
            ri, rj = root(i), root(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
            a, b = timed[i], timed[j]
            # Days alone differ between sub-events even in near-identical sentences
            # ("bombers left on Feb. 1" / "strikes on Friday"): a clash needs a time of day
            # on both sides, or two named days, one apart, for an event no source tells
            # of on both days.
            if a.hours is not None and b.hours is not None and _clash(a, b):
                clashes.append((i, j))
                by_hour.add((i, j))
            elif _next_day(a, b) and not _overlap(a, b) and not both_told(a, b):
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
        # Only days clash: a date is shown with its weekday, to read against "Saturday".
        days = not any(root(i) == head for i, _ in by_hour)
        versions = [version(articles, sents, k, _shown(timed[k], weekday=days)) for k in chosen]
        extra = [(side[0], side[1:]) for side in sides if len(side) > 1]
        notes = [
            "; ".join(
                f"{len(more)} more source{'s' if len(more) > 1 else ''} "
                f"({labels(articles, (sents[m].article for m in more))}) "
                f"give{'' if len(more) > 1 else 's'} a time consistent with "
                f"“{_shown(timed[k], weekday=days)}”"
                for k, more in extra
            )
            + "."
            if extra
            else None,
            _zone_note(articles, sents, [k for side in sides for k in side]),
        ]
        note = " ".join(n for n in notes if n) or None
        more_citations = [cite_sentence(articles, sents[m]) for _, more in extra for m in more]
        lowered = " ".join(sents[k].text.lower() for k in chosen)
        noun = max(_NOUNS, key=lambda n: (lowered.count(n), -_NOUNS.index(n)))
        what = "Day" if days else "Time"
        title = f"{what} of the {noun}" if noun in lowered else "When it happened"
        score = 2.2 + 0.1 * len(chosen) + max(scores[k] for k in chosen)
        found.append(
            Candidate(
                Divergence(
                    topic=title,
                    kind="other",
                    versions=versions,
                    note=note,
                    note_citations=more_citations,
                ),
                score,
                tuple(chosen),
            )
        )
    return found

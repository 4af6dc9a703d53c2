"""Times in a sentence: "February 2, 2024", "on Jan. 28", "late Monday night", "2 a.m.".

Absolute dates without a year take the year that puts them nearest the article date;
weekdays ("on Friday") resolve to the latest such day on or before the article date (news
reports look back), or the next one when the sentence speaks of the future. A
weekday without an article date stays unresolved: it can still be compared with
another weekday, but it is not put on the timeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from briefing.sources.metadata import MONTH_NUMBERS

_MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# A month name or abbreviation as written in English copy, capitalised; no trailing dot.
MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{MONTHS})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)"
    r"(?:\s*[-–]\s*\d{1,2}\b)?(?:,?\s+(?P<year>(?:19|20)\d{2})\b)?"
)
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTHS})\b\.?"
    r"(?:,?\s+(?P<year>(?:19|20)\d{2})\b)?"
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_WEEKDAY = re.compile(
    r"\b(?:(?P<pre>early|late|last|this|next)\s+)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:'s|’s)?"
    r"(?:\s+(?P<part>morning|afternoon|evening|night|midday|noon))?\b"
)
_EARLY_HOURS = re.compile(
    r"\b(?:the\s+)?(?:early|small|wee)\s+hours\s+of\s+(?:(?:the\s+)?(?:morning\s+)?(?:on\s+)?)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_RELATIVE = re.compile(r"\b(?P<rel>yesterday|today|tonight|last night|this morning)\b", re.I)
_CLOCK = re.compile(
    r"\b(?:(?P<q>shortly after|shortly before|just after|just before|around|about|after|before|"
    r"by|until|at|from)\s+)?(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)",
    re.I,
)
_NOON = re.compile(r"\b(?:(?P<q>around|about|after|before|at|by)\s+)?(?P<w>noon|midnight)\b", re.I)
# "the next day" tells what followed, not what is to come.
_FUTURE = re.compile(
    r"\b(?:will|would|is due|are due|scheduled|is expected|are expected|plans? to|"
    r"next(?! (?:day|morning|afternoon|evening|night)\b))\b",
    re.I,
)
# How far before a date a look-ahead cue may stand.
_FUTURE_REACH = 60
# "has invited party leaders to his office on Friday": a perfect tense of arranging tells of
# a meeting still to come (a past one takes the simple past, "invited ... on Friday").
_ARRANGED = re.compile(
    r"\b(?:has|have)\s+(?:\w+\s+)?(?:invited|summoned|convened|scheduled|arranged)\b", re.I
)
# How far before a date the arranging verb may stand: its object and place come between.
_ARRANGED_REACH = 160
# Right before a date: it bounds what is to come ("closed until Sept. 15", "by March 3").
_AHEAD_OF_DATE = re.compile(
    r"\b(?:until|till|by|through|starting|from|deadline(?: of)?|set for|slated for)\s+$", re.I
)
# A verb in the past tense, regular or among the common irregular ones.
_PAST_VERB = (
    r"(?:said|told|tried|was|were|had|did|met|made|spoke|went|came|took|gave|left|sank|"
    r"[a-z]{3,}ed)"
)
_PAST_TENSE = re.compile(rf"\b{_PAST_VERB}\b")
# A sentence that opens on its date: "On Sept. 15 the council voted ...".
_OPENING_DATE = re.compile(r"\W*(?:on\s+)?$", re.I)


# A yearless date this many days past the article date is still "this week's" news
# (time zones, a weekend edition); further ahead, past-tense copy means last year's.
_AHEAD_SLACK_DAYS = 7
# A yearless month-day used as a name, not as the date of what the sentence tells: "the
# Sept. 11 hijackers", "the Jan. 6 committee", "of September 11th Advocates". Given the
# article's year it would put the 2001 attacks in 2016. Told by a determiner before it
# and a noun after it ("On March 3 police said" has neither).
_NAME_BEFORE = re.compile(r"(?:\b(?:the|a|an|its|their|his|her|of)|\d|['’]s)\s+$", re.I)
_NAME_AFTER = re.compile(
    r"\s+(?!(?:and|or|but|at|in|on|to|by|for|from|with|as|when|while|after|before|that|"
    r"which|who|was|were|is|are|has|had|have|will|would|last|this|next|of|the|a|an)\b)"
    r"[A-Za-z][a-z]+",
)
# How many years before the article a full date must lie to be taken for a past event's
# name when it qualifies a noun ("the attacks of Sept. 11, 2001").
_PAST_EVENT_YEARS = 2
_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|their|his|her)\s+$|['’]s\s+$", re.I)
_OF_NOUN = re.compile(r"\b[a-z]{3,}\s+of\s+$")
# A clause break and a past-tense verb between a look-ahead cue and a weekday: the cue
# sits in another clause ("Pelosi, who plans to back the override, tried on Tuesday").
_PAST_AFTER_BREAK = re.compile(rf"[,;—–]\s*(?:\w+\s+){{0,2}}?{_PAST_VERB}\b")
_PARTS = {
    "morning": (5.0, 12.0),
    "midday": (11.0, 14.0),
    "noon": (11.5, 12.5),
    "afternoon": (12.0, 18.0),
    "evening": (17.0, 22.0),
    "night": (19.0, 24.0),
}


@dataclass(frozen=True)
class When:
    """A time mentioned in a sentence; ``day`` is None when it could not be resolved."""

    day: date | None
    weekday: int | None  # 0 = Monday, when the sentence names one
    hours: tuple[float, float] | None  # time of day range, when stated
    text: str  # as written: "shortly after 2 a.m. on Tuesday"
    start: int
    end: int
    absolute: bool  # an explicit calendar date (not a weekday or "yesterday")
    clock: str | None = None  # the time-of-day phrase as written: "shortly after 2 a.m."
    at: float | None = None  # the hour the clock phrase names (4.0 for "around 4 a.m.")

    def span(self) -> tuple[float, float] | None:
        """Hours since a fixed origin (or since a weekday) covered by this time."""
        if self.day is not None:
            base = self.day.toordinal() * 24.0
        elif self.weekday is not None:
            base = self.weekday * 24.0
        else:
            return None
        lo, hi = self.hours if self.hours else (0.0, 24.0)
        return base + lo, base + hi


def parse_iso(value: str | None) -> date | None:
    """The date of an ISO date or date-time string ("2024-02-03T10:00"), None if invalid."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, reference: date | None) -> int | None:
    """The year that puts "Feb. 28" nearest the article date: news looks at the recent
    past and the near future, so a December article's "Feb. 28" is next February and a
    January article's "Dec. 30" last December. A tie goes to the past (reports look back)."""
    if reference is None:
        return None
    candidates = [
        (abs((d - reference).days), d > reference, d.year)
        for year in (reference.year - 1, reference.year, reference.year + 1)
        if (d := _make_date(year, month, day)) is not None
    ]
    # No valid candidate ("February 30"): the article's year, which the caller rejects.
    return min(candidates)[2] if candidates else reference.year


def _shifted(day: date, days: int) -> date | None:
    """``day`` moved by ``days``; None past the calendar's ends (an article dated
    9999-12-31 that says "tomorrow")."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _resolve_weekday(
    weekday: int, reference: date | None, *, future: bool, last: bool
) -> date | None:
    if reference is None:
        return None
    if future:
        return _shifted(reference, (weekday - reference.weekday()) % 7)
    back = (reference.weekday() - weekday) % 7
    if last and back == 0:
        back = 7
    return _shifted(reference, -back)


def _clock(text: str) -> tuple[tuple[float, float] | None, float | None, str | None, int, int]:
    """(range of hours it may mean, the hour it names, the phrase, its start and end)."""
    m = _CLOCK.search(text)
    if m:
        hour = int(m.group("h")) % 12 + (12 if m.group("ap").lower().startswith("p") else 0)
        hour_f = hour + (int(m.group("m")) / 60.0 if m.group("m") else 0.0)
        q = (m.group("q") or "").lower()
        if q in ("shortly after", "just after"):
            rng = (hour_f, hour_f + 0.75)
        elif q in ("shortly before", "just before"):
            rng = (hour_f - 0.75, hour_f)
        elif q in ("around", "about"):
            rng = (hour_f - 0.5, hour_f + 0.5)
        elif q == "after":
            rng = (hour_f, hour_f + 2.0)
        elif q in ("before", "by", "until"):
            rng = (hour_f - 2.0, hour_f)
        else:
            rng = (hour_f, hour_f)
        start = m.start("q") if m.group("q") else m.start("h")
        return rng, hour_f, text[start : m.end()].strip(), start, m.end()
    m = _NOON.search(text)
    if m:
        hour_f = 12.0 if m.group("w").lower() == "noon" else 0.0
        start = m.start("q") if m.group("q") else m.start("w")
        return (hour_f - 0.5, hour_f + 0.5), hour_f, text[start : m.end()].strip(), start, m.end()
    return None, None, None, -1, -1


def _used_as_name(text: str, start: int, end: int) -> bool:
    """Whether the month-day at ``start:end`` names something ("the Sept. 11 attacks")."""
    return bool(_NAME_BEFORE.search(text, 0, start) and _NAME_AFTER.match(text, end))


def _names_past_event(text: str, start: int, end: int, year: int, reference: date) -> bool:
    """Whether a full date years before the article names an event the sentence only
    mentions: "the Sept. 11, 2001, attacks", or "challenged Democrats on a mosque near the
    site of the attacks of Sept. 11, 2001" (the challenge is the news, not the attacks).
    "The flood of May 2, 2009, killed 16" tells of that flood and keeps its date."""
    if year > reference.year - _PAST_EVENT_YEARS:
        return False
    if text[end : end + 1] == "," and _DETERMINER_BEFORE.search(text, 0, start):
        after = _NAME_AFTER.match(text, end + 1)
        return after is not None and not _PAST_TENSE.fullmatch(after.group().strip())
    return bool(_OF_NOUN.search(text, 0, start)) and bool(_PAST_TENSE.search(text, 0, start))


def _told_as_past(text: str, at: int) -> bool:
    """Whether the date at ``at`` is when something the sentence tells in the past tense
    happened: a past verb before it, or after it when the sentence opens on the date.
    Not "Ernst, a candidate in the primary on June 3, announced ...", the date of a noun."""
    if _PAST_TENSE.search(text, 0, at):
        return True
    return bool(_OPENING_DATE.match(text, 0, at)) and bool(_PAST_TENSE.search(text, at))


def find_times(text: str, reference: date | None) -> list[When]:
    """Times mentioned in ``text``, resolved against the article date ``reference``."""
    found: list[When] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def future(at: int) -> bool:
        # "will hold a briefing on Wednesday" looks ahead; "said on Sunday it would" does not.
        return any(
            at - reach <= m.start() < at and not _PAST_AFTER_BREAK.search(text, m.end(), at)
            for pattern, reach in ((_FUTURE, _FUTURE_REACH), (_ARRANGED, _ARRANGED_REACH))
            for m in pattern.finditer(text)
        )

    for pattern in (_ISO, _MONTH_DAY, _DAY_MONTH):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            month_txt = m.group("month")
            month = int(month_txt) if month_txt.isdigit() else MONTH_NUMBERS[month_txt.lower()]
            day_num = int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else _year_for(month, day_num, reference)
            day = _make_date(year, month, day_num) if year else None
            if day is None and year is not None:
                continue  # "February 30": not a date
            named = (
                _names_past_event(text, m.start(), m.end(), year, reference)
                if m.group("year") and reference is not None and year is not None
                else not m.group("year") and _used_as_name(text, m.start(), m.end())
            )
            if named:
                taken.append((m.start(), m.end()))  # nor read as anything else
                continue
            if (
                not m.group("year")
                and day is not None
                and reference is not None
                and (day - reference).days > _AHEAD_SLACK_DAYS
                and not (future(m.start()) or _AHEAD_OF_DATE.search(text, 0, m.start()))
                and _told_as_past(text, m.start())
            ):
                # "reviewed the talking points at a meeting the next day, Sept. 15" in a May
                # article: a meeting told in the past is last September's, not the coming one.
                day = _make_date(day.year - 1, month, day_num) or day
            taken.append((m.start(), m.end()))
            found.append(When(day, None, None, m.group(0), m.start(), m.end(), absolute=True))

    for m in _EARLY_HOURS.finditer(text):
        if not free(m.start(), m.end()):
            continue
        wd = WEEKDAYS.index(m.group("wd").lower())
        day = _resolve_weekday(wd, reference, future=future(m.start()), last=False)
        taken.append((m.start(), m.end()))
        found.append(When(day, wd, (0.0, 6.0), m.group(0), m.start(), m.end(), absolute=False))
    for m in _WEEKDAY.finditer(text):
        if not free(m.start(), m.end()):
            continue
        wd = WEEKDAYS.index(m.group("wd").lower())
        pre = (m.group("pre") or "").lower()
        part = (m.group("part") or "").lower()
        hours = _PARTS.get(part)
        if pre == "late":
            hours = (21.0, 24.0) if part in ("", "night", "evening") else hours
        elif pre == "early":
            hours = (0.0, 9.0) if part in ("", "morning") else hours
        ahead = future(m.start()) or pre == "next"
        day = _resolve_weekday(wd, reference, future=ahead, last=pre == "last")
        taken.append((m.start(), m.end()))
        found.append(When(day, wd, hours, m.group(0), m.start(), m.end(), absolute=False))
    for m in _RELATIVE.finditer(text):
        if not free(m.start(), m.end()) or reference is None:
            continue
        rel = m.group("rel").lower()
        offset = -1 if rel in ("yesterday", "last night") else 0
        hours = (
            _PARTS["night"] if "night" in rel else _PARTS["morning"] if "morning" in rel else None
        )
        day = _shifted(reference, offset)
        found.append(When(day, None, hours, m.group(0), m.start(), m.end(), absolute=False))
    # A clock time belongs to the date or weekday nearest to it in the sentence.
    clock_range, clock_at, clock_text, c_start, c_end = _clock(text)
    if clock_range is not None and clock_text is not None and found:
        nearest = min(found, key=lambda w: min(abs(w.start - c_end), abs(c_start - w.end)))
        found[found.index(nearest)] = replace(
            nearest, hours=clock_range, clock=clock_text, at=clock_at
        )
    return sorted(found, key=lambda w: w.start)


def iso(when: When) -> str:
    """Sortable ISO form: the date, plus the hour when a clock time was given: the hour
    as stated ("around 4 a.m." is 04:00), not the edge of the range it may mean."""
    assert when.day is not None
    if when.clock and when.hours:
        hour = max(0.0, min(23.99, when.at if when.at is not None else when.hours[0]))
        return f"{when.day.isoformat()}T{int(hour):02d}:{round((hour % 1) * 60) % 60:02d}"
    return when.day.isoformat()


def label(when: When) -> str:
    """Human form: "Tuesday, 11 Mar 2025, shortly after 2 a.m."."""
    assert when.day is not None
    d = when.day
    text = f"{d.strftime('%A')}, {d.day} {_MONTH_ABBR[d.month - 1]} {d.year}"
    if when.clock:
        text += f", {when.clock}"
    elif when.hours and not when.absolute:
        lowered = when.text.lower()
        for part in ("early hours", "late", "early", "morning", "afternoon", "evening", "night"):
            if part in lowered:
                text += f" ({when.text})"
                break
    return text

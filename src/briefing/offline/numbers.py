"""Counts in a sentence: the number, its qualifier, what it counts and where.

"at least 35 militants were killed in Syria, and 16 were killed in Iraq" gives two
counts: killed/people/>=35/Syria and killed/people/16/Iraq. Each number becomes an
interval (``low``..``high``) so that "at least 16" and "16" are compatible while "9"
and "at least 12" are not. Numbers that count nothing we know (years, times, "Tower
22", "seven of them") are dropped rather than guessed at.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.number_words import SCALES
from briefing.number_words import UNITS as _UNITS
from briefing.number_words import VAGUE as _VAGUE
from briefing.sources.metadata import MONTH_NUMBERS

from .places import clause_places
from .tokens import CLAUSE_PUNCT, Token, tokenize
from .vectors import stem

INF = math.inf

_ANY_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|dozens?|scores|hundreds|thousands|millions)\b",
    re.IGNORECASE,
)
_SCALES = {**SCALES, "bn": SCALES["billion"]}
_CLOSING_QUOTES = frozenset({"”", '"', "’", "'"})
# Qualifier (as lower-case words before the number) -> how it bends the interval.
_QUALIFIERS: dict[tuple[str, ...], str] = {
    ("at", "least"): "min",
    ("no", "fewer", "than"): "min",
    ("no", "less", "than"): "min",
    ("more", "than"): "min",
    ("over",): "min",
    ("well", "over"): "min",
    ("just", "over"): "min",
    ("upwards", "of"): "min",
    ("in", "excess", "of"): "min",
    ("nearly",): "near",
    ("almost",): "near",
    ("close", "to"): "near",
    ("just", "under"): "near",
    ("as", "many", "as"): "near",
    ("up", "to"): "max",
    ("fewer", "than"): "max",
    ("less", "than"): "max",
    ("under",): "max",
    ("at", "most"): "max",
    ("about",): "approx",
    ("around",): "approx",
    ("approximately",): "approx",
    ("roughly",): "approx",
    ("some",): "approx",
    ("an", "estimated"): "approx",
    ("estimated",): "approx",
    ("a", "total", "of"): "exact",
}
_NOT_COUNT_AFTER = frozenset(
    {"a.m.", "p.m.", "am", "pm", "gmt", "per", "bst", "edt", "est", "utc", "-", "/", ":"}
)
_PERCENT = frozenset({"%", "percent", "pct"})
_CURRENCY = {"$": "$", "€": "€", "£": "£"}
# Nouns that are not counted things: spans of time, ordinals, the speakers of a claim.
_NOT_GENERIC = frozenset(
    {
        "years", "months", "weeks", "days", "hours", "minutes", "seconds", "decades",
        "times", "nights", "mornings", "centuries", "st", "nd", "rd", "th", "officials",
        "sources", "spokesmen", "reporters", "analysts", "experts", "witnesses", "others",
        "ones", "occasions", "percentage", "points", "things", "ways", "cases",
        "words", "pages", "parts", "sides", "steps",
    }
)  # fmt: skip
# "put the number at about 800": a figure for the count the previous sentence gave.
SAME_AS_BEFORE = "=previous"
_FIGURE_WORDS = frozenset({"number", "figure", "estimate", "count", "tally", "total"})
_SUBJECT_STOP = frozenset(
    {
        "the", "a", "an", "of", "by", "to", "at", "in", "on", "was", "were", "is", "are",
        "be", "been", "has", "had", "have", "said", "says", "say", "and", "or", "its",
        "their", "his", "her", "with", "for", "from", "that", "which", "this", "it",
        "than", "about", "some", "only", "just", "per", "cent", "percent", "would",
        "will", "could", "more", "less", "least", "most", "nearly", "around", "over",
        # Which way a figure moved says nothing of what it measures ("prices are up 4.7%",
        # "ether was down 4%" share no subject).
        "up", "down", "rose", "fell", "risen", "fallen", "increased", "decreased", "grew",
        "climbed", "jumped", "dropped", "declined", "gained", "lost", "slipped", "surged",
        "soared", "plunged", "expected", "projected", "estimated", "roughly", "almost",
        # Nor when it was measured ("9.1 percent last month", "19% year to date").
        "day", "days", "week", "weeks", "month", "months", "year", "years", "date", "last",
        "next", "today", "yesterday",
    }
)  # fmt: skip
_SUBSET_AFTER = frozenset({"the", "them", "those", "whom", "which", "these", "its", "their"})

# Who is counted, for casualty counts.
_PEOPLE = frozenset(
    {
        "people", "person", "persons", "civilians", "civilian", "residents", "militants",
        "militant", "fighters", "fighter", "members", "member", "combatants", "insurgents",
        "terrorists", "rebels", "militiamen", "militiaman", "gunmen", "protesters",
        "protestors", "demonstrators", "rioters", "children", "child", "women", "men",
        "drivers", "workers", "passengers", "victims", "bodies", "individuals", "others",
        "pilgrims", "students", "patients", "migrants", "refugees", "journalists",
        "villagers", "farmers", "locals", "citizens", "nationals", "worshippers", "family",
        "relatives", "staff", "employees", "suspects", "prisoners", "hostages", "minors",
        "teenagers", "adults", "infants", "babies", "elderly", "jihadists", "extremists",
        "guards", "volunteers",
    }
)  # fmt: skip
_MILITARY = frozenset(
    {
        "soldiers", "soldier", "troops", "servicemen", "serviceman", "servicemembers",
        "servicemember", "personnel", "marines", "sailors", "airmen", "officers", "officer",
        "policemen", "police", "troopers", "paratroopers", "commandos",
    }
)  # fmt: skip
# Nouns that are themselves the measure: "16 deaths", "16 dead", "25 injuries".
_MEASURE_NOUNS = {
    "deaths": "killed", "death": "killed", "fatalities": "killed", "dead": "killed",
    "injuries": "injured", "injured": "injured", "wounded": "injured",
    "casualties": "casualties",
}  # fmt: skip
_OBJECTS = {
    "targets": "targets", "target": "targets", "sites": "sites", "site": "sites",
    "facilities": "facilities", "facility": "facilities", "locations": "locations",
    "location": "locations", "positions": "positions", "position": "positions",
    "buildings": "buildings", "homes": "homes", "houses": "homes", "vehicles": "vehicles",
    "trucks": "trucks", "cars": "vehicles", "aircraft": "aircraft", "planes": "aircraft",
    "drones": "drones", "missiles": "missiles", "rockets": "rockets",
    "munitions": "munitions", "bombs": "bombs", "strikes": "strikes",
    "airstrikes": "strikes", "bombers": "bombers", "jets": "aircraft", "ships": "ships",
    "boats": "boats", "villages": "villages", "bases": "bases", "warplanes": "aircraft",
}  # fmt: skip
_DISTANCE_UNITS = {
    "km": 1000.0, "kilometres": 1000.0, "kilometers": 1000.0, "kilometre": 1000.0,
    "kilometer": 1000.0, "miles": 1609.34, "mile": 1609.34, "metres": 1.0, "meters": 1.0,
    "metre": 1.0, "meter": 1.0, "feet": 0.3048, "ft": 0.3048, "yards": 0.9144,
}  # fmt: skip
_KILLED = frozenset(
    {
        "killed", "dead", "died", "die", "dies", "deaths", "death", "fatalities", "killing",
        "kill", "kills", "toll", "slain", "perished", "massacred", "lives",
    }
)  # fmt: skip
_INJURED = frozenset(
    {"injured", "wounded", "hurt", "injuring", "wounding", "injuries", "injures", "wounds"}
)
ON_STRIKE = "on strike"
_MEASURE_WORDS = {
    **dict.fromkeys(_KILLED, "killed"),
    **dict.fromkeys(_INJURED, "injured"),
    **dict.fromkeys(("arrested", "detained", "captured", "abducted", "kidnapped"), "detained"),
    "missing": "missing",
    "evacuated": "evacuated",
    "displaced": "displaced",
    "rescued": "rescued",
    "fled": "who fled",
    "crossed": "who crossed",
    "strikers": ON_STRIKE,
    "striking": ON_STRIKE,
}
# Two-word measures: "are on strike", "walked out", "stopped work".
_MEASURE_PAIRS = {
    ("on", "strike"): ON_STRIKE,
    ("walked", "out"): ON_STRIKE,
    ("walk", "out"): ON_STRIKE,
    ("stopped", "work"): ON_STRIKE,
    ("stopped", "working"): ON_STRIKE,
    ("downed", "tools"): ON_STRIKE,
}
# What happened to counted objects; "damaged" and "destroyed" are different claims,
# so "300 homes damaged" never stands against "500 homes destroyed".
_FATE_WORDS = {
    "destroyed": "destroyed", "destroying": "destroyed", "destroy": "destroyed",
    "razed": "destroyed", "damaged": "damaged", "damaging": "damaged", "damage": "damaged",
}  # fmt: skip
# Speeds: (unit tokens after the number) -> the unit the thing is named in. Speeds in
# different units are different things: converting "75 mph" to 120.7 km/h would set it
# against a "120 km/h" that reports the same wind.
_SPEED_UNITS: dict[tuple[str, ...], str] = {
    ("km", "/", "h"): "km/h", ("kph",): "km/h", ("kmh",): "km/h",
    ("kilometres", "per", "hour"): "km/h", ("kilometers", "per", "hour"): "km/h",
    ("kilometres", "an", "hour"): "km/h", ("kilometers", "an", "hour"): "km/h",
    ("mph",): "mph", ("miles", "per", "hour"): "mph", ("miles", "an", "hour"): "mph",
    ("knots",): "knots",
}  # fmt: skip
_WIND = frozenset({"wind", "winds", "gust", "gusts", "gusting", "windspeed", "windspeeds"})
_MODIFIERS = frozenset(
    {
        "more", "other", "additional", "separate", "different", "suspected", "armed",
        "foreign", "local", "military", "civilian", "key", "american", "innocent", "unarmed",
        "senior", "young", "elite", "enemy", "alleged", "so-called", "precision", "iranian",
        "targeted", "confirmed", "reported", "further", "identified", "fellow",
        "security", "police", "militia", "army", "rebel", "government", "total", "new",
        "service", "dead", "injured", "wounded", "seriously", "critically", "badly",
        "slightly", "severely",
    }
)  # fmt: skip
_ASIDE_STARTS = frozenset(
    {"including", "most", "among", "mostly", "many", "both", "all", "some", "mainly"}
)
_CLAUSE_WORDS = frozenset({"while", "whereas", "but", "although", "though", "however"})


@dataclass(frozen=True)
class Quantity:
    value: float
    low: float
    high: float
    text: str  # as written, qualifier included: "at least 16"
    qualifier: str | None  # "min", "max", "near", "approx", "exact" or None


@dataclass(frozen=True)
class Count:
    """A number attached to what it counts, within one sentence."""

    quantity: Quantity
    thing: str  # "killed", "injured", "targets", "distance from crossing" ...
    who: str | None  # "people" / "military" for casualty counts
    noun: str | None  # the counted noun as written: "militants"
    places: tuple[str, ...]
    phrase: str  # a short rendering: "at least 16 people killed in Iraq"
    start: int  # char span of the number phrase in the sentence
    end: int
    inferred: bool = False  # the place comes from the article's lead, not this sentence
    # A count of something outside the casualty/object vocabulary ("4 percent", "five
    # terminals"): comparable across sources only when the sentences share a subject.
    generic: bool = False
    subject: frozenset[str] = frozenset()  # stems of the words naming what it is a count of
    # (head, qualifier) stems before the figure: "the unemployment rate is 3.6%" ->
    # (rate, unemployment); another qualifier of the same head is another thing.
    qualified: frozenset[tuple[str, str]] = frozenset()


def _interval(value: float, qualifier: str | None) -> tuple[float, float]:
    if qualifier == "min":
        return value, INF
    if qualifier == "max":
        return 0.0, value
    if qualifier == "near":
        return math.floor(value * 0.75), value
    if qualifier == "approx":
        slack = max(1.0, value * 0.15)
        return value - slack, value + slack
    return value, value


def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two reported amounts could describe the same true number."""
    return a.low <= b.high and b.low <= a.high


def subjects_apart(a: Count, b: Count) -> bool:
    """Two generic counts of one noun that are figures of different things: each names
    what it is a figure of and the two share nothing ("canceled more than 1,000 flights"
    / "delayed another 1,500 flights"), or they qualify one head apart ("the unemployment
    rate is 3.6%" / "the mortgage rate was 18%", "1,800 domestic" / "300 international
    flights")."""
    if not (a.generic or b.generic):
        return False
    heads = dict(a.qualified)
    if any(head in heads and heads[head] != word for head, word in b.qualified):
        return True
    return bool(a.subject and b.subject) and not a.subject & b.subject


# Two lower bounds further apart than this (ratio) read as different figures.
_MIN_BOUND_GAP = 1.5


def bounds_apart(a: Quantity, b: Quantity) -> bool:
    """Two lower bounds far apart: "at least 23" and "at least 35", "more than 1,000" and
    "at least 1,800". Both may be true, but readers take each as the figure, so one does
    not state the other and the two are a divergence."""
    if a.qualifier != "min" or b.qualifier != "min":
        return False
    lo, hi = sorted((a.value, b.value))
    return lo > 0 and hi / lo >= _MIN_BOUND_GAP


def _word_value(tokens: Sequence[Token], i: int) -> tuple[float, float, float, int] | None:
    """(value, low, high, tokens used) for a number starting at ``tokens[i]``."""
    tok = tokens[i]
    low = tok.low
    nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
    if tok.is_digit:
        value = float(tok.text.replace(",", ""))
        used = 1
        # "we're asking for $5.6” billion": a quotation closing on the figure alone.
        if nxt in _CLOSING_QUOTES and i + 2 < len(tokens) and tokens[i + 2].low in _SCALES:
            nxt, used = tokens[i + 2].low, 2
        if nxt in _SCALES:
            value *= _SCALES[nxt]
            used += 1
        return value, value, value, used
    if low in _VAGUE:
        lo, hi = _VAGUE[low]
        return lo, lo, hi, 1
    if low in ("a", "an") and nxt == "dozen":
        return 12.0, 10.0, 14.0, 2
    if low == "dozen":
        return 12.0, 10.0, 14.0, 1
    if low in ("a", "an") and nxt in ("hundred", "thousand"):
        value = float(_SCALES[nxt])
        return value, value, value, 2
    parts = low.split("-")
    if all(p in _UNITS for p in parts) and 1 <= len(parts) <= 2:
        value = float(sum(_UNITS[p] for p in parts))
        used = 1
        if nxt in _SCALES:
            value *= _SCALES[nxt]
            used = 2
        return value, value, value, used
    return None


def _qualifier(tokens: Sequence[Token], i: int) -> tuple[str | None, int]:
    """Qualifier ending just before ``tokens[i]`` and the index where it starts."""
    for size in (3, 2, 1):
        if i - size < 0:
            continue
        words = tuple(t.low for t in tokens[i - size : i])
        if words in _QUALIFIERS:
            return _QUALIFIERS[words], i - size
    return None, i


def _number_follows(tokens: Sequence[Token], k: int) -> bool:
    """A number, perhaps behind a qualifier ("at least 30"), starts at ``tokens[k]``."""
    for size in (0, 1, 2, 3):
        if k + size >= len(tokens):
            return False
        if size and tuple(t.low for t in tokens[k : k + size]) not in _QUALIFIERS:
            continue
        nxt = tokens[k + size]
        if nxt.is_digit or nxt.low in _UNITS:
            return True
    return False


def _clause_bounds(tokens: Sequence[Token], *, split_counts: bool = True) -> list[int]:
    """Clause number of each token: breaks at ; : dashes, ", and", "while", and (with
    ``split_counts``) at "and <number>" - "9 killed and 21 wounded when ... near X" keeps
    its measures apart but shares its place."""
    clause = 0
    out: list[int] = []
    for k, tok in enumerate(tokens):
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        joins = tok.text == "," and nxt is not None and nxt.low in ("and", "but", "while")
        counts_on = split_counts and tok.low == "and" and _number_follows(tokens, k + 1)
        if tok.text in CLAUSE_PUNCT or tok.low in _CLAUSE_WORDS or joins or counts_on:
            clause += 1
        out.append(clause)
    return out


def _skip_aside(tokens: Sequence[Token], k: int, hi: int) -> int:
    """Past ", including civilians," or "(also known as ...)" starting at ``k``."""
    tok = tokens[k]
    if tok.text == "(":
        for j in range(k + 1, min(hi, k + 15)):
            if tokens[j].text == ")":
                return j + 1
        return k
    if tok.text in (",", "—", "–") and k + 1 < hi and tokens[k + 1].low in _ASIDE_STARTS:
        for j in range(k + 2, min(hi, k + 15)):
            if tokens[j].text in (",", "—", "–"):
                return j + 1
    return k


@dataclass
class _Found:
    lo: int  # token index where the number phrase starts (qualifier included)
    num: int  # token index of the number itself
    hi: int  # token index after the number (and after "percent")
    quantity: Quantity
    unit: str | None = None  # "percent", or a currency sign
    whole: bool = False  # "two of the five terminals": the five


def _unit(tokens: Sequence[Token], i: int, used: int) -> tuple[str | None, int]:
    """ "4 percent", "4%", "4 per cent", "$5 million": the unit and tokens it adds."""
    at = i + used
    after = tokens[at].low if at < len(tokens) else ""
    if after in _PERCENT:
        return "percent", 1
    if after == "per" and at + 1 < len(tokens) and tokens[at + 1].low == "cent":
        return "percent", 2
    if i > 0 and tokens[i - 1].text in _CURRENCY:
        return _CURRENCY[tokens[i - 1].text], 0
    return None, 0


def _part_of_whole(tokens: Sequence[Token], i: int) -> bool:
    """ "two of the five terminals": the five is the whole, not a count of its own."""
    k = i - 1
    if k >= 0 and tokens[k].low == "the":
        k -= 1
    return k >= 1 and tokens[k].low == "of" and _word_value(tokens, k - 1) is not None


def _quantities(tokens: Sequence[Token], text: str) -> list[_Found]:
    found: list[_Found] = []
    i = 0
    while i < len(tokens):
        parsed = _word_value(tokens, i)
        if parsed is None:
            i += 1
            continue
        value, lo, hi, used = parsed
        unit, extra = _unit(tokens, i, used)
        prev = tokens[i - 1] if i > 0 else None
        after = tokens[i + used] if i + used < len(tokens) else None
        skip = unit is None and (
            (prev is not None and (prev.low in MONTH_NUMBERS or prev.text in "#-/:"))
            or (after is not None and (after.low in MONTH_NUMBERS or after.low in _NOT_COUNT_AFTER))
            or (prev is not None and prev.is_capital and prev.is_word and i > 1)
            or (tokens[i].is_digit and "," not in tokens[i].text and 1800 <= value <= 2100)
            or (after is not None and after.low == "of" and i + used + 1 < len(tokens)
                and (tokens[i + used + 1].low in _SUBSET_AFTER
                     or _word_value(tokens, i + used + 1) is not None))
        )  # fmt: skip
        if not skip:
            qualifier, start = _qualifier(tokens, i)
            if start == i and unit is not None and unit != "percent":
                qualifier, start = _qualifier(tokens, i - 1)
                start = min(start, i - 1)
            if lo == hi:
                lo, hi = _interval(value, qualifier)
            elif qualifier == "min":
                hi = INF
            phrase = text[tokens[start].start : tokens[i + used + extra - 1].end]
            found.append(
                _Found(
                    start,
                    i,
                    i + used + extra,
                    Quantity(value, lo, hi, phrase, qualifier or None),
                    unit,
                    _part_of_whole(tokens, i),
                )
            )
        i += used + extra
    return found


@dataclass(frozen=True)
class NumberPhrase:
    """A number as written, whatever it counts: "14" in "pulled 14 people"."""

    quantity: Quantity
    start: int  # char span of the phrase (qualifier included)
    end: int
    unit: str | None  # "percent" or a currency sign
    after: str | None  # the word right after the phrase, as written: "people", "metres"


def number_phrases(text: str) -> list[NumberPhrase]:
    """Every number in ``text`` that is no year, date, time or "one of the ..." whole."""
    tokens = tokenize(text)
    out = []
    for f in _quantities(tokens, text):
        if f.whole:
            continue
        nxt = tokens[f.hi] if f.hi < len(tokens) else None
        out.append(
            NumberPhrase(
                f.quantity,
                tokens[f.lo].start,
                tokens[f.hi - 1].end,
                f.unit,
                nxt.text if nxt is not None and nxt.is_word else None,
            )
        )
    return out


def _pair(tokens: Sequence[Token], k: int) -> str | None:
    if k + 1 >= len(tokens):
        return None
    return _MEASURE_PAIRS.get((tokens[k].low, tokens[k + 1].low))


# "None of the 40 workers were hurt", "none of the 132 passengers and five crew ...
# injured": a figure in the scope of these counts those spared, not the casualties.
_NONE_OF = frozenset({("none", "of"), ("no", "one"), ("not", "one"), ("nobody", "among")})
_NONE_OF_REACH = 10  # tokens: "none of the 132 passengers and five crew members"


def _spared(tokens: Sequence[Token], lo: int, clause: Sequence[int]) -> bool:
    """Whether the figure at ``lo`` follows "none of" (or the like) in its clause."""
    for k in range(lo - 1, max(0, lo - _NONE_OF_REACH) - 1, -1):
        if clause[k] != clause[lo] or tokens[k].text == ",":
            return False
        if k > 0 and (tokens[k - 1].low, tokens[k].low) in _NONE_OF:
            return True
    return False


def _agent(tokens: Sequence[Token], lo: int) -> bool:
    """Whether the figure at ``lo`` is the agent of a passive verb before it: "shot to
    death by two congregants" counts the shooters, not the dead."""
    k = lo - 1
    if k >= 0 and tokens[k].low == "the":
        k -= 1
    return k >= 0 and tokens[k].low == "by"


def _measure_before(tokens: Sequence[Token], lo: int, clause: list[int], reach: int) -> str | None:
    kinds: list[str] = []
    k = lo - 1
    steps = 0
    while k >= 0 and steps < reach and clause[k] == clause[lo]:
        tok = tokens[k]
        if tok.text == "," or _word_value(tokens, k) is not None:
            break
        kind = _MEASURE_WORDS.get(tok.low) or _pair(tokens, k)
        if kind:
            kinds.append(kind)
        if tok.low not in ("the", "a", "an", "of", "to", "and", "or", "at"):
            steps += 1
        k -= 1
    if not kinds:
        return None
    # "killed and wounded dozens": two measures for one number is no measure at all.
    return kinds[0] if len(set(kinds)) == 1 else None


def _noun_after(tokens: Sequence[Token], hi: int) -> tuple[int, str | None, str | None]:
    """Index and lower-cased counted noun after the number (skipping up to 3 modifiers),
    and the measure a modifier gave ("31 injured people")."""
    k = hi
    modifier_measure: str | None = None
    for _ in range(4):
        if k >= len(tokens):
            return k, None, modifier_measure
        tok = tokens[k]
        low = tok.low
        if low == "service" and k + 1 < len(tokens) and tokens[k + 1].low == "members":
            return k + 1, "service members", modifier_measure
        if low in _PEOPLE or low in _MILITARY or low in _MEASURE_NOUNS or low in _OBJECTS:
            if low in ("dead", "injured", "wounded") and k + 1 < len(tokens):
                nxt = tokens[k + 1].low
                if nxt in _PEOPLE or nxt in _MILITARY:
                    modifier_measure = _MEASURE_NOUNS[low]
                    k += 1
                    continue
            return k, low, modifier_measure
        if low in _DISTANCE_UNITS:
            return k, low, None
        if low == "striking":
            modifier_measure = ON_STRIKE
            k += 1
            continue
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if tok.is_word and nxt is not None and (nxt.low in _PEOPLE or nxt.low in _MILITARY):
            k += 1  # "dock workers", "factory staff"
            continue
        if tok.is_capital and tok.is_word and low.endswith(("ans", "is", "ese")):
            # "nine Syrians", "three Iraqis": nationality plurals are people
            return k, "people", modifier_measure
        if low in _MODIFIERS or "-" in tok.text or (tok.is_capital and tok.is_word):
            k += 1
            continue
        return k, None, modifier_measure
    return k, None, modifier_measure


def _measure_after(tokens: Sequence[Token], k: int, clause: list[int]) -> str | None:
    """Measure word in the passive after the noun: "were killed", "died", "among the dead"."""
    hi = len(tokens)
    steps = 0
    start_clause = clause[k - 1] if k > 0 else 0
    while k < hi and steps < 12:
        jumped = _skip_aside(tokens, k, hi)
        if jumped != k:
            k = jumped
            continue
        tok = tokens[k]
        if clause[k] != start_clause or tok.text in (",", "—", "–"):
            return None
        if _word_value(tokens, k) is not None or tok.low in ("who", "which", "that", "when"):
            return None
        if tok.low == "among":
            return None  # "nine Syrians were among the dead": part of a toll, not a toll
        kind = _MEASURE_WORDS.get(tok.low) or _pair(tokens, k)
        if kind:
            return kind
        if tok.low == "lost" and k + 2 < hi and tokens[k + 2].low == "lives":
            return "killed"
        k += 1
        steps += 1
    return None


_TALLY_NOUNS = frozenset({"toll", "count", "tally", "total", "number", "figure"})


def _tally_measure(tokens: Sequence[Token], lo: int, clause: list[int]) -> str | None:
    """ "the death toll of the strikes has risen to 23", "the injured count has been updated
    to at least 34": the measure named with the tally the figure is set to."""
    if lo < 2 or tokens[lo - 1].low not in ("to", "at"):
        return None
    for k in range(lo - 2, max(0, lo - 14), -1):
        if clause[k] != clause[lo] or _word_value(tokens, k) is not None:
            return None
        if tokens[k].low in _TALLY_NOUNS:
            named = tokens[k - 1].low if k > 0 and clause[k - 1] == clause[lo] else ""
            if named in _MEASURE_NOUNS:
                return _MEASURE_NOUNS[named]
            return "killed" if named in _KILLED or tokens[k].low == "toll" else None
    return None


def _speed(tokens: Sequence[Token], at: int) -> tuple[str, int] | None:
    """ "120 km/h", "90 mph", "100 kilometres per hour": the unit and its token count."""
    for words, unit in _SPEED_UNITS.items():
        if tuple(t.low for t in tokens[at : at + len(words)]) == words:
            return unit, len(words)
    return None


_POWERS = frozenset({"²", "³"})


def _distance_anchor(tokens: Sequence[Token], k: int) -> str | None:
    for j in range(k + 1, min(len(tokens), k + 4)):
        if tokens[j].low in ("from", "of", "off", "outside"):
            for m in range(j + 1, min(len(tokens), j + 5)):
                low = tokens[m].low
                if tokens[m].is_word and low not in ("the", "a", "an", "its", "their"):
                    return low
    return None


_SERIOUS = frozenset({"critically", "seriously", "severely", "serious", "critical", "grave"})
_MINOR = frozenset({"minor", "slightly", "lightly", "light"})
_HOSPITAL = frozenset({"hospital", "hospitalised", "hospitalized", "hospitals"})


def _spans(clause: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Token range of each clause number."""
    spans: dict[int, tuple[int, int]] = {}
    for t, n in enumerate(clause):
        spans[n] = (spans.get(n, (t, t))[0], t + 1)
    return spans


def _severity(measure: str, tokens: Sequence[Token], lo: int, noun_at: int) -> str:
    """ "five critically injured" and "19 wounded" count different things."""
    if measure != "injured":
        return measure
    words: set[str] = set()
    for t in tokens[noun_at : noun_at + 7]:
        if t.text in (",", ";", ".", "—", "–"):
            break
        words.add(t.low)
    words.update(t.low for t in tokens[max(0, lo - 2) : lo])
    if words & _SERIOUS:
        return "seriously injured"
    if words & _MINOR:
        return "lightly injured"
    if words & _HOSPITAL:
        return "in hospital"
    return measure


def _places_for(
    clause: int, by_clause: dict[int, tuple[str, ...]], counted: set[int]
) -> tuple[str, ...]:
    """The clause's own places, else the nearest earlier clause's, else those of a later
    clause that counts nothing itself ("seven facilities - four in Syria" keeps none)."""
    if by_clause.get(clause):
        return by_clause[clause]
    for c in range(clause - 1, -1, -1):
        if by_clause.get(c):
            return by_clause[c]
    for c in sorted(by_clause):
        if c > clause and by_clause[c] and c not in counted:
            return by_clause[c]
    return ()


def _names_figure(tokens: Sequence[Token], lo: int) -> bool:
    """ "put the number at about 800", "the figure was 600": a figure with no noun of its
    own, for the count just given."""
    if lo < 2 or tokens[lo - 1].low not in ("at", "to", "was", "is", "as"):
        return False
    return any(t.low in _FIGURE_WORDS for t in tokens[max(0, lo - 4) : lo - 1])


def _plural_noun(tok: Token) -> bool:
    low = tok.low
    if not tok.is_word or tok.is_capital or len(low) < 4 or "-" in low or "'" in low:
        return False
    if not low.endswith("s") or low.endswith(("ss", "us", "is")):
        return False
    return not (low in _NOT_GENERIC or low in _PEOPLE or low in _MILITARY or low in _MEASURE_WORDS)


def _describes(tok: Token) -> bool:
    """A plain word that can qualify a counted noun: "domestic" of "1,800 domestic
    flights", "executive" of "23 executive actions"."""
    low = tok.low
    return (
        tok.is_word
        and not tok.is_capital
        and len(low) >= 4
        and not low.endswith("s")
        and low not in _SUBJECT_STOP
        and low not in _SUBJECT_BREAK
    )


def _generic_noun(tokens: Sequence[Token], k: int, lo: int) -> int | None:
    """Index of the plain plural noun after the number that names what it counts ("five
    terminals"; "1,800 domestic flights", one describing word before it). People with no
    measure ("two officials said", "three troops who ...") are left out: what is said of
    them is too varied to compare."""
    if k >= len(tokens):
        return None
    before = [t.low for t in tokens[max(0, lo - 2) : lo]]
    if before == ["according", "to"]:
        return None
    if _plural_noun(tokens[k]):
        return k
    if k + 1 < len(tokens) and _describes(tokens[k]) and _plural_noun(tokens[k + 1]):
        return k + 1
    return None


# Where the words before a figure stop being about it: they name the previous thing.
_SUBJECT_BREAK = frozenset({"and", "or", "but", "while", "whereas", "than", ","})


def _subject(tokens: Sequence[Token], lo: int, hi: int, clause: Sequence[int]) -> frozenset[str]:
    """Stems of the words around a generic count that say what it measures: "the offer of
    4 percent" -> {offer}; "offered a 5 percent raise" -> {offer, raise}."""
    words: list[str] = []
    k, taken = lo - 1, 0
    while k >= 0 and taken < 2 and lo - k <= 5 and clause[k] == clause[lo]:
        tok = tokens[k]
        if tok.low in _SUBJECT_BREAK or tok.is_digit:  # "a $1.2 bn plan and a $3.5 bn ..."
            break
        if tok.is_word and not tok.is_capital and tok.low not in _SUBJECT_STOP:
            words.append(tok.low)
            taken += 1
        k -= 1
    for tok in tokens[hi : hi + 2]:
        if not tok.is_word or tok.low in _SUBJECT_STOP:
            break
        words.append(tok.low)
    return frozenset(stem(w) for w in words)


def _qualified(
    tokens: Sequence[Token], lo: int, clause: Sequence[int]
) -> frozenset[tuple[str, str]]:
    """The noun a generic figure is stated of and the word qualifying it, when both stand
    right before it: "the unemployment rate is 3.6%", "the mortgage rate was more than 18%"."""
    k = lo - 1
    while k >= 0 and lo - k <= 3 and tokens[k].low in _SUBJECT_STOP:
        k -= 1
    if k < 1 or clause[k - 1] != clause[lo] or lo - k > 3:
        return frozenset()
    head, before = tokens[k], tokens[k - 1]
    if not all(
        t.is_word and not t.is_capital and t.low not in _SUBJECT_STOP | _SUBJECT_BREAK
        for t in (head, before)
    ):
        return frozenset()
    return frozenset({(stem(head.low), stem(before.low))})


def _who(noun: str | None, previous: str | None) -> str:
    if noun in _MILITARY or noun == "service members":
        return "military"
    if noun in (None, "others", "dead", "injured", "wounded", "deaths", "fatalities"):
        return previous or "people"
    return "people"


def extract_counts(text: str, known_places: frozenset[str] = frozenset()) -> list[Count]:
    """Counts of people, objects and distances reported in one sentence."""
    if not _ANY_NUMBER.search(text):
        return []
    tokens = tokenize(text)
    if not tokens:
        return []
    clause = _clause_bounds(tokens)
    place_clause = _clause_bounds(tokens, split_counts=False)
    counts: list[Count] = []
    previous_who: str | None = None
    place_bounds = _spans(place_clause)
    by_clause = {
        n: clause_places(tokens, lo, hi, known_places) for n, (lo, hi) in place_bounds.items()
    }
    quantities = _quantities(tokens, text)
    counted = {place_clause[f.num] for f in quantities}
    for f in quantities:
        noun_at, noun, modifier_measure = _noun_after(tokens, f.hi)
        thing: str | None = None
        who: str | None = None
        word: str | None = None
        by_agent = _agent(tokens, f.lo)
        before_measure = None if by_agent else _measure_before(tokens, f.lo, clause, 2)
        generic = False
        described: int | None = None  # the word qualifying a generic noun: "domestic"
        if f.unit is not None:
            thing = "percent" if f.unit == "percent" else f"amount in {f.unit}"
            generic = True
            noun, noun_at = None, f.hi
        elif speed := _speed(tokens, f.hi):
            unit, used = speed
            windy = any(t.low in _WIND for t in tokens[max(0, f.lo - 6) : f.hi + used + 4])
            thing = f"{'wind speed' if windy else 'speed'} in {unit}"
            noun, noun_at = None, f.hi + used
            f.hi += used  # the unit belongs to the figure's span
        elif noun in _DISTANCE_UNITS:
            anchor = _distance_anchor(tokens, noun_at)
            squared = noun_at + 1 < len(tokens) and tokens[noun_at + 1].text in _POWERS
            if anchor is None or squared:  # "40 km² of forest" is an area, not a distance
                continue
            factor = _DISTANCE_UNITS[noun]
            q = f.quantity
            f.quantity = Quantity(
                q.value * factor, q.low * factor, q.high * factor, q.text, q.qualifier
            )
            thing = f"distance from {anchor}"
            word = noun
        elif noun in _OBJECTS:
            verbs = {t.low for t in tokens[max(0, f.lo - 4) : f.lo]}
            verbs |= {t.low for t in tokens[noun_at + 1 : noun_at + 4]}
            fates = [_FATE_WORDS[v] for v in verbs if v in _FATE_WORDS]
            # "damaged or destroyed" counts the worse; one word decides otherwise.
            fate = "destroyed" if "destroyed" in fates else fates[0] if fates else None
            thing = _OBJECTS[noun] + (f" {fate}" if fate else "")
            word = noun
        elif noun in _MEASURE_NOUNS:
            thing = _MEASURE_NOUNS[noun]
            who = _who(noun, previous_who)
            word = noun
        else:
            measure = modifier_measure or before_measure
            if measure is None:
                after_at = noun_at + 1 if noun is not None else f.hi
                measure = _measure_after(tokens, after_at, clause)
            if measure is None and not by_agent:
                measure = _measure_before(tokens, f.lo, clause, 4)
            if measure is None:
                measure = _tally_measure(tokens, f.lo, clause)
            if measure is not None and _spared(tokens, f.lo, place_clause):
                continue
            if measure is None:
                if _names_figure(tokens, f.lo):
                    thing = SAME_AS_BEFORE
                elif (
                    noun is None
                    and not f.whole
                    and ((at := _generic_noun(tokens, noun_at, f.lo)) is not None)
                ):
                    described = noun_at if at > noun_at else None
                    noun_at, thing = at, tokens[at].low
                    generic = True
                else:
                    continue
            elif noun is None and f.quantity.text.lower() in ("one", "a dozen"):
                continue
            else:
                thing = _severity(measure, tokens, f.lo, noun_at)
                who = _who(noun, previous_who)
                word = measure
        subject = frozenset()
        qualified: frozenset[tuple[str, str]] = frozenset()
        if generic:
            # The counted noun itself is the thing, not what sets two counts of it apart.
            skip = noun_at + 1 if f.unit is None else f.hi
            subject = _subject(tokens, f.lo, skip, clause) - {stem(thing)}
            qualified = _qualified(tokens, f.lo, clause)
            if described is not None:
                # "1,800 domestic flights" and "1,000 international flights" count two
                # things; "more than 1,000 flights" may count either.
                qualified |= {(stem(thing), stem(tokens[described].low))}
        lo, hi = place_bounds[place_clause[f.num]]
        places = clause_places(tokens, lo, hi, known_places, anchor=f.num)
        places = places or _places_for(place_clause[f.num], by_clause, counted)
        if who is not None:
            previous_who = who
        named = noun is not None or (generic and f.unit is None)
        noun_text = tokens[noun_at].text if named and noun_at < len(tokens) else ""
        if described is not None:
            noun_text = text[tokens[described].start : tokens[noun_at].end]
        if noun == "service members":
            noun_text = "service members"
        parts = [f.quantity.text]
        if noun_text and (thing not in _MEASURE_WORDS.values() or noun_text.lower() != word):
            parts.append(noun_text)
        if word and who is not None:
            parts.append(thing)
        elif word and thing.endswith((" destroyed", " damaged")):
            parts.append(thing.rsplit(" ", 1)[1])
        if thing.startswith("distance"):
            parts = [f.quantity.text, noun_text, thing.replace("distance ", "")]
        elif thing.startswith(("wind speed in ", "speed in ")):
            parts = [f.quantity.text, thing.rsplit(" in ", 1)[1]]
        elif places and who is not None:
            parts.append("in " + " and ".join(places))
        counts.append(
            Count(
                quantity=f.quantity,
                thing=thing,
                who=who,
                noun=noun,
                places=places,
                phrase=" ".join(parts),
                start=tokens[f.lo].start,
                end=tokens[f.hi - 1].end,
                generic=generic,
                subject=subject,
                qualified=qualified,
            )
        )
    return counts


# Words saying a figure replaces an earlier one: "a new toll", "has risen to 23", "the
# injured count has been updated to at least 34".
_LATER_NOUN = (
    r"\b(?:new|latest|updated|revised|later|higher)\s+(?:death\s+|casualty\s+)?"
    r"(?:toll|count|tally|figures?|total)\b"
)
_LATER_BEFORE = re.compile(
    _LATER_NOUN
    + r"|\b(?:risen|rose|rising|climbed|climbing|increased|increasing|jumped|grown|grew|"
    r"swelled|mounted|gone\s+up|went\s+up|been\s+updated|updated|revised\s+up(?:ward)?)\s+to\b"
    r"|\b(?:bringing|brought|raising|raised|taking|took)\s+(?:the\s+)?(?:death\s+)?"
    r"(?:toll|total|number|count|tally)\s+to\b"
    r"|\bnow\s+stands?\s+at\b",
    re.IGNORECASE,
)
_LATER_AFTER = re.compile(_LATER_NOUN, re.IGNORECASE)
# A word setting one side's figure against another's: "five were killed, but ... 10".
CONTRAST = re.compile(r"\b(?:but|while|whereas|although|though|however)\b", re.IGNORECASE)
_OTHER_CLAUSE = re.compile(rf"[;—–]|{CONTRAST.pattern}", re.IGNORECASE)


def later_toll(text: str, count: Count) -> bool:
    """The sentence calls this figure an update of an earlier one: a cue before it with no
    other figure in between ("a new toll provided on Saturday, 23 fighters were killed"),
    or after it in its clause ("23 were killed, according to a new toll")."""
    before = list(_LATER_BEFORE.finditer(text, 0, count.start))
    if before and not _ANY_NUMBER.search(text, before[-1].end(), count.start):
        return True
    after = _LATER_AFTER.search(text, count.end)
    if after is None:
        return False
    between = text[count.end : after.start()]
    return not _ANY_NUMBER.search(between) and not _OTHER_CLAUSE.search(between)

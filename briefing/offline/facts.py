"""What each kept sentence states: counts, speaker, descriptors of people, times.

Parsed once per sentence and shared by the divergence finder, the single-source
notes and the timeline. Two things need the whole article: a pronoun speaker
("he said") takes the last named person before it, and a count with no place of
its own takes the article's main place when the article has a clear one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from briefing.model import Article

from .attribution import Attribution, find_attribution
from .dates import When, find_times, parse_iso
from .framing import Descriptor, describe
from .numbers import SAME_AS_BEFORE, Count, extract_counts
from .places import clause_places, demonym_of, nested_places, prepositional_places
from .segment import ContentSentence
from .tokens import tokenize

# "he said" refers to a person named at most this many sentences earlier.
PRONOUN_REACH = 3
# "put the number at 800" refers to a count at most this many sentences earlier.
FIGURE_REACH = 2


@dataclass
class SentenceFacts:
    counts: list[Count] = field(default_factory=list)
    attribution: Attribution | None = None
    descriptors: list[Descriptor] = field(default_factory=list)
    times: list[When] = field(default_factory=list)
    within: list[tuple[str, str]] = field(default_factory=list)  # ("Rukban", "Jordan")


def known_places(sents: Sequence[ContentSentence]) -> frozenset[str]:
    """Names used after "in", "near" ... anywhere in the article set."""
    found: set[str] = set()
    for s in sents:
        found.update(prepositional_places(tokenize(s.text)))
    # "in Iraqi Kurdistan" may have let a demonym in: it names its country.
    roots = frozenset(found)
    return frozenset(demonym_of(p, roots - {p}) or p for p in found)


# The main place is the one the lead names: counts later in the article with no place
# of their own are about it. A lead naming two places ("in Iraq and Syria") gives none.
LEAD_REACH = 3


def _main_place(lead: Sequence[tuple[str, ...]]) -> str | None:
    for places in lead:
        if places:
            return places[0] if len(places) == 1 else None
    return None


def analyse(articles: Sequence[Article], sents: Sequence[ContentSentence]) -> list[SentenceFacts]:
    places = known_places(sents)
    lowered = frozenset(_alias(p.lower()) for p in places)
    facts: list[SentenceFacts] = []
    lead: dict[int, list[tuple[str, ...]]] = {}
    for s in sents:
        counts = extract_counts(s.text, places)
        tokens = tokenize(s.text)
        if s.position < LEAD_REACH:
            lead.setdefault(s.article, []).append(clause_places(tokens, 0, len(tokens), places))
        reference = parse_iso(articles[s.article].date)
        facts.append(
            SentenceFacts(
                counts=counts,
                attribution=find_attribution(s.text, lowered),
                times=find_times(s.text, reference),
                within=nested_places(tokens) if counts else [],
            )
        )
    main = {a: _main_place(found) for a, found in lead.items()}
    last_person: dict[int, tuple[int, Attribution]] = {}
    last_count: dict[int, tuple[int, Count]] = {}
    for s, f in zip(sents, facts, strict=True):
        f.counts = _resolve_figures(f.counts, last_count.get(s.article), s.position)
        if f.counts:
            last_count[s.article] = (s.position, f.counts[-1])
        home = main.get(s.article)
        if home:
            f.counts = [c if c.places else _placed(c, home) for c in f.counts]
        f.descriptors = describe(s.text, f.counts)
        att = f.attribution
        if att is not None and att.pronoun and s.article in last_person:
            position, named = last_person[s.article]
            if s.position - position <= PRONOUN_REACH:
                f.attribution = replace(named, start=att.start, end=att.end, resolved=True)
        elif att is not None and att.person:
            last_person[s.article] = (s.position, att)
    return facts


def _resolve_figures(
    counts: list[Count], before: tuple[int, Count] | None, position: int
) -> list[Count]:
    """ "The authority put the number at about 800" gives a figure for the count the
    sentence just before gave; with no such count the figure counts nothing we know."""
    out: list[Count] = []
    for c in counts:
        if c.thing != SAME_AS_BEFORE:
            out.append(c)
        elif before is not None and position - before[0] <= FIGURE_REACH:
            prev = before[1]
            phrase = f"{c.quantity.text} {prev.thing}" if prev.who else c.quantity.text
            out.append(replace(prev, quantity=c.quantity, phrase=phrase, start=c.start, end=c.end))
    return out


def _alias(place: str) -> str:
    return {"u.s.": "us", "united states": "us"}.get(place, place)


def _placed(count: Count, place: str) -> Count:
    # The phrase stays as the source wrote it: the place is our inference, not its words.
    return replace(count, places=(place,), inferred=True)

"""What each kept sentence states: counts, speaker, descriptors of people, times.

Parsed once per sentence and shared by the support test, the divergence finder,
the single-source notes and the timeline. Two things need the whole article: a
pronoun speaker ("she said") is taken to be whoever the article named just before
it, and a count with no place of its own takes the article's main place when the
article has a clear one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from briefing.model import Article

from .attribution import Attribution, find_attribution, people_in, resolved_to
from .dates import When, find_times, parse_iso
from .figures import Figure, loose_figures
from .framing import Descriptor, describe
from .numbers import SAME_AS_BEFORE, Count, extract_counts
from .places import clause_places, demonym_of, nested_places, prepositional_places
from .segment import ContentSentence
from .tallies import vote_tallies
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
    figures: list[Figure] = field(default_factory=list)  # numbers no count holds


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
    last_count: dict[int, tuple[int, Count]] = {}
    for s, f in zip(sents, facts, strict=True):
        f.counts = _resolve_figures(f.counts, last_count.get(s.article), s.position)
        if f.counts:
            last_count[s.article] = (s.position, f.counts[-1])
        home = main.get(s.article)
        if home:
            f.counts = [c if c.places else _placed(c, home) for c in f.counts]
        # Added after the figures and places are resolved: a vote is held by a body,
        # not in the lead's place, and is no earlier figure repeated.
        f.counts = [*f.counts, *vote_tallies(s.text)]
        f.descriptors = describe(s.text, f.counts)
        f.figures = loose_figures(s.text, f.counts)
    _resolve_speakers(sents, facts, frozenset(p.lower() for p in places))
    return facts


@dataclass(frozen=True)
class _Named:
    """The people a sentence names, as candidates for a "she said" after it."""

    position: int
    words: frozenset[str]  # personal-name words of them all
    name: str  # the one shown: the sentence's speaker, else the first person it names


def _named(position: int, text: str, att: Attribution | None, places: frozenset[str]) -> _Named:
    people = people_in(text, places)
    words = frozenset().union(*(p.words for p in people))
    if att is not None and att.person:
        return _Named(position, words | att.person, att.speaker)
    return _Named(position, words, people[0].name if people else "")


def _resolve_speakers(
    sents: Sequence[ContentSentence], facts: Sequence[SentenceFacts], places: frozenset[str]
) -> None:
    """Takes each "she said" to be whoever the article named just before it: in 'Pelosi
    tried to play down any split. "It's not against the president," she said.' the
    words are Pelosi's, though no verb of saying names her. A run of quotes keeps its
    speaker: the "she" of one is the "she" of the one before."""
    said: dict[int, _Named] = {}  # per article, the last person a verb of saying named
    near: dict[int, _Named] = {}  # per article, the last sentence naming anyone
    for s, f in zip(sents, facts, strict=True):
        att = f.attribution
        if att is not None and att.pronoun:
            here = _named(s.position, s.text[: att.start], None, places)
            nearest = here if here.words else near.get(s.article)
            f.attribution = _resolved(att, s.position, nearest, said.get(s.article))
        elif att is not None and att.person:
            said[s.article] = _Named(s.position, att.person, att.speaker)
        named = _named(s.position, s.text, f.attribution, places)
        if named.words:
            near[s.article] = named


def _resolved(
    att: Attribution, position: int, nearest: _Named | None, said: _Named | None
) -> Attribution:
    """``att`` taken to be one of the people the nearest sentence naming anyone names,
    or the last person a verb of saying named: a name seen in between may be someone
    spoken about. Shown as the nearest."""
    candidates = [
        c for c in (nearest, said) if c is not None and position - c.position <= PRONOUN_REACH
    ]
    words = frozenset().union(*(c.words for c in candidates))
    return resolved_to(att, words, candidates[0].name) if words else att


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

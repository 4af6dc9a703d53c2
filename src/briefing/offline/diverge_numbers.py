"""Numeric divergences: sources giving incompatible counts of the same thing in the same place.

Counts are keyed by what they count (killed / injured / targets ...), who (people
or troops) and where ("Syria" and "Iraq" tolls are different things). Each article
contributes its first count per key (the lead carries the latest figure);
for head counts and generic figures ("4 percent") each distinct figure it gives, since
sides often differ inside one article ("the union says 1,200, the authority 800"). Two
figures conflict when their intervals cannot both be true ("9" vs "at least 12");
two lower bounds far apart ("at least 23" vs "at least 35") are flagged too, since
readers take them as the toll.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from briefing.model import Article, Divergence

from .candidates import Candidate, cite_at, spread, version_at
from .citations import labels
from .facts import SentenceFacts
from .numbers import (
    CONTRAST,
    ON_STRIKE,
    Count,
    bounds_apart,
    compatible,
    later_toll,
    subjects_apart,
)
from .segment import ContentSentence
from .support import count_key

MAX_VERSIONS = 6
# Figures of one thing one source gives from different sides ("the union says ...").
MAX_PER_ARTICLE = 3
# Similarity at which two sentences with a generic count ("4 percent") share a subject.
GENERIC_SIMILARITY = 0.25
# ... and when both name their subject, the least similarity of the two sentences.
SUBJECT_SIMILARITY = 0.1

Key = tuple[str, str | None, tuple[str, ...]]
SimilarityMatrix = Any  # (n, n) numpy array of sentence similarities


def _conflict(a: Count, b: Count) -> bool:
    return not compatible(a.quantity, b.quantity) or bounds_apart(a.quantity, b.quantity)


def topic(key: Key, counts: Sequence[Count] = ()) -> str:
    thing, who, places = key
    where = f" in {' and '.join(places)}" if places else ""
    if thing == "percent" or thing.startswith("amount in "):
        shared = _shared_subject(counts)
        name = "Percentage" if thing == "percent" else thing.capitalize()
        return f"{name}: {shared}{where}" if shared else f"{name}{where}"
    if who is not None:
        if who == "military":
            return f"Number of troops {thing}{where}"
        return f"Number {thing}{where}"
    if thing.startswith(("distance", "wind speed in ", "speed in ")):
        return thing.capitalize() + where
    if thing == "vote" or thing.startswith("vote in "):
        return f"Vote tally{thing[4:]}{where}"
    return f"Number of {thing}{where}"


def _shared_subject(counts: Sequence[Count]) -> str | None:
    tally: dict[str, int] = {}
    for c in counts:
        for word in c.subject:
            tally[word] = tally.get(word, 0) + 1
    common = [w for w, n in tally.items() if n > 1]
    return min(common, key=lambda w: (-tally[w], w)) if common else None


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


def _places_of(
    keyed: Sequence[Sequence[tuple[Key, Count]]],
) -> dict[tuple[str, str | None], set[tuple[str, ...]]]:
    """Where each thing is counted. A toll all sources place in one spot, some by our
    inference from their lead, is as comparable as tolls none of them place: the
    inference cannot have put a figure in the wrong place."""
    found: dict[tuple[str, str | None], set[tuple[str, ...]]] = {}
    for row in keyed:
        for (thing, who, places), _ in row:
            found.setdefault((thing, who), set()).add(places)
    return found


# (key) -> figure -> (sources calling it an updated toll, sources giving it plainly)
LaterTolls = dict[Key, dict[float, tuple[set[int], set[int]]]]


def _later_tolls(
    sents: Sequence[ContentSentence], keyed: Sequence[Sequence[tuple[Key, Count]]]
) -> LaterTolls:
    """Figures some source calls a later toll ("has risen to 23"), with the sources that
    say so and those giving the same figure without saying it."""
    found: LaterTolls = {}
    for s, row in zip(sents, keyed, strict=True):
        for key, c in row:
            if c.who is not None and later_toll(s.text, c):
                found.setdefault(key, {}).setdefault(c.quantity.value, (set(), set()))
    for s, row in zip(sents, keyed, strict=True):
        for key, c in row:
            sources = found.get(key, {}).get(c.quantity.value)
            if sources is not None:
                sources[0 if later_toll(s.text, c) else 1].add(s.article)
    return found


def _over_time(a: Count, b: Count, updated: dict[float, tuple[set[int], set[int]]]) -> bool:
    """The higher of two clashing figures is a later toll: the count rose, nobody erred."""
    low, high = sorted((a, b), key=lambda c: c.quantity.value)
    return high.quantity.value > low.quantity.value and high.quantity.value in updated


def _later_note(
    articles: Sequence[Article],
    updated: dict[float, tuple[set[int], set[int]]],
    rows: Sequence[tuple[str, int, Count]],
) -> str | None:
    """ "Some figures are later tolls, not rival counts: [5] gives 23 as an updated
    figure ([9] gives the same figure)." Only figures the table or its note shows."""

    def gives(sources: set[int]) -> str:
        return f"{labels(articles, sources)} give{'s' if len(sources) == 1 else ''}"

    giving = {a for _, a, _ in rows}
    parts: list[str] = []
    for value, (saying, plain) in sorted(updated.items()):
        # An article may put another of its figures in the table (full-width digits
        # read as another value): the note names only a figure the table shows.
        figure = next((v for v, a, c in rows if a in saying and c.quantity.value == value), None)
        if figure is None:
            continue
        said = {a for _, a, c in rows if a in saying and c.quantity.value == value}
        part = f"{gives(said)} {figure} as an updated figure"
        same = (plain & giving) - said
        if same:
            part += f" ({gives(same)} the same figure)"
        parts.append(part)
    if not parts:
        return None
    return "Some figures are later tolls, not rival counts: " + "; ".join(parts) + "."


def _multi(key: Key, c: Count) -> bool:
    """Things an article may give several figures for, each from its own side ("the union
    says 1,200, the authority 800"): all are kept. A toll keeps its first figure."""
    return c.generic or key[0] == ON_STRIKE


def _other_side(text: str, rows: Sequence[tuple[int, Count]], i: int, c: Count) -> bool:
    """ "The police say five were killed, but hospital sources say 10": the sentence that
    gives an article's toll may set another side's figure against it; both are kept."""
    first_i, first = rows[0]
    return first_i == i and bool(CONTRAST.search(text, first.end, c.start))


def _comparable(a: tuple[int, Count], b: tuple[int, Count], sim: SimilarityMatrix) -> bool:
    """Generic counts ("4 percent", "five terminals") are the same quantity only when the
    sentences are about one subject: shared words around the figures when both have some
    ("a $1.2 trillion infrastructure bill", "a package projected to cost $3.5 trillion"
    have none), else similar sentences."""
    (i, ca), (j, cb) = a, b
    if not (ca.generic or cb.generic):
        return True
    if subjects_apart(ca, cb):
        return False
    if ca.subject and cb.subject:  # both name what the figure is of, and those meet
        # ... in sentences about one thing: "the core PCE price index increased by 0.5%"
        # and "the S&P 500 index is down nearly 19%" share "index" and nothing else.
        return float(sim[i, j]) >= SUBJECT_SIMILARITY
    return float(sim[i, j]) >= GENERIC_SIMILARITY


def _figures_of_other_things(keyed: Sequence[Sequence[tuple[Key, Count]]]) -> dict[str, set[float]]:
    """Values each object count takes: "85 targets at seven sites" makes a "more than 85
    locations" elsewhere a figure for targets, not a rival count of locations."""
    found: dict[str, set[float]] = {}
    for row in keyed:
        for (thing, who, _), c in row:
            if who is None and not c.generic:
                found.setdefault(thing, set()).add(c.quantity.value)
    return found


def _borrowed(key: Key, c: Count, figures: dict[str, set[float]], own: set[float]) -> bool:
    thing, who, _ = key
    if who is not None or c.generic or c.quantity.value in own:
        return False
    return any(c.quantity.value in values for other, values in figures.items() if other != thing)


def _label(text: str, speaker: str | None) -> str:
    return f"{text} (per {speaker})" if speaker else text


def numeric_divergences(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    scores: Sequence[float],
    sim: SimilarityMatrix,
) -> list[Candidate]:
    per_key: dict[Key, dict[int, list[tuple[int, Count]]]] = {}
    keyed = _keyed(facts)
    for i, s in enumerate(sents):
        for key, c in keyed[i]:
            rows = per_key.setdefault(key, {}).setdefault(s.article, [])
            if not rows or (
                (_multi(key, c) or _other_side(s.text, rows, i, c))
                and len(rows) < MAX_PER_ARTICLE
                and all(r.quantity.value != c.quantity.value for _, r in rows)
            ):
                rows.append((i, c))
    figures = _figures_of_other_things(keyed)
    spots = _places_of(keyed)
    later = _later_tolls(sents, keyed)
    found: list[Candidate] = []
    for key in sorted(per_key, key=lambda k: (k[0], k[1] or "", k[2])):
        per_article = {
            a: [
                (i, c)
                for i, c in rows
                if not _borrowed(key, c, figures, _values_elsewhere(key, per_key, a))
            ]
            for a, rows in per_key[key].items()
        }
        per_article = {a: rows for a, rows in per_article.items() if rows}
        if len(per_article) < 2:
            continue
        items = sorted(per_article.items())
        clashing: set[tuple[int, int, int]] = set()  # (article, sentence, figure start)
        # An inferred place can only be wrong when the thing is counted somewhere else too.
        doubtful = len(spots.get((key[0], key[1]), ())) > 1
        updated = later.get(key, {})
        stated = False
        rival = False  # some clash is not a later toll set against an earlier one
        for x, (_, rows_a) in enumerate(items):
            for _, rows_b in items[x + 1 :]:
                if _share_a_generic_figure(rows_a, rows_b):
                    continue
                for one, other in ((rows_a, rows_b), (rows_b, rows_a)):
                    for ra in one:
                        peers = [rb for rb in other if _comparable(ra, rb, sim)]
                        if peers and all(_conflict(ra[1], rb[1]) for rb in peers):
                            clashing.update(_figure(sents, r) for r in (ra, *peers))
                            rival = rival or not all(
                                _over_time(ra[1], rb[1], updated) for rb in peers
                            )
                            stated = stated or not (
                                doubtful and (ra[1].inferred or any(rb[1].inferred for rb in peers))
                            )
        # A place we inferred may be wrong: it can join a clash, never make one.
        if not clashing or not stated:
            continue
        # One sentence giving two sides' figures has one speaker found for both: none is shown.
        two_sided = {i for _, rows in items for i, _ in rows if sum(j == i for j, _ in rows) > 1}
        # A sentence may give two figures of one key ("a $1.2 trillion bill and a $3.5
        # trillion plan"): a row is one figure. Generic figures that clash with nothing
        # are about other subjects (another bill, another rate), so they stay out.
        flat = [
            (a, i, c)
            for a, rows in items
            for i, c in rows
            if (a, i, c.start) in clashing or not (c.generic or key[0] == ON_STRIKE)
        ]
        # Order variants by value so the reader sees the range; clashing ones first per value.
        rows = sorted(
            ((c.quantity.text.lower(), a, i, c) for a, i, c in flat),
            key=lambda r: (r[3].quantity.value, (r[1], r[2], r[3].start) not in clashing, r[1]),
        )
        # Figures that clash get the slots first; a vague "dozens" fits every side.
        first_pick = sorted(rows, key=lambda r: (r[1], r[2], r[3].start) not in clashing)
        chosen = sorted(spread(first_pick, MAX_VERSIONS), key=rows.index)
        versions = []
        for _, _, i, c in chosen:
            att = facts[i].attribution
            # Who gives each figure is often the real split (a monitor against officials),
            # and the quoted clause cuts the "According to ..." off. A "he said" resolved
            # to a person may name the wrong one, and a sentence quoting two speakers
            # ("a monitor reported 18 ..., while the government stated 16") may give the
            # figure to the other: a figure is labelled only with its sentence's one speaker.
            named = att is not None and not (att.pronoun or att.resolved or att.ambiguous)
            speaker = att.speaker if i not in two_sided and named else None
            versions.append(
                version_at(articles, sents, i, _label(c.phrase, speaker), c.start, c.end)
            )
        note = None
        left_out = [r for r in rows if r not in chosen]
        more_citations = [cite_at(articles, sents, i, c.start, c.end) for _, _, i, c in left_out]
        if left_out:
            # Only what the table does not show, so the rows and the note add up.
            # Named by label, so that a reader can check each figure.
            tally: dict[str, list[int]] = {}
            for variant, a, _, _ in left_out:
                tally.setdefault(variant, []).append(a)
            n = len({a for _, a, _, _ in left_out})
            # A figure a row already gives is agreement, not one more version: said so.
            shown = {v for v, _, _, _ in chosen}
            note = f"{n} more source{'s give' if n > 1 else ' gives'}: " + "; ".join(
                f"{v} ({labels(articles, given)}{', as in the table' if v in shown else ''})"
                for v, given in tally.items()
            )
        over_time = _later_note(articles, updated, [(v, a, c) for v, a, _, c in rows])
        if over_time:
            note = f"{over_time} {note}" if note else over_time
        used = tuple(dict.fromkeys(i for _, _, i, _ in chosen))
        score = _weight(key[0]) + 0.1 * len(items) + max(scores[i] for i in used)
        found.append(
            Candidate(
                Divergence(
                    topic=topic(key, [c for _, _, c in flat]),
                    kind="numeric",
                    versions=versions,
                    note=note,
                    note_citations=more_citations,
                ),
                score,
                used,
                # Tolls that only rose over time are no dispute for the bottom line.
                disputes=(key[0], key[1]) if rival else None,
            )
        )
    return found


def _share_a_generic_figure(a: Sequence[tuple[int, Count]], b: Sequence[tuple[int, Count]]) -> bool:
    """Two sources giving one generic figure alike ("$92 a month") agree on it; their
    other figures of that kind ("$1,657", "$154 for a couple") are about other things,
    not rival values of it."""
    values = {c.quantity.value for _, c in a if c.generic}
    return any(c.generic and c.quantity.value in values for _, c in b)


def _figure(sents: Sequence[ContentSentence], row: tuple[int, Count]) -> tuple[int, int, int]:
    i, c = row
    return sents[i].article, i, c.start


def _values_elsewhere(
    key: Key, per_key: dict[Key, dict[int, list[tuple[int, Count]]]], article: int
) -> set[float]:
    """This thing's figures in the other sources: a figure one of them gives is its own."""
    return {c.quantity.value for a, rows in per_key[key].items() if a != article for _, c in rows}

"""Figures the count reader leaves aside, compared by the word they qualify.

The count reader knows what tolls, arrests and targets are; "pulled 14 people from
cars" or "water stood 2 metres deep" count nothing in its vocabulary, so such numbers
are dropped there. Yet two sources telling the same sentence with 14 and 9 people
plainly disagree, and neither may be cited for the other. A loose figure is keyed by
the word right after it ("people", "metres"; the unit for "4 percent" and "$5"); a
sentence with two figures on one key is ambiguous and keeps neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .numbers import Count, Quantity, compatible, number_phrases
from .vectors import analyze, stem

# Words after a number that say nothing about what it counts.
_NOT_A_KEY = frozenset(
    {
        "of", "and", "or", "in", "on", "at", "to", "for", "from", "by", "with", "the",
        "a", "an", "than", "as", "per", "more", "less", "times", "is", "are", "was",
        "were", "who", "that", "which", "had", "have", "has", "said", "says",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    key: str  # stem of the word it qualifies, or its unit
    word: str  # that word as written ("" for a unit): "14 people" is shown whole
    quantity: Quantity
    start: int  # char span of the number phrase in the sentence
    end: int
    # Stems of the words around it ("pulled", "cars"): what tells two such figures apart
    # as one fact told twice, or two facts that share a noun.
    context: frozenset[str] = frozenset()


# Words either side of a figure that make its context.
CONTEXT_WORDS = 4


def _context(text: str, start: int, end: int, key: str) -> frozenset[str]:
    before = text[:start].split()[-CONTEXT_WORDS:]
    after = text[end:].split()[: CONTEXT_WORDS + 1]
    words = analyze(" ".join(before + after))
    return frozenset(w for w in words if w != key and not w[:1].isdigit())


def loose_figures(text: str, counts: Sequence[Count]) -> list[Figure]:
    """The figures of ``text`` that none of its ``counts`` already holds."""
    found: list[Figure] = []
    for phrase in number_phrases(text):
        if any(c.start < phrase.end and phrase.start < c.end for c in counts):
            continue
        key = phrase.unit or (stem(phrase.after.lower()) if phrase.after else None)
        if key is None or key in _NOT_A_KEY:
            continue
        context = _context(text, phrase.start, phrase.end, key)
        word = "" if phrase.unit else phrase.after or ""
        found.append(Figure(key, word, phrase.quantity, phrase.start, phrase.end, context))
    keys = [f.key for f in found]
    return [f for f in found if keys.count(f.key) == 1]


def figure_key(key: str) -> tuple[str, str | None]:
    """What a divergence on loose figures disputes, as a count's (thing, who)."""
    return (f"figure {key}", None)


def figures_clash(a: Sequence[Figure], b: Sequence[Figure]) -> Figure | None:
    """The figure of ``a`` that ``b`` gives otherwise on the same key, if any."""
    theirs = {f.key: f for f in b}
    for f in a:
        other = theirs.get(f.key)
        if other is not None and not compatible(f.quantity, other.quantity):
            return f
    return None

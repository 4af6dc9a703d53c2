"""Place names a clause is about: "in Iraq", "near the town of Halvosk", "Iraqi officials".

No gazetteer: a place is a capitalised name after a locative preposition ("in",
"near", "outside" ...) that is not used as an adjective ("in U.S. strikes"). Names
found that way anywhere in the article set then also count when they appear
without a preposition ("Iraq says ..."), as do their demonyms ("Iraqi").
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .tokens import Token

# "off" places what happens at sea: "sank off Lampedusa", "off the coast of Libya".
_PREPOSITIONS = frozenset(
    {"in", "inside", "across", "near", "outside", "around", "throughout", "within", "into", "off"}
)
# Words allowed between the preposition and the name: "in the west of Iraq".
_LEAD_IN = frozenset(
    {
        "the", "a", "its", "their", "west", "east", "north", "south", "western", "eastern",
        "northern", "southern", "central", "northeast", "northwest", "southeast", "southwest",
        "northeastern", "northwestern", "southeastern", "southwestern", "of", "parts", "part",
        "town", "city", "village", "province", "region", "outskirts", "border", "country's",
        "capital", "district", "areas", "area", "neighbouring", "neighboring", "nearby",
        "coast", "shore", "shores", "island",
    }
)  # fmt: skip
# Lower-case words that may follow a place name ("Halvosk ring road" is not one of them).
_AFTER_PLACE = frozenset(
    {
        "and", "or", "on", "after", "before", "when", "as", "to", "for", "with", "where",
        "which", "that", "last", "this", "early", "late", "city", "province", "town", "village",
        "region", "district", "governorate", "area", "areas", "countryside", "border",
        "in", "at", "since", "during", "while", "but", "who", "were", "was", "have", "had",
        "has", "said", "says", "killed", "overnight", "from", "by", "near", "amid", "of",
        "is", "are", "following", "over", "under", "earlier", "later", "until",
    }
)  # fmt: skip
_NOT_PLACES = frozenset(
    {
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
        "Sep", "Sept", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday",
        "Friday", "Saturday", "Sunday", "The", "A", "An", "This", "That", "His", "Her",
        "Their", "Its", "Our", "He", "She", "It", "They", "We", "I", "Mr", "Mrs", "Ms", "Dr",
        "Gen", "President", "Minister", "Ministry", "Government", "Department", "Office",
        "Council", "Parliament", "Congress", "Senate", "Assembly", "Command", "Force",
        "Forces", "Army", "Reuters", "AFP", "AP", "CNN",
    }
)  # fmt: skip
# Nouns after a country name that make it the attacker or an institution, not the scene.
_ACTOR_NOUNS = frozenset(
    {
        "strike", "strikes", "airstrike", "airstrikes", "air", "forces", "military", "troops",
        "attack", "attacks", "aggression", "bombers", "warplanes", "jets", "drone", "drones",
        "raid", "raids", "army", "navy", "soldiers", "service", "servicemen", "personnel",
        "occupation", "embassy", "officials", "administration", "president",
    }
)  # fmt: skip


def _name(token: Token) -> str:
    text = token.text
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def _is_name(token: Token) -> bool:
    return token.is_capital and token.is_word and _name(token) not in _NOT_PLACES


def place_chains(
    tokens: Sequence[Token], lo: int = 0, hi: int | None = None
) -> list[tuple[int, list[str]]]:
    """Each locative phrase in ``tokens[lo:hi]``: (index of the preposition, its names)."""
    return _walk(tokens, lo, hi)[0]


def nested_places(tokens: Sequence[Token]) -> list[tuple[str, str]]:
    """(inner, outer) pairs a sentence states: "in Rukban in northeast Jordan"."""
    return _walk(tokens, 0, None)[1]


def _walk(
    tokens: Sequence[Token], lo: int, hi: int | None
) -> tuple[list[tuple[int, list[str]]], list[tuple[str, str]]]:
    hi = len(tokens) if hi is None else hi
    found: list[tuple[int, list[str]]] = []
    nests: list[tuple[str, str]] = []
    i = lo
    while i < hi:
        if tokens[i].low not in _PREPOSITIONS:
            i += 1
            continue
        j = i + 1
        while j < hi and j - i <= 5 and tokens[j].low in _LEAD_IN:
            j += 1
        names: list[str] = []
        while j < hi and _is_name(tokens[j]):
            parts = [_name(tokens[j])]
            j += 1
            # Multi-word names: "Deir Ezzor", "Upper Vesnar", "Al-Qaim".
            while j < hi and _is_name(tokens[j]) and not tokens[j - 1].text.endswith("s"):
                parts.append(_name(tokens[j]))
                j += 1
            names.append(" ".join(parts))
            if j + 1 < hi and tokens[j].low in ("and", ",") and _is_name(tokens[j + 1]):
                j += 1
                continue
            break
        follower = tokens[j] if j < hi else None
        adjectival = (
            follower is not None
            and follower.is_word
            and not follower.is_capital
            and follower.low not in _AFTER_PLACE
        )
        if names and not adjectival:
            found.append((i, names))
            # "Halvosk in Upper Vesnar province", "Rukban in northeast Jordan", "Halvosk,
            # Dravenna": the second name only says where the first one is; the clause is
            # about the first.
            k = j + 1 if j < hi and tokens[j].low in ("in", ",") else j
            while k != j and k < hi and k - j <= 4 and tokens[k].low in _LEAD_IN:
                k += 1
            if k != j:
                outer = k
                while k < hi and _is_name(tokens[k]):
                    k += 1
                if k > outer:
                    nests.append((names[-1], " ".join(_name(t) for t in tokens[outer:k])))
                    j = k
        i = max(j, i + 1)
    return found, nests


def prepositional_places(tokens: Sequence[Token], lo: int = 0, hi: int | None = None) -> list[str]:
    """Names after locative prepositions within ``tokens[lo:hi]``."""
    return [name for _, names in place_chains(tokens, lo, hi) for name in names]


@lru_cache(maxsize=65536)
def demonym_of(word: str, known: frozenset[str]) -> str | None:
    """The known place a word names or derives from: "Iraqi" -> "Iraq", "Syrian" -> "Syria"."""
    if word in known:
        return word
    for place in sorted(known):  # sorted: set order varies between runs
        if word == place:
            return place
        if " " in place or len(place) < 4:
            continue
        if word.startswith(place) and 1 <= len(word) - len(place) <= 3:
            return place
        if (
            place.endswith("a")
            and word.startswith(place[:-1])
            and word[len(place) - 1 :]
            in (
                "an",
                "ian",
                "n",
            )
        ):
            return place
    return None


def clause_places(
    tokens: Sequence[Token],
    lo: int,
    hi: int,
    known: frozenset[str],
    anchor: int | None = None,
) -> tuple[str, ...]:
    """Places a clause is about: a locative phrase (the one nearest ``anchor``, preferring
    one after it), else known names used as subjects ("Iraq says ...")."""
    chains = [
        (at, tuple(p for p in (demonym_of(n, known) for n in names) if p))
        for at, names in place_chains(tokens, lo, hi)
    ]
    chains = [(at, names) for at, names in chains if names]
    if chains:
        if anchor is None:
            return tuple(sorted({n for _, names in chains for n in names}))
        after = [c for c in chains if c[0] > anchor]
        before = [c for c in chains if c[0] <= anchor]
        _, names = after[0] if after else before[-1]
        return tuple(sorted(set(names)))
    places: list[str] = []
    for k in range(lo, hi):
        tok = tokens[k]
        if not _is_name(tok):
            continue
        place = demonym_of(_name(tok), known)
        nxt = tokens[k + 1].low if k + 1 < len(tokens) else ""
        if place and nxt not in _ACTOR_NOUNS:
            places.append(place)
    return tuple(sorted(set(places)))

"""How a sentence describes the people it is about: civilians or militants, protesters or rioters.

Only descriptors tied to the event count: the noun of a casualty count ("seven
militants were killed"), an aside on one ("16 people, including civilians"), or a
direct statement ("civilians were among the dead"). A word merely nearby
("precautions to protect civilians", "no residents were harmed") says nothing
about who was hit and is ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .numbers import Count
from .tokens import Token, tokenize

# axis -> side -> words
_LEXICON: dict[str, dict[str, frozenset[str]]] = {
    "victims": {
        "civilians": frozenset(
            {
                "civilians", "civilian", "residents", "villagers", "bystanders", "passengers",
                "children", "women", "families", "worshippers", "farmers", "shepherds",
                "drivers", "non-combatants", "noncombatants", "students", "patients",
                "pilgrims", "journalists", "aid workers", "refugees", "locals",
            }
        ),
        "militants": frozenset(
            {
                "militants", "militant", "fighters", "fighter", "militiamen", "militia",
                "militias", "combatants", "insurgents", "terrorists", "rebels", "gunmen",
                "jihadists", "extremists", "members",
            }
        ),
    },
    "crowd": {
        "protesters": frozenset(
            {"protesters", "protestors", "demonstrators", "marchers", "activists"}
        ),
        "rioters": frozenset(
            {"rioters", "mob", "looters", "insurrectionists", "thugs", "vandals", "insurrectionist"}
        ),
    },
}  # fmt: skip
# "members" is a militant word only next to an armed group.
_ARMED_CONTEXT = frozenset(
    {
        "militia", "militias", "brigade", "brigades", "group", "groups", "faction", "forces",
        "mobilization", "mobilisation", "fighters", "militant", "militants", "front", "pmf",
        "hezbollah", "iran-backed", "iranian-backed", "pro-iran", "armed", "irgc",
    }
)  # fmt: skip
_ASIDE = frozenset({"including", "among", "mostly", "most", "mainly", "many", "all"})
_FATES = {
    "killed": "killed", "dead": "killed", "died": "killed", "slain": "killed",
    "wounded": "injured", "injured": "injured", "hurt": "injured",
}  # fmt: skip
_COPULAS = frozenset(
    {"were", "was", "are", "is", "also", "reportedly", "all", "had", "have", "been"}
)
_AMONG = frozenset({"dead", "killed", "victims", "casualties", "injured", "wounded", "fatalities"})
_NEGATORS = frozenset({"no", "not", "none", "without", "never", "nor"})


@dataclass(frozen=True)
class Descriptor:
    axis: str  # "victims" or "crowd"
    side: str  # "civilians" / "militants" / "protesters" / "rioters"
    word: str  # as written
    start: int  # span of the word in the sentence
    end: int
    measure: str | None  # "killed" / "injured" for victims
    places: tuple[str, ...]


def _side(axis: str, low: str, tokens: Sequence[Token]) -> str | None:
    for side, words in _LEXICON[axis].items():
        if low in words:
            if low == "members" and not any(t.low in _ARMED_CONTEXT for t in tokens):
                return None
            return side
    return None


def _stated_fate(tokens: Sequence[Token], k: int) -> str | None:
    """ "were killed", "died", "were among the dead" right after a descriptor."""
    while k < len(tokens) and tokens[k].low in _COPULAS:
        k += 1
    if k >= len(tokens):
        return None
    low = tokens[k].low
    if low in _FATES:
        return _FATES[low]
    if low == "among":
        for t in tokens[k + 1 : k + 4]:
            if t.low in _AMONG:
                return "injured" if t.low in ("injured", "wounded") else "killed"
    return None


def _negated(tokens: Sequence[Token], k: int) -> bool:
    return any(t.low in _NEGATORS for t in tokens[max(0, k - 3) : k])


def describe(text: str, counts: Sequence[Count]) -> list[Descriptor]:
    """Descriptors of the people a sentence's casualty counts (or crowd words) are about."""
    tokens = tokenize(text)
    found: list[Descriptor] = []
    seen: set[int] = set()

    def add(
        axis: str, k: int, measure: str | None, places: tuple[str, ...], start: int | None = None
    ) -> None:
        side = _side(axis, tokens[k].low, tokens)
        if side is None or k in seen or _negated(tokens, k):
            return
        seen.add(k)
        t = tokens[k]
        begin = t.start if start is None else start
        found.append(Descriptor(axis, side, t.text, begin, t.end, measure, places))

    casualty = [c for c in counts if c.thing in ("killed", "injured") and c.who == "people"]
    last_side_count: Count | None = None
    for c in casualty:
        idx = next((k for k, t in enumerate(tokens) if t.start >= c.end), len(tokens))
        # The counted noun itself: "seven militants".
        for k in range(idx, min(len(tokens), idx + 4)):
            if tokens[k].low == (c.noun or ""):
                add("victims", k, c.thing, c.places)
                break
        # An aside right after the count: "16 people, including civilians, ..."
        for k in range(idx, min(len(tokens), idx + 8)):
            if tokens[k].low in _ASIDE:
                for j in range(k + 1, min(len(tokens), k + 4)):
                    add("victims", j, c.thing, c.places, start=c.start)
                break
        if c.noun is not None and c.noun != "others":
            last_side_count = c
        elif c.noun is None and last_side_count is not None:
            # A bare count takes the noun of the count before it (ellipsis): in "35 militants
            # were killed and 16 wounded" and in "35 militants were killed in Syria, and 16
            # were killed in Iraq" the 16 are militants too. "16 others" are other people.
            prior = [d for d in found if d.start < c.start and d.axis == "victims"]
            if prior:
                d = prior[-1]
                # The span runs on to this count so the quote shows both halves.
                found.append(
                    Descriptor("victims", d.side, d.word, d.start, c.end, c.thing, c.places)
                )
    # "civilians were among the dead", "killed several civilians" without a number.
    places = casualty[0].places if casualty else ()
    for k, tok in enumerate(tokens):
        if _side("victims", tok.low, tokens) is None or k in seen:
            continue
        before = {t.low for t in tokens[max(0, k - 3) : k]}
        measure = _stated_fate(tokens, k + 1)
        if measure is None and before & {"killed", "killing", "kills"}:
            measure = "killed"
        if measure is not None:
            add("victims", k, measure, places)
    for k, tok in enumerate(tokens):
        if _side("crowd", tok.low, tokens) is not None:
            add("crowd", k, None, places)
    return found

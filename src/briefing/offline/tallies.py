"""Vote tallies ("voted 348-77", "a vote of 97 to 1") as counts of the vote they report.

A tally is written as a pair, which the count finder in ``numbers`` (one figure and the
noun it counts) cannot read, yet outlets do differ on it ("passed 52-48" against
"51-49"). The body that voted is the tally's subject, so the House's tally is never
compared with the Senate's.
"""

from __future__ import annotations

import re

from .numbers import Count, Quantity
from .vectors import stem

_PAIR = r"(?P<yes>\d{1,4})\s*(?:-|–|—|to)\s*(?P<no>\d{1,4})\b(?!\s*(?:%|percent|per\s+cent))"
_DASH_PAIR = r"(?P<yes>\d{1,4})\s*[-–—]\s*(?P<no>\d{1,4})\b(?!\s*(?:%|percent|per\s+cent))"
# The vote word comes first ("voted 348-77", "a vote of 97 to 1", "the final tally was
# 97-1") or right after the pair ("a 97-1 vote"); after "passed the Senate" only a dash
# pair is a tally ("approved 40 to 50 homes" is a range). Without such a word a pair may
# be a score, a date range or a ratio, never a tally.
_BEFORE = re.compile(
    r"\b(?:vot(?:e|ed|es|ing)|tally|margin|ballot)\b(?:\s+(?:of|was|by|is|were|in\s+favou?r))*"
    rf"\s+(?:a\s+)?{_PAIR}",
    re.IGNORECASE,
)
_PASSED = re.compile(
    r"\b(?:passed|approved|rejected|defeated|adopted|confirmed)(?:\s+[\w'’-]+){0,3}?"
    rf"\s+(?:by\s+)?(?:a\s+)?{_DASH_PAIR}",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"\b(?P<yes>\d{1,4})\s*(?:-|–|—|to)\s*(?P<no>\d{1,4})\s+(?:vote|votes|tally|margin)\b",
    re.IGNORECASE,
)
_TALLY = "vote tally"
# Votes against stay below this, so for * _SCALE + against keeps both apart.
_SCALE = 10_000
_TOLL = re.compile(r"\b(?:death|casualty|injury|dead|killed|wounded)\b", re.IGNORECASE)
# Bodies that vote: the tally of one is no version of another's.
_BODIES = re.compile(
    r"\b(?:house|senate|commons|lords|parliament|congress|assembly|council|committee|jury|"
    r"board|bundestag|knesset|duma|legislature|shareholders|delegates|cabinet|court)\b",
    re.IGNORECASE,
)


def vote_tallies(text: str) -> list[Count]:
    """Each tally ``text`` gives, named for the body that voted where the sentence names
    one ("vote in the Senate": 97-1)."""
    counts: list[Count] = []
    seen: set[int] = set()
    bodies = [(m.start(), m.group(0)) for m in _BODIES.finditer(text)]
    for pattern in (_BEFORE, _PASSED, _AFTER):
        for m in pattern.finditer(text):
            if m.start("yes") in seen or _not_a_vote(text, m):
                continue
            seen.add(m.start("yes"))
            body = _body(bodies, m.start())
            where = f" in the {body[:1].upper()}{body[1:]}" if body else ""
            yes, no = m.group("yes"), m.group("no")
            # One figure for the pair, so "61-38" and "59-40" clash and equal pairs agree.
            value = float(int(yes) * _SCALE + int(no))
            counts.append(
                Count(
                    quantity=Quantity(value, value, value, f"{yes}-{no}", "exact"),
                    thing=f"vote{where}",
                    who=None,
                    noun=_TALLY,
                    places=(),
                    phrase=f"{yes}-{no}",
                    start=m.start("yes"),
                    end=m.end("no"),
                    generic=True,
                    subject=frozenset({stem(body.lower())}) if body else frozenset(),
                )
            )
    return counts


def _not_a_vote(text: str, m: re.Match[str]) -> bool:
    """A year range ("passed in 2015-16") or a toll ("the death tally was 15-20")."""
    yes = m.group("yes")
    if len(yes) == 4 and 1900 <= int(yes) <= 2100:
        return True
    return bool(_TOLL.search(text, max(0, m.start() - 24), m.start("yes")))


def _body(bodies: list[tuple[int, str]], at: int) -> str | None:
    """The body nearest before the tally, else the first one after it."""
    before = [name for start, name in bodies if start < at]
    if before:
        return before[-1]
    return bodies[0][1] if bodies else None

"""Where a sentence joining several claims may end after its leading ones.

"The ministry said its forces carried out the strike and that the convoy was smuggling
weapons" makes two claims. A source reporting only the first does not support the whole
sentence, but it does support a point worded as the first claim alone. A cut falls only
where a speaker's statement goes on to a second one ("... and that", "... and said",
", adding that"), never inside quotation marks or brackets, and never before the
sentence names its speaker ("... and said ..., officials said"): a claim cut off from
its speaker reads as fact. Other joins are left alone: ", and" also ends list items
("in Iraq, Syria, and Yemen"), and a short claim cut from a plain sentence keeps too
few words for the support test to tell "Iraq and Syria condemned the strikes" from
"Iran condemned the strikes on Iraq and Syria".

An article's lead also goes on past the story's core fact to a sequel of its own
("..., but Buttigieg trailed closely behind", "..., catapulting him to the front of
the field", "...; turnout was high"): other outlets lead with the fact, each with
another sequel, so a lead may be cut there too (``lead_claims``), for the other leads
that report the fact (``leads.same_fact``). Such a cut is no claim of a speaker's: the
shorter text it leaves matches sentences about something else on the story's words
alone, so it is never put to other sentences by similarity.
"""

from __future__ import annotations

import re

# A statement going on to another one by the same speaker.
_JOIN = re.compile(
    r",?\s+and\s+(?:that|said|says|added|adds)\b|,\s+(?:adding|and\s+added)\b",
    re.IGNORECASE,
)
# A sentence going on to a second claim: a contrast, a new clause, or a consequence put
# as a closing participle (", catapulting him to the front"). A participle with more to
# come is an aside inside the claim ("Bissonnette, wearing handcuffs, cast ...", "16
# people, including civilians, died"), and cutting there leaves a fragment.
_SEQUEL = re.compile(
    r",\s+(?:but|while|whereas)\b|;\s+|,\s+(?!according\b)[a-z]{3,}ing\b(?=[^,;:]*$)"
)
# A leading claim shorter than this is a fragment ("Three soldiers were killed").
MIN_WORDS = 8
# What the cut leaves out must be a claim of its own, not a trailing phrase.
MIN_REST_WORDS = 3
_WORDS = re.compile(r"\w+")
_TRAILING = " \t\n,;:—–-"


def _balanced(text: str) -> bool:
    return (
        text.count('"') % 2 == 0
        and text.count("“") == text.count("”")
        and text.count("(") == text.count(")")
    )


def leading_claims(text: str, speaker: tuple[int, int] | None = None) -> list[int]:
    """Ends (character offsets into ``text``) of the leading parts ``text`` may be cut
    to, longest first. ``speaker`` is the span of the sentence's speaker, if it names one."""
    return _cuts(text, _JOIN, speaker)


def lead_claims(text: str, speaker: tuple[int, int] | None = None) -> list[int]:
    """Ends of the parts an article's lead may be cut to before a sequel of its own,
    longest first; the same rules as ``leading_claims`` otherwise."""
    return _cuts(text, _SEQUEL, speaker)


def _cuts(text: str, joins: re.Pattern[str], speaker: tuple[int, int] | None) -> list[int]:
    ends: list[int] = []
    for m in joins.finditer(text):
        end = len(text[: m.start()].rstrip(_TRAILING))
        head, rest = text[:end], text[m.end() :]
        if len(_WORDS.findall(head)) < MIN_WORDS or len(_WORDS.findall(rest)) < MIN_REST_WORDS:
            continue
        if not _balanced(head) or (speaker is not None and speaker[1] > end):
            continue
        ends.append(end)
    return sorted(set(ends), reverse=True)


_CLOSING = "\"'”’»"


def as_statement(text: str) -> str:
    """A leading claim as a sentence of its own: a full stop where the cut fell
    ('... in Upper Vesnar,"' becomes '... in Upper Vesnar."')."""
    text = text.rstrip(_TRAILING)
    body = text.rstrip(_CLOSING)
    closing = text[len(body) :]
    body = body.rstrip(_TRAILING)
    if body.endswith((".", "!", "?", "…")):
        return body + closing
    return body + "." + closing

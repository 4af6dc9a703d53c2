"""The bottom line: what happened, in the sentence most sources share.

The top-ranked sentence is often a claim about the event ("the ministry said its forces
carried out the strike") rather than the event. The bottom line is the most widely
supported sentence that tells of the event itself and is not put in a named speaker's
mouth; when sources disagree on the death toll a short generated sentence says so,
citing the sentences that give the differing tolls.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.model import Citation, Divergence, Point

from .facts import SentenceFacts
from .grouping import Group, Links
from .segment import ContentSentence

# A lead shorter than this (in words) gets the next point for company.
TERSE = 15
TOLL_DIFFERS = "Accounts of the toll differ."
_EVENT = re.compile(
    r"\b(?:strikes?|struck|airstrikes?|attack(?:ed|s)?|blasts?|explosions?|exploded|"
    r"bomb(?:ed|ing)?|raids?|shooting|shot|crash(?:ed)?|quake|earthquake|storm|hit|"
    r"launched|carried out|killed|killing|died|destroyed|erupted|collapsed|flood(?:ed)?|"
    r"fire|arrested|clashed|clashes)\b",
    re.IGNORECASE,
)


def _tells_event(text: str, facts: SentenceFacts) -> bool:
    if not _EVENT.search(text) or text.rstrip().endswith("?"):
        return False
    att = facts.attribution
    # "..., officials said." at the end is a source note; "The Defence Ministry has said
    # its forces carried out the strike" is a statement about a claim.
    return att is None or att.vague or att.start > len(text) // 2


def lead_groups(
    groups: Sequence[Group],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    links: Links,
) -> tuple[list[Group], list[Group]]:
    """(groups for the bottom line, the rest in rank order)."""
    if not groups:
        return [], []
    events = [k for k, g in enumerate(groups) if _tells_event(sents[g.seed].text, facts[g.seed])]
    # The sources that tell of it, even with other figures, count as sharing it; rank
    # breaks ties.
    first = min(events, key=lambda k: (-links.support(groups[k].seed), k)) if events else 0
    rest = [g for k, g in enumerate(groups) if k != first]
    lead = [groups[first]]
    if rest and len(sents[groups[first].seed].text.split()) < TERSE:
        lead.append(rest.pop(0))
    return lead, rest


def with_toll_note(point: Point, divergences: Sequence[Divergence]) -> Point:
    """The bottom line plus "Accounts of the toll differ." when a numeric divergence on
    the number killed exists, citing the sentences that give the differing figures."""
    toll = next(
        (
            d
            for d in divergences
            if d.kind == "numeric" and re.match(r"Number (?:of troops )?killed\b", d.topic)
        ),
        None,
    )
    if toll is None or not point.citations:
        return point
    seen = {(c.article_id, c.start, c.end) for c in point.citations}
    extra: list[Citation] = []
    for v in toll.versions:
        key = (v.citation.article_id, v.citation.start, v.citation.end)
        if key not in seen:
            seen.add(key)
            extra.append(v.citation)
    text = point.text.rstrip()
    if not text.endswith((".", "!", "?", "”", '"')):
        text += "."
    return Point(text=f"{text} {TOLL_DIFFERS}", citations=[*point.citations, *extra])

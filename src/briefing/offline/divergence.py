"""Where the accounts diverge: numbers, speakers, descriptors, yes/no answers, times,
and figures the count reader cannot name.

Each finder proposes scored candidates; this module ranks them, drops any whose
cited sentences are all already used by a stronger one, and caps the list.
Precision over recall throughout: a wrong divergence is worse than a missing one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.model import Article, Divergence

from .candidates import Candidate
from .diverge_claims import attribution_divergences, yes_no_divergences
from .diverge_figures import figure_divergences
from .diverge_framing import framing_divergences
from .diverge_numbers import numeric_divergences
from .diverge_times import time_divergences
from .facts import SentenceFacts
from .segment import ContentSentence
from .support import Support
from .vectors import SentenceSpace

MAX_DIVERGENCES = 8


@dataclass
class Found:
    divergences: list[Divergence] = field(default_factory=list)  # best first
    cited: list[int] = field(default_factory=list)  # sentence indices they cite
    # The sentences numeric divergences cite: figures another source disputes.
    figures: set[int] = field(default_factory=set)
    # What each numeric divergence disputes, by its topic: (thing, who).
    disputed: dict[str, tuple[str, str | None]] = field(default_factory=dict)


def find_divergences(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    space: SentenceSpace,
    scores: Sequence[float],
    support: Support,
    *,
    limit: int = MAX_DIVERGENCES,
) -> Found:
    """Divergences, best first, the sentences they cite and the counts they dispute."""
    found = Found()
    if len({s.article for s in sents}) < 2:
        return found
    candidates: list[Candidate] = []
    candidates += numeric_divergences(articles, sents, facts, scores, space.sim)
    candidates += framing_divergences(articles, sents, facts, space.sim, scores)
    candidates += attribution_divergences(articles, sents, facts, scores)
    candidates += yes_no_divergences(articles, sents, space, scores)
    candidates += time_divergences(articles, sents, facts, space, scores)
    candidates += figure_divergences(articles, sents, facts, support, scores)
    candidates.sort(key=lambda c: (-c.score, c.divergence.kind, c.divergence.topic))
    topics: set[str] = set()
    for c in candidates:
        if len(found.divergences) >= limit:
            break
        if c.divergence.topic in topics:
            continue
        topics.add(c.divergence.topic)
        found.divergences.append(c.divergence)
        found.cited.extend(c.sentences)
        if c.disputes is not None:
            found.disputed[c.divergence.topic] = c.disputes
            found.figures.update(c.sentences)
    return found

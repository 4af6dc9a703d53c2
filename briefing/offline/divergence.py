"""Where the accounts diverge: numbers, speakers, descriptors, yes/no answers, times.

Each finder proposes scored candidates; this module ranks them, drops any whose
cited sentences are all already used by a stronger one, and caps the list.
Precision over recall throughout: a wrong divergence is worse than a missing one.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.model import Article, Divergence

from .candidates import Candidate
from .diverge_claims import attribution_divergences, yes_no_divergences
from .diverge_framing import framing_divergences
from .diverge_numbers import numeric_divergences
from .diverge_times import time_divergences
from .facts import SentenceFacts
from .segment import ContentSentence
from .vectors import SentenceSpace

MAX_DIVERGENCES = 8


def find_divergences(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    space: SentenceSpace,
    scores: Sequence[float],
    *,
    limit: int = MAX_DIVERGENCES,
) -> tuple[list[Divergence], list[int]]:
    """Divergences, best first, and the sentences they cite."""
    if len({s.article for s in sents}) < 2:
        return [], []
    candidates: list[Candidate] = []
    candidates += numeric_divergences(articles, sents, facts, scores)
    candidates += framing_divergences(articles, sents, facts, space.sim, scores)
    candidates += attribution_divergences(articles, sents, facts, scores)
    candidates += yes_no_divergences(articles, sents, space, scores)
    candidates += time_divergences(articles, sents, facts, space, scores)
    candidates.sort(key=lambda c: (-c.score, c.divergence.kind, c.divergence.topic))
    kept: list[Divergence] = []
    cited: list[int] = []
    topics: set[str] = set()
    for c in candidates:
        if len(kept) >= limit:
            break
        if c.divergence.topic in topics:
            continue
        topics.add(c.divergence.topic)
        kept.append(c.divergence)
        cited.extend(c.sentences)
    return kept, cited

"""Which sentences in other articles report the same thing as a given sentence.

For every sentence we keep its best match in each other article (if it clears a
similarity threshold). A group is then a seed sentence plus those matches: every
member is directly similar to the seed, so groups cannot drift by chaining
(A~B, B~C, but A!~C) the way single-linkage clustering does. The cost is one pass
over an (n x articles) table, linear in the number of articles per sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .segment import ContentSentence

if TYPE_CHECKING:
    import numpy as np

# Cosine (unigram+bigram TF-IDF) above which two sentences are taken to report one fact.
LINK_THRESHOLD = 0.3


@dataclass
class Links:
    """Best match of each sentence in each article: ``best_sim[i, a]`` / ``best_idx[i, a]``."""

    best_sim: np.ndarray  # (n, articles) float32; 0 for the sentence's own article
    best_idx: np.ndarray  # (n, articles) int; -1 where no sentence exists
    owner: np.ndarray  # (n,) the article of each sentence
    outlet: np.ndarray  # (articles,) the outlet of each article (``outlets.outlet_groups``)
    threshold: float = LINK_THRESHOLD

    def matches(self, i: int) -> dict[int, tuple[int, float]]:
        """Other articles reporting sentence ``i``: article -> (sentence, similarity)."""
        row = self.best_sim[i]
        found = {}
        for a in (row >= self.threshold).nonzero()[0]:
            found[int(a)] = (int(self.best_idx[i, a]), float(row[a]))
        return found

    @cached_property
    def supports(self) -> np.ndarray:
        """How many other outlets report each sentence. A second article from the
        sentence's own outlet confirms nothing, and two from one other outlet are one
        confirmation."""
        import numpy as np

        n = self.best_sim.shape[0]
        outlets = int(self.outlet.max()) + 1 if self.outlet.size else 0
        member = np.zeros((self.outlet.size, outlets), dtype=np.int32)
        member[np.arange(self.outlet.size), self.outlet] = 1
        reports = ((self.best_sim >= self.threshold).astype(np.int32) @ member) > 0
        if n:
            reports[np.arange(n), self.outlet[self.owner]] = False
        return reports.sum(axis=1)

    def support(self, i: int) -> int:
        return int(self.supports[i])


@dataclass
class Group:
    """Sentences from different articles reporting one thing; ``seed`` picked the group."""

    seed: int
    members: list[int] = field(default_factory=list)  # seed first, then one per other article
    # The point states the seed's text only up to here (its leading claims): the members
    # support that much. None: the whole sentence.
    end: int | None = None


def build_links(
    sents: Sequence[ContentSentence],
    sim: np.ndarray,
    n_articles: int,
    *,
    outlets: Sequence[int] | None = None,
    threshold: float = LINK_THRESHOLD,
) -> Links:
    """``outlets``: the outlet of each article (default: every article its own)."""
    import numpy as np

    n = len(sents)
    best_sim = np.zeros((n, n_articles), dtype=np.float32)
    best_idx = np.full((n, n_articles), -1, dtype=np.int64)
    owner = np.array([s.article for s in sents], dtype=np.int64)
    outlet = np.asarray(outlets if outlets is not None else range(n_articles), dtype=np.int64)
    if n == 0:
        return Links(best_sim, best_idx, owner, outlet, threshold)
    for a in range(n_articles):
        cols = (owner == a).nonzero()[0]
        if cols.size == 0:
            continue
        block = sim[:, cols]
        arg = block.argmax(axis=1)
        best_sim[:, a] = block[np.arange(n), arg]
        best_idx[:, a] = cols[arg]
    best_sim[np.arange(n), owner] = 0.0  # a sentence is no evidence for itself
    return Links(best_sim, best_idx, owner, outlet, threshold)


def group_of(seed: int, links: Links) -> Group:
    members = [seed] + [j for _, (j, _) in sorted(links.matches(seed).items())]
    return Group(seed=seed, members=members)

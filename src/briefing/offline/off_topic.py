"""Articles in the set that seem to be about another story.

An analyst's folder sometimes holds one file on something else that merely shares
words with the story ("attack", "US", "troops"). Such an article reports none of
the facts the others report, so none of its sentences is matched to another
article's sentence (the engine's own cross-source links), and it hardly names the
people and places the other articles keep naming.

Both tests are needed. Links alone flag real articles: a reaction piece, an
analysis, or a long wire story whose sentences are worded differently can share
few links. So "no links" only counts when the rest of the set would lead us to
expect several: the expected count is the article's sentence count times the
share of the other articles' sentences that do link. Names alone are fooled by
the names every political story shares ("Congress", "Trump").

Only warns: the analyst decides whether the article belongs. Fewer than three
articles: nothing, as with two it cannot be told which one is the odd one out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from briefing.model import Article, named_warnings
from briefing.sources.metadata import MONTH_NUMBERS

from .dates import WEEKDAYS
from .grouping import Links
from .segment import ContentSentence
from .tokens import tokenize
from .vectors import stem, stop_words

# An article of its length on the same story would share at least this many linked
# sentences (Poisson: seeing none by chance is then under 2%). Below it, a short
# article or a loosely linked set (opinion pieces, truncated leads) gives no verdict.
MIN_EXPECTED_LINKS = 4.0
# Observed links at most this share of the expected ones: one stray link between
# two stories ("the Pentagon said on Monday") does not make the article on-topic.
MAX_LINK_SHARE = 1 / 8
# Each of the story's names the article does mention is evidence that it belongs: with
# k > 1 of them, k times MIN_EXPECTED_LINKS links must be missing; beyond this, never.
# A real article on another angle (a transcript, a reaction) names the story's people
# and places; an off-topic one shares a name or two ("American", "Iran") by chance.
MAX_SHARED_NAMES = 3

_NOT_NAMES = frozenset({*WEEKDAYS, *MONTH_NUMBERS})


def _names(text: str) -> set[str]:
    """Capitalised words after a sentence's first word ("Iran-backed" gives "iran")."""
    found: set[str] = set()
    words = [t for t in tokenize(text) if t.is_word]
    for token in words[1:]:
        for part in token.text.split("-"):
            if not part[:1].isupper():
                continue
            word = part.replace(".", "").lower()
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            if len(word) < 2 or word in stop_words() or word in _NOT_NAMES:
                continue
            found.add(stem(word))
    return found


def _story_names(names: list[set[str]], others: list[int]) -> set[str]:
    """Names at least half of ``others`` (and at least two of them) mention."""
    need = max(2, math.ceil(len(others) / 2))
    counts = Counter(name for b in others for name in names[b])
    return {name for name, k in counts.items() if k >= need}


def is_stray(found: int, expected: float, shared: int) -> bool:
    """The verdict for one article: ``found`` of its sentences link to another article's
    where ``expected`` would on this story, and it names ``shared`` of the story's names."""
    if expected < MIN_EXPECTED_LINKS or found > MAX_LINK_SHARE * expected:
        return False
    return shared <= MAX_SHARED_NAMES and expected >= MIN_EXPECTED_LINKS * max(1, shared)


def stray_articles(
    articles: Sequence[Article], sents: Sequence[ContentSentence], links: Links
) -> list[int]:
    """Indices of the articles that report none of the others' facts and few of the
    names they share."""
    import numpy as np

    # The odd one out needs a rest of two or more that link to each other: with two
    # articles nothing would be expected of either, with one there is no rest at all.
    usable = sorted({s.article for s in sents})
    if len(usable) < 3:
        return []
    owner = np.array([s.article for s in sents])
    linked = links.best_sim >= links.threshold  # (sentences, articles)
    partners = linked.sum(axis=1)  # how many other articles each sentence links to
    names: list[set[str]] = [set() for _ in articles]
    for s in sents:
        names[s.article] |= _names(s.text)

    flagged: list[int] = []
    for a in usable:
        mine = owner == a
        found = int(linked[mine].any(axis=1).sum())
        # How often the other articles' sentences link, this article left out.
        rest_rate = float(((partners - linked[:, a])[~mine] > 0).mean())
        shared = len(_story_names(names, [b for b in usable if b != a]) & names[a])
        if is_stray(found, int(mine.sum()) * rest_rate, shared):
            flagged.append(a)
    # Most of the set "off topic" means there is no one story to be off; say nothing.
    return [] if 2 * len(flagged) > len(usable) else flagged


def stray_warnings(articles: Sequence[Article], flagged: Sequence[int]) -> list[str]:
    """One line naming the ``flagged`` articles. Those ``briefing.coherence`` named
    already (strays that share few words; this check finds those that share words,
    not facts) never reach it: the engine leaves their sentences out first."""
    return named_warnings(
        [f"[{articles[a].label}] ({articles[a].outlet or articles[a].title})" for a in flagged],
        "article {name} reports none of the facts the others report and few of the people "
        "and places they name: check it is about the same story, or leave it out",
        "{count} articles report none of the facts the others report and few of the people "
        "and places they name: {names}; check they are about the same story, or leave them out",
    )

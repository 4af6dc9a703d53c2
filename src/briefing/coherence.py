"""Do the articles tell one story? Finds an article that shares almost nothing with
the others: a wrong file in the folder, which either engine would otherwise blend
into the briefing as if it were one more account of the same event.

Each article is compared with every other by TF-IDF cosine, twice: over content
words (stemmed, no stop words or figures) and over capitalised names, averaged.
An article is named in a warning when its best match is below STRAY_BELOW, or,
among three or more, below STRAY_RATIO of the median best match of the others
(a story told in near-identical wire copy sets a high bar). Both were set on the
shared evaluation corpus (Multi-News, NeuS, BASIL and the events folders: 393
articles in 122 stories), with one article of another story mixed into each
story three times over: 301 of the 366 strays (82%) are named, and 1 of the 393
genuine articles is (a Multi-News piece on another angle of its story, 0.054
against its cluster's 0.52). It warns and never drops: only the reader can tell
a stray from an outlet's own angle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median

from .model import Article, named_warnings
from .offline.vectors import analyze, stop_words

STRAY_BELOW = 0.05
STRAY_RATIO = 0.2
# The opening of an article says what story it is about; reading no further keeps the
# check cheap on a 10 MB file.
READ_CHARS = 20_000
_BLOCK = 256
_NAME = re.compile(r"\b[A-Z][A-Za-z]{2,}")


def _words(text: str) -> list[str]:
    # Figures and short tokens are shared by any two news stories ("2", "us", "said" stems).
    return [w for w in analyze(text) if len(w) > 2 and not w.isdigit()]


def _names(text: str) -> list[str]:
    # Capitalised stop words open sentences ("The", "After"): no sign of a shared story.
    stop = stop_words()
    return [low for w in _NAME.findall(text) if (low := w.lower()) not in stop]


def _best_match(texts: Sequence[str], analyzer: object) -> list[float]:
    """Each text's highest cosine similarity to any other text (0 when it shares no term)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        matrix = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no terms at all in any text
        return [0.0] * len(texts)
    best: list[float] = []
    # Rows in blocks: a dense n x n matrix of thousands of articles would take gigabytes.
    for start in range(0, len(texts), _BLOCK):
        sim = (matrix[start : start + _BLOCK] @ matrix.T).toarray()
        for row, i in enumerate(range(start, min(start + _BLOCK, len(texts)))):
            sim[row, i] = -1.0
        best.extend(max(0.0, float(v)) for v in np.max(sim, axis=1))
    return best


def kinship(articles: Sequence[Article]) -> list[float]:
    """How closely each article matches its nearest other article (0..1)."""
    texts = [f"{a.title}\n{a.text[:READ_CHARS]}" for a in articles]
    words, names = _best_match(texts, _words), _best_match(texts, _names)
    return [(w + n) / 2 for w, n in zip(words, names, strict=True)]


def _stray(scores: Sequence[float], i: int) -> bool:
    if scores[i] < STRAY_BELOW:
        return True
    others = [s for j, s in enumerate(scores) if j != i]
    return len(others) >= 2 and scores[i] < STRAY_RATIO * median(others)


def find_strays(articles: Sequence[Article]) -> list[Article]:
    """The articles that look like they belong to another story."""
    if len(articles) < 2:
        return []
    scores = kinship(articles)
    return [a for i, a in enumerate(articles) if _stray(scores, i)]


def stray_warnings(
    articles: Sequence[Article], strays: Sequence[Article] | None = None
) -> list[str]:
    """One warning per article that looks like it belongs to another story (``strays``,
    when already found by ``find_strays``)."""
    strays = find_strays(articles) if strays is None else strays
    if len(articles) == 2 and strays:
        return [
            "the two articles share almost no words or names: check they are about the "
            "same story, or the briefing blends two stories"
        ]
    if len(strays) * 2 > len(articles):
        return [
            f"{len(strays)} of {len(articles)} articles share almost no words or names with "
            "the others: check they are about one story, or the briefing blends several"
        ]
    return named_warnings(
        [f"[{a.label}] ({a.outlet or a.title})" for a in strays],
        "article {name} shares almost no words or names with the others: check it is about "
        "the same story, or leave it out",
        "{count} articles share almost no words or names with the others: {names}; check "
        "they are about the same story, or leave them out",
    )

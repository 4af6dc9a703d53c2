"""TF-IDF sentence vectors, their cosine similarities and LexRank centrality.

Lightly stemmed word unigrams with sublinear term frequency. Bigrams were tried:
they dilute the similarity of paraphrases ("a drone struck a convoy" / "a drone
strike on a convoy") far more than they sharpen it. Sublinear tf keeps a long
sentence that repeats a word from dominating.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# Similarities below this are treated as "unrelated" in the LexRank graph.
LEXRANK_THRESHOLD = 0.1


@dataclass
class SentenceSpace:
    """Similarity between every pair of kept sentences, plus per-sentence centrality."""

    sim: np.ndarray  # (n, n) float32 cosine similarities, diagonal 1
    centrality: np.ndarray  # (n,) LexRank scores scaled to max 1
    centroid: np.ndarray  # (n,) cosine of each sentence to the article-set centroid
    vectorizer: Any = None  # the fitted TfidfVectorizer, to place other texts (titles)
    centroid_vector: np.ndarray | None = None  # unit vector of the article-set centroid

    def similarity_to_centroid(self, texts: Sequence[str]) -> list[float]:
        """Cosine of arbitrary texts (e.g. titles) to the centroid of all sentences."""
        if self.vectorizer is None or self.centroid_vector is None or not texts:
            return [0.0] * len(texts)
        matrix = self.vectorizer.transform(list(texts))
        return [float(v) for v in matrix @ self.centroid_vector]

    def similarity_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """Pairwise cosine similarities of arbitrary texts in this vocabulary."""
        import numpy as np

        if self.vectorizer is None or not texts:
            return np.eye(len(texts), dtype=np.float32)
        matrix = self.vectorizer.transform(list(texts))
        return (matrix @ matrix.T).toarray()


_TOKEN = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ings", "ing", "ies", "ied", "ed", "es", "s")
# British spellings in their American form, so one outlet's "endeavours", "defence",
# "organised", "centre" or "cancelled" meets another's "endeavors", "defense" ... The
# fold applies to both sides of every comparison: what it makes need not be a word,
# only never another word's, hence the minimum lengths ("hours", "raised" and "filled"
# stay as they are).
_SPELLINGS = (
    (re.compile(r"^([a-z]{3,})our(s|ed|ing|er|ers|able|ful|ite|ites)?$"), r"\1or\2"),
    (re.compile(r"^([a-z]{3,})is(e|es|ed|ing|ation|ations)$"), r"\1iz\2"),
    (re.compile(r"^([a-z]{3,})ys(e|es|ed|ing)$"), r"\1yz\2"),
    (re.compile(r"^([a-z]{2,}[tb])re(s)?$"), r"\1er\2"),
    (re.compile(r"^([a-z]{2,}[tb])red$"), r"\1ered"),
    (re.compile(r"^(def|off|lic|pret)ence(s)?$"), r"\1ense\2"),
    (re.compile(r"^([a-z]{3,}[aeiou])ll(ed|ing|er|ers|or|ors)$"), r"\1l\2"),
    (re.compile(r"^programme(s)?$"), r"program\1"),
)


@lru_cache(maxsize=1 << 16)
def american(word: str) -> str:
    """``word`` (lower case) in its American spelling, when it has a British one."""
    for pattern, replacement in _SPELLINGS:
        folded, n = pattern.subn(replacement, word)
        if n:
            return folded
    return word


def stem(word: str) -> str:
    """A light suffix strip so "killed"/"kills"/"killing" meet; real stemmers overreach."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def analyze(text: str) -> list[str]:
    """Lower-cased, stop-word-free, lightly stemmed word unigrams."""
    stop = stop_words()
    folded = unicodedata.normalize("NFKD", text.lower())
    return [stem(american(w)) for w in _TOKEN.findall(folded) if w not in stop]


def _vectorizer():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Unigrams: paraphrases of one fact share words far more often than word pairs.
    return TfidfVectorizer(analyzer=analyze, sublinear_tf=True, dtype=np.float32)


def lexrank(sim: np.ndarray, *, threshold: float = LEXRANK_THRESHOLD) -> np.ndarray:
    """Stationary distribution of the thresholded, row-normalised similarity graph."""
    import numpy as np

    n = sim.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.float32)
    graph = np.where(sim >= threshold, sim, 0.0).astype(np.float32)
    rows = graph.sum(axis=1, keepdims=True)
    rows[rows == 0] = 1.0
    graph /= rows
    damping = 0.85
    score = np.full(n, 1.0 / n, dtype=np.float32)
    for _ in range(50):
        nxt = (1 - damping) / n + damping * (graph.T @ score)
        if float(np.abs(nxt - score).sum()) < 1e-6:
            score = nxt
            break
        score = nxt
    top = float(score.max())
    return score / top if top > 0 else score


def build_space(texts: Sequence[str]) -> SentenceSpace:
    import numpy as np

    n = len(texts)
    if n == 0:
        empty = np.zeros((0, 0), dtype=np.float32)
        return SentenceSpace(empty, np.zeros(0, np.float32), np.zeros(0, np.float32))
    vectorizer = _vectorizer()
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words: every sentence is equally (un)related
        sim = np.eye(n, dtype=np.float32)
        return SentenceSpace(sim, np.ones(n, np.float32), np.zeros(n, np.float32))
    sim = (matrix @ matrix.T).toarray().astype(np.float32)
    np.fill_diagonal(sim, 1.0)
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = float(np.linalg.norm(centroid))
    unit = centroid / norm if norm > 0 else centroid
    to_centroid = np.asarray(matrix @ unit).ravel().astype(np.float32)
    return SentenceSpace(
        sim=sim,
        centrality=lexrank(sim),
        centroid=to_centroid,
        vectorizer=vectorizer,
        centroid_vector=unit,
    )

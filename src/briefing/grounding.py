"""Find a quoted passage in an article's text: the check behind every citation.

A model is asked to quote verbatim, but replies drift in harmless ways (curly vs
straight quotes, en dash vs hyphen, case, line breaks, a dropped comma or "the")
and in harmful ones (a paraphrase, a changed number, an added "not"). ``locate``
accepts the first kind and rejects the second:

1. Both texts are normalised character by character (quotes, dashes, ellipses,
   whitespace, case) keeping a map back to the original offsets, so a match
   always yields a span into the *original* ``Article.text``.
2. An exact substring match of the normalised quote scores 1.0.
3. Otherwise the quote is aligned word by word (punctuation ignored) against the
   article: candidate positions are voted for by the quote's words, and the best
   window is scored with difflib's ratio 2*M/T over words, which penalises both
   missing and inserted words. A quote elided with "..." is matched piece by piece.
4. Numbers and negations must match exactly: "16 killed" is not "61 killed" and
   "did not confirm" is not "confirmed", however close the rest of the words are.

``MATCH_THRESHOLD`` (0.9) is justified by tests/test_grounding.py: it accepts a
near-verbatim quote of ten or more words with one word dropped, swapped or
mistyped (scores 0.91-0.95), and rejects paraphrases and quotes with two or
more words changed in ten (0.82 and below). Shorter quotes must be closer to
verbatim, and quotes under three words are never accepted.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

MATCH_THRESHOLD = 0.9
MIN_QUOTE_WORDS = 3

_CHAR_MAP = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    "…": "...",
}
_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff"}
_WORD = re.compile(r"\w+")
_ELLIPSIS = re.compile(r"\s*(?:\.\s*\.\s*\.|\[\s*\.\.\.\s*\])\s*")
_NEGATIONS = frozenset({"not", "no", "never", "nor", "none", "nobody", "nothing", "t"})


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    score: float


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text plus, for every normalised character, its offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    last_space = True
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        if ch.isspace():
            if not last_space:
                out.append(" ")
                where.append(i)
                last_space = True
            continue
        mapped = _CHAR_MAP.get(ch)
        if mapped is None:
            mapped = unicodedata.normalize("NFKC", ch).casefold()
        for piece in mapped:
            out.append(piece)
            where.append(i)
        last_space = False
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def _is_strict_word(word: str) -> bool:
    return word in _NEGATIONS or any(ch.isdigit() for ch in word)


class ArticleIndex:
    """An article's normalised text and word positions, built once per article."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm, self.where = normalise(text)
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []  # word -> (start, end) in the normalised text
        for m in _WORD.finditer(self.norm):
            self.words.append(m.group())
            self.spans.append((m.start(), m.end()))
        self.positions: dict[str, list[int]] = {}
        for pos, word in enumerate(self.words):
            self.positions.setdefault(word, []).append(pos)

    def _original(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        return self.where[norm_start], self.where[norm_end - 1] + 1

    def locate(self, quote: str, *, threshold: float = MATCH_THRESHOLD) -> Match | None:
        """The span of ``quote`` in the article, or None when it is not there."""
        pieces = [p for p in _ELLIPSIS.split(quote) if p.strip()]
        if not pieces:
            return None
        total_words = 0
        found: list[Match] = []
        cursor = 0  # offset into the normalised text: elided pieces must appear in order
        for piece in pieces:
            norm_piece = normalise(piece)[0].strip()
            total_words += len(_WORD.findall(norm_piece))
            located = self._locate_piece(norm_piece, threshold, cursor)
            if located is None:
                return None
            match, cursor = located
            found.append(match)
        if total_words < MIN_QUOTE_WORDS:
            return None
        score = min(m.score for m in found)
        return Match(start=found[0].start, end=found[-1].end, score=score)

    def _locate_piece(
        self, norm_quote: str, threshold: float, after: int
    ) -> tuple[Match, int] | None:
        """The match and where it ends in the normalised text."""
        # As given first (a closing quote mark may be the article's), then without the
        # quote marks a model may have wrapped the passage in.
        for candidate in (norm_quote, norm_quote.strip(" \"'")):
            pos = self.norm.find(candidate, after) if candidate else -1
            if pos >= 0:
                start, end = self._original(pos, pos + len(candidate))
                return Match(start, end, 1.0), pos + len(candidate)
        if not norm_quote.strip(" \"'"):
            return None
        return self._fuzzy(norm_quote, threshold, after)

    def _fuzzy(self, norm_quote: str, threshold: float, after: int) -> tuple[Match, int] | None:
        quote_words = _WORD.findall(norm_quote)
        if not quote_words or not self.words:
            return None
        # Vote for alignments: quote word j seen at article word p suggests a start at p - j.
        first_word = bisect_left(self.spans, (after, after))
        if first_word >= len(self.words):
            return None
        votes: Counter[int] = Counter()
        for j, word in enumerate(quote_words):
            for p in self.positions.get(word, ()):
                if p >= first_word:
                    votes[p - j] += 1
        n = len(quote_words)
        slack = max(2, n // 4)
        best: tuple[Match, int] | None = None
        for start_guess, _ in votes.most_common(5):
            lo = max(first_word, start_guess - slack)
            hi = min(len(self.words), start_guess + n + slack)
            window = self.words[lo:hi]
            blocks = [
                b
                for b in SequenceMatcher(
                    None, window, quote_words, autojunk=False
                ).get_matching_blocks()
                if b.size
            ]
            if not blocks:
                continue
            first, last = blocks[0].a, blocks[-1].a + blocks[-1].size
            matched = sum(b.size for b in blocks)
            score = 2 * matched / ((last - first) + n)
            span_words = window[first:last]
            if {w for w in quote_words if _is_strict_word(w)} - set(span_words):
                continue
            if {w for w in span_words if _is_strict_word(w)} - set(quote_words):
                continue
            if score >= threshold and (best is None or score > best[0].score):
                norm_start = self.spans[lo + first][0]
                norm_end = self.spans[lo + last - 1][1]
                start, end = self._original(norm_start, norm_end)
                best = Match(start, end, round(score, 4)), norm_end
        return best


@lru_cache(maxsize=128)
def article_index(text: str) -> ArticleIndex:
    return ArticleIndex(text)


def locate(
    quote: str, article_text: str, *, threshold: float = MATCH_THRESHOLD
) -> tuple[int, int, float] | None:
    """``(start, end, score)`` of ``quote`` in ``article_text``, or None.

    ``article_text[start:end]`` is the article's own wording of the quote, which is
    what a citation should show the reader.
    """
    match = article_index(article_text).locate(quote, threshold=threshold)
    return (match.start, match.end, match.score) if match else None


def statement_fit(statement: str, quote: str) -> tuple[int, int]:
    """How well ``quote`` carries ``statement``: (figures of the statement found in the
    quote, other words of 3+ characters shared), to pick among candidate citations.
    Both are read as ``locate`` reads them (normalised, split into words)."""
    shared = set(_WORD.findall(normalise(statement)[0])) & set(_WORD.findall(normalise(quote)[0]))
    figures = sum(1 for w in shared if any(ch.isdigit() for ch in w))
    words = sum(1 for w in shared if len(w) >= 3 and not any(ch.isdigit() for ch in w))
    return figures, words

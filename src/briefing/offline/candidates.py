"""Shared pieces of the divergence finders: a scored candidate and source versions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from briefing.model import Article, Citation, Divergence, SourceVersion

from .citations import cite, cite_sentence
from .dates import find_times
from .segment import ContentSentence

Row = TypeVar("Row", bound=tuple[Any, ...])  # (variant, article, sentence, ...)

_WORD = re.compile(r"\S+")


@dataclass
class Candidate:
    divergence: Divergence
    score: float
    sentences: tuple[int, ...]  # sentence indices the versions cite
    disputes: tuple[str, str | None] | None = None  # (thing, who) of a numeric divergence


def version(
    articles: Sequence[Article], sents: Sequence[ContentSentence], i: int, text: str
) -> SourceVersion:
    return SourceVersion(text=text, citation=cite_sentence(articles, sents[i]))


def cite_at(
    articles: Sequence[Article], sents: Sequence[ContentSentence], i: int, start: int, end: int
) -> Citation:
    """The clause around ``start:end`` of sentence ``i``, so the quote shows the figure
    itself rather than a long sentence cut before it."""
    s = sents[i]
    whole = cite_sentence(articles, s)
    lo, hi = clause_around(s.text, start, end)
    lo, hi = max(lo + s.start, whole.start), min(hi + s.start, whole.end)
    return whole if hi <= lo else cite(articles[s.article], lo, hi)


def version_at(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    i: int,
    text: str,
    start: int,
    end: int,
) -> SourceVersion:
    """A version citing the clause around ``start:end`` of sentence ``i``."""
    return SourceVersion(text=text, citation=cite_at(articles, sents, i, start, end))


def _word_window(
    text: str, start: int, end: int, *, before: int, after: int, stops: str
) -> tuple[list[tuple[int, int]], int, int] | None:
    """Word spans of ``text`` and the first and last word index of the window around
    ``text[start:end]``: up to ``before``/``after`` words either side, not crossing a word
    that ends in one of ``stops`` (or an opening/closing bracket). None without words."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    if not spans:
        return None
    first = next((k for k, (_, e) in enumerate(spans) if e > start), len(spans) - 1)
    last = max((k for k, (b, _) in enumerate(spans) if b < end), default=first)
    lo = first
    while lo > 0 and first - lo < before and text[spans[lo - 1][1] - 1] not in stops + "(":
        lo -= 1
    hi = last
    while (
        hi < len(spans) - 1
        and hi - last < after
        and text[spans[hi][1] - 1] not in stops + ")"
        and text[spans[hi + 1][0]] != "("  # an aside: "at Tower 22 (a military outpost"
    ):
        hi += 1
    return spans, lo, hi


def clause_around(
    text: str, start: int, end: int, *, words: int = 14, least: int = 6
) -> tuple[int, int]:
    """Offsets of the clause holding ``text[start:end]``: out to clause punctuation, at
    most ``words`` words either side; a clause of fewer than ``least`` words ("and
    wounded 23") takes in the words before it."""
    window = _word_window(text, start, end, before=words, after=words, stops=",;:—–")
    if window is None:
        return 0, len(text)
    spans, lo, hi = window
    while lo > 0 and hi - lo + 1 < least:
        lo -= 1
    # At the start of the sentence with an aside after it ("Nearly 20 civilians, most of
    # them truck drivers, were killed"): run on past the aside, or the quote stops before
    # the verb and shows no more than the label.
    if hi - lo + 1 < least:
        hi = min(len(spans) - 1, hi + words)
    # ", and over 30 were injured": the clause, not the word joining it to the last one.
    if lo < hi and hi - lo >= least and _JOINING.match(text[spans[lo][0] : spans[lo][1]]):
        lo += 1
    a, b = _whole_times(text, spans[lo][0], spans[hi][1])
    piece = text[a:b]
    # Keep a closing full stop, drop a trailing comma or dash.
    b -= len(piece) - len(piece.rstrip(",;:—–( "))
    return a, b


_JOINING = re.compile(r"(?:and|but|while|whereas)$", re.IGNORECASE)


def _whole_times(text: str, a: int, b: int) -> tuple[int, int]:
    """``a:b`` widened to take in whole any time phrase it cuts: "on Saturday" out of "on
    Saturday night" names another time."""
    for w in find_times(text, None):
        if w.start < a < w.end:
            a = w.start
        if w.start < b < w.end:
            b = w.end
            while b < len(text) and not text[b].isspace():  # its word's punctuation too
                b += 1
    return a, b


def snippet(text: str, start: int, end: int, *, before: int = 5, after: int = 6) -> str:
    """A few words either side of ``text[start:end]``, cut at clause punctuation."""
    window = _word_window(text, start, end, before=before, after=after, stops=",;:—")
    if window is None:
        return text.strip()
    spans, lo, hi = window
    piece = text[spans[lo][0] : spans[hi][1]].strip(' ,;:—()"“”')
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(spans) - 1 else ""
    return f"{prefix}{piece}{suffix}"


def shorten(text: str, words: int = 12) -> str:
    parts = text.split()
    cut = " ".join(parts[:words]).rstrip(",;:")
    return cut + ("…" if len(parts) > words else "")


def spread(rows: Sequence[Row], limit: int) -> list[Row]:
    """Up to ``limit`` rows (variant, article, sentence, ...), every variant represented
    first."""
    by_variant: dict[str, list[Row]] = {}
    for row in rows:
        by_variant.setdefault(row[0], []).append(row)
    chosen: list[Row] = []
    depth = 0
    while len(chosen) < limit and any(len(v) > depth for v in by_variant.values()):
        for variant in by_variant:
            items = by_variant[variant]
            if depth < len(items) and len(chosen) < limit:
                chosen.append(items[depth])
        depth += 1
    order = {v: k for k, v in enumerate(by_variant)}
    return sorted(chosen, key=lambda r: (order[r[0]], r[1]))

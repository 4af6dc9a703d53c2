"""Citations and point text built straight from article spans (grounded by construction)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from briefing.model import Article, Citation, Point

from .claims import as_statement
from .segment import ContentSentence, trim_span

_SPACE = re.compile(r"\s+")


def cite(article: Article, start: int, end: int) -> Citation:
    return Citation(article_id=article.id, start=start, end=end, quote=article.text[start:end])


def cite_sentence(articles: Sequence[Article], sent: ContentSentence) -> Citation:
    """The sentence's span, narrowed past a dateline or leading "However,"."""
    article = articles[sent.article]
    start, end = trim_span(article.text, sent.start, sent.end)
    return cite(article, start, end)


def labels(articles: Sequence[Article], indices: Iterable[int]) -> str:
    """Sources by label, in label order: "[2], [5]"."""
    found = sorted({articles[k].label for k in indices})
    return ", ".join(f"[{label}]" for label in found)


def display(text: str) -> str:
    """Quote text as a standalone statement: one line, first letter capitalised."""
    text = _SPACE.sub(" ", text).strip()
    return text[:1].upper() + text[1:] if text else text


def point_from(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    members: Sequence[int],
    *,
    end: int | None = None,
) -> Point:
    """A point worded as its first member, citing every member in its own article;
    with ``end``, worded as the first member's text up to there (its leading claims)."""
    citations = [cite_sentence(articles, sents[m]) for m in members]
    if end is None:
        return Point(text=display(citations[0].quote), citations=citations)
    seed = sents[members[0]]
    article = articles[seed.article]
    start, stop = trim_span(article.text, seed.start, seed.start + end)
    citations[0] = cite(article, start, stop)
    return Point(text=display(as_statement(citations[0].quote)), citations=citations)


def merge_points(points: Sequence[Point]) -> Point:
    """Several points as one: texts in order, each citation once, and each point kept
    as a part with its own citations (a source backing one sentence must not seem to
    back the one next to it)."""
    if len(points) == 1:
        return points[0]
    seen: set[tuple[str, int, int]] = set()
    citations: list[Citation] = []
    parts = [part for point in points for part in point.parts or [point]]
    for part in parts:
        for c in part.citations:
            if (c.article_id, c.start, c.end) not in seen:
                seen.add((c.article_id, c.start, c.end))
                citations.append(c)
    return Point(text=" ".join(p.text for p in parts), citations=citations, parts=parts)

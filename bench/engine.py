"""Adapters from the benchmark to the project's engines (the only place that calls them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from briefing.model import Article, Briefing


def make_article(
    text: str,
    label: int,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
) -> Article:
    """An Article built straight from dataset text, as the loader would hand it over.

    Datasets are fed to the engine as records rather than files so that the engine
    and the peers see exactly the same text (no title guessing, no page cleaning).
    """
    from briefing.sources.reading import article_id

    return Article(
        id=article_id(text),
        label=label,
        title=title or f"Article {label}",
        text=text,
        url=url,
        outlet=outlet,
        path=url or f"<dataset:{label}>",
    )


def offline_briefing(
    articles: Sequence[Article],
    *,
    max_points: int = 8,
    progress: Callable[[str, int, int], None] | None = None,
) -> Briefing:
    from briefing.offline import build_briefing

    return build_briefing(list(articles), max_points=max_points, progress=progress)


def briefing_summary(briefing: Briefing) -> str:
    """The bottom line then the key points, as a reader meets them (no citation marks)."""
    parts = [briefing.bottom_line.text.strip()]
    for point in briefing.points:
        text = point.text.strip()
        if text and text not in parts:
            parts.append(text)
    return " ".join(p for p in parts if p)


def load_files(paths: Sequence[str]) -> Any:
    """The CLI's loader: LoadResult(articles, notes, warnings)."""
    from briefing.sources import load_articles

    return load_articles(list(paths))

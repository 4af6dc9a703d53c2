"""The offline engine: articles in, a sourced Briefing out, no model and no network.

Stages: segment (content sentences) -> group (TF-IDF similarity, cross-source
matches, ranking) -> divergences (numbers, speakers, descriptors, times) ->
single-source notes and timeline. Every quoted piece of text is a span of an
article, so every citation is grounded by construction.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence

from briefing.model import (
    ONE_ARTICLE_WARNING,
    Article,
    Briefing,
    Point,
    RunInfo,
    uncited_warnings,
)
from briefing.outlets import outlet_groups
from briefing.progress import ProgressFn as Progress

from .bottom_line import lead_groups, stated_keys, with_toll_note
from .citations import display, merge_points, point_from
from .divergence import Found, find_divergences
from .facts import analyse
from .grouping import build_links
from .headline import choose_headline
from .language import looks_english
from .off_topic import stray_articles, stray_warnings
from .ranking import fragment, leans_back, score_sentences, select_groups
from .segment import MAX_SENTENCES_PER_ARTICLE, ContentSentence, content_sentences
from .single_source import single_source_notes
from .support import Support, count_key
from .timeline import build_timeline
from .vectors import build_space

# Across all articles; beyond this the per-article cap shrinks so the (n x n) similarity
# matrix stays in memory (5,000 sentences is 100 MB of float32).
MAX_SENTENCES_TOTAL = 5000
MIN_SENTENCES_PER_ARTICLE = 3
# A sentence this long or shorter that gives a disputed figure says little besides it.
FIGURE_ONLY_WORDS = 20


def _segment(
    articles: Sequence[Article], progress: Progress | None, warnings: list[str]
) -> list[ContentSentence]:
    per_article = max(
        MIN_SENTENCES_PER_ARTICLE,
        min(MAX_SENTENCES_PER_ARTICLE, MAX_SENTENCES_TOTAL // max(1, len(articles))),
    )
    sents: list[ContentSentence] = []
    long: list[str] = []
    empty: list[str] = []
    for k, article in enumerate(articles):
        kept, cut = content_sentences(article, k, max_sentences=per_article)
        if cut:
            long.append(f"[{article.label}]")
        if not kept:
            empty.append(f"[{article.label}]")
        sents.extend(kept)
        if progress:
            progress("segment", k + 1, len(articles))
    if len(long) == 1:
        warnings.append(f"{long[0]} is long: only its first {per_article} sentences were used")
    elif long:
        warnings.append(
            f"{_listing(long)} are long: only the first {per_article} sentences of each were used"
        )
    if empty:
        warnings.append(f"{_listing(empty)}: no usable sentences (too short or only page debris)")
    foreign = [f"[{a.label}]" for a in articles if not looks_english(a.text)]
    if foreign:
        does = "does" if len(foreign) == 1 else "do"
        warnings.append(
            f"{_listing(foreign)} {does} not look like English, the only language the offline "
            "engine reads: its citations and divergences may be wrong; use --engine llm with "
            "a model that reads the language"
        )
    return sents


def _without(sents: list[ContentSentence], articles: set[int]) -> list[ContentSentence]:
    return [s for s in sents if s.article not in articles] if articles else sents


def _listing(labels: list[str]) -> str:
    return " ".join(labels) if len(labels) <= 5 else f"{len(labels)} articles ({labels[0]} ...)"


def _uncited(
    articles: Sequence[Article], sents: Sequence[ContentSentence], cited: set[str]
) -> list[str]:
    """One warning per source that had usable sentences yet is cited nowhere, worded as
    the LLM engine words it, so a reader knows which sources the briefing leaves out."""
    usable = {s.article for s in sents}
    names = [
        f"[{a.label}] {a.outlet or a.title}"
        for k, a in enumerate(articles)
        if k in usable and a.id not in cited
    ]
    return uncited_warnings(names)


def build_briefing(
    articles: Sequence[Article],
    *,
    max_points: int = 8,
    title: str | None = None,
    progress: Progress | None = None,
    known_strays: Collection[int] = (),
) -> Briefing:
    """Extractive briefing of ``articles``: deterministic for the same input.

    ``known_strays``: labels of articles already named as off the story (by
    ``briefing.coherence``), which the engine's own check then leaves alone."""
    articles = list(articles)
    warnings: list[str] = []
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    sents = _segment(articles, progress, warnings)
    timings["segment_s"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()

    # An article about another story is not news of this one: its sentences leave the
    # run, so it gives no point, divergence, single-source note or timeline entry, and
    # it is not called uncited (its own warning says why).
    left_out = {k for k, a in enumerate(articles) if a.label in known_strays}
    sents = _without(sents, left_out)
    space = build_space([s.text for s in sents])
    links = build_links(sents, space.sim, len(articles), outlets=outlet_groups(articles))
    if strays := stray_articles(articles, sents, links):
        warnings.extend(stray_warnings(articles, strays))
        left_out.update(strays)
        sents = _without(sents, set(strays))
        space = build_space([s.text for s in sents])
        links = build_links(sents, space.sim, len(articles), outlets=outlet_groups(articles))
    scores = score_sentences(sents, space, links, len(articles))
    facts = analyse(articles, sents)
    keys = [{count_key(c) for c in f.counts} for f in facts]
    support = Support(sents, facts, space)
    groups = select_groups(
        scores,
        space,
        links,
        max(0, max_points) + 2,
        facts=keys,
        wording=support.group,
        alone=[not (leans_back(s.text) or fragment(s.text)) for s in sents],
    )
    if progress:
        progress("group", 1, 1)
    timings["group_s"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()

    if len(articles) < 2:
        warnings.append(ONE_ARTICLE_WARNING)
        found = Found()
    else:
        found = find_divergences(articles, sents, facts, space, scores, support)
    divergences, in_divergences = found.divergences, found.cited

    lead, rest = lead_groups(groups, sents, facts, links, found.disputed)
    # One source's short sentence giving a figure others dispute ("The explosion killed
    # three and injured 47 others.") is shown where the divergence sets it against
    # theirs: as a key point it would read as the established figure. A longer one says
    # more than the figure ("Iraq condemned the strikes as aggression and said ...").
    rest = [
        g
        for g in rest
        if len(g.members) > 1
        or g.seed not in found.figures
        or len(sents[g.seed].text.split()) > FIGURE_ONLY_WORDS
    ]
    if lead:
        # The sentence more sources tell first: the reader meets the shared fact before
        # one source's figure.
        told = sorted(lead, key=lambda g: -len(g.members))
        bottom_line = merge_points(
            [point_from(articles, sents, g.members, end=g.end) for g in told]
        )
        # The best-ranked points, most widely reported first (one member per source).
        shown = sorted(rest[: max(0, max_points)], key=lambda g: -len(g.members))
        points = [point_from(articles, sents, g.members, end=g.end) for g in shown]
        stated = set().union(*(stated_keys(facts[g.seed]) for g in lead))
        bottom_line = with_toll_note(bottom_line, divergences, found.disputed, stated)
    else:
        fallback = articles[0].title if articles else "No usable text"
        bottom_line = Point(text=display(fallback) or "No usable text")
        points, shown = [], []
        warnings.append("no usable sentences: the briefing has no key points")
    if progress:
        progress("divergences", 1, 1)
    timings["divergences_s"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()

    # Only what the page shows counts as used: the spare groups picked beyond the points
    # shown are printed nowhere, so their sentences may still be single-source news.
    points_used = [m for g in [*lead, *shown] for m in g.members]
    notes = single_source_notes(
        articles,
        sents,
        facts,
        scores,
        space,
        links,
        points_used + in_divergences,
        points=points_used,
    )
    timeline = build_timeline(articles, sents, facts, scores, space, support=support)
    timings["notes_timeline_s"] = round(time.perf_counter() - clock, 3)

    headline = title.strip() if title and title.strip() else None
    if headline is None:
        # Nor does an article about another story name this one.
        titles = [a.title for k, a in enumerate(articles) if k not in left_out]
        headline = choose_headline(titles or [a.title for a in articles], space, bottom_line.text)

    briefing = Briefing(
        headline=headline,
        bottom_line=bottom_line,
        points=points,
        divergences=divergences,
        single_source=notes,
        timeline=timeline,
        sources=[a.ref() for a in articles],
        run=RunInfo(
            engine="offline",
            counts={
                "articles": len(articles),
                "sentences": len(sents),
                "points": len(points),
                "divergences": len(divergences),
                "single_source": len(notes),
                "timeline": len(timeline),
            },
            timings=timings,
            warnings=warnings,
        ),
    )
    # Which sources go uncited is only known once every section is assembled.
    briefing.run.warnings.extend(_uncited(articles, sents, briefing.cited_ids()))
    return briefing

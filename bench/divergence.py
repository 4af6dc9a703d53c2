"""Divergence coverage on NAnCo: do the divergence and single-source sections
touch the answer groups that annotators found across outlets?

NAnCo gives, per story, one question and 24-39 answers, each an answer span in
a paragraph of some outlet's article, grouped by meaning (``cluster_global``).
We rebuild each outlet's article from its answer paragraphs, run the engine and
count the groups that at least one divergence version or single-source note
touches. "Touches" = at least ``TOUCH_THRESHOLD`` of the answer span's content
words (lower-cased, stop words removed) occur in the item's cited passage.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from briefing.model import Article, Briefing

from . import peers
from .engine import make_article, offline_briefing
from .tables import markdown_table
from .textkit import SharedTokenizer, words

TOUCH_THRESHOLD = 0.5
RANDOM_DRAWS = 200
RANDOM_SEED = 7


@dataclass
class Answer:
    group: int
    span: str
    url: str


@dataclass
class Story:
    question: str
    articles: list[Article]
    answers: list[Answer]

    @property
    def groups(self) -> set[int]:
        return {a.group for a in self.answers}

    def group_articles(self) -> dict[int, set[str]]:
        out: dict[int, set[str]] = {}
        for a in self.answers:
            out.setdefault(a.group, set()).add(a.url)
        return out


@dataclass
class StoryCoverage:
    question: str
    articles: int
    groups: int
    multi_groups: int
    divergence_items: int
    single_items: int
    by_divergence: int
    by_single: int
    by_either: int
    multi_by_divergence: int
    lexrank: int
    random: float
    ceiling: int


def _title_from_url(url: str) -> str:
    path = urlparse(url).path.rstrip("/")
    slug = path.rsplit("/", 1)[-1] if path else urlparse(url).netloc
    slug = slug.rsplit(".", 1)[0] if "." in slug[-6:] else slug
    words_ = [w for w in slug.replace("_", "-").split("-") if w and not w.isdigit()]
    return " ".join(words_).capitalize() or urlparse(url).netloc


def load_stories(path: Path) -> list[Story]:
    stories = []
    for entry in json.loads(path.read_text(encoding="utf-8")):
        paragraphs: dict[str, dict[str, str]] = {}  # url -> paragraph id -> text (ordered)
        answers = []
        for a in entry["answers"]:
            url = a["Article URL"]
            paragraphs.setdefault(url, {}).setdefault(a["Paragraph Id"], a["Paragraph"].strip())
            answers.append(Answer(int(a["cluster_global"]), a["Answer"], url))
        articles = [
            make_article(
                "\n\n".join(paras.values()),
                label,
                title=_title_from_url(url),
                url=url,
                outlet=urlparse(url).netloc.removeprefix("www."),
            )
            for label, (url, paras) in enumerate(paragraphs.items(), 1)
        ]
        stories.append(Story(entry["question"], articles, answers))
    return stories


def _stop_words() -> frozenset[str]:
    from sumy.utils import get_stop_words

    return frozenset(get_stop_words("english"))


def _content(text: str, stop: frozenset[str]) -> set[str]:
    tokens = words(text)
    content = {t for t in tokens if t not in stop}
    return content or set(tokens)


def touches(answer_span: str, passage: str, stop: frozenset[str]) -> bool:
    need = _content(answer_span, stop)
    have = set(words(passage))
    return bool(need) and len(need & have) / len(need) >= TOUCH_THRESHOLD


def _touched(answers: Sequence[Answer], passages: Iterable[str], stop: frozenset[str]) -> set[int]:
    passages = list(passages)
    return {a.group for a in answers if any(touches(a.span, p, stop) for p in passages)}


def _divergence_passages(b: Briefing) -> list[str]:
    return [f"{v.citation.quote} {v.text}" for d in b.divergences for v in d.versions]


def _single_passages(b: Briefing) -> list[str]:
    return [f"{n.citation.quote} {n.text}" for n in b.single_source]


def cover_story(story: Story, stop: frozenset[str]) -> StoryCoverage:
    briefing = offline_briefing(story.articles)
    div = _divergence_passages(briefing)
    single = _single_passages(briefing)
    by_div = _touched(story.answers, div, stop)
    by_single = _touched(story.answers, single, stop)
    multi = {g for g, urls in story.group_articles().items() if len(urls) > 1}

    texts = [a.text for a in story.articles]
    tokenizer = SharedTokenizer()
    sentences = [s for t in texts for para in t.split("\n") for s in tokenizer.to_sentences(para)]
    k = max(len(div) + len(single), 1)
    lex = _touched(story.answers, peers.lexrank_sentences(texts, k), stop)
    rng = random.Random(RANDOM_SEED)
    draws = [
        len(_touched(story.answers, rng.sample(sentences, min(k, len(sentences))), stop))
        for _ in range(RANDOM_DRAWS)
    ]
    return StoryCoverage(
        question=story.question,
        articles=len(story.articles),
        groups=len(story.groups),
        multi_groups=len(multi),
        divergence_items=len(div),
        single_items=len(single),
        by_divergence=len(by_div),
        by_single=len(by_single),
        by_either=len(by_div | by_single),
        multi_by_divergence=len(by_div & multi),
        lexrank=len(lex),
        random=sum(draws) / len(draws),
        ceiling=len(_touched(story.answers, sentences, stop)),
    )


def run_coverage(
    stories: Sequence[Story], log: Callable[[str], None] = print
) -> list[StoryCoverage]:
    stop = _stop_words()
    out = []
    for n, story in enumerate(stories, 1):
        out.append(cover_story(story, stop))
        log(f"  nanco: {n}/{len(stories)} stories")
    return out


def _pct(part: float, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "-"


def coverage_table(rows: Sequence[StoryCoverage]) -> str:
    body = []
    for r in rows:
        body.append(
            [
                r.question,
                r.articles,
                r.groups,
                f"{r.divergence_items} + {r.single_items}",
                _pct(r.by_divergence, r.groups),
                _pct(r.by_single, r.groups),
                _pct(r.by_either, r.groups),
                _pct(r.multi_by_divergence, r.multi_groups),
                _pct(r.lexrank, r.groups),
                f"{r.random:.1f}/{r.groups} ({100 * r.random / r.groups:.0f}%)",
                _pct(r.ceiling, r.groups),
            ]
        )

    def mean(values: Iterable[float]) -> str:
        values = list(values)
        return f"{100 * sum(values) / len(values):.0f}%" if values else "-"

    body.append(
        [
            "**mean share**",
            f"{sum(r.articles for r in rows) / len(rows):.1f}",
            f"{sum(r.groups for r in rows) / len(rows):.1f}",
            f"{sum(r.divergence_items for r in rows) / len(rows):.1f} + "
            f"{sum(r.single_items for r in rows) / len(rows):.1f}",
            mean(r.by_divergence / r.groups for r in rows),
            mean(r.by_single / r.groups for r in rows),
            mean(r.by_either / r.groups for r in rows),
            mean(r.multi_by_divergence / r.multi_groups for r in rows if r.multi_groups),
            mean(r.lexrank / r.groups for r in rows),
            mean(r.random / r.groups for r in rows),
            mean(r.ceiling / r.groups for r in rows),
        ]
    )
    table = markdown_table(
        [
            "story (NAnCo question)",
            "articles",
            "answer groups",
            "items (div + single)",
            "touched by divergences",
            "by single-source",
            "by either",
            "multi-outlet groups touched by divergences",
            "LexRank, same no. of sentences",
            "random sentences (mean of 200)",
            "ceiling (all sentences)",
        ],
        body,
    )
    return (
        f"A group counts as touched when at least {TOUCH_THRESHOLD:.0%} of one of its answer "
        "spans' content words (lower-cased, sumy's English stop words removed) appear in a "
        "divergence version's or single-source note's cited passage. Peers pick as many "
        "sentences as the engine produced items; the ceiling is every sentence of the story.\n\n"
        + table
    )

"""Summary quality on Multi-News: ROUGE-1/2/L at the reference's word budget."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import peers
from .engine import briefing_summary, make_article, offline_briefing
from .stats import Interval, bootstrap_mean, bootstrap_ratio
from .tables import markdown_table
from .textkit import cut_to_words, word_count

METRICS = ("rouge1", "rouge2", "rougeL")
SYSTEMS = ("briefing (offline)", "LexRank (sumy)", "TextRank (sumy)", "Lead-3")


@dataclass
class Cluster:
    id: str
    documents: list[str]
    reference: str

    @property
    def budget(self) -> int:
        return word_count(self.reference)


@dataclass
class QualityResult:
    clusters: int
    # system -> metric -> per-cluster F1 (same cluster order for every system)
    scores: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    words_before_cut: dict[str, list[int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    budgets: list[int] = field(default_factory=list)

    @property
    def mean_budget(self) -> float:
        return sum(self.budgets) / len(self.budgets) if self.budgets else 0.0

    def interval(self, system: str, metric: str) -> Interval:
        return bootstrap_mean(self.scores[system][metric])

    def ratio(self, system: str, peer: str, metric: str) -> Interval:
        return bootstrap_ratio(self.scores[system][metric], self.scores[peer][metric])


def load_clusters(path: Path, limit: int | None = None) -> list[Cluster]:
    clusters = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                clusters.append(Cluster(row["id"], list(row["documents"]), row["summary"]))
    return clusters[:limit] if limit else clusters


def _engine_summary(documents: Sequence[str], budget: int) -> tuple[str, int]:
    articles = [make_article(text.strip(), i + 1) for i, text in enumerate(documents)]
    full = briefing_summary(offline_briefing(articles))
    return cut_to_words(full, budget), word_count(full)


System = Callable[[Sequence[str], int], tuple[str, int]]  # (summary, words offered)


def _peer(fn: Callable[[Sequence[str], int], str]) -> System:
    def run(documents: Sequence[str], budget: int) -> tuple[str, int]:
        out = fn(documents, budget)
        return out, word_count(out)

    return run


def run_quality(clusters: Sequence[Cluster], log: Callable[[str], None] = print) -> QualityResult:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    systems: dict[str, System] = {
        SYSTEMS[0]: _engine_summary,
        SYSTEMS[1]: _peer(peers.lexrank),
        SYSTEMS[2]: _peer(peers.textrank),
        SYSTEMS[3]: _peer(peers.lead),
    }
    result = QualityResult(clusters=len(clusters))
    result.budgets = [c.budget for c in clusters]
    for name in systems:
        result.scores[name] = {m: [] for m in METRICS}
        result.words_before_cut[name] = []
        result.seconds[name] = 0.0
    for n, cluster in enumerate(clusters, 1):
        for name, system in systems.items():
            started = time.perf_counter()
            summary, produced = system(cluster.documents, cluster.budget)
            result.seconds[name] += time.perf_counter() - started
            score = scorer.score(cluster.reference, summary)
            for m in METRICS:
                result.scores[name][m].append(score[m].fmeasure)
            result.words_before_cut[name].append(produced)
        if n % 5 == 0 or n == len(clusters):
            log(f"  rouge: {n}/{len(clusters)} clusters")
    return result


def quality_tables(result: QualityResult) -> str:
    rows = []
    for name in SYSTEMS:
        words = result.words_before_cut[name]
        rows.append(
            [
                name,
                *(result.interval(name, m).fmt() for m in METRICS),
                f"{sum(words) / len(words):.0f}",
                f"{result.seconds[name]:.1f}",
            ]
        )
    table = markdown_table(
        ["system", "ROUGE-1 F1", "ROUGE-2 F1", "ROUGE-L F1", "words offered", "time (s)"], rows
    )
    engine = SYSTEMS[0]
    ratio_rows = [
        [
            f"{engine} / {peer}",
            *(result.ratio(engine, peer, m).fmt(scale=1, digits=3) for m in METRICS),
        ]
        for peer in SYSTEMS[1:]
    ]
    ratios = markdown_table(["ratio of means", "ROUGE-1", "ROUGE-2", "ROUGE-L"], ratio_rows)
    return (
        f"{result.clusters} clusters; budget = the reference's word count "
        f"(mean {result.mean_budget:.0f} words). F1 x 100, mean [95% bootstrap interval, "
        '1000 resamples over clusters]. "words offered" = mean words the system produced '
        "before the cut.\n\n"
        f"{table}\n\nPaired ratios (same bootstrap draws for both systems):\n\n{ratios}"
    )

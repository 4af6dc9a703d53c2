"""Benchmarks: quality, divergence coverage, speed/memory and LLM-chain efficiency.

    python bench/run.py            # full run, writes bench/RESULTS.md
    python bench/run.py --quick    # a few minutes; prints the tables, writes bench/.cache/

Every figure compares the project with a peer measured in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import machine_lines
from bench.paths import BENCH_DIR, DEFAULT_SHARED, RESULTS_PATH, Corpus

SECTIONS = ("rouge", "nanco", "speed", "llm")


@dataclass(frozen=True)
class Plan:
    quick: bool
    clusters: int | None
    sizes: tuple[int, ...]
    repeats: int
    startup_repeats: int
    llm_articles: int

    @classmethod
    def make(cls, quick: bool) -> Plan:
        if quick:
            return cls(True, 10, (2, 10, 40), 2, 7, 4)
        return cls(False, None, (2, 10, 40, 200), 3, 21, 40)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def section_rouge(corpus: Corpus, plan: Plan) -> tuple[str, list[str]]:
    from bench.quality import SYSTEMS, load_clusters, quality_tables, run_quality

    result = run_quality(load_clusters(corpus.multi_news, plan.clusters), log=_log)
    ratio = result.ratio(SYSTEMS[0], SYSTEMS[1], "rouge2")
    target = 1.1
    verdict = (
        f"ROUGE-2 of the offline engine is {ratio.mean:.2f} x LexRank's "
        f"(95% interval {ratio.low:.2f}-{ratio.high:.2f}); target {target} x: "
        + (
            "met."
            if ratio.mean >= target
            else f"short by {(target - ratio.mean) / target:.0%} of the target."
        )
    )
    findings = [verdict]
    for peer in SYSTEMS[1:]:
        for metric in ("rouge1", "rouge2", "rougeL"):
            r = result.ratio(SYSTEMS[0], peer, metric)
            if r.high < 1.0:
                findings.append(
                    f"Behind {peer} on {metric}: {r.mean:.2f} x "
                    f"(interval {r.low:.2f}-{r.high:.2f})."
                )
    offered = result.words_before_cut[SYSTEMS[0]]
    short = sum(1 for w, b in zip(offered, result.budgets, strict=True) if w < b)
    if short:
        findings.append(
            f"The engine offered fewer words than the budget in {short}/{len(offered)} clusters "
            "(its 8 points are shorter than the reference), which caps its recall."
        )
    return quality_tables(result), findings


def section_nanco(corpus: Corpus, plan: Plan) -> tuple[str, list[str]]:
    from bench.divergence import coverage_table, load_stories, run_coverage

    rows = run_coverage(load_stories(corpus.nanco), log=_log)
    findings = []
    engine = sum(r.by_either / r.groups for r in rows) / len(rows)
    lex = sum(r.lexrank / r.groups for r in rows) / len(rows)
    rnd = sum(r.random / r.groups for r in rows) / len(rows)
    findings.append(
        f"Divergence + single-source sections touch {engine:.0%} of answer groups on average; "
        f"LexRank with the same number of sentences {lex:.0%}; random sentences {rnd:.0%}."
    )
    if engine < lex:
        findings.append("Behind LexRank on answer-group coverage.")
    empty = sum(1 for r in rows if r.divergence_items == 0)
    if empty:
        findings.append(
            f"The divergence section is empty on {empty}/{len(rows)} stories: NAnCo's answer "
            "groups are competing reasons and descriptions, which the engine's numeric, "
            "attribution, framing, yes/no and time finders do not look for."
        )
    return coverage_table(rows), findings


def section_speed(corpus: Corpus, plan: Plan) -> tuple[str, list[str]]:
    from bench.speed import run_speed, run_startup, speed_table, startup_table
    from bench.stats import growth_exponent

    results = run_speed(corpus.events, plan.sizes, plan.repeats, log=_log)
    startup = run_startup(plan.startup_repeats)
    findings = []
    sizes = [r.loaded for r in results]
    k_engine = growth_exponent(sizes, [r.median("engine", "run_s") for r in results])
    findings.append(f"Engine time grows as n^{k_engine:.2f} over {sizes[0]}-{sizes[-1]} articles.")
    lex = [r for r in results if r.lexrank]
    if len(lex) >= 2:
        k_lex = growth_exponent(
            [r.loaded for r in lex], [r.median("lexrank", "run_s") for r in lex]
        )
        findings.append(f"LexRank grows as n^{k_lex:.2f} on the same text.")
    last = results[-1]
    if last.lexrank:
        ratio = last.median("engine", "run_s") / last.median("lexrank", "run_s")
        findings.append(
            f"At {last.loaded} articles the engine takes {ratio:.2f} x LexRank's time"
            + (" (behind LexRank)." if ratio > 1 else ".")
        )
    findings.append(
        f"`briefing --help` takes {startup.help_median / startup.bare_median:.1f} x the time of "
        "bare `python -c pass`."
    )
    body = f"{speed_table(results)}\n\nStart-up:\n\n{startup_table(startup)}"
    return body, findings


def section_llm(corpus: Corpus, plan: Plan) -> tuple[str, list[str]]:
    from bench.llm_efficiency import llm_table, run_llm

    result = run_llm(corpus.events, plan.llm_articles, log=_log)
    return llm_table(result), result.findings()


SECTION_RUNNERS: dict[str, tuple[str, Callable[[Corpus, Plan], tuple[str, list[str]]]]] = {
    "rouge": ("1. Summary quality on Multi-News (ROUGE)", section_rouge),
    "nanco": ("2. Divergence coverage on NAnCo", section_nanco),
    "speed": ("3. Speed and memory", section_speed),
    "llm": ("4. LLM chain efficiency (loopback server)", section_llm),
}


def _is_behind(finding: str) -> bool:
    lowered = finding.lower()
    return any(word in lowered for word in ("behind", "higher)", "failed", "short by"))


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run (a few minutes)")
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="folder holding corpus/ (the shared evaluation corpus)",
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run: {','.join(SECTIONS)}",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="where to write the Markdown report (default: bench/RESULTS.md for a full run, "
        "bench/.cache/RESULTS.quick.md for --quick)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    plan = Plan.make(args.quick)
    corpus = Corpus(args.shared)
    if corpus.missing():
        missing = ", ".join(str(p) for p in corpus.missing())
        print(f"bench: corpus not found: {missing}; pass --shared DIR", file=sys.stderr)
        return 2
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        print(
            f"bench: unknown section {', '.join(unknown)}; choose from {SECTIONS}", file=sys.stderr
        )
        return 2

    started = time.perf_counter()
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    parts: list[str] = []
    all_findings: list[str] = []
    failed = []
    for name in chosen:
        heading, runner = SECTION_RUNNERS[name]
        _log(f"bench: {heading} ...")
        section_started = time.perf_counter()
        try:
            body, findings = runner(corpus, plan)
        except Exception as exc:  # one broken section must not hide the others' tables
            traceback.print_exc()
            failed.append(name)
            body, findings = f"_Not measured: {type(exc).__name__}: {exc}_", []
        took = time.perf_counter() - section_started
        block = f"## {heading}\n\n{body}\n\n_Section wall time: {took:.0f} s._"
        if findings:
            block += "\n\nFindings:\n\n" + "\n".join(f"- {f}" for f in findings)
        print(block + "\n", flush=True)
        parts.append(block)
        all_findings.extend(findings)

    behind = [f for f in all_findings if _is_behind(f)]
    summary = "## 5. Where the project is behind a peer in this run\n\n" + (
        "\n".join(f"- {f}" for f in behind) if behind else "Nowhere: every comparison favours it."
    )
    print(summary + "\n", flush=True)
    parts.append(summary)

    total = time.perf_counter() - started
    command = "python bench/run.py" + (" --quick" if args.quick else "")
    header = [
        "# Benchmark results",
        "",
        f"Generated by `{command}` on {stamp}; total wall time {total / 60:.1f} min. "
        "Regenerate with the same command; figures are ratios from one run on this machine.",
        "",
        "## Machine",
        "",
        *machine_lines(),
    ]
    report = "\n".join(header) + "\n\n" + "\n\n".join(parts) + "\n"
    out = args.out or (BENCH_DIR / ".cache" / "RESULTS.quick.md" if args.quick else RESULTS_PATH)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    _log(
        f"bench: wrote {out} in {total:.0f} s"
        + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Speed and memory: the offline engine and sumy's LexRank at growing input sizes,
each run in a fresh process; plus `briefing --help` start-up against bare Python."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing.model import Article

from .engine import load_files
from .scaling_corpus import build_set, event_files
from .stats import growth_exponent
from .tables import markdown_table
from .textkit import SharedTokenizer

WORKER = Path(__file__).resolve().parent / "speed_worker.py"
WORKER_TIMEOUT_S = 900


@dataclass
class SizeResult:
    size: int
    loaded: int
    sentences: int
    words: int
    engine: list[dict[str, float]] = field(default_factory=list)
    lexrank: list[dict[str, float]] = field(default_factory=list)
    lexrank_timeout: bool = False

    def median(self, system: str, key: str) -> float:
        runs = getattr(self, system)
        return statistics.median(r[key] for r in runs) if runs else float("nan")


@dataclass
class StartupResult:
    help_runs: list[float]
    bare_runs: list[float]
    command: str

    @property
    def help_median(self) -> float:
        return statistics.median(self.help_runs)

    @property
    def bare_median(self) -> float:
        return statistics.median(self.bare_runs)


def _worker(system: str, payload: Path) -> dict[str, float] | None:
    try:
        proc = subprocess.run(
            [sys.executable, str(WORKER), system, str(payload)],
            capture_output=True,
            text=True,
            timeout=WORKER_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        raise RuntimeError(f"{system} worker failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _article_set(
    files: Sequence[Path], size: int, folder: Path
) -> tuple[list[Path], list[Article]]:
    """Files for ``size`` articles and what the loader makes of them.

    Real wire copies in the corpus are merged by the loader, as they should be; for
    the synthetic sizes (beyond the real files) extra perturbed copies make up for
    them so that ``size`` articles really reach the engine.
    """
    asked = size
    for _ in range(3):
        shutil.rmtree(folder, ignore_errors=True)
        paths = build_set(files, asked, folder)
        articles = load_files([str(p) for p in paths]).articles
        if len(articles) >= size or size <= len(files):
            break
        asked += size - len(articles)
    return paths, articles


def run_speed(
    events_dir: Path,
    sizes: Sequence[int],
    repeats: int,
    log: Callable[[str], None] = print,
) -> list[SizeResult]:
    files = event_files(events_dir)
    results = []
    tokenizer = SharedTokenizer()
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        for size in sizes:
            folder = Path(tmp) / f"n{size}"
            paths, articles = _article_set(files, size, folder / "articles")
            file_list = folder / "files.json"
            file_list.write_text(json.dumps([str(p) for p in paths]), encoding="utf-8")
            # LexRank gets exactly the text the engine gets: the loader's cleaned bodies.
            texts = [a.text for a in articles]
            texts_file = folder / "texts.json"
            texts_file.write_text(json.dumps(texts), encoding="utf-8")
            result = SizeResult(
                size=size,
                loaded=len(articles),
                sentences=sum(
                    len(tokenizer.to_sentences(p)) for t in texts for p in t.split("\n") if p
                ),
                words=sum(len(t.split()) for t in texts),
            )
            for r in range(repeats):
                engine = _worker("engine", file_list)
                assert engine is not None, f"engine run timed out at n={size}"
                result.engine.append(engine)
                if not result.lexrank_timeout:
                    lex = _worker("lexrank", texts_file)
                    if lex is None:
                        result.lexrank_timeout = True
                    else:
                        result.lexrank.append(lex)
                log(f"  speed: n={size} repeat {r + 1}/{repeats}")
            results.append(result)
    return results


def _briefing_command() -> list[str]:
    script = Path(sys.executable).with_name("briefing")
    if script.exists():
        return [str(script), "--help"]
    found = shutil.which("briefing")
    return [found, "--help"] if found else [sys.executable, "-m", "briefing", "--help"]


def _timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - started


def run_startup(repeats: int) -> StartupResult:
    cmd = _briefing_command()
    bare = [sys.executable, "-c", "pass"]
    _timed(cmd), _timed(bare)  # warm the file cache for both
    help_runs, bare_runs = [], []
    for _ in range(repeats):  # interleaved so drift hits both alike
        help_runs.append(_timed(cmd))
        bare_runs.append(_timed(bare))
    shown = " ".join(Path(cmd[0]).name if i == 0 else c for i, c in enumerate(cmd))
    return StartupResult(help_runs, bare_runs, shown)


def _fmt_s(value: float) -> str:
    if value != value:  # NaN
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _rss(result: SizeResult, system: str) -> str:
    peak = result.median(system, "rss_peak_mb")
    return f"{peak:.0f} ({result.median(system, 'rss_ready_mb'):.0f})"


def speed_table(results: Sequence[SizeResult]) -> str:
    rows = []
    for r in results:
        lex_time = r.median("lexrank", "run_s")
        eng_time = r.median("engine", "run_s")
        rows.append(
            [
                r.size,
                r.loaded,
                r.sentences,
                r.words,
                _fmt_s(r.median("engine", "load_s")),
                _fmt_s(r.median("engine", "cold_s")),
                _fmt_s(eng_time),
                _rss(r, "engine"),
                f"> {WORKER_TIMEOUT_S}"
                if r.lexrank_timeout and not r.lexrank
                else _fmt_s(lex_time),
                _rss(r, "lexrank") if r.lexrank else "-",
                f"{eng_time / lex_time:.2f}" if r.lexrank else "-",
            ]
        )
    table = markdown_table(
        [
            "articles asked",
            "loaded",
            "sentences",
            "words",
            "load (s)",
            "engine, first call (s)",
            "engine, warm (s)",
            "engine peak RSS MB (after imports)",
            "LexRank (s)",
            "LexRank peak RSS MB (after imports)",
            "engine / LexRank time",
        ],
        rows,
    )
    sizes = [r.loaded for r in results]
    fits = [
        [
            "engine (build_briefing)",
            f"{growth_exponent(sizes, [r.median('engine', 'run_s') for r in results]):.2f}",
        ],
        [
            "loading (load_articles)",
            f"{growth_exponent(sizes, [r.median('engine', 'load_s') for r in results]):.2f}",
        ],
    ]
    lex = [(r.loaded, r.median("lexrank", "run_s")) for r in results if r.lexrank]
    if len(lex) >= 2:
        fits.append(
            ["LexRank (sumy)", f"{growth_exponent([n for n, _ in lex], [t for _, t in lex]):.2f}"]
        )
    fit_table = markdown_table(["growth fit: time ~ n^k", "k (slope of log t vs log n)"], fits)
    repeats = max(len(r.engine) for r in results) if results else 0
    return (
        f"Median of {repeats} runs, each in a fresh process. Times exclude interpreter start "
        "and module imports; the engine's first call includes what it imports lazily, the warm "
        "call (same input, same process) is the work alone and is what the growth fit uses. "
        "Peak RSS is the process's VmHWM (after imports in brackets). LexRank (sumy) picks 8 "
        "sentences from the same loaded text; it is compared with the warm engine call.\n\n"
        f"{table}\n\n{fit_table}"
    )


def startup_table(result: StartupResult) -> str:
    ratio = result.help_median / result.bare_median
    rows = [
        [f"`{result.command}`", f"{result.help_median * 1000:.0f}", f"{ratio:.1f}"],
        ["`python -c pass`", f"{result.bare_median * 1000:.0f}", "1.0"],
    ]
    return f"Median of {len(result.help_runs)} runs each, interleaved.\n\n" + markdown_table(
        ["command", "wall (ms)", "x bare Python"], rows
    )

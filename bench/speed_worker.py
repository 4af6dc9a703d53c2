"""One measured run in a fresh process (so peak RSS belongs to this run alone).

    python bench/speed_worker.py engine   <file-list.json>
    python bench/speed_worker.py lexrank  <texts.json>

Prints one JSON object: seconds for each stage, peak RSS after imports and at the end.
"""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

POINTS = 8


def _peak_rss_mb() -> float:
    """This process's own peak resident set size.

    VmHWM belongs to the address space created at exec, whereas ru_maxrss also
    carries the parent's high-water mark across fork+exec (it would report the
    benchmark driver's size, not the run's).
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _engine(file_list: Path) -> dict[str, float]:
    from bench.engine import load_files, offline_briefing

    # Import cost is start-up, not work: pay it before the clock starts.
    for module in ("briefing.offline", "briefing.sources"):
        importlib.import_module(module)

    paths = json.loads(file_list.read_text(encoding="utf-8"))
    rss_ready = _peak_rss_mb()
    started = time.perf_counter()
    loaded = load_files(paths)
    loaded_at = time.perf_counter()
    # First call: what one CLI run pays, lazy imports inside the engine included.
    offline_briefing(loaded.articles, max_points=POINTS)
    cold_done = time.perf_counter()
    # Second call on the same input: the work alone, which is what the growth fit is about.
    briefing = offline_briefing(loaded.articles, max_points=POINTS)
    done = time.perf_counter()
    return {
        "articles": len(loaded.articles),
        "load_s": loaded_at - started,
        "cold_s": cold_done - loaded_at,
        "run_s": done - cold_done,
        "points": len(briefing.points),
        "rss_ready_mb": rss_ready,
        "rss_peak_mb": _peak_rss_mb(),
    }


def _lexrank(texts_file: Path) -> dict[str, float]:
    from bench import peers

    # Set up sumy and the sentence splitter before the clock starts.
    peers._summariser("lexrank")
    peers.SharedTokenizer().to_sentences("Warm up. Done.")
    texts = json.loads(texts_file.read_text(encoding="utf-8"))
    rss_ready = _peak_rss_mb()
    started = time.perf_counter()
    picked = peers.lexrank_sentences(texts, POINTS)
    done = time.perf_counter()
    return {
        "articles": len(texts),
        "run_s": done - started,
        "points": len(picked),
        "rss_ready_mb": rss_ready,
        "rss_peak_mb": _peak_rss_mb(),
    }


def main(argv: list[str]) -> int:
    system, path = argv[1], Path(argv[2])
    result = {"engine": _engine, "lexrank": _lexrank}[system](path)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

"""Where the project and the shared evaluation corpus live."""

from __future__ import annotations

from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DEFAULT_SHARED = (REPO_ROOT / ".." / "shared").resolve()
RESULTS_PATH = BENCH_DIR / "RESULTS.md"


class Corpus:
    """Paths into the shared corpus (``<shared>/corpus/...``); nothing is copied."""

    def __init__(self, shared: Path) -> None:
        self.root = Path(shared).resolve() / "corpus"

    @property
    def multi_news(self) -> Path:
        return self.root / "datasets" / "multi_news" / "multi_news_test_sample40.jsonl"

    @property
    def nanco(self) -> Path:
        return self.root / "datasets" / "discord_questions" / "nanco_dataset.json"

    @property
    def events(self) -> Path:
        return self.root / "events"

    def missing(self) -> list[Path]:
        return [p for p in (self.multi_news, self.nanco, self.events) if not p.exists()]

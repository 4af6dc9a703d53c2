"""Content-addressed reply cache: SQLite under the user's cache directory.

The key is the SHA-256 of the canonical JSON of everything that shapes a reply:
model, base URL, messages and request parameters; never the API key. Only
replies that passed validation are stored (and the fact that a call's reply was
cut off at its token limit), each committed as soon as it arrives, so a run
killed midway (even with kill -9) resumes with only the missing calls. WAL mode
and a busy timeout let concurrent runs share one file; ``INSERT OR IGNORE`` makes
two runs storing the same reply harmless. Switching a new file to WAL can report
"database is locked" at once, without waiting out the busy timeout, while another
run does the same: opening is retried briefly.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from ..errors import ConfigError

CACHE_FILE = "llm-cache.sqlite3"
# Bump when the meaning of a stored reply changes (not needed for prompt edits:
# the prompt text is part of the key).
CACHE_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS replies (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    created REAL NOT NULL,
    reply TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL
)
"""
_COLUMNS = "key, model, created, reply, prompt_tokens, completion_tokens"
# A call whose reply stopped at its token limit is stored under its key with this prefix
# (no reply): a re-run splits that input at once instead of paying for the cut-off again.
_CUT_OFF = "cut-off:"


@dataclass(frozen=True)
class CachedReply:
    text: str
    prompt_tokens: int
    completion_tokens: int


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefing"))


def cache_key(model: str, base_url: str, messages: list[dict[str, str]], params: dict) -> str:
    payload = {
        "v": CACHE_VERSION,
        "model": model,
        "base_url": base_url.rstrip("/"),
        "messages": messages,
        "params": params,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


class ReplyCache:
    def __init__(self, directory: Path) -> None:
        self.path = directory / CACHE_FILE
        db: sqlite3.Connection | None = None
        # mkdir's "File exists" would not say which part of the path is the problem.
        if blocker := next((p for p in (directory, *directory.parents) if p.is_file()), None):
            raise ConfigError(
                f"the LLM cache folder {directory} cannot be made: {blocker} is a file; "
                "pass --cache-dir a folder, or --no-cache"
            )
        try:
            directory.mkdir(parents=True, exist_ok=True)
            db = self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            for attempt in Retrying(
                retry=retry_if_exception(_locked),
                stop=stop_after_attempt(10),
                wait=wait_random_exponential(multiplier=0.02, max=1.0),
                reraise=True,
            ):
                with attempt:
                    self._db.execute("PRAGMA journal_mode=WAL")
                    self._db.execute("PRAGMA synchronous=NORMAL")
                    self._db.execute(_SCHEMA)
            # A table of that name from something else: refuse it now, not mid-run.
            self._db.execute(f"SELECT {_COLUMNS} FROM replies LIMIT 0")
        except (OSError, sqlite3.Error) as exc:
            if db is not None:
                db.close()
            raise self._error("open", exc) from None

    def _error(self, doing: str, exc: BaseException) -> ConfigError:
        # A damaged file holds nothing worth keeping: deleting it only costs the calls.
        damaged = isinstance(exc, sqlite3.DatabaseError) and (
            "not a database" in str(exc) or "malformed" in str(exc)
        )
        remedy = "delete that file (its replies are lost), or " if damaged else ""
        return ConfigError(
            f"cannot {doing} the LLM cache at {self.path} ({exc}); "
            f"{remedy}pass --cache-dir DIR or --no-cache"
        )

    def get(self, key: str) -> CachedReply | None:
        try:
            row = self._db.execute(
                "SELECT reply, prompt_tokens, completion_tokens FROM replies WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error as exc:
            raise self._error("read", exc) from None
        return CachedReply(*row) if row else None

    def put(self, key: str, model: str, reply: str, usage: Any = None) -> None:
        prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
        completion = int(getattr(usage, "completion_tokens", 0) or 0)
        try:
            self._db.execute(
                f"INSERT OR IGNORE INTO replies ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (key, model, time.time(), reply, prompt, completion),
            )
        except sqlite3.Error as exc:  # disk full, read-only file
            raise self._error("write to", exc) from None

    def mark_cut_off(self, key: str, model: str) -> None:
        self.put(_CUT_OFF + key, model, "")

    def was_cut_off(self, key: str) -> bool:
        return self.get(_CUT_OFF + key) is not None

    def close(self) -> None:
        self._db.close()

"""Writing results: file names from the briefing, and atomic writes.

A run that fails halfway must never leave a half-written briefing behind, so
every file is written to a temporary sibling and renamed into place.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .errors import OutputError


def slugify(text: str, *, max_len: int = 60) -> str:
    """'U.S. strikes: 85 targets!' -> 'us-strikes-85-targets'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"(?<=\w)\.(?=\w)", "", ascii_text)  # "U.S." -> "US", not "u-s"
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug or "briefing"


def safe_name(name: str) -> str:
    """A user's --name kept as typed, but only as a file name: no folders, no odd bytes."""
    return re.sub(r"[^\w.-]+", "-", name).strip("-.") or "briefing"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def check_output_dir(folder: Path) -> None:
    """Fail before any work (and any paid LLM call) when the results could not be written."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None:
        return
    if not existing.is_dir():
        raise OutputError(f"{existing} is a file, not a folder; pass another output folder with -o")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{existing}: no permission to write here; pass another folder with -o")


def write_atomic(path: Path, data: str | bytes) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            # mkstemp makes the file private (0600); results get the usual umask-based mode.
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write output ({exc.strerror or exc}); choose another folder with -o"
        ) from None

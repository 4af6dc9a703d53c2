"""Writing results: file names from the briefing, and atomic writes.

A run that fails halfway must never leave a half-written briefing behind, so
every file is written to a temporary sibling and renamed into place, and the
formats of one run are renamed only once all of them are written.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from .errors import OutputError, shown_path

# Latin letters that Unicode does not decompose into a base letter and a mark, so that
# dropping the marks would drop the letter ("Straße" -> "strae").
_LETTERS = str.maketrans(
    {"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
     "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i"}
)  # fmt: skip


# A file name holds at most 255 bytes on common file systems; the longest suffix
# (".email.html") and the staging name's additions (".", ".tmp" and 8 random letters)
# must fit beside the name itself.
MAX_NAME_BYTES = 255 - len(".email.html") - len("..12345678.tmp")


def slugify(text: str, *, max_len: int = 60) -> str:
    """'U.S. strikes: 85 targets!' -> 'us-strikes-85-targets'."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_LETTERS)).encode("ascii", "ignore").decode()
    )
    ascii_text = re.sub(r"(?<=\w)\.(?=\w)", "", ascii_text)  # "U.S." -> "US", not "u-s"
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not re.search(r"[a-z]", slug) and any(ch.isalpha() for ch in text):
        # A script with no Latin spelling here (Cyrillic, Greek, CJK): its own letters,
        # as --name keeps them, rather than one "briefing" name every such story shares.
        slug = re.sub(r"[\W_]+", "-", text.lower()).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    while len(slug.encode("utf-8")) > MAX_NAME_BYTES // 2:  # 60 letters of a 4-byte script
        slug = slug[:-1]
    return slug.strip("-") or "briefing"


def safe_name(name: str) -> str:
    """A user's --name kept as typed, but only as a file name: no folders, no odd bytes."""
    return re.sub(r"[^\w.-]+", "-", name).strip("-.") or "briefing"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def check_output_dir(folder: Path) -> None:
    """Fail before any work (and any paid LLM call) when the results could not be written."""
    try:
        existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
        dangling = next((p for p in (folder, *folder.parents) if p.is_symlink()), None)
    except OSError as exc:  # a name over the file system's limit, a loop of links
        raise _cannot_write(folder, exc) from None
    if dangling is not None and not dangling.exists():
        raise OutputError(
            f"{shown_path(str(dangling))} is a link to a folder that does not exist; make that "
            "folder, or pass another with -o"
        )
    if existing is None:
        return
    if not existing.is_dir():
        raise OutputError(f"{existing} is a file, not a folder; pass another output folder with -o")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{existing}: no permission to write here; pass another folder with -o")


def write_atomic(path: Path, data: str | bytes) -> None:
    write_all({path: data})


def write_all(files: Mapping[Path, str | bytes]) -> None:
    """Write every file or none: all are written to temporary siblings first, and
    renamed into place only when every one of them could be written. A format that
    cannot be written (a folder in the way, a full disk) leaves no other format
    behind, so a failed run's folder holds no briefing that looks finished."""
    for path in files:
        if path.is_dir():
            raise OutputError(f"{path} is a folder; remove it or choose another --name or -o")
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
        for tmp, path in staged:
            _replace(tmp, path)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _stage(path: Path, data: str | bytes) -> str:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The staging name adds to the final one: a name near the limit must still fit.
        prefix = f".{path.name}." if len(path.name.encode()) <= MAX_NAME_BYTES else ".briefing."
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); results get the usual umask-based mode.
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from None
        raise
    return tmp


def _replace(tmp: str, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"{shown_path(str(path))}: cannot write output ({exc.strerror or exc}); "
        "choose another folder with -o"
    )

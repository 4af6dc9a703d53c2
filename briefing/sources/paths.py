"""Which files to read: expand files, folders and ``-`` (stdin) into a list of inputs.

Folders are walked recursively in sorted order; hidden entries and files that are not
articles (README-like stems, other extensions) are skipped with a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefing.errors import InputError

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES

STDIN = "-"
# Folder entries with these stems describe the folder; they are not articles.
NOT_ARTICLE_STEMS = frozenset({"readme", "license", "licence", "changelog", "contributing"})


def printable(text: str) -> str:
    """``text`` (a path, or a message naming one) with the undecodable bytes of a file
    name (Python keeps them as lone surrogates: a Latin-1 "r\xe9sum\xe9.txt") shown as
    U+FFFD: such a name cannot be written to UTF-8 output, and the run would fail there."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
        return text.encode("utf-8", "replace").decode("utf-8")


def expand_paths(
    paths: Sequence[str],
) -> tuple[list[tuple[str, bool]], list[str], list[str]]:
    """(path, found_in_folder) for every input, folders walked recursively in sorted order,
    then the run's notes and warnings.

    Hidden files and folders are skipped, and so are folder entries that are not
    article files. Explicit files are kept whatever their extension. A subfolder that
    cannot be read is left out with a warning; a named folder that cannot be read is
    an error.
    """
    found: list[tuple[str, bool]] = []
    notes: list[str] = []
    warnings: list[str] = []
    for given in paths:
        if given == STDIN:
            found.append((STDIN, False))
            continue
        p = Path(given)
        if p.is_dir():
            unreadable: list[tuple[str, str]] = []
            try:
                files, skipped = _walk(p, set(), unreadable)
            except OSError as exc:
                raise InputError(
                    f"{given}: cannot read the folder ({exc.strerror}); check permissions"
                ) from None
            if unreadable and not files:
                sub, why = unreadable[0]
                raise InputError(
                    f"{given}: no articles could be read; cannot read the folder {sub} "
                    f"({why}); check its permissions"
                )
            warnings.extend(
                f"skipped the folder {sub}: cannot read it ({why}), so its articles "
                "are left out; check its permissions"
                for sub, why in unreadable
            )
            if not files:
                raise InputError(
                    f"{given}: no .txt, .md or .html files in this folder; "
                    "pass a folder of articles or the files themselves"
                )
            if skipped:
                which = (
                    "file that is not an article"
                    if skipped == 1
                    else ("files that are not articles")
                )
                notes.append(
                    f"skipped {skipped} {which} in {given} "
                    "(README, not .txt/.md/.html, or not a regular file)"
                )
            found.extend((str(f), True) for f in files)
        elif p.exists():
            found.append((given, False))
        else:
            raise InputError(f"{given}: no such file or directory")
    return found, notes, warnings


def _walk(
    folder: Path, seen: set[Path], unreadable: list[tuple[str, str]]
) -> tuple[list[Path], int]:
    # Folders by their real path: a link back up the tree ("self -> ..") is walked once,
    # not forty levels deep.
    seen.add(folder.resolve())
    files: list[Path] = []
    skipped = 0
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if entry.resolve() in seen:
                continue
            try:
                sub, sub_skipped = _walk(entry, seen, unreadable)
            except OSError as exc:
                # One locked subfolder (lost+found, another user's drafts) should not
                # sink the articles beside it.
                unreadable.append((str(entry), exc.strerror or type(exc).__name__))
                continue
            files.extend(sub)
            skipped += sub_skipped
        elif (
            # A regular file: a pipe or a device named like an article would hang the
            # run or fill memory.
            entry.is_file()
            and entry.suffix.lower() in ARTICLE_SUFFIXES
            and entry.stem.lower() not in NOT_ARTICLE_STEMS
        ):
            files.append(entry)
        else:
            skipped += 1
    return files, skipped

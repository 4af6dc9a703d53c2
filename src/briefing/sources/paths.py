"""Which files to read: expand files, folders and ``-`` (stdin) into a list of inputs.

Folders are walked recursively in sorted order; hidden entries are skipped, and files
that are not articles (README-like stems, other extensions) or hidden ones named like
articles (".draft.txt") are skipped with a note naming them, and
documents (PDF, Word, RTF) with a warning saying how to get their text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from briefing.errors import InputError, shown_path
from briefing.model import name_list


def not_fetched(given: str, pages: str, files: str) -> InputError:
    """The error for web addresses given as articles: they are never fetched."""
    return InputError(
        f"{given}: articles are read from files, not fetched from the web; save {pages} "
        f"from your browser (Save page as, .html) and pass {files}"
    )


TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES

STDIN = "-"
# Folder entries with these stems describe the folder; they are not articles.
NOT_ARTICLE_STEMS = frozenset({"readme", "license", "licence", "changelog", "contributing"})
# Likely articles in a form briefing cannot read: named in a warning with what to do,
# since someone saved them there to be read.
DOCUMENT_SUFFIXES = frozenset({".pdf", ".rtf", ".doc", ".docx", ".odt", ".pages", ".epub"})
DOCUMENT_HINT = "extract their text first (for example: pdftotext FILE.pdf) and pass the .txt files"


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
        if not given.strip():
            # Path("") is the current folder: an unset "$DIR" would brief whatever is here.
            raise InputError("an empty path was given (an unset variable?); pass files or a folder")
        p = Path(given)
        try:
            is_dir, exists = p.is_dir(), p.exists()
        except OSError as exc:  # a name over the file system's limit, a loop of links
            raise InputError(
                f"{shown_path(given)}: cannot read it ({exc.strerror or exc}); check the path"
            ) from None
        if is_dir:
            unreadable: list[tuple[str, str]] = []
            hidden: list[Path] = []
            try:
                files, skipped = _walk(p, set(), unreadable, hidden)
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
            documents = [f for f in skipped if f.suffix.lower() in DOCUMENT_SUFFIXES]
            others = [f for f in skipped if f not in documents]
            if not files and documents:
                raise InputError(
                    f"{given}: no .txt, .md or .html files in this folder, only documents "
                    f"({_names(documents)}); {DOCUMENT_HINT}"
                )
            if not files and hidden:
                raise InputError(
                    f"{given}: the only articles in this folder are hidden "
                    f"({_names(hidden)}); pass them by name to read them"
                )
            if not files:
                raise InputError(
                    f"{given}: no .txt, .md or .html files in this folder; "
                    "pass a folder of articles or the files themselves"
                )
            if documents:
                warnings.append(
                    f"skipped {_names(documents)} in {given}: documents, not text; " + DOCUMENT_HINT
                )
            if others:
                notes.append(
                    f"skipped {_names(others)} in {given} "
                    "(README, not .txt/.md/.html, or not a regular file)"
                )
            if hidden:
                notes.append(
                    f"skipped the hidden {_names(hidden)} in {given}; "
                    "pass a hidden file by name to read it"
                )
            found.extend((str(f), True) for f in files)
        elif exists:
            found.append((given, False))
        elif re.match(r"(?i)https?://", given):
            raise not_fetched(given, "the page", "that file")
        elif p.is_symlink():
            raise InputError(
                f"{shown_path(given)}: a link to something that does not exist (or to itself); "
                "pass the file it should point to"
            )
        else:
            raise InputError(f"{shown_path(given)}: no such file or directory")
    return found, notes, warnings


def _names(paths: Sequence[Path]) -> str:
    return name_list([p.name for p in paths])


def _walk(
    folder: Path, seen: set[Path], unreadable: list[tuple[str, str]], hidden: list[Path]
) -> tuple[list[Path], list[Path]]:
    # Folders by their real path: a link back up the tree ("self -> ..") is walked once,
    # not forty levels deep.
    seen.add(folder.resolve())
    files: list[Path] = []
    skipped: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("."):
            # Named only when it could be an article someone saved: ".git", ".DS_Store"
            # and macOS's "._name.txt" shadow files are noise, not a choice to report.
            if entry.suffix.lower() in ARTICLE_SUFFIXES and not entry.name.startswith("._"):
                hidden.append(entry)
            continue
        if entry.is_dir():
            if entry.resolve() in seen:
                continue
            try:
                sub, sub_skipped = _walk(entry, seen, unreadable, hidden)
            except OSError as exc:
                # One locked subfolder (lost+found, another user's drafts) should not
                # sink the articles beside it.
                unreadable.append((str(entry), exc.strerror or type(exc).__name__))
                continue
            files.extend(sub)
            skipped.extend(sub_skipped)
        elif (
            # A regular file: a pipe or a device named like an article would hang the
            # run or fill memory.
            entry.is_file()
            and entry.suffix.lower() in ARTICLE_SUFFIXES
            and entry.stem.lower() not in NOT_ARTICLE_STEMS
        ):
            files.append(entry)
        else:
            skipped.append(entry)
    return files, skipped

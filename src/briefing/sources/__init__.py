"""Ingestion: files, folders or stdin -> cleaned, labelled, de-duplicated Articles.

One module per stage: find the files (``paths``), read one input within the size
limits (``reading``), decode its bytes (``decoding``), split metadata such as front
matter, ``Source:`` line, byline and date line (``metadata``) from the body (``text``,
``html``, ``body``), drop page debris (``debris``), find syndicated copies
(``dedupe``). This module runs them over all inputs and merges the copies.
Only ``paths`` and ``reading`` touch the file system; everything else works on strings.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from briefing.errors import InputError
from briefing.model import ONE_ARTICLE_WARNING, Article, named_warnings
from briefing.progress import ProgressFn, no_progress
from briefing.sources.dedupe import NEAR_DUPLICATE_THRESHOLD, find_duplicates
from briefing.sources.paths import STDIN, expand_paths, printable
from briefing.sources.reading import Loaded, load_content, load_one, to_article, unnamed_text

__all__ = ["LoadResult", "load_articles", "load_texts"]


@dataclass
class LoadResult:
    articles: list[Article]  # labels 1..n in load order, after dedupe
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _shown(path: str) -> str:
    """An input as a run note names it to a reader: its file name, not the absolute path
    (which says where the user keeps files, not which article it was); the article's
    ``duplicates`` keep the full path."""
    if path == STDIN:
        return "standard input"
    if "://" in path:
        return path
    return Path(path).name or path


def _skip_warnings(skipped: dict[str, list[str]]) -> list[str]:
    """The skipped files, by reason: a folder of nine empty files is one line, not nine."""
    lines = []
    for reason, paths in skipped.items():
        literal = reason.replace("{", "{{").replace("}", "}}")
        lines += named_warnings(
            [_shown(p) for p in paths],
            "skipped {name}: " + literal,
            "skipped {count} files ({names}): " + literal,
        )
    return lines


def _iter_loaded(
    paths: Sequence[str],
    stdin: TextIO | None,
    max_chars: int,
    notes: list[str],
    warnings: list[str],
    progress: ProgressFn,
) -> Iterator[Loaded]:
    files, walk_notes, walk_warnings = expand_paths(paths)
    notes.extend(walk_notes)
    warnings.extend(walk_warnings)
    progress("reading", 0, len(files))
    seen: set[str] = set()
    loaded_any = False
    first_skip: InputError | None = None
    skipped: dict[str, list[str]] = {}  # reason -> files skipped for it
    for done, (path, in_folder) in enumerate(files):
        if done:
            progress("reading", done, len(files))
        key = path if path == STDIN else str(Path(path).resolve())
        if key in seen:
            notes.append(f"skipped {path}: given more than once")
            continue
        seen.add(key)
        try:
            loaded = load_one(path, stdin=stdin, max_chars=max_chars)
        except InputError as exc:
            if not in_folder:
                raise
            # One bad file in a folder should not sink the whole run.
            message = str(exc)
            skipped.setdefault(message.removeprefix(f"{path}: "), []).append(path)
            first_skip = first_skip or exc
            continue
        loaded_any = True
        notes.extend(loaded.notes)
        yield loaded
    progress("reading", len(files), len(files))
    warnings.extend(_skip_warnings(skipped))
    if first_skip and not loaded_any:
        raise InputError(
            f"no readable articles in the given folder(s); first problem: {first_skip}"
        )


def _check_max_chars(max_chars: object) -> None:
    if not isinstance(max_chars, int) or isinstance(max_chars, bool):
        raise TypeError(f"max_chars must be a whole number, not {type(max_chars).__name__}")


def load_articles(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    stdin: TextIO | None = None,
    max_chars: int = 2_000_000,
    near_duplicate_threshold: float = NEAR_DUPLICATE_THRESHOLD,
    progress: ProgressFn | None = None,
) -> LoadResult:
    """Load, clean and de-duplicate articles; labels are 1..n in load order.

    ``progress("reading", done, total)`` is called as the files are read."""
    _check_max_chars(max_chars)
    if isinstance(paths, str | os.PathLike):
        paths = [paths]  # one path, not a sequence of one-letter paths
    paths = [os.fspath(p) for p in paths]  # sorted(folder.glob("*.txt")) gives Path objects
    if not paths:
        raise InputError("no input: pass article files, a folder, or - to read stdin")
    notes: list[str] = []
    warnings: list[str] = []
    loaded = list(_iter_loaded(paths, stdin, max_chars, notes, warnings, progress or no_progress))
    if not loaded:
        raise InputError("no readable articles in the given paths; pass .txt, .md or .html files")
    return _merged(loaded, notes, warnings, near_duplicate_threshold)


def load_texts(
    texts: Mapping[str, str | bytes] | Sequence[str | bytes],
    *,
    max_chars: int = 2_000_000,
    near_duplicate_threshold: float = NEAR_DUPLICATE_THRESHOLD,
) -> LoadResult:
    """``load_articles`` for articles held in memory (from a content system, a queue, a
    web form): the same cleaning, metadata, size limits and duplicate merging.

    A mapping's keys name the texts as file names would ("reuters.html" is read as an
    HTML page, its stem can name the outlet); a plain list's texts are "<text 1>"..,
    read as plain text or, when they look like it, as HTML. Bytes get the files'
    encoding detection. A text that is empty or too long raises InputError, naming it.
    """
    if isinstance(texts, str | bytes):
        raise TypeError("load_texts takes a list or a mapping of texts, not one string")
    _check_max_chars(max_chars)
    items = (
        list(texts.items())
        if isinstance(texts, Mapping)
        else [(unnamed_text(i), text) for i, text in enumerate(texts, 1)]
    )
    if not items:
        raise InputError("no input: load_texts was given no texts")
    notes: list[str] = []
    loaded = []
    for name, content in items:
        if not isinstance(content, str | bytes | bytearray):
            raise TypeError(
                f"load_texts takes texts as str or bytes; {name} is "
                f"{type(content).__name__} (for files, use load_articles)"
            )
        if isinstance(content, bytearray):
            content = bytes(content)
        one = load_content(str(name), content, max_chars=max_chars)
        notes.extend(one.notes)
        loaded.append(one)
    return _merged(loaded, notes, [], near_duplicate_threshold)


def _merged(
    loaded: list[Loaded], notes: list[str], warnings: list[str], near_duplicate_threshold: float
) -> LoadResult:
    """Labelled articles from what was read, syndicated copies merged into one source."""
    copies_of: dict[int, list[tuple[int, bool, float]]] = {}
    for dup in find_duplicates(
        [item.parsed.text for item in loaded], threshold=near_duplicate_threshold
    ):
        copies_of.setdefault(dup.of, []).append((dup.index, dup.exact, dup.similarity))
    copy_indexes = {i for group in copies_of.values() for i, _, _ in group}

    articles: list[Article] = []
    for index, item in enumerate(loaded):
        if index in copy_indexes:
            continue
        label = len(articles) + 1
        group = [item] + [loaded[i] for i, _, _ in copies_of.get(index, [])]
        # A truncated first occurrence gives way to the fuller copy so no text is lost;
        # otherwise the first occurrence stays.
        fullest = max(group, key=lambda g: len(g.parsed.text))
        keeper = fullest if len(fullest.parsed.text) > 1.2 * len(item.parsed.text) else item
        article = to_article(keeper, label)
        for other in group:
            if other is not keeper:
                # A copy's own URL says where else it ran; with the same URL (or none)
                # its file path is what tells the user which input was merged.
                url = other.parsed.meta.url
                distinct = url and url != keeper.parsed.meta.url
                article.duplicates.append(url if distinct else other.path)
        for i, exact, sim in copies_of.get(index, []):
            kind = "exact duplicate" if exact else "near-duplicate"
            detail = "same text" if exact else f"{sim:.0%} shared text, likely wire copy"
            notes.append(f"merged {kind} {_shown(loaded[i].path)} into [{label}] ({detail})")
        if keeper is not item:
            notes.append(
                f"[{label}] uses the fuller copy {_shown(keeper.path)} "
                f"in place of {_shown(item.path)}"
            )
        articles.append(article)

    if len(articles) == 1:
        warnings.append(ONE_ARTICLE_WARNING)
    # Loaded paths are printable already; messages built from the names as given are not.
    return LoadResult(
        articles=articles,
        notes=[printable(n) for n in notes],
        warnings=[printable(w) for w in warnings],
    )

"""One input -> one parsed article: read with size limits, decode, repair, parse.

Also the Article record built from it once its label is known.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from briefing.errors import InputError
from briefing.model import Article
from briefing.sources.decoding import decode_bytes, repair_text
from briefing.sources.dedupe import normalise
from briefing.sources.html import is_whole_page, looks_like_html, parse_html_article
from briefing.sources.metadata import ParsedArticle, normalise_date, outlet_from_url
from briefing.sources.paths import (
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    STDIN,
    TEXT_SUFFIXES,
    not_fetched,
    printable,
)
from briefing.sources.text import parse_text_article

# Raw HTML carries scripts and styles; allow it this many times the text limit.
HTML_RAW_FACTOR = 20

Kind = Literal["text", "markdown", "html"]


def human_size(chars: int) -> str:
    """'10.5 MB', '2 MB', '800 KB' (decimal units, as people count characters)."""
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if chars >= scale:
            return f"{chars / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{chars} characters"


def article_id(text: str) -> str:
    """First 12 hex digits of sha256 over the whitespace-normalised, lowercased body."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:12]


def _too_big(path: str, chars: int, max_chars: int) -> InputError:
    # One unit on both sides of "over": "2.1 KB, over the 100 characters limit" reads oddly.
    size, limit = (
        (human_size(chars), human_size(max_chars))
        if max_chars >= 1_000
        else (f"{chars:,} characters", f"{max_chars:,}-character")
    )
    return InputError(
        f"{path}: article is {size}, over the {limit} limit; "
        "pass --max-chars N to raise it or split the file"
    )


@dataclass(frozen=True)
class Loaded:
    path: str
    parsed: ParsedArticle
    notes: tuple[str, ...]


def unnamed_text(index: int) -> str:
    """What an article handed over in memory without a name is called in messages."""
    return f"<text {index}>"


def named(path: str) -> bool:
    """Whether ``path`` is a name that says something (a file, a caller's key), not stdin
    or an unnamed text ("<text 2>"): only a name has a suffix and a stem to read."""
    return path != STDIN and not _UNNAMED.fullmatch(path)


_UNNAMED = re.compile(r"<text \d+>")
# A tag or a comment: "<p", "</div", "<!DOCTYPE".
_MARKUP = re.compile(r"<[A-Za-z!/]")
# A line that is nothing but a web address.
_URL_LINE = re.compile(r"\s*(?:<\s*)?https?://\S+\s*$", re.IGNORECASE)


def _kind_for(path: str, text: str, notes: list[str]) -> Kind:
    suffix = Path(path).suffix.lower() if named(path) else ""
    if suffix in TEXT_SUFFIXES and is_whole_page(text):
        # A page saved as "article.txt": read as text, its markup would become the headline.
        notes.append(f"read {path} as a web page (it opens with <html>, though named {suffix})")
        return "html"
    if suffix in HTML_SUFFIXES and not _MARKUP.search(text):
        # Text saved under a page's name: as a page it would have no article in it.
        notes.append(f"read {path} as plain text (it holds no HTML markup, though named {suffix})")
        return "text"
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(text)):
        return "html"
    return "markdown" if suffix in MARKDOWN_SUFFIXES else "text"


def _decoded(path: str, data: bytes, max_chars: int) -> tuple[str, list[str]]:
    if len(data) > max_chars * 4 * HTML_RAW_FACTOR:  # more bytes than any article could need
        raise _too_big(path, len(data), max_chars)
    text, note = decode_bytes(data, path)
    return text, [note] if note else []


def _read_input(path: str, stdin: TextIO | None, max_chars: int) -> tuple[str, list[str]]:
    if path == STDIN:
        # Bytes, not the terminal's text decoding: piped articles get the same encoding
        # detection, binary check and size limit as files.
        source = stdin or sys.stdin
        data = source.buffer.read() if hasattr(source, "buffer") else source.read().encode()
        return _decoded(path, data, max_chars)
    p = Path(path)
    limit = max_chars * 4 * HTML_RAW_FACTOR
    try:
        size = p.stat().st_size
        if size > limit:  # checked before reading a huge file in
            raise _too_big(path, size, max_chars)
        # Read no more than the limit: a device or a pipe (/dev/zero, <(command)) has no
        # size to check first.
        with p.open("rb") as f:
            data = f.read(limit + 1)
        if len(data) > limit:
            raise _too_big(path, len(data), max_chars)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read the file ({exc.strerror}); check permissions"
        ) from None
    return _decoded(path, data, max_chars)


def load_one(path: str, *, stdin: TextIO | None = None, max_chars: int = 2_000_000) -> Loaded:
    raw, notes = _read_input(path, stdin, max_chars)
    return _parsed(path, raw, notes, max_chars)


def load_content(name: str, content: str | bytes, *, max_chars: int = 2_000_000) -> Loaded:
    """An article held in memory, read as a file called ``name`` would be: bytes get the
    same encoding detection and binary check, and a name ending in .html is a page."""
    if isinstance(content, bytes):
        raw, notes = _decoded(name, content, max_chars)
    else:
        raw, notes = content, []
    return _parsed(name, raw, notes, max_chars)


# What briefing's own Markdown, HTML and e-mail pages carry near their top: read back in
# (an output folder inside the input folder, `briefing build .` run twice) a briefing
# would be merged with the articles as a "source" that backs everything they say.
_OWN_OUTPUT = re.compile(
    r'<meta name="generator" content="briefing">'
    r"|^\*Generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC from \d+ sources? · engine: ",
    re.MULTILINE,
)


def _parsed(path: str, raw: str, notes: list[str], max_chars: int) -> Loaded:
    # The file is read: from here on its name is only shown, with undecodable bytes as
    # U+FFFD (a Latin-1 name cannot be written to UTF-8 output).
    path = printable(path)
    if not raw.strip():
        if path == STDIN:
            raise InputError("-: stdin is empty; pipe an article in or pass article files")
        raise InputError(f"{path}: the file is empty; pass a file that holds the article text")
    lines = [line for line in raw.splitlines() if line.strip()]
    if all(_URL_LINE.match(line) for line in lines):
        raise not_fetched(
            f"{path} holds only web addresses ({len(lines)})", "each page", "those files"
        )
    if _OWN_OUTPUT.search(raw, 0, 4000):
        raise InputError(
            f"{path}: a briefing written by this tool, not an article; leave it out "
            "(keep the output folder, -o, outside the input folder)"
        )
    kind = _kind_for(path, raw, notes)
    limit = max_chars * HTML_RAW_FACTOR if kind == "html" else max_chars
    if len(raw) > limit:
        raise _too_big(path, len(raw), max_chars)
    text = repair_text(raw)
    if normalise(text) != normalise(unicodedata.normalize("NFC", raw)):
        notes.append(f"repaired mis-encoded characters in {path}")
    stem = Path(path).stem if named(path) else None
    if kind == "html":
        parsed = parse_html_article(text, path=path)
    else:
        parsed = parse_text_article(text, stem=stem, markdown=kind == "markdown")
    if not parsed.text.strip():
        raise InputError(
            f"{path}: the file is empty (no article text besides the title, metadata "
            "and page debris); pass a file that holds the article text"
        )
    if len(parsed.text) > max_chars:
        raise _too_big(path, len(parsed.text), max_chars)
    return Loaded(path=path, parsed=parsed, notes=tuple(notes))


def to_article(loaded: Loaded, label: int) -> Article:
    parsed, meta = loaded.parsed, loaded.parsed.meta
    stem = Path(loaded.path).stem if named(loaded.path) else None
    return Article(
        id=article_id(parsed.text),
        label=label,
        title=parsed.title,
        text=parsed.text,
        outlet=meta.outlet or outlet_from_url(meta.url) or meta.agency or _stem_as_outlet(stem),
        author=meta.author,
        # Saved articles are often named by date ("reuters_2024-02-03_strikes"), and a date
        # lets the timeline resolve "on Friday" in an article that prints none.
        date=meta.date or normalise_date(stem),
        url=meta.url,
        path=loaded.path,
    )


def _stem_as_outlet(stem: str | None) -> str | None:
    """A file name says who published only when it has words in it: 'reuters-strikes' does,
    '000_2c1bda8509d8e29c' (an id or a hash) does not, and showing it as an outlet misleads."""
    if not stem or not re.search(r"[a-z]{3,}", re.sub(r"[0-9a-f]{8,}", "", stem.lower())):
        return None
    return stem

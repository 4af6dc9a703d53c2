"""Ingestion: files, folders or stdin -> cleaned, labelled, de-duplicated Articles.

Each stage is a small function: find the files, read and decode the bytes, split
metadata (front matter, ``Source:`` line, byline, date line) from the body, drop page
debris (``briefing.debris``), then merge syndicated copies (``briefing.dedupe``).
Only ``load_articles`` touches the file system; everything else works on strings.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, TextIO
from urllib.parse import urlsplit

from briefing.debris import clean_lines, is_debris
from briefing.dedupe import find_duplicates, normalise
from briefing.errors import InputError
from briefing.model import Article

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES

STDIN = "-"
# Folder entries with these stems describe the folder; they are not articles.
NOT_ARTICLE_STEMS = frozenset({"readme", "license", "licence", "changelog", "contributing"})
# Raw HTML carries scripts and styles; allow it this many times the text limit.
HTML_RAW_FACTOR = 20
# An HTML page whose extracted text is shorter than this holds no article.
MIN_HTML_WORDS = 25
# A first line this long is a paragraph, not a title.
MAX_TITLE_CHARS = 250
HEADER_SCAN_LINES = 12

Kind = Literal["text", "markdown", "html"]


@dataclass
class LoadResult:
    articles: list[Article]  # labels 1..n in load order, after dedupe
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    date: str | None = None
    agency: str | None = None  # "Reuters" in "By Jane Doe, Reuters"; an outlet of last resort


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    text: str
    meta: Metadata


# --------------------------------------------------------------------------- sizes, ids


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
    return InputError(
        f"{path}: article is {human_size(chars)}, over the {human_size(max_chars)} limit; "
        "pass --max-chars N to raise it or split the file"
    )


# --------------------------------------------------------------------------- finding files


def expand_paths(paths: Sequence[str]) -> tuple[list[tuple[str, bool]], list[str]]:
    """(path, found_in_folder) for every input, folders walked recursively in sorted order.

    Hidden files and folders are skipped, and so are folder entries that are not
    article files. Explicit files are kept whatever their extension.
    """
    found: list[tuple[str, bool]] = []
    notes: list[str] = []
    for given in paths:
        if given == STDIN:
            found.append((STDIN, False))
            continue
        p = Path(given)
        if p.is_dir():
            try:
                files, skipped = _walk(p)
            except OSError as exc:
                raise InputError(
                    f"{given}: cannot read the folder ({exc.strerror}); check permissions"
                ) from None
            if not files:
                raise InputError(
                    f"{given}: no .txt, .md or .html files in this folder; "
                    "pass a folder of articles or the files themselves"
                )
            if skipped:
                noun = "file" if skipped == 1 else "files"
                notes.append(
                    f"skipped {skipped} {noun} in {given} that are not articles "
                    "(README, or not .txt/.md/.html)"
                )
            found.extend((str(f), True) for f in files)
        elif p.exists():
            found.append((given, False))
        else:
            raise InputError(f"{given}: no such file or directory")
    return found, notes


def _walk(folder: Path) -> tuple[list[Path], int]:
    files: list[Path] = []
    skipped = 0
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            sub, sub_skipped = _walk(entry)
            files.extend(sub)
            skipped += sub_skipped
        elif (
            entry.suffix.lower() in ARTICLE_SUFFIXES and entry.stem.lower() not in NOT_ARTICLE_STEMS
        ):
            files.append(entry)
        else:
            skipped += 1
    return files, skipped


# --------------------------------------------------------------------------- decoding

_C1 = re.compile("[\x80-\x9f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def looks_binary(data: bytes) -> bool:
    """NUL bytes (outside UTF-16) or many control bytes in the first 8 KB."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if (b < 0x20 and b not in b"\t\n\r\f") or b == 0x7F)
    return controls > len(head) * 0.02


def decode_bytes(data: bytes, path: str) -> tuple[str, str | None]:
    """(text, note) from raw bytes: UTF-8 (BOM ok), UTF-16 with BOM, else Windows-1252.

    Latin-1 is never a fallback: it decodes anything, turning junk into C1 controls.
    cp1252 fails exactly on the bytes latin-1 would map to C1, so when cp1252 fails
    the input is not text in any encoding we can name.
    """
    binary = InputError(
        f"{path}: looks like a binary file, not an article; pass .txt, .md or .html files"
    )
    if looks_binary(data):
        raise binary
    note = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise InputError(
                    f"{path}: cannot tell the text encoding (not UTF-8 or Windows-1252); "
                    "save the file as UTF-8"
                ) from None
            note = f"read {path} as Windows-1252 (it is not UTF-8)"
    if _mostly_not_text(text):
        raise binary
    return text, note


def _mostly_not_text(text: str) -> bool:
    sample = text[:8192]
    if not sample.strip():
        return False
    if len(_CONTROL.findall(sample)) + len(_C1.findall(sample)) > len(sample) * 0.02:
        return True
    texty = sum(1 for ch in sample if ch.isalnum() or ch.isspace() or ch in ".,;:'\"!?()-")
    return texty < len(sample) * 0.7


def repair_text(text: str) -> str:
    """Normalise line ends and Unicode, and undo mojibake such as 'â€™' for '’'."""
    import ftfy

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    config = ftfy.TextFixerConfig(
        unescape_html=False,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        explain=False,
    )
    return ftfy.fix_text(text, config)


# --------------------------------------------------------------------------- dates, urls

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?",
        rf"\b{_MONTH}\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b",
        rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH},?\s+(?P<y>\d{{4}})\b",
        r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})\b",
        r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b",
    )
)


def _find_date(text: str) -> tuple[str, re.Match[str]] | None:
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            iso = _iso_from_match(m)
            if iso:
                return iso, m
    return None


def _iso_from_match(m: re.Match[str]) -> str | None:
    parts = m.groupdict()
    year = int(parts["y"])
    if parts.get("mon"):
        month = _MONTHS[parts["mon"].lower()]
        day = int(parts["d"])
    elif parts.get("a"):
        # Slashed dates: US month/day order unless the first number cannot be a month.
        a, b = int(parts["a"]), int(parts["b"])
        month, day = (b, a) if a > 12 else (a, b)
    else:
        month, day = int(parts["m"]), int(parts["d"])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def normalise_date(value: str | None) -> str | None:
    """ISO YYYY-MM-DD from 'February 4, 2024', '4 February 2024', '2024-02-04T10:00Z' ..."""
    if not value:
        return None
    found = _find_date(value.strip())
    return found[0] if found else None


def outlet_from_url(url: str | None) -> str | None:
    """'https://www.harbourtimes.example/x' -> 'harbourtimes.example'."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    for prefix in ("www.", "m.", "amp."):
        host = host.removeprefix(prefix)
    return host or None


# --------------------------------------------------------------------------- metadata lines

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_SOURCE_LINE = re.compile(
    r"(?:source|url|link|original(?:ly published)?(?: at)?)\s*:\s*(?P<value>.+)", re.IGNORECASE
)
_BYLINE = re.compile(r"by\s+(?P<rest>.+)", re.IGNORECASE)
_NAME_WORD = re.compile(r"[A-Z\u00c0-\u024f][\w.'’-]*|[A-Z]\.")
_NAME_JOINERS = frozenset(
    {"and", "&", "de", "da", "del", "der", "van", "von", "al", "el", "bin", "la", "le", "du"}
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DATE_LINE_NOISE = re.compile(
    rf"\b(?:first |last )?(?:published|updated|modified|posted|dated?)\b:?|\b{_WEEKDAY}\b"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\b(?:gmt|utc|est|edt|cet|cest|bst|pst|pdt|et)\b"
    r"|[+-]\d{2}:?\d{2}\b|\b(?:on|at)\b|[|,/:()\-–—•·]",
    re.IGNORECASE,
)
_TITLE_SUFFIX = re.compile(r"\s*\(title derived from url\)\s*$", re.IGNORECASE)
_FRONT_MATTER_KEYS = {
    "title": "title",
    "headline": "title",
    "outlet": "outlet",
    "site": "outlet",
    "site_name": "outlet",
    "sitename": "outlet",
    "publisher": "outlet",
    "source": "source",
    "author": "author",
    "authors": "author",
    "byline": "author",
    "by": "author",
    "date": "date",
    "published": "date",
    "published_at": "date",
    "url": "url",
    "link": "url",
    "source_url": "url",
    "canonical": "url",
}


def parse_front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Simple ``key: value`` front matter between ``---`` lines; unknown keys ignored."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return {}, lines
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        target = _FRONT_MATTER_KEYS.get(key.strip().lower())
        value = value.strip().strip("\"'").strip()
        if sep and target and value:
            meta.setdefault(target, value)
    if "source" in meta:  # "source:" is a URL in some tools and an outlet name in others
        source = meta.pop("source")
        meta.setdefault("url" if _URL.fullmatch(source) else "outlet", source)
    return meta, lines[end + 1 :]


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    return name.title() if name.isupper() else name


def _looks_like_name(text: str) -> bool:
    words = text.replace(",", " ").split()
    if not 1 <= len(words) <= 6:
        return False
    return all(_NAME_WORD.fullmatch(w) or w.lower() in _NAME_JOINERS for w in words) and bool(
        _NAME_WORD.fullmatch(words[0])
    )


def parse_byline(line: str) -> tuple[str, str | None, str | None] | None:
    """(author, agency, iso_date) from 'By Jane Doe', 'By Jane Doe, Reuters',
    'By Jane Doe / February 2, 2024 at 6:31 PM'; None if the line is not a byline."""
    s = line.strip()
    m = _BYLINE.fullmatch(s)
    if not m or len(s) > 120 or s.endswith((".", "!", "?")):
        return None
    pieces = [p.strip() for p in re.split(r"\s+[/|–—-]\s+|,\s+|;\s+", m["rest"]) if p.strip()]
    if not pieces or not _looks_like_name(pieces[0]):
        return None
    author, agency, iso = _clean_name(pieces[0]), None, None
    for piece in pieces[1:]:
        found = normalise_date(piece)
        if found:
            iso = iso or found
        elif agency is None and _looks_like_name(piece):
            agency = _clean_name(piece)
    if iso is None:
        iso = normalise_date(m["rest"])
    return author, agency, iso


def parse_date_line(line: str) -> tuple[str, str | None] | None:
    """(iso_date, author) for a line that is only a date ('Published: March 11, 2025',
    'Feb. 3, 2024 - 10:53 By Yonhap', '2024-02-05T19:54+0000'); None otherwise."""
    s = line.strip()
    if len(s) > 120:
        return None
    found = _find_date(s)
    if not found:
        return None
    iso, m = found
    rest = s[: m.start()] + " " + s[m.end() :]
    author = None
    by = re.search(r"\bby\s+.+$", rest, re.IGNORECASE)
    if by:
        byline = parse_byline(by.group(0))
        if byline is None:
            return None
        author = byline[0]
        rest = rest[: by.start()]
    if _DATE_LINE_NOISE.sub(" ", rest).strip(" .\t"):
        return None
    return iso, author


def _source_value(line: str) -> tuple[str | None, str | None] | None:
    """(url, agency) for a 'Source: ...' line; None if the line is not one."""
    m = _SOURCE_LINE.fullmatch(line.strip())
    if not m:
        return None
    value = m["value"].strip()
    url = _URL.match(value)
    if url:
        return url.group(0).rstrip(").,;"), None
    if len(value) <= 60 and not value.endswith("."):
        return None, value
    return None


# --------------------------------------------------------------------------- body text

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"!\[[^\]]*\]\([^)]*\)", ""),
        (r"\[([^\]]+)\]\([^)]*\)", r"\1"),
        (r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2"),
        (r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"\1"),
        (r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])", r"\1"),
        (r"`([^`]+)`", r"\1"),
        (r"^\s{0,3}#{1,6}\s+", ""),
        (r"^\s*>\s?", ""),
        (r"^\s*(?:[-*+]|\d+[.)])\s+", ""),
        (r"\s+#+\s*$", ""),
    )
)
_MD_RULE_LINE = re.compile(r"\s*(?:-{3,}|\*{3,}|_{3,})\s*")


def strip_markdown(line: str) -> str:
    """Plain text of one Markdown line (links keep their text, images go)."""
    if _MD_RULE_LINE.fullmatch(line):
        return ""
    for pattern, repl in _MD_RULES:
        line = pattern.sub(repl, line)
    return line


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when long lines look like a fixed-width wrap rather than one line per paragraph."""
    long = [ln for ln in lines if len(ln) > 40]
    if len(long) < 4:
        return False
    return max(len(ln) for ln in long) <= 100 and any(not ln.strip() for ln in lines)


def build_paragraphs(lines: list[str]) -> str:
    """Body text: one paragraph per line, blank line between paragraphs.

    Hard-wrapped files (every line <= 100 chars, blank lines between blocks) get each
    block joined back into one paragraph.
    """
    lines = [" ".join(ln.replace("\u00a0", " ").split()) for ln in lines]
    paragraphs: list[str] = []
    if _is_hard_wrapped(lines):
        block: list[str] = []
        for line in [*lines, ""]:
            if line:
                block.append(line)
            elif block:
                paragraphs.append(" ".join(block))
                block = []
    else:
        paragraphs = [ln for ln in lines if ln]
    return "\n\n".join(paragraphs)


def _same_text(a: str, b: str) -> bool:
    return normalise(re.sub(r"[^\w\s]", "", a)) == normalise(re.sub(r"[^\w\s]", "", b))


def drop_repeats_and_dates(lines: list[str], title: str | None) -> tuple[list[str], str | None]:
    """Body lines without repeats of the title and lone date/timestamp lines.

    Pages repeat the headline over photos and sprinkle timestamps; neither is a claim.
    Returns the first such date too, as a fallback publication date.
    """
    kept: list[str] = []
    first_date: str | None = None
    for line in lines:
        if title and _same_text(re.sub(r"\s+\d{1,4}$", "", line), title):
            continue
        dated = parse_date_line(line) if line.strip() else None
        if dated:
            first_date = first_date or dated[0]
            continue
        kept.append(line)
    return kept, first_date


def _is_sentence(line: str) -> bool:
    return len(line.split()) >= 8 and line.rstrip("\"'”’)").endswith((".", "!", "?"))


def _fallback_title(text: str) -> str:
    first = text.split("\n", 1)[0]
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) <= 100:
        return sentence
    return sentence[:100].rsplit(" ", 1)[0] + "…"


def parse_text_article(text: str, *, stem: str | None, markdown: bool = False) -> ParsedArticle:
    """Title, body and metadata of a plain-text or Markdown article.

    Layout understood: optional front matter; a title line (or ``# heading``); then a
    header of ``Source: URL``, byline and date lines, in any order, possibly with debris
    or a repeat of the title; then the body. Raises nothing: an empty body is the
    caller's to report.
    """
    fm, lines = parse_front_matter(text.split("\n"))
    title = fm.get("title")
    url, author, when, agency = (
        fm.get("url"),
        fm.get("author"),
        normalise_date(fm.get("date")),
        None,
    )
    title_seen = title is not None
    title_from_text = False
    body_start = len(lines)
    scanned = 0
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if scanned >= HEADER_SCAN_LINES:
            body_start = i
            break
        scanned += 1
        plain = _TITLE_SUFFIX.sub("", _HEADING.sub("", line)).strip()
        if is_debris(line):
            continue
        if title and _same_text(plain, title):
            continue
        source = _source_value(line)
        if source:
            url = url or source[0]
            agency = agency or source[1]
            continue
        byline = parse_byline(line.lstrip("•·*- \t"))
        if byline:
            author = author or byline[0]
            agency = agency or byline[1]
            when = when or byline[2]
            continue
        dated = parse_date_line(line.lstrip("•·*- \t"))
        if dated:
            when = when or dated[0]
            author = author or dated[1]
            continue
        if not title_seen and len(plain) <= MAX_TITLE_CHARS and plain:
            title, title_seen, title_from_text = plain, True, True
            continue
        body_start = i
        break
    body_lines = lines[body_start:]
    if markdown:
        body_lines = [strip_markdown(ln) for ln in body_lines]
    body_lines, body_date = drop_repeats_and_dates(
        clean_lines(body_lines, title=title or ""), title
    )
    when = when or body_date
    body = build_paragraphs(body_lines)
    if not body and title_from_text and title and _is_sentence(title):
        # A lone paragraph (pasted on stdin, say) is the article, not its title.
        body, title = title, None
    if not title:
        title = _fallback_title(body) if body else (stem or "Untitled")
    meta = Metadata(
        title=title,
        url=url,
        outlet=fm.get("outlet"),
        author=author,
        date=when,
        agency=agency,
    )
    return ParsedArticle(title=title, text=body, meta=meta)


def parse_html_article(html: str, *, path: str) -> ParsedArticle:
    """Main text and metadata of an HTML page through trafilatura."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_images=False
    )
    no_article = InputError(
        f"{path}: no article text found in this HTML page; "
        "save the article page itself, or paste its text into a .txt file"
    )
    if doc is None:
        raise no_article
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = _TITLE_SUFFIX.sub("", (data.get("title") or "").strip())
    lines = (data.get("text") or "").split("\n")
    author, when = data.get("author") or None, normalise_date(data.get("date"))
    # Bylines and date lines that the extractor kept at the top of the text.
    while lines:
        head = lines[0].strip()
        byline = parse_byline(head) if head else None
        dated = parse_date_line(head) if head and not byline else None
        if head and not byline and not dated and not (title and _same_text(head, title)):
            break
        author = author or (byline[0] if byline else dated[1] if dated else None)
        when = when or (byline[2] if byline else dated[0] if dated else None)
        lines.pop(0)
    body_lines, _ = drop_repeats_and_dates(clean_lines(lines, title=title), title)
    body = build_paragraphs(body_lines)
    words = body.split()
    if (
        len(words) < MIN_HTML_WORDS
        or max((len(p.split()) for p in body.split("\n\n")), default=0) < 10
    ):
        raise no_article
    url = data.get("url") or None
    meta = Metadata(
        title=title or None,
        url=url,
        outlet=data.get("sitename") or None,
        author=author,
        date=when,
    )
    return ParsedArticle(title=title or _fallback_title(body), text=body, meta=meta)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


# --------------------------------------------------------------------------- one input


@dataclass(frozen=True)
class _Loaded:
    path: str
    parsed: ParsedArticle
    notes: tuple[str, ...]


def _kind_for(path: str, text: str) -> Kind:
    suffix = Path(path).suffix.lower() if path != STDIN else ""
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(text)):
        return "html"
    return "markdown" if suffix in MARKDOWN_SUFFIXES else "text"


def _read_input(path: str, stdin: TextIO | None, max_chars: int) -> tuple[str, list[str]]:
    if path == STDIN:
        return (stdin or sys.stdin).read(), []
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_chars * 4 * HTML_RAW_FACTOR:  # more bytes than any article could need
            raise _too_big(path, size, max_chars)
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read the file ({exc.strerror}); check permissions"
        ) from None
    text, note = decode_bytes(data, path)
    return text, [note] if note else []


def _load_one(path: str, *, stdin: TextIO | None = None, max_chars: int = 2_000_000) -> _Loaded:
    raw, notes = _read_input(path, stdin, max_chars)
    if not raw.strip():
        if path == STDIN:
            raise InputError("-: stdin is empty; pipe an article in or pass article files")
        raise InputError(f"{path}: the file is empty; pass a file that holds the article text")
    kind = _kind_for(path, raw)
    limit = max_chars * HTML_RAW_FACTOR if kind == "html" else max_chars
    if len(raw) > limit:
        raise _too_big(path, len(raw), max_chars)
    text = repair_text(raw)
    if normalise(text) != normalise(unicodedata.normalize("NFC", raw)):
        notes.append(f"repaired mis-encoded characters in {path}")
    stem = None if path == STDIN else Path(path).stem
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
    return _Loaded(path=path, parsed=parsed, notes=tuple(notes))


def _to_article(loaded: _Loaded, label: int) -> Article:
    parsed, meta = loaded.parsed, loaded.parsed.meta
    stem = None if loaded.path == STDIN else Path(loaded.path).stem
    return Article(
        id=article_id(parsed.text),
        label=label,
        title=parsed.title,
        text=parsed.text,
        outlet=meta.outlet or outlet_from_url(meta.url) or meta.agency or stem,
        author=meta.author,
        date=meta.date,
        url=meta.url,
        path=loaded.path,
    )


# --------------------------------------------------------------------------- everything


def _iter_loaded(
    paths: Sequence[str],
    stdin: TextIO | None,
    max_chars: int,
    notes: list[str],
    warnings: list[str],
) -> Iterator[_Loaded]:
    files, walk_notes = expand_paths(paths)
    notes.extend(walk_notes)
    seen: set[str] = set()
    loaded_any = False
    first_skip: InputError | None = None
    for path, in_folder in files:
        key = path if path == STDIN else str(Path(path).resolve())
        if key in seen:
            notes.append(f"skipped {path}: given more than once")
            continue
        seen.add(key)
        try:
            loaded = _load_one(path, stdin=stdin, max_chars=max_chars)
        except InputError as exc:
            if not in_folder:
                raise
            # One bad file in a folder should not sink the whole run.
            warnings.append(f"skipped {exc}")
            first_skip = first_skip or exc
            continue
        loaded_any = True
        notes.extend(loaded.notes)
        yield loaded
    if first_skip and not loaded_any:
        raise InputError(
            f"no readable articles in the given folder(s); first problem: {first_skip}"
        )


def load_articles(
    paths: Sequence[str],
    *,
    stdin: TextIO | None = None,
    max_chars: int = 2_000_000,
    near_duplicate_threshold: float = 0.9,
) -> LoadResult:
    """Load, clean and de-duplicate articles; labels are 1..n in load order."""
    if not paths:
        raise InputError("no input: pass article files, a folder, or - to read stdin")
    notes: list[str] = []
    warnings: list[str] = []
    loaded = list(_iter_loaded(paths, stdin, max_chars, notes, warnings))
    if not loaded:
        raise InputError("no readable articles in the given paths; pass .txt, .md or .html files")

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
        article = _to_article(keeper, label)
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
            notes.append(f"merged {kind} {loaded[i].path} into [{label}] ({detail})")
        if keeper is not item:
            notes.append(f"[{label}] uses the fuller copy {keeper.path} in place of {item.path}")
        articles.append(article)

    if len(articles) == 1:
        warnings.append("one article only: divergences need two or more articles")
    return LoadResult(articles=articles, notes=notes, warnings=warnings)

"""Article metadata from text: front matter, ``Source:`` lines, bylines, date lines.

Also the shared shapes a parser returns (``Metadata``, ``ParsedArticle``), date
normalisation to ISO and the outlet name from a URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit


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


# --------------------------------------------------------------------------- dates, urls

# Month names and abbreviations as news copy writes them, lowercased -> month number.
MONTH_NUMBERS: dict[str, int] = {
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
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
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
        month = MONTH_NUMBERS[parts["mon"].lower()]
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
TITLE_SUFFIX = re.compile(r"\s*\(title derived from url\)\s*$", re.IGNORECASE)
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


def parse_source_line(line: str) -> tuple[str | None, str | None] | None:
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

"""Plain-text and Markdown articles: title, header lines, body."""

from __future__ import annotations

import html
import re

from briefing.sources.body import (
    build_paragraphs,
    drop_repeats_and_dates,
    fallback_title,
    same_text,
)
from briefing.sources.debris import clean_lines, comment_prefix_date, is_debris
from briefing.sources.metadata import (
    TITLE_SUFFIX,
    Metadata,
    ParsedArticle,
    normalise_date,
    parse_byline,
    parse_date_line,
    parse_front_matter,
    parse_source_line,
)

# A first line this long is a paragraph, not a title.
MAX_TITLE_CHARS = 250
HEADER_SCAN_LINES = 12

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


# A complete character reference: "&amp;", "&#8217;", "&#x2019;". Only these are decoded:
# html.unescape alone also reads "&copy" in "&copyright" as a reference.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(line: str) -> str:
    """ "AT&amp;T" -> "AT&T": text copied out of a CMS or a feed keeps its HTML entities,
    which a reader would otherwise see in every output. Unknown names stay as written."""
    return _ENTITY.sub(lambda m: html.unescape(m.group()).replace("\xa0", " "), line)


def _is_sentence(line: str) -> bool:
    return len(line.split()) >= 8 and line.rstrip("\"'”’)").endswith((".", "!", "?"))


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
        plain = TITLE_SUFFIX.sub("", _HEADING.sub("", line)).strip()
        if is_debris(line):
            continue
        if title and same_text(plain, title):
            continue
        source = parse_source_line(line)
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
        if not title_seen and _is_sentence(plain) and not _HEADING.match(line):
            # Prose, not a headline ("Nearly 20 civilians were killed ..., officials
            # said."): the article has no title line, and this is its lede, which a
            # title taken from it would have dropped from the text.
            body_start = i
            break
        if not title_seen and len(plain) <= MAX_TITLE_CHARS and plain:
            title, title_seen = plain, True
            continue
        body_start = i
        break
    body_lines = lines[body_start:]
    lede = next((ln for ln in body_lines if ln.strip()), "")
    when = when or comment_prefix_date(lede)
    if markdown:
        body_lines = [strip_markdown(ln) for ln in body_lines]
    body_lines = [decode_entities(ln) for ln in body_lines]
    title = decode_entities(title) if title else title
    body_lines, body_date = drop_repeats_and_dates(
        clean_lines(body_lines, title=title or ""), title
    )
    when = when or body_date
    body = build_paragraphs(body_lines)
    if not title:
        title = fallback_title(body) if body else (stem or "Untitled")
    meta = Metadata(
        title=title,
        url=url,
        outlet=fm.get("outlet"),
        author=author,
        date=when,
        agency=agency,
    )
    return ParsedArticle(title=title, text=body, meta=meta)

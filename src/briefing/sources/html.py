"""HTML pages: main text and metadata through trafilatura (imported lazily)."""

from __future__ import annotations

from typing import Any

from briefing.errors import InputError
from briefing.sources.body import (
    build_paragraphs,
    drop_repeats_and_dates,
    fallback_title,
    same_text,
)
from briefing.sources.debris import clean_lines
from briefing.sources.metadata import (
    TITLE_SUFFIX,
    Metadata,
    ParsedArticle,
    normalise_date,
    parse_byline,
    parse_date_line,
)

# An HTML page whose extracted text is shorter than this holds no article.
MIN_HTML_WORDS = 25


def parse_html_article(html: str, *, path: str) -> ParsedArticle:
    """Main text and metadata of an HTML page through trafilatura."""
    import trafilatura

    def extract(markup: Any) -> Any:
        return trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_images=False
        )

    doc = extract(html)
    if doc is None and "<body" not in html.lower():
        # A fragment ("<p>...</p>", copied from a page's source) has no tree trafilatura
        # reads until it stands in a body.
        doc = extract(f"<html><body>{html}</body></html>")
    if doc is None:
        # libxml2 stops at 256 nested elements unless told otherwise: old pages that never
        # close their <font> or <div> tags go deeper. Parsed here with the limit raised
        # (to libxml2's 2,048) and handed to trafilatura as a tree.
        tree = _deep_tree(html)
        doc = extract(tree) if tree is not None else None
    no_article = InputError(
        f"{path}: no article text found in this HTML page; "
        "save the article page itself, or paste its text into a .txt file"
    )
    if doc is None:
        raise no_article
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = TITLE_SUFFIX.sub("", (data.get("title") or "").strip())
    lines = (data.get("text") or "").split("\n")
    author, when = data.get("author") or None, normalise_date(data.get("date"))
    # Bylines and date lines that the extractor kept at the top of the text.
    while lines:
        head = lines[0].strip()
        byline = parse_byline(head) if head else None
        dated = parse_date_line(head) if head and not byline else None
        if head and not byline and not dated and not (title and same_text(head, title)):
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
    return ParsedArticle(title=title or fallback_title(body), text=body, meta=meta)


def is_whole_page(text: str) -> bool:
    """A saved web page, whatever its file is called: it opens with the doctype or <html>."""
    return text.lstrip()[:100].lower().startswith(("<!doctype html", "<html"))


def looks_like_html(text: str) -> bool:
    return is_whole_page(text) or "<body" in text.lstrip()[:1000].lower()


def _deep_tree(html: str) -> Any:
    """``html`` as an lxml tree, parsed as trafilatura parses it but with libxml2's depth
    limit raised; None when even that cannot parse it."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True,
        huge_tree=True,
    )  # fmt: skip
    try:
        return lxml.html.fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None

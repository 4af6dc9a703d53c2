"""The briefing as Markdown: the main human-readable output and the source of the web page.

Article-derived text is escaped twice over: ``<``, ``>`` and entity-like ``&``
become HTML entities (python-markdown passes raw HTML straight through) and
Markdown punctuation gets a backslash, so a title such as
``[click](javascript:alert(1))`` or ``<script>`` stays inert text both in the
.md file and in any HTML made from it. Citation labels link to the source URL
through reference definitions at the end (``[[1]][s1]`` ... ``[s1]: https://...``),
which keeps the running text readable; only http(s) URLs are ever linked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Briefing, Citation, Divergence, Point, SourceRef
from . import content as c

# Python-markdown honours backslash escapes for exactly these; GitHub/CommonMark honour
# them for all ASCII punctuation. ``|`` is escaped only inside table cells (``_cell``),
# where it would end the cell, so a headline's "Title | Outlet" reads as written elsewhere.
_MD_PUNCT = re.compile(r"([\\`*_\[\]#{}])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LIST_START = re.compile(r"^(\d+)([.)])")


def escape(text: str | None) -> str:
    """One line of article text made inert for Markdown and for the HTML made from it."""
    return _not_a_list(_inert(c.one_line(text)))


def _cell(markdown: str) -> str:
    """Markdown made safe inside a table cell (the tables extension honours ``\\|``)."""
    return markdown.replace("|", "\\|")


def _not_a_list(text: str) -> str:
    # At the start of a line or list item these would open a (nested) list.
    if text[:1] in ("-", "+"):
        text = "\\" + text
    return _LIST_START.sub(r"\1\\\2", text)


def _inert(text: str) -> str:
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MD_PUNCT.sub(r"\\\1", text)


def _ref_id(label: str) -> str:
    return "s" + label.strip("[]")


def cite_labels(briefing: Briefing, citations: Iterable[Citation]) -> str:
    """'[[1]][s1][[3]][s3]': each a link to its source's web address, or to the Sources
    section for a source without an http(s) URL (see ``_link_definitions``); an id the
    briefing does not list stays text, '\\[?\\]'."""
    return "".join(cite_label(cite) for cite in c.cites(briefing, citations))


def cite_label(cite: c.Cite) -> str:
    if cite.href:
        return f"[{cite.label}][{_ref_id(cite.label)}]"
    # Escaped, or '[2][[3]][s3]' would confuse the reference-link parser.
    return escape(cite.label)


def _with_cites(briefing: Briefing, text: str, citations: Iterable[Citation]) -> str:
    labels = cite_labels(briefing, citations)
    return f"{escape(text)} {labels}".rstrip()


def _point(briefing: Briefing, point: Point) -> str:
    return " ".join(_with_cites(briefing, s.text, s.citations) for s in c.sentences_of(point))


def _header(b: Briefing) -> list[str]:
    lines = [f"# {escape(b.headline) or 'Briefing'}", "", f"*{escape(c.meta_line(b))}*", ""]
    warnings = c.run_warnings(b)
    if warnings:
        lines += ["**Warnings:** " + "; ".join(escape(w) for w in warnings), ""]
    return lines


def _run_notes(b: Briefing) -> list[str]:
    notes = c.run_notes(b)
    return ["**Run notes:** " + "; ".join(escape(n) for n in notes), ""] if notes else []


def _bullets(items: list[str], empty: str) -> list[str]:
    return [f"- {item}" for item in items] if items else [empty]


def _points(b: Briefing) -> list[str]:
    items = [_point(b, p) for p in b.points]
    return [f"## {c.TITLE_POINTS}", "", *_bullets(items, c.no_points(b)), ""]


def _divergence(b: Briefing, div: Divergence) -> list[str]:
    lines = [f"### {escape(div.topic)}", "", f"*{c.kind_name(div.kind)}*", ""]
    lines += ["| Source | Version |", "| --- | --- |"]
    for version in div.versions:
        source = (
            f"{cite_labels(b, [version.citation])} {escape(c.source_name(b, version.citation))}"
        )
        said = escape(version.text)
        quote = c.quoted(version.citation.quote, about=version.text)
        if quote:
            said += f" — {escape(quote)}"
        lines.append(f"| {_cell(source)} | {_cell(said)} |")
    lines.append("")
    if c.one_line(div.note):
        lines += [_labelled(b, c.one_line(div.note)), ""]
    return lines


def _labelled(b: Briefing, text: str) -> str:
    """Text that names sources by label ("[3]"), each label linked as a citation is."""
    parts = c.with_labels(b, text)
    # Pieces between labels keep their spaces; the whole is one line already.
    out = "".join(_inert(p) if isinstance(p, str) else cite_label(p) for p in parts)
    return _not_a_list(out)


def _divergences(b: Briefing) -> list[str]:
    lines = [f"## {c.TITLE_DIVERGENCES}", ""]
    if not b.divergences:
        return [*lines, c.no_divergences(b), ""]
    for div in b.divergences:
        lines += _divergence(b, div)
    return lines


def _single_source(b: Briefing) -> list[str]:
    items = [_with_cites(b, note.text, [note.citation]) for note in b.single_source]
    return [f"## {c.TITLE_SINGLE_SOURCE}", "", *_bullets(items, c.no_single_source(b)), ""]


def _timeline(b: Briefing) -> list[str]:
    items = []
    for entry in c.sorted_timeline(b):
        when = escape(entry.label) or escape(entry.when)
        items.append(f"**{when}** — {_with_cites(b, entry.text, entry.citations)}")
    return [f"## {c.TITLE_TIMELINE}", "", *_bullets(items, c.no_timeline(b)), ""]


def _source(ref: SourceRef) -> str:
    parts = [f"**{escape(ref.title) or 'Untitled'}**", *(escape(p) for p in c.source_details(ref))]
    url, shown = c.location_text(ref)
    if url:
        parts.append(f"<{url}>")
    elif shown:
        parts.append(escape(shown))
    line = f"\\[{ref.label}\\] " + " · ".join(parts)
    dups = c.duplicates_text(ref)
    if dups:
        # Two trailing spaces: a line break inside the same list item.
        line += f"  \n  {escape(dups)}"
    return line


def _sources(b: Briefing) -> list[str]:
    items = [_source(ref) for ref in sorted(b.sources, key=lambda r: r.label)]
    return [f"## {c.TITLE_SOURCES}", "", *_bullets(items, c.no_sources()), ""]


def _unverified(b: Briefing) -> list[str]:
    if not b.unverified:
        return []
    lines = [f"## {c.TITLE_UNVERIFIED}", "", f"**{c.UNVERIFIED_INTRO}**", ""]
    for point in b.unverified:
        claimed = "".join(escape(cite.label) for cite in c.cites(b, point.citations))
        suffix = f" (claimed source: {claimed})" if claimed else ""
        lines.append(f"- NOT VERIFIED: {escape(point.text)}{suffix}")
    return [*lines, ""]


def _link_definitions(b: Briefing) -> list[str]:
    defs = []
    for ref in sorted(b.sources, key=lambda r: r.label):
        url = c.source_url(ref) or f"#{c.SOURCES_ANCHOR}"
        defs.append(f"[{_ref_id(str(ref.label))}]: {url}")
    return defs


def render_markdown(briefing: Briefing) -> str:
    """The whole briefing as Markdown text (ends with a newline)."""
    b = briefing
    lines = [
        *_header(b),
        f"## {c.TITLE_BOTTOM_LINE}",
        "",
        _point(b, b.bottom_line),
        "",
        *_points(b),
        *_divergences(b),
        *_single_source(b),
        *_timeline(b),
        *_unverified(b),
        *_sources(b),
        *_run_notes(b),
        *_link_definitions(b),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"

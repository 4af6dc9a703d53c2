"""The briefing as plain text, wrapped for a mail reader: the text/plain part of the e-mail.

Same sections and wording as the Markdown; citations stay as [1], [2] and the
source list spells out every URL, since nothing here can be a link.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from ..model import Briefing, Citation, Point, SourceRef
from . import content as c

WIDTH = 72

# Control characters could drive a terminal that shows the text; whitespace is handled
# by content.one_line.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _t(text: str | None) -> str:
    return c.one_line(_CONTROL.sub("", text or ""))


def _wrap(text: str, first: str = "", rest: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first,
        subsequent_indent=first if rest is None else rest,
        break_long_words=False,  # URLs must stay whole to stay clickable
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _labels(b: Briefing, citations: Iterable[Citation]) -> str:
    return "".join(cite.label for cite in c.cites(b, citations))


def _cited(b: Briefing, text: str, citations: Iterable[Citation]) -> str:
    return f"{_t(text)} {_labels(b, citations)}".rstrip()


def _point(b: Briefing, point: Point) -> str:
    return " ".join(_cited(b, s.text, s.citations) for s in c.sentences_of(point))


def _title(text: str) -> list[str]:
    return ["", text.upper(), "-" * len(text), ""]


def _bullets(items: list[str], empty: str) -> list[str]:
    if not items:
        return _wrap(empty)
    lines: list[str] = []
    for item in items:
        lines += _wrap(item, "  * ", "    ")
    return lines


def _divergences(b: Briefing) -> list[str]:
    lines = _title(c.TITLE_DIVERGENCES)
    if not b.divergences:
        return lines + _wrap(c.no_divergences(b))
    for n, div in enumerate(b.divergences):
        if n:
            lines.append("")
        lines += _wrap(f"{_t(div.topic)} ({c.kind_name(div.kind)})")
        for version in div.versions:
            label = _labels(b, [version.citation])
            head = f"{label} {_t(c.source_name(b, version.citation))}: {_t(version.text)}"
            lines += _wrap(head, "  ", "      ")
            quote = c.quoted(_t(version.citation.quote), about=_t(version.text))
            if quote:
                lines += _wrap(quote, "      ")
        if _t(div.note):
            lines += _wrap(f"Note: {_t(div.note)}", "  ", "  ")
    return lines


def _source(ref: SourceRef) -> list[str]:
    lines = _wrap(f"[{ref.label}] {_t(ref.title) or 'Untitled'}", "", "    ")
    details = c.source_details(ref)
    if details:
        lines += _wrap(_t(" · ".join(details)), "    ")
    url, shown = c.location_text(ref, mailed=True)
    if url or shown:
        lines += _wrap(url or _t(shown), "    ")
    dups = c.duplicates_text(ref, mailed=True)
    if dups:
        lines += _wrap(_t(dups), "    ")
    return lines


def _unverified(b: Briefing) -> list[str]:
    if not b.unverified:
        return []
    lines = _title(c.TITLE_UNVERIFIED) + _wrap(c.UNVERIFIED_INTRO) + [""]
    for point in b.unverified:
        claimed = "".join(cite.label for cite in c.cites(b, point.citations))
        suffix = f" (claimed source: {claimed})" if claimed else ""
        lines += _wrap(f"NOT VERIFIED: {_t(point.text)}{suffix}", "  * ", "    ")
    return lines


def render_plaintext(briefing: Briefing) -> str:
    """The whole briefing as wrapped plain text (ends with a newline)."""
    b = briefing
    headline = _t(b.headline) or "Briefing"
    lines = _wrap(headline)
    lines.append("=" * min(WIDTH, max(len(line) for line in lines)))
    lines += _wrap(c.meta_line(b))
    warnings = c.run_warnings(b)
    if warnings:
        lines += _wrap("Warnings: " + "; ".join(_t(w) for w in warnings))
    lines += _title(c.TITLE_BOTTOM_LINE)
    lines += _wrap(_point(b, b.bottom_line))
    lines += _title(c.TITLE_POINTS)
    lines += _bullets([_point(b, p) for p in b.points], c.no_points(b))
    lines += _divergences(b)
    lines += _title(c.TITLE_SINGLE_SOURCE)
    singles = [_cited(b, note.text, [note.citation]) for note in b.single_source]
    lines += _bullets(singles, c.no_single_source(b))
    lines += _title(c.TITLE_TIMELINE)
    events = [
        f"{_t(e.label) or _t(e.when)} — {_cited(b, e.text, e.citations)}"
        for e in c.sorted_timeline(b)
    ]
    lines += _bullets(events, c.no_timeline(b))
    lines += _unverified(b)
    lines += _title(c.TITLE_SOURCES)
    refs = sorted(b.sources, key=lambda r: r.label)
    if not refs:
        lines += _wrap(c.no_sources())
    for n, ref in enumerate(refs):
        if n:
            lines.append("")
        lines += _source(ref)
    notes = c.run_notes(b)
    if notes:
        lines += ["", *_wrap("Run notes: " + "; ".join(_t(n) for n in notes))]
    return "\n".join(lines) + "\n"

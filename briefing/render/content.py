"""Wording and small derived facts shared by every renderer.

Markdown, e-mail HTML and plain text lay the briefing out differently but must
say the same things: the same section titles, the same "nothing here" messages,
the same meta line and the same citation labels. Keeping that here means the
formats cannot drift apart. Nothing in this module escapes anything: each
renderer escapes for its own syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

from ..model import (
    ONE_ARTICLE_WARNING,
    Briefing,
    Citation,
    DivergenceKind,
    SourceRef,
    TimelineEntry,
)

TITLE_BOTTOM_LINE = "Bottom line"
TITLE_POINTS = "Key points"
TITLE_DIVERGENCES = "Where accounts diverge"
TITLE_SINGLE_SOURCE = "Reported by only one source"
TITLE_TIMELINE = "Timeline"
TITLE_SOURCES = "Sources"
TITLE_UNVERIFIED = "Unverified"

# Anchor id of the divergence section in both HTML outputs (the browser test looks for it).
DIVERGENCE_ANCHOR = "where-accounts-diverge"

UNVERIFIED_INTRO = (
    "NOT verified: the citations given for these statements could not be found "
    "in the source texts. Do not treat them as fact."
)

KIND_NAMES: dict[DivergenceKind, str] = {
    "numeric": "numbers differ",
    "attribution": "attribution differs",
    "framing": "framing differs",
    "other": "accounts differ",
}

QUOTE_CHARS = 160

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Cite:
    """One citation label as shown to the reader, with the source URL when it is safe."""

    label: str  # "[2]", or "[?]" for an article id the briefing does not list
    url: str | None


def one_line(text: str | None) -> str:
    """Collapse all whitespace (article text may carry newlines) into single spaces."""
    return _SPACE.sub(" ", text or "").strip()


def safe_url(url: str | None) -> str | None:
    """The URL, percent-encoded, if it is an absolute http(s) URL; otherwise None.

    Only these are ever turned into links, so a source URL such as
    ``javascript:alert(1)`` is shown as text and never becomes an href. Characters
    that could end a Markdown link or an HTML attribute are percent-encoded.
    """
    if not url:
        return None
    url = url.strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe="/:?#[]@!$&'*+,;=%-._~")


def cites(briefing: Briefing, citations: Iterable[Citation]) -> list[Cite]:
    """Distinct citation labels in label order ([1][3], never [3][1][3])."""
    seen: dict[str, tuple[int, Cite]] = {}
    for citation in citations:
        if citation.article_id in seen:
            continue
        ref = briefing.source(citation.article_id)
        order = ref.label if ref else 1 << 30  # unknown ids ("[?]") go last
        seen[citation.article_id] = (
            order,
            Cite(briefing.label_of(citation.article_id), source_url(ref)),
        )
    return [cite for _, cite in sorted(seen.values(), key=lambda item: item[0])]


def source_url(ref: SourceRef | None) -> str | None:
    return safe_url(ref.url) if ref else None


def source_name(briefing: Briefing, citation: Citation) -> str:
    """Outlet, else title, of the cited source: the short name used in divergences."""
    ref = briefing.source(citation.article_id)
    if ref is None:
        return "unknown source"
    return one_line(ref.outlet) or one_line(ref.title) or f"source {ref.label}"


def short_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The quote on one line, cut at a word boundary with an ellipsis when too long."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(",;:.- ") + "…"


# How a whole sentence ends: a full stop or the like, perhaps inside closing quotes.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$|[\"”’»]$")


def excerpt(text: str, limit: int = QUOTE_CHARS) -> str:
    """A quote given as evidence: ``short_quote``, with "…" where it starts or stops
    mid-sentence ("…killed 21 and wounded 40 when a drone struck a convoy of…"), so a
    clause cut from a sentence does not read as the whole of what the source said."""
    text = short_quote(text, limit)
    if not text:
        return text
    if not _SENTENCE_END.search(text):
        text = text.rstrip(",;:- ") + "…"
    if text[:1].islower():
        text = "…" + text
    return text


def kind_name(kind: DivergenceKind) -> str:
    return KIND_NAMES.get(kind, kind)


def when_generated(briefing: Briefing) -> str:
    """run.generated_at as 'YYYY-MM-DD HH:MM UTC' when it parses, else as given."""
    raw = briefing.run.generated_at
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return one_line(raw)
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() == 0:
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M") + (moment.strftime(" %z") if offset else "")


def meta_line(briefing: Briefing) -> str:
    """'Generated 2025-03-04 09:15 UTC from 4 sources · engine: llm (model)'."""
    count = len(briefing.sources)
    noun = "source" if count == 1 else "sources"
    engine = briefing.run.engine
    if engine == "llm" and briefing.run.model:
        engine = f"llm ({one_line(briefing.run.model)})"
    return f"Generated {when_generated(briefing)} from {count} {noun} · engine: {engine}"


def run_notes(briefing: Briefing) -> list[str]:
    """Warnings first, then notes, then what the renderer itself can tell (one source)."""
    notes = [one_line(n) for n in [*briefing.run.warnings, *briefing.run.notes] if one_line(n)]
    if len(briefing.sources) == 1 and ONE_ARTICLE_WARNING not in notes:
        notes.append(ONE_ARTICLE_WARNING)
    return notes


def no_points() -> str:
    return "No key points could be drawn from the sources."


def no_divergences(briefing: Briefing) -> str:
    count = len(briefing.sources)
    if count <= 1:
        return "Only one source: divergences need two or more."
    return f"No divergences found between the {count} sources."


def no_single_source(briefing: Briefing) -> str:
    if len(briefing.sources) <= 1:
        return "Only one source: everything above comes from it."
    return "Nothing is reported by only one source."


def no_timeline() -> str:
    return "No dated events were found."


def no_sources() -> str:
    return "No sources are listed."


def sorted_timeline(briefing: Briefing) -> list[TimelineEntry]:
    """Timeline entries in time order ('when' is ISO, so it sorts as text); stable for ties."""
    return sorted(briefing.timeline, key=lambda entry: entry.when)


def source_details(ref: SourceRef) -> list[str]:
    """Outlet, author and date of a source, as the parts that exist."""
    parts = [one_line(ref.outlet)]
    if one_line(ref.author):
        parts.append(f"by {one_line(ref.author)}")
    parts.append(one_line(ref.date))
    return [p for p in parts if p]


def location_text(ref: SourceRef) -> tuple[str | None, str | None]:
    """(safe URL to link, text to show instead) for where a source came from."""
    url = safe_url(ref.url)
    if url:
        return url, None
    if one_line(ref.url):
        return None, f"URL (not linked): {one_line(ref.url)}"
    if one_line(ref.path) and ref.path != "-":
        return None, f"file: {one_line(ref.path)}"
    if ref.path == "-":
        return None, "read from standard input"
    return None, None


def duplicates_text(ref: SourceRef) -> str | None:
    dups = [one_line(d) for d in ref.duplicates if one_line(d)]
    return "merged duplicates: " + ", ".join(dups) if dups else None

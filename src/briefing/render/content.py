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
from pathlib import PurePath
from urllib.parse import quote, urlsplit

from ..model import (
    ONE_ARTICLE_WARNING,
    Briefing,
    Citation,
    DivergenceKind,
    Point,
    SourceRef,
    TimelineEntry,
)
from ..number_words import WORDS as NUMBER_WORDS
from ..sections import (  # noqa: F401  (the renderers read them as content.TITLE_*)
    TITLE_BOTTOM_LINE,
    TITLE_DIVERGENCES,
    TITLE_POINTS,
    TITLE_SINGLE_SOURCE,
    TITLE_SOURCES,
    TITLE_TIMELINE,
    TITLE_UNVERIFIED,
)

# Anchor id of the divergence section in both HTML outputs (the browser test looks for it).
DIVERGENCE_ANCHOR = "where-accounts-diverge"
# Anchor id of the Sources section (the slug Markdown's toc extension gives its heading): a
# citation of a source with no web address links there, so a reader of a briefing built
# from local files can still click [3] to see what [3] is.
SOURCES_ANCHOR = "sources"

UNVERIFIED_INTRO = (
    "NOT verified: no citation given for these statements could be checked against "
    "the articles (the quoted words were not found, or the cited note or article does "
    "not exist). Do not treat them as fact."
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
    listed: bool = True  # False for "[?]": there is no entry in Sources to link to

    @property
    def href(self) -> str | None:
        """Where the label links: the source's web page, else its entry under Sources."""
        return self.url or (f"#{SOURCES_ANCHOR}" if self.listed else None)


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


def sentences_of(point: Point) -> list[Point]:
    """The sentences of ``point`` each with its own citations, when it joins several
    (``Point.parts``); else the point itself. Citations placed after each sentence keep
    a source from seeming to back a sentence next to the one it supports."""
    return point.parts or [point]


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
            Cite(briefing.label_of(citation.article_id), source_url(ref), listed=ref is not None),
        )
    return [cite for _, cite in sorted(seen.values(), key=lambda item: item[0])]


_LABEL_IN_TEXT = re.compile(r"\[(\d+)\]")


def with_labels(briefing: Briefing, text: str) -> list[str | Cite]:
    """``text`` cut around the source labels it names ("4 more sources ([3], [6])"), each
    label a Cite so that a renderer links it like a citation; a number the briefing
    does not list as a source stays text."""
    by_label = {f"[{ref.label}]": ref for ref in briefing.sources}
    parts: list[str | Cite] = []
    last = 0
    for m in _LABEL_IN_TEXT.finditer(text):
        ref = by_label.get(m.group(0))
        if ref is None:
            continue
        parts.append(text[last : m.start()])
        parts.append(Cite(m.group(0), source_url(ref)))
        last = m.end()
    parts.append(text[last:])
    return [p for p in parts if p != ""]


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
# Where a sentence starts inside a passage: after a full stop that ends a word of two or
# more lower-case letters or digits or of three capitals ("in 2024. The", "AFP. The"; not
# "U.S. Central", "Mr. Lee" or "4 a.m. on").
_SENTENCE_START = re.compile(
    r"(?:(?<=[a-z0-9]{2})|(?<=[A-Z]{3}))[.!?…][\"'”’»)\]]*\s+(?=[A-Z\"“‘])"
)

# A figure as a version states it: digits ("85", "1,500", "3.5") or a number word.
_FIGURE = re.compile(
    r"(?<![\w.,])\d+(?:[.,]\d+)*(?!\w)|\b(?:" + "|".join(sorted(NUMBER_WORDS)) + r")\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W\d_]{3,}")
_NEAR = 60  # characters either side of a figure in which the version's other words count


def _figure_pattern(figure: str) -> re.Pattern[str]:
    """The figure wherever the passage writes it, with or without thousands commas."""
    if not figure[0].isdigit():
        return re.compile(rf"\b{re.escape(figure)}\b", re.IGNORECASE)
    digits = figure.replace(",", "")
    body = "".join(
        re.escape(ch) + (",?" if ch.isdigit() and nxt.isdigit() else "")
        for ch, nxt in zip(digits, digits[1:] + " ", strict=True)
    )
    return re.compile(rf"(?<![\w.,]){body}(?![\w]|[.,]\d)")


def _stems(text: str) -> set[str]:
    # Five letters are enough to match "injured" with "injuries" and "killed" with "kill".
    return {w.casefold()[:5] for w in _WORDS.findall(text) if w.casefold() not in NUMBER_WORDS}


def figure_span(text: str, about: str) -> tuple[int, int] | None:
    """Where ``text`` writes a figure that ``about`` (a version such as "about 30 injured")
    states: among all places, the one with most of ``about``'s other words nearby, the
    first of equals. None when ``about`` states no figure or ``text`` does not write it."""
    figures = dict.fromkeys(m.group() for m in _FIGURE.finditer(about))
    if not figures:
        return None
    wanted = _stems(about)
    best: tuple[int, int, int] | None = None  # (-score, start, end)
    for figure in figures:
        for m in _figure_pattern(figure).finditer(text):
            near = text[max(0, m.start() - _NEAR) : m.end() + _NEAR]
            key = (-len(wanted & _stems(near)), m.start(), m.end())
            if best is None or key < best:
                best = key
    return (best[1], best[2]) if best else None


def _window(text: str, start: int, end: int, limit: int) -> tuple[int, int, bool]:
    """(lo, hi, whether lo starts a sentence) of a window of at most about ``limit``
    characters of ``text`` holding ``text[start:end]``, cut at word boundaries."""
    n = len(text)
    room = max(0, limit - (end - start))
    lo = max(0, start - room * 2 // 5)  # some words before the figure, more after it
    if lo + limit >= n:
        lo = max(0, min(lo, n - limit))
    if lo > 0 and not text[lo - 1].isspace():
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else text.rfind(" ", 0, start) + 1
    # Start at the figure's own sentence when that begins inside the window.
    sentence = False
    for m in _SENTENCE_START.finditer(text, lo, start):
        lo, sentence = m.end(), True
    hi = min(n, max(lo + limit, end))
    if hi < n and not text[hi].isspace():
        space = text.rfind(" ", end, hi)
        if space < 0:
            space = text.find(" ", end)
        hi = space if space >= 0 else n
    return lo, hi, sentence or lo == 0


def _marked(piece: str, cut_before: bool) -> str:
    """``piece`` with "…" where it starts or stops mid-sentence."""
    if not piece:
        return piece
    if not _SENTENCE_END.search(piece):
        piece = piece.rstrip(",;:-–— ") + "…"
    if cut_before or piece[:1].islower():
        piece = "…" + piece
    return piece


def excerpt(text: str, limit: int = QUOTE_CHARS, *, about: str | None = None) -> str:
    """A quote given as evidence, on one line, at most about ``limit`` characters, with "…"
    where it starts or stops mid-sentence ("…killed 21 and wounded 40 when a drone struck
    a convoy of…"), so a clause cut from a sentence does not read as the whole of what
    the source said.

    ``about`` is what the quote is evidence for (a divergence version, "about 30
    injured"): when it states a figure that a long passage writes at or past the end of
    its first ``limit`` characters, the excerpt is the window of the passage around that
    figure instead of the passage's start, which would hide the very figure that differs.
    A figure the passage does not write leaves the passage's start."""
    whole = one_line(text)
    start_cut = short_quote(whole, limit)
    span = figure_span(whole, about) if about and len(whole) > limit else None
    # The passage's own start reads best when it shows the figure with words after it.
    if span is None or span[1] + limit // 5 <= len(start_cut.rstrip("…")):
        return _marked(start_cut, cut_before=False)
    lo, hi, sentence_start = _window(whole, *span, limit)
    return _marked(whole[lo:hi].strip(), cut_before=not sentence_start)


_OPENING_MARKS = "\"“„«‘'"
_CLOSING_MARKS = "\"”»’'"
_DOUBLE_MARKS = '"“”„«»'


def quoted(text: str, limit: int = QUOTE_CHARS, *, about: str | None = None) -> str:
    """The ``excerpt`` as shown, in quote marks, or "" for no quote.

    A passage that is itself one quotation ('"We will respond."') loses its own marks
    for ours; one that opens or closes a quotation of its own ('"This blatant
    aggression," he said') is shown in its own marks, not wrapped in a second pair."""
    shown = excerpt(text, limit, about=about)
    core = shown.strip("…")
    if not core:
        return ""
    opens = core[0] in _OPENING_MARKS
    closes = core[-1] in _CLOSING_MARKS and (core[-1] in _DOUBLE_MARKS or opens)
    if len(core) > 2 and opens and closes and not any(ch in _DOUBLE_MARKS for ch in core[1:-1]):
        return "“" + shown.replace(core, core[1:-1], 1) + "”"
    if opens or closes:
        return shown
    return f"“{shown}”"


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


def run_warnings(briefing: Briefing) -> list[str]:
    """What qualifies the briefing's content (long or empty articles, one source): shown
    under the headline, before anything a reader might rely on."""
    warnings = [one_line(w) for w in briefing.run.warnings if one_line(w)]
    if len(briefing.sources) == 1 and ONE_ARTICLE_WARNING not in warnings:
        warnings.append(ONE_ARTICLE_WARNING)
    return warnings


def run_notes(briefing: Briefing) -> list[str]:
    """How the input files were read (merged, skipped, repaired): bookkeeping that names
    local files, so it goes after the sources rather than ahead of the bottom line."""
    return [one_line(n) for n in briefing.run.notes if one_line(n)]


def no_points(briefing: Briefing) -> str:
    if briefing.unverified:
        # The sources were not empty: the model's points failed the citation check.
        return (
            "No key point could be verified against the sources: the statements given "
            "for them are under Unverified, not stated as fact."
        )
    return "No key points could be drawn from the sources."


def no_divergences(briefing: Briefing) -> str:
    count = len(briefing.sources)
    if count <= 1:
        return "Only one source: divergences need two or more."
    return f"No divergences found between the {count} sources."


def no_single_source(briefing: Briefing) -> str:
    if len(briefing.sources) <= 1:
        return "Only one source: everything above comes from it."
    # A point citing one source may be just such a fact: saying "none" outright would
    # contradict the citations a reader has just read.
    if any(
        len({c.article_id for c in p.citations}) == 1
        for p in (briefing.bottom_line, *briefing.points)
    ):
        return (
            "No fact was found that only one source reports, beyond the points above "
            "that cite a single source."
        )
    return "No fact was found that only one source reports."


def no_timeline(briefing: Briefing) -> str:
    if briefing.sources and not any(s.date for s in briefing.sources):
        # Then "on Tuesday" has no week to fall in: say so, or the empty section reads
        # as if the articles gave no times at all.
        return (
            "No dated events were found. No article carries a publication date, so days "
            "such as “Tuesday” could not be placed."
        )
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


def location_text(ref: SourceRef, *, mailed: bool = False) -> tuple[str | None, str | None]:
    """(safe URL to link, text to show instead) for where a source came from.

    ``mailed``: a file is named without its folders, which say where the sender keeps
    files ("/home/alice/clients/…"), nothing the recipients of a mail need."""
    url = safe_url(ref.url)
    if url:
        return url, None
    if one_line(ref.url):
        return None, f"URL (not linked): {one_line(ref.url)}"
    if one_line(ref.path) and ref.path != "-":
        return None, f"file: {_file(ref.path, mailed)}"
    if ref.path == "-":
        return None, "read from standard input"
    return None, None


def duplicates_text(ref: SourceRef, *, mailed: bool = False) -> str | None:
    dups = [_file(d, mailed) for d in ref.duplicates if one_line(d)]
    return "merged duplicates: " + ", ".join(dups) if dups else None


def _file(where: str, mailed: bool) -> str:
    """A source's file or URL as shown; in mail, a file by its name only."""
    shown = one_line(where)
    if mailed and "://" not in shown:  # a URL is shown whole
        return PurePath(shown).name or shown
    return shown

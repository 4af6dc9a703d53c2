"""The briefing as e-mail HTML: a 600 px table layout with every style inlined.

Separate from the web page because mail clients are not browsers: layout is done
with ``role="presentation"`` tables, spacing with cell padding, styles are inlined
by css-inline (only the dark-mode and narrow-screen @media rules stay in a
<style> block, where clients that support them find them), there are no scripts,
no outside stylesheets or fonts and no images. Each source's version of a
divergence is its own row, so a phone never scrolls sideways.

Gmail clips messages whose HTML exceeds about 102 KB, so ``render_email`` drops
material in the order of ``_TRIM_STAGES`` (points past the eighth, the side
sections, the sources nothing left cites, then lower-ranked divergences and points)
until the page fits, and says in the e-mail what was left out.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Briefing, Citation, Divergence, Point, SourceRef
from . import content as c

# Gmail clips at ~102 KB of HTML; stay a little below it.
MAX_EMAIL_BYTES = 100_000
DEFAULT_FULL_BRIEFING_HINT = "in the Markdown version of this briefing"
PREHEADER_CHARS = 150

SANS = "Helvetica, Arial, sans-serif"
SERIF = "Georgia, 'Times New Roman', Times, serif"

CSS = f"""
body {{ margin: 0; padding: 0; width: 100%; background-color: #f1f0ec; }}
.outer {{ background-color: #f1f0ec; }}
.outer-cell {{ padding: 16px 8px; }}
.card {{ width: 100%; max-width: 600px; background-color: #ffffff; border-collapse: collapse; }}
.pad {{ padding: 8px 28px 16px 28px; font-family: {SANS}; font-size: 16px; line-height: 24px;
  color: #1c1c1a; overflow-wrap: break-word; word-wrap: break-word; }}
.head {{ padding-top: 28px; border-bottom: 1px solid #e2e1db; }}
.foot {{ padding-top: 16px; padding-bottom: 28px; }}
h1 {{ margin: 0 0 10px 0; font-family: {SERIF}; font-size: 26px; line-height: 32px;
  font-weight: bold; color: #1c1c1a; }}
h2 {{ margin: 12px 0 8px 0; font-family: {SANS}; font-size: 19px; line-height: 26px;
  font-weight: bold; color: #1c1c1a; }}
h3 {{ margin: 14px 0 2px 0; font-family: {SANS}; font-size: 16px; line-height: 22px;
  font-weight: bold; color: #1c1c1a; }}
p {{ margin: 0 0 10px 0; font-family: {SANS}; font-size: 16px; line-height: 24px;
  color: #1c1c1a; }}
a {{ color: #0a55a0; text-decoration: underline; }}
td {{ font-family: {SANS}; font-size: 16px; line-height: 24px; color: #1c1c1a; }}
.kicker {{ margin: 0 0 4px 0; font-size: 12px; line-height: 16px; letter-spacing: 1px;
  text-transform: uppercase; color: #5c5c57; }}
.meta {{ font-size: 13px; line-height: 19px; color: #5c5c57; }}
.notice {{ padding: 10px 12px; font-size: 14px; line-height: 20px; background-color: #fff6d8;
  color: #3d3300; }}
.lead {{ font-size: 17px; line-height: 26px; }}
.list {{ width: 100%; border-collapse: collapse; }}
.bullet {{ width: 18px; padding: 0 0 10px 0; vertical-align: top; color: #5c5c57; }}
.item {{ padding: 0 0 10px 0; vertical-align: top; }}
.cites {{ white-space: nowrap; }}
.cite {{ font-size: 13px; font-weight: bold; white-space: nowrap; color: #0a55a0; }}
span.cite {{ color: #5c5c57; }}
.kind {{ margin: 0 0 8px 0; font-size: 13px; line-height: 18px; font-style: italic;
  color: #5c5c57; }}
.versions {{ width: 100%; border-collapse: separate; border-spacing: 0 6px; }}
.version {{ padding: 8px 12px; background-color: #f6f5f1; border-left: 3px solid #9c9a90;
  vertical-align: top; }}
.version-source {{ margin: 0 0 2px 0; font-size: 14px; line-height: 20px; font-weight: bold; }}
.version-text {{ margin: 0 0 2px 0; }}
.quote {{ margin: 0; font-size: 14px; line-height: 20px; font-style: italic; color: #4a4a45; }}
.note {{ font-size: 14px; line-height: 20px; color: #4a4a45; }}
.unverified {{ padding: 10px 12px; background-color: #fdecea; color: #5f1410; }}
.source {{ font-size: 14px; line-height: 20px; }}
.url {{ word-break: break-all; }}
.small {{ font-size: 12px; line-height: 18px; color: #5c5c57; }}
.preheader {{ display: none; max-height: 0; max-width: 0; overflow: hidden; opacity: 0;
  font-size: 1px; line-height: 1px; color: #ffffff; mso-hide: all; }}
""".strip()

# Kept in a <style> block (inline styles cannot hold @media): narrow screens, dark mode.
MEDIA_CSS = """
@media screen and (max-width: 620px) {
  .outer-cell { padding: 0 !important; }
  .pad { padding-left: 16px !important; padding-right: 16px !important; }
  h1 { font-size: 23px !important; line-height: 29px !important; }
}
@media (prefers-color-scheme: dark) {
  body, .outer { background-color: #111111 !important; }
  .card { background-color: #1b1b1a !important; }
  .pad, h1, h2, h3, p, td { color: #e7e6e1 !important; }
  .kicker, .meta, .kind, .bullet, span.cite, .small { color: #a9a8a1 !important; }
  a, a.cite { color: #8fbaff !important; }
  .version { background-color: #262624 !important; border-left-color: #6d6b63 !important; }
  .quote, .note { color: #c9c8c1 !important; }
  .notice { background-color: #3a3310 !important; color: #f5e9b8 !important; }
  .unverified { background-color: #3b1714 !important; color: #f7d3cf !important; }
  .head { border-bottom-color: #3b3b38 !important; }
}
""".strip()

# Trim order when the e-mail is too big: (field, keep at least, what one item is called).
# What goes first: points past a usual briefing's eight, then the side sections, then
# divergences and points in turn (the two sections a reader opens the e-mail for).
_TRIM_STAGES: tuple[tuple[str, int, str], ...] = (
    ("points", 8, "lower-ranked point"),
    ("single_source", 0, "single-source note"),
    ("timeline", 0, "timeline entry"),
    ("unverified", 0, "unverified statement"),
    # The Sources list of a story told by dozens of outlets outweighs everything above
    # it; those that nothing left in the e-mail cites go before any divergence does.
    ("sources", 0, "uncited source"),
    ("divergences", 3, "divergence"),
    ("points", 3, "lower-ranked point"),
    ("divergences", 1, "divergence"),
    ("points", 1, "lower-ranked point"),
)
_PLURALS = {"timeline entry": "timeline entries"}

# Outlook for Windows ignores max-width: give it a fixed 600 px "ghost" table instead.
_MSO_OPEN = (
    '<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" '
    'border="0"><tr><td><![endif]-->'
)
_MSO_CLOSE = "<!--[if mso]></td></tr></table><![endif]-->"


def _e(text: str | None) -> str:
    return html.escape(c.one_line(text), quote=True)


def _cite(cite: c.Cite) -> str:
    if cite.href:
        return f'<a class="cite" href="{html.escape(cite.href)}">{_e(cite.label)}</a>'
    return f'<span class="cite">{_e(cite.label)}</span>'


def _cites(b: Briefing, citations: Iterable[Citation]) -> str:
    out = [_cite(cite) for cite in c.cites(b, citations)]
    # One unbreakable group, so "[1][2]" never wraps as "[1]" / "[2]".
    return f'<span class="cites">{"".join(out)}</span>' if out else ""


def _with_cites(b: Briefing, text: str, citations: Iterable[Citation]) -> str:
    cites = _cites(b, citations)
    return f"{_e(text)}&nbsp;{cites}" if cites else _e(text)


def _point(b: Briefing, point: Point) -> str:
    return " ".join(_with_cites(b, s.text, s.citations) for s in c.sentences_of(point))


def _row(inner: str, cls: str = "pad", attrs: str = "") -> str:
    return f'<tr><td class="{cls}"{attrs}>{inner}</td></tr>'


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p>{_e(empty)}</p>"
    rows = "".join(
        f'<tr><td class="bullet">&#8226;</td><td class="item">{item}</td></tr>' for item in items
    )
    return (
        '<table role="presentation" class="list" width="100%" cellpadding="0" '
        f'cellspacing="0" border="0">{rows}</table>'
    )


def _header(b: Briefing, omitted_note: str | None) -> str:
    parts = [
        '<p class="kicker">Briefing</p>',
        f"<h1>{_e(b.headline) or 'Briefing'}</h1>",
        f'<p class="meta">{_e(c.meta_line(b))}</p>',
    ]
    warnings = c.run_warnings(b)
    if warnings:
        parts.append(f'<p class="meta"><strong>Warnings:</strong> {_e("; ".join(warnings))}</p>')
    if omitted_note:
        parts.append(f'<p class="notice">{_e(omitted_note)}</p>')
    return _row("".join(parts), "pad head")


def _divergence(b: Briefing, div: Divergence) -> str:
    rows = []
    for version in div.versions:
        source = f"{_cites(b, [version.citation])} {_e(c.source_name(b, version.citation))}"
        inner = (
            f'<p class="version-source">{source}</p><p class="version-text">{_e(version.text)}</p>'
        )
        quote = c.quoted(version.citation.quote, about=version.text)
        if quote:
            inner += f'<p class="quote">{_e(quote)}</p>'
        rows.append(f'<tr><td class="version">{inner}</td></tr>')
    out = (
        f"<h3>{_e(div.topic)}</h3>"
        f'<p class="kind">{_e(c.kind_name(div.kind))}</p>'
        '<table role="presentation" class="versions" width="100%" cellpadding="0" '
        f'cellspacing="0" border="0">{"".join(rows)}</table>'
    )
    if c.one_line(div.note):
        note = "".join(
            html.escape(part) if isinstance(part, str) else _cite(part)  # spaces kept
            for part in c.with_labels(b, c.one_line(div.note))
        )
        out += f'<p class="note">{note}</p>'
    return out


def _divergences(b: Briefing, dropped: dict[str, int]) -> str:
    body = "".join(_divergence(b, d) for d in b.divergences)
    if not body:
        body = f"<p>{_e(c.no_divergences(b))}</p>"
    body += _left_out("divergences", dropped)
    return _row(f"<h2>{c.TITLE_DIVERGENCES}</h2>{body}", attrs=f' id="{c.DIVERGENCE_ANCHOR}"')


def _source(ref: SourceRef) -> str:
    lines = [f"<strong>[{ref.label}] {_e(ref.title) or 'Untitled'}</strong>"]
    details = c.source_details(ref)
    if details:
        lines.append(_e(" · ".join(details)))
    url, shown = c.location_text(ref, mailed=True)
    if url:
        href = html.escape(url)
        lines.append(f'<a class="url" href="{href}">{href}</a>')
    elif shown:
        lines.append(_e(shown))
    dups = c.duplicates_text(ref, mailed=True)
    if dups:
        lines.append(f'<span class="url">{_e(dups)}</span>')
    return f'<p class="source">{"<br>".join(lines)}</p>'


def _unverified(b: Briefing, dropped: dict[str, int]) -> str:
    if not b.unverified and not dropped.get("unverified"):
        return ""
    items = []
    for point in b.unverified:
        claimed = "".join(_e(cite.label) for cite in c.cites(b, point.citations))
        suffix = f" (claimed source: {claimed})" if claimed else ""
        items.append(f"<strong>NOT VERIFIED:</strong> {_e(point.text)}{suffix}")
    return _row(
        f"<h2>{c.TITLE_UNVERIFIED}</h2>"
        f'<p class="unverified"><strong>{_e(c.UNVERIFIED_INTRO)}</strong></p>'
        + (_list(items, "") if items else "")
        + _left_out("unverified", dropped)
    )


def _preheader(b: Briefing) -> str:
    text = c.short_quote(b.bottom_line.text, PREHEADER_CHARS)
    # Filler keeps clients from pulling body text into the inbox preview after it.
    filler = "&#847;&zwnj;&nbsp;" * 40
    return f'<div class="preheader">{_e(text)}{filler}</div>'


def _sections(b: Briefing, dropped: dict[str, int], listed: list[SourceRef]) -> list[str]:
    points = [_point(b, p) for p in b.points]
    singles = [_with_cites(b, n.text, [n.citation]) for n in b.single_source]
    timeline = [
        f"<strong>{_e(t.label) or _e(t.when)}</strong> — {_with_cites(b, t.text, t.citations)}"
        for t in c.sorted_timeline(b)
    ]
    sources = "".join(_source(ref) for ref in sorted(listed, key=lambda r: r.label))
    return [
        _section(c.TITLE_POINTS, "points", points, c.no_points(b), dropped),
        _divergences(b, dropped),
        _section(c.TITLE_SINGLE_SOURCE, "single_source", singles, c.no_single_source(b), dropped),
        _section(c.TITLE_TIMELINE, "timeline", timeline, c.no_timeline(b), dropped),
        _unverified(b, dropped),
        _row(
            f"<h2>{c.TITLE_SOURCES}</h2>{sources or f'<p>{_e(c.no_sources())}</p>'}"
            + _left_out("sources", dropped),
            attrs=f' id="{c.SOURCES_ANCHOR}"',
        ),
    ]


def _left_out(field: str, dropped: dict[str, int]) -> str:
    n = dropped.get(field, 0)
    return f'<p class="small">{n} more left out of this e-mail.</p>' if n else ""


def _section(title: str, field: str, items: list[str], empty: str, dropped: dict[str, int]) -> str:
    if not items and dropped.get(field):
        return _row(f"<h2>{title}</h2>{_left_out(field, dropped)}")
    return _row(f"<h2>{title}</h2>{_list(items, empty)}{_left_out(field, dropped)}")


def _document(
    b: Briefing,
    dropped: dict[str, int],
    note: str | None,
    *,
    listed: list[SourceRef] | None = None,
    summary_only: bool = False,
) -> str:
    """The e-mail page before inlining; ``dropped`` counts items left out per field,
    ``listed`` the sources the Sources list shows (all of them when None)."""
    rows = [
        _header(b, note),
        _row(f'<h2>{c.TITLE_BOTTOM_LINE}</h2><p class="lead">{_point(b, b.bottom_line)}</p>'),
    ]
    if not summary_only:
        rows += _sections(b, dropped, b.sources if listed is None else listed)
    notes = c.run_notes(b)
    run_notes = f'<p class="small"><strong>Run notes:</strong> {_e("; ".join(notes))}</p>'
    rows.append(
        _row(
            (run_notes if notes else "")
            + '<p class="small">Made by briefing. Every point cites the articles that support '
            "it; check the sources before relying on it.</p>",
            "pad foot",
        )
    )
    title = _e(b.headline) or "Briefing"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<meta name="generator" content="briefing">
<title>{title}</title>
<style>
{CSS}
</style>
</head>
<body>
{_preheader(b)}
<table role="presentation" class="outer" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td class="outer-cell" align="center">
{_MSO_OPEN}
<table role="presentation" class="card" width="100%" cellpadding="0" cellspacing="0" border="0">
{"".join(rows)}
</table>
{_MSO_CLOSE}
</td></tr>
</table>
</body>
</html>
"""


def _inline(document: str) -> str:
    """Move every style into style attributes, then add the @media rules back in <head>."""
    import css_inline  # heavy import: only when an e-mail is rendered

    inlined = css_inline.CSSInliner(load_remote_stylesheets=False).inline(document)
    # Added after inlining, at the end of <head>, so <meta charset> stays in the first bytes.
    return inlined.replace("</head>", f"<style>\n{MEDIA_CSS}\n</style>\n</head>", 1)


@dataclass
class _Fit:
    """How many items of each trimmable list field the e-mail keeps; for "sources", how
    many of those that nothing kept cites (the cited ones always stay listed)."""

    keep: dict[str, int]

    def apply(self, b: Briefing) -> Briefing:
        # The sources themselves stay: the header counts them, and the citations name them.
        return b.model_copy(
            update={f: getattr(b, f)[:n] for f, n in self.keep.items() if f != "sources"}
        )

    def listed(self, kept: Briefing) -> list[SourceRef]:
        """The sources the Sources list of ``kept`` (what ``apply`` made) shows."""
        uncited = _uncited(kept)
        left_out = {ref.id for ref in uncited[self.keep.get("sources", len(uncited)) :]}
        return [ref for ref in kept.sources if ref.id not in left_out]

    def dropped(self, b: Briefing, listed: list[SourceRef]) -> dict[str, int]:
        """Items left out per field, ``listed`` being the sources the e-mail shows."""
        out = {
            f: len(getattr(b, f)) - n
            for f, n in self.keep.items()
            if f != "sources" and len(getattr(b, f)) > n
        }
        if unlisted := len(b.sources) - len(listed):
            out["sources"] = unlisted
        return out


def _uncited(b: Briefing) -> list[SourceRef]:
    cited = b.cited_ids() | {c.article_id for p in b.unverified for c in p.citations}
    return [ref for ref in b.sources if ref.id not in cited]


def _omitted_note(dropped: dict[str, int], hint: str) -> str | None:
    nouns = {field: noun for field, _, noun in _TRIM_STAGES}
    parts = []
    for field, n in dropped.items():
        noun = nouns[field]
        parts.append(f"{n} {noun if n == 1 else _PLURALS.get(noun, noun + 's')}")
    if not parts:
        return None
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    verb = "was" if sum(dropped.values()) == 1 else "were"
    return f"{listed} {verb} left out to keep this e-mail small; the full briefing is {hint}."


def _render_fit(b: Briefing, fit: _Fit, hint: str) -> str:
    kept = fit.apply(b)
    listed = fit.listed(kept)
    dropped = fit.dropped(b, listed)
    return _inline(_document(kept, dropped, _omitted_note(dropped, hint), listed=listed))


def _fits(text: str, max_bytes: int) -> bool:
    return len(text.encode("utf-8")) <= max_bytes


def render_email(
    briefing: Briefing,
    *,
    max_bytes: int = MAX_EMAIL_BYTES,
    full_briefing_hint: str = DEFAULT_FULL_BRIEFING_HINT,
) -> str:
    """E-mail HTML with inlined styles, trimmed to at most ``max_bytes`` of UTF-8
    (ValueError when even headline and bottom line alone, about 6 KB, do not fit).

    ``full_briefing_hint`` finishes the sentence "the full briefing is ..." shown
    when something had to be left out, e.g. "attached as briefing.md".
    """
    b = briefing
    fit = _Fit({field: len(getattr(b, field)) for field, _, _ in _TRIM_STAGES})
    out = _render_fit(b, fit, full_briefing_hint)
    if _fits(out, max_bytes):
        return out
    for field, floor, _ in _TRIM_STAGES:
        have = fit.keep[field]
        if have <= floor:
            continue
        fit.keep[field] = floor
        smallest = _render_fit(b, fit, full_briefing_hint)
        if not _fits(smallest, max_bytes):
            continue  # not enough on its own: keep the floor and trim the next field too
        # Largest count that still fits; `have` itself is known not to.
        lo, hi, best = floor, have - 1, smallest
        while lo < hi:
            mid = (lo + hi + 1) // 2
            fit.keep[field] = mid
            candidate = _render_fit(b, fit, full_briefing_hint)
            if _fits(candidate, max_bytes):
                lo, best = mid, candidate
            else:
                hi = mid - 1
        return best
    return _summary_only(b, max_bytes, full_briefing_hint)


def _summary_only(b: Briefing, max_bytes: int, hint: str) -> str:
    """Last resort: headline and bottom line only, cut shorter until they fit."""
    note = f"This briefing is too large for e-mail; the full briefing is {hint}."
    limit = 4000
    while True:
        slim = b.model_copy(
            update={
                "headline": c.short_quote(b.headline, 300),
                "bottom_line": b.bottom_line.model_copy(
                    update={"text": c.short_quote(b.bottom_line.text, limit), "parts": []}
                ),
            }
        )
        out = _inline(_document(slim, {}, note, summary_only=True))
        if _fits(out, max_bytes):
            return out
        if limit < 100:
            raise ValueError(
                f"max_bytes={max_bytes:,} is below the smallest e-mail this briefing makes "
                f"({len(out.encode('utf-8')):,} bytes: styles, headline and a cut bottom line); "
                "allow at least that"
            )
        limit //= 2

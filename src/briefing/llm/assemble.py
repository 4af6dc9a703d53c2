"""Turn the reduce reply into the Briefing's sections, keeping only what is grounded.

Every citation is resolved in code: a note id becomes the spans of the claims
behind it; an article id plus a quote is located in that article's text. A
citation to an unknown id or article, or a quote that is not in the article, is
dropped and counted. A statement left with no grounded citation is never
printed as fact: it goes to ``Briefing.unverified``. A note the model calls
single-source is checked too: if its citations, or its quote found word for word in
another article, show a second outlet reporting it, it becomes a point citing both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..grounding import locate, statement_fit
from ..model import (
    ONE_ARTICLE_WARNING,
    Article,
    Citation,
    Divergence,
    Point,
    SingleSourceNote,
    SourceVersion,
    TimelineEntry,
    uncited_warnings,
)
from ..outlets import outlet_groups
from .accounting import Accounting, counted
from .notes import Notebook
from .schema import Cite, ReduceReply

NO_VERIFIED_BOTTOM_LINE = (
    "No statement of the model's summary could be verified against the sources; "
    "see the unverified notes."
)
NOTHING_VERIFIED = (
    "none of the model's key points or summary could be verified against the articles "
    "(their citations name notes or articles that do not exist, or quotes not in them): "
    "they are listed as unverified only; re-run with --no-cache, or try another --model"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def _real_date(when: str) -> bool:
    """An ISO date (or month, or date and time) that exists: "2024-02-30", month 13 and
    hour 25 have the shape and are no dates."""
    m = _ISO_DATE.match(when)
    if m is None:
        return False
    year, month, day, hour, minute, second = (int(g) if g else None for g in m.groups())
    try:
        datetime(year or 0, month or 0, day or 1, hour or 0, minute or 0, second or 0)
    except ValueError:
        return False
    return True


@dataclass
class Sections:
    bottom_line: Point
    points: list[Point] = field(default_factory=list)
    divergences: list[Divergence] = field(default_factory=list)
    single_source: list[SingleSourceNote] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    unverified: list[Point] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    uncited_sources: list[str] = field(default_factory=list)  # "[3] Outlet"
    # Sources the model took no grounded claim from at all: absent from the briefing.
    sources_without_claims: list[str] = field(default_factory=list)


def _clean_ref(ref: str | None) -> str:
    return (ref or "").strip().strip("[]#").strip()


class CitationResolver:
    def __init__(self, notebook: Notebook, accounting: Accounting, stage: str = "reduce") -> None:
        self.notebook = notebook
        self.articles = notebook.articles
        self.accounting = accounting
        self.stage = stage

    def _quoted(self, article_id: str, quote: str) -> tuple[list[Citation], str | None]:
        article = self.articles.get(article_id)
        if article is None:
            return [], "unknown_article"
        found = locate(quote, article.text)
        if found is None:
            return [], "quote_not_found"
        start, end, _ = found
        return [
            Citation(article_id=article_id, start=start, end=end, quote=article.text[start:end])
        ], None

    def one(self, cite: Cite, statement: str = "") -> tuple[list[Citation], str | None]:
        """The citations ``cite`` stands for (for a note, its claims that best support
        ``statement``), or the reason it was dropped."""
        ref = _clean_ref(cite.id)
        named = _clean_ref(cite.article_id)
        article_id = self.notebook.article_ref(named) or named
        quote = (cite.quote or "").strip()
        if ref in self.notebook.notes:
            cits = self.notebook.citations(ref, statement)
            if quote:  # the model's own quote, when it is in the note's articles, is more precise
                for cit in cits:
                    precise, _ = self._quoted(cit.article_id, quote)
                    if precise:
                        return precise + [c for c in cits if c.article_id != cit.article_id], None
            return cits, None
        if (as_article := self.notebook.article_ref(ref)) and not article_id:
            article_id = as_article  # a source number put in the id field
        elif ref:
            return [], "unknown_id"
        if not article_id:
            return [], "no_article_id" if quote else "empty"
        if not quote:
            return [], "unknown_article" if article_id not in self.articles else "no_quote"
        return self._quoted(article_id, quote)

    def resolve(self, cites: Sequence[Cite], statement: str = "") -> list[Citation]:
        out: list[Citation] = []
        seen: set[tuple[str, int, int]] = set()
        for cite in cites:
            cits, reason = self.one(cite, statement)
            self.accounting.citation(self.stage, reason)
            for cit in cits:
                key = (cit.article_id, cit.start, cit.end)
                if key not in seen:
                    seen.add(key)
                    out.append(cit)
        return out


def _text(value: str) -> str:
    return " ".join(value.split())


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def figures_quoted(text: str, cits: Sequence[Citation]) -> bool:
    """Whether every count ``text`` states (people killed, targets struck: what the
    offline engine compares across sources) is given by one of the cited passages: the
    same figure, or a count of the same thing that the statement's wording covers
    ("more than 80 targets" for "85 targets"; never "900 killed" for "more than 85")."""
    from ..offline.numbers import extract_counts

    stated = extract_counts(text)
    if not stated:
        return True
    quoted = " ".join(c.quote for c in cits)
    given = extract_counts(quoted)
    written = {float(d.replace(",", "")) for d in _DIGITS.findall(quoted) if d.strip(",")}
    return all(
        c.quantity.value in written
        or any(
            g.thing == c.thing and c.quantity.low <= g.quantity.value <= c.quantity.high
            for g in given
        )
        for c in stated
    )


def assemble(
    reply: ReduceReply,
    notebook: Notebook,
    articles: Sequence[Article],
    accounting: Accounting,
    *,
    max_points: int,
) -> Sections:
    resolver = CitationResolver(notebook, accounting)
    unverified: list[Point] = []
    warnings: list[str] = []

    def grounded(text: str, cites: Sequence[Cite]) -> list[Citation] | None:
        cits = resolver.resolve(cites, text)
        if cits and not figures_quoted(text, cits):
            # Real notes cited for "900 killed" whose passages give no such figure: the
            # citations exist, the statement is not in them.
            accounting.citation("reduce", "figure_not_in_quotes")
            cits = []
        if not cits:
            unverified.append(Point(text=_text(text)))
            return None
        return cits

    points = []
    for wp in reply.points:
        if (cits := grounded(wp.text, wp.citations)) is not None:
            points.append(Point(text=_text(wp.text), citations=cits))
    points = points[: max(0, max_points)]

    bottom_cits = grounded(reply.bottom_line.text, reply.bottom_line.citations)
    if bottom_cits is not None:
        bottom_line = Point(text=_text(reply.bottom_line.text), citations=bottom_cits)
    elif points:
        bottom_line = points.pop(0)
    else:
        bottom_line = Point(text=NO_VERIFIED_BOTTOM_LINE)
        warnings.append(NOTHING_VERIFIED)

    divergences = []
    for wd in reply.divergences:
        grounded_versions = []
        for wv in wd.versions:
            statement = f"{wd.topic} {wv.text}"
            if cits := resolver.resolve(wv.citations, statement):
                # One citation shows per version: the one that carries its figure.
                best = max(cits, key=lambda c: statement_fit(statement, c.quote))
                grounded_versions.append(SourceVersion(text=_text(wv.text), citation=best))
        versions = merge_versions(grounded_versions, wd.topic)
        # A version's passage must give its figure: "900 killed" beside a passage on 85
        # locations is no version of anything.
        unquoted = [v for v in versions if not figures_quoted(v.text, [v.citation])]
        for _ in unquoted:
            accounting.citation("reduce", "figure_not_in_quotes")
        versions = [v for v in versions if v not in unquoted]
        if len(versions) >= 2:
            divergences.append(
                Divergence(topic=_text(wd.topic), kind=wd.kind, versions=versions, note=wd.note)
            )
        elif not unquoted and len(grounded_versions) == len(wd.versions) >= 2:
            continue  # one source saying one thing twice: nothing diverges, nothing unverified
        else:
            sides = "; ".join(_text(v.text) for v in wd.versions)
            unverified.append(Point(text=_text(f"{wd.topic}: {sides}" if sides else wd.topic)))
    if len(articles) < 2:
        divergences = []
        warnings.append(ONE_ARTICLE_WARNING)

    single_source = []
    outlet_of = dict(zip([a.id for a in articles], outlet_groups(articles), strict=True))
    for ws in reply.single_source:
        if (cits := grounded(ws.text, ws.citations)) is None:
            continue
        reported = [*cits, *reported_elsewhere(cits[0], articles, outlet_of)]
        if len({outlet_of.get(c.article_id) for c in reported}) > 1:
            accounting.single_source_reported_elsewhere += 1
            if len(points) < max_points:
                points.append(Point(text=_text(ws.text), citations=reported))
            continue
        single_source.append(SingleSourceNote(text=_text(ws.text), citation=cits[0]))

    timeline = []
    for wt in reply.timeline:
        if (cits := grounded(wt.text, wt.citations)) is not None:
            when = wt.when.strip()
            if not _real_date(when):
                warnings.append(
                    f"timeline entry without an ISO date left out: {_text(wt.text)[:80]}"
                )
                continue
            timeline.append(
                TimelineEntry(
                    when=when, label=_text(wt.label) or when, text=_text(wt.text), citations=cits
                )
            )
    timeline.sort(key=lambda entry: entry.when)

    sections = Sections(
        bottom_line=bottom_line,
        points=points,
        divergences=divergences,
        single_source=single_source,
        timeline=timeline,
        unverified=unverified,
        warnings=warnings,
    )
    sections.uncited_sources, sections.sources_without_claims = left_out(
        sections, notebook, articles
    )
    warnings.extend(uncited_warnings(list(sections.uncited_sources)))
    if silent := sections.sources_without_claims:
        warnings.append(
            f"the model gave no claim that could be found in {counted(len(silent), 'source')} "
            f"({', '.join(silent)}), so the briefing leaves "
            f"{'it' if len(silent) == 1 else 'them'} out; check the article text, or try "
            "another --model"
        )
    return sections


def reported_elsewhere(
    citation: Citation, articles: Sequence[Article], outlet_of: dict[str, int]
) -> list[Citation]:
    """The same passage in articles of other outlets (wire copy an outlet ran as its own)."""
    outlet = outlet_of.get(citation.article_id)
    found = []
    for article in articles:
        if outlet_of.get(article.id) == outlet:
            continue
        if match := locate(citation.quote, article.text):
            start, end, _ = match
            found.append(
                Citation(article_id=article.id, start=start, end=end, quote=article.text[start:end])
            )
    return found


def _value_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def merge_versions(versions: Sequence[SourceVersion], topic: str = "") -> list[SourceVersion]:
    """One version per source and value, in first-seen order: a model that lists the same
    source's "25 injured" twice (from two of its passages) gets one row, citing whichever
    of the passages best carries the figure. A source giving two different values keeps
    both: that is a divergence inside the source."""
    merged: dict[tuple[str, str], SourceVersion] = {}
    for version in versions:
        key = (version.citation.article_id, _value_key(version.text))
        kept = merged.get(key)
        if kept is None:
            merged[key] = version
            continue
        statement = f"{topic} {version.text}"
        if statement_fit(statement, version.citation.quote) > statement_fit(
            statement, kept.citation.quote
        ):
            merged[key] = kept.model_copy(update={"citation": version.citation})
    return list(merged.values())


def cited_articles(sections: Sections) -> set[str]:
    cits: list[Citation] = [*sections.bottom_line.citations]
    for p in sections.points:
        cits.extend(p.citations)
    for d in sections.divergences:
        cits.extend(v.citation for v in d.versions)
    cits.extend(n.citation for n in sections.single_source)
    for t in sections.timeline:
        cits.extend(t.citations)
    return {c.article_id for c in cits}


def left_out(
    sections: Sections, notebook: Notebook, articles: Sequence[Article]
) -> tuple[list[str], list[str]]:
    """The sources cited nowhere, as "[3] Outlet": (those that gave grounded claims, which
    is the position-bias check; those the model took no grounded claim from at all)."""
    cited = cited_articles(sections)
    contributed = notebook.contributing_articles()
    absent = [a for a in articles if a.id not in cited]
    names = {a.id: f"[{a.label}] {a.outlet or a.title}" for a in absent}
    return (
        [names[a.id] for a in absent if a.id in contributed],
        [names[a.id] for a in absent if a.id not in contributed],
    )

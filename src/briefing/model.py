"""Typed records passed between the pipeline stages.

sources -> Article -> Chunk -> Claim (map) -> Briefing (reduce) -> renderers.

Every claim-bearing record carries a Citation: the article id plus the character
span of the supporting text in that article's ``text``. Renderers turn article ids
into labels ([1], [2] ...) through ``Briefing.sources``; nothing downstream ever
has to guess which article a sentence came from.

The records are pydantic models so that they round-trip through JSON (the
``--format json`` output and the LLM cache) and so the LLM chain can derive its
``json_schema`` response formats from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# Bump when a field is renamed or removed; adding optional fields keeps the version, as
# ``Briefing.from_json`` ignores fields it does not know (JSON from a newer release reads).
SCHEMA_VERSION = 1
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Article(Record):
    """One loaded source article. ``text`` is the cleaned body that spans point into."""

    id: str = Field(description="Stable id derived from the normalised text, e.g. 'a3f9c2d1e0b4'.")
    label: int = Field(description="1-based position, rendered as [label].")
    title: str
    text: str
    outlet: str | None = None
    author: str | None = None
    date: str | None = Field(default=None, description="ISO date (YYYY-MM-DD) when known.")
    url: str | None = None
    path: str | None = Field(default=None, description="File the article was read from, or '-'.")
    duplicates: list[str] = Field(
        default_factory=list,
        description="Paths/URLs of exact or near-duplicate copies merged into this article.",
    )

    def ref(self) -> SourceRef:
        return SourceRef(
            id=self.id,
            label=self.label,
            title=self.title,
            outlet=self.outlet,
            author=self.author,
            date=self.date,
            url=self.url,
            path=self.path,
            duplicates=list(self.duplicates),
            chars=len(self.text),
        )


class SourceRef(Record):
    """What the briefing keeps of an article: everything but the body."""

    id: str
    label: int
    title: str
    outlet: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    path: str | None = None
    duplicates: list[str] = Field(default_factory=list)
    chars: int = 0


class Chunk(Record):
    """A token-bounded slice of one article, cut on sentence or paragraph boundaries."""

    article_id: str
    index: int
    start: int = Field(description="Character offset into Article.text (inclusive).")
    end: int = Field(description="Character offset into Article.text (exclusive).")
    tokens: int
    text: str


class Citation(Record):
    """Where a statement is supported: article id + character span + the quoted text."""

    article_id: str
    start: int
    end: int
    quote: str


class NumberMention(Record):
    """A number in a claim and the thing it counts ('16', 'killed')."""

    value: float
    text: str = Field(description="The number as written, e.g. 'at least 16' or 'dozens'.")
    counts: str = Field(description="What is counted, e.g. 'killed', 'targets', 'injured'.")


class Claim(Record):
    """One statement from one article (the map stage's unit of output)."""

    text: str
    citation: Citation
    attribution: str | None = Field(
        default=None, description="Who the article says makes the claim, e.g. 'Iraqi military'."
    )
    numbers: list[NumberMention] = Field(default_factory=list)
    date: str | None = Field(default=None, description="ISO date/time the claim is about.")
    actors: list[str] = Field(default_factory=list)


class Point(Record):
    """A key point of the briefing, supported by one or more citations."""

    text: str
    citations: list[Citation] = Field(default_factory=list)
    parts: list[Point] = Field(
        default_factory=list,
        description=(
            "When the point joins sentences that different sources support: each sentence "
            "with its own citations, in order (text and citations are their join and union)."
        ),
        # Most points are one sentence: an empty "parts" on each would be noise in the JSON.
        exclude_if=lambda parts: not parts,
    )


class SourceVersion(Record):
    """One source's side of a divergence."""

    text: str = Field(description="What this source says, e.g. 'at least 16 killed'.")
    citation: Citation


DivergenceKind = Literal["numeric", "attribution", "framing", "other"]


class Divergence(Record):
    """A point where the accounts disagree, with each source's version side by side."""

    topic: str = Field(description="What the sources disagree about, e.g. 'Death toll in Iraq'.")
    kind: DivergenceKind
    versions: list[SourceVersion] = Field(min_length=2)
    note: str | None = None
    note_citations: list[Citation] = Field(
        default_factory=list,
        description="Where the sources the note names beyond the versions say it.",
    )


class SingleSourceNote(Record):
    """A salient fact that only one source reports."""

    text: str
    citation: Citation


class TimelineEntry(Record):
    when: str = Field(description="ISO date or date-time, sortable.")
    label: str = Field(description="Human form of the time as reported, e.g. 'Friday, 2 Feb'.")
    text: str
    citations: list[Citation] = Field(default_factory=list)


# Said wherever a briefing rests on a single article (loading, both engines, renderers).
ONE_ARTICLE_WARNING = "one article only: divergences need two or more articles"


MAX_WARNING_LINES = 3  # more sources than this named in one kind of warning share a line
MAX_NAMES_LISTED = 8  # a warning naming 20 outlets is a paragraph, not a line


def named_warnings(names: list[str], each: str, together: str) -> list[str]:
    """One warning per name (``each`` with ``{name}``), or past MAX_WARNING_LINES names one
    line for all (``together`` with ``{count}`` and ``{names}``, the first eight listed)."""
    if len(names) <= MAX_WARNING_LINES:
        return [each.format(name=name) for name in names]
    return [together.format(count=len(names), names=name_list(names))]


def name_list(names: Sequence[str]) -> str:
    """'a, b, c' or, past MAX_NAMES_LISTED names, 'a, ..., h and 12 more'."""
    shown = ", ".join(names[:MAX_NAMES_LISTED])
    more = len(names) - MAX_NAMES_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def uncited_warnings(names: list[str]) -> list[str]:
    """Run warnings naming the sources that reported something but are cited nowhere."""
    return named_warnings(
        names,
        "source {name} is not cited in the briefing",
        "{count} sources are not cited in the briefing: {names}",
    )


class RunInfo(Record):
    """How the briefing was made: engine, model, counts, timings, accounting."""

    engine: Literal["offline", "llm"]
    model: str | None = None
    generated_at: str = Field(
        default_factory=lambda: datetime.now(UTC).replace(microsecond=0).isoformat()
    )
    version: str = ""
    counts: dict[str, int] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)
    usage: dict[str, object] = Field(
        default_factory=dict, description="LLM accounting: calls, tokens per stage, cost ..."
    )
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Briefing(Record):
    schema_version: int = SCHEMA_VERSION
    headline: str
    bottom_line: Point
    points: list[Point] = Field(default_factory=list)
    divergences: list[Divergence] = Field(default_factory=list)
    single_source: list[SingleSourceNote] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    unverified: list[Point] = Field(
        default_factory=list,
        description="Statements whose citations could not be grounded; never printed as fact.",
    )
    sources: list[SourceRef] = Field(default_factory=list)
    run: RunInfo

    def source(self, article_id: str) -> SourceRef | None:
        for ref in self.sources:
            if ref.id == article_id:
                return ref
        return None

    def cited_ids(self) -> set[str]:
        """Ids of the articles the briefing cites anywhere it states something as fact;
        ``unverified`` does not count, since it is never printed as fact."""
        cited = {c.article_id for p in (self.bottom_line, *self.points) for c in p.citations}
        cited |= {v.citation.article_id for d in self.divergences for v in d.versions}
        cited |= {c.article_id for d in self.divergences for c in d.note_citations}
        cited |= {n.citation.article_id for n in self.single_source}
        cited |= {c.article_id for e in self.timeline for c in e.citations}
        return cited

    def label_of(self, article_id: str) -> str:
        ref = self.source(article_id)
        return f"[{ref.label}]" if ref else "[?]"

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def reader_schema(cls) -> dict[str, object]:
        """The JSON Schema of ``to_json`` output, for readers in other languages. Unlike
        the records it lets objects carry fields it does not name, as a later release
        with the same ``schema_version`` may add some."""
        schema = _open(cls.model_json_schema(mode="serialization"))
        # Pydantic writes draft 2020-12 without saying so; validators guess older drafts.
        return {"$schema": JSON_SCHEMA_DIALECT, **schema}

    @classmethod
    def from_json(cls, data: str | bytes | Mapping[str, object]) -> Briefing:
        """A briefing from ``to_json`` output (its text, or what ``json.load`` made of it),
        also that of a later release with the same ``schema_version`` (its added fields
        are ignored). A later schema_version renamed or removed fields, so it is refused
        rather than misread. JSON that is not a briefing's raises a one-line ValueError."""
        try:
            if isinstance(data, Mapping):
                briefing = cls.model_validate(data, extra="ignore")
            elif isinstance(data, str | bytes | bytearray):
                briefing = cls.model_validate_json(data, extra="ignore")
            else:
                raise TypeError(
                    f"Briefing.from_json takes JSON text or a dict, not "
                    f"{type(data).__name__}; for a file: Briefing.from_json(path.read_text())"
                )
        except ValidationError as exc:
            problems = exc.errors(include_url=False)
            first = problems[0]
            where = ".".join(str(part) for part in first["loc"]) or "the top level"
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ValueError(
                f"not a briefing's JSON: {where}: {first['msg']}{more}; pass what "
                "`briefing build -f json` or Briefing.to_json wrote"
            ) from None
        if briefing.schema_version > SCHEMA_VERSION:
            raise ValueError(
                f"this briefing JSON has schema_version {briefing.schema_version}, newer than "
                f"the {SCHEMA_VERSION} this release reads; upgrade briefing to read it"
            )
        return briefing


def _open(schema: object) -> dict[str, object]:
    """``schema`` with every ``"additionalProperties": false`` left out."""

    def walk(node: object) -> object:
        if isinstance(node, dict):
            return {
                key: walk(value)
                for key, value in node.items()
                if not (key == "additionalProperties" and value is False)
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    opened = walk(schema)
    assert isinstance(opened, dict)
    return opened

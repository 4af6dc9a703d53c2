"""The JSON the model is asked to return at each stage, and its strict json_schema.

These are wire records, not the output records of briefing.model: the model
returns verbatim quotes and ids of the notes it was shown; spans and citations
are computed in code (grounding.py, notes.py), never trusted from the model.

Validation is lenient where leniency is harmless (missing optional fields,
numbers written as strings, extra keys), because servers in ``--json-mode
object``/``none`` do not enforce the schema; the schema sent in ``schema`` mode
is strict (every property required, no additional properties).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from ..model import DivergenceKind

# Keywords OpenAI's strict mode rejects or that only add noise to the prompt.
_STRIP_KEYS = {"default", "title", "examples", "format", "minLength", "maxLength"}
_STRIP_KEYS |= {"minItems", "maxItems", "minimum", "maximum", "pattern", "description"}


class Wire(BaseModel):
    # Local models in object or none mode write ids as numbers ("article_id": 3): the
    # prompts show sources as [3]. A number where text is asked for is that text.
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


W = TypeVar("W", bound=Wire)


class WireNumber(Wire):
    value: float | None = None
    text: str = ""  # as written, e.g. "at least 16"
    counts: str = ""  # what is counted, e.g. "killed"

    @field_validator("value", mode="before")
    @classmethod
    def _lenient_value(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return float(value.replace(",", "").strip())
            except ValueError:
                return None
        return value


class MapClaim(Wire):
    article_id: str  # the id (source number) of the ARTICLE block the quote is from
    quote: str  # verbatim from that block
    text: str
    attribution: str | None = None
    numbers: list[WireNumber] = Field(default_factory=list)
    date: str | None = None
    actors: list[str] = Field(default_factory=list)  # whom it is about: collapse groups by it


class MapNotes(Wire):
    claims: list[MapClaim]  # required: a reply without it is repaired, not taken as "none"


class CollapseNote(Wire):
    text: str
    ids: list[str]  # the input notes this note stands for
    attribution: str | None = None
    numbers: list[WireNumber] = Field(default_factory=list)
    date: str | None = None


class CollapseNotes(Wire):
    notes: list[CollapseNote] = Field(default_factory=list)


class Cite(Wire):
    id: str | None = None  # a note id, e.g. "c12"
    article_id: str | None = None  # or a source number (or article id) with a verbatim quote
    quote: str | None = None


def _cite_from_id(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


# The reduce step cites notes, so the schema asks for bare ids: ["c12", "c40"]. An object
# per citation ({"id": "c12", "article_id": null, "quote": null}, every key required in
# strict mode) cost about 12 more reply tokens each, a fifth of a typical reduce reply, on
# the one call every run waits for. The object form is still read (servers in object or
# none mode, replies cached by earlier versions): a source number with a verbatim quote.
CiteRef = Annotated[Cite, BeforeValidator(_cite_from_id), WithJsonSchema({"type": "string"})]


class WirePoint(Wire):
    text: str
    citations: list[CiteRef] = Field(default_factory=list)


class WireVersion(Wire):
    text: str
    citations: list[CiteRef] = Field(default_factory=list)


class WireDivergence(Wire):
    topic: str
    kind: DivergenceKind = "other"
    versions: list[WireVersion] = Field(default_factory=list)
    note: str | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _lenient_kind(cls, value: Any) -> Any:
        known = ("numeric", "attribution", "framing", "other")
        return value if value in known else "other"


class WireTimelineEntry(Wire):
    when: str  # ISO date or date-time
    label: str  # the time as reported, e.g. "Friday afternoon"
    text: str
    citations: list[CiteRef] = Field(default_factory=list)


class ReduceReply(Wire):
    headline: str
    bottom_line: WirePoint
    points: list[WirePoint] = Field(default_factory=list)
    divergences: list[WireDivergence] = Field(default_factory=list)
    single_source: list[WirePoint] = Field(default_factory=list)
    timeline: list[WireTimelineEntry] = Field(default_factory=list)


SCHEMA_NAMES: dict[type[Wire], str] = {
    MapNotes: "map_notes",
    CollapseNotes: "collapse_notes",
    ReduceReply: "briefing",
}


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema made strict: all properties required, nothing extra."""
    schema = copy.deepcopy(model.model_json_schema())

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for entry in node:
                visit(entry)
            return
        if not isinstance(node, dict):
            return
        for key in _STRIP_KEYS & node.keys():
            # "title"/"default" here are schema keywords, never property names:
            # properties live one level down, under "properties".
            del node[key]
        options = node.get("anyOf")
        if isinstance(options, list) and all(o.keys() == {"type"} for o in options):
            # {"anyOf": [{"type": "string"}, {"type": "null"}]} -> {"type": ["string", "null"]}:
            # the same schema (strict mode accepts both), in fewer prompt tokens.
            node["type"] = [o["type"] for o in node.pop("anyOf")]
        props = node.get("properties")
        if isinstance(props, dict):
            node["required"] = list(props)
            node["additionalProperties"] = False
            for prop in props.values():
                visit(prop)
        for key in ("items", "anyOf", "allOf", "$defs"):
            child = node.get(key)
            if isinstance(child, dict) and key == "$defs":
                for sub in child.values():
                    visit(sub)
            elif child is not None:
                visit(child)

    visit(schema)
    return schema


def response_format(model: type[Wire], json_mode: str) -> dict[str, Any] | None:
    """The ``response_format`` request parameter for ``json_mode``."""
    if json_mode == "schema":
        return {
            "type": "json_schema",
            "json_schema": {
                "name": SCHEMA_NAMES[model],
                "strict": True,
                "schema": strict_schema(model),
            },
        }
    if json_mode == "object":
        return {"type": "json_object"}
    return None


def format_instructions(model: type[Wire], json_mode: str) -> str:
    """What the prompt says about the reply format (the ``$format`` placeholder)."""
    if json_mode == "schema":
        return "Reply with one JSON object that follows the response schema."
    schema = json.dumps(strict_schema(model), separators=(",", ":"))
    return (
        "Reply with one JSON object and nothing else (no prose, no code fences). "
        f"It must follow this JSON Schema:\n{schema}"
    )


class ReplyInvalid(Exception):
    """A reply that is not JSON or does not fit the schema; ``str()`` is shown to the model."""


def _extract_json(text: str) -> Any:
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        stripped = stripped.rsplit("```", 1)[0]
    try:
        return _clean(json.loads(stripped))
    except RecursionError:
        raise ReplyInvalid("the reply's JSON is nested too deeply to read") from None
    except json.JSONDecodeError as first_error:
        start, end = stripped.find("{"), stripped.rfind("}")
        if 0 <= start < end:
            try:
                return _clean(json.loads(stripped[start : end + 1]))
            except (json.JSONDecodeError, RecursionError):
                pass
        raise ReplyInvalid(f"the reply is not valid JSON ({first_error})") from None


# C0 controls but tab and newline, DEL, C1 controls and lone surrogates ("\ud800" in the
# JSON): none can be written out as UTF-8 text, or belongs in a briefing, a terminal or
# an e-mail header.
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _clean(value: Any) -> Any:
    """``value`` (parsed JSON) with every string's unwritable characters made spaces."""
    if isinstance(value, str):
        return _UNWRITABLE.sub(" ", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def parse_reply(text: str | None, model: type[W]) -> W:
    """The validated wire record in ``text``; ReplyInvalid says what is wrong."""
    if not text or not text.strip():
        raise ReplyInvalid("the reply is empty")
    data = _extract_json(text)
    if not isinstance(data, dict):
        raise ReplyInvalid(f"the reply is JSON but not an object (got {type(data).__name__})")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
            for e in err.errors()[:5]
        ]
        more = f" (and {err.error_count() - 5} more)" if err.error_count() > 5 else ""
        raise ReplyInvalid(
            "the reply does not match the schema: " + "; ".join(problems) + more
        ) from None

"""The records: JSON round-trip, schema version, provenance on every claim-bearing record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from briefing_fixture import make_briefing
from pydantic import ValidationError

from briefing.model import SCHEMA_VERSION, Briefing, Citation, Divergence, SourceVersion


def test_briefing_round_trips_through_json() -> None:
    original = make_briefing()
    text = original.to_json()
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION
    again = Briefing.from_json(text)
    assert again == original
    assert again.to_json() == text


def test_labels_come_from_the_sources() -> None:
    b = make_briefing()
    first = b.sources[0]
    assert b.label_of(first.id) == f"[{first.label}]"
    assert b.label_of("no-such-id") == "[?]"


def test_unknown_fields_are_rejected_when_built_in_code() -> None:
    data = json.loads(make_briefing().to_json())
    data["surprise"] = 1
    with pytest.raises(ValidationError):
        Briefing.model_validate(data)


def test_json_from_a_later_release_reads_unless_its_schema_version_is_newer() -> None:
    # A later release may add optional fields without bumping the version: they are ignored.
    data = json.loads(make_briefing().to_json())
    data["confidence"] = 0.9
    data["points"][0]["emphasis"] = "high"
    data["points"][0]["citations"][0]["page"] = 3
    assert Briefing.from_json(json.dumps(data)) == make_briefing()
    # A bumped version renamed or removed something: refused, not misread.
    data["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(ValueError, match=f"schema_version {SCHEMA_VERSION + 1}, newer than"):
        Briefing.from_json(json.dumps(data))


def test_the_published_schema_reads_json_from_a_later_release() -> None:
    from jsonschema import Draft202012Validator

    data = json.loads(make_briefing(run_notes=True).to_json())
    schema = Briefing.reader_schema()
    # It names its dialect: validators that default to an older draft read it right.
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    reader = Draft202012Validator(schema)
    assert not list(reader.iter_errors(data))
    # Fields a later release may add, at the top and deep inside.
    data["confidence"] = 0.9
    data["divergences"][0]["versions"][0]["citation"]["page"] = 3
    assert not list(reader.iter_errors(data))
    # The records' own schema would refuse it: that is why readers get another one.
    assert list(Draft202012Validator(Briefing.model_json_schema()).iter_errors(data))
    # It still checks what is there.
    del data["headline"]
    data["points"][0]["citations"][0]["start"] = "ten"
    assert len(list(reader.iter_errors(data))) == 2


def test_a_divergence_needs_two_sides() -> None:
    side = SourceVersion(text="9 dead", citation=Citation(article_id="a", start=0, end=6,
                                                            quote="9 dead"))  # fmt: skip
    with pytest.raises(ValidationError):
        Divergence(topic="Toll", kind="numeric", versions=[side])
    with pytest.raises(ValidationError):
        Divergence(topic="Toll", kind="rumour", versions=[side, side])  # type: ignore[arg-type]


def test_saved_json_reads_back_from_text_or_parsed_and_is_importable_from_the_package() -> None:
    # A user trial: `from briefing import Briefing` failed, and json.load's dict was refused.
    from briefing import Briefing as Exported

    text = make_briefing().to_json()
    assert Exported is Briefing
    assert Briefing.from_json(json.loads(text)) == Briefing.from_json(text) == make_briefing()
    data = json.loads(text)
    data["confidence"] = 0.9  # a later release's field, in parsed form too
    assert Briefing.from_json(data) == make_briefing()


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ("not json", "the top level: Invalid JSON"),
        ("{}", "headline: Field required (and "),
        ({"headline": 1}, "headline: Input should be a valid string"),
    ],
)
def test_json_that_is_not_a_briefing_gets_one_line(data: object, where: str) -> None:
    with pytest.raises(ValueError, match=r"^not a briefing's JSON: ") as caught:
        Briefing.from_json(data)  # type: ignore[arg-type]
    message = str(caught.value)
    assert where in message and "\n" not in message and "pydantic.dev" not in message
    assert not isinstance(caught.value, ValidationError)


def test_from_json_names_what_it_takes() -> None:
    with pytest.raises(TypeError, match=r"JSON text or a dict, not PosixPath.*read_text"):
        Briefing.from_json(Path("saved.json"))  # type: ignore[arg-type]

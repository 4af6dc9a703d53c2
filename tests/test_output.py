"""File names and atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.errors import OutputError
from briefing.output import safe_name, slugify, write_atomic


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("U.S. strikes: 85 targets!", "us-strikes-85-targets"),
        ("Drone strike near Halvosk kills civilians", "drone-strike-near-halvosk-kills-civilians"),
        ("Ça va, Zürich?", "ca-va-zurich"),
        ("***", "briefing"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_cuts_on_a_word_boundary() -> None:
    slug = slugify("word " * 40)
    assert len(slug) <= 60 and not slug.endswith("-") and slug.endswith("word")


def test_write_atomic_replaces_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.md"
    write_atomic(target, "first")
    write_atomic(target, b"second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["out.md"]


def test_write_atomic_reports_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(blocker / "out.md", "data")
    assert blocker.read_text() == "x"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("2024-02-02_us_strikes", "2024-02-02_us_strikes"),
        ("../etc/passwd", "etc-passwd"),
        ("morning brief v2", "morning-brief-v2"),
        ("///", "briefing"),
    ],
)
def test_safe_name_keeps_what_the_user_typed(name: str, safe: str) -> None:
    assert safe_name(name) == safe

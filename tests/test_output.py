"""File names and atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.errors import OutputError
from briefing.output import check_output_dir, safe_name, slugify, write_all, write_atomic


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("U.S. strikes: 85 targets!", "us-strikes-85-targets"),
        ("Drone strike near Halvosk kills civilians", "drone-strike-near-halvosk-kills-civilians"),
        ("Ça va, Zürich?", "ca-va-zurich"),
        # Letters Unicode does not decompose are spelled out, not dropped.
        ("Die Straße in Łódź, Ærø", "die-strasse-in-lodz-aero"),
        ("***", "briefing"),
        # A user trial: every Cyrillic headline was written to briefing.md.
        ("Атака дронов на конвой: 12 погибших", "атака-дронов-на-конвой-12-погибших"),
        ("東京で地震", "東京で地震"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_a_slug_in_a_four_byte_script_stays_well_inside_a_file_name() -> None:
    # 60 Gothic letters are 240 bytes: with a suffix, more than a file name holds.
    slug = slugify(chr(0x10330) * 80)
    assert slug and len(slug.encode()) <= 115


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


def test_write_all_writes_every_format_or_none(tmp_path: Path) -> None:
    old = tmp_path / "b.md"
    old.write_text("yesterday's briefing")
    (tmp_path / "b.html").mkdir()  # a folder where the HTML should go
    with pytest.raises(OutputError, match="is a folder"):
        write_all({old: "today", tmp_path / "b.html": "<p>today</p>"})
    assert old.read_text() == "yesterday's briefing"
    # A format whose folder cannot be made: the other format is not left behind.
    (tmp_path / "blocker").write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_all({tmp_path / "c.md": "today", tmp_path / "blocker" / "c.html": "<p>today</p>"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.html", "b.md", "blocker"]
    write_all({tmp_path / "c.md": "today", tmp_path / "c.txt": b"today"})
    assert (tmp_path / "c.md").read_text() == (tmp_path / "c.txt").read_text() == "today"


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


def test_an_output_folder_that_is_a_broken_link_is_named_as_one(tmp_path: Path) -> None:
    # A fuzzing trial: -o pointing at a dangling link said "cannot write output (File
    # exists)", after the whole run.
    link = tmp_path / "latest"
    link.symlink_to(tmp_path / "2025-03-04")
    for folder in (link, link / "sub"):
        with pytest.raises(OutputError, match=r"latest is a link to a folder that does not exist"):
            check_output_dir(folder)
    (tmp_path / "2025-03-04").mkdir()
    check_output_dir(link / "sub")  # once the folder is there, the link is fine

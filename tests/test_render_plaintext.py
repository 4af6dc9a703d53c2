"""Plain-text renderer (the text/plain part of the e-mail)."""

from __future__ import annotations

from briefing_fixture import make_briefing, make_single_source_briefing

from briefing.model import SourceRef
from briefing.render import content as c
from briefing.render.plaintext import WIDTH, render_plaintext


def test_lines_are_wrapped_except_unbreakable_urls() -> None:
    text = render_plaintext(make_briefing(unverified=True))
    long = [ln for ln in text.splitlines() if len(ln) > WIDTH]
    assert all(ln.strip().startswith("https://") for ln in long), long


def test_sections_citations_and_divergences() -> None:
    text = render_plaintext(make_briefing(unverified=True))
    titles = [
        "BOTTOM LINE",
        "KEY POINTS",
        "WHERE ACCOUNTS DIVERGE",
        "REPORTED BY ONLY ONE SOURCE",
        "TIMELINE",
        "UNVERIFIED",
        "SOURCES",
    ]
    positions = [text.index(f"\n{t}\n") for t in titles]
    assert positions == sorted(positions)
    assert text.startswith("Ferry fire off Port Kessa kills at least nine")
    assert "different causes. [1][2][3]" in text
    assert "  [1] Meridian Wire: at least 14 killed\n" in text
    assert "      “At least 14 people were killed and 40 injured" in text
    assert "Death toll (numbers differ)" in text
    assert "  * NOT VERIFIED: The captain was arrested on Wednesday." in text


def test_sources_list_spells_out_urls_and_names_files() -> None:
    text = render_plaintext(make_briefing())
    sources = text[text.index("\nSOURCES\n") :]
    assert "[1] At least 14 dead as fire sweeps ferry off Port Kessa\n" in sources
    assert "    https://kessacourier.example/news/ferry-blaze?id=41&src=rss\n" in sources
    # The mail's text part: a file by its name, not the sender's folders.
    assert "    file: harbour-office-statement.txt\n" in sources
    assert "notes/" not in sources


def test_a_mail_names_files_without_the_sender_s_folders() -> None:
    # A user trial: the .eml and the email page listed "file: /home/.../b.txt".
    ref = SourceRef(
        id="a",
        label=1,
        title="Ferry fire",
        path="/home/alice/clients/acme/ferry.txt",
        duplicates=["/home/alice/clients/acme/ferry copy.txt", "https://wire.example/ferry"],
    )
    assert c.location_text(ref, mailed=True) == (None, "file: ferry.txt")
    assert c.duplicates_text(ref, mailed=True) == (
        "merged duplicates: ferry copy.txt, https://wire.example/ferry"
    )
    assert c.location_text(ref) == (None, "file: /home/alice/clients/acme/ferry.txt")


def test_text_is_taken_literally() -> None:
    text = render_plaintext(make_briefing(hostile=True))
    assert "<script>alert(1)</script>" in text  # plain text: nothing to escape, nothing runs
    assert "\\*" not in text and "&lt;" not in text


def test_control_characters_are_dropped() -> None:
    b = make_briefing()
    b.points[0].text = "Bell\x07 and \x1b[31mred\x1b[0m text"
    text = render_plaintext(b)
    assert "\x07" not in text and "\x1b" not in text
    assert "Bell and [31mred[0m text" in text


def test_one_source() -> None:
    text = render_plaintext(make_single_source_briefing())
    assert "Only one source: divergences need two or more." in text
    assert "Only one source: everything above comes from it." in text


def test_file_notes_come_last_and_warnings_first() -> None:
    text = render_plaintext(make_briefing(run_notes=True))
    assert text.index("Warnings: source [3] was cut") < text.index("BOTTOM LINE")
    assert text.rstrip().endswith("Run notes: merged duplicate copy.txt into [2]")

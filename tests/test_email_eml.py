"""The .eml message: structure, headers, addresses from arguments or environment."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import lxml.etree
import lxml.html
import pytest
from briefing_fixture import make_briefing

from briefing.errors import ConfigError, InputError
from briefing.render import render
from briefing.render.eml import (
    NO_RECIPIENTS,
    PLACEHOLDER_SENDER,
    build_message,
    load_message,
    message_bytes,
    readdress,
)
from briefing.render.markdown import render_markdown

GMAIL_CLIP = 102 * 1000


@pytest.fixture(autouse=True)
def _no_mail_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFING_MAIL_FROM", raising=False)
    monkeypatch.delenv("BRIEFING_MAIL_TO", raising=False)


def _parse(data: bytes) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    return msg


def test_seed_eml_parses_into_text_html_and_markdown_attachment() -> None:
    b = make_briefing(unverified=True)
    data = render(b, "eml", sender="Briefing Bot <bot@example.org>", recipients=["ana@example.org"])
    assert isinstance(data, bytes)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998  # RFC 5322 line limit
    msg = _parse(data)
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html = alternative.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert "WHERE ACCOUNTS DIVERGE" in plain.get_content()
    assert html.get_content_type() == "text/html"
    page = html.get_content()
    assert len(page.encode()) < GMAIL_CLIP
    assert "<script" not in page.lower()
    doc = lxml.html.document_fromstring(page)
    for el in doc.body.iter(lxml.etree.Element):
        own = (el.text or "") + "".join(child.tail or "" for child in el)
        if el.tag in ("p", "h1", "h2", "h3", "a") or (el.tag == "td" and own.strip()):
            assert el.get("style"), f"<{el.tag}> has no inline style"
    assert attachment.get_content_type() == "text/markdown"
    assert attachment.get_filename() == "briefing.md"
    assert attachment.get_content_disposition() == "attachment"
    # Text parts travel with CRLF line ends.
    assert attachment.get_content().replace("\r\n", "\n") == render_markdown(b)


def test_headers() -> None:
    b = make_briefing()
    when = datetime(2025, 3, 5, 9, 30, tzinfo=UTC)
    msg = build_message(
        b,
        sender="bot@example.org",
        recipients=["ana@example.org, Ben <ben@example.net>", "cy@example.com"],
        date=when,
    )
    assert msg["Subject"] == b.headline
    assert msg["From"] == "bot@example.org"
    assert msg["To"] == "ana@example.org, Ben <ben@example.net>, cy@example.com"
    assert msg["Date"].datetime == when
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@example.org>")
    assert build_message(b, subject="Morning\nbriefing")["Subject"] == "Morning briefing"


@pytest.mark.parametrize("length", [60, 72, 76, 90, 160])
def test_a_subject_reads_back_as_written_whatever_its_length(length: int) -> None:
    # A user trial: a 72-character headline went out as "Subject:\r\n Drone strike ...",
    # which Python's parser read back with a leading space.
    words = "Drone strike on truck convoy near the Dravennan border town kills at least twelve"
    subject = (words + " and more words to make it longer" * 5)[:length].rstrip()
    raw = message_bytes(build_message(make_briefing(), subject=subject))
    assert b"Subject:\r\n" not in raw
    assert BytesParser(policy=policy.default).parsebytes(raw)["Subject"] == subject
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_addresses_default_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_MAIL_FROM", "env-bot@example.org")
    monkeypatch.setenv("BRIEFING_MAIL_TO", "a@example.org, b@example.org")
    msg = build_message(make_briefing())
    assert msg["From"] == "env-bot@example.org"
    assert msg["To"] == "a@example.org, b@example.org"
    # Arguments win over the environment.
    assert build_message(make_briefing(), recipients="c@example.org")["To"] == "c@example.org"


def test_without_addresses_a_file_gets_placeholders() -> None:
    msg = build_message(make_briefing(), recipients=" , ")
    assert msg["From"] == PLACEHOLDER_SENDER
    assert msg["To"] == NO_RECIPIENTS


@pytest.mark.parametrize(
    "bad", ["not-an-address", "a@b.org\nBcc: evil@example.org", "x@", "a@b.org, x@"]
)
def test_bad_addresses_are_config_errors(bad: str) -> None:
    with pytest.raises(ConfigError, match="--mail-to"):
        build_message(make_briefing(), recipients=[bad])


def test_addresses_in_other_scripts_go_out_in_ascii_or_are_refused() -> None:
    # A fuzzing trial: "a@ü.example" crashed the run (UnicodeEncodeError) before any
    # file was written. A domain has an ASCII form (IDNA); a local part has none.
    msg = build_message(
        make_briefing(), sender="Jöhn <j@bücher.example>", recipients=["a@ü.example"]
    )
    raw = message_bytes(msg)
    assert b"j@xn--bcher-kva.example" in raw and b"a@xn--tda.example" in raw
    with pytest.raises(ConfigError, match=r"'dé@x\.example' \(--mail-to\): .*give an ASCII"):
        build_message(make_briefing(), recipients=["dé@x.example"])
    with pytest.raises(ConfigError, match=r"\(--mail-from\): not a valid domain name"):
        build_message(make_briefing(), sender="a@" + "ü" * 70 + ".example")


def test_oversized_briefing_says_the_full_version_is_attached() -> None:
    msg = build_message(make_briefing(extra_points=800), markdown_name="ferry.md")
    html = msg.get_body(("html",))
    assert html is not None
    page = html.get_content()
    assert len(page.encode()) < GMAIL_CLIP
    assert "the full briefing is attached as ferry.md." in page
    attachment = next(msg.iter_attachments())
    assert attachment.get_filename() == "ferry.md"
    assert "filler point number 800," in attachment.get_content()  # attachment is complete


def test_load_and_readdress_an_existing_eml() -> None:
    data = message_bytes(build_message(make_briefing()))
    msg = load_message(data)
    readdress(msg, sender="bot@example.org", recipients=["x@example.org", "y@example.org"])
    assert msg["From"] == "bot@example.org"
    assert msg["To"] == "x@example.org, y@example.org"
    assert msg.get_body(("html",)) is not None
    with pytest.raises(InputError, match=r"^notes\.md: not an e-mail message \(no headers\)"):
        load_message(b"", "notes.md")

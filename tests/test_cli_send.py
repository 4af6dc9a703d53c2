"""`briefing build --send` and `briefing send` through a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from test_cli import EXAMPLE, assert_one_line_error, run_cli

from briefing.errors import EXIT_CONFIG, EXIT_INPUT, EXIT_OUTPUT


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if any(r.startswith("nobody@") for r in envelope.rcpt_tos):
            return "550 5.1.1 No such user"
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, dict[str, str]]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        "BRIEFING_SMTP_HOST": "127.0.0.1",
        "BRIEFING_SMTP_PORT": str(port),
        "BRIEFING_SMTP_SECURITY": "none",
        "BRIEFING_MAIL_FROM": "desk-bot@example.org",
    }
    try:
        yield inbox, env
    finally:
        controller.stop()


def test_build_send_delivers_the_eml_it_writes(smtp: Any, tmp_path: Path) -> None:
    inbox, env = smtp
    proc = run_cli(
        "build", str(EXAMPLE), "-o", str(tmp_path), "-f", "md",
        "--send", "--mail-to", "ana@example.org,ben@example.net", env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "sent to ana@example.org, ben@example.net" in proc.stderr
    eml = next(tmp_path.glob("*.eml"))
    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert sorted(envelope.rcpt_tos) == ["ana@example.org", "ben@example.net"]
    delivered = BytesParser(policy=policy.default).parsebytes(envelope.content)
    written = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert delivered["Message-ID"] == written["Message-ID"]
    kinds = [part.get_content_type() for part in delivered.walk()]
    assert {"text/plain", "text/html", "text/markdown"} <= set(kinds)


def test_send_subcommand_readdresses_an_existing_eml(smtp: Any, tmp_path: Path) -> None:
    inbox, env = smtp
    made = run_cli("build", str(EXAMPLE), "-o", str(tmp_path), "-f", "eml", env=env)
    assert made.returncode == 0, made.stderr
    # The sender comes from the environment; the missing recipient is said, not silent.
    assert "placeholder addresses where none is given: --mail-to\n" in made.stderr
    eml = next(tmp_path.glob("*.eml"))
    proc = run_cli("send", str(eml), "--mail-to", "chief@example.com", env=env)
    assert proc.returncode == 0, proc.stderr
    assert [e.rcpt_tos for e in inbox.envelopes] == [["chief@example.com"]]


def test_permanent_refusal_is_one_line_and_exit_6(smtp: Any, tmp_path: Path) -> None:
    _, env = smtp
    proc = run_cli(
        "build", str(EXAMPLE), "-o", str(tmp_path), "--send", "--mail-to", "nobody@example.org",
        env=env,
    )  # fmt: skip
    assert_one_line_error(proc, EXIT_OUTPUT, "550")
    assert list(tmp_path.glob("*.eml"))  # the message is kept for `briefing send`


def test_send_refuses_what_is_not_an_eml_file_without_reading_it(smtp: Any, tmp_path: Path) -> None:
    _, env = smtp
    pipe = tmp_path / "briefing.eml"
    os.mkfifo(pipe)  # reading it waited for a writer forever; /dev/zero filled memory
    for given in (pipe, Path("/dev/zero")):
        proc = run_cli("send", str(given), "--mail-to", "a@example.org", env=env, timeout=30)
        assert_one_line_error(proc, EXIT_INPUT, f"{given}: not a regular file")
    big = tmp_path / "big.eml"
    with big.open("wb") as handle:
        handle.truncate(26 * 2**20)  # sparse: no disk used
    proc = run_cli("send", str(big), "--mail-to", "a@example.org", env=env)
    assert_one_line_error(proc, EXIT_INPUT, "over 25 MB, more than mail servers accept")


def test_send_without_recipient_is_a_config_error(smtp: Any, tmp_path: Path) -> None:
    _, env = smtp
    proc = run_cli("build", str(EXAMPLE), "-o", str(tmp_path), "--send", env=env)
    assert_one_line_error(proc, EXIT_CONFIG, "--mail-to")


@pytest.mark.parametrize(
    ("flags", "env_extra", "needle"),
    [
        (("--send", "--mail-to", "a@example.org"), {"BRIEFING_MAIL_FROM": ""}, "--mail-from"),
        (("-f", "eml", "--mail-to", "not an address"), {}, "not an address"),
        (("--send", "--mail-to", "a@example.org"), {"BRIEFING_SMTP_HOST": "a..b"}, "a..b"),
    ],
)
def test_bad_mail_settings_fail_before_any_work(
    smtp: Any, tmp_path: Path, flags: tuple[str, ...], env_extra: dict[str, str], needle: str
) -> None:
    _, env = smtp
    out = tmp_path / "out"
    proc = run_cli("build", str(EXAMPLE), "-o", str(out), *flags, env={**env, **env_extra})
    assert_one_line_error(proc, EXIT_CONFIG, needle)
    assert not out.exists()  # nothing was built or written

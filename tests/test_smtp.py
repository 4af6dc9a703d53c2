"""SMTP delivery against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import shlex
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from briefing_fixture import make_briefing

from briefing.delivery.smtp import SMTPSettings, send_message
from briefing.errors import ConfigError, OutputError
from briefing.render.eml import build_message, readdress
from briefing.render.markdown import render_markdown

SENDER = "bot@example.org"
TO = ["ana@example.org", "ben@example.net"]


class Store:
    """Accepts everything and keeps each delivered envelope."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.rcpt_calls = 0
        self.data_calls = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        self.rcpt_calls += 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_calls += 1
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class BusyOnce(Store):
    """Answers the first message with 451 (try again later), then accepts."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_calls += 1
        if self.data_calls == 1:
            return "451 4.3.0 Mailbox busy, try again later"
        self.envelopes.append(envelope)
        return "250 OK"


class RejectBen(Store):
    """Refuses one recipient for good (550), accepts the others."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        self.rcpt_calls += 1
        if address.startswith("ben@"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serve() -> Iterator[Any]:
    """serve(handler, **controller_kwargs) -> port; servers stop after the test."""
    running: list[Controller] = []

    def start(handler: Store, **kwargs: Any) -> int:
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        running.append(controller)
        return port

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD"):
        monkeypatch.delenv(f"BRIEFING_SMTP_{name}", raising=False)
    monkeypatch.delenv("BRIEFING_MAIL_FROM", raising=False)
    monkeypatch.delenv("BRIEFING_MAIL_TO", raising=False)


def _plain(port: int) -> SMTPSettings:
    return SMTPSettings.from_env("127.0.0.1", port, "none")


def _message(**kwargs: Any) -> EmailMessage:
    return build_message(make_briefing(), sender=SENDER, recipients=TO, **kwargs)


def _received(envelope: Any) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(envelope.content)
    assert isinstance(msg, EmailMessage)
    return msg


def test_delivers_the_seed_message_with_all_its_parts(serve: Any) -> None:
    store = Store()
    port = serve(store)
    result = send_message(_message(), _plain(port), backoff=0)
    assert result.accepted == tuple(TO)
    assert result.refused == {}
    assert result.attempts == 1
    [envelope] = store.envelopes
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == TO
    msg = _received(envelope)
    # Not folded right after "Subject:", which left the value a leading space.
    assert msg["Subject"] == make_briefing().headline
    assert b"Subject:\r\n" not in envelope.original_content
    assert msg["To"] == ", ".join(TO)
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert plain is not None and "WHERE ACCOUNTS DIVERGE" in plain.get_content()
    assert html is not None
    page = html.get_content()
    assert 'id="where-accounts-diverge"' in page and "<script" not in page
    assert len(page.encode()) < 102 * 1000
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "briefing.md"
    assert attachment.get_content().replace("\r\n", "\n") == render_markdown(make_briefing())


def test_readdressed_message_goes_to_the_new_addresses(serve: Any) -> None:
    store = Store()
    port = serve(store)
    msg = readdress(_message(), sender="other@example.org", recipients="cy@example.com")
    result = send_message(msg, _plain(port), backoff=0)
    assert result.accepted == ("cy@example.com",)
    assert store.envelopes[0].mail_from == "other@example.org"
    assert store.envelopes[0].rcpt_tos == ["cy@example.com"]
    delivered = _received(store.envelopes[0])
    assert (delivered["From"], delivered["To"]) == ("other@example.org", "cy@example.com")


def test_temporary_451_is_retried(serve: Any) -> None:
    store = BusyOnce()
    port = serve(store)
    result = send_message(_message(), _plain(port), attempts=3, backoff=0)
    assert result.attempts == 2
    assert store.data_calls == 2
    assert len(store.envelopes) == 1


def test_temporary_failure_gives_up_after_the_set_attempts(serve: Any) -> None:
    class AlwaysBusy(Store):
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.data_calls += 1
            return "451 4.3.0 Still busy"

    store = AlwaysBusy()
    port = serve(store)
    with pytest.raises(OutputError, match=r"answered 451 4\.3\.0 Still busy; gave up after 2"):
        send_message(_message(), _plain(port), attempts=2, backoff=0)
    assert store.data_calls == 2


def test_permanent_550_fails_at_once_naming_code_and_recipient(serve: Any) -> None:
    store = RejectBen()
    port = serve(store)
    msg = build_message(make_briefing(), sender=SENDER, recipients="ben@example.net")
    with pytest.raises(OutputError) as err:
        send_message(msg, _plain(port), attempts=3, backoff=0)
    assert "ben@example.net (550 5.1.1 No such user here)" in str(err.value)
    assert "\n" not in str(err.value)
    assert store.rcpt_calls == 1  # no retry storm
    assert store.envelopes == []


def test_partly_refused_recipients_are_reported(serve: Any) -> None:
    store = RejectBen()
    port = serve(store)
    result = send_message(_message(), _plain(port), backoff=0)
    assert result.accepted == ("ana@example.org",)
    assert result.refused == {"ben@example.net": (550, "5.1.1 No such user here")}
    assert store.envelopes[0].rcpt_tos == ["ana@example.org"]


def test_unreachable_server_is_retried_then_reported() -> None:
    port = _free_port()  # nothing listens there
    with pytest.raises(
        OutputError, match=r"cannot reach SMTP server 127\.0\.0\.1:\d+ .*gave up after 2"
    ):
        send_message(_message(), _plain(port), attempts=2, backoff=0)


@pytest.mark.parametrize(
    ("greeting", "said"),
    [
        (b"garbage here\x00\x1b[31m\r\n", "(a reply with no SMTP code)"),
        # A reply, but not the greeting (220) it waits for; control bytes shown as spaces.
        (b"250 ok\x1b[31m\r\n", "(250 ok [31m out of turn)"),
    ],
)
def test_a_server_that_does_not_speak_smtp_is_named_so(greeting: bytes, said: str) -> None:
    # A fuzzing trial: "SMTP server ... answered -1 arbage here" and "answered 250 ok" as
    # the error, with the server's control bytes echoed to the terminal.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def greet() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.sendall(greeting)
            conn.recv(1024)

    threading.Thread(target=greet, daemon=True).start()
    try:
        with pytest.raises(OutputError) as err:
            send_message(_message(), _plain(listener.getsockname()[1]), attempts=1, backoff=0)
    finally:
        listener.close()
    message = str(err.value)
    assert "does not answer as an SMTP server" in message and said in message
    assert "check --smtp-host and --smtp-port" in message
    assert all(ch.isprintable() for ch in message)


def test_sending_needs_real_addresses(serve: Any) -> None:
    port = serve(Store())
    no_from = build_message(make_briefing(), recipients=TO)
    with pytest.raises(ConfigError, match="--mail-from or set BRIEFING_MAIL_FROM"):
        send_message(no_from, _plain(port))
    no_to = build_message(make_briefing(), sender=SENDER)
    with pytest.raises(ConfigError, match="--mail-to or set BRIEFING_MAIL_TO"):
        send_message(no_to, _plain(port))


def test_starttls_required_but_not_offered_fails_without_retry(serve: Any) -> None:
    store = Store()
    port = serve(store)
    settings = SMTPSettings.from_env("127.0.0.1", port)  # starttls by default
    with pytest.raises(OutputError, match="STARTTLS") as err:
        send_message(_message(), settings, attempts=3, backoff=0)
    assert "gave up" not in str(err.value)


def test_ssl_against_a_plain_server_fails_without_retry(serve: Any) -> None:
    port = serve(Store())
    settings = SMTPSettings.from_env("127.0.0.1", port, "ssl")
    with pytest.raises(OutputError, match="TLS with SMTP server") as err:
        send_message(_message(), settings, attempts=3, backoff=0)
    assert "gave up" not in str(err.value)


# --- settings ---------------------------------------------------------------------------


def test_settings_from_env_and_arguments() -> None:
    env = {
        "BRIEFING_SMTP_HOST": "mail.example.org",
        "BRIEFING_SMTP_SECURITY": "SSL",
        "BRIEFING_SMTP_USER": "bot",
        "BRIEFING_SMTP_PASSWORD": "s3cret-pw",
    }
    s = SMTPSettings.from_env(environ=env)
    assert (s.host, s.port, s.security, s.user, s.password) == (
        "mail.example.org",
        465,
        "ssl",
        "bot",
        "s3cret-pw",
    )
    assert "s3cret-pw" not in repr(s) and "bot" not in repr(s)
    s = SMTPSettings.from_env("smtp.example.net", "2525", "starttls", environ=env)
    assert (s.host, s.port, s.security) == ("smtp.example.net", 2525, "starttls")
    assert SMTPSettings.from_env("h", environ={}).port == 587
    assert SMTPSettings.from_env("h", security="none", environ={}).port == 25


@pytest.mark.parametrize(
    ("kwargs", "env", "message"),
    [
        ({}, {}, "pass --smtp-host or set BRIEFING_SMTP_HOST"),
        ({"host": "h", "port": "smtp"}, {}, "bad SMTP port 'smtp'"),
        ({"host": "h", "port": 70000}, {}, "bad SMTP port 70000"),
        ({"host": "h", "security": "tls"}, {}, "unknown SMTP security 'tls'"),
        ({"host": "h"}, {"BRIEFING_SMTP_USER": "bot"}, "set both BRIEFING_SMTP_USER"),
        (
            {"host": "mail.example.org", "security": "none"},
            {"BRIEFING_SMTP_USER": "bot", "BRIEFING_SMTP_PASSWORD": "pw"},
            "refusing to send the SMTP password unencrypted",
        ),
    ],
)
def test_bad_settings_are_config_errors(
    kwargs: dict[str, Any], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        SMTPSettings.from_env(environ=env, **kwargs)


# --- AUTH and TLS -------------------------------------------------------------------------


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"bot",
        b"s3cret-pw",
    )
    # handled=False: let aiosmtpd answer 535 itself on failure.
    return AuthResult(success=ok, handled=False)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_with_credentials_from_the_environment(
    serve: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store()
    port = serve(store, authenticator=_authenticator, auth_require_tls=False, auth_required=True)
    monkeypatch.setenv("BRIEFING_SMTP_USER", "bot")
    monkeypatch.setenv("BRIEFING_SMTP_PASSWORD", "s3cret-pw")
    send_message(_message(), _plain(port), backoff=0)
    assert len(store.envelopes) == 1

    monkeypatch.setenv("BRIEFING_SMTP_PASSWORD", "wrong-pw")
    with pytest.raises(OutputError, match="check BRIEFING_SMTP_USER") as err:
        send_message(_message(), _plain(port), backoff=0)
    assert "wrong-pw" not in str(err.value)
    assert len(store.envelopes) == 1


@pytest.fixture(scope="module")
def tls_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context trusting it) from a throwaway self-signed cert."""
    if not shutil.which("openssl"):
        pytest.skip("openssl command not found: cannot make a test certificate")
    folder: Path = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = shlex.split(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
    )
    subprocess.run(
        [*command, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


def test_starttls_delivery(serve: Any, tls_pair: tuple[ssl.SSLContext, ssl.SSLContext]) -> None:
    server_ctx, client_ctx = tls_pair
    store = Store()
    port = serve(store, tls_context=server_ctx, require_starttls=True)
    settings = replace(SMTPSettings.from_env("127.0.0.1", port, "starttls"), tls_context=client_ctx)
    send_message(_message(), settings, backoff=0)
    assert len(store.envelopes) == 1
    # Without trusting the test CA the certificate is rejected: verification is on.
    with pytest.raises(OutputError, match="TLS with SMTP server"):
        send_message(_message(), SMTPSettings.from_env("127.0.0.1", port), backoff=0)


def test_implicit_tls_delivery(serve: Any, tls_pair: tuple[ssl.SSLContext, ssl.SSLContext]) -> None:
    server_ctx, client_ctx = tls_pair
    store = Store()
    port = serve(store, ssl_context=server_ctx)
    settings = replace(SMTPSettings.from_env("127.0.0.1", port, "ssl"), tls_context=client_ctx)
    result = send_message(_message(), settings, backoff=0)
    assert result.accepted == tuple(TO)
    assert len(store.envelopes) == 1

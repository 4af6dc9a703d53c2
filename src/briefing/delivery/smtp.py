"""Deliver an e-mail message over SMTP, retrying only what is worth retrying.

Temporary trouble (4xx replies, dropped or refused connections, timeouts) is
retried with exponential back-off; permanent refusals (5xx) fail at once with
an OutputError naming the code and the address. The SMTP user name and password
come from the environment only (BRIEFING_SMTP_USER / BRIEFING_SMTP_PASSWORD):
never from arguments, never printed, never in a repr.
"""

from __future__ import annotations

import copy
import ipaddress
import os
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Literal, cast

from ..errors import ConfigError, OutputError, terminal_text
from ..render.eml import NO_RECIPIENTS, PLACEHOLDER_SENDER, WIRE

Security = Literal["starttls", "ssl", "none"]
SECURITY_CHOICES: tuple[Security, ...] = ("starttls", "ssl", "none")
DEFAULT_PORTS: dict[Security, int] = {"starttls": 587, "ssl": 465, "none": 25}

ENV_HOST = "BRIEFING_SMTP_HOST"
ENV_PORT = "BRIEFING_SMTP_PORT"
ENV_SECURITY = "BRIEFING_SMTP_SECURITY"
ENV_USER = "BRIEFING_SMTP_USER"
ENV_PASSWORD = "BRIEFING_SMTP_PASSWORD"


@dataclass(frozen=True)
class SMTPSettings:
    """Where and how to connect. Build it with ``from_env``; credentials never show in repr."""

    host: str
    port: int
    security: Security = "starttls"
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    # None: the system's trusted CAs with host-name checking (tests pass their own CA).
    tls_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_env(
        cls,
        host: str | None = None,
        port: int | str | None = None,
        security: str | None = None,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> SMTPSettings:
        """Arguments (CLI flags) win over BRIEFING_SMTP_* variables; credentials are env-only."""
        env = os.environ if environ is None else environ
        host = (host or env.get(ENV_HOST) or "").strip()
        if not host:
            raise ConfigError(f"no SMTP server: pass --smtp-host or set {ENV_HOST}")
        try:
            host.encode("idna")  # what socket.getaddrinfo will do with it, checked up front
        except UnicodeError:
            raise ConfigError(
                f"SMTP host {host!r} is not a valid host name (--smtp-host / {ENV_HOST})"
            ) from None
        sec = (security or env.get(ENV_SECURITY) or "starttls").strip().lower()
        if sec not in SECURITY_CHOICES:
            raise ConfigError(
                f"unknown SMTP security {sec!r} (--smtp-security / {ENV_SECURITY}): "
                f"use {', '.join(SECURITY_CHOICES)}"
            )
        chosen = cast(Security, sec)
        raw_port = port if port not in (None, "") else env.get(ENV_PORT) or None
        number = DEFAULT_PORTS[chosen] if raw_port is None else _port(raw_port)
        user = env.get(ENV_USER) or None
        password = env.get(ENV_PASSWORD) or None
        if bool(user) != bool(password):
            raise ConfigError(f"set both {ENV_USER} and {ENV_PASSWORD} for SMTP login, or neither")
        if user and chosen == "none" and not _is_loopback(host):
            raise ConfigError(
                "refusing to send the SMTP password unencrypted: "
                "use --smtp-security starttls or ssl"
            )
        return cls(host=host, port=number, security=chosen, user=user, password=password)


def _port(value: int | str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 < number < 65536:
        raise ConfigError(f"bad SMTP port {value!r} (--smtp-port / {ENV_PORT}): give 1-65535")
    return number


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class SendResult:
    """Who got the message. ``refused`` holds recipients the server turned down
    while accepting others (address -> (code, reply)); the caller should warn."""

    accepted: tuple[str, ...]
    refused: dict[str, tuple[int, str]]
    attempts: int


def envelope(msg: EmailMessage) -> tuple[str, list[str]]:
    """Envelope sender and recipients from the message's own headers.

    To send to others than the headers name, re-address the message first
    (``render.eml.readdress``), so headers and envelope cannot disagree.
    """
    from_addr = parseaddr(str(msg.get("Sender") or msg.get("From") or ""))[1]
    if not from_addr or from_addr == PLACEHOLDER_SENDER:
        raise ConfigError(
            "no sender address to send from: pass --mail-from or set BRIEFING_MAIL_FROM"
        )
    headers = [str(v) for h in ("To", "Cc", "Bcc") for v in msg.get_all(h, [])]
    headers = [v for v in headers if v.strip() != NO_RECIPIENTS]
    to_addrs = [addr for _, addr in getaddresses(headers) if "@" in addr]
    if not to_addrs:
        raise ConfigError("no recipients to send to: pass --mail-to or set BRIEFING_MAIL_TO")
    return from_addr, list(dict.fromkeys(to_addrs))


def _reply(text: bytes | str) -> str:
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return terminal_text(raw)[:300]


def _is_temporary(exc: BaseException) -> bool:
    """4xx replies and connection trouble are worth another try; 5xx and TLS failures are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(
            400 <= code < 500 for code, _ in exc.recipients.values()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException | ssl.SSLError | ssl.CertificateError):
        return False  # e.g. STARTTLS not offered, bad certificate: retrying will not help
    if isinstance(exc, socket.gaierror):
        return False  # an unknown host name stays unknown
    # Network trouble (refused, reset, timed out); SMTPException is an OSError too, hence last.
    return isinstance(exc, OSError)


def _describe(exc: BaseException, settings: SMTPSettings) -> str:
    """One line saying what the server or the network said, and what to do."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{addr} ({code} {_reply(reply)})" for addr, (code, reply) in exc.recipients.items()
        )
        return f"SMTP server {where} refused the recipient(s): {refused}"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (
            f"SMTP server {where} refused the sender {_reply(exc.sender)} "
            f"({exc.smtp_code} {_reply(exc.smtp_error)}): check --mail-from"
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"SMTP login to {where} failed ({exc.smtp_code} {_reply(exc.smtp_error)}): "
            f"check {ENV_USER} and {ENV_PASSWORD}"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        if not 400 <= exc.smtp_code < 600:
            # -1: a reply with no SMTP code (smtplib has cut what it took for one off the
            # text); 2xx/3xx: an answer out of turn. Not an SMTP server on that port.
            said = (
                "a reply with no SMTP code"
                if exc.smtp_code < 0
                else f"{exc.smtp_code} {_reply(exc.smtp_error)} out of turn"
            )
            return (
                f"{where} does not answer as an SMTP server ({said}); "
                "check --smtp-host and --smtp-port"
            )
        return f"SMTP server {where} answered {exc.smtp_code} {_reply(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return (
            f"SMTP server {where} does not offer what is needed ({_reply(str(exc))}): "
            "for STARTTLS trouble try --smtp-security ssl, or none on a trusted network"
        )
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return (
            f"TLS with SMTP server {where} failed ({_reply(str(exc))}): "
            "check host, port and --smtp-security"
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return (
            f"SMTP server {where} closed the connection ({_reply(str(exc)) or 'no reason given'})"
        )
    if isinstance(exc, OSError):
        reason = exc.strerror or _reply(str(exc)) or type(exc).__name__
        return f"cannot reach SMTP server {where} ({reason}): check --smtp-host and --smtp-port"
    return f"sending through SMTP server {where} failed ({type(exc).__name__}: {_reply(str(exc))})"


def _open(settings: SMTPSettings) -> smtplib.SMTP:
    """Connect, secure and log in as the settings say."""
    context = settings.tls_context or ssl.create_default_context()
    client: smtplib.SMTP
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        client.ehlo()
        if settings.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if settings.user and settings.password:
            client.login(settings.user, settings.password)
    except BaseException:
        client.close()
        raise
    return client


def _deliver_once(
    msg: EmailMessage, settings: SMTPSettings, from_addr: str, to_addrs: list[str]
) -> dict[str, tuple[int, bytes]]:
    client = _open(settings)
    try:
        # send_message drops Bcc from what is sent and handles SMTPUTF8 when needed; it
        # writes with the message's policy, so the copy sent folds as the .eml file does.
        wired = copy.copy(msg)
        wired.policy = WIRE
        return client.send_message(wired, from_addr=from_addr, to_addrs=to_addrs)
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def send_message(
    msg: EmailMessage,
    settings: SMTPSettings,
    *,
    attempts: int = 3,
    backoff: float = 2.0,
) -> SendResult:
    """Send ``msg`` to the addresses in its headers (see ``envelope``).

    Waits ``backoff`` * 1, 2, 4 ... seconds between attempts (tests pass 0).
    Raises ConfigError for missing addresses, OutputError when delivery fails.
    """
    from tenacity import (
        RetryError,
        Retrying,
        retry_if_exception,
        stop_after_attempt,
        wait_exponential,
    )

    from_addr, to_addrs = envelope(msg)
    retrying = Retrying(
        stop=stop_after_attempt(max(1, attempts)),
        wait=wait_exponential(multiplier=backoff, max=60),
        retry=retry_if_exception(_is_temporary),
        reraise=False,
    )
    try:
        refused = retrying(_deliver_once, msg, settings, from_addr, to_addrs)
    except RetryError as err:
        last = err.last_attempt.exception()
        tries = err.last_attempt.attempt_number
        message = _describe(last, settings) if last else "SMTP delivery failed"
        raise OutputError(f"{message}; gave up after {tries} attempts") from last
    except (smtplib.SMTPException, OSError) as exc:
        raise OutputError(_describe(exc, settings)) from exc
    tries = retrying.statistics.get("attempt_number", 1)
    refused_out = {addr: (code, _reply(reply)) for addr, (code, reply) in refused.items()}
    accepted = tuple(a for a in to_addrs if a not in refused_out)
    return SendResult(accepted=accepted, refused=refused_out, attempts=tries)

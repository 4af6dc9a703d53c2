"""The briefing as a ready-to-send e-mail message (.eml).

multipart/mixed
  multipart/alternative
    text/plain  (plaintext renderer)
    text/html   (e-mail renderer: inlined styles, under Gmail's clipping size)
  text/markdown attachment (the full briefing, nothing trimmed)

Sender and recipients come from the arguments, else from BRIEFING_MAIL_FROM /
BRIEFING_MAIL_TO. A message written to a file may go without them (placeholders
are used); only sending insists on real addresses (see delivery/smtp.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, formataddr, getaddresses, make_msgid, parseaddr
from typing import Any

from ..errors import ConfigError, InputError
from ..model import Briefing
from . import content as c
from .email import render_email
from .markdown import render_markdown
from .plaintext import render_plaintext

ENV_FROM = "BRIEFING_MAIL_FROM"
ENV_TO = "BRIEFING_MAIL_TO"
PLACEHOLDER_SENDER = "briefing@localhost"
NO_RECIPIENTS = "undisclosed-recipients:;"
SUBJECT_CHARS = 200

_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+$")
_COMMAS = re.compile(r"(?:\s*,\s*)+")


def parse_addresses(values: str | Iterable[str] | None, *, what: str) -> list[str]:
    """Addresses from strings that may each hold a comma-separated list.

    Display names are kept ('Ana <ana@example.org>'). ``what`` names where the
    values came from, for the error message.
    """
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out = []
    for value in values:
        if "\n" in value or "\r" in value:
            raise ConfigError(f"line break in an e-mail address ({what}): give plain addresses")
        # Stray commas ("a@x.org, ") are harmless; anything else unparsable is an error.
        value = _COMMAS.sub(", ", value).strip(" ,")
        if not value:
            continue
        for name, addr in getaddresses([value]):
            if not _ADDRESS.match(addr):
                shown = c.one_line(value)
                raise ConfigError(f"not an e-mail address: {shown!r} ({what})")
            out.append(formataddr((name, _ascii_address(addr, what))))
    return out


def _ascii_address(addr: str, what: str) -> str:
    """``addr`` as headers and SMTP carry it: a domain in other scripts ("ü.example")
    in its IDNA form ("xn--tda.example"). A local part in other scripts needs SMTPUTF8
    end to end, which a written .eml cannot promise: refused with what to do."""
    if addr.isascii():
        return addr
    local, _, domain = addr.rpartition("@")
    if not local.isascii():
        raise ConfigError(
            f"{addr!r} ({what}): an address whose part before the @ is not ASCII cannot "
            "be written into an e-mail header here; give an ASCII address"
        )
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        raise ConfigError(f"{addr!r} ({what}): not a valid domain name") from None


def resolve_sender(sender: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The From address: the argument, else BRIEFING_MAIL_FROM, else None."""
    env = os.environ if environ is None else environ
    if sender:
        found = parse_addresses(sender, what="--mail-from")
    else:
        found = parse_addresses(env.get(ENV_FROM) or None, what=ENV_FROM)
    if len(found) > 1:
        raise ConfigError(f"more than one sender address given: {', '.join(found)}")
    return found[0] if found else None


def resolve_recipients(
    recipients: str | Iterable[str] | None, environ: Mapping[str, str] | None = None
) -> list[str]:
    """The To addresses: the argument(s), else BRIEFING_MAIL_TO (comma-separated), else []."""
    env = os.environ if environ is None else environ
    found = parse_addresses(recipients, what="--mail-to")
    return found or parse_addresses(env.get(ENV_TO) or None, what=ENV_TO)


def default_subject(briefing: Briefing) -> str:
    return c.short_quote(briefing.headline, SUBJECT_CHARS) or "Briefing"


def _msgid_domain(sender: str) -> str:
    domain = parseaddr(sender)[1].rpartition("@")[2]
    return re.sub(r"[^A-Za-z0-9.-]", "", domain) or "briefing.localhost"


def build_message(
    briefing: Briefing,
    *,
    sender: str | None = None,
    recipients: str | Iterable[str] | None = None,
    subject: str | None = None,
    markdown_name: str = "briefing.md",
    date: datetime | None = None,
) -> EmailMessage:
    """The briefing as a multipart e-mail: text + HTML alternatives, Markdown attached."""
    from_addr = resolve_sender(sender) or PLACEHOLDER_SENDER
    to_addrs = resolve_recipients(recipients)
    msg = EmailMessage(policy=policy.default)
    msg["Subject"] = c.one_line(subject) or default_subject(briefing)
    msg["From"] = from_addr
    msg["To"] = ", ".join(to_addrs) if to_addrs else NO_RECIPIENTS
    msg["Date"] = format_datetime(date or datetime.now().astimezone())
    msg["Message-ID"] = make_msgid("briefing", domain=_msgid_domain(from_addr))
    # Quoted-printable keeps every part 7-bit: no server needs 8BITMIME to relay it.
    msg.set_content(render_plaintext(briefing), cte="quoted-printable")
    html = render_email(briefing, full_briefing_hint=f"attached as {markdown_name}")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    msg.add_attachment(
        render_markdown(briefing),
        subtype="markdown",
        filename=markdown_name,
        cte="quoted-printable",
    )
    return msg


WIRE = policy.SMTP.clone(max_line_length=998)  # see ``message_bytes``


def message_bytes(msg: EmailMessage) -> bytes:
    """The message as it goes on the wire and into a .eml file (CRLF line ends).

    Headers fold only past RFC 5322's hard 998-octet limit, not its advised 78: Python
    folds a subject of 70-odd characters before its first word ("Subject:\\r\\n Drone
    strike ..."), which parsers, Python's own among them, read with a leading space."""
    return msg.as_bytes(policy=WIRE)


def render_eml(briefing: Briefing, **options: Any) -> bytes:
    """The briefing as .eml bytes. ``options`` are ``build_message``'s keyword arguments:
    sender, recipients, subject, markdown_name, date."""
    return message_bytes(build_message(briefing, **options))


def load_message(data: bytes, name: str = "the file") -> EmailMessage:
    """Parse a .eml file's bytes (for ``briefing send FILE.eml``); ``name`` is for errors."""
    msg = BytesParser(policy=policy.default).parsebytes(data)
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise InputError(
            f"{name}: not an e-mail message (no headers); give a .eml file from "
            "`briefing build -f eml`"
        )
    return msg


def readdress(
    msg: EmailMessage,
    *,
    sender: str | None = None,
    recipients: str | Iterable[str] | None = None,
) -> EmailMessage:
    """Replace From and/or To (and drop Cc/Bcc when recipients are given), in place."""
    if sender:
        from_addr = resolve_sender(sender)
        del msg["From"]
        msg["From"] = from_addr
    to_addrs = parse_addresses(recipients, what="--mail-to")
    if to_addrs:
        for header in ("To", "Cc", "Bcc"):
            del msg[header]
        msg["To"] = ", ".join(to_addrs)
    return msg

"""Bytes -> text: binary detection, encoding choice and mojibake repair (ftfy, lazily)."""

from __future__ import annotations

import re

from briefing.errors import InputError

_C1 = re.compile("[\x80-\x9f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def looks_binary(data: bytes) -> bool:
    """NUL bytes (outside UTF-16) or many control bytes in the first 8 KB."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if (b < 0x20 and b not in b"\t\n\r\f") or b == 0x7F)
    return controls > len(head) * 0.02


def decode_bytes(data: bytes, path: str) -> tuple[str, str | None]:
    """(text, note) from raw bytes: UTF-8 (BOM ok), UTF-16 with BOM, else Windows-1252.

    Latin-1 is never a fallback: it decodes anything, turning junk into C1 controls.
    cp1252 fails exactly on the bytes latin-1 would map to C1, so when cp1252 fails
    the input is not text in any encoding we can name.
    """
    binary = InputError(
        f"{path}: looks like a binary file, not an article; pass .txt, .md or .html files"
    )
    if looks_binary(data):
        raise binary
    note = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(
                f"{path}: starts like UTF-16 text but is not valid UTF-16 (cut short or "
                "damaged); save the file again as UTF-8"
            ) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise InputError(
                    f"{path}: cannot tell the text encoding (not UTF-8 or Windows-1252); "
                    "save the file as UTF-8"
                ) from None
            note = f"read {path} as Windows-1252 (it is not UTF-8)"
    if _mostly_not_text(text):
        raise binary
    return text, note


_TEXT_PUNCTUATION = frozenset(".,;:'\"!?()-<>/=#&{}[]_*%+@|~$`“”‘’–—…")


def _mostly_not_text(text: str) -> bool:
    sample = text[:8192]
    if not sample.strip():
        return False
    if len(_CONTROL.findall(sample)) + len(_C1.findall(sample)) > len(sample) * 0.02:
        return True
    # Markup and code punctuation count as text: a small HTML page is mostly tags.
    texty = sum(1 for ch in sample if ch.isalnum() or ch.isspace() or ch in _TEXT_PUNCTUATION)
    return texty < len(sample) * 0.7


def repair_text(text: str) -> str:
    """Normalise line ends and Unicode, and undo mojibake such as 'â€™' for '’'."""
    import ftfy

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    config = ftfy.TextFixerConfig(
        unescape_html=False,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        explain=False,
    )
    return ftfy.fix_text(text, config)

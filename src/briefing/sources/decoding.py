"""Bytes -> text: binary detection, encoding choice and mojibake repair (ftfy, lazily)."""

from __future__ import annotations

import re
import shlex
import unicodedata

from briefing.errors import InputError

_C1 = re.compile("[\x80-\x9f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def bomless_utf16(data: bytes) -> str | None:
    """The codec of UTF-16 saved without a byte-order mark ("utf-16-le" or "utf-16-be").

    Latin-script text in UTF-16 has a NUL as every other byte, on the same side of each
    pair; a binary file's NULs fall anywhere. Some Windows tools save text this way.
    None for anything else.
    """
    head = data[:8192]
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even, odd = head[0 : pairs * 2 : 2].count(0), head[1 : pairs * 2 : 2].count(0)
    if odd >= pairs * 0.8 and even == 0:
        return "utf-16-le"
    if even >= pairs * 0.8 and odd == 0:
        return "utf-16-be"
    return None


# Documents whose text we could misread: a PDF with plain streams, or RTF, passes as text,
# and the rest would only be called "binary", which does not say what to do.
_DOCUMENTS = (
    (b"%PDF-", "a PDF document", "extract its text first (for example: pdftotext FILE)"),
    (b"{\\rtf", "an RTF document", "save it as plain text (.txt) first"),
    (b"PK\x03\x04", "a zip archive (as .docx, .odt and .epub are)", "save it as plain text first"),
    (b"\xd0\xcf\x11\xe0", "an Office document (.doc, .xls)", "save it as plain text first"),
)


def document_error(data: bytes, path: str) -> InputError | None:
    """A one-line error for a document format briefing does not read, else None."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, kind, fix in _DOCUMENTS:
        if head.startswith(magic):
            return InputError(
                f"{path}: {kind}, not an article; {fix.replace('FILE', shlex.quote(path))}"
            )
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 8 KB (not asked of UTF-16: half NULs)."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if (b < 0x20 and b not in b"\t\n\r\f\v") or b == 0x7F)
    return controls > len(head) * 0.02


def decode_bytes(data: bytes, path: str) -> tuple[str, str | None]:
    """(text, note) from raw bytes: UTF-8 (BOM ok), UTF-16 (BOM or not), else Windows-1252.

    Latin-1 is never a fallback: it decodes anything, turning junk into C1 controls.
    cp1252 fails exactly on the bytes latin-1 would map to C1, so when cp1252 fails
    the input is not text in any encoding we can name.
    """
    if document := document_error(data, path):
        raise document
    binary = InputError(
        f"{path}: looks like a binary file, not an article; pass .txt, .md or .html files"
    )
    note = None
    with_bom = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    bomless = None if with_bom else bomless_utf16(data)
    if not (with_bom or bomless) and looks_binary(data):
        raise binary
    if with_bom or bomless:
        if bomless:
            note = f"read {path} as UTF-16 (it has no byte-order mark)"
        try:
            text = data.decode(bomless or "utf-16")
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
    sample = text[:8192]
    if not sample.strip():
        return text, note
    if len(_CONTROL.findall(sample)) + len(_C1.findall(sample)) > len(sample) * 0.02:
        raise binary
    if _mostly_not_text(sample):
        # Decoded cleanly, so text of a kind: emoji, symbols, combining or invisible marks.
        raise InputError(
            f"{path}: holds almost no words (mostly symbols or invisible characters), so "
            "no article; pass the article's text"
        )
    return text, note


_TEXT_PUNCTUATION = frozenset(".,;:'\"!?()-<>/=#&{}[]_*%+@|~$`“”‘’–—…")


def _mostly_not_text(sample: str) -> bool:
    # Markup and code punctuation count as text: a small HTML page is mostly tags. So do
    # combining marks: a third of Hindi's letters are vowel signs.
    texty = sum(
        1
        for ch in sample
        if ch.isalnum()
        or ch.isspace()
        or ch in _TEXT_PUNCTUATION
        or unicodedata.category(ch).startswith("M")
    )
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

"""Body text shared by the text and HTML parsers: paragraphs, repeated titles, date lines."""

from __future__ import annotations

import re

from briefing.sources.dedupe import normalise
from briefing.sources.metadata import parse_date_line

# A no-break space is a space; a soft hyphen (U+00AD, HTML's &shy;) only marks where a
# word may break, and inside a word it would split the name in every quote and search.
_SPACING = str.maketrans({"\u00a0": " ", "\u00ad": None})


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when long lines look like a fixed-width wrap rather than one line per paragraph."""
    long = [ln for ln in lines if len(ln) > 40]
    if len(long) < 4:
        return False
    return max(len(ln) for ln in long) <= 100 and any(not ln.strip() for ln in lines)


def build_paragraphs(lines: list[str]) -> str:
    """Body text: one paragraph per line, blank line between paragraphs.

    Hard-wrapped files (every line <= 100 chars, blank lines between blocks) get each
    block joined back into one paragraph.
    """
    lines = [" ".join(ln.translate(_SPACING).split()) for ln in lines]
    paragraphs: list[str] = []
    if _is_hard_wrapped(lines):
        block: list[str] = []
        for line in [*lines, ""]:
            if line:
                block.append(line)
            elif block:
                paragraphs.append(" ".join(block))
                block = []
    else:
        paragraphs = [ln for ln in lines if ln]
    return "\n\n".join(paragraphs)


def same_text(a: str, b: str) -> bool:
    return normalise(re.sub(r"[^\w\s]", "", a)) == normalise(re.sub(r"[^\w\s]", "", b))


def drop_repeats_and_dates(lines: list[str], title: str | None) -> tuple[list[str], str | None]:
    """Body lines without repeats of the title and lone date/timestamp lines.

    Pages repeat the headline over photos and sprinkle timestamps; neither is a claim.
    Returns the first such date too, as a fallback publication date.
    """
    kept: list[str] = []
    first_date: str | None = None
    for line in lines:
        if title and same_text(re.sub(r"\s+\d{1,4}$", "", line), title):
            continue
        dated = parse_date_line(line) if line.strip() else None
        if dated:
            first_date = first_date or dated[0]
            continue
        kept.append(line)
    return kept, first_date


def fallback_title(text: str) -> str:
    first = text.split("\n", 1)[0]
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) <= 100:
        return sentence
    return sentence[:100].rsplit(" ", 1)[0] + "…"

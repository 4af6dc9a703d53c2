"""The delimited text blocks the prompts carry: articles, notes and the source list.

The format is line based and documented in prompts/README.md, so both a model
and a test server (tests/llm_server.py) can find the stage, the sources and the
texts without guessing. The model knows a source by its number (the [n] of the
briefing), never by its 12-hex id: the number is what it must copy into a
claim or a citation, so it costs fewer tokens and is harder to garble.

    <<<ARTICLE id="3" outlet="Contiwire" date="2024-02-04" chunk="1/2">>>
    ...the chunk text, verbatim...
    <<<END ARTICLE>>>

    <<<NOTES count=2>>>
    #c1 [3] 2024-02-02: At least 16 people were killed.
    by: the Iraqi government

    #n1 [3,5]: ...
    <<<END NOTES>>>

    <<<SOURCES>>>
    [3] Contiwire
    <<<END SOURCES>>>

A map call may carry several ARTICLE blocks (chunks of different articles);
each claim names the block it quotes. Notes carry no quote: a note id resolves
to its claims' spans in code, so repeating the article's words at the collapse
and reduce steps would only cost tokens. For the same reason a note shows a
"numbers:" line only for figures its text does not already state.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping, Sequence

from ..model import Article, Chunk, NumberMention
from .notes import Note

_SPACE = re.compile(r"\s+")
SOURCE_NAME_CHARS = 40


def one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def source_name(article: Article, width: int = 60) -> str:
    """The outlet (else the title), cut at a word boundary to ``width`` characters."""
    name = one_line(article.outlet or article.title or f"source {article.label}")
    short = textwrap.shorten(name, width=width, placeholder="…")
    # shorten() leaves only the placeholder when the first word alone is too long.
    return short if short != "…" else name[: width - 1] + "…"


def article_block(article: Article, chunk: Chunk, part: str) -> str:
    attrs = {
        "id": str(article.label),
        "outlet": article.outlet,
        "date": article.date,  # lets the model date "on Tuesday"
        "chunk": part if part != "1/1" else None,
    }
    head = " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in attrs.items() if v)
    return f"<<<ARTICLE {head}>>>\n{chunk.text}\n<<<END ARTICLE>>>"


def _numbers(numbers: Sequence[NumberMention]) -> str:
    parts = []
    for n in numbers:
        value = f"{n.value:g}"
        written = one_line(n.text)
        suffix = f' (as "{written}")' if written and written != value else ""
        parts.append(f"{value} {one_line(n.counts) or 'unspecified'}{suffix}")
    return "; ".join(parts)


def _unstated(note: Note) -> list[NumberMention]:
    """The note's figures that its text does not already show as written."""
    text = note.text.casefold()
    return [
        n
        for n in note.numbers
        if not re.search(
            rf"(?<![\w.]){re.escape((one_line(n.text) or f'{n.value:g}').casefold())}(?!\w)", text
        )
    ]


def note_lines(note: Note, labels: Mapping[str, int]) -> str:
    """``#<id> [<source numbers>] <date>: <text>``, then "by:" and "numbers:" lines
    when they add something; ``labels`` maps article ids to source numbers."""
    sources = ",".join(str(labels.get(aid, "?")) for aid in note.article_ids)
    date = f" {one_line(note.date)}" if note.date else ""
    lines = [f"#{note.id} [{sources}]{date}: {one_line(note.text)}"]
    if note.attribution:
        lines.append(f"by: {one_line(note.attribution)}")
    if unstated := _unstated(note):
        lines.append(f"numbers: {_numbers(unstated)}")
    return "\n".join(lines)


def notes_block(notes: Sequence[Note], labels: Mapping[str, int]) -> str:
    body = "\n\n".join(note_lines(n, labels) for n in notes)
    return f"<<<NOTES count={len(notes)}>>>\n{body}\n<<<END NOTES>>>"


def sources_block(articles: Sequence[Article]) -> str:
    """One short line per article: its number and outlet (titles cost tokens and the
    model needs only to know which numbers are which sources)."""
    lines = [f"[{a.label}] {source_name(a, SOURCE_NAME_CHARS)}" for a in articles]
    return "<<<SOURCES>>>\n" + "\n".join(lines) + "\n<<<END SOURCES>>>"

"""The delimited text blocks the prompts carry: articles, notes and the source list.

The format is line based and documented in prompts/README.md, so both a model
and a test server (tests/llm_server.py) can find the stage, the article ids and
the texts without guessing:

    <<<ARTICLE id="a3f9c2d1e0b4" outlet="Contiwire" date="2024-02-04" chunk="1/2">>>
    ...the chunk text, verbatim...
    <<<END ARTICLE>>>

    <<<NOTES count=2>>>
    #c1 source: a3f9c2d1e0b4
    claim: At least 16 people were killed.
    by: the Iraqi government
    numbers: 16 killed (as "at least 16")
    date: 2024-02-02

    #n1 sources: a3f9c2d1e0b4; b0c1d2e3f4a5
    claim: ...
    <<<END NOTES>>>

    <<<SOURCES>>>
    a3f9c2d1e0b4: [1] Contiwire
    <<<END SOURCES>>>

A map call may carry several ARTICLE blocks (chunks of different articles);
each claim names the block it quotes. Notes carry no quote: a note id resolves
to its claims' spans in code, so repeating the article's words at the collapse
and reduce steps would only cost tokens.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ..model import Article, Chunk, NumberMention
from .notes import Note

_SPACE = re.compile(r"\s+")
SOURCE_NAME_CHARS = 40


def one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def source_name(article: Article) -> str:
    name = article.outlet or article.title or f"source {article.label}"
    return one_line(name)[:60]


def article_block(article: Article, chunk: Chunk, part: str) -> str:
    attrs = {
        "id": article.id,
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


def note_lines(note: Note) -> str:
    # Article ids only: the SOURCES block names the outlets once, not once per note.
    sources = "; ".join(note.article_ids)
    label = "source" if len(note.article_ids) == 1 else "sources"
    lines = [f"#{note.id} {label}: {sources}", f"claim: {one_line(note.text)}"]
    if note.attribution:
        lines.append(f"by: {one_line(note.attribution)}")
    if note.numbers:
        lines.append(f"numbers: {_numbers(note.numbers)}")
    if note.date:
        lines.append(f"date: {one_line(note.date)}")
    return "\n".join(lines)


def notes_block(notes: Sequence[Note]) -> str:
    body = "\n\n".join(note_lines(n) for n in notes)
    return f"<<<NOTES count={len(notes)}>>>\n{body}\n<<<END NOTES>>>"


def sources_block(articles: Sequence[Article]) -> str:
    """One short line per article: id, label and outlet (titles cost tokens and the
    model needs only to know which ids are which sources)."""
    lines = [f"{a.id}: [{a.label}] {source_name(a)[:SOURCE_NAME_CHARS]}" for a in articles]
    return "<<<SOURCES>>>\n" + "\n".join(lines) + "\n<<<END SOURCES>>>"

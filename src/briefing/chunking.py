"""Token counting (tiktoken) and token-bounded chunking of articles.

Chunks end on sentence boundaries (and never straddle a paragraph break when the
paragraph fits), carry the article id and character span, and may overlap by a
few sentences so a claim cut at a boundary is still seen whole by the map step.

tiktoken downloads its encodings on first use. Where that is impossible (no
network, no cache) counting falls back to an estimate of one token per four
characters, the rule of thumb OpenAI documents for English text, with one
warning line. The estimate errs high for English news, which keeps budgets safe.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .model import Article, Chunk
from .sentences import split_sentences

DEFAULT_ENCODING = "o200k_base"
CHARS_PER_TOKEN = 4


class Tokenizer(Protocol):
    name: str
    exact: bool

    def count(self, text: str) -> int: ...


@dataclass
class TiktokenTokenizer:
    encoding: Any  # tiktoken.Encoding; typed loosely so tiktoken is imported lazily
    exact: bool = True

    @property
    def name(self) -> str:
        return str(self.encoding.name)

    def count(self, text: str) -> int:
        return len(self.encoding.encode(text, disallowed_special=()))


@dataclass
class EstimateTokenizer:
    name: str = f"estimate({CHARS_PER_TOKEN} chars/token)"
    exact: bool = False

    def count(self, text: str) -> int:
        return math.ceil(len(text) / CHARS_PER_TOKEN)


# Encodings that could not be loaded, and why: not tried again in this process (each try
# may wait on the network).
_UNAVAILABLE: dict[str, str] = {}


def get_tokenizer(
    model: str | None = None,
    *,
    default_encoding: str = DEFAULT_ENCODING,
    warn: Callable[[str], None] | None = None,
) -> Tokenizer:
    """The tiktoken encoding for ``model`` (or ``default_encoding`` for unknown
    model names); an estimate, with one warning, when the encoding cannot be loaded."""
    import tiktoken

    warn = warn or logging.getLogger("briefing").warning  # library default; the CLI passes its own
    name = default_encoding
    if model:
        try:
            name = tiktoken.encoding_name_for_model(model)
        except KeyError:
            name = default_encoding
    reason = _UNAVAILABLE.get(name)
    if reason is None:
        try:
            return TiktokenTokenizer(tiktoken.get_encoding(name))
        except Exception as exc:  # network errors, missing files, bad cache: "no encoding"
            reason = _UNAVAILABLE[name] = type(exc).__name__
    warn(
        f"tiktoken encoding '{name}' unavailable ({reason}); token counts are estimated "
        f"at {CHARS_PER_TOKEN} characters per token"
    )
    return EstimateTokenizer()


def _hard_split(text: str, start: int, end: int, tok: Tokenizer, max_tokens: int) -> list[int]:
    """Cut points for one over-long sentence: at whitespace, each piece within budget."""
    cuts: list[int] = []
    pos = start
    while tok.count(text[pos:end]) > max_tokens:
        # Aim by characters, then back off until the piece fits.
        span = max(1, (end - pos) * max_tokens // max(tok.count(text[pos:end]), 1))
        cut = pos + span
        while cut > pos + 1 and tok.count(text[pos:cut]) > max_tokens:
            cut = pos + (cut - pos) * 9 // 10
        ws = text.rfind(" ", pos + 1, cut)
        cut = ws if ws > pos + (cut - pos) // 2 else cut
        cuts.append(cut)
        pos = cut
    return cuts


def chunk_article(
    article: Article, tokenizer: Tokenizer, *, max_tokens: int = 800, overlap_tokens: int = 0
) -> list[Chunk]:
    """Split one article into chunks of at most ``max_tokens`` tokens."""
    if max_tokens < 8:
        raise ValueError("max_tokens must be at least 8")
    text = article.text
    first, last = len(text) - len(text.lstrip()), len(text.rstrip())
    whole = text[first:last]
    if whole and (tokens := tokenizer.count(whole)) <= max_tokens:
        # One chunk: no sentence boundary to look for, and splitting sentences is most
        # of what a short article costs before its map call can start.
        return [
            Chunk(article_id=article.id, index=0, start=first, end=last, tokens=tokens, text=whole)
        ]
    units: list[tuple[int, int, int]] = []  # (start, end, paragraph)
    for s in split_sentences(text):
        pieces = [s.start, *_hard_split(text, s.start, s.end, tokenizer, max_tokens), s.end]
        units.extend((a, b, s.paragraph) for a, b in itertools.pairwise(pieces) if b > a)
    if not units:
        return []

    counts = [tokenizer.count(text[a:b]) for a, b, _ in units]
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        j, total = i, 0
        while j < len(units) and total + counts[j] <= max_tokens:
            total += counts[j]
            j += 1
        j = max(j, i + 1)
        # Prefer to end at a paragraph break if one falls in the last third of the chunk.
        if j < len(units):
            for k in range(j - 1, i + (j - i) * 2 // 3, -1):
                if units[k][2] != units[k + 1][2]:
                    j = k + 1
                    break
        start, end = units[i][0], units[j - 1][1]
        chunk_text = text[start:end]
        chunks.append(
            Chunk(
                article_id=article.id,
                index=len(chunks),
                start=start,
                end=end,
                tokens=tokenizer.count(chunk_text),
                text=chunk_text,
            )
        )
        if j >= len(units):
            break
        # Step back over whole sentences for the overlap, always making progress.
        back, k = 0, j
        while k - 1 > i and back + counts[k - 1] <= overlap_tokens:
            k -= 1
            back += counts[k]
        i = k
    return chunks

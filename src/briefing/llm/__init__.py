"""The LLM engine: a map-reduce chain over the chat-completions API with grounded citations.

Module map (one job each): config (LLMConfig, no heavy imports), budget (context
windows, token budgets, packing), prompts (templates from prompts/), blocks (the
delimited text the prompts carry), schema (wire records and their strict JSON
schema), cache (SQLite reply cache), client (openai + tenacity retries),
structured (cache + request + validation + one repair), notes (claim ids ->
spans), chain (map, collapse, reduce), assemble (grounded Briefing sections),
accounting (calls, tokens, cost), engine (one run end to end).

This package's ``__init__`` imports nothing heavy: the CLI imports
``briefing.llm.config`` on its fast path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Article, Briefing
    from .config import LLMConfig

__all__ = ["build_briefing", "usage_line"]


def build_briefing(
    articles: Sequence[Article],
    config: LLMConfig,
    *,
    max_points: int = 8,
    title: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    **kwargs: Any,
) -> Briefing:
    """See briefing.llm.engine.build_briefing (extra keywords: tokenizer, warn)."""
    from .engine import build_briefing as _build

    return _build(articles, config, max_points=max_points, title=title, progress=progress, **kwargs)


def usage_line(briefing: Briefing) -> str:
    """The one summary line for stderr, e.g. 'llm: 9 calls (2 cached, 3 retries), ...'."""
    from .accounting import usage_line as _line

    return _line(briefing)

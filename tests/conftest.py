"""Shared fixtures (kept minimal): the loopback chat-completions server, and the
offline briefing of the example articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from llm_server import LLMServer

from briefing.model import Article, Briefing

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "halvosk-convoy-strike"


@pytest.fixture
def llm_server() -> Iterator[LLMServer]:
    """A fresh tests/llm_server.py on 127.0.0.1 (auto replies, no injections)."""
    with LLMServer(latency=0.02) as server:
        yield server


@pytest.fixture(scope="session")
def example() -> tuple[list[Article], Briefing]:
    """The example articles and their offline briefing (built once per test run)."""
    from briefing.offline import build_briefing
    from briefing.sources import load_articles

    articles = load_articles([str(EXAMPLES)]).articles
    return articles, build_briefing(articles)

"""Shared fixtures (kept minimal): the loopback chat-completions server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from llm_server import LLMServer


@pytest.fixture
def llm_server() -> Iterator[LLMServer]:
    """A fresh tests/llm_server.py on 127.0.0.1 (auto replies, no injections)."""
    with LLMServer(latency=0.02) as server:
        yield server

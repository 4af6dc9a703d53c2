"""briefing: several news articles about one story -> one short, sourced briefing.

Library use::

    from briefing import load_articles, build_briefing, render
    loaded = load_articles(["examples/halvosk-convoy-strike"])
    b = build_briefing(loaded.articles, notes=loaded.notes, warnings=loaded.warnings)
    print(render(b, "md"))                     # offline engine unless an LLM is configured

The LLM engine: ``build_briefing(..., engine="llm", llm_config=LLMConfig(...))``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("briefing")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

if TYPE_CHECKING:
    from .llm.config import LLMConfig
    from .model import Briefing

__all__ = ["LLMConfig", "__version__", "build_briefing", "load_articles", "render"]


def __getattr__(name: str) -> Any:
    # LLMConfig on first use only: `import briefing` stays as light as the CLI's --help.
    if name == "LLMConfig":
        from .llm.config import LLMConfig

        return LLMConfig
    raise AttributeError(f"module 'briefing' has no attribute {name!r}")


def load_articles(paths: list[str], **kwargs: Any) -> Any:
    from .sources import load_articles as _load

    return _load(paths, **kwargs)


def build_briefing(articles: list[Any], **kwargs: Any) -> Briefing:
    from .pipeline import build_briefing as _build

    return _build(articles, **kwargs)


def render(briefing: Briefing, fmt: str = "md", **options: Any) -> str | bytes:
    from .render import render as _render

    return _render(briefing, fmt, **options)

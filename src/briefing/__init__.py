"""briefing: several news articles about one story -> one short, sourced briefing.

Library use::

    from briefing import Briefing, load_articles, build_briefing, render
    loaded = load_articles(["examples/halvosk-convoy-strike"])   # or load_texts({...})
    b = build_briefing(loaded.articles, notes=loaded.notes, warnings=loaded.warnings)
    print(render(b, "md"))                     # offline engine unless an LLM is configured
    again = Briefing.from_json(render(b, "json"))  # saved JSON back into the record

The LLM engine: ``build_briefing(..., engine="llm", llm_config=LLMConfig(...))``; in
async code ``await abuild_briefing(...)``. Failures raise ``BriefingError`` subclasses
(``InputError``, ``ConfigError``, ``BackendError``, ``OutputError``) with one-line
messages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from typing import TYPE_CHECKING, Any

from .errors import BackendError, BriefingError, ConfigError, InputError, OutputError

if TYPE_CHECKING:
    from .llm.config import LLMConfig
    from .model import Article, Briefing
    from .sources import LoadResult

__all__ = [
    "Article",
    "BackendError",
    "Briefing",
    "BriefingError",
    "ConfigError",
    "InputError",
    "LLMConfig",
    "OutputError",
    "__version__",
    "abuild_briefing",
    "build_briefing",
    "load_articles",
    "load_texts",
    "render",
]


def __getattr__(name: str) -> Any:
    # The version on first use: importlib.metadata takes 30 ms, which the command's
    # entry point spends before it can catch a Ctrl-C (see ``launch``).
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("briefing")
        except PackageNotFoundError:  # a source tree that was never installed
            found = "0.0.0+unknown"
        globals()["__version__"] = found
        return found
    # LLMConfig on first use only: `import briefing` stays as light as the CLI's --help.
    if name == "LLMConfig":
        from .llm.config import LLMConfig

        return LLMConfig
    # The records, for scripts that read saved JSON (``Briefing.from_json``).
    if name in ("Article", "Briefing"):
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'briefing' has no attribute {name!r}")


def load_articles(paths: Sequence[str] | str | PathLike[str], **kwargs: Any) -> LoadResult:
    """Files, folders and ``-`` (stdin); see ``briefing.sources.load_articles``."""
    from .sources import load_articles as _load

    return _load(paths, **kwargs)


def load_texts(
    texts: Mapping[str, str | bytes] | Sequence[str | bytes], **kwargs: Any
) -> LoadResult:
    """Articles held in memory, named or not; see ``briefing.sources.load_texts``."""
    from .sources import load_texts as _load

    return _load(texts, **kwargs)


def build_briefing(articles: Sequence[Article] | LoadResult, **kwargs: Any) -> Briefing:
    """The briefing of loaded articles (a ``LoadResult`` or its ``Article`` list).

    Options: engine ("auto", "offline", "llm"), llm_config (an ``LLMConfig``), max_points,
    title, progress(stage, done, total), notes, warnings, warn(message). Each is
    explained in ``briefing.pipeline.build_briefing``.
    """
    from .pipeline import build_briefing as _build

    return _build(articles, **kwargs)


async def abuild_briefing(articles: Sequence[Article] | LoadResult, **kwargs: Any) -> Briefing:
    """``build_briefing`` that leaves the running event loop free while it works; the
    same options. Cancelling it stops an LLM run at its next request."""
    from .pipeline import abuild_briefing as _abuild

    return await _abuild(articles, **kwargs)


def render(briefing: Briefing, fmt: str = "md", **options: Any) -> str | bytes:
    """``briefing`` as "md", "html", "email", "json" (text) or "eml" (bytes); the
    options of each format are in ``briefing.render.render``."""
    from .render import render as _render

    return _render(briefing, fmt, **options)

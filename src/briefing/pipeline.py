"""Choose an engine and run it: the one place that knows both engines exist."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from . import __version__
from .errors import ConfigError, InputError
from .model import ONE_ARTICLE_WARNING, Article, Briefing
from .progress import ProgressFn

if TYPE_CHECKING:
    from .llm.config import LLMConfig
    from .sources import LoadResult

Engine = Literal["auto", "offline", "llm"]
ENGINES: tuple[Engine, ...] = ("auto", "offline", "llm")


def resolve_engine(engine: Engine, llm_config: LLMConfig | None) -> tuple[str, str]:
    """The engine to run and the reason, for the one line the CLI prints on stderr."""
    configured = llm_config is not None and llm_config.configured()
    if engine == "offline":
        return "offline", "offline engine (asked for with --engine offline)"
    if engine == "llm" and not configured:
        raise ConfigError(
            "--engine llm needs an LLM: set OPENAI_API_KEY, or pass --base-url "
            "(or OPENAI_BASE_URL) for a local server such as Ollama or vLLM"
        )
    if configured:
        assert llm_config is not None
        return "llm", f"LLM engine: model {llm_config.model} at {_endpoint(llm_config)}"
    return "offline", (
        "offline engine (extractive; no OPENAI_API_KEY or --base-url set, so no LLM is used)"
    )


def _endpoint(config: LLMConfig) -> str:
    from .llm.config import redact_url

    return redact_url(config.base_url) if config.base_url else "the OpenAI API"


def build_briefing(
    articles: Sequence[Article] | LoadResult,
    *,
    engine: Engine = "auto",
    llm_config: LLMConfig | None = None,
    max_points: int = 8,
    title: str | None = None,
    progress: ProgressFn | None = None,
    notes: Sequence[str] = (),
    warnings: Sequence[str] = (),
    warn: Callable[[str], None] | None = None,
) -> Briefing:
    """Run the chosen engine over loaded articles.

    ``articles``: what ``load_articles`` / ``load_texts`` returned (its notes and warnings
    come along), or a list of its ``Article`` records.
    ``engine``: "auto" (the LLM when ``llm_config`` or the environment configures one,
    else offline), "offline" or "llm".
    ``llm_config``: an ``LLMConfig``; None reads ``LLMConfig.from_env()``.
    ``max_points``: at most this many key points (1 or more). ``title``: the headline to use instead
    of the one the engine picks.
    ``progress(stage, done, total)``: called as the work goes on.
    ``notes`` and ``warnings`` from loading (merged duplicates, a lone article) are carried
    into the briefing's run record so the renderers can show them; joined from several
    loads, each is shown once, and "one article only" only if it is so.
    ``warn``: gets the run's warnings about the machinery (a guessed context window,
    retries); default: the "briefing" logger, and a Python warning for renumbered sources.

    Raises ``InputError``, ``ConfigError`` or ``BackendError`` (one-line messages).
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if not isinstance(max_points, int) or isinstance(max_points, bool):
        raise TypeError(f"max_points must be a whole number, not {type(max_points).__name__}")
    if max_points < 1:
        # As the CLI's --max-points: a briefing of no points is no briefing.
        raise ValueError(f"max_points must be at least 1, not {max_points}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str, not {type(title).__name__}")
    if llm_config is not None:
        from .llm.config import LLMConfig

        if not isinstance(llm_config, LLMConfig):
            raise TypeError(
                f"llm_config must be an LLMConfig, not {type(llm_config).__name__}; "
                "build one with LLMConfig(...) or LLMConfig.from_env(...)"
            )
    from .sources import LoadResult

    if isinstance(articles, LoadResult):
        notes = [*articles.notes, *notes]
        warnings = [*articles.warnings, *warnings]
        articles = articles.articles
    if not articles:
        raise InputError("no articles to brief; load_articles reads files, folders or stdin")
    articles, renumbered = _numbered(articles)
    if renumbered:
        # Advice to the programmer, not news for the briefing's readers.
        (warn or _python_warning)(renumbered)
    from .coherence import find_strays, left_out, story_warnings, survey

    notes = list(dict.fromkeys(notes))
    warnings = [
        w for w in dict.fromkeys(warnings) if len(articles) == 1 or w != ONE_ARTICLE_WARNING
    ]
    seen = survey(articles)  # one pass over the similarities serves both checks
    strays = find_strays(articles, seen)
    warnings = [*warnings, *story_warnings(articles, seen)]
    if llm_config is None and engine != "offline":
        from .llm.config import LLMConfig

        llm_config = LLMConfig.from_env()
    chosen, _ = resolve_engine(engine, llm_config)
    started = time.perf_counter()
    if chosen == "llm":
        from .llm import build_briefing as llm_build

        assert llm_config is not None
        result = llm_build(
            articles, llm_config, max_points=max_points, title=title, progress=progress, warn=warn
        )
    else:
        from .offline import build_briefing as offline_build

        result = offline_build(
            articles,
            max_points=max_points,
            title=title,
            progress=progress,
            known_strays={a.label for a in left_out(articles, strays)},  # warned once
        )
    run = result.run
    run.version = __version__
    run.timings.setdefault("total_s", round(time.perf_counter() - started, 3))
    run.notes = [*notes, *(n for n in run.notes if n not in notes)]
    run.warnings = [*warnings, *(w for w in run.warnings if w not in warnings)]
    return result


def _python_warning(message: str) -> None:
    import warnings

    warnings.warn(message, UserWarning, stacklevel=4)


async def abuild_briefing(articles: Sequence[Article] | LoadResult, **options: Any) -> Briefing:
    """``build_briefing`` for async code: the run goes to a worker thread, so the event
    loop (a web server's, a notebook's) keeps serving while the model is asked. Same
    options. Cancelling the awaiting task (a handler's timeout) stops an LLM run at its
    next request, so it spends no more calls; replies already cached are kept. An
    offline run is not interrupted (it takes seconds)."""
    import asyncio

    from .cancel import CancelHandle, current

    handle = CancelHandle()
    token = current.set(handle)  # copied into the worker thread's context by to_thread
    try:
        return await asyncio.to_thread(build_briefing, articles, **options)
    except asyncio.CancelledError:
        handle.cancel()
        raise
    finally:
        current.reset(token)


def _numbered(articles: Sequence[Article]) -> tuple[list[Article], str | None]:
    """The articles with labels [1]..[n] that tell them apart, and a note when they had
    to be renumbered: lists loaded one call at a time all start at [1], and a briefing
    citing every source as [1] would hide who says what."""
    seen: dict[str, int] = {}
    for i, article in enumerate(articles, 1):
        if not isinstance(article, Article):
            raise TypeError(
                f"build_briefing takes Article records (from load_articles); "
                f"item {i} is a {type(article).__name__}"
            )
        if (first := seen.setdefault(article.id, i)) != i:
            raise InputError(
                f"items {first} and {i} are the same article ({article.title!r}); pass it once "
                "(load_articles merges duplicates)"
            )
    labels = [a.label for a in articles]
    if len(set(labels)) == len(labels) and all(n > 0 for n in labels):
        return list(articles), None
    renumbered = [a.model_copy(update={"label": i}) for i, a in enumerate(articles, 1)]
    return renumbered, (
        f"sources renumbered [1]-[{len(articles)}] in the order given, as their labels did "
        "not tell them apart; load all articles in one load_articles or load_texts call to "
        "number them together and merge duplicates across them"
    )

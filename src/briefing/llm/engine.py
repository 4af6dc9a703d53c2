"""Set up one LLM run (prompts, budget, cache, client), run the chain, build the Briefing."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any, TypeVar

from ..cancel import cancellable, current
from ..chunking import Tokenizer, get_tokenizer
from ..errors import BackendError, BriefingError, ConfigError, InputError
from ..model import Article, Briefing, RunInfo
from ..progress import ProgressFn as Progress
from ..progress import no_progress
from .accounting import Accounting, counted, kept, load_prices
from .assemble import assemble
from .budget import Budget, plan_budget
from .cache import ReplyCache, default_cache_dir
from .chain import Chain, NothingGrounded, stage_overheads
from .client import ChatClient
from .config import OPENAI_BASE_URL, LLMConfig, redact_url
from .prompts import PromptSet, load_prompts
from .schema import ReduceReply
from .structured import Asker

Warn = Callable[[str], None]
T = TypeVar("T")
_SAID_ONCE: set[str] = set()


def run_to_completion(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)``, also when the caller is inside a running event loop (a
    notebook cell, an async web handler): there it runs on a loop of its own in a
    worker thread, since a running loop cannot be re-entered."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        try:
            return asyncio.run(cancellable(coro))
        except asyncio.CancelledError:
            # Cancelled by the CLI's Ctrl-C or SIGTERM handler: told as that signal.
            if (handle := current.get()) is not None and handle.reason is not None:
                raise handle.reason from None
            raise
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-llm") as pool:
        return pool.submit(asyncio.run, coro).result()


def build_briefing(
    articles: Sequence[Article],
    config: LLMConfig,
    *,
    max_points: int = 8,
    title: str | None = None,
    progress: Progress | None = None,
    tokenizer: Tokenizer | None = None,
    warn: Warn | None = None,
) -> Briefing:
    """The briefing written by the model through the map-reduce chain.

    Raises ConfigError or BackendError with one-line messages. Warnings about the
    setup go to ``warn`` (default: stderr); those about the briefing itself (a
    source left uncited) go into ``run.warnings``.
    """
    config.validate()
    if not config.configured():
        raise ConfigError(
            "the LLM engine needs OPENAI_API_KEY, or --base-url (OPENAI_BASE_URL) "
            "for a local server"
        )
    if not articles:
        raise InputError("no articles to brief")
    articles = sorted(articles, key=lambda a: a.label)
    # Warnings about the run (tokenizer, guessed context window, retries) concern the
    # machinery, not the story: they go to ``warn`` and run.usage["warnings"], not into
    # the briefing's run notes, which readers of the briefing see.
    said: list[str] = []
    say = warn or logging.getLogger("briefing").warning

    def setup_warning(message: str) -> None:
        said.append(message)
        say(message)

    def machine_warning(message: str) -> None:
        # About this machine, not this run: said once per process (a service building
        # briefings all day would log it every time), recorded in every run's usage.
        said.append(message)
        if message not in _SAID_ONCE:
            _SAID_ONCE.add(message)
            say(message)

    prompts = load_prompts(config.prompts_dir)
    prices = load_prices(config.prices_file, openai=config.endpoint() == OPENAI_BASE_URL)
    tok = tokenizer or get_tokenizer(config.model, warn=machine_warning)
    overheads = stage_overheads(
        prompts, tok, config.json_mode, articles, max_points=max_points, title=title
    )
    map_overhead = overheads.pop("map")
    budget = plan_budget(
        config,
        map_overhead,
        setup_warning,
        other_overheads=overheads,
        sources=len(articles),
        max_points=max_points,
    )
    started = time.monotonic()
    accounting = Accounting(least_window=budget.least_window)

    def usage(wall: float, extra: dict[str, object]) -> dict[str, object]:
        return accounting.usage(
            model=config.model,
            endpoint=redact_url(config.endpoint()),
            prices=prices,
            wall_seconds=wall,
            extra=extra,
        )

    try:
        chain, reply = run_to_completion(
            _run(
                articles,
                config,
                prompts=prompts,
                budget=budget,
                tokenizer=tok,
                accounting=accounting,
                max_points=max_points,
                title=title,
                progress=progress or no_progress,
                warn=setup_warning,
            )
        )
    except (BriefingError, KeyboardInterrupt) as stop:
        # No briefing carries the usage: the exception does, for a library caller and
        # for the CLI's one line on Ctrl-C (how much a re-run need not redo).
        stop.usage = usage(  # type: ignore[union-attr]
            time.monotonic() - started,
            {"replies_kept": accounting.replies_kept, "warnings": said},
        )
        raise
    if accounting.context_errors:
        setup_warning(
            f"the server refused {counted(accounting.context_errors, 'request')} as longer "
            f"than its context, which is smaller than the {budget.window:,} tokens "
            f"{'given by --context-window' if budget.window_source == 'flag' else 'assumed'}; "
            f"{accounting.window_advice()}, so that runs need no re-splits"
        )
    if accounting.cut_off_splits:
        # Each costs the cut-off call and two more; said, since the replies count as
        # nothing otherwise visible but the re-split total.
        n = accounting.cut_off_splits
        setup_warning(
            f"{counted(n, 'reply', 'replies')} stopped at the reply limit "
            f"(finish_reason=length), so the text {'it' if n == 1 else 'they'} covered was "
            "split in two and asked again"
        )
    sections = assemble(reply, chain.notebook, articles, accounting, max_points=max_points)
    wall = time.monotonic() - started

    dropped = sum(accounting.citations_dropped.values())
    notes = []
    if dropped:
        reasons = ", ".join(
            f"{n} {reason.replace('_', ' ')}" for reason, n in accounting.citations_dropped.items()
        )
        notes.append(
            f"{dropped} of {accounting.citations_checked} model citations could not be "
            f"grounded in the articles and {'was' if dropped == 1 else 'were'} dropped "
            f"({reasons})"
        )
    headline = (title or "").strip() or " ".join(reply.headline.split()) or articles[0].title
    figures = usage(
        wall,
        {
            "context_window": budget.window,
            "context_window_source": budget.window_source,
            "output_reserve": budget.output_reserve,
            "map_reply_limit": budget.map_limit,
            "reduce_reply_limit": budget.reduce_limit,
            "chunk_tokens": budget.chunk_tokens,
            "tokenizer": tok.name,
            "json_mode": config.json_mode,
            "prompts_edited": prompts.edited(),
            "concurrency": config.concurrency,
            "cache": str(_cache_dir(config) / "llm-cache.sqlite3") if config.use_cache else None,
            "chunks": chain.chunks,
            "claims": len(chain.notebook.claims),
            "collapse_notes_dropped": chain.notes_dropped,
            "collapse_carried_over": chain.carried_over,
            "unverified": len(sections.unverified),
            "sources_uncited": sections.uncited_sources,
            "sources_without_claims": sections.sources_without_claims,
            "warnings": said,
        },
    )
    counts = {
        "articles": len(articles),
        "chunks": chain.chunks,
        "claims": len(chain.notebook.claims),
        "points": len(sections.points),
        "divergences": len(sections.divergences),
        "single_source": len(sections.single_source),
        "timeline": len(sections.timeline),
        "unverified": len(sections.unverified),
        "sources_uncited": len(sections.uncited_sources),
        **accounting.counts(),
    }
    timings = {f"{name}_s": round(s.seconds, 3) for name, s in accounting.stages.items()}
    timings["llm_s"] = round(wall, 3)
    return Briefing(
        headline=headline,
        bottom_line=sections.bottom_line,
        points=sections.points,
        divergences=sections.divergences,
        single_source=sections.single_source,
        timeline=sections.timeline,
        unverified=sections.unverified,
        sources=[a.ref() for a in articles],
        run=RunInfo(
            engine="llm",
            model=config.model,
            counts=counts,
            timings=timings,
            usage=figures,
            warnings=sections.warnings,
            notes=notes,
        ),
    )


def _say_spent(accounting: Accounting, warn: Warn) -> None:
    """What a failed run cost: it produced no briefing to carry the usage line. A run
    that never reached a server, or whose requests were all refused, cost nothing,
    and its error already says why."""
    used = accounting.total("prompt_tokens") + accounting.total("completion_tokens")
    if used and (spent := accounting.spent()):
        warn(f"before it failed, {spent}")


def _cache_dir(config: LLMConfig) -> Path:
    return config.cache_dir or default_cache_dir()


async def _run(
    articles: list[Article],
    config: LLMConfig,
    *,
    prompts: PromptSet,
    budget: Budget,
    tokenizer: Tokenizer,
    accounting: Accounting,
    max_points: int,
    title: str | None,
    progress: Progress,
    warn: Warn,
) -> tuple[Chain, ReduceReply]:
    deadline = time.monotonic() + config.deadline
    # Whatever fails while the chain is set up, what was opened is closed.
    async with AsyncExitStack() as opened:
        cache = ReplyCache(_cache_dir(config)) if config.use_cache else None
        if cache is not None:
            opened.callback(cache.close)
        client = ChatClient(config, accounting, deadline, warn)
        opened.push_async_callback(client.aclose)
        asker = Asker(
            config=config,
            client=client,
            cache=cache,
            prompts=prompts,
            accounting=accounting,
            max_tokens=budget.output_reserve,
        )
        chain = Chain(
            articles=articles,
            prompts=prompts,
            asker=asker,
            budget=budget,
            tokenizer=tokenizer,
            accounting=accounting,
            chunk_overlap=config.chunk_overlap,
            max_points=max_points,
            title=title,
            progress=progress,
        )
        try:
            async with asyncio.timeout(config.deadline):
                return chain, await chain.run()
        except TimeoutError:
            _say_spent(accounting, warn)
            resume = (
                f"; {kept(accounting.replies_kept)}, so a re-run resumes"
                if cache is not None and accounting.replies_kept
                else ""
            )
            # Calls still failing when time ran out are the cause: name them and their remedy.
            cause = (
                f", as calls kept failing ({client.trouble})"
                if client.trouble
                else "; raise --deadline"
            )
            raise BackendError(
                f"the LLM run did not finish within its deadline of {config.deadline:g} s"
                f"{cause}{resume}"
            ) from None
        except BackendError as err:
            _say_spent(accounting, warn)
            if cache is None or not accounting.replies_kept or isinstance(err, NothingGrounded):
                raise
            # Say so on the one line the user sees: the work done is not lost.
            raise BackendError(
                f"{err}; {kept(accounting.replies_kept)}, so running the same command again "
                "resumes from there"
            ) from None
        except BriefingError:
            raise
        except Exception as exc:
            import openai

            if isinstance(exc, openai.OpenAIError):  # should not get past client.py; never leak it
                raise BackendError(f"the LLM backend failed ({type(exc).__name__})") from None
            raise

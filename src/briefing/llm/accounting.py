"""Counting what a run cost: calls, cache hits, retries, tokens per stage, citations, money.

The figures go into ``Briefing.run.usage`` (full detail, in the JSON output) and
``Briefing.run.counts``; ``usage_line`` condenses them into the one stderr line.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import ConfigError
from ..model import Briefing
from .config import OPENAI_BASE_URL

STAGES = ("map", "collapse", "reduce")
# Below this the server's count and ours differ by no more than chat templates do.
SCALE_NOTED = 1.01

# USD per 1M tokens (input, output), from OpenAI's public price list. A model not in
# it has no cost estimate (null in the JSON; the summary line says so only for OpenAI's
# endpoint, since a server of one's own bills nobody per token); --prices FILE
# overrides or extends this table with {"model-prefix": {"input": 0.15, "output": 0.6}}.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
    "o4-mini": (1.10, 4.40),
    "o3": (2.00, 8.00),
}


PriceTable = dict[str, tuple[float, float]]


def load_prices(path: Path | None, *, openai: bool = True) -> list[PriceTable]:
    """The price tables to look a model up in, first match wins: the user's, then, for
    OpenAI's endpoint only, the built-in one (a server of one's own bills nobody per
    token, even when it serves a model named "gpt-4o-mini")."""
    built_in = [dict(PRICES)] if openai else []
    if path is None:
        return built_in
    table: PriceTable = {}
    if not path.is_file():
        what = (
            "a folder" if path.is_dir()
            else "not a regular file" if path.exists()
            else "no such file"
        )  # fmt: skip
        raise ConfigError(f"--prices {path}: {what}; pass a JSON price table")
    example = '{"my-model": {"input": 0.15, "output": 0.6}} in USD per 1M tokens'
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise ConfigError(
            f"--prices {path}: cannot read it ({reason}); pass a UTF-8 JSON price table"
        ) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"--prices {path}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            f"expected {example}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"--prices {path}: expected a JSON object like {example}")
    for model, price in data.items():
        try:
            pair = (float(price["input"]), float(price["output"]))
            # "NaN" and "-5" parse as floats; a cost of ~$nan or ~$-0.02 helps nobody.
            if not all(math.isfinite(x) and x >= 0 for x in pair):
                raise ValueError
            table[str(model)] = pair
        except (ValueError, TypeError, KeyError):
            raise ConfigError(
                f"--prices {path}: the entry for {model!r} is {json.dumps(price)}; expected "
                'prices of 0 or more under "input" and "output", '
                'e.g. {"input": 0.15, "output": 0.6}'
            ) from None
    return [table, *built_in]


def price_for(model: str, tables: Sequence[PriceTable]) -> tuple[float, float] | None:
    """The price of the longest entry that ``model`` starts with, in the first table that
    has one: a user's "gpt" entry overrides the built-in "gpt-4o-mini"."""
    name = model.lower()
    for table in tables:
        matches = [key for key in table if name.startswith(key.lower())]
        if matches:
            return table[max(matches, key=len)]
    return None


@dataclass
class StageUsage:
    calls: int = 0  # logical calls (one per chunk, group, reduce)
    cached: int = 0  # of those, answered from the cache
    requests: int = 0  # HTTP requests that reached the server, including retries and repairs
    connect_failures: int = 0  # attempts that could not connect: not requests made
    retries: int = 0
    repairs: int = 0
    resplits: int = 0
    extended: int = 0  # cut-off replies asked again with a larger token limit
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


@dataclass
class Accounting:
    stages: dict[str, StageUsage] = field(default_factory=lambda: {s: StageUsage() for s in STAGES})
    in_flight: int = 0
    max_in_flight: int = 0
    citations_checked: int = 0
    citations_dropped: Counter[str] = field(default_factory=Counter)  # by reason
    dropped_by_stage: Counter[str] = field(default_factory=Counter)
    collapse_rounds: int = 0
    replies_kept: int = 0  # replies in the cache for a re-run: stored now or found there
    context_errors: int = 0  # requests the server refused as longer than its window
    server_window: int | None = None  # the window a context-length error stated, if any
    # The server's tokens per token of ours, from a refused prompt it stated its count of
    # (the largest seen): its tokenizer is not ours, and ours may be only an estimate.
    server_scale: float | None = None
    least_window: int = 0  # the smallest window this run takes, to advise no smaller one
    cut_off_splits: int = 0  # inputs split because their reply hit the limit even when extended
    # Notes the model called single-source that a second outlet reports: made points.
    single_source_reported_elsewhere: int = 0

    def window_advice(self) -> str:
        """What to pass after context-length errors: the window the server stated, if one
        did, so that the user need not look it up; in our tokens, if it counts more."""
        stated = self.server_window
        if not stated:
            return "pass the server's real --context-window"
        said = f"the server states {stated:,} tokens"
        fits = stated
        if self.server_scale and self.server_scale > SCALE_NOTED:
            # The budget counts our tokens: the server's window holds fewer of them.
            fits = int(stated / self.server_scale)
            said += f", and counts {self.server_scale:.2f} of its tokens for each of ours"
        if fits < self.least_window:
            held = f", so it holds about {fits:,} of ours" if fits < stated else ""
            return (
                f"start the server with a larger context ({said}{held}; a run of these "
                f"articles takes {self.least_window:,})"
            )
        if fits < stated:
            return f"pass --context-window {fits} ({said})"
        return f"pass --context-window {stated} (the window the server states)"

    def scale_seen(self, server_prompt: int, ours: int) -> None:
        """A refused prompt that the server counted as ``server_prompt`` tokens and we as
        ``ours``."""
        scale = server_prompt / max(ours, 1)
        self.server_scale = max(scale, self.server_scale or 0.0)

    def request_started(self, stage: str) -> None:
        self.stages[stage].requests += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def request_finished(self) -> None:
        self.in_flight -= 1

    def connection_failed(self, stage: str) -> None:
        """The request just started never reached a server (refused, no such host): it
        counts as an attempt, not as a request the run made."""
        self.stages[stage].requests -= 1
        self.stages[stage].connect_failures += 1

    def spent(self) -> str | None:
        """What a run that failed spent, e.g. 'the run made 8 requests (2,244 prompt +
        3,215 completion tokens)' or 'the run made 4 connection attempts, none reached
        the server'; None if it tried nothing."""
        requests, failures = self.total("requests"), self.total("connect_failures")
        if not requests:
            tried = counted(failures, "connection attempt")
            return f"the run made {tried}, none reached the server" if failures else None
        made = (
            f"the run made {counted(requests, 'request')} "
            f"({self.total('prompt_tokens'):,} prompt + "
            f"{self.total('completion_tokens'):,} completion tokens)"
        )
        if failures:
            made += f" and {counted(failures, 'connection attempt')} that reached no server"
        return made

    def tokens(self, stage: str, prompt: int, completion: int) -> None:
        self.stages[stage].prompt_tokens += prompt
        self.stages[stage].completion_tokens += completion

    def citation(self, stage: str, dropped_reason: str | None) -> None:
        self.citations_checked += 1
        if dropped_reason:
            self.citations_dropped[dropped_reason] += 1
            self.dropped_by_stage[stage] += 1

    def total(self, attr: str) -> int:
        return sum(getattr(s, attr) for s in self.stages.values())

    def usage(
        self,
        *,
        model: str,
        endpoint: str,
        prices: Sequence[PriceTable],
        wall_seconds: float,
        extra: dict[str, object],
    ) -> dict[str, object]:
        price = price_for(model, prices)
        prompt, completion = self.total("prompt_tokens"), self.total("completion_tokens")
        cost = (prompt * price[0] + completion * price[1]) / 1e6 if price else 0.0
        return {
            "model": model,
            "endpoint": endpoint,
            "calls": self.total("calls"),
            "cached": self.total("cached"),
            "requests": self.total("requests"),
            "connect_failures": self.total("connect_failures"),
            "retries": self.total("retries"),
            "repairs": self.total("repairs"),
            "resplits": self.total("resplits"),
            "extended": self.total("extended"),
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "stages": {name: asdict(s) for name, s in self.stages.items()},
            "collapse_rounds": self.collapse_rounds,
            "max_in_flight": self.max_in_flight,
            "context_errors": self.context_errors,
            "cut_off_splits": self.cut_off_splits,
            "single_source_reported_elsewhere": self.single_source_reported_elsewhere,
            "citations": {
                "checked": self.citations_checked,
                "dropped": sum(self.citations_dropped.values()),
                "dropped_by_reason": dict(self.citations_dropped),
                "dropped_by_stage": dict(self.dropped_by_stage),
            },
            "cost_usd": round(cost, 6) if price else None,  # None: no price known
            "price_per_1m": {"input": price[0], "output": price[1]} if price else None,
            "wall_seconds": round(wall_seconds, 3),
            **extra,
        }

    def counts(self) -> dict[str, int]:
        return {
            "calls": self.total("calls"),
            "cache_hits": self.total("cached"),
            "requests": self.total("requests"),
            "connect_failures": self.total("connect_failures"),
            "retries": self.total("retries"),
            "repairs": self.total("repairs"),
            "resplits": self.total("resplits"),
            "extended_replies": self.total("extended"),
            "prompt_tokens": self.total("prompt_tokens"),
            "completion_tokens": self.total("completion_tokens"),
            "citations_checked": self.citations_checked,
            "citations_dropped": sum(self.citations_dropped.values()),
            "collapse_rounds": self.collapse_rounds,
            "max_in_flight": self.max_in_flight,
        }


def kept(n: int, what: str = "finished call") -> str:
    """'1 finished call is cached' / '3 finished calls are cached'."""
    return f"{counted(n, what)} {'is' if n == 1 else 'are'} cached"


def counted(n: int, one: str, many: str | None = None) -> str:
    """ "1 call", "3 calls", "2 retries": a count with its noun in the right number."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def usage_line(briefing: Briefing) -> str:
    """The one summary line for stderr."""
    u = briefing.run.usage
    if not u:
        return "llm: no usage recorded"

    def n(key: str) -> int:
        value = u.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    citations = u.get("citations")
    dropped = int(citations.get("dropped", 0)) if isinstance(citations, dict) else 0
    cost = u.get("cost_usd")
    money = f"~${cost:.3f}" if isinstance(cost, float) else None
    if money is None and u.get("endpoint") == OPENAI_BASE_URL:
        money = f"cost unknown (no price for {u.get('model')}; --prices FILE)"
    seconds = u.get("wall_seconds", 0.0)
    redone = [
        counted(n(key), one, many)
        for key, one, many in (
            ("retries", "retry", "retries"),
            ("repairs", "repair", None),
            ("resplits", "re-split", None),
            ("extended", "extended reply", "extended replies"),
        )
        if n(key) or key == "retries"
    ]
    requests = f"{counted(n('requests'), 'request')} (max {n('max_in_flight')} in flight"
    if n("connect_failures"):
        # Not requests: nothing received them (see Accounting.connection_failed).
        requests += f"; {counted(n('connect_failures'), 'connection attempt')} failed"
    if n("calls") and n("cached") >= n("calls") and not n("requests"):
        # A replayed run: no request, no token, nothing retried to report.
        parts = [f"llm: {counted(n('calls'), 'call')}, all from the cache (no request)"]
    else:
        parts = [
            f"llm: {counted(n('calls'), 'call')} ({n('cached')} cached, {', '.join(redone)})",
            f"{requests})",
            f"{n('prompt_tokens'):,} prompt + {n('completion_tokens'):,} completion tokens",
        ]
    parts += [
        f"{counted(dropped, 'citation')} dropped",
        *([money] if money else []),
        f"{float(seconds) if isinstance(seconds, int | float) else 0.0:.1f} s",
    ]
    uncited = u.get("sources_uncited")
    if isinstance(uncited, list) and uncited:
        parts.append(f"{counted(len(uncited), 'source')} not cited (see the warnings)")
    return ", ".join(parts)

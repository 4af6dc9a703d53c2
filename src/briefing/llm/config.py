"""What the LLM chain needs to know about the backend, read from flags and the environment.

Imported on the CLI's fast path: nothing heavy (no openai, no tiktoken) here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from ..errors import ConfigError

# Smaller chunks hold a sentence or two: their claims lose the context that dates and
# attributes them, and every chunk adds a block header to the map prompts.
MIN_CHUNK_TOKENS = 64

OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"
JsonMode = Literal["schema", "object", "none"]


@dataclass
class LLMConfig:
    """The LLM backend and how the chain uses it; ``from_env`` also reads the environment.

    ``model`` left empty means gpt-4o-mini on OpenAI's endpoint; a ``base_url`` of a
    server of one's own needs the name of the model it serves. ``context_window``,
    ``chunk_tokens`` and ``max_output_tokens`` left as None are derived from the model.
    Times are seconds. ``validate()`` raises ConfigError for values that cannot work.
    """

    model: str = ""
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    context_window: int | None = None
    chunk_tokens: int | None = None  # None: derived from the context window
    chunk_overlap: int = 0
    map_pack_tokens: int | None = None  # None: 1/2.5 of the map reply limit (see budget.py)
    concurrency: int = 8
    timeout: float = 60.0  # per call, seconds
    deadline: float = 900.0  # seconds for all the calls together, from the chain's start
    json_mode: JsonMode = "schema"
    prompts_dir: Path | None = None
    cache_dir: Path | None = None  # None: platformdirs user cache dir / "briefing"
    use_cache: bool = True
    max_attempts: int = 6
    prices_file: Path | None = None
    # Exponential backoff with full jitter: sleep up to backoff_base * 2**attempt, capped.
    # Tests shrink these; Retry-After from the server always wins over them.
    backoff_base: float = 1.0
    backoff_max: float = 30.0
    max_output_tokens: int | None = None  # None: derived from the context window
    temperature: float | None = 0.0  # None: not sent (reasoning models reject it)
    # What set base_url, so that messages about it name what the user set.
    base_url_from: str = "--base-url"

    def __post_init__(self) -> None:
        if not self.model.strip() and self.endpoint() == OPENAI_BASE_URL:
            self.model = DEFAULT_MODEL
        # Library callers may pass plain strings for the paths.
        for name in ("prompts_dir", "cache_dir", "prices_file"):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, Path(value))

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **overrides: Any) -> LLMConfig:
        """Defaults, then OPENAI_API_KEY / OPENAI_BASE_URL / BRIEFING_MODEL, then flags.

        Overrides that are None (flags not given) are ignored.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(f"unknown LLMConfig fields: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        if env.get("OPENAI_API_KEY"):
            values["api_key"] = env["OPENAI_API_KEY"].strip()
        if env.get("OPENAI_BASE_URL"):
            values["base_url"] = env["OPENAI_BASE_URL"].strip()
            values["base_url_from"] = "OPENAI_BASE_URL"
        if env.get("BRIEFING_MODEL"):
            values["model"] = env["BRIEFING_MODEL"].strip()
        values.update({k: v for k, v in overrides.items() if v is not None})
        if overrides.get("base_url") is not None:
            values["base_url_from"] = overrides.get("base_url_from") or "--base-url"
        if "model" in values and not str(values["model"]).strip():
            raise ConfigError("--model is empty: pass a model name, e.g. --model gpt-4o-mini")
        config = cls(**values)
        config.validate()
        return config

    def configured(self) -> bool:
        """True when an API key or a base URL is set: the LLM engine can run."""
        return bool(self.api_key or self.base_url)

    def endpoint(self) -> str:
        """The chat-completions base URL in use; never silently the OpenAI one when a
        base URL was configured. Scheme and host are lower case, as they mean the same
        server either way (and so key the same cache entries)."""
        if not self.base_url:
            return OPENAI_BASE_URL
        try:
            parts = urlsplit(self.base_url.strip())
        except ValueError:  # validate() says what is wrong with it
            return self.base_url.rstrip("/")
        userinfo, at, host = parts.netloc.rpartition("@")
        netloc = f"{userinfo}{at}{host.lower()}"
        return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, "")).rstrip("/")

    def validate(self) -> None:
        if self.base_url is not None:
            named = f"{self.base_url_from} {redact_url(self.base_url)!r}"
            try:
                parts = urlsplit(self.base_url)
                parts.port  # noqa: B018 -- raises ValueError for a port out of range
            except ValueError as err:
                raise ConfigError(
                    f"{named} is not a valid URL ({err}); pass e.g. http://localhost:11434/v1"
                ) from None
            if parts.query:
                raise ConfigError(
                    f"{named} has a query string, which "
                    "would end up before /chat/completions; drop it (pass a key as "
                    "OPENAI_API_KEY)"
                )
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ConfigError(
                    f"{named} is not an http(s) URL; pass e.g. http://localhost:11434/v1"
                )
        if not self.model.strip():
            # An OpenAI model name on a server of one's own would be refused (Ollama,
            # vLLM) or budgeted with the wrong window and prices.
            raise ConfigError(
                f"{self.base_url_from} points at a server of its own: pass --model NAME "
                "(the model it serves, e.g. llama3.1 on Ollama) or set BRIEFING_MODEL"
            )
        if not self.model.isprintable():
            # A line break or control byte (a pasted BRIEFING_MODEL) would split the
            # run's one-line reports and reach the server as part of the name.
            raise ConfigError(
                f"the model name {self.model!r} holds a line break or control character; "
                "check --model or BRIEFING_MODEL"
            )
        if self.concurrency < 1:
            raise ConfigError("--concurrency must be at least 1")
        if self.max_attempts < 1:
            raise ConfigError("max_attempts must be at least 1")
        if self.timeout <= 0 or self.deadline <= 0:
            raise ConfigError("--timeout and --deadline must be positive numbers of seconds")
        # Whether a window is big enough depends on the prompts: plan_budget says, naming
        # the smallest that fits (a fixed floor here would name another number).
        if self.context_window is not None and self.context_window < 1:
            raise ConfigError("--context-window must be a positive number of tokens")
        if self.chunk_tokens is not None and self.chunk_tokens < MIN_CHUNK_TOKENS:
            raise ConfigError(f"--chunk-tokens must be at least {MIN_CHUNK_TOKENS}")
        if self.map_pack_tokens is not None and self.map_pack_tokens < 1:
            raise ConfigError("map_pack_tokens must be at least 1")
        if self.chunk_overlap < 0:
            raise ConfigError("--chunk-overlap must not be negative")
        if self.json_mode not in ("schema", "object", "none"):
            raise ConfigError("--json-mode must be one of: schema, object, none")


def url_secrets(url: str) -> list[str]:
    """The user info and query values of ``url``: what redact_url hides."""
    secrets = re.findall(r"=([^&#]+)", url.split("?", 1)[1]) if "?" in url else []
    found = re.search(r"//([^/@]*)@", url)
    if found:
        secrets += [found.group(1), *found.group(1).split(":")]
    return sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)


def redact_url(url: str) -> str:
    """The URL without any user:password part or query values, for messages and reports."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL urlsplit can read: cut any user info out by hand
        return re.sub(r"//[^/]*@", "//***@", url.split("?", 1)[0])
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    # "?api_key=sk-...": some gateways take the key in the query string.
    query = re.sub(r"=[^&]*", "=***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


# What to fall back to when a server does not honour the JSON mode in use.
_FALLBACK = {"schema": "object or none", "object": "none"}


def json_mode_fallback(mode: str) -> str | None:
    """The --json-mode values left to try after ``mode`` ("object or none"), if any."""
    return _FALLBACK.get(mode)

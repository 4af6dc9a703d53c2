"""Chat-completion requests: the openai client, bounded concurrency, retries, time limits.

tenacity is the single retry layer (the openai client gets ``max_retries=0``):
429, 408/409, 5xx, timeouts, connection errors and an HTTP 200 that is not a chat
completion are retried with exponential backoff and full jitter; a ``Retry-After``
header, when the server sends one, sets the wait instead. No retry sleeps past the
run's deadline. A connection that could not be made (nothing listens there) is told
apart from one the server dropped after the request reached it. Every other failure
becomes a one-line BackendError, except two that the chain handles by splitting its
input: a context-length error and a reply cut off at the token limit
(``finish_reason=length`` is a failed reply, never data).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)
from tenacity.stop import stop_base

from ..errors import BackendError, ConfigError, terminal_text
from .accounting import Accounting, counted
from .config import LLMConfig, json_mode_fallback, redact_url, url_secrets

log = logging.getLogger("briefing.llm")

RETRY_AFTER_CAP = 120.0  # seconds; a server asking for longer is treated as down
# A server no request of this run has reached is most likely not running (Ollama not
# started, a wrong port): one quick retry, not minutes of backoff, before saying so.
# Once it has answered, a refused connection may be a restart and gets every attempt.
# Likewise a reply that is not a chat completion before any reply of this run was one:
# most likely --base-url names some other web server.
FIRST_CONTACT_ATTEMPTS = 2
FIRST_CONTACT_WAIT = 1.0  # seconds
# The window a context-length error states: OpenAI and vLLM ("maximum context length is
# 4096 tokens"), llama.cpp ("exceeds the available context size (4096 tokens)"), others
# ("a context length of 4096").
_STATED_WINDOW = re.compile(
    r"maximum context length is (\d[\d,]*)|context size \((\d[\d,]*) tokens\)|"
    r"context (?:length|window|size) of (\d[\d,]*)",
    re.IGNORECASE,
)
# The server's own count of the refused request's prompt: OpenAI ("your messages resulted
# in 9000 tokens", "you requested 10000 tokens (8000 in the messages, ..."), vLLM ("your
# request has 4176 input tokens"), llama.cpp ("request (4476 tokens) exceeds").
_STATED_PROMPT = re.compile(
    r"messages resulted in (\d[\d,]*) tokens|\((\d[\d,]*) in the messages|"
    r"has (\d[\d,]*) input tokens|request \((\d[\d,]*) tokens\) exceeds",
    re.IGNORECASE,
)
_CONTEXT_ERROR = re.compile(
    r"context[_ ]?(length|size|window)|maximum (model|context) length|too many tokens"
    r"|prompt is too long|longer than the maximum|exceeds? the (available )?context",
    re.IGNORECASE,
)
_TRANSIENT_STATUS = {408, 409, 429}
# openai wraps the transport's exception (httpx2's, or httpx's when that is loaded) as
# APIConnectionError; these (by class name, to match either library) mean the connection
# was made and the request sent, then the server closed it or broke it without a reply.
# Any other cause (ConnectError: refused, no such host, no route) means nothing answered.
_DROPPED = frozenset({"RemoteProtocolError", "ReadError", "WriteError", "CloseError"})
CONNECT_TIMEOUT = 10.0  # seconds; a server that is up accepts in milliseconds
# A timeout while connecting (a host that drops the handshake, a full listen queue) is
# a connection never made, not a slow reply.
_NO_CONNECTION = frozenset({"ConnectTimeout"})


def connect_timeout(timeout: float) -> float:
    """Seconds a connection may take: shorter than the whole call's ``timeout``, so a
    handshake nobody answers is told apart from a slow reply (and fails sooner)."""
    return min(CONNECT_TIMEOUT, timeout / 2)


def _class_names(exc: BaseException | None) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__} if exc is not None else set()


class ContextTooLong(BackendError):
    """The request does not fit the model's context: the caller splits its input.

    ``server_prompt``: the server's own count of the request's prompt tokens, when its
    error states one; set against ours, it says how the server's tokens compare."""

    def __init__(self, message: str, *, server_prompt: int | None = None) -> None:
        super().__init__(message)
        self.server_prompt = server_prompt


class ReplyCutOff(BackendError):
    """The reply hit the token limit (finish_reason=length): the caller splits its input.

    ``remembered``: known from an earlier run's cache, not asked again in this one."""

    def __init__(self, message: str, *, remembered: bool = False) -> None:
        super().__init__(message)
        self.remembered = remembered


@dataclass(frozen=True)
class RawReply:
    text: str | None
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str | None


class _Transient(Exception):
    """A failure worth retrying; wraps the original, with the server's Retry-After."""

    def __init__(
        self,
        description: str,
        retry_after: float | None = None,
        *,
        unreachable: bool = False,
        rate_limited: bool = False,
        dropped: bool = False,
        malformed: bool = False,
        server_error: bool = False,
        asked_wait: float | None = None,
    ) -> None:
        super().__init__(description)
        self.retry_after = retry_after
        self.unreachable = unreachable  # no connection at all: a longer timeout will not help
        self.rate_limited = rate_limited  # 429: fewer calls at once may help, waiting longer not
        self.dropped = dropped  # the request reached the server, which closed the connection
        self.malformed = malformed  # an HTTP 200 whose body is not a chat completion
        self.server_error = server_error  # HTTP 5xx: a longer timeout will not help either
        # The Retry-After the server sent, before RETRY_AFTER_CAP: what the user is told.
        self.asked_wait = retry_after if asked_wait is None else asked_wait

    def said_for(self, label: str) -> str:
        """The failure as told of the call ``label``; one about the server itself (none
        there, or not a chat API) is told without it, which would bury it behind an
        article's title."""
        return str(self) if self.unreachable or self.malformed else f"{label}: {self}"

    def advice(self, endpoint: str, base_url_from: str | None = "--base-url") -> str:
        """What to check; ``base_url_from`` names what set the URL (None: nothing did)."""
        if self.unreachable:
            if base_url_from is None:
                return f"is the network up, and {endpoint} reachable from here?"
            return f"is the server running, and is {base_url_from} right?"
        if self.malformed:
            return f"check {base_url_from or '--base-url'} (it usually ends in /v1)"
        if self.rate_limited:
            return "lower --concurrency, or check the account's rate limits"
        if self.dropped or self.server_error:
            if base_url_from is None:
                return f"check that {endpoint} is up, or try again later"
            return "the server may have crashed or be overloaded: check its log"
        return f"check that {endpoint} is up, or raise --timeout / --deadline"


def _os_reason(exc: BaseException) -> str | None:
    """The system's reason under a transport error ("connection refused"), which httpx
    words as "All connection attempts failed"."""
    seen: BaseException | None = exc
    for _ in range(8):  # a chain of causes is short; never loop on a cycle
        if seen is None:
            return None
        if isinstance(seen, OSError) and seen.strerror:
            # asyncio words a refusal "Connect call failed (addr)"; the errno says why.
            text = os.strerror(seen.errno) if (seen.errno or 0) > 0 else seen.strerror
            return text[:1].lower() + text[1:]
        seen = seen.__cause__ or seen.__context__
    return None


def _tls_hint(reason: str, where: str) -> str | None:
    """What to do about a failed TLS handshake, from the ssl module's reason; ``where``
    names what set the URL (--base-url or OPENAI_BASE_URL)."""
    if "WRONG_VERSION_NUMBER" in reason or "record layer failure" in reason:
        return f"the server speaks plain HTTP: use http:// in {where}"
    if "CERTIFICATE_VERIFY_FAILED" in reason:
        return (
            "its certificate is not trusted here: set SSL_CERT_FILE to the PEM file of the "
            "authority that signed it"
        )
    if reason.startswith("[SSL"):
        return f"check that the scheme and port in {where} are the server's"
    return None


class _StopAtDeadline(stop_base):
    """Stop when the next sleep would end after the run's deadline."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline

    def __call__(self, retry_state: RetryCallState) -> bool:
        return time.monotonic() + retry_state.upcoming_sleep >= self.deadline


# Whether a failure may mean the endpoint itself is wrong, with nothing of this run yet
# showing it right (see ChatClient.first_contact): it gets the short first-contact budget.
FirstContact = Callable[[BaseException | None], bool]


def _failure(retry_state: RetryCallState) -> BaseException | None:
    outcome = retry_state.outcome
    return outcome.exception() if outcome else None


class _StopAtFirstContact(stop_base):
    def __init__(self, first_contact: FirstContact) -> None:
        self.first_contact = first_contact

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.attempt_number >= FIRST_CONTACT_ATTEMPTS and self.first_contact(
            _failure(retry_state)
        )


class _WaitRetryAfter:
    """The server's Retry-After when it gave one, else exponential backoff with jitter
    (short while the endpoint is untried, see FIRST_CONTACT_ATTEMPTS)."""

    def __init__(
        self, base: float, cap: float, first_contact: FirstContact = lambda exc: False
    ) -> None:
        self.backoff = wait_random_exponential(multiplier=base, max=cap)
        self.first_contact = first_contact

    def __call__(self, retry_state: RetryCallState) -> float:
        exc = _failure(retry_state)
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return exc.retry_after
        wait = float(self.backoff(retry_state))
        if self.first_contact(exc):
            return min(wait, FIRST_CONTACT_WAIT)
        return wait


def retry_after_seconds(headers: Any) -> float | None:
    """Seconds from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date),
    at most RETRY_AFTER_CAP."""
    asked = _asked_wait(headers)
    return None if asked is None else min(asked, RETRY_AFTER_CAP)


def _asked_wait(headers: Any) -> float | None:
    """The wait the server asks for, uncapped."""
    if headers is None:
        return None
    value = headers.get("retry-after-ms")
    try:
        # "nan" parses as a float and compares false with everything: it stalled every
        # retry until the deadline. Read as no wait asked.
        if value is not None and not math.isnan(wait := float(value)):
            return max(wait / 1000, 0.0)
    except ValueError:
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        wait = float(value)
        return None if math.isnan(wait) else max(wait, 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _server_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    message: object = None
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
    elif isinstance(body, str) and not body.lstrip().startswith("<"):
        # A body that is not JSON ("404 page not found"); openai's own message is then
        # only "Error code: 404". An HTML page is left out: its markup says nothing.
        message = body
    return terminal_text(str(message or getattr(exc, "message", "") or exc))[:200]


# More tokens than any model's window: a figure past it is no window (garbage, or a
# misreading), and advice built on it ("pass --context-window 10^26") would be absurd.
MAX_STATED_TOKENS = 100_000_000


# What to do about a refusal the code alone explains.
_REFUSAL_HINTS = {
    403: "; the key or the account may not have access to this model: check --model "
    "and OPENAI_API_KEY",
    413: "; the request is too large for the server: pass a smaller --chunk-tokens or "
    "--context-window",
}


def _stated(pattern: re.Pattern[str], message: str) -> int | None:
    """The number of tokens ``pattern`` finds stated in a server's error message."""
    found = pattern.search(message)
    if not found:
        return None
    tokens = int(next(g for g in found.groups() if g).replace(",", ""))
    return tokens if tokens <= MAX_STATED_TOKENS else None


def _http(status: int, message: str) -> str:
    """ "HTTP 404: why", or just "HTTP 404" when openai had nothing but "Error code: 404"."""
    return (
        f"HTTP {status}"
        if message in ("", f"Error code: {status}")
        else f"HTTP {status}: {message}"
    )


class ChatClient:
    """One AsyncOpenAI client shared by every call of a run."""

    def __init__(
        self,
        config: LLMConfig,
        accounting: Accounting,
        deadline: float,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        from openai import AsyncOpenAI, Timeout

        self.config = config
        self.accounting = accounting
        self.deadline = deadline  # time.monotonic() value
        self.endpoint = config.endpoint()
        self._semaphore = asyncio.Semaphore(config.concurrency)
        self._warn = warn
        self._warned_retry = False
        self.reached = False  # whether any request of this run got to the server
        self.served = False  # whether any reply of this run was a chat completion
        # The failure being retried, with what to check, until a reply comes: when the
        # run's deadline ends it, that failure is the cause to name, not the deadline.
        self.trouble: str | None = None
        # Local servers ignore the key but the client insists on one; pass the
        # endpoint explicitly so OPENAI_BASE_URL in the environment cannot redirect us.
        self._client = AsyncOpenAI(
            api_key=config.api_key or "no-key",
            base_url=self.endpoint,
            max_retries=0,
            timeout=Timeout(config.timeout, connect=connect_timeout(config.timeout)),
        )

    async def aclose(self) -> None:
        await self._client.close()

    def _redact(self, text: str) -> str:
        """``text`` without the API key or the secrets a base URL may carry (a server's
        error message can echo the path and query it was sent). The endpoint as messages
        show it stays whole: a placeholder key such as "ollama" is often also the host's
        name, and hiding the host hides what the user must check. A key shorter than four
        characters ("x") is a placeholder, not a secret, and would cut words apart."""
        candidates = (self.config.api_key, *url_secrets(self.endpoint))
        secrets = [s for s in candidates if s and len(s) >= 4]
        shown = redact_url(self.endpoint)
        pieces = text.split(shown)
        for secret in secrets:
            pieces = [piece.replace(secret, "***") for piece in pieces]
        return shown.join(pieces)

    def first_contact(self, exc: BaseException | None) -> bool:
        """Whether ``exc`` may mean the endpoint is wrong, with nothing of this run yet
        showing it right: a failed connection before any request got to the server, or
        a reply that is not a chat completion before any reply that was."""
        if not isinstance(exc, _Transient):
            return False
        return (exc.unreachable and not self.reached) or (exc.malformed and not self.served)

    async def complete(
        self, messages: list[dict[str, str]], params: dict[str, Any], *, stage: str, label: str
    ) -> RawReply:
        """One chat completion, retried on transient failures."""
        retrying = AsyncRetrying(
            retry=retry_if_exception(lambda e: isinstance(e, _Transient)),
            wait=_WaitRetryAfter(
                self.config.backoff_base, self.config.backoff_max, self.first_contact
            ),
            stop=stop_after_attempt(self.config.max_attempts)
            | _StopAtDeadline(self.deadline)
            | _StopAtFirstContact(self.first_contact),
            before_sleep=lambda state: self._note_retry(state, stage, label),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(messages, params, stage=stage, label=label)
        except _Transient as exc:
            attempts = retrying.statistics.get("attempt_number", 1)
            advice = self._advice(exc)
            raise BackendError(
                f"{self._said(exc, label)} (gave up after {counted(attempts, 'attempt')}"
                f"{self._cut_short(exc, attempts)}); {advice}"
            ) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _garbled(self, exc: _Transient) -> bool:
        """A reply that is not a chat completion from a server that has sent some: it is
        the right server, failing on this call, not another web server."""
        return exc.malformed and self.served

    def _said(self, exc: _Transient, label: str) -> str:
        return f"{label}: {exc}" if self._garbled(exc) else exc.said_for(label)

    def _advice(self, exc: _Transient) -> str:
        """What to check after ``exc``, naming what set the URL, if anything did."""
        if self._garbled(exc):
            return (
                "the server answered this run's other calls, so it is failing on this "
                "one: check its log, or try again"
            )
        given = self.config.base_url_from if self.config.base_url is not None else None
        return exc.advice(redact_url(self.endpoint), given)

    def _cut_short(self, exc: _Transient, attempts: int) -> str:
        """Why the retries stopped before max_attempts, if they did and it is not the
        first-contact rule (the retry warning said that one): the server's Retry-After
        reaching past the deadline, or the deadline itself."""
        if attempts >= self.config.max_attempts or self.first_contact(exc):
            return ""
        left = self.deadline - time.monotonic()
        if exc.retry_after is not None and exc.retry_after >= left and exc.asked_wait is not None:
            return (
                f", as the server asked to wait {_seconds(exc.asked_wait)}, past the --deadline "
                f"{_seconds(max(left, 0.0))} away"
            )
        return ", as the --deadline was near"

    def _note_retry(self, state: RetryCallState, stage: str, label: str) -> None:
        self.accounting.stages[stage].retries += 1
        exc = _failure(state)
        if isinstance(exc, _Transient):
            self.trouble = f"{self._said(exc, label)}; {self._advice(exc)}"
        log.info("%s: retrying in %.1f s after: %s", label, state.upcoming_sleep, exc)
        if self._warn and not self._warned_retry:
            # Once per run: a backoff can last many seconds, and silence looks like a hang.
            self._warned_retry = True
            limit = f"up to {self.config.max_attempts} attempts, within the --deadline"
            if self.first_contact(exc):
                limit = (
                    "once, as no reply of this run has been a chat completion yet"
                    if isinstance(exc, _Transient) and exc.malformed
                    else "once, as no request has reached the server yet"
                )
            said = self._said(exc, label) if isinstance(exc, _Transient) else f"{label}: {exc}"
            self._warn(f"{said}; retrying in {state.upcoming_sleep:.1f} s ({limit})")

    async def _attempt(
        self, messages: list[dict[str, str]], params: dict[str, Any], *, stage: str, label: str
    ) -> RawReply:
        import openai

        async with self._semaphore:
            self.accounting.request_started(stage)
            try:
                # The client's own timeout bounds each read; this bounds the whole call.
                async with asyncio.timeout(self.config.timeout):
                    response = await self._client.chat.completions.create(
                        model=self.config.model, messages=messages, **params
                    )
            except TimeoutError:
                raise _Transient(f"no reply within {self.config.timeout:g} s") from None
            except openai.APITimeoutError as exc:
                if _class_names(exc.__cause__) & _NO_CONNECTION:
                    raise self._connection_error(exc, stage, label) from None
                raise _Transient(f"no reply within {self.config.timeout:g} s") from None
            except openai.APIConnectionError as exc:
                raise self._connection_error(exc, stage, label) from None
            except openai.APIStatusError as exc:
                self.reached = True
                raise self._status_error(exc, label) from None
            except openai.OpenAIError as exc:
                raise BackendError(
                    self._redact(f"{label}: unusable reply from the server ({exc})")[:300]
                ) from None
            except (ValueError, RecursionError):
                # The client parsing an HTTP 200 body that is no JSON (empty, or nested
                # past Python's limit): a server answering, but not with a completion.
                self.reached = True
                raise _Transient(
                    "the server's reply is not a chat completion", malformed=True
                ) from None
            finally:
                self.accounting.request_finished()
        self.reached = True
        return self._reply(response, stage, label)

    def _connection_error(self, exc: Exception, stage: str, label: str) -> Exception:
        cause = exc.__cause__ or exc
        if "DecodingError" in _class_names(cause):
            # A body the server sent but that cannot be unpacked (a bad gzip): it is
            # running and answering, which "cannot connect" would deny.
            self.reached = True
            return _Transient(
                f"the server's reply could not be decoded ({terminal_text(str(cause))[:80]})",
                malformed=True,
            )
        reason = " ".join(str(cause).split())[:120] or type(cause).__name__
        endpoint = redact_url(self.endpoint)
        if hint := _tls_hint(reason, self.config.base_url_from):
            # A TLS handshake fails the same way every time: no retry, and "is the server
            # running?" would send the user to look in the wrong place.
            self.accounting.connection_failed(stage)
            return BackendError(
                self._redact(f"{label}: no secure connection to {endpoint} ({reason}); {hint}")
            )
        if _class_names(cause) & _NO_CONNECTION:
            reason = f"no answer to connect within {connect_timeout(self.config.timeout):g} s"
        else:
            reason = _os_reason(cause) or reason
        if _DROPPED & _class_names(cause):
            # The request got there: the server is running, and failed on this request.
            self.reached = True
            return _Transient(
                self._redact(
                    f"the server at {endpoint} closed the connection without replying ({reason})"
                ),
                dropped=True,
            )
        self.accounting.connection_failed(stage)
        message = self._redact(f"cannot connect to {endpoint}: {reason}")
        return _Transient(message, unreachable=True)

    def _status_error(self, exc: Any, label: str) -> Exception:
        status = int(getattr(exc, "status_code", 0) or 0)
        message = self._redact(_server_message(exc))
        code = str(getattr(exc, "code", "") or "")
        headers = getattr(getattr(exc, "response", None), "headers", None)
        if status == 429 and code == "insufficient_quota":
            return BackendError(
                "the API account has no quota left (429 insufficient_quota); check billing"
            )
        # Checked before the transient statuses: some servers report it as a 500.
        if code == "context_length_exceeded" or (status != 429 and _CONTEXT_ERROR.search(message)):
            self.accounting.context_errors += 1
            if window := _stated(_STATED_WINDOW, message):
                known = self.accounting.server_window
                self.accounting.server_window = min(window, known) if known else window
            return ContextTooLong(
                f"{label}: the request is longer than the model's context ({message})",
                server_prompt=_stated(_STATED_PROMPT, message),
            )
        # Nothing serves POST <base>/chat/completions there: retrying cannot help. This
        # and the account errors are about the server, not the chunk: no label, which
        # would bury them behind an article's title.
        if status in (404, 405, 501):
            return BackendError(
                f"model '{self.config.model}' or the chat endpoint was not found at "
                f"{redact_url(self.endpoint)} ({_http(status, message)}); check --model and "
                f"{self.config.base_url_from} (it usually ends in /v1)"
            )
        if status in _TRANSIENT_STATUS or status >= 500:
            return _Transient(
                _http(status, message),
                retry_after_seconds(headers),
                rate_limited=status == 429,
                server_error=status >= 500,
                asked_wait=_asked_wait(headers),
            )
        if status == 401:
            if not self.config.api_key:  # we sent a placeholder: the server wants a key
                return ConfigError(
                    "the server asks for an API key (HTTP 401); set OPENAI_API_KEY "
                    "to the key it expects"
                )
            # A wrong key is configuration, whether or not one was set (exit 5 both ways).
            return ConfigError("the server rejected the API key (401); check OPENAI_API_KEY")
        hint = ""
        fallback = json_mode_fallback(self.config.json_mode)
        if fallback and ("response_format" in message or "json_schema" in message):
            hint = f"; the server may not support structured output: try --json-mode {fallback}"
        if not hint:
            hint = _REFUSAL_HINTS.get(status, "; its log says why: check --model and the server")
        return BackendError(
            f"{label}: the server refused the request ({_http(status, message)}){hint}"
        )

    def _reply(self, response: Any, stage: str, label: str) -> RawReply:
        try:
            choice = response.choices[0]
            text = choice.message.content
            finish = choice.finish_reason
            if text is not None and not isinstance(text, str):
                text = _content_text(text)
        except (AttributeError, IndexError, TypeError, KeyError):
            # Retried: one garbled reply from a server that answers well is a glitch; if
            # it persists, --base-url most likely names some other web server.
            raise _Transient(
                "the server's reply is not a chat completion", malformed=True
            ) from None
        self.served = True
        self.trouble = None
        usage = getattr(response, "usage", None)
        prompt = _token_count(getattr(usage, "prompt_tokens", 0))
        completion = _token_count(getattr(usage, "completion_tokens", 0))
        self.accounting.tokens(stage, prompt, completion)
        if finish == "length":
            raise ReplyCutOff(
                f"{label}: the reply was cut off at the token limit (finish_reason=length)"
            )
        if not text:
            # No answer, and the reason is in the reply: asking again (a repair) would be
            # refused the same way, and "the reply is empty" would hide why.
            refusal = getattr(choice.message, "refusal", None)
            if isinstance(refusal, str) and refusal.strip():
                raise BackendError(
                    f"{label}: the model refused ({terminal_text(refusal)[:200]!r}); the "
                    "articles may touch its content policy: try another --model"
                )
            if finish == "content_filter":
                raise BackendError(
                    f"{label}: the server's content filter withheld the reply "
                    "(finish_reason=content_filter); try another --model or server"
                )
        return RawReply(text, prompt, completion, finish)


def _content_text(content: object) -> str:
    """A message's content that is not a string: the text parts of a list of content
    parts (``[{"type": "text", "text": ...}]``, as some proxies send); anything else is
    not a chat reply's content (TypeError)."""
    if isinstance(content, list):
        parts = [
            p.get("text") if isinstance(p, dict) else getattr(p, "text", None) for p in content
        ]
        if parts and all(isinstance(t, str) for t in parts):
            return "".join(parts)
    raise TypeError(f"message content is {type(content).__name__}")


def _token_count(value: object) -> int:
    """A usage figure as the server reported it, or 0 when it is no count at all
    ("lots", NaN, negative, or more tokens than any model reads)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    if not math.isfinite(value) or not 0 <= value < 10**12:
        return 0
    return int(value)


def _seconds(value: float) -> str:
    """'120 s', '2.5 s': a wait as the user reads it."""
    return f"{round(value, 1):g} s"

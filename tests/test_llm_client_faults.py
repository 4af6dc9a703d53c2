"""The client's retry layer against faults a real backend shows: a dropped connection
(the server is there) told apart from one never made (nothing listens), a garbled
HTTP 200, a Retry-After longer than the deadline leaves, and what the run reports of
them. The real openai client talks to tests/llm_server.py on 127.0.0.1."""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from llm_server import LLMServer, auto_reply
from test_llm_chain import make_config, run

from briefing.errors import BackendError
from briefing.llm import usage_line
from briefing.llm.accounting import Accounting
from briefing.llm.client import ChatClient, ContextTooLong
from briefing.llm.config import LLMConfig

MESSAGES = [{"role": "user", "content": "STAGE: map\n\nNothing to see here, really."}]


def free_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ask(config: LLMConfig, accounting: Accounting, deadline_s: float = 60.0) -> Any:
    """One ChatClient.complete call, as the chain makes it."""

    async def go() -> Any:
        client = ChatClient(config, accounting, time.monotonic() + deadline_s)
        try:
            return await client.complete(MESSAGES, {}, stage="map", label="probe")
        finally:
            await client.aclose()

    return asyncio.run(go())


def quick(url: str, **overrides: Any) -> LLMConfig:
    values: dict[str, Any] = {"model": "m", "base_url": url, "api_key": "x", "timeout": 5.0}
    values.update(max_attempts=3, backoff_base=0.01, backoff_max=0.05)
    return LLMConfig(**{**values, **overrides})


# ---------------------------------------------------------------- A: dropped vs never made


def test_a_dropped_connection_is_not_reported_as_cannot_connect(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # The very first request is dropped: it reached the server, so the retry warning
    # must neither say "cannot connect" nor limit itself to the one first-contact retry.
    llm_server.inject("hangup", "map", times=1)
    said: list[str] = []
    b = run(make_config(llm_server, tmp_path, concurrency=1, max_attempts=3), warn=said.append)
    retry = next(w for w in said if "retrying in" in w)
    assert "the server at http://127.0.0.1:" in retry
    assert "closed the connection without replying" in retry
    assert "cannot connect" not in retry and "no request has reached" not in retry
    assert "(up to 3 attempts, within the --deadline)" in retry
    # The dropped request reached the server: it is a request the run made.
    assert b.run.counts["requests"] == llm_server.count() == 5
    assert b.run.counts["connect_failures"] == 0


def test_a_server_dropping_every_request_gets_every_attempt_and_no_base_url_advice(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("hangup", "map", times=-1)
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path, concurrency=1, max_attempts=3))
    message = str(err.value)
    assert "closed the connection without replying" in message
    assert "(gave up after 3 attempts);" in message
    assert "cannot connect" not in message and "--base-url" not in message
    assert "crashed or be overloaded" in message


def test_a_resumed_run_retries_a_dropped_reduce_fully(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # First run: the map replies are cached, every reduce request is dropped.
    llm_server.inject("hangup", "reduce", times=-1)
    config = make_config(llm_server, tmp_path, max_attempts=3)
    with pytest.raises(BackendError, match=r"gave up after 3 attempts"):
        run(config)
    # The re-run sends nothing before the reduce: its first request is dropped, yet it
    # reached the server, so it gets every attempt, not the one quick retry.
    llm_server.reset()
    llm_server.inject("hangup", "reduce", times=-1)
    with pytest.raises(BackendError, match=r"gave up after 3 attempts\);"):
        run(config)
    assert llm_server.count("map") == 0 and llm_server.count("reduce") == 3


def test_a_server_that_answered_and_then_went_away_gets_every_attempt() -> None:
    # A refused connection after a reply (a restart, say): every attempt, not the quick
    # give-up meant for a server nothing has reached.
    accounting = Accounting()

    async def go(server: LLMServer) -> None:
        config = quick(server.url, max_attempts=3)
        client = ChatClient(config, accounting, time.monotonic() + 60)
        try:
            await client.complete(MESSAGES, {}, stage="map", label="first")
            server.stop()
            await client.complete(MESSAGES, {}, stage="map", label="second")
        finally:
            await client.aclose()

    server = LLMServer().start()
    with pytest.raises(BackendError) as err:
        asyncio.run(go(server))
    # About the server, not the call: no call's label in front (the first call's one
    # request, below, shows it was the second that failed).
    assert str(err.value).startswith("cannot connect to")
    assert "(gave up after 3 attempts);" in str(err.value)
    assert accounting.total("requests") == 1 and accounting.total("connect_failures") == 3


# ---------------------------------------------------------------- B: a garbled HTTP 200


def test_one_reply_that_is_no_completion_is_retried(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("garbage", "map", times=1)
    said: list[str] = []
    b = run(make_config(llm_server, tmp_path, concurrency=1), warn=said.append)
    assert b.points and b.run.counts["retries"] == 1
    assert llm_server.count(injected="garbage") == 1
    retry = next(w for w in said if "retrying in" in w)
    assert "the server's reply is not a chat completion" in retry
    assert "once, as no reply of this run has been a chat completion yet" in retry


def test_replies_that_are_never_completions_fail_soon_with_base_url_advice(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # Most likely --base-url names some other web server: one quick retry, then say so.
    llm_server.inject("garbage", None, times=-1)
    slow = {"backoff_base": 1000.0, "backoff_max": 1000.0, "max_attempts": 6}
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path, concurrency=1, **slow))
    message = str(err.value)
    assert message.endswith(
        "the server's reply is not a chat completion (gave up after 2 attempts); "
        "check --base-url (it usually ends in /v1)"
    )


def test_garbled_replies_after_a_good_one_get_every_attempt(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("reply", "map", times=1, content=lambda body: auto_reply(body))
    llm_server.inject("garbage", "map", times=-1)
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path, concurrency=1, max_attempts=3))
    # The URL is right (a reply was a completion): the call is named, not --base-url.
    message = str(err.value)
    assert re.match(r"map [^:]+: the server's reply is not a chat completion \(gave up", message)
    assert (
        "(gave up after 3 attempts); the server answered this run's other calls, so it is "
        "failing on this one: check its log, or try again; 1 finished call is cached"
    ) in message


# ---------------------------------------------------------------- C: counts and reasons


def test_attempts_that_never_connect_are_not_requests_made(tmp_path: Path) -> None:
    accounting = Accounting()
    config = quick(f"http://127.0.0.1:{free_port()}/v1", max_attempts=6, backoff_base=1000.0)
    refused = r"cannot connect to http://127.0.0.1:\d+/v1: connection refused \(gave up after 2"
    with pytest.raises(BackendError, match=refused):
        ask(config, accounting)
    assert accounting.total("requests") == 0
    assert accounting.total("connect_failures") == 2
    assert accounting.total("retries") == 1
    assert accounting.spent() == "the run made 2 connection attempts, none reached the server"
    usage = accounting.usage(model="m", endpoint="x", prices={}, wall_seconds=0.1, extra={})
    assert usage["requests"] == 0 and usage["connect_failures"] == 2
    assert accounting.counts()["connect_failures"] == 2


def test_a_connection_that_times_out_is_cannot_connect_not_a_slow_reply() -> None:
    # A listener whose queue is full drops the handshake, as a firewalled host does: the
    # client's connect times out before any request is sent.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        queued = [socket.socket() for _ in range(3)]
        for sock in queued:
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
        accounting = Accounting()
        config = quick(f"http://127.0.0.1:{port}/v1", timeout=0.5, max_attempts=6)
        try:
            with pytest.raises(BackendError) as err:
                ask(config, accounting)
        finally:
            for sock in queued:
                sock.close()
    message = str(err.value)
    assert "cannot connect to" in message and "no answer to connect within 0.25 s" in message
    assert "gave up after 2 attempts" in message  # the quick first-contact retry, not 6
    assert accounting.total("requests") == 0 and accounting.total("connect_failures") == 2


def test_a_failed_run_that_never_connected_claims_no_requests(tmp_path: Path) -> None:
    said: list[str] = []
    config = quick(f"http://127.0.0.1:{free_port()}/v1", cache_dir=tmp_path)
    with pytest.raises(BackendError, match="cannot connect"):
        run(config, warn=said.append)
    assert not [w for w in said if re.search(r"made \d+ requests?\b", w)], said
    # Nothing was spent, and the error says it could not connect: no cost line at all.
    assert not [w for w in said if w.startswith("before it failed")], said


def test_a_server_gone_mid_run_counts_its_requests_and_the_failed_connections() -> None:
    accounting = Accounting()
    with LLMServer() as server:
        ask(quick(server.url), accounting)
    with pytest.raises(BackendError, match="cannot connect"):  # nothing listens there now
        ask(quick(server.url, max_attempts=2), accounting)
    assert accounting.total("requests") == 1 == server.count()
    assert accounting.total("connect_failures") == 2
    spent = accounting.spent() or ""
    assert spent.startswith("the run made 1 request (")
    assert spent.endswith(" completion tokens) and 2 connection attempts that reached no server")


@pytest.mark.parametrize("asked", [120, 300])
def test_a_retry_after_past_the_deadline_is_named_as_the_reason(
    llm_server: LLMServer, asked: int
) -> None:
    llm_server.inject("429", None, times=-1, retry_after=asked)
    with pytest.raises(BackendError) as err:
        ask(quick(llm_server.url, max_attempts=6), Accounting(), deadline_s=10.0)
    message = str(err.value)
    # 300 s is above the wait this client would ever sleep: the server's figure is shown.
    assert (
        f"(gave up after 1 attempt, as the server asked to wait {asked} s, past the --deadline"
        in (message)
    )
    assert "was near" not in message
    assert llm_server.count() == 1


def test_retries_stopped_by_the_deadline_alone_still_say_so(llm_server: LLMServer) -> None:
    llm_server.inject("500", None, times=-1)
    config = quick(llm_server.url, max_attempts=50, backoff_base=0.2, backoff_max=0.2)
    with pytest.raises(BackendError) as err:
        ask(config, Accounting(), deadline_s=0.5)
    assert ", as the --deadline was near);" in str(err.value)


# ---------------------------------------------------------------- D: the summary line


def test_the_summary_line_names_extended_replies(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("cutoff", "reduce", times=1)
    b = run(make_config(llm_server, tmp_path))
    assert b.run.counts["extended_replies"] == 1
    line = usage_line(b)
    assert "(0 cached, 0 retries, 1 extended reply), 5 requests" in line, line


# ---------------------------------------------------------------- TLS handshakes


def test_https_to_a_plain_http_server_says_use_http(llm_server: LLMServer) -> None:
    accounting = Accounting()
    config = quick(llm_server.url.replace("http://", "https://"), max_attempts=6)
    with pytest.raises(BackendError) as err:
        ask(config, accounting)
    message = str(err.value)
    assert "no secure connection to https://127.0.0.1:" in message
    assert message.endswith("the server speaks plain HTTP: use http:// in --base-url")
    assert "is the server running" not in message
    assert accounting.total("connect_failures") == 1  # a handshake fails alike every time


def test_an_untrusted_certificate_points_at_ssl_cert_file() -> None:
    # A self-signed certificate (key and certificate in one PEM, valid until 2126), as a
    # vLLM box behind a company's own certificate authority presents.
    pem = Path(__file__).parent / "fixtures" / "tls" / "self-signed-127.0.0.1.pem"
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pem)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        stop = threading.Event()

        def handshake_all() -> None:
            listener.settimeout(0.1)
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                with suppress(OSError), context.wrap_socket(conn, server_side=True):
                    pass

        thread = threading.Thread(target=handshake_all, daemon=True)
        thread.start()
        try:
            port = listener.getsockname()[1]
            with pytest.raises(BackendError) as err:
                ask(quick(f"https://127.0.0.1:{port}/v1"), Accounting())
        finally:
            stop.set()
            thread.join(5)
    message = str(err.value)
    assert "CERTIFICATE_VERIFY_FAILED" in message and "set SSL_CERT_FILE" in message


# ---------------------------------------------------------------- the server's own count


@pytest.mark.parametrize(
    ("message", "window", "prompt"),
    [
        (  # OpenAI
            "This model's maximum context length is 8192 tokens. However, your messages "
            "resulted in 9,120 tokens. Please reduce the length of the messages.",
            8192,
            9120,
        ),
        (  # OpenAI and older vLLM, with the reply limit counted
            "This model's maximum context length is 4096 tokens. However, you requested "
            "5000 tokens (3000 in the messages, 2000 in the completion).",
            4096,
            3000,
        ),
        (  # vLLM
            "This model's maximum context length is 4096 tokens. However, your request has "
            "4176 input tokens. Please reduce the length of the input messages.",
            4096,
            4176,
        ),
        (  # llama.cpp's server
            "request (4476 tokens) exceeds the available context size (4096 tokens), try "
            "increasing it",
            4096,
            4476,
        ),
        ("the prompt exceeds the model's context length of 4,096 tokens", 4096, None),
    ],
)
def test_a_refusal_for_length_gives_the_window_and_the_servers_count_of_the_prompt(
    llm_server: LLMServer, message: str, window: int, prompt: int | None
) -> None:
    llm_server.inject("status", "map", times=1, status=400, message=message)
    accounting = Accounting()
    with pytest.raises(ContextTooLong) as err:
        ask(quick(llm_server.url), accounting)
    assert err.value.server_prompt == prompt
    assert accounting.server_window == window
    assert llm_server.count() == 1  # refused for length: not retried as it is


@pytest.mark.parametrize(
    ("scale", "least", "advice"),
    [
        (None, 3072, "pass --context-window 4096 (the window the server states)"),
        # Within what chat templates add: the stated window as it is.
        (1.005, 3072, "pass --context-window 4096 (the window the server states)"),
        (
            1.3,
            3072,
            "pass --context-window 3150 (the server states 4,096 tokens, and counts 1.30 "
            "of its tokens for each of ours)",
        ),
        (
            1.5,
            3072,
            "start the server with a larger context (the server states 4,096 tokens, and "
            "counts 1.50 of its tokens for each of ours, so it holds about 2,730 of ours; "
            "a run of these articles takes 3,072)",
        ),
        (
            None,
            6144,
            "start the server with a larger context (the server states 4,096 tokens; a run "
            "of these articles takes 6,144)",
        ),
    ],
)
def test_the_window_advice_is_in_our_tokens_and_never_below_what_a_run_takes(
    scale: float | None, least: int, advice: str
) -> None:
    accounting = Accounting(server_window=4096, server_scale=scale, least_window=least)
    assert accounting.window_advice() == advice

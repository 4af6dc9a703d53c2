"""The LLM chain end to end: the real openai client against tests/llm_server.py.

The three short articles below are invented for these tests (a dam spillway
failure in the made-up town of Orlen); they disagree on the toll and on whether a
gate jammed, and each has a fact the others lack.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from llm_server import LLMServer, auto_reduce, auto_reply

from briefing.chunking import EstimateTokenizer
from briefing.errors import BackendError, ConfigError
from briefing.llm import build_briefing, usage_line
from briefing.llm.budget import reduce_reply_floor
from briefing.llm.cache import CACHE_FILE
from briefing.llm.chain import MAX_COLLAPSE_ROUNDS, SPLIT_ALLOWANCE
from briefing.llm.config import LLMConfig
from briefing.model import Article, Briefing, Citation

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk-test-THIS-KEY-MUST-NOT-LEAK-4242"
TOKENIZER = EstimateTokenizer()
ONE_ARTICLE_PER_CALL = 128
# Context windows (tokens) scanned for ones small enough that the three articles' notes
# need collapse rounds: which ones do depends on the prompts' and notes' length.
WINDOW_SCAN = range(3800, 1299, -20)

TEXT_1 = (
    "Floodwater from the Orlen dam spillway swept through the lower town on Tuesday night, "
    "killing at least 14 people, the regional governor said. Rescue teams evacuated about "
    "2,000 residents from the riverside districts before dawn.\n\n"
    "Engineers from the water authority said a gate mechanism had jammed during heavy rain. "
    "The governor, Mara Quell, called the failure a disaster that was years in the making. "
    "Schools in the lower town will stay closed until Monday, officials said."
)
TEXT_2 = (
    "Eleven people died when water from the Orlen dam spillway flooded the lower town late on "
    "Tuesday, according to the civil defence agency. The agency said some 1,500 residents had "
    "been moved to shelters.\n\n"
    "The water authority denied that any gate had jammed and blamed unprecedented rainfall for "
    "the overflow. Opposition deputies called for an independent inquiry into the maintenance "
    "of the dam."
)
TEXT_3 = (
    "The death toll from the flood in the lower town of Orlen rose to 19 on Wednesday, hospital "
    "officials said. Witnesses said the spillway alarm never sounded on Tuesday night.\n\n"
    "Volunteers from neighbouring villages brought boats to ferry stranded families across the "
    "river. The regional governor promised compensation for every family that lost a home."
)


def make_articles() -> list[Article]:
    return [
        Article(id="a1a1a1a1a1a1", label=1, title="Orlen flood kills 14", text=TEXT_1,
                outlet="Riverside Courier", date="2031-05-07"),
        Article(id="b2b2b2b2b2b2", label=2, title="Eleven dead in Orlen", text=TEXT_2,
                outlet="Northern Ledger", date="2031-05-07"),
        Article(id="c3c3c3c3c3c3", label=3, title="Orlen toll rises to 19", text=TEXT_3,
                outlet="Orlen Today", date="2031-05-08"),
    ]  # fmt: skip


ARTICLES = make_articles()
BY_ID = {a.id: a for a in ARTICLES}


def make_config(server: LLMServer, tmp_path: Path, **overrides: Any) -> LLMConfig:
    values: dict[str, Any] = {
        "model": "m",
        "base_url": server.url,
        "api_key": KEY,
        "cache_dir": tmp_path / "cache",
        "context_window": 16384,
        # Each of the three articles is a chunk bigger than this budget, so each gets a
        # map call of its own: the tests of retries, caching and resume count per-article
        # calls. Packing short chunks into one call has tests of its own.
        "chunk_tokens": ONE_ARTICLE_PER_CALL,
        "map_pack_tokens": ONE_ARTICLE_PER_CALL,
        "timeout": 5.0,
        "deadline": 60.0,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
    }
    values.update(overrides)
    return LLMConfig(**values)


def run(config: LLMConfig, articles: list[Article] | None = None, **kwargs: Any) -> Briefing:
    kwargs.setdefault("warn", lambda message: None)
    return build_briefing(articles or ARTICLES, config, tokenizer=TOKENIZER, **kwargs)


def all_citations(b: Briefing) -> list[Citation]:
    cits = [*b.bottom_line.citations]
    for p in b.points:
        cits.extend(p.citations)
    for d in b.divergences:
        cits.extend(v.citation for v in d.versions)
    cits.extend(n.citation for n in b.single_source)
    for t in b.timeline:
        cits.extend(t.citations)
    return cits


def assert_grounded(b: Briefing) -> None:
    for cit in all_citations(b):
        article = BY_ID[cit.article_id]
        assert article.text[cit.start : cit.end] == cit.quote
        assert len(cit.quote.split()) >= 3


# ---------------------------------------------------------------- a whole run


def test_full_run_fills_every_section_with_grounded_citations(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    progress: list[tuple[str, int, int]] = []
    b = run(make_config(llm_server, tmp_path), progress=lambda *a: progress.append(a))

    assert b.run.engine == "llm" and b.run.model == "m"
    assert b.headline and b.bottom_line.citations
    assert b.points and b.divergences and b.single_source and b.timeline
    assert not b.unverified
    assert_grounded(b)
    assert [s.id for s in b.sources] == [a.id for a in ARTICLES]
    # Every source that contributed claims is cited somewhere.
    assert {c.article_id for c in all_citations(b)} == set(BY_ID)
    assert b.run.usage["sources_uncited"] == []
    # The numeric divergence keeps each source's own figure apart.
    killed = next(d for d in b.divergences if "killed" in d.topic)
    assert {v.citation.article_id for v in killed.versions} == set(BY_ID)
    assert [t.when for t in b.timeline] == sorted(t.when for t in b.timeline)

    stats = llm_server.stats()
    assert stats["by_stage"] == {"map": 3, "reduce": 1}
    assert llm_server.max_in_flight > 1  # map calls overlap
    assert b.run.usage["max_in_flight"] > 1
    assert b.run.counts["calls"] == 4 and b.run.counts["requests"] == 4
    assert b.run.usage["prompt_tokens"] > 0 and b.run.usage["completion_tokens"] > 0
    assert ("map", 3, 3) in progress and ("reduce", 1, 1) in progress
    line = usage_line(b)
    assert line.startswith("llm: 4 calls (0 cached, 0 retries)") and "citations dropped" in line

    # Every map prompt carries its stage marker and exactly one delimited article.
    for request in llm_server.requests:
        if request.stage == "map":
            assert request.prompt.startswith("STAGE: map")
            assert request.prompt.count("\n<<<ARTICLE id=") == 1
        fmt = request.body["response_format"]
        assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True


@pytest.mark.parametrize("concurrency", [1, 2])
def test_concurrency_is_bounded(tmp_path: Path, concurrency: int) -> None:
    with LLMServer(latency=0.1) as server:
        b = run(make_config(server, tmp_path, concurrency=concurrency))
        assert server.max_in_flight == b.run.usage["max_in_flight"] == concurrency


def test_second_identical_run_makes_no_requests(llm_server: LLMServer, tmp_path: Path) -> None:
    config = make_config(llm_server, tmp_path)
    first = run(config)
    sent = len(llm_server.requests)
    second = run(config)
    assert len(llm_server.requests) == sent  # zero new requests
    assert second.run.counts["cache_hits"] == second.run.counts["calls"] == 4
    assert second.run.counts["requests"] == 0
    assert second.model_dump(exclude={"run"}) == first.model_dump(exclude={"run"})


def test_no_cache_asks_again_and_writes_no_cache(llm_server: LLMServer, tmp_path: Path) -> None:
    config = make_config(llm_server, tmp_path, use_cache=False)
    run(config)
    run(config)
    assert len(llm_server.requests) == 8
    assert not (tmp_path / "cache").exists()


def test_title_becomes_the_headline_and_reaches_the_reduce_prompt(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    b = run(make_config(llm_server, tmp_path), title="Orlen dam failure")
    assert b.headline == "Orlen dam failure"
    reduce = next(r for r in llm_server.requests if r.stage == "reduce")
    assert "Orlen dam failure" in reduce.prompt


# ---------------------------------------------------------------- retries and time limits


def test_429_waits_for_retry_after_not_for_the_backoff(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # With a backoff of ~1000 s the run could only finish in time by honouring
    # Retry-After: 0 (a backoff sleep past the deadline stops the retries instead).
    llm_server.inject("429", "map", times=2, retry_after=0)
    config = make_config(llm_server, tmp_path, backoff_base=1000.0, backoff_max=1000.0)
    b = run(config)
    assert llm_server.count(injected="429") == 2
    assert b.run.counts["retries"] == 2
    assert b.points


def test_warnings_about_the_run_reach_the_json_not_the_run_notes(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("500", "map", times=1)
    said: list[str] = []
    b = run(make_config(llm_server, tmp_path, context_window=None), warn=said.append)
    assert any("unknown context window for model 'm'" in w for w in said)
    assert any("retrying" in w for w in said), said
    assert b.run.usage["warnings"] == said
    assert not any("context window" in w for w in b.run.warnings)


def test_500s_are_retried_with_backoff(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("500", "map", times=2)
    llm_server.inject("500", "reduce", times=1)
    b = run(make_config(llm_server, tmp_path))
    assert b.run.counts["retries"] == 3
    assert b.run.usage["stages"]["reduce"]["retries"] == 1
    assert_grounded(b)


def test_persistent_500_is_a_clear_backend_error(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("500", "map", times=-1)
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path, max_attempts=3))
    message = str(err.value)
    assert "HTTP 500" in message and "after 3 attempts);" in message and "\n" not in message
    assert "cached" not in message  # nothing finished, nothing to resume
    assert message.startswith("map of [")
    # The server answered, with an error: a longer timeout would not help.
    assert "check its log" in message and "--timeout" not in message


def test_persistent_429_advises_fewer_calls_at_once(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("429", "map", times=-1, retry_after=0)
    warnings: list[str] = []
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path, max_attempts=3), warn=warnings.append)
    message = str(err.value)
    assert "HTTP 429" in message and "lower --concurrency" in message
    assert "--timeout" not in message  # waiting longer is not the cure
    # The first retry is announced, once: a long backoff must not look like a hang.
    retries = [w for w in warnings if "retrying" in w]
    assert len(retries) == 1 and "HTTP 429" in retries[0] and "up to 3 attempts" in retries[0]


def test_retries_cut_short_by_the_deadline_say_so(llm_server: LLMServer, tmp_path: Path) -> None:
    # Retry-After 1 s against a 3 s deadline: attempts at about 0, 1 and 2 s; a fourth
    # would start at the deadline, so the retries stop there, short of max_attempts.
    llm_server.inject("429", "map", times=-1, retry_after=1.0)
    warnings: list[str] = []
    config = make_config(llm_server, tmp_path, max_attempts=6, deadline=3.0)
    with pytest.raises(BackendError) as err:
        run(config, warn=warnings.append)
    assert "(gave up after 3 attempts, as the server asked to wait 1 s, past the --deadline" in str(
        err.value
    )
    assert "retrying in 1.0 s (up to 6 attempts, within the --deadline)" in warnings[0]


def test_a_reply_slower_than_the_timeout_is_retried(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("slow", "map", times=1, delay=2.0, match="Orlen Today")
    b = run(make_config(llm_server, tmp_path, timeout=0.5))
    assert b.run.counts["retries"] == 1
    assert llm_server.count("map") == 4  # the slow one was asked twice
    assert "c3c3c3c3c3c3" in {c.article_id for c in all_citations(b)}


def test_the_deadline_stops_the_whole_run(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("slow", "map", times=-1, delay=3.0, match="Orlen Today")
    with pytest.raises(BackendError, match="deadline of 1 s") as err:
        run(make_config(llm_server, tmp_path, timeout=10.0, deadline=1.0))
    # The two other articles' maps finished: a re-run starts from them.
    assert "raise --deadline; 2 finished calls are cached" in str(err.value)
    # Without the cache nothing is kept, and the error does not say otherwise.
    with pytest.raises(BackendError, match="deadline of 1 s") as err:
        run(make_config(llm_server, tmp_path, timeout=10.0, deadline=1.0, use_cache=False))
    assert str(err.value).endswith("raise --deadline")


def test_a_deadline_reached_while_calls_time_out_names_the_timeouts(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # Every reply is slower than the per-call timeout, so the retries run until the
    # deadline ends the run: the cause to tell is the timeouts, not the deadline.
    llm_server.inject("slow", times=-1, delay=2.0)
    config = make_config(llm_server, tmp_path, timeout=0.3, deadline=1.5, max_attempts=10)
    with pytest.raises(BackendError, match=r"deadline of 1\.5 s") as err:
        run(config)
    assert "no reply within 0.3 s" in str(err.value)
    assert "raise --timeout" in str(err.value)


def test_refused_connection_is_a_backend_error_without_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    config = LLMConfig(
        model="m",
        base_url=f"http://127.0.0.1:{port}/v1",
        cache_dir=tmp_path,
        max_attempts=2,
        backoff_base=0.01,
    )
    with pytest.raises(BackendError) as err:
        run(config)
    message = str(err.value)
    assert f"cannot connect to http://127.0.0.1:{port}/v1" in message
    assert "is the server running" in message and "--timeout" not in message
    assert "api.openai.com" not in message and "127.0.0.1:9/" not in message


def test_a_server_never_reached_gets_one_quick_retry_not_the_full_backoff(
    tmp_path: Path,
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # A backoff of ~1000 s: the test could only end by not waiting it out.
    slow_backoff = {"backoff_base": 1000.0, "backoff_max": 1000.0, "deadline": 600.0}
    config = LLMConfig(model="m", base_url=f"http://127.0.0.1:{port}/v1", cache_dir=tmp_path,
                       max_attempts=6, **slow_backoff)  # fmt: skip
    said: list[str] = []
    with pytest.raises(BackendError, match=r"gave up after 2 attempts\); is the server running"):
        run(config, warn=said.append)
    assert any("retrying in" in w and "once, as no request has reached" in w for w in said)


def test_a_server_that_answered_once_gets_every_retry(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # After one reply every connection is dropped (a restart, say): the calls after it
    # get all their attempts, not the quick give-up meant for a server never reached.
    llm_server.inject("reply", "map", times=1, content=lambda body: auto_reply(body))
    llm_server.inject("hangup", "map", times=-1)
    config = make_config(llm_server, tmp_path, max_attempts=3, concurrency=1)
    with pytest.raises(BackendError, match=r"gave up after 3 attempts"):
        run(config)


def test_configured_base_url_wins_over_the_environment(
    llm_server: LLMServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    config = LLMConfig.from_env(
        base_url=llm_server.url,
        model="m",
        cache_dir=tmp_path,
        context_window=16384,
        chunk_tokens=ONE_ARTICLE_PER_CALL,
        map_pack_tokens=ONE_ARTICLE_PER_CALL,
    )
    assert run(config).points
    assert llm_server.count() == 4


def test_llm_engine_without_key_or_base_url_is_a_config_error() -> None:
    config = LLMConfig.from_env({})
    assert not config.configured()
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        run(config)


def test_a_reply_that_is_no_completion_is_a_backend_error(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("garbage", "map", times=-1)
    with pytest.raises(BackendError, match=r"not a chat completion .*; check --base-url"):
        run(make_config(llm_server, tmp_path))


# ---------------------------------------------------------------- structured output


def test_invalid_json_gets_one_repair_that_shows_the_error(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("invalid_json", "map", times=1, match="Northern Ledger")
    config = make_config(llm_server, tmp_path)
    b = run(config)
    assert b.run.counts["repairs"] == 1
    repair = next(r for r in llm_server.requests if r.repair)
    roles = [m["role"] for m in repair.messages]
    assert roles == ["system", "user", "assistant", "user"]
    assert repair.messages[2]["content"].startswith('{"claims": [ {"quote": "unterminated')
    assert "not valid JSON" in repair.messages[3]["content"]
    assert "b2b2b2b2b2b2" in {c.article_id for c in all_citations(b)}
    # The repaired reply is cached under the original request: a re-run asks nothing.
    sent = len(llm_server.requests)
    run(config)
    assert len(llm_server.requests) == sent


def test_invalid_json_twice_fails_naming_the_chunk(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("invalid_json", "map", times=2, match="Northern Ledger")
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path))
    message = str(err.value)
    assert message.startswith("map of [2] Northern Ledger, chunk 1/1:")
    assert "after one repair request" in message
    # No briefing carries the usage of a failed run: the error does, for a library caller.
    usage = err.value.usage
    assert usage is not None
    assert usage["requests"] == len(llm_server.requests) >= 3
    assert usage["prompt_tokens"] and usage["replies_kept"] == llm_server.count("map") - 2


def test_schema_mismatch_is_repaired(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("reply", "reduce", times=1, content='{"headline": 3}')
    b = run(make_config(llm_server, tmp_path))
    repair = next(r for r in llm_server.requests if r.repair)
    assert "bottom_line: Field required" in repair.messages[-1]["content"]
    assert b.points


@pytest.mark.parametrize("mode", ["object", "none"])
def test_json_modes_for_servers_without_json_schema(
    llm_server: LLMServer, tmp_path: Path, mode: str
) -> None:
    b = run(make_config(llm_server, tmp_path, json_mode=mode))
    assert b.points
    for request in llm_server.requests:
        fmt = request.body.get("response_format")
        assert fmt == ({"type": "json_object"} if mode == "object" else None)
        assert '"additionalProperties":false' in request.prompt  # the schema is in the prompt


@pytest.mark.parametrize(
    ("mode", "advice"),
    [
        ("schema", "try --json-mode object or none"),
        ("object", "try --json-mode none"),
        ("none", ""),
    ],
)
def test_json_mode_advice_offers_only_modes_not_yet_tried(
    llm_server: LLMServer, tmp_path: Path, mode: str, advice: str
) -> None:
    # A server refusing the request over response_format, then replies that stay no JSON.
    llm_server.inject("status", "map", times=1, status=400, message="response_format unsupported")
    with pytest.raises(BackendError) as refused:
        run(make_config(llm_server, tmp_path / "a", json_mode=mode))
    llm_server.inject("invalid_json", "map", times=2, match="Northern Ledger")
    with pytest.raises(BackendError) as garbled:
        run(make_config(llm_server, tmp_path / "b", json_mode=mode))
    if advice:
        assert f"structured output: {advice}" in str(refused.value)
        # Switching modes re-asks every call, which "a re-run resumes" must not hide.
        switch = f"{advice} if the server ignores {mode} (which asks every call again), or try"
        assert switch in str(garbled.value)
    else:  # nothing left to switch to
        assert "--json-mode" not in str(refused.value) + str(garbled.value)
        assert "repair request; try a model that follows JSON formats" in str(garbled.value)


# ---------------------------------------------------------------- grounding


def test_citation_to_an_unknown_article_is_dropped_and_counted(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("unknown_article", "map", times=1)
    llm_server.inject("unknown_article", "reduce", times=1)
    b = run(make_config(llm_server, tmp_path))
    citations = b.run.usage["citations"]
    assert citations["dropped_by_reason"] == {"unknown_article": 2}
    assert citations["dropped_by_stage"] == {"map": 1, "reduce": 1}
    assert b.run.counts["citations_dropped"] == 2
    assert "no-such-article" not in b.to_json()
    # The point whose only citation was dropped is not printed as fact.
    assert len(b.unverified) == 1
    assert b.unverified[0].text not in {p.text for p in b.points}
    assert b.unverified[0].citations == []
    assert "2 citations dropped" in usage_line(b)
    assert any("could not be grounded" in note for note in b.run.notes)


def test_quote_not_in_the_article_is_dropped(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("bad_quote", "map", times=1)
    llm_server.inject("bad_quote", "reduce", times=1)
    b = run(make_config(llm_server, tmp_path))
    assert b.run.usage["citations"]["dropped_by_reason"] == {"quote_not_found": 2}
    assert "green cheese" not in b.to_json()
    assert len(b.unverified) == 1
    assert_grounded(b)


def test_runs_from_inside_a_running_event_loop(llm_server: LLMServer, tmp_path: Path) -> None:
    # As in a notebook cell or an async web handler: a running loop cannot be re-entered.
    async def cell() -> Briefing:
        return run(make_config(llm_server, tmp_path))

    b = asyncio.run(cell())
    assert b.run.engine == "llm" and b.points
    assert_grounded(b)


def test_unknown_note_id_is_dropped(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("unknown_id", "reduce", times=1)
    b = run(make_config(llm_server, tmp_path))
    assert b.run.usage["citations"]["dropped_by_reason"] == {"unknown_id": 1}
    assert len(b.unverified) == 1


def scripted_reduce(body: dict[str, Any]) -> str:
    """A reduce reply that cites only the first source, plus one ungrounded point."""
    from llm_server import parse_notes

    notes = [n for n in parse_notes(body["messages"][1]["content"]) if n["sources"] == ["1"]]
    cite = [{"id": notes[0]["id"], "article_id": None, "quote": None}]
    return json.dumps(
        {
            "headline": "Orlen flood",
            "bottom_line": {"text": "A spillway flood hit Orlen.", "citations": cite},
            "points": [
                {"text": "A gate jammed.", "citations": cite},
                {"text": "Invented point.", "citations": [{"id": "c999"}]},
            ],
            "divergences": [
                {"topic": "Toll", "kind": "numeric", "note": None,
                 "versions": [{"text": "14 killed", "citations": cite}]},
            ],
            "single_source": [],
            "timeline": [],
        }
    )  # fmt: skip


def test_a_source_the_model_took_nothing_from_is_named(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("reply", "map", times=1, content='{"claims": []}', match="Northern Ledger")
    b = run(make_config(llm_server, tmp_path))
    assert b.run.usage["sources_without_claims"] == ["[2] Northern Ledger"]
    [warning] = [w for w in b.run.warnings if "gave no claim" in w]
    assert "1 source ([2] Northern Ledger), so the briefing leaves it out" in warning
    assert "b2b2b2b2b2b2" not in {c.article_id for c in all_citations(b)}


def test_a_map_reply_without_claims_is_repaired_not_taken_as_none(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("reply", "map", times=1, content='{"foo": 1}', match="Northern Ledger")
    b = run(make_config(llm_server, tmp_path))
    assert b.run.counts["repairs"] == 1
    assert b.run.usage["sources_without_claims"] == []


def test_sources_left_out_by_the_reduce_step_are_reported(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("reply", "reduce", times=1, content=scripted_reduce)
    b = run(make_config(llm_server, tmp_path))
    assert b.run.usage["sources_uncited"] == ["[2] Northern Ledger", "[3] Orlen Today"]
    assert b.run.counts["sources_uncited"] == 2
    assert "source [2] Northern Ledger is not cited in the briefing" in b.run.warnings
    assert "2 sources not cited (see the warnings)" in usage_line(b)
    # The uncited point and the one-sided divergence are unverified, never fact.
    assert [p.text for p in b.points] == ["A gate jammed."]
    assert b.divergences == []
    assert {p.text for p in b.unverified} == {"Invented point.", "Toll: 14 killed"}


def test_a_briefing_with_nothing_verified_says_so_under_the_headline(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    from briefing.render.markdown import render_markdown

    # A user trial: every citation of the reduce reply named a note that does not
    # exist, and the page said "No key points could be drawn from the sources".
    bad = [{"id": "c99999", "article_id": None, "quote": None}]
    reply = {
        "headline": "Orlen flood",
        "bottom_line": {"text": "A spillway flood hit Orlen.", "citations": bad},
        "points": [{"text": "A gate jammed.", "citations": bad}],
        "divergences": [],
        "single_source": [],
        "timeline": [],
    }
    llm_server.inject("reply", "reduce", times=1, content=json.dumps(reply))
    b = run(make_config(llm_server, tmp_path))
    assert not b.points and not b.bottom_line.citations
    assert {p.text for p in b.unverified} == {"A spillway flood hit Orlen.", "A gate jammed."}
    assert any(w.startswith("none of the model's key points or summary") for w in b.run.warnings)
    page = render_markdown(b)
    assert "No key point could be verified against the sources" in page
    assert "could be drawn from the sources" not in page


def test_reduce_sees_the_sources_interleaved(llm_server: LLMServer, tmp_path: Path) -> None:
    from llm_server import parse_notes

    run(make_config(llm_server, tmp_path))
    reduce = next(r for r in llm_server.requests if r.stage == "reduce")
    order = [n["sources"][0] for n in parse_notes(reduce.prompt)]
    # Round-robin: each run of three notes comes from three different sources.
    assert len(set(order[:3])) == 3 and len(set(order[3:6])) == 3
    # In the map output, the notes of one article are adjacent; here they are not.
    assert order != sorted(order, key=int)


# ---------------------------------------------------------------- splitting and collapsing


def test_short_articles_share_a_map_call_and_keep_their_own_ids(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    from llm_server import parse_articles

    config = make_config(llm_server, tmp_path, chunk_tokens=1500)
    b = run(config)
    assert b.run.counts["chunks"] == 3 and llm_server.count("map") == 1
    blocks = parse_articles(next(r.prompt for r in llm_server.requests if r.stage == "map"))
    assert [attrs["id"] for attrs, _ in blocks] == ["1", "2", "3"]  # source numbers
    assert_grounded(b)  # every citation's span is in the article it names
    assert {c.article_id for c in all_citations(b)} == set(BY_ID)
    # Packed in a fixed order: a re-run builds the same prompts and asks nothing.
    sent = len(llm_server.requests)
    assert run(config).run.counts["cache_hits"] == 2
    assert len(llm_server.requests) == sent


def test_a_claim_quoting_another_block_is_dropped_not_misattributed(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    from llm_server import auto_map, first_sentences, parse_articles

    def crossed(body: dict[str, Any]) -> str:
        prompt = body["messages"][1]["content"]
        reply = auto_map(prompt)
        (first, _), (_, second_text) = parse_articles(prompt)[:2]
        stolen = first_sentences(second_text, 1)[0]
        reply["claims"].append({"article_id": first["id"], "quote": stolen, "text": stolen})
        return json.dumps(reply)

    llm_server.inject("reply", "map", times=1, content=crossed)
    b = run(make_config(llm_server, tmp_path, chunk_tokens=1500))
    assert llm_server.count("map") == 1
    assert b.run.usage["citations"]["dropped_by_reason"] == {"quote_not_found": 1}
    stolen = first_sentences(TEXT_2, 1)[0]
    assert all(c.article_id == "b2b2b2b2b2b2" for c in all_citations(b) if c.quote == stolen)
    assert_grounded(b)


def test_context_length_error_halves_a_packed_call_first(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("context_length", "map", times=1)
    b = run(make_config(llm_server, tmp_path, chunk_tokens=1500))
    assert b.run.counts["resplits"] == 1
    maps = [r.prompt for r in llm_server.requests if r.stage == "map"]
    assert len(maps) == 3  # the pack of three, then its halves (one and two articles)
    assert sorted(p.count("<<<ARTICLE ") for p in maps[1:]) == [1, 2]
    assert not any('chunk="' in p for p in maps)  # whole chunks, not split text
    assert {c.article_id for c in all_citations(b)} == set(BY_ID)
    assert_grounded(b)


def test_context_length_error_resplits_the_chunk(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("context_length", "map", times=1, match="Riverside Courier")
    b = run(make_config(llm_server, tmp_path))
    assert b.run.counts["resplits"] == 1
    parts = [r.prompt for r in llm_server.requests if 'chunk="1/1.' in r.prompt]
    assert len(parts) >= 2  # the chunk, split on sentence boundaries
    assert all("Riverside Courier" in p for p in parts)
    whole = next(r.prompt for r in llm_server.requests if r.injected == "context_length")
    assert all(len(p) < len(whole) for p in parts)
    assert "a1a1a1a1a1a1" in {c.article_id for c in all_citations(b)}
    assert_grounded(b)


def test_a_chunk_too_long_however_split_is_named_by_its_characters(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("context_length", "map", times=-1, match="Riverside Courier")
    with pytest.raises(BackendError) as caught:
        run(make_config(llm_server, tmp_path))
    message = str(caught.value)
    named = re.search(r"Riverside Courier, characters (\d[\d,]*)-(\d[\d,]*):", message)
    assert named, message
    assert "still failing after" in message or "still too long after" in message
    assert "1/1." not in message  # not "chunk 1/1.2.1"


def test_server_window_smaller_than_configured_is_met_by_collapsing(tmp_path: Path) -> None:
    # The reduce prompt is over this server's real limit: the chain collapses the
    # notes to half their size and asks again, instead of failing.
    with LLMServer(max_context_chars=2500) as server:
        warnings: list[str] = []
        b = run(make_config(server, tmp_path, context_window=64000), warn=warnings.append)
        assert server.count("reduce", injected="context_length") == 1
        assert b.run.counts["collapse_rounds"] >= 1
        assert b.run.usage["context_errors"] == 1
        # 625 tokens is less than the pre-check lets a run of these articles have: the
        # advice is not to pass it, which that check would refuse.
        assert any(
            re.search(
                # The window was set, not guessed: said so (a user trial found "assumed").
                r"smaller than the 64,000 tokens given by --context-window; start the "
                r"server with a larger "
                r"context \(the server states 625 tokens; a run of these articles takes "
                r"\d,\d{3}\)",
                w,
            )
            for w in warnings
        ), warnings
        assert_grounded(b)
        assert {c.article_id for c in all_citations(b)} == set(BY_ID)


def test_a_refusal_under_a_guessed_window_says_it_was_assumed(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("context_length", "map", times=1)
    warnings: list[str] = []
    run(make_config(llm_server, tmp_path, context_window=None), warn=warnings.append)
    [said] = [w for w in warnings if "longer than its context" in w]
    assert "smaller than the 8,192 tokens assumed; " in said


def test_server_refusing_every_reduce_call_is_not_told_to_raise_the_window(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # The server says the reduce prompt is too long however small it gets: the error
    # must point at the server's smaller window, never at a larger --context-window.
    llm_server.inject("context_length", "reduce", times=-1)
    with pytest.raises(BackendError) as caught:
        run(make_config(llm_server, tmp_path))
    message = str(caught.value)
    # The server stated its window: the advice passes it on.
    assert "refused" in message, message
    assert "pass --context-window 4096 (the window the server states)" in message, message
    assert "larger --context-window" not in message, message


def test_a_refused_reduce_call_that_fits_the_stated_window_stops_at_once(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # The server states 4,096 tokens and refuses every reduce call, though by our count
    # the call (prompt and a 2,048-token reply limit) fits that: smaller notes would be
    # refused too, so the run stops at the first refusal instead of collapsing round
    # after round, and it does not suggest the window the server already refuses.
    llm_server.inject("context_length", "reduce", times=-1)
    with pytest.raises(BackendError) as caught:
        run(make_config(llm_server, tmp_path, context_window=8192))
    message = str(caught.value)
    assert llm_server.count("reduce") == 1, message
    assert llm_server.count("collapse") == 0, message
    assert "by our count the call fits that window" in message, message
    assert "pass a --context-window below 4096" in message, message
    assert "(the window the server states)" not in message, message


# One reply limit for every call (a hosted model's cap), so that the map calls fit
# windows that the reduce call overruns.
CAPPED: dict[str, Any] = {"context_window": 8192, "json_mode": "object", "max_output_tokens": 1024}


def _reduce_request(server: LLMServer) -> tuple[int, int]:
    """Characters of the messages of the server's last reduce request, and its reply limit."""
    body = next(r.body for r in reversed(server.requests) if r.stage == "reduce")
    chars = sum(len(str(m.get("content") or "")) for m in body["messages"])
    return chars, int(body.get("max_completion_tokens") or body["max_tokens"])


def _reduce_request_tokens(server: LLMServer) -> int:
    """Prompt and reply limit of the server's last reduce request, as the server counts."""
    chars, reply = _reduce_request(server)
    return chars // 4 + reply


def _probed_reduce(tmp_path: Path) -> tuple[int, int]:
    """``_reduce_request`` of a run of the test articles with CAPPED settings."""
    with LLMServer(window_counts_reply=True) as probe:
        run(make_config(probe, tmp_path / "probe", **CAPPED))
        return _reduce_request(probe)


def test_a_reduce_call_refused_for_its_reply_limit_collapses_just_enough(
    tmp_path: Path,
) -> None:
    # A server counting the reply limit into its window (as vLLM does), 40 tokens short
    # of the reduce call: the notes fit, the reply next to them does not. The chain
    # collapses the notes to the room the stated window leaves, in one round, rather
    # than halving them (three rounds here, each a coarser summary).
    chars, reply = _probed_reduce(tmp_path)
    window = chars // 4 + reply - 40
    with LLMServer(max_context_chars=window * 4, window_counts_reply=True) as server:
        b = run(make_config(server, tmp_path / "run", **CAPPED))
        assert server.count("reduce", injected="context_length") == 1
        assert server.count("map", injected="context_length") == 0
        assert _reduce_request_tokens(server) <= window
        assert b.run.counts["collapse_rounds"] == 1
    assert_grounded(b)
    assert {c.article_id for c in all_citations(b)} == set(BY_ID)


def test_a_server_counting_more_tokens_than_we_do_is_met_by_its_own_count(
    tmp_path: Path,
) -> None:
    # The server's tokenizer makes a third more tokens of the same text than our count
    # (3 characters a token against 4), and its window sits between the two counts of
    # the reduce call. By our count that call fits; by the one the server states in its
    # refusal it does not, so the notes are collapsed to what the stated window holds
    # in the server's tokens, and the run ends with a briefing, not with "by our count
    # the call fits".
    chars, reply = _probed_reduce(tmp_path)
    ours, theirs = chars // 4 + reply, chars // 3 + reply
    assert theirs - ours > 100, (ours, theirs)
    window = (ours + theirs) // 2
    said: list[str] = []
    with LLMServer(max_context_chars=window * 4, window_counts_reply=True, token_chars=3) as server:
        b = run(make_config(server, tmp_path / "run", **CAPPED), warn=said.append)
        assert server.count("reduce", injected="context_length") == 1
        sent, _ = _reduce_request(server)
        assert sent // 3 + reply <= window
    assert_grounded(b)
    assert {c.article_id for c in all_citations(b)} == set(BY_ID)
    # The advice counts the window in our tokens, the ones --context-window counts: here
    # fewer than a run of these articles takes, so it is not a window to pass.
    advice = next(w for w in said if "refused" in w)
    scale = re.search(
        rf"start the server with a larger context \(the server states {window:,} tokens, and "
        r"counts (\d\.\d\d) of its tokens for each of ours, so it holds about ([\d,]+) of ours",
        advice,
    )
    assert scale and 1.25 < float(scale[1]) < 1.4, advice
    assert abs(int(scale[2].replace(",", "")) - window / float(scale[1])) < 10, advice


def test_a_window_stated_at_the_map_step_holds_the_reduce_call_from_the_start(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # A map call is refused with a window of 2,050 tokens stated. The reduce call, 2,133
    # tokens with its notes as the map step left them, is planned within that window at
    # once: the notes are collapsed before it is sent, not after a refusal.
    llm_server.inject(
        "status", "map", times=1, status=400,
        message="This model's maximum context length is 2050 tokens. Please reduce the "
        "length of the messages.",
    )  # fmt: skip
    b = run(make_config(llm_server, tmp_path, **CAPPED))
    assert llm_server.count("reduce") == 1
    assert _reduce_request_tokens(llm_server) <= 2050
    assert b.run.counts["collapse_rounds"] >= 1
    assert_grounded(b)


@pytest.mark.parametrize(
    ("message", "advice"),
    [
        # llama.cpp's server, stating a window smaller than a run of these articles takes:
        # passing it would be refused before any call.
        (
            "request (9000 tokens) exceeds the available context size (2048 tokens)",
            "start the server with a larger context (the server states 2,048 tokens",
        ),
        (
            "the prompt exceeds the model's context length of 4,096 tokens",
            "pass --context-window 4096 (the window the server states)",
        ),
    ],
)
def test_the_window_a_server_states_is_the_advice(
    llm_server: LLMServer, tmp_path: Path, message: str, advice: str
) -> None:
    llm_server.inject("status", "reduce", times=-1, status=400, message=message)
    with pytest.raises(BackendError) as caught:
        run(make_config(llm_server, tmp_path))
    assert advice in str(caught.value)
    assert "pass --context-window 2048" not in str(caught.value)


def test_cut_off_reply_is_not_used_as_data(llm_server: LLMServer, tmp_path: Path) -> None:
    llm_server.inject("cutoff", "map", times=1, match="Orlen Today")
    said: list[str] = []
    b = run(make_config(llm_server, tmp_path), warn=said.append)
    assert b.run.counts["resplits"] == 1  # the chunk was split and asked again
    assert_grounded(b)
    # Said, not only counted: each such reply costs two more calls.
    assert (
        said.count(
            "1 reply stopped at the reply limit (finish_reason=length), so the text it covered "
            "was split in two and asked again"
        )
        == 1
    )
    assert b.run.usage["cut_off_splits"] == 1
    # A re-run knows that call's reply is cut off: it splits at once, takes the halves
    # from the cache, and builds the same briefing without a request (asked again, the
    # call would cost a whole reply limit to be cut off once more; here, where the
    # server no longer cuts it, the re-run would build other notes).
    llm_server.reset()
    said.clear()
    again = run(make_config(llm_server, tmp_path), warn=said.append)
    assert llm_server.count() == 0, [r.stage for r in llm_server.requests]
    assert again.model_dump(exclude={"run"}) == b.model_dump(exclude={"run"})
    assert again.run.counts["resplits"] == 1 and again.run.usage["cut_off_splits"] == 0
    assert not [m for m in said if "stopped at the reply limit" in m]


def test_splitting_that_never_helps_stops_within_the_runs_allowance(tmp_path: Path) -> None:
    # Every reply is cut off, however small the input: each halving fans out, so
    # without a run-wide cap the three articles' chunks cost a tree of requests.
    with LLMServer() as server:
        server.inject("cutoff", "map", times=-1)
        config = make_config(server, tmp_path, chunk_tokens=400, map_pack_tokens=400)
        with pytest.raises(
            BackendError, match=r"re-splits in this run, so splitting does not"
        ) as err:
            run(config)
        # Cut-off replies, not a small window: the window is not what to change.
        assert "does not end its replies" in str(err.value)
        assert "--context-window" not in str(err.value)
        allowance = SPLIT_ALLOWANCE + 2 * 3  # three chunks
        # Each re-split sends at most three pieces; the first calls come on top.
        assert server.count("map") <= 3 + 3 * allowance


def test_cut_off_reduce_reply_is_asked_again_with_room_and_then_cached(tmp_path: Path) -> None:
    # The maps fit a 700-token limit, the reduce reply (about 1,000 tokens) does not:
    # asked again with twice the limit, it fits, and a re-run replays it from the cache.
    with LLMServer(honour_max_tokens=True) as server:
        config = make_config(server, tmp_path, max_output_tokens=700)
        b = run(config)
        reduces = [r for r in server.requests if r.stage == "reduce"]
        assert [r.injected for r in reduces] == ["over_limit", None]
        assert [r.body["max_tokens"] for r in reduces] == [700, 1400]
        assert b.run.counts["extended_replies"] == 1
        assert b.points and not [r for r in server.requests if r.stage == "map" and r.injected]
        assert_grounded(b)
        before = len(server.requests)
        assert run(config).run.counts["cache_hits"] == b.run.counts["calls"]
        assert len(server.requests) == before


def test_the_window_the_pre_check_suggests_finishes_against_a_server_capping_replies(
    tmp_path: Path,
) -> None:
    # The pre-check's advice must hold for the reply too: the reduce reply is the whole
    # briefing, which a small window's reply reserve (a quarter of it) cannot hold.
    # The offline engine's briefing of the seed articles is about 1,100 tokens as a
    # reduce reply; the auto server's is far shorter, so it is padded to that size.
    def briefing_sized(body: dict[str, Any]) -> str:
        reply = auto_reduce(body["messages"][1]["content"])
        point = reply["points"][0]
        while len(json.dumps(reply)) < 1100 * 4:
            reply["single_source"].append(point)
        return json.dumps(reply)

    with LLMServer(honour_max_tokens=True) as server:
        server.inject("reply", "reduce", times=-1, content=briefing_sized)
        tiny = make_config(server, tmp_path, context_window=1024)
        with pytest.raises(ConfigError, match=r"--context-window (\d+) or more") as err:
            run(tiny)
        assert not server.requests
        suggested = int(re.search(r"--context-window (\d+) or more", str(err.value))[1])
        b = run(make_config(server, tmp_path, context_window=suggested))
        assert b.points and b.run.usage["context_window"] == suggested
        assert_grounded(b)
        reduces = [r for r in server.requests if r.stage == "reduce"]
        assert reduces[-1].body["max_tokens"] >= reduce_reply_floor(8)


def test_in_a_small_window_the_map_reply_has_room_for_the_claims_of_its_text(
    tmp_path: Path,
) -> None:
    # At 4,096 tokens a quarter of the window (1,024 tokens) was the map reply's limit:
    # the claims of the three articles in one call overran it, and the call was cut off
    # and split in three. The map reply now takes its share of what the prompt leaves.
    with LLMServer(honour_max_tokens=True) as server:
        config = make_config(
            server, tmp_path, context_window=4096, chunk_tokens=None, map_pack_tokens=None
        )
        b = run(config)
        maps = [r for r in server.requests if r.stage == "map"]
        assert len(maps) == 1
        assert server.count(injected="over_limit") == 0
        usage = b.run.usage
        assert maps[0].body["max_tokens"] == usage["map_reply_limit"] > usage["output_reserve"]
    assert_grounded(b)
    assert {c.article_id for c in all_citations(b)} == set(BY_ID)


def test_cut_off_reduce_reply_is_a_clear_error(llm_server: LLMServer, tmp_path: Path) -> None:
    # Cut off again with the larger limit: one error saying what to change.
    llm_server.inject("cutoff", "reduce", times=2)
    with pytest.raises(BackendError, match=r"reduce: .*finish_reason=length.*--max-points"):
        run(make_config(llm_server, tmp_path))
    assert llm_server.count("reduce", injected="cutoff") == 2
    # The same command again fails the same way without paying for the cut-off reply.
    llm_server.reset()
    with pytest.raises(BackendError, match=r"reduce: .*finish_reason=length.*--max-points"):
        run(make_config(llm_server, tmp_path))
    assert llm_server.count() == 0


@pytest.fixture(scope="module")
def collapse_windows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """{"several": a window needing at least two collapse rounds and three collapse calls,
    "one": the largest window needing exactly one round}, found by trying the windows
    of WINDOW_SCAN on a server of its own (the built-in prompts' length decides them)."""
    found: dict[str, int] = {}
    with LLMServer() as server:
        for window in WINDOW_SCAN:
            server.reset()
            config = make_config(server, tmp_path_factory.mktemp("scan"), context_window=window)
            try:
                rounds = run(config).run.counts["collapse_rounds"]
            except ConfigError:
                continue  # refused before any call: no room for the reduce prompt
            except BackendError:
                continue  # too small for the auto server's collapse replies to shrink
            if rounds == 1:
                found.setdefault("one", window)
            if rounds >= 2 and server.count("collapse") >= 3:
                found.setdefault("several", window)
            if len(found) == 2:
                return found
    raise AssertionError(f"no window in {WINDOW_SCAN} gives the collapse rounds: {found}")


def test_collapse_rounds_keep_article_ids_and_spans(
    llm_server: LLMServer, tmp_path: Path, collapse_windows: dict[str, int]
) -> None:
    # A window this small needs several collapse rounds for three short articles.
    window = collapse_windows["several"]
    config = make_config(llm_server, tmp_path, context_window=window)
    b = run(config)
    assert b.run.counts["collapse_rounds"] >= 2
    assert llm_server.count("collapse") >= 3
    assert_grounded(b)
    assert {c.article_id for c in all_citations(b)} == set(BY_ID)
    # Every request fits the window minus its reply limit (same counting as the chain);
    # the reduce reply, the whole briefing, and the map reply, about twice the text it
    # reads, get larger limits than a quarter of the small window.
    usage = b.run.usage
    limits = {"reduce": usage["reduce_reply_limit"], "map": usage["map_reply_limit"]}
    assert limits["reduce"] > usage["output_reserve"]
    assert limits["map"] > usage["output_reserve"]
    for request in llm_server.requests:
        reserve = limits.get(request.stage, b.run.usage["output_reserve"])
        schema = json.dumps(request.body["response_format"]["json_schema"]["schema"])
        used = sum(TOKENIZER.count(m["content"]) for m in request.messages)
        assert used + TOKENIZER.count(schema) <= window - reserve
        assert request.body["max_tokens"] == reserve


def test_collapse_that_does_not_shrink_stops_with_a_clear_error(
    llm_server: LLMServer, tmp_path: Path, collapse_windows: dict[str, int]
) -> None:
    from llm_server import parse_notes

    def verbose(body: dict[str, Any]) -> str:  # one longer note per input note
        notes = parse_notes(body["messages"][1]["content"])
        return json.dumps(
            {"notes": [{"text": (n["claim"] + " ") * 3, "ids": [n["id"]], "attribution": None,
                        "numbers": [], "date": None} for n in notes]}
        )  # fmt: skip

    llm_server.inject("reply", "collapse", times=-1, content=verbose)
    with pytest.raises(BackendError, match=r"collapse round 1 did not shrink the notes") as err:
        run(make_config(llm_server, tmp_path, context_window=collapse_windows["one"]))
    # The advice names a window, and that window holds the notes in one reduce call.
    suggested = int(re.search(r"--context-window (\d+) or more", str(err.value))[1])
    assert suggested > collapse_windows["one"]
    b = run(make_config(llm_server, tmp_path, context_window=suggested))
    assert b.run.counts["collapse_rounds"] == 0


def test_collapse_too_slow_to_finish_stops_after_the_round_that_shows_it(
    llm_server: LLMServer, tmp_path: Path, collapse_windows: dict[str, int]
) -> None:
    from llm_server import parse_notes

    def barely(body: dict[str, Any]) -> str:  # every note kept, one word shorter
        notes = parse_notes(body["messages"][1]["content"])
        return json.dumps(
            {"notes": [{"text": n["claim"].rsplit(" ", 1)[0], "ids": [n["id"]],
                        "attribution": None, "numbers": [], "date": None} for n in notes]}
        )  # fmt: skip

    llm_server.inject("reply", "collapse", times=-1, content=barely)
    with pytest.raises(BackendError, match=r"collapse round \d shrank the notes only to") as err:
        run(make_config(llm_server, tmp_path, context_window=collapse_windows["several"]))
    # It stops after the round that shows the rate, not at the round limit.
    stopped = int(re.search(r"collapse round (\d)", str(err.value)).group(1))  # type: ignore[union-attr]
    assert stopped < MAX_COLLAPSE_ROUNDS
    rounds = {re.search(r"\(round (\d+)\)", r.messages[1]["content"]).group(1)  # type: ignore[union-attr]
              for r in llm_server.requests if r.stage == "collapse"}  # fmt: skip
    assert rounds == {str(n) for n in range(1, stopped + 1)}


def test_collapse_note_with_unknown_ids_is_dropped_but_no_source_vanishes(
    llm_server: LLMServer, tmp_path: Path, collapse_windows: dict[str, int]
) -> None:
    llm_server.inject("unknown_id", "collapse", times=1)
    b = run(make_config(llm_server, tmp_path, context_window=collapse_windows["one"]))
    assert b.run.usage["citations"]["dropped_by_stage"].get("collapse") == 1
    assert {c.article_id for c in all_citations(b)} == set(BY_ID)


# Three more invented accounts of the Orlen flood. These six and a wire copy of each
# give enough notes for the first collapse round to need several groups.
MORE_TEXTS = (
    "Relief agencies said about 600 people were still in emergency shelters in Orlen on "
    "Thursday. The regional governor visited the shelters and said the dam would be inspected. "
    "Insurers put the damage at 40 million euros.",
    "Residents of the lower town said the warning sirens stayed silent as the water rose. A "
    "local councillor said the spillway had been due for repairs since 2028. Police closed the "
    "river bridge until further notice.",
    "The weather service said 180 millimetres of rain fell on the Orlen valley in two days. "
    "Farmers upstream reported flooded fields and lost livestock. The army sent two "
    "helicopters to help with the rescues.",
)


def test_collapse_groups_gather_the_notes_about_one_actor(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    from llm_server import auto_map

    more = [Article(id=f"d{i}" * 6, label=i, title=f"Orlen {i}", text=text, outlet=f"Outlet {i}")
            for i, text in enumerate(MORE_TEXTS, 4)]  # fmt: skip
    six = [*ARTICLES, *more]
    copies = [a.model_copy(update={"id": f"w{a.label}" * 6, "label": a.label + 6,
                                   "outlet": f"Wire {a.label}"}) for a in six]  # fmt: skip
    articles = [*six, *copies]

    # The governor is named by claims 1 and 4 of article 1, the last of article 3 and the
    # second of article 4, and by their copies: interleaved across sources, far apart.
    def governor_actors(body: dict[str, Any]) -> str:
        reply = auto_map(body["messages"][1]["content"])
        for claim in reply["claims"]:
            claim["actors"] = ["the governor"] if "governor" in claim["quote"] else []
        return json.dumps(reply)

    def first_round() -> list[str]:
        return [r.messages[1]["content"] for r in llm_server.requests
                if r.stage == "collapse" and "(round 1)" in r.messages[1]["content"]]  # fmt: skip

    # The first window whose round 1 has several groups of ten notes or more, where
    # notes placed without regard to their actors would scatter.
    for window in range(3000, 1599, -20):
        llm_server.reset()
        llm_server.inject("reply", "map", times=-1, content=governor_actors)
        # A small reply reserve: collapse groups (three reserves at most) stay small
        # while the reduce call still has room for a note from each of the 12 articles.
        config = make_config(
            llm_server, tmp_path / str(window), context_window=window, max_output_tokens=256
        )
        try:
            b = run(config, articles)
        except ConfigError:
            continue  # refused before any call: no room for a note from each article
        groups = first_round()
        if len(groups) >= 2 and min(g.count("\n#") for g in groups) >= 10:
            break
    else:
        raise AssertionError("no window gives a first collapse round of several groups")
    with_governor = [p for p in first_round() if "governor" in p]
    assert len(with_governor) == 1, "the governor's notes were split over collapse groups"
    assert with_governor[0].count("governor") == 8
    assert {c.article_id for c in all_citations(b)} == {a.id for a in articles}


# ---------------------------------------------------------------- cache and resume


def test_resume_after_a_failed_run_makes_only_the_missing_calls(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("500", "map", times=-1, match="Orlen Today")
    config = make_config(llm_server, tmp_path, max_attempts=2)
    with pytest.raises(BackendError):
        run(config)
    llm_server.reset()
    b = run(config)
    # Only the failed chunk and the reduce step: the other two maps come from the cache.
    assert llm_server.stats()["by_stage"] == {"map": 1, "reduce": 1}
    assert b.run.counts["cache_hits"] == 2


CHILD = """
import json
from pathlib import Path
from briefing.chunking import EstimateTokenizer
from briefing.llm import build_briefing
from briefing.llm.config import LLMConfig
from briefing.model import Article
articles = [Article.model_validate(a) for a in json.loads(Path({articles!r}).read_text())]
config = LLMConfig(**json.loads({config!r}))
build_briefing(articles, config, tokenizer=EstimateTokenizer(), warn=lambda m: None)
"""


def cache_rows(path: Path) -> int:
    if not path.exists():
        return 0
    with closing(sqlite3.connect(path)) as db:
        try:
            return int(db.execute("SELECT COUNT(*) FROM replies").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def test_kill_9_midway_resumes_with_only_the_missing_calls(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # The third article's map reply hangs, so the child is surely mid-run when the
    # other two replies are in the cache; then it is killed without any cleanup.
    llm_server.inject("slow", "map", times=1, delay=60.0, match="Orlen Today")
    articles_file = tmp_path / "articles.json"
    articles_file.write_text(json.dumps([a.model_dump() for a in ARTICLES]))
    settings = {"model": "m", "base_url": llm_server.url, "api_key": KEY, "timeout": 90.0,
                "cache_dir": str(tmp_path / "cache"), "context_window": 16384,
                "chunk_tokens": ONE_ARTICLE_PER_CALL,
                "map_pack_tokens": ONE_ARTICLE_PER_CALL}  # fmt: skip
    code = CHILD.format(articles=str(articles_file), config=json.dumps(settings))
    child = subprocess.Popen([sys.executable, "-c", code])
    db = tmp_path / "cache" / CACHE_FILE
    try:
        for _ in range(300):
            if cache_rows(db) >= 2 or child.poll() is not None:
                break
            time.sleep(0.05)
        assert child.poll() is None, "the child should still be waiting for the slow reply"
        assert cache_rows(db) == 2
    finally:
        child.kill()  # SIGKILL: no cleanup, no atexit
        child.wait()
    llm_server.reset()
    config = make_config(llm_server, tmp_path, context_window=16384, timeout=90.0)
    b = run(config)
    assert llm_server.stats()["by_stage"] == {"map": 1, "reduce": 1}
    assert b.run.counts["cache_hits"] == 2
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_concurrent_runs_share_the_cache_safely(llm_server: LLMServer, tmp_path: Path) -> None:
    config = make_config(llm_server, tmp_path)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            run(config)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db = tmp_path / "cache" / CACHE_FILE
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert cache_rows(db) == 4  # one row per distinct call, however many runs stored it
    sent = len(llm_server.requests)
    assert run(config).run.counts["requests"] == 0
    assert len(llm_server.requests) == sent


# ---------------------------------------------------------------- the key stays secret


def test_api_key_is_not_in_cache_output_logs_or_errors(
    llm_server: LLMServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    llm_server.inject("429", "map", times=1, retry_after=0)
    config = make_config(llm_server, tmp_path)
    b = run(config, warn=lambda message: print(message, file=sys.stderr))
    assert llm_server.state.authorizations[0] == f"Bearer {KEY}"  # it was used
    assert KEY not in repr(config)
    assert KEY not in b.to_json()
    assert KEY not in usage_line(b)
    for path in (tmp_path / "cache").iterdir():
        assert KEY.encode() not in path.read_bytes()
    assert b.run.counts["retries"] == 1  # something was logged
    assert KEY not in caplog.text
    out = capsys.readouterr()
    assert KEY not in out.out and KEY not in out.err

    # A server that echoes the key in an error message: the message is redacted.
    llm_server.inject("status", "map", times=1, status=401, message=f"bad key {KEY}")
    with pytest.raises(ConfigError) as config_err:  # a wrong key is configuration: exit 5
        run(make_config(llm_server, tmp_path / "other"))
    assert KEY not in str(config_err.value) and "rejected the API key (401)" in str(
        config_err.value
    )
    llm_server.inject("status", "map", times=1, status=400, message=f"odd request {KEY}")
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path / "third"))
    assert KEY not in str(err.value) and "***" in str(err.value)


def test_a_401_without_a_key_asks_for_one(llm_server: LLMServer, tmp_path: Path) -> None:
    # No key was set, so "the server rejected the API key" would send the user looking
    # for a key they never gave.
    llm_server.inject("status", "map", times=1, status=401, message="authentication required")
    with pytest.raises(ConfigError, match=r"the server asks for an API key \(HTTP 401\); set "):
        run(make_config(llm_server, tmp_path, api_key=None))


def test_a_missing_encoding_is_tried_and_logged_once_per_process(
    llm_server: LLMServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A service building briefings all day: the encoding cannot be downloaded (tiktoken
    # made to fail as it does with no network), which each run records but the log says once.
    import tiktoken

    from briefing import chunking
    from briefing.llm import engine

    tries: list[str] = []

    def no_network(name: str) -> Any:
        tries.append(name)
        raise ConnectionError("no network")

    monkeypatch.setattr(tiktoken, "get_encoding", no_network)
    monkeypatch.setattr(chunking, "_UNAVAILABLE", {})
    monkeypatch.setattr(engine, "_SAID_ONCE", set())
    caplog.set_level(logging.WARNING, logger="briefing")
    config = make_config(llm_server, tmp_path)
    runs = [build_briefing(ARTICLES, config) for _ in range(3)]  # no warn: the logger
    assert len(tries) == 1
    logged = [r.getMessage() for r in caplog.records if "tiktoken encoding" in r.getMessage()]
    assert len(logged) == 1 and "ConnectionError" in logged[0]
    for b in runs:
        assert logged[0] in b.run.usage["warnings"]


def test_a_placeholder_key_does_not_mangle_messages(llm_server: LLMServer, tmp_path: Path) -> None:
    # Local servers take any key: "x", or "ollama", which is also the usual host name.
    llm_server.inject("status", "map", times=1, status=400, message="maximum context exceeded")
    with pytest.raises(BackendError, match="maximum context exceeded"):
        run(replace(make_config(llm_server, tmp_path), api_key="x"))
    host = urlsplit(llm_server.url).hostname
    assert host
    llm_server.inject("status", "map", times=-1, status=404, message="no such route")
    with pytest.raises(BackendError) as err:
        run(replace(make_config(llm_server, tmp_path / "2"), api_key=host))
    assert f"not found at {llm_server.url}" in str(err.value)


@pytest.mark.parametrize("status", [404, 405, 501])
def test_no_chat_endpoint_is_said_at_once_not_retried(
    llm_server: LLMServer, tmp_path: Path, status: int
) -> None:
    # e.g. `python -m http.server` answers POST with 501: no retry can help.
    llm_server.inject("status", "map", times=-1, status=status, message="Unsupported method")
    said: list[str] = []
    with pytest.raises(BackendError, match=rf"chat endpoint was not found at .*HTTP {status}"):
        run(make_config(llm_server, tmp_path), warn=said.append)
    assert llm_server.count("map", injected="status") == 3  # one per article's call
    # Refused requests used no tokens: no line about what the run spent.
    assert not [w for w in said if w.startswith("before it failed")], said


def test_a_plain_text_error_body_is_quoted(llm_server: LLMServer, tmp_path: Path) -> None:
    # Ollama's router answers an unknown path (a base URL without /v1) with plain text.
    llm_server.inject(
        "status", "map", times=-1, status=404, message="404 page not found", plain=True
    )
    with pytest.raises(BackendError, match=r"\(HTTP 404: 404 page not found\)"):
        run(make_config(llm_server, tmp_path))
    # An HTML error page says nothing worth quoting, nor does "Error code: 501" again.
    llm_server.reset()
    page = "<html><body><h1>Unsupported method ('POST')</h1></body></html>"
    llm_server.inject("status", "map", times=-1, status=501, message=page, plain=True)
    with pytest.raises(BackendError, match=r"\(HTTP 501\); check --model") as err:
        run(make_config(llm_server, tmp_path / "2"))
    assert "Error code" not in str(err.value)


# ---------------------------------------------------------------- prompts and prices


def test_edited_prompts_are_used(llm_server: LLMServer, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    original = (ROOT / "prompts" / "map.txt").read_text()
    (prompts / "map.txt").write_text(original.replace("STAGE: map", "STAGE: map\nEDITED COPY"))
    b = run(make_config(llm_server, tmp_path, prompts_dir=prompts))
    assert b.points
    maps = [r.prompt for r in llm_server.requests if r.stage == "map"]
    assert maps and all("EDITED COPY" in p for p in maps)
    reduce = next(r.prompt for r in llm_server.requests if r.stage == "reduce")
    assert "EDITED COPY" not in reduce  # other files fall back to the built-in ones


def test_price_table_override_sets_the_cost(llm_server: LLMServer, tmp_path: Path) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"m": {"input": 1.0, "output": 2.0}}))
    b = run(make_config(llm_server, tmp_path, prices_file=prices))
    usage = b.run.usage
    expected = (usage["prompt_tokens"] * 1.0 + usage["completion_tokens"] * 2.0) / 1e6
    assert usage["cost_usd"] == pytest.approx(expected, abs=1e-6)
    assert f"~${expected:.3f}" in usage_line(b)


def test_a_map_call_carrying_several_chunks_is_named_by_its_first() -> None:
    from briefing.llm.chain import Piece, _pack_label
    from briefing.model import Chunk

    def piece(label: int) -> Piece:
        article = Article(
            id=f"pack{label:08d}", label=label, title="t", text="x", outlet=f"O{label}"
        )
        chunk = Chunk(article_id=article.id, index=0, start=0, end=1, tokens=1, text="x")
        return Piece(article=article, chunk=chunk, part="1/1")

    assert _pack_label([piece(1)]) == "map of [1] O1, chunk 1/1"
    assert (
        _pack_label([piece(1), piece(2)])
        == "map of [1] O1, chunk 1/1 (in one call with 1 other chunk)"
    )
    assert _pack_label([piece(1), piece(2), piece(3)]).endswith("with 2 other chunks)")

"""Replies no honest server sends, from a fuzzing trial of the LLM path: each ended the
run as an internal error (a bug, exit 1), stalled it until the deadline, or blamed the
wrong thing. The real openai client talks to tests/llm_server.py on 127.0.0.1; its
"raw" injection sends a body and headers verbatim."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from llm_server import LLMServer, auto_reply
from test_llm_chain import all_citations, make_config, run

from briefing.errors import BackendError
from briefing.llm.assemble import figures_quoted
from briefing.model import Citation
from briefing.render import render


def completion(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A chat completion answering ``body`` as the server's auto mode would, with
    ``changes`` made to its message ("content"), choices or usage."""
    content = changes.pop("content", auto_reply(body))
    reply = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }  # fmt: skip
    reply.update(changes)
    return reply


def raw(make: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], bytes]:
    return lambda body: json.dumps(make(body)).encode()


def deep(levels: int) -> str:
    return '{"claims": ' + "[" * levels + "]" * levels + "}"


# ---------------------------------------------------------------- once, then good replies

GLITCHES: dict[str, dict[str, Any]] = {
    # An HTTP 200 with nothing in it, or a 204.
    "empty body": {"status": 200, "body": b""},
    "204": {"status": 204, "body": b""},
    # A whole body nested past Python's recursion limit.
    "deep body": {"status": 200, "body": ("[" * 100_000 + "]" * 100_000).encode()},
    # Content that is an object, a number; choices keyed like a dict.
    "content object": {"status": 200, "body": raw(lambda b: completion(b, content={"claims": []}))},
    "content number": {"status": 200, "body": raw(lambda b: completion(b, content=42))},
    "choices object": {
        "status": 200,
        "body": raw(lambda b: {**completion(b), "choices": {"0": completion(b)["choices"][0]}}),
    },
}


@pytest.mark.parametrize("fault", GLITCHES, ids=list(GLITCHES))
def test_a_reply_that_is_no_completion_is_retried_not_a_crash(
    llm_server: LLMServer, tmp_path: Path, fault: str
) -> None:
    llm_server.inject("raw", "map", times=1, **GLITCHES[fault])
    said: list[str] = []
    b = run(make_config(llm_server, tmp_path, concurrency=1), warn=said.append)
    assert b.points and b.run.counts["retries"] == 1
    retry = next(w for w in said if "retrying in" in w)
    assert "the server's reply is not a chat completion" in retry


def test_a_body_that_cannot_be_unpacked_is_not_cannot_connect(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject(
        "raw", "map", times=1, status=200, body=b"not gzip at all",
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )  # fmt: skip
    said: list[str] = []
    b = run(make_config(llm_server, tmp_path, concurrency=1), warn=said.append)
    assert b.points and b.run.counts["connect_failures"] == 0
    retry = next(w for w in said if "retrying in" in w)
    assert "the server's reply could not be decoded" in retry and "connect" not in retry
    # A body that is gzip, as it says, is read.
    llm_server.reset()
    llm_server.inject(
        "raw", "reduce", times=1, status=200,
        body=lambda body: gzip.compress(json.dumps(completion(body)).encode()),
        headers={"Content-Encoding": "gzip"},
    )  # fmt: skip
    again = run(make_config(llm_server, tmp_path, concurrency=1))
    assert again.points and again.run.counts["retries"] == 0


def test_content_given_as_text_parts_is_read(llm_server: LLMServer, tmp_path: Path) -> None:
    # Some proxies send the content as a list of parts: its text is the reply.
    parts = raw(lambda b: completion(b, content=[{"type": "text", "text": auto_reply(b)}]))
    llm_server.inject("raw", None, times=-1, status=200, body=parts)
    b = run(make_config(llm_server, tmp_path, concurrency=1))
    assert b.points and b.run.counts["retries"] == 0


@pytest.mark.parametrize(
    "usage",
    [
        {"prompt_tokens": "lots", "completion_tokens": 3},
        {"prompt_tokens": float("nan"), "completion_tokens": 3},
        {"prompt_tokens": 10**30, "completion_tokens": 1e300},
        {"prompt_tokens": -100, "completion_tokens": -5},
    ],
    ids=["a word", "NaN", "huge", "negative"],
)
def test_usage_figures_that_are_no_counts_count_as_none(
    llm_server: LLMServer, tmp_path: Path, usage: dict[str, Any]
) -> None:
    llm_server.inject(
        "raw", "map", times=-1, status=200, body=raw(lambda b: completion(b, usage=usage))
    )
    b = run(make_config(llm_server, tmp_path, concurrency=1))
    assert b.points
    assert b.run.usage["stages"]["map"]["prompt_tokens"] == 0
    assert b.run.usage["stages"]["map"]["completion_tokens"] in (0, 3 * llm_server.count("map"))
    assert b.run.usage["stages"]["reduce"]["prompt_tokens"] > 0  # the honest call counts


@pytest.mark.parametrize("header", ["Retry-After", "retry-after-ms"])
def test_a_retry_after_of_nan_is_no_wait_asked(
    llm_server: LLMServer, tmp_path: Path, header: str
) -> None:
    # "nan" parsed as a float compared false with every limit: the retry slept until
    # the run's deadline (900 s by default) and the run failed there.
    llm_server.inject(
        "raw", "map", times=1, status=429, body=b'{"error": {"message": "slow down"}}',
        headers={header: "nan"},
    )  # fmt: skip
    said: list[str] = []
    b = run(make_config(llm_server, tmp_path, concurrency=1, deadline=30.0), warn=said.append)
    assert b.points and b.run.counts["retries"] == 1
    assert not any("nan" in w for w in said)


# ---------------------------------------------------------------- what the model wrote


def test_unwritable_characters_in_a_reply_never_reach_the_briefing(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # A lone surrogate ("\ud800" in the JSON) crashed the cache key and the JSON output,
    # and then every re-run from the cache; control characters reached the page.
    def poisoned(body: dict[str, Any]) -> str:
        data = json.loads(auto_reply(body))
        for claim in data["claims"]:
            claim["text"] += " \ud800\u0007\u001b[31m"
            claim["attribution"] = "\udfff"
        return json.dumps(data)

    llm_server.inject("reply", "map", times=-1, content=poisoned)
    b = run(make_config(llm_server, tmp_path, concurrency=1))
    assert b.points
    for fmt in ("md", "json", "html"):
        out = render(b, fmt)
        assert isinstance(out, str)
        out.encode("utf-8")  # no lone surrogate left
        assert not any(ch in out for ch in "\u0007\u001b")


@pytest.mark.parametrize("stage", ["map", "reduce"])
def test_json_nested_past_the_limit_is_an_invalid_reply_repaired(
    llm_server: LLMServer, tmp_path: Path, stage: str
) -> None:
    llm_server.inject("reply", stage, times=1, content=deep(10_000))
    b = run(make_config(llm_server, tmp_path, concurrency=1))
    assert b.points and b.run.counts["repairs"] == 1
    assert all_citations(b)


def test_replies_with_no_claim_to_keep_do_not_promise_a_resume(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # The cache would give the same empty replies again: "running the same command
    # again resumes" sent the user round in a circle.
    llm_server.inject("reply", "map", times=-1, content='{"claims": []}')
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path, concurrency=1))
    message = str(err.value)
    assert message.startswith("the model returned no claim whose quote could be found")
    assert "resumes" not in message and "try another --model or --json-mode" in message


def test_a_quote_that_is_a_whole_article_grounds_nothing(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # A fuzzing trial: a quote of the whole article block grounded any claim ("q1"
    # became the bottom line), and 140 KB of shuffled article words took seconds each
    # to match loosely, which no deadline could stop.
    def whole(body: dict[str, Any]) -> str:
        data = json.loads(auto_reply(body))
        article = body["messages"][-1]["content"]
        data["claims"][0]["quote"] = article * 2
        data["claims"][-1]["quote"] = " ".join(sorted(article.split() * 30))
        return json.dumps(data)

    llm_server.inject("reply", "map", times=-1, content=whole)
    b = run(make_config(llm_server, tmp_path, concurrency=1))
    dropped = b.run.usage["citations"]["dropped_by_reason"]
    assert dropped["quote_too_long"] >= llm_server.count("map")
    assert b.points and all(len(c.quote) <= 1_500 for c in all_citations(b))


def test_timeline_dates_that_do_not_exist_are_left_out(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # A fuzzing trial: "2024-02-30", month 13 and hour 25 have an ISO date's shape and
    # were written into timeline[].when, which the JSON output documents as ISO.
    bad = ["2024-02-30", "2024-13-01", "2024-02-02T25:00", "0000-01-01"]

    def dated(body: dict[str, Any]) -> str:
        data = json.loads(auto_reply(body))
        entry = data["timeline"][0]
        data["timeline"] = [{**entry, "when": when} for when in [*bad, "2024-02-02"]]
        return json.dumps(data)

    llm_server.inject("reply", "reduce", times=-1, content=dated)
    said: list[str] = []
    b = run(make_config(llm_server, tmp_path, concurrency=1), warn=said.append)
    assert [t.when for t in b.timeline] == ["2024-02-02"]
    left_out = [w for w in b.run.warnings if w.startswith("timeline entry without an ISO date")]
    assert len(left_out) == len(bad)


def test_a_figure_no_cited_passage_gives_is_not_stated_as_fact(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # A fuzzing trial: a reduce reply citing real note ids for "900 people were killed"
    # was printed as a sourced key point, though no cited passage gives 900.
    def fabricated(body: dict[str, Any]) -> str:
        data = json.loads(auto_reply(body))
        data["points"][0]["text"] = "900 people were killed in the strikes, officials said."
        ids = [c for p in data["points"] for c in p["citations"]]
        data["divergences"].append(
            {"topic": "Number killed", "kind": "numeric", "note": "",
             "versions": [{"text": "900 killed", "citations": [ids[0]]},
                          {"text": "7000 killed", "citations": [ids[1]]}]}
        )  # fmt: skip
        return json.dumps(data)

    llm_server.inject("reply", "reduce", times=-1, content=fabricated)
    b = run(make_config(llm_server, tmp_path, concurrency=1))
    assert not any("900" in p.text for p in [b.bottom_line, *b.points])
    assert [u.text for u in b.unverified] == [
        "900 people were killed in the strikes, officials said.",
        "Number killed: 900 killed; 7000 killed",
    ]
    assert not any("900" in v.text for d in b.divergences for v in d.versions)
    assert b.run.usage["citations"]["dropped_by_reason"]["figure_not_in_quotes"] == 3
    # The other points, whose figures their passages give, stay.
    assert len(b.points) == len(json.loads(auto_reply(llm_server.requests[-1].body))["points"]) - 1


@pytest.mark.parametrize(
    ("status", "advice"),
    [
        (413, "; the request is too large for the server: pass a smaller --chunk-tokens"),
        (403, "; the key or the account may not have access to this model: check --model"),
        (422, "; its log says why: check --model and the server"),
    ],
)
def test_a_refusal_says_what_to_do_and_shows_the_servers_words_safely(
    llm_server: LLMServer, tmp_path: Path, status: int, advice: str
) -> None:
    # A fuzzing trial: these ended "the server refused the request (HTTP 413)" with no
    # advice, and a right-to-left override in the server's message reached the terminal.
    llm_server.inject("status", "map", times=-1, status=status, message="nope \u202e bad\u0007")
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path, concurrency=1))
    message = str(err.value)
    assert f"the server refused the request (HTTP {status}: nope bad){advice}" in message
    assert message.isprintable()


def test_an_absurd_window_in_a_refusal_is_not_advised(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    huge = "99999999999999999999999999"
    llm_server.inject(
        "status", "map", times=-1, status=400,
        message=f"This model's maximum context length is {huge} tokens.",
    )  # fmt: skip
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path, concurrency=1))
    assert f"--context-window {huge}" not in str(err.value)


@pytest.mark.parametrize(
    ("message", "finish", "said"),
    [
        (
            {"role": "assistant", "content": None, "refusal": "I can't help with\u202e that."},
            "stop",
            'the model refused ("I can\'t help with that."); the articles may touch its '
            "content policy: try another --model",
        ),
        (
            {"role": "assistant", "content": None},
            "content_filter",
            "the server's content filter withheld the reply (finish_reason=content_filter)",
        ),
    ],
    ids=["refusal", "content filter"],
)
def test_a_withheld_answer_says_why_instead_of_empty(
    llm_server: LLMServer, tmp_path: Path, message: dict[str, Any], finish: str, said: str
) -> None:
    # A fuzzing trial: both were "the reply is empty", after a repair that could only be
    # refused again; the refusal's own words were never shown.
    def withheld(body: dict[str, Any]) -> dict[str, Any]:
        return completion(body, choices=[{"index": 0, "message": message, "finish_reason": finish}])

    llm_server.inject("raw", "map", times=-1, status=200, body=raw(withheld))
    with pytest.raises(BackendError) as err:
        run(make_config(llm_server, tmp_path, concurrency=1))
    assert said in str(err.value)
    # Each map call asked once: neither retried nor repaired.
    assert llm_server.count(injected="raw") == len(llm_server.requests) == 3
    assert not any(r.repair for r in llm_server.requests)


@pytest.mark.parametrize(
    ("statement", "passage", "given"),
    [
        # A re-run of the trial: "more than 85 locations" let any figure over 85 through.
        ("900 people died.", "Airstrikes targeted more than 85 different locations.", False),
        ("900 people died.", "At least 85 people were killed.", False),
        ("The US struck more than 80 targets.", "The US struck 85 targets overnight.", True),
        ("Three soldiers were killed.", "3 US soldiers died in the attack.", True),
        ("Forty people were killed.", "At least 40 people were killed.", True),
        ("The strike was on Feb. 2, 2024.", "It came on the second of February.", True),
    ],
)
def test_a_stated_count_needs_a_passage_giving_it(
    statement: str, passage: str, given: bool
) -> None:
    cited = [Citation(article_id="a", start=0, end=len(passage), quote=passage)]
    assert figures_quoted(statement, cited) is given

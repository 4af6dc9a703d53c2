"""tests/llm_server.py itself: standalone use, auto replies, injections."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from llm_server import (
    Injection,
    LLMServer,
    auto_reply,
    parse_injection,
    parse_notes,
    stage_of,
)

SERVER = Path(__file__).with_name("llm_server.py")
CHUNK = (
    "Rescue boats pulled 60 survivors from the water on Saturday, the coast guard said. "
    "The ferry had left the port of Ostra shortly before noon with about 80 people on board."
)
MAP_PROMPT = (
    "STAGE: map\n\nExtract notes.\n\n"
    '<<<ARTICLE id="f00d" label=1 outlet="Coast Watch" date="2030-01-05" chunk="1/1">>>\n'
    f"{CHUNK}\n<<<END ARTICLE>>>\n"
)


def post(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
    request = urllib.request.Request(
        f"{url}/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), dict(err.headers)


def chat(prompt: str) -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": "user", "content": prompt}]}


def test_standalone_server_prints_its_url_and_serves(tmp_path: Path) -> None:
    cmd = [sys.executable, str(SERVER), "--port", "0", "--latency-ms", "10"]
    cmd += ["--inject", "429:map:1", "--retry-after", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        status, body, headers = post(url, chat(MAP_PROMPT))
        assert status == 429 and headers["Retry-After"] == "1"
        assert body["error"]["code"] == "rate_limit_exceeded"
        status, body, _ = post(url, chat(MAP_PROMPT))
        assert status == 200 and body["choices"][0]["finish_reason"] == "stop"
        claims = json.loads(body["choices"][0]["message"]["content"])["claims"]
        assert claims and all(c["quote"] in CHUNK and c["article_id"] == "f00d" for c in claims)
        with urllib.request.urlopen(url.removesuffix("/v1") + "/stats", timeout=10) as response:
            stats = json.loads(response.read())
        assert stats["requests"] == 2 and stats["by_stage"] == {"map": 2}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_auto_map_quotes_real_sentences_with_numbers_and_dates() -> None:
    claims = json.loads(auto_reply(chat(MAP_PROMPT)))["claims"]
    first = claims[0]
    assert first["quote"] == CHUNK.split(" The ferry")[0]
    assert first["numbers"] == [{"value": 60.0, "text": "60", "counts": "survivors"}]
    assert first["date"] == "2030-01-05"  # "on Saturday": the article's date


def test_auto_collapse_and_reduce_cite_only_given_ids() -> None:
    notes = (
        "<<<NOTES count=3>>>\n"
        "#c1 [1]: 60 survivors were rescued.\n"
        'quote: "Rescue boats pulled 60 survivors"\n\n'
        "#c2 [2] 2030-01-05: Survivors were rescued.\nnumbers: 55 survivors\n\n"
        "#c3 [2]: The ferry listed in strong wind.\n"
        "<<<END NOTES>>>"
    )
    assert [n["id"] for n in parse_notes(notes)] == ["c1", "c2", "c3"]
    collapsed = json.loads(auto_reply(chat("STAGE: collapse\n" + notes)))["notes"]
    assert {i for n in collapsed for i in n["ids"]} == {"c1", "c2", "c3"}
    reply = json.loads(auto_reply(chat("STAGE: reduce\nat most 4 key points\n" + notes)))
    cited = {c for p in reply["points"] for c in p["citations"]}
    assert cited <= {"c1", "c2", "c3"}
    divergence = reply["divergences"][0]
    assert divergence["kind"] == "numeric"
    assert [v["text"] for v in divergence["versions"]] == ["60 survivors", "55 survivors"]


def test_stage_detection_falls_back_to_the_schema_name_then_text() -> None:
    body = chat("no marker")
    body["response_format"] = {"type": "json_schema", "json_schema": {"name": "briefing"}}
    assert stage_of(body) == ("reduce", False)
    assert stage_of(chat("Write a concise summary of the following: ...")) == ("text", False)
    repair = {"messages": [*chat(MAP_PROMPT)["messages"], {"role": "assistant", "content": "x"},
                           {"role": "user", "content": "STAGE: repair\nfix it"}]}  # fmt: skip
    assert stage_of(repair) == ("map", True)
    assert json.loads(auto_reply(repair))["claims"]  # a repair answers the original request


def test_prompts_of_other_frameworks_get_a_plain_text_summary() -> None:
    text = auto_reply(chat(f"Write a concise summary of the following:\n\n{CHUNK}\n\nSUMMARY:"))
    assert text.startswith("Rescue boats pulled 60 survivors")


def test_injections_apply_in_order_to_matching_requests() -> None:
    with LLMServer() as server:
        server.inject("500", "map", times=1, match="Coast Watch")
        server.inject("cutoff", "map", times=1)
        status, _, _ = post(server.url, chat(MAP_PROMPT))
        assert status == 500
        status, body, _ = post(server.url, chat(MAP_PROMPT))
        assert status == 200 and body["choices"][0]["finish_reason"] == "length"
        status, body, _ = post(server.url, chat(MAP_PROMPT))
        assert body["choices"][0]["finish_reason"] == "stop"
        assert [r.injected for r in server.requests] == ["500", "cutoff", None]
        server.inject("context_length", None, times=1)
        status, body, _ = post(server.url, chat("anything"))
        assert status == 400 and body["error"]["code"] == "context_length_exceeded"


def test_injections_name_a_known_stage_or_any(tmp_path: Path) -> None:
    # A misspelt stage would never match a request: the server refuses to start.
    cmd = [sys.executable, str(SERVER), "--port", "0", "--inject", "garbage:reduse:50"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and not proc.stdout
    assert "argument --inject: 'garbage:reduse:50': unknown stage 'reduse'" in proc.stderr
    assert "one of map, collapse, reduce, text, or any (or empty) for every stage" in proc.stderr
    assert parse_injection("garbage:any:50") == {"kind": "garbage", "stage": None, "times": 50}
    assert parse_injection("500::") == {"kind": "500", "stage": None, "times": 1}
    assert parse_injection("cutoff:reduce:-1")["stage"] == "reduce"
    for bad in ("nonsense:map:1", "500:map:0", "500:map:x", "500:map:1:2"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_injection(bad)
    with pytest.raises(ValueError, match="unknown stage 'reduse'"):
        Injection("500", "reduse")  # as LLMServer.inject builds it


def test_an_injection_for_any_stage_reaches_a_map_request() -> None:
    cmd = [sys.executable, str(SERVER), "--port", "0", "--inject", "garbage:any:1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        request = urllib.request.Request(
            f"{url}/chat/completions",
            data=json.dumps(chat(MAP_PROMPT)).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.read() == b"<html>not a completion</html>"
        status, body, _ = post(url, chat(MAP_PROMPT))  # injected once only
        assert status == 200 and body["choices"][0]["finish_reason"] == "stop"
    finally:
        proc.terminate()
        proc.wait(timeout=10)

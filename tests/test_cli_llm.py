"""`briefing build --engine llm` as a user runs it: a subprocess talking to the loopback
chat-completions server (tests/llm_server.py) through the real openai client."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from llm_server import LLMServer
from test_cli import EXAMPLE, assert_one_line_error, run_cli

from briefing.errors import (
    EXIT_BACKEND,
    EXIT_CONFIG,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    EXIT_TERMINATED,
)
from briefing.model import Briefing

SECTIONS = re.compile(r"^## (.+)$", re.MULTILINE)


def llm_args(server: LLMServer, cache: Path, *extra: str) -> list[str]:
    return [
        "build", str(EXAMPLE), "--engine", "llm", "--base-url", server.url, "--model", "m",
        "--cache-dir", str(cache), "--concurrency", "4", *extra,
    ]  # fmt: skip


def test_llm_build_matches_offline_sections_recovers_and_then_runs_from_cache(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    llm_server.inject("429", stage="map", times=2, retry_after=0)
    llm_server.inject("500", stage="map", times=1)
    out = tmp_path / "llm"
    proc = run_cli(*llm_args(llm_server, tmp_path / "cache", "-o", str(out)),
                   env={"OPENAI_API_KEY": "sk-test-not-a-real-key"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "LLM engine: model m at http://127.0.0.1" in proc.stderr
    assert re.search(r"\d+ calls", proc.stderr)  # the accounting summary line
    first = llm_server.count()
    assert llm_server.count(injected="429") == 2 and llm_server.count(injected="500") == 1
    assert llm_server.max_in_flight > 1

    offline = run_cli("build", str(EXAMPLE), "--engine", "offline", "-o", str(tmp_path / "off"))
    assert offline.returncode == 0, offline.stderr
    llm_md = next(out.glob("*.md")).read_text(encoding="utf-8")
    offline_md = next((tmp_path / "off").glob("*.md")).read_text(encoding="utf-8")
    assert SECTIONS.findall(llm_md) == SECTIONS.findall(offline_md)
    assert "sk-test" not in llm_md

    again = run_cli(*llm_args(llm_server, tmp_path / "cache", "-f", "json", "-o", "-"),
                    env={"OPENAI_API_KEY": "sk-test-not-a-real-key"})  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert llm_server.count() == first  # zero new requests
    briefing = Briefing.from_json(again.stdout)
    assert briefing.run.engine == "llm" and briefing.points
    assert briefing.run.counts["cache_hits"] == briefing.run.counts["calls"]


def test_garbage_replies_fail_cleanly_and_a_rerun_resumes(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    # Every reduce reply is not JSON: the map replies are cached, the run fails in one line.
    llm_server.inject("invalid_json", stage="reduce", times=-1)
    proc = run_cli(*llm_args(llm_server, tmp_path / "cache", "-o", str(tmp_path / "out")),
                   env={"OPENAI_API_KEY": "x"})  # fmt: skip
    assert_one_line_error(proc, EXIT_BACKEND)
    assert not (tmp_path / "out").exists()
    maps_before = llm_server.count("map")
    # The one line says the finished calls are kept; a warning says what was spent.
    assert f"{maps_before} finished calls are cached, so running the same command" in proc.stderr
    assert re.search(r"warning: before it failed, the run made \d+ requests \([\d,]+ prompt",
                     proc.stderr)  # fmt: skip
    assert maps_before >= 2  # the example's four chunks, packed into two map calls

    llm_server.clear()
    rerun = run_cli(*llm_args(llm_server, tmp_path / "cache", "-o", str(tmp_path / "out")),
                    env={"OPENAI_API_KEY": "x"})  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert llm_server.count("map") == maps_before  # map replies came from the cache


def test_unwritable_output_fails_before_any_request(llm_server: LLMServer, tmp_path: Path) -> None:
    blocker = tmp_path / "report.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    proc = run_cli(*llm_args(llm_server, tmp_path / "cache", "-o", str(blocker)),
                   env={"OPENAI_API_KEY": "x"})  # fmt: skip
    assert_one_line_error(proc, EXIT_OUTPUT, "is a file, not a folder")
    assert llm_server.count() == 0


def test_no_cache_with_a_cache_dir_says_the_dir_is_unused(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    proc = run_cli(*llm_args(llm_server, cache, "--no-cache", "-o", str(tmp_path / "out")),
                   env={"OPENAI_API_KEY": "x"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert f"warning: --no-cache: the cache in {cache} is neither read nor written" in proc.stderr
    assert not cache.exists()


def test_a_secret_in_the_base_url_is_never_shown(llm_server: LLMServer, tmp_path: Path) -> None:
    args = llm_args(llm_server, tmp_path / "cache", "-f", "json", "-o", "-")
    at = args.index(llm_server.url)
    args[at] = llm_server.url.replace("http://", "http://user:sk-IN-THE-URL@")
    proc = run_cli(*args, env={"OPENAI_API_KEY": "x"})
    assert proc.returncode == 0, proc.stderr
    assert "model m at http://***@127.0.0.1" in proc.stderr
    assert "sk-IN-" not in proc.stderr + proc.stdout
    args[at] = llm_server.url + "?api_key=sk-IN-QUERY"  # would break the request path
    proc = run_cli(*args, env={"OPENAI_API_KEY": "x"})
    assert_one_line_error(proc, EXIT_CONFIG, "has a query string", "?api_key=***")
    assert "sk-IN-" not in proc.stderr


# Invented relief reports: every source gives different figures for the same towns,
# so many claims survive the map step and a small window needs several collapse rounds.
TOWNS = ("Orlen", "Vasko", "Tilmar", "Brena", "Quorra", "Idris Bay", "Maren", "Caldo", "Serin",
         "Dovet", "Palla", "Ysolde")  # fmt: skip
OUTLETS = ("Riverside Courier", "Northern Ledger", "Orlen Today")


def write_relief_reports(folder: Path) -> Path:
    folder.mkdir()
    for k, outlet in enumerate(OUTLETS):
        paragraphs = [f"Flood relief in {TOWNS[k]} and nearby towns"]
        for day, town in enumerate(TOWNS, 1):
            families = 40 + 7 * day + 3 * k
            paragraphs.append(
                f"Rescue crews in {town} moved {families} families to higher ground on day "
                f"{day}, the {outlet} reported. Officials in {town} said {families // 4} homes "
                "were damaged by the water."
            )
        (folder / f"{k + 1}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    return folder


def test_rerun_after_collapse_rounds_makes_no_request_in_a_new_process(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    folder = write_relief_reports(tmp_path / "relief")
    # 2,325 tokens: several collapse rounds of two groups or more with today's prompts
    # and note format (between about 2,275 and 2,375 here, with --max-points 3 keeping
    # the reduce reply limit at its least, 1,024 tokens; the auto server keeps differing
    # figures apart, so a much smaller window cannot shrink the notes). Round 1's first
    # group (it holds the first claim, c1) answers last: collapsed notes must be
    # numbered by group, not by arrival, or the replayed run (where cached replies come
    # back in group order) builds other round-2 prompts.
    llm_server.inject("slow", stage="collapse", match="#c1 [", delay=0.4)
    args = [
        "build", str(folder), "--engine", "llm", "--base-url", llm_server.url, "--model", "m",
        "--context-window", "2325", "--max-points", "3",
        "--cache-dir", str(tmp_path / "cache"), "--concurrency", "4", "-f", "json", "-o", "-",
    ]  # fmt: skip
    first = run_cli(*args, env={"OPENAI_API_KEY": "x"})
    assert first.returncode == 0, first.stderr
    built = Briefing.from_json(first.stdout)
    assert built.run.counts["collapse_rounds"] >= 2
    round_1 = [r for r in llm_server.requests if "(round 1)" in r.prompt]
    assert len(round_1) >= 2 and llm_server.count(injected="slow") == 1

    llm_server.reset()
    again = run_cli(*args, env={"OPENAI_API_KEY": "x"})
    assert again.returncode == 0, again.stderr
    assert llm_server.count() == 0, [r.stage for r in llm_server.requests]
    replayed = Briefing.from_json(again.stdout)
    assert replayed.model_dump(exclude={"run"}) == built.model_dump(exclude={"run"})


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [
        (signal.SIGINT, EXIT_INTERRUPTED, "interrupted"),
        (signal.SIGTERM, EXIT_TERMINATED, "terminated"),
    ],
)
def test_a_stopped_run_says_so_in_one_line_and_a_rerun_resumes(
    llm_server: LLMServer, tmp_path: Path, signum: int, code: int, said: str
) -> None:
    # The reduce reply is held back, so the signal comes with the map replies cached.
    llm_server.inject("slow", stage="reduce", times=1, delay=5.0)
    args = llm_args(llm_server, tmp_path / "cache", "-o", str(tmp_path / "out"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", *args],
        env={**env, "OPENAI_API_KEY": "x"},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while llm_server.count("reduce") == 0 and proc.poll() is None:
            assert time.monotonic() < deadline, "the run never reached the reduce call"
            time.sleep(0.02)
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    maps = llm_server.count("map")
    assert stderr.splitlines()[-1] == (
        f"briefing: {said}; {maps} finished LLM calls are cached, so a re-run resumes there"
    )
    rerun = run_cli(*args, env={"OPENAI_API_KEY": "x"})
    assert rerun.returncode == 0, rerun.stderr
    assert llm_server.count("map") == maps  # the map replies came from the cache


_SECOND_SIGNAL = """
import signal, sys
from argparse import Namespace
from briefing.cancel import CancelHandle
from briefing.cli import _Stopper

stopper = _Stopper(CancelHandle(), Namespace(llm_started=True, no_cache={no_cache}))
try:
    stopper(signal.{name}, None)  # no chain running: the first is raised
except KeyboardInterrupt as stop:
    print(type(stop).__name__, flush=True)
    stopper(signal.SIGINT, None)  # a second, while the first is being handled
print("still running")
"""


@pytest.mark.parametrize(
    ("name", "no_cache", "first", "line"),
    [
        ("SIGINT", False, "KeyboardInterrupt",
         "briefing: interrupted again; stopped at once (finished LLM calls stay cached for a "
         "re-run)"),
        ("SIGTERM", True, "_Terminated", "briefing: interrupted again; stopped at once"),
    ],
)  # fmt: skip
def test_a_second_signal_ends_the_run_at_once_in_one_line(
    name: str, no_cache: bool, first: str, line: str
) -> None:
    # Two Ctrl-Cs back to back used to raise the second KeyboardInterrupt inside the
    # first one's clean-up: a traceback, or a shutdown waiting on a lock it had broken.
    code = _SECOND_SIGNAL.format(name=name, no_cache=no_cache)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == EXIT_INTERRUPTED, proc.stderr
    assert proc.stdout.split() == [first]
    assert proc.stderr.splitlines() == [line]


def test_ctrl_c_cancels_a_running_chain_at_its_next_await() -> None:
    # The first Ctrl-C cancels the chain's task (its clean-up runs, as after a web
    # handler's timeout) and reaches the caller as a KeyboardInterrupt.
    import asyncio
    from argparse import Namespace

    from briefing.cancel import CancelHandle, current
    from briefing.cli import _Stopper
    from briefing.llm.engine import run_to_completion

    handle = CancelHandle()
    stopper = _Stopper(handle, Namespace(llm_started=True, no_cache=False))
    steps: list[str] = []

    async def chain() -> None:
        try:
            stopper(signal.SIGINT, None)  # as if Ctrl-C came now: nothing is raised here
            steps.append("signal handled")
            await asyncio.sleep(30)
            steps.append("slept")
        except asyncio.CancelledError:
            steps.append("cancelled")
            raise

    token = current.set(handle)
    try:
        with pytest.raises(KeyboardInterrupt) as stop:
            run_to_completion(chain())
    finally:
        current.reset(token)
    assert type(stop.value) is KeyboardInterrupt
    assert steps == ["signal handled", "cancelled"]
    assert stopper.stopping


def test_edited_prompts_are_named_and_a_misnamed_one_stops_the_run_before_any_request(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    from briefing.llm.prompts import DEFAULT_PROMPTS_DIR

    edited = tmp_path / "prompts"
    edited.mkdir()
    built_in = (DEFAULT_PROMPTS_DIR / "map.txt").read_text("utf-8")
    (edited / "map.txt").write_text(built_in + "Keep each outlet's words.\n", "utf-8")
    shutil.copy(DEFAULT_PROMPTS_DIR / "system.txt", edited / "system.txt")  # left as it is
    (edited / "reduce.md").write_text("STAGE: reduce\n$notes", "utf-8")
    args = llm_args(
        llm_server, tmp_path / "cache", "--prompts", str(edited), "-f", "json", "-o", "-"
    )
    proc = run_cli(*args, env={"OPENAI_API_KEY": "x"})
    assert_one_line_error(proc, EXIT_CONFIG)
    assert "reduce.md is not a prompt file name; rename it reduce.txt" in proc.stderr
    assert llm_server.count() == 0
    (edited / "reduce.md").unlink()
    proc = run_cli(*args, env={"OPENAI_API_KEY": "x"})
    assert proc.returncode == 0, proc.stderr
    said = (
        f"briefing: prompts from {edited}: map.txt edited, system.txt unchanged; "
        "collapse.txt, reduce.txt, repair.txt built in\n"
    )
    assert said in proc.stderr, proc.stderr
    assert Briefing.from_json(proc.stdout).run.usage["prompts_edited"] == ["map.txt"]


def test_a_run_stopped_without_the_cache_claims_nothing_was_kept() -> None:
    from argparse import Namespace

    from briefing.cli import stop_message

    early = KeyboardInterrupt()  # stopped before the LLM engine counted its replies
    cached = Namespace(llm_started=True, no_cache=False)
    assert stop_message(cached, early) == "interrupted; cached LLM replies are kept for a re-run"
    assert stop_message(Namespace(llm_started=True, no_cache=True), early) == "interrupted"
    assert stop_message(Namespace(llm_started=False, no_cache=False), early) == "interrupted"

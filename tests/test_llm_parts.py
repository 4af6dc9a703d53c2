"""The LLM engine's parts on their own: configuration, budgets, prompts, schema,
retry timing rules, cache keys, citation resolution, accounting."""

from __future__ import annotations

import json
import math
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import tiktoken

from briefing.chunking import TiktokenTokenizer
from briefing.errors import ConfigError
from briefing.llm.accounting import Accounting, load_prices, price_for, usage_line
from briefing.llm.assemble import CitationResolver
from briefing.llm.budget import (
    MAP_REPLY_RATIO,
    NOTE_TOKENS_PER_SOURCE,
    UNKNOWN_MODEL_WINDOW,
    known_context_window,
    pack,
    pack_balanced,
    plan_budget,
    rounds_at_rate,
)
from briefing.llm.cache import CACHE_FILE, ReplyCache, cache_key
from briefing.llm.client import _Transient, _WaitRetryAfter, retry_after_seconds
from briefing.llm.config import LLMConfig, redact_url, url_secrets
from briefing.llm.notes import Note, Notebook, by_topic, interleave, rotation_for
from briefing.llm.prompts import DEFAULT_PROMPTS_DIR, load_prompts
from briefing.llm.schema import (
    Cite,
    MapNotes,
    ReduceReply,
    ReplyInvalid,
    parse_reply,
    response_format,
    strict_schema,
)
from briefing.llm.structured import request_params
from briefing.model import Article, Briefing, Citation, Claim, Point, RunInfo

# ---------------------------------------------------------------- configuration


def test_config_module_stays_light() -> None:
    # The CLI imports it on its fast path (`briefing --help`).
    code = "import sys, briefing.llm.config; assert 'openai' not in sys.modules, 'openai'; "
    code += "assert 'tiktoken' not in sys.modules, 'tiktoken'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_from_env_reads_the_environment_and_ignores_unset_flags() -> None:
    env = {"OPENAI_API_KEY": "sk-x", "OPENAI_BASE_URL": "http://h:1/v1", "BRIEFING_MODEL": "q"}
    config = LLMConfig.from_env(env, model=None, base_url=None, concurrency=3)
    assert (config.api_key, config.base_url, config.model, config.concurrency) == (
        "sk-x",
        "http://h:1/v1",
        "q",
        3,
    )
    assert config.configured()
    assert LLMConfig.from_env(env, model="m2", base_url="http://o:2/v1").model == "m2"
    assert "sk-x" not in repr(config)
    assert not LLMConfig.from_env({}).configured()
    assert LLMConfig.from_env({}, base_url="http://localhost:11434/v1", model="q").configured()
    # A server of its own gets no OpenAI model name by default.
    with pytest.raises(ConfigError, match=r"^--base-url points at .* pass --model NAME"):
        LLMConfig.from_env({}, base_url="http://localhost:11434/v1")
    # The message names what the user set.
    with pytest.raises(ConfigError, match=r"^OPENAI_BASE_URL points at .* pass --model NAME"):
        LLMConfig.from_env({"OPENAI_BASE_URL": "http://localhost:11434/v1"})
    assert LLMConfig.from_env({"OPENAI_BASE_URL": "https://api.openai.com/v1/"}).model
    # The same for a library caller who builds the config directly.
    with pytest.raises(ConfigError, match="pass --model NAME"):
        LLMConfig(base_url="http://localhost:11434/v1").validate()
    assert LLMConfig(base_url="https://api.openai.com/v1/").model == "gpt-4o-mini"
    assert LLMConfig(api_key="k").model == "gpt-4o-mini"
    # A fuzzing trial: a line break inside BRIEFING_MODEL split the run's report lines.
    env = {"OPENAI_API_KEY": "k", "BRIEFING_MODEL": "qwen2.5\nbriefing: all fine"}
    with pytest.raises(ConfigError, match=r"holds a line break or control character; check"):
        LLMConfig.from_env(env)


def test_endpoint_never_falls_back_when_a_base_url_is_set() -> None:
    assert LLMConfig(base_url="http://127.0.0.1:8000/v1/").endpoint() == "http://127.0.0.1:8000/v1"
    assert LLMConfig(api_key="k").endpoint() == "https://api.openai.com/v1"


def test_endpoint_is_one_url_however_its_scheme_and_host_are_cased() -> None:
    # One server, so one set of cache keys; the path and any password keep their case.
    upper = LLMConfig(base_url="HTTP://User:PassWord@LocalHost:8000/V1", model="m")
    assert upper.endpoint() == "http://User:PassWord@localhost:8000/V1"
    assert LLMConfig(base_url="http://localhost:8000/V1/", model="m").endpoint() == (
        "http://localhost:8000/V1"
    )


def test_a_bad_base_url_is_named_by_what_set_it() -> None:
    with pytest.raises(ConfigError, match=r"^OPENAI_BASE_URL 'localhost:11434' is not an http"):
        LLMConfig.from_env({"OPENAI_BASE_URL": "localhost:11434"}, model="m")
    # The flag wins over the environment, and is what the message names.
    with pytest.raises(ConfigError, match=r"^--base-url 'localhost:1' is not an http"):
        LLMConfig.from_env({"OPENAI_BASE_URL": "http://h:1/v1"}, base_url="localhost:1", model="m")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"base_url": "localhost:11434"}, "not an http"),
        ({"base_url": "http://h/v1?key=sk-1"}, r"'http://h/v1\?key=\*\*\*' has a query string"),
        ({"base_url": "http://[::1/v1"}, r"not a valid URL \(Invalid IPv6 URL\)"),
        ({"base_url": "http://localhost:99999/v1"}, r"not a valid URL \(Port out of range"),
        ({"concurrency": 0}, "--concurrency"),
        ({"context_window": 0}, "--context-window must be a positive number"),
        ({"json_mode": "xml"}, "--json-mode"),
        ({"model": " "}, "--model"),
    ],
)
def test_bad_settings_are_config_errors(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        LLMConfig.from_env({}, **overrides)


def test_credentials_in_a_base_url_are_redacted() -> None:
    assert redact_url("http://user:pw@host:1/v1") == "http://***@host:1/v1"
    assert redact_url("http://host/v1") == "http://host/v1"
    assert redact_url("http://user:pw@[x/v1") == "http://***@[x/v1"  # urlsplit cannot read it
    assert redact_url("http://h/v1?api_key=sk-1&x=2") == "http://h/v1?api_key=***&x=***"
    # What a server's error message may echo back is cut out by these.
    assert url_secrets("http://user:pw-secret@h/v1") == ["user:pw-secret", "pw-secret", "user"]


def test_string_paths_become_paths() -> None:
    config = LLMConfig(cache_dir="x", prompts_dir="p", prices_file="f.json")  # type: ignore[arg-type]
    assert config.cache_dir == Path("x") and config.prompts_dir == Path("p")


# ---------------------------------------------------------------- budgets


@pytest.mark.parametrize(
    ("model", "window"),
    [
        ("gpt-4o-mini", 128_000),
        ("gpt-4.1-nano", 1_047_576),
        ("o4-mini", 200_000),
        ("meta-llama/Meta-Llama-3.1-8B-Instruct", 131_072),
        ("llama3", 8_192),
        ("qwen2.5:14b", 32_768),
        ("mistral-nemo", 128_000),
        ("my-local-model", None),
    ],
)
def test_known_context_windows(model: str, window: int | None) -> None:
    assert known_context_window(model) == window


def test_unknown_model_window_is_defaulted_with_one_warning() -> None:
    warnings: list[str] = []
    budget = plan_budget(LLMConfig(model="my-local-model"), 1000, warnings.append)
    assert budget.window == UNKNOWN_MODEL_WINDOW
    assert budget.window_source == "default for unknown model"
    assert len(warnings) == 1 and "--context-window" in warnings[0]
    warnings.clear()
    flagged = plan_budget(
        LLMConfig(model="my-local-model", context_window=4096), 1000, warnings.append
    )
    assert flagged.window == 4096 and warnings == []


def test_a_known_window_on_a_server_of_ones_own_is_taken_with_a_warning() -> None:
    # Ollama serves llama3.1 with a context far below its 131k and cuts longer prompts
    # silently, so the model's own window is only an assumption there.
    warnings: list[str] = []
    local = LLMConfig(model="llama3.1", base_url="http://localhost:11434/v1")
    assert plan_budget(local, 1000, warnings.append).window == 131_072
    assert len(warnings) == 1 and "--context-window" in warnings[0]
    warnings.clear()
    plan_budget(LLMConfig(model="gpt-4o-mini", api_key="k"), 1000, warnings.append)
    plan_budget(replace(local, context_window=4096), 1000, warnings.append)
    assert warnings == []


def test_budget_is_derived_from_the_window() -> None:
    small = plan_budget(LLMConfig(model="m", context_window=4096), 1000)
    large = plan_budget(LLMConfig(model="gpt-4o-mini"), 1000)
    assert small.output_reserve == 1024 and large.output_reserve == 4096
    assert small.input_budget(1000) == int((4096 - 1024 - 1000) * 0.9)
    assert small.chunk_tokens <= small.input_budget(1000)
    assert large.input_budget(1000) > small.input_budget(1000)
    # A collapse group is at most three reply reserves, so a round condenses gently.
    assert large.collapse_budget(1000) == 3 * 4096
    with pytest.raises(ConfigError, match="no room for articles"):
        plan_budget(LLMConfig(model="m", context_window=2048), 1800)
    with pytest.raises(ConfigError, match="--chunk-overlap 300 is not smaller than the chunks"):
        plan_budget(LLMConfig(model="m", chunk_tokens=300, chunk_overlap=300), 1000)


def test_a_window_with_no_room_for_the_reduce_notes_is_refused_before_any_call() -> None:
    # The reduce prompt (sources list, instructions, schema) is longer than the map's:
    # a window that fits the map prompt may leave the reduce call no room for notes.
    others = {"collapse": 600, "reduce": 870}
    config = LLMConfig(model="m", context_window=1400)
    with pytest.raises(ConfigError, match=r"no room for notes after the reduce prompt") as err:
        plan_budget(config, 490, other_overheads=others)
    suggested = int(re.search(r"--context-window (\d+) or more", str(err.value))[1])
    fits = LLMConfig(model="m", context_window=suggested)
    assert plan_budget(fits, 490, other_overheads=others).window == suggested
    smaller = LLMConfig(model="m", context_window=suggested - 256)
    with pytest.raises(ConfigError):
        plan_budget(smaller, 490, other_overheads=others)
    # A far smaller window gets the same advice, not a fixed floor that fails in turn,
    # and it names the reduce call, whose needs set it, though the map's prompt does not
    # fit either.
    with pytest.raises(ConfigError, match=rf"--context-window {suggested} or more") as err:
        plan_budget(LLMConfig(model="m", context_window=500), 490, other_overheads=others)
    assert "after the reduce prompt (870 tokens)" in str(err.value)


def test_the_reduce_room_must_hold_a_short_note_from_every_article() -> None:
    # Collapse keeps every source, so 39 articles need room for 39 notes in the reduce
    # call: a window that only fits "a few notes" fails after dozens of collapse calls.
    others = {"collapse": 600, "reduce": 1300}
    few = plan_budget(LLMConfig(model="m", context_window=4096), 490, other_overheads=others)
    assert few.window == 4096  # a dozen articles fit
    config = LLMConfig(model="m", context_window=4096)
    with pytest.raises(ConfigError, match=r"a short note from each of the 39 articles") as err:
        plan_budget(config, 490, other_overheads=others, sources=39)
    suggested = int(re.search(r"--context-window (\d+) or more", str(err.value))[1])
    budget = plan_budget(
        LLMConfig(model="m", context_window=suggested), 490, other_overheads=others, sources=39
    )
    assert budget.input_budget(others["reduce"]) >= 39 * NOTE_TOKENS_PER_SOURCE
    # When the server's window is all there is, the other way out: fewer articles.
    fit = int(re.search(r"or at most (\d+) articles", str(err.value))[1])
    assert plan_budget(config, 490, other_overheads=others, sources=fit).window == 4096
    with pytest.raises(ConfigError):
        plan_budget(config, 490, other_overheads=others, sources=fit + 1)


def test_chunks_larger_than_a_map_call_can_hold_are_capped_with_a_warning() -> None:
    warnings: list[str] = []
    config = LLMConfig(model="m", context_window=8192, chunk_tokens=100_000)
    budget = plan_budget(config, 1000, warnings.append)
    assert budget.chunk_tokens < 8192
    assert warnings == [
        f"--chunk-tokens 100,000 is more than one map call can hold in a 8,192-token "
        f"window; using chunks of {budget.chunk_tokens:,} tokens"
    ]
    warnings.clear()
    plan_budget(LLMConfig(model="m", context_window=8192, chunk_tokens=500), 1000, warnings.append)
    assert warnings == []


def test_a_map_call_carries_at_most_its_reply_limit_over_the_reply_ratio_of_text() -> None:
    # An extraction reply quotes its input and restates each quote in JSON, two or three
    # times the text's length: more text per call would be cut off. Chunks stay as
    # asked; only the packing is bounded by the reply limit.
    budget = plan_budget(LLMConfig(model="m", context_window=32768, chunk_tokens=300), 1000)
    assert budget.chunk_tokens == 300 and budget.output_reserve == budget.map_limit == 4096
    assert budget.map_pack_tokens == int(4096 / MAP_REPLY_RATIO) == 1638
    # Never less than one chunk, never more than the window leaves for articles.
    big_chunks = plan_budget(LLMConfig(model="m", context_window=32768, chunk_tokens=6000), 1000)
    assert big_chunks.map_pack_tokens == 6000
    small = plan_budget(LLMConfig(model="m", context_window=2048, max_output_tokens=1200), 400)
    assert small.map_pack_tokens == small.chunk_tokens == int((2048 - 1200 - 400) * 0.9)
    # A caller may pack tighter (one chunk per call) or looser.
    one = plan_budget(LLMConfig(model="m", chunk_tokens=300, map_pack_tokens=1), 1000)
    assert one.map_pack_tokens == 300


def test_in_a_small_window_the_map_reply_takes_its_share_of_what_the_prompt_leaves() -> None:
    # A quarter of a 4,096-token window (1,024) would leave room for replies to about
    # 400 tokens of text a call; the map reply instead gets 2.5/3.5 of what its prompt
    # leaves, and the text a call carries is what the window then has room for.
    budget = plan_budget(LLMConfig(model="m", context_window=4096), 600)
    assert budget.output_reserve == 1024
    assert budget.map_limit == int((4096 - 600) * MAP_REPLY_RATIO / (MAP_REPLY_RATIO + 1))
    assert budget.map_pack_tokens == int((4096 - budget.map_limit - 600) * 0.9) > 2 * 400
    assert budget.map_limit >= MAP_REPLY_RATIO * budget.map_pack_tokens
    # Large windows keep the cap on replies; a limit the caller sets is kept for every call.
    assert plan_budget(LLMConfig(model="m", context_window=8192), 600).map_limit == 4096
    capped = plan_budget(LLMConfig(model="m", context_window=4096, max_output_tokens=700), 600)
    assert capped.map_limit == capped.output_reserve == 700


def test_rounds_at_rate_projects_the_last_rounds_shrink() -> None:
    # 1000 -> 500 halves; 500 -> 100 needs three more halvings (250, 125, 62.5).
    assert rounds_at_rate(1000, 500, 100) == 3
    assert rounds_at_rate(1000, 500, 0) == math.inf  # no room at all: never, not a crash
    assert rounds_at_rate(1000, 500, 125) == 2  # exactly two halvings reach it
    assert rounds_at_rate(1000, 90, 100) == 0  # already fits
    assert (
        rounds_at_rate(1000, 990, 500) == 69 - 1
    )  # 0.99**68 < 0.5  # 1% a round: far past any round limit
    assert rounds_at_rate(1000, 1000, 100) == math.inf  # no shrink: never


def test_pack_keeps_order_and_budget() -> None:
    sizes = [3, 4, 2, 5, 1, 9]
    groups = pack(list("abcdef"), sizes, 7)
    assert groups == [["a", "b"], ["c", "d"], ["e"], ["f"]]  # "f" alone: over budget
    assert [x for g in groups for x in g] == list("abcdef")


def test_pack_balanced_gives_even_groups_in_input_order() -> None:
    sizes = [6, 5, 3, 4, 1, 9]
    groups = pack_balanced(list("abcdef"), sizes, 10, groups=3)
    # Largest first into the least loaded group: f(9) | a(6) | b(5); then d(4) joins b,
    # c(3) joins a, e(1) joins f. Within a group the input order holds.
    assert groups == [["a", "c"], ["b", "d"], ["e", "f"]]
    assert [sum(sizes["abcdef".index(x)] for x in g) for g in groups] == [9, 9, 10]
    assert pack_balanced(list("abcdef"), sizes, 10, groups=3) == groups


def test_pack_balanced_opens_more_groups_when_the_budget_needs_them() -> None:
    sizes = [4] * 10 + [12]
    groups = pack_balanced(list(range(11)), sizes, 8, groups=2)
    # 4-token items fill two groups of 8; the rest open groups as they must, and the
    # 12-token item travels alone.
    assert [10] in groups
    assert all(sum(sizes[i] for i in g) <= 8 for g in groups if g != [10])
    assert sorted(i for g in groups for i in g) == list(range(11))
    assert len(groups) == 6  # the fewest the budget allows
    # Fewer items than groups: one group each, never an empty one.
    assert pack_balanced(list("ab"), [1, 1], 8, groups=8) == [["a"], ["b"]]


def test_map_calls_spread_text_but_not_below_a_chunk_each() -> None:
    from briefing.llm.budget import MAP_SPREAD, Budget, map_calls

    budget = Budget(
        window=32768,
        output_reserve=4096,
        chunk_tokens=1500,
        window_source="test",
        map_pack_tokens=4096,
    )
    assert map_calls(budget, 15_000) == MAP_SPREAD  # 8 calls of about 1,900 tokens
    assert map_calls(budget, 2_000) == 2  # short input: a chunk's worth a call at least
    assert map_calls(budget, 900) == 1
    assert map_calls(budget, 100_000) == 25  # no call over map_pack_tokens


def test_sources_block_is_one_short_line_per_article_and_notes_carry_no_quote() -> None:
    from briefing.llm.blocks import note_lines, sources_block

    long_title = "A very long headline " * 10
    articles = [
        Article(id="a1a1", label=1, title=long_title, text="x", outlet="Riverside Courier",
                date="2031-05-07"),
        Article(id="b2b2", label=2, title=long_title, text="y", outlet=None),
    ]  # fmt: skip
    block = sources_block(articles)
    lines = block.splitlines()
    assert lines[0] == "<<<SOURCES>>>" and lines[-1] == "<<<END SOURCES>>>"
    assert lines[1] == "[1] Riverside Courier"
    assert lines[2].startswith("[2] A very long headline") and len(lines[2]) <= 60
    assert "A very long headline" not in lines[1]
    # Cut at a word boundary, never mid-word; one over-long word is cut with a mark.
    assert lines[2] == "[2] A very long headline A very long…"
    from briefing.llm.blocks import source_name

    assert source_name(Article(id="z", label=3, title="x", text="y", outlet="w" * 50), 10) == (
        "wwwwwwwww…"
    )
    note = Note(id="c1", text="A claim.", claim_ids=("c1",), article_ids=("a1a1",),
                quote="the article's own words")  # fmt: skip
    assert note_lines(note, {"a1a1": 1}) == "#c1 [1]: A claim."


def test_note_lines_state_each_figure_once() -> None:
    from briefing.llm.blocks import note_lines
    from briefing.model import NumberMention

    stated = NumberMention(value=16, text="at least 16", counts="killed")
    unstated = NumberMention(value=23, text="23", counts="wounded")
    inside = NumberMention(value=2, text="2", counts="days")  # "2" is in "2024", not stated
    note = Note(id="n4", text="At least 16 people were killed on 2024-02-02.", claim_ids=("c1",),
                article_ids=("a", "b"), attribution="the government", date="2024-02-02",
                numbers=(stated, unstated, inside))  # fmt: skip
    assert note_lines(note, {"a": 1, "b": 3}) == (
        "#n4 [1,3] 2024-02-02: At least 16 people were killed on 2024-02-02.\n"
        "by: the government\n"
        "numbers: 23 wounded; 2 days"
    )


def test_budget_with_a_real_tiktoken_encoding() -> None:
    # A byte-level encoding (no download): one token per UTF-8 byte.
    encoding = tiktoken.Encoding(
        name="bytes",
        pat_str=r"\S+|\s+",
        mergeable_ranks={bytes([i]): i for i in range(256)},
        special_tokens={},
    )
    tok = TiktokenTokenizer(encoding)
    assert tok.count("héllo") == 6
    sizes = [tok.count(w) for w in ["ab", "cdé", "f"]]
    assert pack(["ab", "cdé", "f"], sizes, 5) == [["ab"], ["cdé", "f"]]


# ---------------------------------------------------------------- prompts


def test_builtin_prompts_load_and_carry_stage_markers() -> None:
    prompts = load_prompts()
    for stage in ("map", "collapse", "reduce", "repair"):
        assert prompts.templates[stage].template.startswith(f"STAGE: {stage}\n")
    rendered = prompts.render("map", article="<<<ARTICLE>>>", format="JSON")
    assert "<<<ARTICLE>>>" in rendered and "$" not in rendered
    # Each rule travels in the prompts of the stages it governs (the system prompt goes
    # with every call, so it stays short).
    rules = {
        "map": ("verbatim", "different speakers apart"),
        "collapse": ("disagreements apart", "Never average"),
        "reduce": ("disagreements apart", "Never average", "only ids from the notes"),
    }
    for stage, stage_rules in rules.items():
        for rule in stage_rules:
            assert rule in prompts.templates[stage].template, (stage, rule)
    assert "only what the articles say" in prompts.render("system")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("STAGE: map\n$article $oops", "unknown placeholder"),
        ("STAGE: map\nno article here", "lacks the placeholder"),
        ("STAGE: map\n$article costs $5", r"'\$' that is not a placeholder \(line 2: \"\$5\"\)"),
        ("STAGE: map\n\n${article", r'not a placeholder \(line 3: "\$\{article"\)'),
    ],
)
def test_broken_prompt_files_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "map.txt").write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_prompts(tmp_path)


def test_prompts_dir_copies_fall_back_per_file(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_PROMPTS_DIR / "reduce.txt", tmp_path / "reduce.txt")
    (tmp_path / "reduce.txt").write_text("STAGE: reduce\nEdited. Cost: $$5. $notes")
    prompts = load_prompts(tmp_path)
    assert prompts.paths["reduce"] == tmp_path / "reduce.txt"
    assert prompts.paths["map"] == DEFAULT_PROMPTS_DIR / "map.txt"
    assert prompts.render("reduce", notes="N") == "STAGE: reduce\nEdited. Cost: $5. N"
    with pytest.raises(ConfigError, match=r"/missing does not exist; pass a folder holding"):
        load_prompts(tmp_path / "missing")
    with pytest.raises(ConfigError, match=r"/reduce.txt is a file; pass a folder holding"):
        load_prompts(tmp_path / "reduce.txt")


def test_prompts_dir_without_any_prompt_file_is_refused(tmp_path: Path) -> None:
    # All files falling back would run the built-in prompts in place of the user's edits.
    (tmp_path / "my-notes.txt").write_text("STAGE: map\n$article")
    (tmp_path / "reduce.txt").mkdir()
    with pytest.raises(ConfigError, match=r"holds none of the prompt files \(system.txt, map"):
        load_prompts(tmp_path)


def test_a_misspelt_or_empty_prompt_file_is_refused(tmp_path: Path) -> None:
    # One misspelt name among the edited files would run the built-in prompt unnoticed.
    shutil.copy(DEFAULT_PROMPTS_DIR / "reduce.txt", tmp_path / "reduce.txt")
    (tmp_path / "Map.txt").write_text("STAGE: map\nEdited. $article")
    with pytest.raises(ConfigError, match=r"Map.txt is not a prompt file name; rename it map.txt"):
        load_prompts(tmp_path)
    (tmp_path / "Map.txt").rename(tmp_path / "map.txt")
    shutil.copy(tmp_path / "map.txt", tmp_path / "maps.txt")  # a spare copy is no typo
    (tmp_path / "notes.txt").write_text("my own notes")
    assert load_prompts(tmp_path).paths["map"] == tmp_path / "map.txt"
    (tmp_path / "system.txt").write_text("\n  \n")
    with pytest.raises(ConfigError, match=r"system.txt is empty"):
        load_prompts(tmp_path)


@pytest.mark.parametrize("name", ["Map.TXT", "map.txt.txt", "reduce.md", "map.text", "reduse"])
def test_a_prompt_under_another_name_is_refused_even_alone(tmp_path: Path, name: str) -> None:
    # The only file in the folder, or beside the others: either way it would never be read.
    (tmp_path / name).write_text("STAGE: map\nEdited. $article")
    with pytest.raises(ConfigError, match=rf"{re.escape(name)} is not a prompt file name"):
        load_prompts(tmp_path)
    shutil.copy(DEFAULT_PROMPTS_DIR / "system.txt", tmp_path / "system.txt")
    with pytest.raises(ConfigError, match=rf"{re.escape(name)} is not a prompt file name"):
        load_prompts(tmp_path)


def test_the_prompts_taken_from_the_folder_are_named(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_PROMPTS_DIR / "map.txt", tmp_path / "map.txt")
    shutil.copy(DEFAULT_PROMPTS_DIR / "map.txt", tmp_path / "map.txt.bak")  # a spare copy
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    assert load_prompts(tmp_path).taken() == ["map.txt"]
    assert load_prompts(None).taken() == []


def test_only_copies_that_differ_count_as_edited(tmp_path: Path) -> None:
    for name in ("map.txt", "reduce.txt"):
        shutil.copy(DEFAULT_PROMPTS_DIR / name, tmp_path / name)
    assert load_prompts(tmp_path).edited() == []
    with (tmp_path / "reduce.txt").open("a", encoding="utf-8") as f:
        f.write("Name every outlet.\n")
    assert load_prompts(tmp_path).edited() == ["reduce.txt"]
    assert load_prompts(tmp_path).taken() == ["map.txt", "reduce.txt"]


def test_a_prompt_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "map.txt").write_bytes(b"\xff\xfeSTAGE: map $article")
    with pytest.raises(ConfigError, match=r"map.txt is not UTF-8 text \(byte 0\)"):
        load_prompts(tmp_path)


# ---------------------------------------------------------------- schema and parsing


def walk(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(walk(value))
    return found


@pytest.mark.parametrize("model", [MapNotes, ReduceReply])
def test_strict_schema_requires_everything_and_allows_nothing_extra(model: type) -> None:
    schema = strict_schema(model)
    objects = [n for n in walk(schema) if isinstance(n.get("properties"), dict)]
    assert objects
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])
    for node in walk(schema):
        assert "default" not in node and "title" not in node


def test_response_format_by_json_mode() -> None:
    fmt = response_format(ReduceReply, "schema")
    assert fmt is not None and fmt["type"] == "json_schema"
    assert fmt["json_schema"]["strict"] is True and fmt["json_schema"]["name"] == "briefing"
    assert response_format(ReduceReply, "object") == {"type": "json_object"}
    assert response_format(ReduceReply, "none") is None


def test_reduce_citations_are_bare_note_ids_and_the_object_form_still_reads() -> None:
    schema = strict_schema(ReduceReply)
    cite_lists = [
        n["properties"]["citations"]
        for n in walk(schema)
        if isinstance(n.get("properties"), dict) and "citations" in n["properties"]
    ]
    assert len(cite_lists) == 3  # points (and the bottom line), versions, timeline entries
    assert all(c == {"items": {"type": "string"}, "type": "array"} for c in cite_lists)
    reply = parse_reply(
        '{"headline": "h", "bottom_line": {"text": "t", "citations": ["c1", '
        '{"id": null, "article_id": "2", "quote": "a verbatim passage"}]}}',
        ReduceReply,
    )
    assert reply.bottom_line.citations == [
        Cite(id="c1"),
        Cite(article_id="2", quote="a verbatim passage"),
    ]


def test_request_params_for_local_servers_and_openai() -> None:
    local = request_params(LLMConfig(base_url="http://x/v1"), MapNotes, 512)
    assert local["max_tokens"] == 512 and local["temperature"] == 0.0
    official = request_params(LLMConfig(api_key="k", model="o4-mini"), MapNotes, 512)
    assert official["max_completion_tokens"] == 512 and "temperature" not in official


def test_lenient_parsing_of_replies() -> None:
    fenced = '```json\n{"claims": [{"article_id": "a", "quote": "q", "text": "t"}]}\n```'
    assert parse_reply(fenced, MapNotes).claims[0].numbers == []
    prose = 'Here you go: {"claims": []} Hope that helps.'
    assert parse_reply(prose, MapNotes).claims == []
    numbers = '{"claims": [{"article_id": "a", "quote": "q", "text": "t", "numbers": [{"value": "1,500", "text": "some 1,500", "counts": "x"}, {"value": "dozens", "text": "dozens", "counts": "y"}]}]}'  # noqa: E501
    values = [n.value for n in parse_reply(numbers, MapNotes).claims[0].numbers]
    assert values == [1500.0, None]
    # Local models in object or none mode write the source number as a number.
    numeric = '{"claims": [{"article_id": 3, "quote": "q", "text": "t", "date": 2024}]}'
    claim = parse_reply(numeric, MapNotes).claims[0]
    assert (claim.article_id, claim.date) == ("3", "2024")


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ("", "empty"),
        ('{"claims": [', "not valid JSON"),
        ("[1, 2]", "not an object"),
        ('{"claims": [{"quote": 3}]}', "claims.0.article_id: Field required"),
    ],
)
def test_unusable_replies_say_what_is_wrong(reply: str, message: str) -> None:
    with pytest.raises(ReplyInvalid, match=message):
        parse_reply(reply, MapNotes)


# ---------------------------------------------------------------- retry timing rules


def test_retry_after_header_forms() -> None:
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25
    assert retry_after_seconds({"retry-after": "9999"}) == 120.0  # capped
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (retry_after_seconds({"retry-after": later}) or 0) <= 30
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_wait_prefers_retry_after_over_backoff() -> None:
    wait = _WaitRetryAfter(base=1000.0, cap=1000.0)

    def state(exc: BaseException) -> Any:
        outcome = SimpleNamespace(exception=lambda: exc)
        return SimpleNamespace(outcome=outcome, attempt_number=3)

    assert wait(state(_Transient("429", retry_after=0.0))) == 0.0
    assert wait(state(_Transient("429", retry_after=2.5))) == 2.5
    assert 0 <= wait(state(_Transient("500"))) <= 1000.0


# ---------------------------------------------------------------- cache


def test_cache_key_covers_what_shapes_a_reply_and_never_the_key() -> None:
    messages = [{"role": "user", "content": "hi"}]
    base = cache_key("m", "http://h/v1", messages, {"max_tokens": 5})
    assert base == cache_key("m", "http://h/v1/", messages, {"max_tokens": 5})
    assert base != cache_key("m2", "http://h/v1", messages, {"max_tokens": 5})
    assert base != cache_key("m", "http://g/v1", messages, {"max_tokens": 5})
    assert base != cache_key("m", "http://h/v1", [{"role": "user", "content": "ho"}], {})
    assert base != cache_key("m", "http://h/v1", messages, {"max_tokens": 6})


def test_cache_stores_once_and_survives_reopening(tmp_path: Path) -> None:
    cache = ReplyCache(tmp_path)
    usage = SimpleNamespace(prompt_tokens=10, completion_tokens=2)
    cache.put("k", "m", "first", usage)
    cache.put("k", "m", "second", usage)  # INSERT OR IGNORE: the first stays
    cache.close()
    again = ReplyCache(tmp_path)
    hit = again.get("k")
    assert hit is not None and (hit.text, hit.prompt_tokens) == ("first", 10)
    assert again.get("other") is None
    again.close()
    with closing(sqlite3.connect(tmp_path / "llm-cache.sqlite3")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_runs_opening_a_new_cache_at_once_all_get_it(tmp_path: Path) -> None:
    # Switching a new file to WAL can fail at once with "database is locked" while
    # another run does the same (about 3 in 100 such races here before the fix).
    import threading

    for trial in range(200):
        directory = tmp_path / str(trial)
        errors: list[Exception] = []

        def open_close(directory: Path = directory, errors: list[Exception] = errors) -> None:
            try:
                ReplyCache(directory).close()
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=open_close) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [], (trial, errors)


def test_unwritable_cache_dir_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    for folder in (blocker, blocker / "sub"):  # the file itself, or a folder under it
        with pytest.raises(ConfigError) as err:
            ReplyCache(folder)
        assert str(err.value) == (
            f"the LLM cache folder {folder} cannot be made: {blocker} is a file; "
            "pass --cache-dir a folder, or --no-cache"
        )


def test_a_foreign_replies_table_is_refused_at_open(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / CACHE_FILE)) as db:
        db.execute("CREATE TABLE replies (id INTEGER, body TEXT)")
    with pytest.raises(ConfigError, match=r"cannot open the LLM cache .*no such column"):
        ReplyCache(tmp_path)


def test_a_damaged_cache_file_is_named_with_the_way_out(tmp_path: Path) -> None:
    (tmp_path / CACHE_FILE).write_bytes(b"this is no SQLite file, only some text " * 200)
    with pytest.raises(ConfigError, match=r"not a database\); delete that file") as err:
        ReplyCache(tmp_path)
    assert str(tmp_path / CACHE_FILE) in str(err.value)
    with pytest.raises(ConfigError) as other:
        ReplyCache((tmp_path / CACHE_FILE) / "sub")  # a file where a folder should be
    assert "delete that file" not in str(other.value)


def test_cache_failures_after_opening_are_config_errors(tmp_path: Path) -> None:
    cache = ReplyCache(tmp_path)
    try:
        # Another program replaces the table under the open cache.
        with closing(sqlite3.connect(tmp_path / CACHE_FILE, isolation_level=None)) as db:
            db.execute("DROP TABLE replies")
            db.execute("CREATE TABLE replies (id INTEGER)")
        with pytest.raises(ConfigError, match=r"cannot read the LLM cache .*--no-cache"):
            cache.get("k")
        with pytest.raises(ConfigError, match=r"cannot write to the LLM cache .*--no-cache"):
            cache.put("k", "m", "{}")
    finally:
        cache.close()


# ---------------------------------------------------------------- notes and citations

TEXT = "Rescuers pulled 60 survivors from the water on Saturday. The ferry had left port at noon."


def notebook() -> Notebook:
    articles = [
        Article(id="a1", label=1, title="A", text=TEXT),
        Article(id="b2", label=2, title="B", text="Sixty people survived the ferry capsizing."),
    ]
    book = Notebook.for_articles(articles)
    for article in articles:
        end = article.text.index(".") + 1
        quote = article.text[:end]
        citation = Citation(article_id=article.id, start=0, end=end, quote=quote)
        book.add_claim(Claim(text=quote, citation=citation))
    return book


def test_collapsed_notes_resolve_to_the_original_spans_through_rounds() -> None:
    book = notebook()
    round1 = book.add_note("Survivors were rescued.", ["c1", "c2"])
    round2 = book.add_note("Rescue.", [round1.id])
    assert round2.claim_ids == ("c1", "c2") and round2.article_ids == ("a1", "b2")
    cits = book.citations(round2.id)
    assert [(c.article_id, c.start, c.end) for c in cits] == [("a1", 0, 56), ("b2", 0, 42)]


def test_a_merged_note_cites_the_claim_that_carries_the_statement() -> None:
    book = notebook()
    start = TEXT.index("The ferry")
    noon = Citation(article_id="a1", start=start, end=len(TEXT), quote=TEXT[start:])
    book.add_claim(Claim(text="It left at noon.", citation=noon))  # c3, article a1 again
    merged = book.add_note("Rescue and departure.", ["c1", "c3"])
    # Without a statement: the first claim of each article, as before.
    assert [c.quote for c in book.citations(merged.id)] == [TEXT[:56]]
    assert [c.quote for c in book.citations(merged.id, "It had left port at noon")] == [
        TEXT[start:]
    ]
    # A figure outweighs shared words.
    figure = book.citations(merged.id, "The ferry had left port, 60 survivors")
    assert [c.quote for c in figure] == [TEXT[:56]]


def test_a_divergence_version_shows_the_source_whose_claim_carries_it() -> None:
    from briefing.llm.assemble import assemble

    book = notebook()
    both = book.add_note("Survivors.", ["c1", "c2"])  # a1's claim, then b2's
    reply = ReduceReply.model_validate(
        {
            "headline": "Ferry",
            "bottom_line": {"text": "A ferry sank.", "citations": [{"id": "c1"}]},
            "divergences": [
                {
                    "topic": "Survivors",
                    "kind": "numeric",
                    "versions": [
                        {"text": "Sixty people survived", "citations": [{"id": both.id}]},
                        {"text": "60 survivors", "citations": [{"id": both.id}]},
                    ],
                }
            ],
        }
    )
    articles = list(book.articles.values())
    sections = assemble(reply, book, articles, Accounting(), max_points=8)
    versions = sections.divergences[0].versions
    assert [v.citation.article_id for v in versions] == ["b2", "a1"]


def test_same_span_is_one_claim() -> None:
    book = notebook()
    duplicate = book.claims["c1"].model_copy()
    assert book.add_claim(duplicate) is None
    assert len(book.claims) == 2


def test_citation_resolution_rules() -> None:
    book = notebook()
    accounting = Accounting()
    resolver = CitationResolver(book, accounting)
    by_id, reason = resolver.one(Cite(id="c1"))
    assert reason is None and by_id[0].quote == TEXT[:56]
    quoted, reason = resolver.one(Cite(article_id="a1", quote="the ferry had left port at noon"))
    assert reason is None and quoted[0].quote == "The ferry had left port at noon"
    # A quote given with an id narrows the citation to the quoted words.
    narrowed, _ = resolver.one(Cite(id="c1", quote="pulled 60 survivors from the water"))
    assert narrowed[0].quote == "pulled 60 survivors from the water"
    assert resolver.one(Cite(id="c9"))[1] == "unknown_id"
    assert resolver.one(Cite(article_id="zz", quote="the ferry had left"))[1] == "unknown_article"
    assert resolver.one(Cite(article_id="b2", quote="the ferry had left port"))[1] == (
        "quote_not_found"
    )
    assert resolver.one(Cite())[1] == "empty"
    # The model knows the sources by number: "1", "[1]" or the number in the id field.
    for cite in (Cite(article_id="[1]", quote="the ferry had left port at noon"),
                 Cite(id="1", quote="the ferry had left port at noon")):  # fmt: skip
        cits, reason = resolver.one(cite)
        assert reason is None and cits[0].article_id == "a1"
    assert resolver.one(Cite(article_id="9", quote="the ferry had left"))[1] == "unknown_article"
    resolved = resolver.resolve([Cite(id="c1"), Cite(id="c1"), Cite(id="c9")])
    assert len(resolved) == 1  # duplicates collapse, the unknown id is dropped
    assert accounting.citations_dropped["unknown_id"] == 1


def test_interleave_rotates_and_alternates_sources() -> None:
    notes = [Note(id=f"c{i}", text="", claim_ids=(), article_ids=(src,)) for i, src in
             enumerate("aaabbc", 1)]  # fmt: skip
    assert [n.id for n in interleave(notes, ["a", "b", "c"])] == [
        "c1",
        "c4",
        "c6",
        "c2",
        "c5",
        "c3",
    ]
    rotated = interleave(notes, ["a", "b", "c"], rotation=1)
    assert [n.article_ids[0] for n in rotated][:3] == ["b", "c", "a"]
    # The rotation depends on the content, so sources do not always come in one order.
    rotations = {
        rotation_for([Note(id=f"c{i}{j}", text="", claim_ids=(), article_ids=("a",))], 3)
        for i in range(10)
        for j in range(3)
    }
    assert rotations == {0, 1, 2}


def test_by_topic_gathers_notes_about_one_actor_and_keeps_their_order() -> None:
    def note(i: int, src: str, *actors: str) -> Note:
        return Note(id=f"c{i}", text="", claim_ids=(), article_ids=(src,), actors=actors)

    notes = [
        note(1, "a", "Water Authority", "Orlen"),
        note(2, "b", "Mara Quell"),
        note(3, "c", "Orlen"),
        note(4, "a"),
        note(5, "b", "water authority"),  # case does not split a topic
        note(6, "c", "Mara Quell", "Orlen"),  # Orlen: named by three notes, Quell by two
        note(7, "a", "Dam Board"),  # named once: shares no topic
    ]
    assert [n.id for n in by_topic(notes)] == ["c1", "c3", "c6", "c2", "c5", "c4", "c7"]
    # Ties go to the actor a note lists first; nothing is lost or repeated.
    tie = [note(1, "a", "X", "Y"), note(2, "b", "Y"), note(3, "c", "X")]
    assert [n.id for n in by_topic(tie)] == ["c1", "c3", "c2"]
    assert by_topic([]) == []


def test_a_collapsed_note_names_every_actor_of_its_members() -> None:
    article = Article(id="a1", label=1, title="t", text="The governor spoke. The mayor left.")
    book = Notebook.for_articles([article])
    first = book.add_claim(Claim(text="spoke", actors=["governor"], citation=Citation(
        article_id="a1", start=0, end=19, quote="The governor spoke.")))  # fmt: skip
    second = book.add_claim(Claim(text="left", actors=["mayor", "governor"], citation=Citation(
        article_id="a1", start=20, end=35, quote="The mayor left.")))  # fmt: skip
    assert first is not None and second is not None
    assert first.actors == ("governor",)
    merged = book.add_note("both", [first.id, second.id])
    assert merged.actors == ("governor", "mayor")


# ---------------------------------------------------------------- accounting


def test_prices_table_and_override(tmp_path: Path) -> None:
    table = load_prices(None)
    assert price_for("gpt-4o-mini-2024-07-18", table) == (0.15, 0.60)
    assert price_for("gpt-4o-2024-08-06", table) == (2.50, 10.00)
    assert price_for("llama3.1", table) is None
    custom = tmp_path / "prices.json"
    custom.write_text(json.dumps({"llama3.1": {"input": 0.1, "output": 0.2}}))
    assert price_for("llama3.1:8b", load_prices(custom)) == (0.1, 0.2)
    # A user's entry wins over a longer built-in one it also matches.
    custom.write_text(json.dumps({"gpt": {"input": 1, "output": 2}}))
    assert price_for("gpt-4o-mini", load_prices(custom)) == (1.0, 2.0)
    # A server of one's own bills nobody per token, whatever its model is called.
    assert price_for("gpt-4o-mini", load_prices(None, openai=False)) is None
    assert price_for("gpt-4o-mini", load_prices(custom, openai=False)) == (1.0, 2.0)
    # Each mistake is named in words, never as an exception's class name.
    for text, said in [
        ("[1, 2]", "expected a JSON object like"),
        ('{"m": 3}', "the entry for 'm' is 3; expected prices of 0 or more under \"input\""),
        ('{"m": {"input": 1}}', "the entry for 'm' is"),
        ('{"m": {"input": -5, "output": 0}}', "the entry for 'm' is {\"input\": -5"),
        ('{"m": {"input": 1, "output": "NaN"}}', "expected prices of 0 or more"),
        ("nope", "not JSON (Expecting value at line 1, column 1)"),
    ]:
        custom.write_text(text)
        with pytest.raises(ConfigError) as err:
            load_prices(custom)
        assert said in str(err.value) and "Error" not in str(err.value)
    with pytest.raises(ConfigError, match=r"nope\.json: no such file"):
        load_prices(tmp_path / "nope.json")
    # A fuzzing trial: a folder and /dev/null were "no such file" too.
    with pytest.raises(ConfigError, match=r": a folder; pass a JSON price table"):
        load_prices(tmp_path)
    with pytest.raises(ConfigError, match=r"/dev/null: not a regular file; pass a JSON"):
        load_prices(Path("/dev/null"))


def test_unreachable_advice_names_base_url_only_when_one_was_given() -> None:
    down = _Transient("cannot connect", unreachable=True)
    assert "--base-url" in down.advice("http://h:1/v1", "--base-url")
    assert "is OPENAI_BASE_URL right?" in down.advice("http://h:1/v1", "OPENAI_BASE_URL")
    assert down.advice("https://api.openai.com/v1", None) == (
        "is the network up, and https://api.openai.com/v1 reachable from here?"
    )


def test_usage_line_summarises_the_run() -> None:
    accounting = Accounting()
    accounting.stages["map"].calls = 7
    accounting.stages["map"].cached = 2
    accounting.stages["map"].retries = 3
    accounting.stages["map"].requests = 8
    accounting.tokens("map", 12_345, 2_100)
    accounting.citation("reduce", "quote_not_found")
    usage = accounting.usage(
        model="gpt-4o-mini", endpoint="x", prices=load_prices(None), wall_seconds=4.21, extra={}
    )
    briefing = Briefing(
        headline="h", bottom_line=Point(text="b"), run=RunInfo(engine="llm", usage=usage)
    )
    line = usage_line(briefing)
    assert line.startswith("llm: 7 calls (2 cached, 3 retries), 8 requests")
    single = {**usage, "calls": 1, "retries": 1, "requests": 1}
    one = usage_line(briefing.model_copy(update={"run": RunInfo(engine="llm", usage=single)}))
    assert one.startswith("llm: 1 call (2 cached, 1 retry), 1 request (")
    assert "12,345 prompt + 2,100 completion tokens" in line
    assert "1 citation dropped" in line and "~$0.003" in line and line.endswith("4.2 s")
    redone = {**usage, "repairs": 1, "resplits": 2}
    more = usage_line(briefing.model_copy(update={"run": RunInfo(engine="llm", usage=redone)}))
    assert more.startswith("llm: 7 calls (2 cached, 3 retries, 1 repair, 2 re-splits)")
    replayed = {**usage, "cached": 7, "retries": 0, "requests": 0, "prompt_tokens": 0}
    again = usage_line(briefing.model_copy(update={"run": RunInfo(engine="llm", usage=replayed)}))
    assert again.startswith("llm: 7 calls, all from the cache (no request), 1 citation dropped")
    local = accounting.usage(model="m", endpoint="x", prices={}, wall_seconds=1, extra={})
    assert local["cost_usd"] is None  # not 0.0: nobody knows
    unpriced = briefing.model_copy(update={"run": RunInfo(engine="llm", usage=local)})
    # A server of one's own bills nobody per token: no nagging about a price table.
    assert "cost" not in usage_line(unpriced) and usage_line(unpriced).endswith(" 1.0 s")
    openai_usage = {**local, "endpoint": "https://api.openai.com/v1"}
    new_model = briefing.model_copy(update={"run": RunInfo(engine="llm", usage=openai_usage)})
    assert "cost unknown (no price for m; --prices FILE)" in usage_line(new_model)

"""The library API as the README shows it: its code blocks run as written."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from llm_server import LLMServer

from briefing import (
    InputError,
    LLMConfig,
    abuild_briefing,
    build_briefing,
    load_articles,
    load_texts,
)
from briefing.model import ONE_ARTICLE_WARNING, Briefing

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "halvosk-convoy-strike"


def library_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### As a library", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def run_block(code: str, capsys: pytest.CaptureFixture[str]) -> str:
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    return capsys.readouterr().out


def test_readme_offline_example_runs_as_written(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)  # the README's paths are relative to the checkout
    out = run_block(library_blocks()[0], capsys)
    assert out.startswith("# ") and "[1]" in out and "[4]" in out


def test_readme_llm_example_runs_against_a_local_server(
    llm_server: LLMServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = library_blocks()[1]
    assert "http://localhost:11434/v1" in code and '"articles/"' in code
    code = code.replace("http://localhost:11434/v1", llm_server.url)
    code = code.replace('"articles/"', repr(str(EXAMPLE)))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # the default cache dir, not the user's
    prompt_tokens, cache_hits = run_block(code, capsys).split()
    assert int(prompt_tokens) > 0 and cache_hits == "0"
    assert llm_server.count("reduce") == 1
    assert list(tmp_path.rglob("*.sqlite3"))  # the replies were cached where platformdirs says
    # A second run is served from that cache.
    _, again = run_block(code, capsys).split()
    assert int(again) > 0 and llm_server.count("reduce") == 1


def test_readme_in_memory_example_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_block(library_blocks()[2], capsys)
    assert out.startswith("# Dam gates opened\n")
    assert "Accounts differ on the number of gates" in out


def test_lists_loaded_one_file_at_a_time_are_renumbered() -> None:
    loads = [load_articles([str(path)]) for path in sorted(EXAMPLE.glob("*.*"))]
    articles = [a for one in loads for a in one.articles]
    assert {a.label for a in articles} == {1}  # every separate load starts at [1]
    # Each load of one file says "one article only"; the joined briefing has four.
    assert all(one.warnings == [ONE_ARTICLE_WARNING] for one in loads)
    said: list[str] = []
    b = build_briefing(
        articles,
        engine="offline",
        notes=[n for one in loads for n in one.notes],
        warnings=[w for one in loads for w in one.warnings],
        warn=said.append,
    )
    assert [s.label for s in b.sources] == [1, 2, 3, 4]
    assert [s.id for s in b.sources] == [a.id for a in articles]  # in the order given
    # The renumbering is advice to the programmer, not a note for the briefing's readers.
    assert len(said) == 1 and "renumbered [1]-[4]" in said[0] and "load_texts" in said[0]
    assert not any("renumbered" in note for note in b.run.notes)
    assert ONE_ARTICLE_WARNING not in b.run.warnings
    assert len(b.run.warnings) == len(set(b.run.warnings))
    cited = {c.article_id for p in b.points for c in p.citations}
    assert len(cited) > 1  # sources are told apart again
    with pytest.warns(UserWarning, match="renumbered"):  # no warn callback: a Python warning
        build_briefing(articles, engine="offline")


def test_articles_held_in_memory_load_like_files(tmp_path: Path) -> None:
    files = sorted(EXAMPLE.glob("*.*"))
    by_name = load_texts({p.name: p.read_text(encoding="utf-8") for p in files})
    from_disk = load_articles(files)  # Path objects, as a glob gives them
    assert [a.text for a in by_name.articles] == [a.text for a in from_disk.articles]
    assert [a.outlet for a in by_name.articles] == [a.outlet for a in from_disk.articles]
    # Unnamed texts: no file name to take an outlet from; bytes are decoded like files.
    paragraphs = [
        "The river bridge at Olmen was shut on Monday after inspectors found a crack in a pier.",
        "Traffic was sent through Varde, adding forty minutes to the commute for most drivers.",
        "The county engineer said repairs could take six weeks if the steel arrives on time.",
        "Shop owners on the east bank said trade fell by half on the first day of the closure.",
    ]
    page = (
        "<html><head><title>Bridge shut</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></body></html>"
    )
    text = (
        "Bridge shut\n\nThe Olmen bridge closed on Monday, engineers said. "
        "Caf\u00e9 owners worried."
    )
    loaded = load_texts([page, text.encode("cp1252")])
    assert [a.title for a in loaded.articles] == ["Bridge shut", "Bridge shut"]
    assert "<p>" not in loaded.articles[0].text  # read as a page, not as text
    assert "Café" in loaded.articles[1].text
    assert [a.path for a in loaded.articles] == ["<text 1>", "<text 2>"]
    assert all(a.outlet is None for a in loaded.articles)
    # Syndicated copies merge across texts, as across files.
    twice = load_texts({"a.txt": text, "b.txt": text})
    assert len(twice.articles) == 1 and any(
        "merged exact duplicate b.txt" in n for n in twice.notes
    )
    with pytest.raises(InputError, match="<text 2>: the file is empty"):
        load_texts([text, "  \n"])
    with pytest.raises(TypeError, match="not one string"):
        load_texts(text)  # type: ignore[arg-type]
    # A user trial: a number among the texts raised AttributeError from deep inside.
    with pytest.raises(
        TypeError, match=r"^load_texts takes texts as str or bytes; <text 2> is int"
    ):
        load_texts([text, 1])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"; a\.txt is PosixPath \(for files, use load_articles\)"):
        load_texts({"a.txt": Path("a.txt")})  # type: ignore[dict-item]


def test_async_build_leaves_the_event_loop_free() -> None:
    # The build waits (in its progress callback) until a coroutine on the caller's loop
    # has run: that can only happen if awaiting the build does not block the loop.
    loop_ran = threading.Event()
    waited: list[bool] = []

    def progress(stage: str, done: int, total: int) -> None:
        if not waited:
            waited.append(loop_ran.wait(timeout=30))

    async def meanwhile() -> None:
        loop_ran.set()

    async def main() -> Briefing:
        articles = load_articles([str(EXAMPLE)]).articles
        # The build is scheduled first: a build that blocked the loop would run to its
        # first progress call and wait there with the other task never started.
        build = asyncio.create_task(abuild_briefing(articles, engine="offline", progress=progress))
        other = asyncio.create_task(meanwhile())
        b = await build
        await other
        return b

    b = asyncio.run(main())
    assert waited == [True] and b.points


def test_cancelling_an_async_llm_build_stops_its_requests(tmp_path: Path) -> None:
    # A web handler's timeout cancels the awaiting task: the chain in the worker thread
    # must stop too, not go on to the reduce call (asyncio.run waits for that thread).
    articles = load_articles(EXAMPLE)
    with LLMServer(latency=1.0) as server:
        config = LLMConfig(base_url=server.url, model="m", cache_dir=tmp_path)

        async def handler() -> None:
            task = asyncio.create_task(abuild_briefing(articles, engine="llm", llm_config=config))
            for _ in range(1000):  # until the map requests are at the server
                if server.count("map"):
                    break
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        asyncio.run(handler())
        assert server.count("map") and not server.count("reduce")
    # The same build, not cancelled, gets to the reduce call.
    with LLMServer() as server:
        config = LLMConfig(base_url=server.url, model="m", cache_dir=tmp_path / "2")
        assert asyncio.run(abuild_briefing(articles, engine="llm", llm_config=config)).points
        assert server.count("reduce") == 1


def test_a_load_result_brings_its_notes_along() -> None:
    text = "Dam gates opened\n\nOfficials opened two gates at the Orlen dam on Monday morning."
    loaded = load_texts({"wire.txt": text, "copy.txt": text, "local.txt": text + " Two."})
    assert loaded.notes  # the exact duplicate was merged
    b = build_briefing(loaded, engine="offline")
    assert b.run.notes[: len(loaded.notes)] == loaded.notes
    assert b.sources == build_briefing(loaded.articles, engine="offline").sources
    # As the CLI's --max-points: a whole number of at least 1 (a user trial found 0 taken
    # and "3" failing on a comparison of str and int).
    for wrong in (-1, 0):
        with pytest.raises(ValueError, match=f"max_points must be at least 1, not {wrong}"):
            build_briefing(loaded, engine="offline", max_points=wrong)
    with pytest.raises(TypeError, match="max_points must be a whole number, not str"):
        build_briefing(loaded, engine="offline", max_points="3")  # type: ignore[arg-type]
    # A fuzzing trial: these raised AttributeError from inside the engines.
    with pytest.raises(TypeError, match=r"^title must be a str, not int$"):
        build_briefing(loaded, engine="offline", title=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^llm_config must be an LLMConfig, not str; build"):
        build_briefing(loaded, llm_config="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^max_chars must be a whole number, not str$"):
        load_texts([text], max_chars="5")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^max_chars must be a whole number, not float$"):
        load_articles([str(EXAMPLE)], max_chars=2e6)  # type: ignore[arg-type]
    # A bytearray is bytes that can change: read like bytes.
    assert (
        load_texts({"x.txt": bytearray(text.encode())}).articles[0].text == loaded.articles[0].text
    )


def test_articles_loaded_together_keep_their_numbers() -> None:
    loaded = load_articles([str(EXAMPLE)])
    b = build_briefing(loaded.articles, engine="offline")
    assert [s.label for s in b.sources] == [a.label for a in loaded.articles]
    assert not any("renumbered" in note for note in b.run.notes)


def test_wrong_items_and_repeated_articles_are_clear_errors() -> None:
    articles = load_articles([str(EXAMPLE)]).articles
    with pytest.raises(TypeError, match="item 2 is a str"):
        build_briefing([articles[0], "some text"], engine="offline")  # type: ignore[list-item]
    with pytest.raises(InputError, match="items 1 and 3 are the same article"):
        build_briefing([articles[0], articles[1], articles[0]], engine="offline")
    with pytest.raises(ValueError, match="engine must be one of auto, offline, llm, not 'gpt'"):
        build_briefing(articles, engine="gpt")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no articles to brief"):
        build_briefing([], engine="offline")


def test_one_path_given_as_a_string_is_one_path() -> None:
    # Not a sequence of one-letter paths ("e: no such file or directory").
    by_list = load_articles([str(EXAMPLE)]).articles
    assert load_articles(str(EXAMPLE)).articles == by_list
    assert load_articles(EXAMPLE).articles == by_list


def test_import_briefing_stays_light() -> None:
    heavy = "('openai', 'briefing.llm.config')"
    code = f"import briefing, sys; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    code = "import briefing; print(briefing.LLMConfig.__module__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "briefing.llm.config"


def test_render_works_whether_or_not_a_renderer_module_was_imported_first() -> None:
    # Loading briefing.render.<format> binds the name briefing.render to the package,
    # over the top-level function: both must render.
    code = (
        "import briefing.render.markdown as m\n"
        "from briefing import render, load_articles, build_briefing\n"
        f"b = build_briefing(load_articles([{str(EXAMPLE)!r}]).articles, engine='offline')\n"
        "print(render(b)[:2], render(b, 'html')[:9], m.render_markdown(b)[:2])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["#", "<!doctype", "#"]

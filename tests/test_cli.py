"""The command line as a user meets it: a real subprocess, real files, real exit codes."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.errors import EXIT_CONFIG, EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE
from briefing.model import Briefing

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "halvosk-convoy-strike"

ARTICLE_A = """Ferry capsizes off Lenmark coast

Source: https://coastwatch.example/ferry

A passenger ferry capsized off the Lenmark coast on Saturday, and 14 people died, coast guard
commander Ines Dahl said. Rescue boats pulled 60 survivors from the water.

The ferry had left the port of Ostra shortly before noon with about 80 people on board.
"""

ARTICLE_B = """Lenmark ferry disaster: 11 dead

Source: https://tidings.example/lenmark-ferry

At least 11 people died when a ferry capsized off the Lenmark coast on Saturday, the port
authority said. Rescue boats pulled 60 survivors from the water.

Survivors said the ferry listed sharply in strong wind before it overturned.
"""


def run_cli(
    *args: str,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    stdin: str = "",
    timeout: float = 120,
):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        env=base,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, proc.stderr
    for needle in needles:
        assert needle in errors[0]


@pytest.fixture
def two_articles(tmp_path: Path) -> Path:
    folder = tmp_path / "ferry"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    return folder


def test_help_teaches_with_examples_and_exit_codes() -> None:
    proc = run_cli("build", "--help")
    assert proc.returncode == 0
    for needle in ("examples:", "exit codes:", "--engine", "--base-url", "OPENAI_API_KEY"):
        assert needle in proc.stdout
    # Which file each format writes, so nobody has to run it to find out.
    assert "email <slug>.email.html" in proc.stdout and "eml <slug>.eml" in proc.stdout
    send = run_cli("send", "--help")
    assert send.returncode == 0 and "exit codes:" in send.stdout


def test_version_and_bare_invocation() -> None:
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("briefing ")
    bare = run_cli()
    assert bare.returncode == EXIT_USAGE and "build" in bare.stderr


def test_builds_markdown_and_html_offline_and_says_so(two_articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("build", str(two_articles), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "offline engine" in proc.stderr
    written = [Path(line) for line in proc.stdout.splitlines()]
    assert {p.suffix for p in written} == {".md", ".html"}
    assert all(p.parent == out and p.stat().st_size > 0 for p in written)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)  # no temp files
    umask = os.umask(0)
    os.umask(umask)
    assert {p.stat().st_mode & 0o777 for p in written} == {0o666 & ~umask}  # not private 0600
    markdown = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    assert "[1]" in markdown and "[2]" in markdown


def test_llm_options_on_an_offline_run_are_named_as_unused(two_articles: Path) -> None:
    proc = run_cli("build", str(two_articles), "-o", "-", "-f", "json", "--prompts", "mine",
                   "--concurrency", "3", "--concurrency", "8")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "warning:" in line]
    assert warnings == [
        "briefing: warning: --prompts only applies to the LLM engine; the offline engine ignored it"
    ]  # --concurrency is back at its default: nothing to say about it
    quiet = run_cli("build", str(two_articles), "-o", "-", "-f", "json")
    assert "LLM engine" not in quiet.stderr


def test_json_to_stdout_round_trips(two_articles: Path) -> None:
    proc = run_cli("build", str(two_articles), "-f", "json", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    briefing = Briefing.from_json(proc.stdout)
    assert briefing.run.engine == "offline"
    assert {s.label for s in briefing.sources} == {1, 2}


def test_a_name_with_nothing_to_name_is_said_to_be_unused(two_articles: Path) -> None:
    proc = run_cli("build", str(two_articles), "-f", "json", "-o", "-", "--name", "daily")
    assert proc.returncode == 0, proc.stderr
    assert "warning: --name names output files; with -o - nothing is named" in proc.stderr
    eml = run_cli("build", str(two_articles), "-f", "eml", "-o", "-", "--name", "daily")
    assert eml.returncode == 0 and "--name" not in eml.stderr  # it names the attachment
    assert 'filename="daily.md"' in eml.stdout


def test_a_name_with_a_folder_is_a_usage_error_and_a_changed_name_is_said(
    two_articles: Path, tmp_path: Path
) -> None:
    # "--name daily/today" wrote outputs/daily-today.md without a word.
    out = tmp_path / "out"
    proc = run_cli("build", str(two_articles), "-o", str(out), "--name", "daily/today")
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith(
        "--name 'daily/today' holds a folder; --name is the file name only, put the folder "
        "in -o (-o FOLDER --name NAME)"
    )
    assert not out.exists()
    proc = run_cli(
        "build", str(two_articles), "-o", str(out), "--name", "morning brief", "-f", "md"
    )
    assert proc.returncode == 0, proc.stderr
    assert "--name 'morning brief' is written as 'morning-brief'" in proc.stderr
    assert [p.name for p in out.iterdir()] == ["morning-brief.md"]


def test_several_formats_to_stdout_is_a_usage_error(two_articles: Path) -> None:
    proc = run_cli("build", str(two_articles), "-f", "md,json", "-o", "-")
    assert_one_line_error(proc, EXIT_USAGE, "-o - writes one format to stdout")
    # --send adds the .eml itself, so the error says so rather than "pass a single --format".
    proc = run_cli("build", str(two_articles), "-o", "-", "--send", "--mail-to", "a@b.example")
    assert_one_line_error(proc, EXIT_USAGE, "--send with -o - prints the .eml it sends")


def test_files_of_an_earlier_run_are_said_to_be_replaced(
    two_articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = run_cli("build", str(two_articles), "-o", str(out), "--name", "daily", "-f", "md")
    assert first.returncode == 0 and "replaced" not in first.stderr, first.stderr
    again = run_cli("build", str(two_articles), "-o", str(out), "--name", "daily")
    assert again.returncode == 0, again.stderr
    assert f"replaced daily.md from an earlier run in {out}; pass --name" in again.stderr
    # A user trial: fewer formats the next time left the old .html beside the new .md,
    # unmentioned; a script reading it would read another briefing.
    fewer = run_cli("build", str(two_articles), "-o", str(out), "--name", "daily", "-f", "md", "-q")
    assert fewer.returncode == 0, fewer.stderr
    assert (
        f"briefing: warning: daily.html in {out} is from an earlier run, not this briefing; "
        "delete it, or pass -f with that format too"
    ) in fewer.stderr
    assert "warning" not in again.stderr


def test_a_name_ending_in_a_suffix_is_not_written_twice(two_articles: Path, tmp_path: Path) -> None:
    # "--name y.md" wrote y.md.md and y.md.html.
    out = tmp_path / "out"
    proc = run_cli("build", str(two_articles), "-o", str(out), "--name", "y.md")
    assert proc.returncode == 0, proc.stderr
    assert "--name 'y.md' ends in a suffix, which each format adds: y.md, y.html" in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["y.html", "y.md"]
    proc = run_cli(
        "build", str(two_articles), "-o", str(out), "--name", "z.EMAIL.html", "-f", "email"
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "z.email.html").is_file()
    # A dot that is no suffix stays.
    proc = run_cli("build", str(two_articles), "-o", str(out), "--name", "v1.2", "-f", "md")
    assert proc.returncode == 0 and "suffix" not in proc.stderr
    assert (out / "v1.2.md").is_file()


def test_stdout_with_no_format_given_is_markdown(two_articles: Path, tmp_path: Path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    proc = run_cli("build", str(two_articles), "-o", "-", cwd=here)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# ") and "## Key points" in proc.stdout
    assert not list(here.iterdir())  # nothing written besides stdout


def test_stdin_from_a_terminal_says_it_is_waiting(two_articles: Path) -> None:
    import pty

    main, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    command = ["build", "-", str(two_articles / "b.txt"), "-f", "json", "-o", "-"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", *command],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    os.close(terminal)
    try:
        # The terminal's line discipline ends the input at a Ctrl-D on a line of its own.
        os.write(main, ARTICLE_A.replace("\n", "\r").encode() + b"\r\x04")
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(main)
    assert proc.returncode == 0, err
    assert b"reading an article from the terminal: paste it, then press Ctrl-D" in err
    assert len(Briefing.from_json(out).sources) == 2


def test_stdin_from_a_pipe_says_nothing_of_a_terminal(two_articles: Path) -> None:
    proc = run_cli(
        "build", "-", str(two_articles / "b.txt"), "-f", "json", "-o", "-", stdin=ARTICLE_A
    )
    assert proc.returncode == 0, proc.stderr
    assert "terminal" not in proc.stderr


def test_a_closed_stdout_does_not_stop_the_files_still_to_write(
    two_articles: Path, tmp_path: Path
) -> None:
    # `briefing build ... | head -0`: the reader is gone before the first path is printed.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    out = tmp_path / "out"
    args = ["build", str(two_articles), "-f", "md,html,json", "-o", str(out)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, stderr
    assert "Traceback" not in stderr and "error" not in stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".json", ".md"]


@pytest.mark.parametrize("stdout", ["full", "closed"])
def test_a_briefing_that_cannot_reach_stdout_is_an_output_error(
    two_articles: Path, stdout: str
) -> None:
    # `-o - > /dev/full` or `-o - >&-`: the briefing itself is lost, so it is exit 6 with
    # one line, never an internal error and never the interpreter's own flush complaint.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    cmd = [sys.executable, "-m", "briefing", "build", str(two_articles), "-f", "json", "-o", "-"]
    if stdout == "full":
        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full on this system")
        with open("/dev/full", "wb") as full:
            proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=full, stderr=subprocess.PIPE)
    else:
        proc = subprocess.run(
            cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1)
        )
    stderr = proc.stderr.decode()
    assert proc.returncode == 6, stderr
    (line,) = [ln for ln in stderr.splitlines() if "error" in ln.lower()]
    assert "cannot write the briefing to standard output" in line and "-o DIR" in line
    assert "Traceback" not in stderr and "Exception ignored" not in stderr


def test_example_articles_give_points_and_divergences(tmp_path: Path) -> None:
    proc = run_cli("build", str(EXAMPLE), "-f", "json", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    briefing = Briefing.from_json(proc.stdout)
    assert len(briefing.sources) == 4
    assert briefing.points and briefing.divergences
    cited = {c.article_id for p in briefing.points for c in p.citations}
    assert len(cited) >= 3


def test_stdin_is_an_article(two_articles: Path) -> None:
    proc = run_cli(
        "build", "-", str(two_articles / "b.txt"), "-f", "json", "-o", "-", stdin=ARTICLE_A
    )
    assert proc.returncode == 0, proc.stderr
    assert len(Briefing.from_json(proc.stdout).sources) == 2


def test_single_article_works_and_warns(two_articles: Path) -> None:
    proc = run_cli("build", str(two_articles / "a.txt"), "-f", "json", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    assert "two or more" in proc.stderr
    # The warning qualifies the count, so it comes after it.
    assert proc.stderr.index("read 1 article(s)") < proc.stderr.index("warning: one article")
    assert Briefing.from_json(proc.stdout).divergences == []


def test_missing_path(tmp_path: Path) -> None:
    proc = run_cli("build", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"))
    assert_one_line_error(proc, EXIT_INPUT, "nope.txt")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("empty.txt", b""),
        ("blank.txt", b"   \n\n  \n"),
        ("image.txt", bytes(range(256)) * 40),
        ("junk.txt", b"\x81\x8d\x8f\x90\x9d" * 200),
    ],
)
def test_unusable_files_fail_cleanly(tmp_path: Path, name: str, payload: bytes) -> None:
    bad = tmp_path / name
    bad.write_bytes(payload)
    out = tmp_path / "out"
    proc = run_cli("build", str(bad), "-o", str(out))
    assert_one_line_error(proc, EXIT_INPUT, name)
    assert not out.exists() or not any(out.iterdir())


def test_oversized_article_is_refused_with_a_way_out(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    sentence = "The council met again on Tuesday to discuss the harbour budget. "
    big.write_text("Budget\n\n" + sentence * (10_500_000 // len(sentence)), encoding="utf-8")
    proc = run_cli("build", str(big), "-o", str(tmp_path / "out"))
    assert_one_line_error(proc, EXIT_INPUT, "big.txt", "--max-chars")


def test_engine_llm_without_backend_is_a_config_error(two_articles: Path) -> None:
    proc = run_cli("build", str(two_articles), "--engine", "llm")
    assert_one_line_error(proc, EXIT_CONFIG, "OPENAI_API_KEY", "--base-url")


@pytest.mark.parametrize(
    "flags",
    [
        ("-f", "pdf"),
        ("--max-points", "0"),
        ("--engine", "gpt"),
        ("--bogus",),
        ("--chunk-tokens", "20"),  # below the minimum: a usage error, like 0
        ("--chunk-overlap", "-1"),
        ("--timeout", "nan"),  # passes "<= 0" and crashed the deadline scope
        ("--deadline", "inf"),
    ],
)
def test_usage_errors_are_one_line(two_articles: Path, flags: tuple[str, ...]) -> None:
    proc = run_cli("build", str(two_articles), *flags)
    assert_one_line_error(proc, EXIT_USAGE, "--help")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_abbreviated_flags_are_not_guessed(two_articles: Path) -> None:
    # argparse would take "--json" for "--json-mode" and complain of a missing value.
    proc = run_cli("build", str(two_articles), "--json")
    assert_one_line_error(proc, EXIT_USAGE, "unrecognized arguments: --json")
    # The flags it could have meant are in the build command's help, not the top one's.
    assert "(see briefing build --help)" in proc.stderr


def test_unwritable_output_dir(two_articles: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    proc = run_cli("build", str(two_articles), "-o", str(blocker))
    assert_one_line_error(proc, EXIT_OUTPUT, "taken")


def test_a_format_that_cannot_be_written_leaves_no_other_behind(
    two_articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "b.html").mkdir(parents=True)  # a folder where the HTML should go
    proc = run_cli("build", str(two_articles), "-o", str(out), "--name", "b", "-f", "md,html")
    assert_one_line_error(proc, EXIT_OUTPUT, "b.html is a folder")
    assert [p.name for p in out.iterdir()] == ["b.html"]


def test_duplicate_articles_are_merged_not_counted_twice(two_articles: Path) -> None:
    (two_articles / "a-copy.txt").write_text(ARTICLE_A, encoding="utf-8")
    proc = run_cli("build", str(two_articles), "-f", "json", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    briefing = Briefing.from_json(proc.stdout)
    assert len(briefing.sources) == 2
    # Folders are read in sorted order, so a-copy.txt is the first copy and a.txt the duplicate.
    merged = [d for s in briefing.sources for d in s.duplicates]
    assert len(merged) == 1 and merged[0].endswith("a.txt")
    assert "a.txt" in proc.stderr  # the merge is reported, not silent


def test_many_articles(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    towns = [f"Town{i:03d}" for i in range(200)]
    for i, town in enumerate(towns):
        (folder / f"{i:03d}.txt").write_text(
            f"Storm hits {town}\n\nA storm flooded {town} on Monday and {i + 3} homes were "
            f"damaged, mayor {town}son said. Schools in {town} closed for {i % 5 + 1} days.\n",
            encoding="utf-8",
        )
    proc = run_cli("build", str(folder), "-f", "json", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["sources"]) == 200


def test_stdin_bytes_get_the_same_decoding_as_files(tmp_path: Path) -> None:
    latin1 = "Caf\xe9 fire\n\nThe caf\xe9 on the quay burned on Monday, the owner said.\n"
    proc = subprocess.run(
        [sys.executable, "-m", "briefing", "build", "-", "-f", "json", "-o", "-"],
        input=latin1.encode("latin-1"),
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    briefing = Briefing.from_json(proc.stdout)
    assert briefing.sources[0].title == "Café fire"
    assert "Windows-1252" in proc.stderr.decode()
    binary = subprocess.run(
        [sys.executable, "-m", "briefing", "build", "-"],
        input=bytes(range(256)) * 20,
        capture_output=True,
        timeout=60,
    )
    assert binary.returncode == EXIT_INPUT and b"binary" in binary.stderr


def test_an_empty_output_folder_and_a_closed_stdin_are_usage_errors(tmp_path: Path) -> None:
    # An unset $OUT in `-o "$OUT"` wrote into the working folder without a word.
    assert_one_line_error(run_cli("build", str(EXAMPLE), "-o", "", cwd=tmp_path), 2, "-o is empty")
    assert not list(tmp_path.iterdir())
    # The same for --name "$NAME" and --title "$TITLE": not silently the default.
    for flag in ("--name", "--title"):
        proc = run_cli("build", str(EXAMPLE), flag, " ", "-o", str(tmp_path))
        assert_one_line_error(proc, 2, f"{flag} is empty")
    assert not list(tmp_path.iterdir())
    # `briefing build - ... <&-`: there is no stdin at all (was an internal error).
    proc = subprocess.run(
        [sys.executable, "-m", "briefing", "build", "-", str(EXAMPLE), "-o", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.close(0),
    )
    assert_one_line_error(proc, 2, "stdin is closed")


def test_names_over_the_file_system_limit_get_one_line(two_articles: Path, tmp_path: Path) -> None:
    # A fuzzing trial: a --name, -o or input path over 255 bytes stopped the run as an
    # internal error (OSError: File name too long) once the folder existed.
    out = tmp_path / "out"
    out.mkdir()
    proc = run_cli("build", str(two_articles), "-o", str(out), "--name", "é" * 120)
    assert_one_line_error(proc, EXIT_USAGE, "--name is 240 bytes long; file names hold at most")
    # Just under the limit, the staging file (the name plus ".xxxxxxxx.tmp") fits too.
    proc = run_cli("build", str(two_articles), "-o", str(out), "--name", "n" * 230, "-f", "email")
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in out.iterdir()] == ["n" * 230 + ".email.html"]
    proc = run_cli("build", str(two_articles), "-o", str(tmp_path / ("o" * 300)))
    assert_one_line_error(proc, EXIT_OUTPUT, "cannot write output (File name too long)")
    assert "o" * 161 not in proc.stderr  # the path is shown cut, not in full
    proc = run_cli("build", "a" * 5000, str(two_articles))
    assert_one_line_error(proc, EXIT_INPUT, "…", "cannot read it (File name too long)")


@pytest.mark.parametrize(
    ("redirect", "pipe"),
    [
        ("2>&-", ""),  # stderr closed
        ("2>/dev/full", ""),  # stderr on a full disk
        ("2>&1", "| true"),  # stderr's reader gone (long before Python has started)
    ],
)
def test_stderr_that_cannot_be_written_does_not_stop_the_briefing(
    two_articles: Path, tmp_path: Path, redirect: str, pipe: str
) -> None:
    # A fuzzing trial: each of these ended the run (internal error, or exit 0 from the
    # broken pipe) before the files were written; messages are not the results.
    out, listed, rc = tmp_path / "out", tmp_path / "listed", tmp_path / "rc"
    command = (
        f"{shlex.quote(sys.executable)} -m briefing build {shlex.quote(str(two_articles))} "
        f"-o {shlex.quote(str(out))} --name daily {redirect} > {shlex.quote(str(listed))} "
        f"{pipe}; echo ${{PIPESTATUS[0]}} > {shlex.quote(str(rc))}"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, timeout=120, check=True)
    assert rc.read_text().strip() == "0"
    assert sorted(p.name for p in out.iterdir()) == ["daily.html", "daily.md"]
    assert listed.read_text().split() == [str(out / "daily.md"), str(out / "daily.html")]


def test_ctrl_c_while_the_command_is_still_loading_is_one_line_not_a_traceback() -> None:
    # A fuzzing trial: SIGINT in the first ~90 ms, while modules were still importing,
    # printed a KeyboardInterrupt traceback. Here it arrives during cli's own import.
    code = """
import os, signal, sys

class CtrlCDuringImport:
    def find_spec(self, name, path=None, target=None):
        if name == "briefing.cli":
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlCDuringImport())
from briefing.launch import main
sys.argv = ["briefing", "--version"]
sys.exit(main())
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert (proc.returncode, proc.stderr, proc.stdout) == (130, "briefing: interrupted\n", "")

"""Progress bars go to stderr only when it is a terminal."""

from __future__ import annotations

import io

import pytest

from briefing.progress import TerminalProgress, make_progress


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bars_when_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = make_progress(stream=stream)
    assert not isinstance(progress, TerminalProgress)
    progress("segment", 1, 4)
    assert stream.getvalue() == ""


def test_bars_on_a_terminal_and_off_when_disabled() -> None:
    stream = FakeTTY()
    progress = make_progress(stream=stream)
    assert isinstance(progress, TerminalProgress)
    for done in range(5):
        progress("map", done, 4)
    progress.close()
    drawn = stream.getvalue()
    assert "map" in drawn and "2/4" in drawn
    assert "/s" not in drawn  # no rate: a step is an article in one stage, a call in another
    quiet = FakeTTY()
    make_progress(enabled=False, stream=quiet)("map", 1, 4)
    assert quiet.getvalue() == ""


def test_a_message_while_a_bar_is_drawn_starts_its_own_line() -> None:
    # Printed straight to the stream, the warning would run on from the half-drawn bar.
    stream = FakeTTY()
    progress = make_progress(stream=stream)
    assert isinstance(progress, TerminalProgress)
    progress("map", 0, 9)
    progress.write("briefing: warning: map of [1]: HTTP 429, retrying")
    lines = stream.getvalue().replace("\r", "\n").split("\n")
    assert "briefing: warning: map of [1]: HTTP 429, retrying" in lines
    assert any(line.startswith("map:") for line in lines)  # the bar is drawn again
    progress.close()


def test_the_cli_console_writes_through_the_bars_while_they_are_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from briefing.cli import Console

    stream = FakeTTY()
    console = Console()
    console.progress = make_progress(stream=stream)
    console.progress("map", 0, 9)
    console.warn("map of [1]: HTTP 429, retrying")
    assert "briefing: warning: map of [1]: HTTP 429, retrying\n" in stream.getvalue()
    console.progress = None  # bars closed: straight to stderr again
    console.info("done")
    assert capsys.readouterr().err == "briefing: done\n"

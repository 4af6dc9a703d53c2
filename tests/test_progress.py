"""Progress bars go to stderr only when it is a terminal."""

from __future__ import annotations

import io

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
    assert "map" in stream.getvalue()
    quiet = FakeTTY()
    make_progress(enabled=False, stream=quiet)("map", 1, 4)
    assert quiet.getvalue() == ""

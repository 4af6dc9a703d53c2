"""Progress on stderr for long runs, only when stderr is a terminal.

Stages report ``progress(stage, done, total)``; this turns those calls into one
tqdm bar per stage. tqdm is used because it already handles terminal widths,
rates and clean teardown, and it is imported only when a bar is really shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

ProgressFn = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """Progress nobody watches (a library call, a pipe)."""
    return None


# tqdm's default less its rate: steps differ per stage (articles, calls), so "1.30step/s"
# says nothing; done/total and the time left do.
_BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]"


class TerminalProgress:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            bar = tqdm(
                total=total, desc=stage, file=self._stream, leave=False, bar_format=_BAR_FORMAT
            )
            self._bars[stage] = bar
        bar.total = max(total, 1)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    def write(self, line: str) -> None:
        """A message line while bars may be drawn: the bars are cleared first and drawn
        again below it, so the line does not run on from a half-drawn bar."""
        from tqdm import tqdm

        tqdm.write(line, file=self._stream)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


def make_progress(enabled: bool = True, stream: TextIO | None = None) -> ProgressFn:
    stream = stream or sys.stderr
    if not enabled or stream is None or not stream.isatty():  # None: started with 2>&-
        return no_progress
    return TerminalProgress(stream)

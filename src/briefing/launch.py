"""The ``briefing`` command's entry point.

Ctrl-C while the program is still loading its modules ends it the way a Ctrl-C during
a run does (one line, exit 130), not with a traceback from inside an import: the
handler is in place before anything heavy is imported, and ``cli.main`` then sets the
one a run needs.
"""

from __future__ import annotations

import contextlib
import os
import signal

from .errors import EXIT_INTERRUPTED


def _interrupted_while_loading(signum: int, frame: object) -> None:
    with contextlib.suppress(OSError):  # stderr may be closed
        os.write(2, b"briefing: interrupted\n")
    os._exit(EXIT_INTERRUPTED)


def main() -> int:
    signal.signal(signal.SIGINT, _interrupted_while_loading)
    from .cli import main as run

    return run()

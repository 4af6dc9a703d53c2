"""Run ``tests/llm_server.py`` standalone with a listen backlog big enough for LangChain.

LangChain's async map step opens one connection per document at once (40-80
here); the test server keeps socketserver's default backlog of 5, so most of
those connections are reset. This wrapper raises the backlog and then runs the
server's own ``main`` unchanged (same arguments, same replies, same output).

    python bench/loopback_server.py --port 0 --latency-ms 200
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SERVER = Path(__file__).resolve().parents[1] / "tests" / "llm_server.py"
BACKLOG = 512


def main(argv: list[str] | None = None) -> int:
    spec = importlib.util.spec_from_file_location("llm_server", SERVER)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"cannot load {SERVER}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    module._Server.request_queue_size = BACKLOG
    return int(module.main(argv))


if __name__ == "__main__":
    raise SystemExit(main())

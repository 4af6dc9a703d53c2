"""A counting pass-through proxy in front of the loopback LLM server.

Both chains under test talk to the server through this proxy, so calls, prompt
tokens and call timings are counted in one place, from the request bodies as
sent, with one tokenizer, whichever client library produced them.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Call:
    started: float
    ended: float
    prompt_tokens: int  # messages plus schema
    schema_tokens: int  # of which the response_format schema
    completion_tokens: int
    status: int
    stage: str  # briefing's "STAGE:" marker, or "other" for prompts without one


@dataclass
class WireLog:
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()

    def snapshot(self) -> list[Call]:
        with self.lock:
            return list(self.calls)


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: [{"type": "text", "text": ...}]
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


_STAGE = re.compile(r"^STAGE:\s*(\w+)", re.MULTILINE)


def messages_text(body: dict[str, Any]) -> str:
    return "\n".join(_text_of(m.get("content")) for m in body.get("messages", []))


def schema_text(body: dict[str, Any]) -> str:
    """A structured-output schema sent as response_format: providers bill it as prompt."""
    fmt = body.get("response_format")
    return json.dumps(fmt, separators=(",", ":")) if fmt else ""


def stage_of(text: str) -> str:
    match = _STAGE.search(text)
    return match.group(1).lower() if match else "other"


def reply_text(body: dict[str, Any]) -> str:
    choices = body.get("choices") or [{}]
    return _text_of((choices[0].get("message") or {}).get("content"))


def longest_sequential_chain(calls: list[Call]) -> int:
    """Length of the longest run of calls each starting after the previous one ended:
    the number of round trips that could not overlap."""
    ordered = sorted(calls, key=lambda c: c.ended)
    depth: list[int] = []
    for i, call in enumerate(ordered):
        before = [depth[j] for j in range(i) if ordered[j].ended <= call.started]
        depth.append(1 + max(before, default=0))
    return max(depth, default=0)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Map steps open dozens of connections at once; the default backlog of 5 drops some.
    request_queue_size = 256


class CountingProxy:
    """``with CountingProxy(upstream, count) as proxy:`` then point clients at ``proxy.url``."""

    def __init__(self, upstream: str, count_tokens: Callable[[str], int]) -> None:
        self.upstream = urlsplit(upstream)
        self.count_tokens = count_tokens
        self.log = WireLog()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.upstream.path}"

    def __enter__(self) -> CountingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return None

            def do_POST(self) -> None:
                started = time.perf_counter()
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                conn = http.client.HTTPConnection(
                    proxy.upstream.hostname, proxy.upstream.port, timeout=300
                )
                path = self.path
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                }
                try:
                    conn.request("POST", path, body=raw, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                except OSError as err:  # the upstream went away: tell the client, count it
                    self._fail(started, err)
                    return
                finally:
                    conn.close()
                ended = time.perf_counter()
                try:
                    request = json.loads(raw or b"{}")
                    reply = json.loads(data or b"{}") if resp.status == 200 else {}
                except json.JSONDecodeError:
                    request, reply = {}, {}
                text, schema = messages_text(request), schema_text(request)
                schema_tokens = proxy.count_tokens(schema) if schema else 0
                proxy.log.add(
                    Call(
                        started=started,
                        ended=ended,
                        prompt_tokens=proxy.count_tokens(text) + schema_tokens,
                        schema_tokens=schema_tokens,
                        completion_tokens=proxy.count_tokens(reply_text(reply)),
                        status=resp.status,
                        stage=stage_of(text),
                    )
                )
                self.send_response(resp.status)
                for key, value in resp.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _fail(self, started: float, err: OSError) -> None:
                proxy.log.add(Call(started, time.perf_counter(), 0, 0, 0, 502, "error"))
                body = json.dumps({"error": {"message": f"proxy: upstream failed: {err}"}})
                data = body.encode("utf-8")
                self.send_response(502)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

"""A loopback chat-completions server for tests and benchmarks (standard library only).

It speaks enough of the OpenAI chat-completions API for the real ``openai``
client: ``POST /v1/chat/completions`` (plus ``GET /v1/models``). In its default
"auto" mode it answers ANY map / collapse / reduce request of briefing's chain
with a valid, grounded reply by parsing the prompt (the ``STAGE:`` marker, the
``<<<ARTICLE ...>>>`` / ``<<<NOTES>>>`` / ``<<<SOURCES>>>`` blocks described in
prompts/README.md): map replies quote real sentences of the chunk, collapse
replies merge notes by id, reduce replies cite note ids. A request without a
stage marker (another framework's prompt) gets a short extractive plain-text
summary of its last message (its first 3 sentences), so e.g. a LangChain chain
also runs against it. A map prompt may hold several ARTICLE blocks; each gets
its own claims. ``map_claims=N`` (``--map-claims N``) makes map replies carry
the first N sentences of each block, picked as the plain-text reply picks them,
so a benchmark gives both kinds of client the same information.

Failures are injected by script (``server.inject(...)`` or ``--inject
KIND[:STAGE[:TIMES]]``, STAGE one of map, collapse, reduce, text, or empty or ``any``
for every stage):

    429            HTTP 429 with Retry-After        500       HTTP 500
    slow           reply after ``delay`` seconds    invalid_json  a reply that is not JSON
    unknown_article  a citation to an article id that does not exist
    bad_quote      a quote that is not in the article
    unknown_id     a citation to a note id that does not exist (reduce)
    context_length HTTP 400 context_length_exceeded cutoff    finish_reason=length
    reply          a scripted reply (``content``)   status    any HTTP status (``message``)
    garbage        HTTP 200 whose body is not a chat completion
    raw            ``status``, ``body`` (bytes, sent as they are) and ``headers``, verbatim
    hangup         the connection is closed without a reply (a crash or a dropped link)

With ``honour_max_tokens=True`` (``--honour-max-tokens``) an auto or scripted reply
longer than the request's ``max_tokens`` (4 characters a token) is cut there with
finish_reason=length, as a real server's would be (recorded as injected
"over_limit"). With ``window_counts_reply=True`` (``--window-counts-reply``) the
request's ``max_tokens`` counts against ``max_context_chars`` next to the messages.
A refusal for length states the window and the server's own count of the prompt, as
OpenAI's does; ``token_chars=3`` (``--token-chars 3``) makes that count, and the window
check, take 3 characters a token instead of 4, as a tokenizer unlike the client's would.

Every request is recorded (stage, messages, body, status) with the maximum
number in flight; ``GET /stats`` returns the counts as JSON for other processes.

Standalone::

    python tests/llm_server.py --port 0 --latency-ms 200 [--map-claims 3] [--inject 429:map:2 ...]

prints its base URL (``http://127.0.0.1:PORT/v1``) on the first line of stdout
and serves until interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

KINDS = (
    "429",
    "500",
    "slow",
    "invalid_json",
    "unknown_article",
    "bad_quote",
    "unknown_id",
    "context_length",
    "cutoff",
    "reply",
    "status",
    "garbage",
    "hangup",
    "raw",
)
# What stage_of tells apart; an injection for another name would never fire.
STAGES = ("map", "collapse", "reduce", "text")
ANY_STAGE = "any"  # --inject KIND:any:N, the same as KIND::N
FAKE_ARTICLE_ID = "no-such-article"
CHARS_PER_TOKEN = 4  # how this server counts tokens (usage, max_tokens)
TEXT_SENTENCES = 3  # sentences in a plain-text (non-briefing) reply
FAKE_QUOTE = "the moon was made of green cheese according to every witness"


# ---------------------------------------------------------------- prompt parsing

_STAGE = re.compile(r"^STAGE:\s*(\w+)\s*$", re.MULTILINE)
_ARTICLE = re.compile(
    r"^<<<ARTICLE (?P<attrs>[^\n]*)>>>\n(?P<text>.*?)\n<<<END ARTICLE>>>$", re.S | re.M
)
_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')
_NOTES = re.compile(r"^<<<NOTES[^\n]*>>>\n(?P<body>.*?)\n?<<<END NOTES>>>$", re.S | re.M)
_NOTE_HEAD = re.compile(
    r"^#(?P<id>[A-Za-z]\d+) \[(?P<sources>[^\]]*)\](?: (?P<date>.+?))?: (?P<claim>.*)$"
)
_NUMBER_ITEM = re.compile(
    r'^(?P<value>-?\d+(?:\.\d+)?) (?P<counts>.*?)(?: \(as "(?P<text>.*)"\))?$'
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_COUNTS = {
    **dict.fromkeys(
        ("killed", "killing", "dead", "died", "deaths", "death", "toll", "fatalities"), "killed"
    ),
    **dict.fromkeys(("injured", "wounded", "hurt", "injuries"), "injured"),
    **dict.fromkeys(("arrested", "detained"), "arrested"),
    **dict.fromkeys(("missing",), "missing"),
    **dict.fromkeys(("targets", "sites", "locations"), "targets"),
}
_SMALL_NUMBERS = "two three four five six seven eight nine ten eleven twelve"  # not "one"
_NUMBER_WORDS = {w: float(i) for i, w in enumerate(_SMALL_NUMBERS.split(" "), start=2)}
_UNITS = {"a.m", "p.m", "am", "pm", "km", "kilometres", "kilometers", "miles", "percent", "%"}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"),
        start=1,
    )
}  # fmt: skip
_DATE = re.compile(
    r"\b(?:(?P<m1>[A-Z][a-z]+) (?P<d1>\d{1,2}),? (?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2}) (?P<m2>[A-Z][a-z]+),? (?P<y2>\d{4}))\b"
)
_QUALIFIERS = ("at least", "about", "around", "nearly", "almost", "more than", "over", "some")
_TIME_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|a\.m\.|p\.m\.|"
    r"morning|night|evening|afternoon|yesterday|today|\d{1,2}:\d{2})\b",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"according to (?P<a>[^,.;]+)|(?P<b>(?:[A-Z][\w.’'-]*\s){1,4})(?:said|says|told)\b"
)


def stage_of(body: dict[str, Any]) -> tuple[str, bool]:
    """(stage, is_repair) of a request: the first user message's STAGE marker, else
    the json_schema name, else 'text'."""
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    stage = None
    if users:
        found = _STAGE.search(_content(users[0]))
        stage = found.group(1).lower() if found else None
    repair = len(users) > 1 and "STAGE: repair" in _content(users[-1])
    if stage is None:
        fmt = body.get("response_format") or {}
        name = (fmt.get("json_schema") or {}).get("name", "")
        stage = {"map_notes": "map", "collapse_notes": "collapse", "briefing": "reduce"}.get(
            name, "text"
        )
    return stage, repair


def _content(message: dict[str, Any]) -> str:
    content = message.get("content") or ""
    if isinstance(content, list):  # content parts
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def _first_user(body: dict[str, Any]) -> str:
    for m in body.get("messages", []):
        if m.get("role") == "user":
            return _content(m)
    return ""


def parse_attrs(text: str) -> dict[str, str]:
    out = {}
    for key, raw in _ATTR.findall(text):
        out[key] = json.loads(raw) if raw.startswith('"') else raw
    return out


def parse_articles(prompt: str) -> list[tuple[dict[str, str], str]]:
    return [(parse_attrs(m["attrs"]), m["text"]) for m in _ARTICLE.finditer(prompt)]


def parse_notes(prompt: str) -> list[dict[str, Any]]:
    block = _NOTES.search(prompt)
    if not block:
        return []
    notes: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", block["body"].strip()):
        lines = chunk.strip().splitlines()
        head = _NOTE_HEAD.match(lines[0]) if lines else None
        if not head:
            continue
        note: dict[str, Any] = {
            "id": head["id"],
            "sources": [s.strip() for s in head["sources"].split(",") if s.strip()],
            "claim": head["claim"],
            "by": None,
            # A note states its figures in its text; a "numbers:" line adds the others.
            "numbers": _numbers_in(head["claim"]),
            "date": head["date"],
            "quote": None,
        }
        for line in lines[1:]:
            key, _, value = line.partition(": ")
            if key == "by":
                note["by"] = value
            elif key == "quote":
                note["quote"] = value.strip().strip('"')
            elif key == "numbers":
                for item in value.split("; "):
                    m = _NUMBER_ITEM.match(item.strip())
                    if m:
                        note["numbers"].append(
                            {
                                "value": float(m["value"]),
                                "text": m["text"] or m["value"],
                                "counts": m["counts"],
                            }
                        )
        notes.append(note)
    return notes


# ---------------------------------------------------------------- auto replies


def sentences(text: str) -> list[str]:
    out = []
    for para in text.split("\n"):
        out.extend(s.strip() for s in _SENTENCE_END.split(para) if s.strip())
    return out


def _words(text: str, limit: int) -> str:
    words = text.split()
    return " ".join(words[:limit]) + ("" if len(words) <= limit else " ...")


def _numbers_in(sentence: str) -> list[dict[str, Any]]:
    """Numbers (digits or small number words) and the nearest count word within
    twelve words (ties go to the word before: "killed at least 12 people")."""
    words = sentence.split()
    bare = [w.strip(",.;:()\"'“”’").lower() for w in words]
    found = []
    i = 0
    while i < len(words):
        word = bare[i]
        value = _NUMBER_WORDS.get(word)
        if value is None and re.fullmatch(r"\d[\d,]*(\.\d+)?", word):
            value = float(word.replace(",", ""))
        following = bare[i + 1] if i + 1 < len(bare) else ""
        beside = {following, bare[i - 1] if i else ""}
        is_year = value is not None and re.fullmatch(r"(19|20)\d\d", word) is not None
        if value is None or following in _UNITS or is_year or beside & _MONTHS.keys():
            i += 1
            continue
        qualifier = " ".join(bare[max(0, i - 2) : i])
        qual = next((q for q in _QUALIFIERS if qualifier.endswith(q)), "")
        best: tuple[int, int, str] | None = None
        for j in range(max(0, i - 12), min(len(bare), i + 13)):
            canon = _COUNTS.get(bare[j])
            if canon and j != i:
                rank = (abs(j - i), 0 if j < i else 1, canon)
                best = min(best, rank) if best else rank
        counts = best[2] if best else (following or "items")
        text = f"{qual} {words[i].strip(',.;:')}".strip()
        found.append({"value": value, "text": text, "counts": counts})
        i += 1
    return found


def _date(sentence: str, article_date: str | None) -> str | None:
    """An explicit 'February 2, 2024' as ISO; else the article's date for a sentence
    that names a time ('on Tuesday', '2 a.m.')."""
    for m in _DATE.finditer(sentence):
        month = _MONTHS.get((m["m1"] or m["m2"] or "").lower())
        if month:
            day, year = int(m["d1"] or m["d2"]), int(m["y1"] or m["y2"])
            return f"{year:04d}-{month:02d}-{day:02d}"
    return article_date if article_date and _TIME_WORDS.search(sentence) else None


def _attribution(sentence: str) -> str | None:
    m = _ATTRIBUTION.search(sentence)
    if not m:
        return None
    return (m["a"] or m["b"] or "").strip() or None


# Runs of capitalised words ("Mara Quell", "the Orlen dam" -> "Orlen"): who or what a
# sentence is about, as a model would list its actors; a lone sentence opener is not one.
_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*")
_NOT_NAMES = {"The", "A", "An", "On", "In", "At", "By", "He", "She", "It", "They", "We", "But"}
_NOT_NAMES |= {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def _actors(sentence: str) -> list[str]:
    names = []
    for m in _NAME.finditer(sentence):
        words = m.group().split()
        if words[0] in _NOT_NAMES:
            words = words[1:]
        if words and not (m.start() == 0 and len(words) == 1) and words[0] not in _NOT_NAMES:
            names.append(" ".join(words))
    return list(dict.fromkeys(names))[:4]


def first_sentences(text: str, n: int) -> list[str]:
    """The first ``n`` sentences of five words or more that are not instruction lines
    ("Write a concise summary of the following:"): what a plain-text reply carries."""
    return [s for s in sentences(text) if len(s.split()) >= 5 and not s.endswith(":")][:n]


def auto_map(prompt: str, max_claims: int = 8, *, first: bool = False) -> dict[str, Any]:
    """Claims for every ARTICLE block: up to ``max_claims`` sentences with numbers first
    (they make divergences), or with ``first`` the first ``max_claims`` sentences, picked
    as ``auto_text`` picks a plain-text summary's (a like-for-like benchmark)."""
    claims = []
    for attrs, text in parse_articles(prompt):
        if first:
            picked = first_sentences(text, max_claims)
        else:
            candidates = [s for s in sentences(text) if len(s.split()) >= 5]
            chosen = {s for s in candidates if _numbers_in(s)}
            for s in candidates:
                if len(chosen) >= max_claims:
                    break
                chosen.add(s)
            picked = [s for s in candidates if s in chosen][:max_claims]
        claims.extend(
            {
                "article_id": attrs.get("id", ""),
                "quote": s,
                "text": _words(s, 30),
                "attribution": _attribution(s),
                "numbers": _numbers_in(s),
                "date": _date(s, attrs.get("date")),
                "actors": _actors(s),
            }
            for s in picked
        )
    return {"claims": claims}


def _disagree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Different sources counting the same thing: a divergence to keep apart."""
    if set(a["sources"]) == set(b["sources"]):
        return False
    counts_a = {n["counts"] for n in a["numbers"]}
    return any(n["counts"] in counts_a for n in b["numbers"])


def auto_collapse(prompt: str) -> dict[str, Any]:
    """Shorter notes: neighbours are merged in pairs unless they disagree on a number
    (those stay apart, as the prompt asks); texts are cut to 14 words and quotes
    dropped (the chain keeps them by id)."""
    out: list[dict[str, Any]] = []
    pending: dict[str, Any] | None = None
    for note in parse_notes(prompt):
        if pending is not None and not _disagree(pending, note):
            out.append(
                {
                    "text": _words(pending["claim"], 14),
                    "ids": [pending["id"], note["id"]],
                    "attribution": pending["by"] or note["by"],
                    "numbers": (pending["numbers"] + note["numbers"])[:2],
                    "date": pending["date"] or note["date"],
                }
            )
            pending = None
            continue
        if pending is not None:
            out.append(_alone(pending))
        pending = note
    if pending is not None:
        out.append(_alone(pending))
    return {"notes": out}


def _alone(note: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": _words(note["claim"], 14),
        "ids": [note["id"]],
        "attribution": note["by"],
        "numbers": note["numbers"][:2],
        "date": note["date"],
    }


def _cite(note: dict[str, Any]) -> str:
    return note["id"]  # the reduce schema's citation: a bare note id


def auto_reduce(prompt: str) -> dict[str, Any]:
    notes = parse_notes(prompt)
    m = re.search(r"at most (\d+) key points", prompt)
    max_points = int(m.group(1)) if m else 6
    if not notes:
        empty = {"text": "No notes were given.", "citations": []}
        return {"headline": "No notes", "bottom_line": empty, "points": [], "divergences": [],
                "single_source": [], "timeline": []}  # fmt: skip

    # Divergences: the same thing counted differently by different sources.
    divergences = []
    by_counts: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for note in notes:
        for number in note["numbers"]:
            by_counts.setdefault(number["counts"], []).append((note, number))
    used_in_divergence: set[str] = set()
    for counts, entries in by_counts.items():
        per_source: dict[tuple[str, ...], tuple[dict[str, Any], dict[str, Any]]] = {}
        for note, number in entries:
            per_source.setdefault(tuple(note["sources"]), (note, number))
        versions = list(per_source.values())
        if len(versions) >= 2 and len({num["value"] for _, num in versions}) >= 2:
            divergences.append(
                {
                    "topic": f"How many {counts}",
                    "kind": "numeric",
                    "versions": [
                        {"text": f"{num['text']} {counts}", "citations": [_cite(n)]}
                        for n, num in versions[:5]
                    ],
                    "note": None,
                }
            )
            used_in_divergence.update(n["id"] for n, _ in versions)
        if len(divergences) >= 3:
            break

    # Points: round-robin over sources (the notes arrive interleaved).
    points, used = [], set()
    seen_sources: set[str] = set()
    for note in notes[1:]:  # notes[0] is the bottom line
        if len(points) >= max_points:
            break
        primary = note["sources"][0] if note["sources"] else ""
        if primary in seen_sources and len(seen_sources) < len(
            {s for n in notes for s in n["sources"]}
        ):
            continue
        seen_sources.add(primary)
        points.append({"text": _words(note["claim"], 30), "citations": [_cite(note)]})
        used.add(note["id"])
    for note in notes[1:]:  # fill up with what is left
        if len(points) >= max_points:
            break
        if note["id"] not in used:
            points.append({"text": _words(note["claim"], 30), "citations": [_cite(note)]})
            used.add(note["id"])

    single = [
        {"text": _words(n["claim"], 30), "citations": [_cite(n)]}
        for n in notes
        if len(n["sources"]) == 1 and n["id"] not in used and n["id"] not in used_in_divergence
    ][:3]
    timeline = [
        {
            "when": n["date"],
            "label": n["date"],
            "text": _words(n["claim"], 20),
            "citations": [_cite(n)],
        }
        for n in notes
        if n["date"] and re.match(r"\d{4}-\d{2}-\d{2}", n["date"])
    ][:5]
    first = notes[0]
    return {
        "headline": _words(first["claim"], 12).rstrip(" ."),
        "bottom_line": {"text": first["claim"], "citations": [_cite(first)]},
        "points": points,
        "divergences": divergences,
        "single_source": single,
        "timeline": timeline,
    }


def auto_text(body: dict[str, Any]) -> str:
    """Plain-text reply to a prompt without a stage marker: its first sentences."""
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    text = _content(users[-1]) if users else ""
    return " ".join(first_sentences(text, TEXT_SENTENCES)) or "Nothing to summarise."


def auto_reply(body: dict[str, Any], map_claims: int | None = None) -> str:
    """The auto reply; ``map_claims`` N: map replies carry the first N sentences of each
    article block, as a plain-text reply carries a chunk's first sentences."""
    stage, _ = stage_of(body)
    prompt = _first_user(body)
    if stage == "map":
        if map_claims is not None:
            return json.dumps(auto_map(prompt, map_claims, first=True))
        return json.dumps(auto_map(prompt))
    if stage == "collapse":
        return json.dumps(auto_collapse(prompt))
    if stage == "reduce":
        return json.dumps(auto_reduce(prompt))
    return auto_text(body)


def corrupt(kind: str, stage: str, reply: str, prompt: str = "") -> str:
    """The auto reply with one injected grounding fault."""
    data = json.loads(reply)
    shown = [s for n in parse_notes(prompt) for s in n["sources"]]
    if stage == "map" and data.get("claims"):
        claim = data["claims"][0]
        if kind == "unknown_article":
            claim["article_id"] = FAKE_ARTICLE_ID
        elif kind == "bad_quote":
            claim["quote"] = FAKE_QUOTE
    elif stage == "reduce" and data.get("points"):
        point = data["points"][0]
        real = shown[0] if shown else None
        # The object form (a source number with a verbatim quote) is what a server in
        # json_object or none mode may send; the resolver must ground it all the same.
        if kind == "unknown_article":
            point["citations"] = [{"id": None, "article_id": FAKE_ARTICLE_ID, "quote": FAKE_QUOTE}]
        elif kind == "bad_quote":
            point["citations"] = [{"id": None, "article_id": real, "quote": FAKE_QUOTE}]
        elif kind == "unknown_id":
            point["citations"] = ["c99999"]
    elif stage == "collapse" and data.get("notes") and kind == "unknown_id":
        data["notes"][0]["ids"] = ["c99999"]
    return json.dumps(data)


# ---------------------------------------------------------------- the server


@dataclass
class Injection:
    kind: str
    stage: str | None = None  # map / collapse / reduce / text; None: any
    times: int = 1  # -1: until cleared
    match: str | None = None  # substring of the first user message
    retry_after: float | None = 0
    delay: float = 2.0  # for "slow"
    status: int = 500  # for "status"
    message: str = ""  # for "status": the error message in the body
    plain: bool = False  # for "status": the message is the whole body, not JSON (Go's 404)
    content: str | Callable[[dict[str, Any]], str] | None = None  # for "reply"
    body: bytes | Callable[[dict[str, Any]], bytes] = b""  # for "raw": or made from the request
    headers: dict[str, str] = field(default_factory=dict)  # for "raw"
    repair: bool | None = None  # True: only repair requests; False: only first tries
    used: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown injection {self.kind!r}; one of {', '.join(KINDS)}")
        if self.stage is not None and self.stage not in STAGES:
            raise ValueError(
                f"unknown stage {self.stage!r}; one of {', '.join(STAGES)}, or none for any"
            )


@dataclass
class Recorded:
    stage: str
    repair: bool
    body: dict[str, Any]
    status: int = 0
    injected: str | None = None
    started: float = 0.0
    finished: float = 0.0

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def prompt(self) -> str:
        return _first_user(self.body)


@dataclass
class ServerState:
    latency: float = 0.0
    max_context_chars: int | None = None
    map_claims: int | None = None  # see auto_reply
    # Cut replies longer than the request's max_tokens, as a real server does. Off by
    # default: the auto collapse replies are not written to fit a limit, as a model's are.
    honour_max_tokens: bool = False
    # Count the request's max_tokens against max_context_chars too, as vLLM and OpenAI
    # do; off, only the messages count (as llama.cpp's server does).
    window_counts_reply: bool = False
    token_chars: float = CHARS_PER_TOKEN  # characters a prompt token, in the window check
    injections: list[Injection] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, stage: str, repair: bool, prompt: str) -> Injection | None:
        with self.lock:
            for inj in self.injections:
                if inj.times != -1 and inj.used >= inj.times:
                    continue
                if inj.stage is not None and inj.stage != stage:
                    continue
                if inj.match is not None and inj.match not in prompt:
                    continue
                if inj.repair is not None and inj.repair != repair:
                    continue
                inj.used += 1
                return inj
        return None


def _completion(content: str, model: str, prompt_chars: int, finish: str = "stop") -> dict:
    return {
        "id": f"chatcmpl-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_chars // 4,
            "completion_tokens": len(content) // 4,
            "total_tokens": prompt_chars // 4 + len(content) // 4,
        },
    }


def _error(message: str, kind: str, code: str | None = None) -> dict:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write("llm_server: " + (format % args) + "\n")

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        raw = isinstance(payload, str)
        verbatim = isinstance(payload, bytes)  # an injected "raw" body, headers and all
        data = payload if verbatim else payload.encode() if raw else json.dumps(payload).encode()
        try:
            self.send_response(status)
            if not verbatim or not any(k.lower() == "content-type" for k in headers or {}):
                self.send_header("Content-Type", "text/html" if raw else "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to do

    def do_GET(self) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        if url.path.rstrip("/").endswith("/models"):
            self._send(200, {"object": "list", "data": [{"id": "m", "object": "model"}]})
        elif url.path.rstrip("/") == "/stats":
            self._send(200, stats(state))
            if parse_qs(url.query).get("reset"):
                with state.lock:
                    state.requests.clear()
                    state.max_in_flight = 0
        else:
            self._send(404, _error("not found", "invalid_request_error"))

    def do_POST(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, _error(f"no route {self.path}", "invalid_request_error"))
            return
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            self._send(400, _error("request body is not JSON", "invalid_request_error"))
            return
        stage, repair = stage_of(body)
        record = Recorded(stage=stage, repair=repair, body=body, started=time.monotonic())
        with state.lock:
            state.requests.append(record)
            state.authorizations.append(self.headers.get("Authorization", ""))
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            status, payload, headers, injected = self._answer(state, body, stage, repair)
            record.status, record.injected = status, injected
            if injected == "hangup":
                self.close_connection = True  # no reply at all: the client sees a broken link
                return
            self._send(status, payload, headers)
        finally:
            record.finished = time.monotonic()
            with state.lock:
                state.in_flight -= 1

    def _answer(
        self, state: ServerState, body: dict[str, Any], stage: str, repair: bool
    ) -> tuple[int, Any, dict[str, str], str | None]:
        if state.latency:
            time.sleep(state.latency)
        model = str(body.get("model", "m"))
        prompt_chars = sum(len(_content(m)) for m in body.get("messages", []))
        # In characters of CHARS_PER_TOKEN a token, as max_context_chars is.
        asked = prompt_chars * CHARS_PER_TOKEN / state.token_chars
        reply_limit = _reply_limit(body)
        counts_reply = state.window_counts_reply and isinstance(reply_limit, int)
        if counts_reply:
            asked += reply_limit * CHARS_PER_TOKEN
        too_long = state.max_context_chars is not None and asked > state.max_context_chars
        inj = None if too_long else state.take(stage, repair, _first_user(body))
        kind = inj.kind if inj else None
        if too_long or kind == "context_length":
            # A real refusal states the window this server enforces and its count of the
            # prompt, as OpenAI does; a scripted one, whatever the request's size, no count.
            window, asked_for = 4096, ""
            if too_long and state.max_context_chars:
                window = state.max_context_chars // CHARS_PER_TOKEN
                prompt = int(prompt_chars / state.token_chars)
                asked_for = (
                    f" However, you requested {prompt + reply_limit} tokens ({prompt} in the "
                    f"messages, {reply_limit} in the completion)."
                    if counts_reply
                    else f" However, your messages resulted in {prompt} tokens."
                )
            message = (
                f"This model's maximum context length is {window} tokens.{asked_for} Please "
                "reduce the length of the messages."
            )
            err = _error(message, "invalid_request_error", "context_length_exceeded")
            return 400, err, {}, "context_length"
        if kind == "429":
            headers = {}
            if inj and inj.retry_after is not None:
                headers["Retry-After"] = f"{inj.retry_after:g}"
            err = _error("Rate limit reached, please retry", "requests", "rate_limit_exceeded")
            return 429, err, headers, kind
        if kind == "500":
            return 500, _error("The server had an error", "server_error"), {}, kind
        if kind == "status" and inj:
            message = inj.message or f"injected {inj.status}"
            return inj.status, message if inj.plain else _error(message, "server_error"), {}, kind
        if kind == "garbage":
            return 200, "<html>not a completion</html>", {}, kind
        if kind == "raw" and inj:
            data = inj.body(body) if callable(inj.body) else inj.body
            return inj.status, data, inj.headers, kind
        if kind == "hangup":
            return 0, None, {}, kind
        if kind == "slow" and inj:
            time.sleep(inj.delay)
        if kind == "invalid_json":
            content = '{"claims": [ {"quote": "unterminated'
            return 200, _completion(content, model, prompt_chars), {}, kind
        if kind == "reply" and inj:
            content = inj.content(body) if callable(inj.content) else str(inj.content or "")
        else:
            # A repair request answers the original request.
            content = auto_reply(body, state.map_claims)
            if kind in ("unknown_article", "bad_quote", "unknown_id") and stage != "text":
                content = corrupt(kind, stage, content, _first_user(body))
        if kind == "cutoff":
            return (
                200,
                _completion(content[: len(content) // 2], model, prompt_chars, "length"),
                {},
                kind,
            )
        limit = _reply_limit(body)
        if (
            state.honour_max_tokens
            and isinstance(limit, int)
            and len(content) > limit * CHARS_PER_TOKEN
        ):
            # As a real server does: the reply stops at the limit the request set.
            cut = content[: limit * CHARS_PER_TOKEN]
            return 200, _completion(cut, model, prompt_chars, "length"), {}, "over_limit"
        return 200, _completion(content, model, prompt_chars), {}, kind


def _reply_limit(body: dict[str, Any]) -> Any:
    return body.get("max_completion_tokens") or body.get("max_tokens")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    # LangChain's async map step opens one connection per document at once; the
    # default listen backlog of 5 would reset most of them.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], state: ServerState, verbose: bool) -> None:
        super().__init__(address, Handler)
        self.state = state
        self.verbose = verbose
        self.connections: set[socket.socket] = set()  # open (keep-alive) client connections

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.state.lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.state.lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        """Close every open connection, as a server process that exits does: a client's
        pooled keep-alive connection must not outlive the server."""
        with self.state.lock:
            open_now = list(self.connections)
        for conn in open_now:
            with contextlib.suppress(OSError):  # already closed by the client
                conn.shutdown(socket.SHUT_RDWR)


def stats(state: ServerState) -> dict[str, Any]:
    with state.lock:
        by_stage: dict[str, int] = {}
        for r in state.requests:
            by_stage[r.stage] = by_stage.get(r.stage, 0) + 1
        return {
            "requests": len(state.requests),
            "by_stage": by_stage,
            "repairs": sum(1 for r in state.requests if r.repair),
            "injected": sum(1 for r in state.requests if r.injected),
            "max_in_flight": state.max_in_flight,
        }


class LLMServer:
    """``with LLMServer() as server: ... server.url ...`` (a thread on 127.0.0.1)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        latency: float = 0.0,
        max_context_chars: int | None = None,
        map_claims: int | None = None,
        honour_max_tokens: bool = False,
        window_counts_reply: bool = False,
        token_chars: float = CHARS_PER_TOKEN,
        verbose: bool = False,
    ) -> None:
        self.state = ServerState(
            latency=latency,
            max_context_chars=max_context_chars,
            map_claims=map_claims,
            honour_max_tokens=honour_max_tokens,
            window_counts_reply=window_counts_reply,
            token_chars=token_chars,
        )
        self._httpd = _Server((host, port), self.state, verbose)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> LLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close open connections: the next request is refused."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.drop_connections()

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # scripting
    def inject(
        self, kind: str, stage: str | None = None, times: int = 1, **options: Any
    ) -> Injection:
        injection = Injection(kind=kind, stage=stage, times=times, **options)
        with self.state.lock:
            self.state.injections.append(injection)
        return injection

    def clear(self) -> None:
        with self.state.lock:
            self.state.injections.clear()

    def reset(self) -> None:
        """Forget recorded requests and injections (between two runs of a test)."""
        with self.state.lock:
            self.state.injections.clear()
            self.state.requests.clear()
            self.state.authorizations.clear()
            self.state.max_in_flight = 0

    # inspection
    @property
    def requests(self) -> list[Recorded]:
        with self.state.lock:
            return list(self.state.requests)

    def count(self, stage: str | None = None, *, injected: str | None = None) -> int:
        return sum(
            1
            for r in self.requests
            if (stage is None or r.stage == stage) and (injected is None or r.injected == injected)
        )

    @property
    def max_in_flight(self) -> int:
        return self.state.max_in_flight

    def stats(self) -> dict[str, Any]:
        return stats(self.state)


def parse_injection(spec: str) -> dict[str, Any]:
    """KIND[:STAGE[:TIMES]], e.g. '429:map:2', '500::1' or '500:any:1' (any stage);
    argparse shows the ArgumentTypeError of a bad one as a usage error."""
    parts = spec.split(":")
    if len(parts) > 3:
        raise argparse.ArgumentTypeError(f"{spec!r}: expected KIND[:STAGE[:TIMES]]")
    kind, stage, times = ([*parts, "", ""])[:3]
    if kind not in KINDS:
        raise argparse.ArgumentTypeError(
            f"{spec!r}: unknown kind {kind!r}; one of {', '.join(KINDS)}"
        )
    if stage not in (*STAGES, ANY_STAGE, ""):
        raise argparse.ArgumentTypeError(
            f"{spec!r}: unknown stage {stage!r}; one of {', '.join(STAGES)}, "
            f"or {ANY_STAGE} (or empty) for every stage"
        )
    try:
        count = int(times) if times else 1
    except ValueError:
        count = 0
    if count < 1 and count != -1:
        raise argparse.ArgumentTypeError(
            f"{spec!r}: TIMES must be a positive number, or -1 for every request"
        )
    return {"kind": kind, "stage": None if stage in ("", ANY_STAGE) else stage, "times": count}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay before each reply")
    parser.add_argument(
        "--inject", action="append", default=[], metavar="KIND[:STAGE[:TIMES]]",
        type=parse_injection,
        help=f"inject a failure ({', '.join(KINDS)}) into a stage ({', '.join(STAGES)}; "
        f"empty or {ANY_STAGE}: every stage), TIMES times (default 1, -1: always); repeatable",
    )  # fmt: skip
    parser.add_argument("--retry-after", type=float, default=0, help="Retry-After for 429s")
    parser.add_argument("--max-context-chars", type=int, default=None)
    parser.add_argument(
        "--map-claims", type=int, default=None, metavar="N",
        help="map replies quote the first N sentences of each article block, as plain-text "
        f"replies carry {TEXT_SENTENCES} (default: up to 8, sentences with numbers first)",
    )  # fmt: skip
    parser.add_argument(
        "--honour-max-tokens", action="store_true",
        help="cut replies longer than the request's max_tokens (finish_reason=length)",
    )  # fmt: skip
    parser.add_argument(
        "--window-counts-reply", action="store_true",
        help="count the request's max_tokens against --max-context-chars (as vLLM does)",
    )  # fmt: skip
    parser.add_argument(
        "--token-chars", type=float, default=CHARS_PER_TOKEN, metavar="N",
        help="characters a prompt token in the window check and the count a refusal states "
        f"(default {CHARS_PER_TOKEN}; 3 counts a third more tokens than the client's estimate)",
    )  # fmt: skip
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = parser.parse_args(argv)
    server = LLMServer(
        args.host,
        args.port,
        latency=args.latency_ms / 1000,
        max_context_chars=args.max_context_chars,
        map_claims=args.map_claims,
        honour_max_tokens=args.honour_max_tokens,
        window_counts_reply=args.window_counts_reply,
        token_chars=args.token_chars,
        verbose=args.verbose,
    )
    for options in args.inject:
        if options["kind"] == "429":
            options["retry_after"] = args.retry_after
        server.inject(**options)
    print(server.url, flush=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # SIGTERM (Popen.terminate) stops it like Ctrl-C; a shell's "&" ignores SIGINT.
    signal.signal(signal.SIGTERM, stop)
    try:
        server._httpd.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        print(json.dumps(server.stats()), file=sys.stderr, flush=True)
        server._httpd.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The map-reduce chain: chunks -> grounded claims -> collapse rounds -> one reduce call.

- map: the chunks of all articles are packed into calls of even size (at least
  eight calls, at most one reply reserve of text each: budget.py says why), each
  chunk its own ARTICLE block (concurrent, bounded).
  Every claim names its block's source number and its quote is located in that
  article's text, so a claim's provenance is an article id plus a span computed
  here, and claims are never merged across sources at this step. A call that
  does not fit the model (context-length error, or a reply cut off at the token
  limit) is halved: a pack by its chunks, a lone chunk by its text.
- collapse: when the notes do not fit one reduce call, they are interleaved
  across sources, gathered by the actors they are about (notes.by_topic), packed
  into groups within a budget derived from the context window, and condensed by
  id (a collapsed note lists the ids it stands for).
  Each round must shrink the notes or the run stops; rounds are capped.
- reduce: one call sees all notes, sources interleaved in a content-dependent
  order, and returns the briefing; its citations are resolved and grounded in
  assemble.py.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..chunking import Tokenizer, chunk_article
from ..errors import BackendError
from ..grounding import locate
from ..model import Article, Chunk, Citation, Claim, NumberMention
from ..progress import ProgressFn as Progress
from .accounting import Accounting, counted
from .blocks import article_block, note_lines, notes_block, source_name, sources_block
from .budget import MIN_NOTES_TOKENS, SAFETY, Budget, map_calls, pack, pack_balanced, rounds_at_rate
from .client import ContextTooLong, ReplyCutOff
from .notes import Note, Notebook, by_topic, interleave, rotation_for
from .prompts import PromptSet
from .schema import (
    CollapseNotes,
    MapClaim,
    MapNotes,
    ReduceReply,
    Wire,
    WireNumber,
    format_instructions,
    strict_schema,
)
from .structured import Asker

T = TypeVar("T")
# A collapse group with the model's reply to it (None: the group is kept as is).
Merge = tuple[CollapseNotes | None, list[Note]]
# The claims of one map call, with the articles that call showed (by source number).
Mapped = tuple[dict[str, Article], list[MapClaim]]

MAX_SPLITS = 3  # a chunk or group is halved at most this many times
# A quote a claim rests on is a sentence or two; a long paragraph runs to about 1,000
# characters.
MAX_QUOTE_CHARS = 1_500
# Re-splits a run may make in all, beyond two per chunk: when splitting does not help
# (a server whose window is far smaller than assumed, a model that never stops), each
# halving fans out, and without a cap a few chunks cost hundreds of requests.
SPLIT_ALLOWANCE = 8
MAX_COLLAPSE_ROUNDS = 8
MAX_ACTORS = 6
MAX_REDUCE_SHRINKS = 3  # times the notes are halved after a context-length error at reduce


class NothingGrounded(BackendError):
    """The replies came, and none of them holds a claim to keep: the cache would give
    the same replies again, so a re-run of the same command cannot resume past this."""


async def gather_all(aws: Iterable[Awaitable[T]]) -> list[T]:
    """Run all, let every call finish (so finished replies reach the cache), then
    raise the first failure."""
    results = await asyncio.gather(*aws, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


def _numbers(wire: Sequence[WireNumber]) -> list[NumberMention]:
    return [
        NumberMention(
            value=n.value, text=_written(n.text) or f"{n.value:g}", counts=n.counts.strip()
        )
        for n in wire
        if n.value is not None
    ]


def _written(text: str) -> str:
    """A figure as written, without the quote marks and punctuation a model may copy
    along with it ('23,"')."""
    return " ".join(text.split()).strip(" \"'“”‘’,.;:")


def _optional(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text or None


def _actors(names: Sequence[str]) -> list[str]:
    """Distinct names, whitespace tidied; a model listing a dozen is capped (they
    only steer how the collapse step groups notes)."""
    tidy = (" ".join(n.split()) for n in names)
    return list(dict.fromkeys(n for n in tidy if n))[:MAX_ACTORS]


MESSAGE_FRAMING = 32  # tokens a chat template adds around the messages


def prompt_overhead(
    prompts: PromptSet,
    tokenizer: Tokenizer,
    json_mode: str,
    name: str,
    wire: type[Wire],
    **values: object,
) -> int:
    """Tokens of a stage's prompt without its content: what every call of it costs."""
    filled = {"format": format_instructions(wire, json_mode), "round": 1, "article": ""}
    filled |= {"notes": "", "max_points": 8, "title_hint": "", "sources": ""} | values
    tokens = tokenizer.count(prompts.render("system")) + tokenizer.count(
        prompts.render(name, **filled)
    )
    if json_mode == "schema":
        # The schema sent as response_format counts against the context too.
        tokens += tokenizer.count(json.dumps(strict_schema(wire)))
    return tokens + MESSAGE_FRAMING


STAGE_WIRES: dict[str, type[Wire]] = {
    "map": MapNotes,
    "collapse": CollapseNotes,
    "reduce": ReduceReply,
}


def title_hint(title: str | None) -> str:
    return f"The editor's title for this briefing is: {title}\n" if title else ""


def stage_overheads(
    prompts: PromptSet,
    tokenizer: Tokenizer,
    json_mode: str,
    articles: Sequence[Article],
    *,
    max_points: int,
    title: str | None,
) -> dict[str, int]:
    """Each stage's prompt cost without its content, as this run fills its prompts."""
    values = {
        "max_points": max_points,
        "title_hint": title_hint(title),
        "sources": sources_block(articles),
    }
    return {
        name: prompt_overhead(prompts, tokenizer, json_mode, name, wire, **values)
        for name, wire in STAGE_WIRES.items()
    }


@dataclass(frozen=True)
class Piece:
    """One chunk of one article, as an ARTICLE block of a map call."""

    article: Article
    chunk: Chunk
    part: str  # "2/3": the second of the article's three chunks

    def block(self) -> str:
        return article_block(self.article, self.chunk, self.part)

    def name(self) -> str:
        where = f"chunk {self.part}"
        if "." in self.part:  # a piece of a split chunk: "1/1.2.1" reads as nothing
            where = f"characters {self.chunk.start:,}-{self.chunk.end:,}"
        return f"[{self.article.label}] {source_name(self.article)}, {where}"


def _pack_label(pieces: Sequence[Piece]) -> str:
    # One call carries several chunks: "chunk 1/1 and 1 more chunk" read as a contradiction.
    others = len(pieces) - 1
    more = f" (in one call with {others} other chunk{'s' if others > 1 else ''})" if others else ""
    return f"map of {pieces[0].name()}{more}"


@dataclass
class Chain:
    articles: list[Article]
    prompts: PromptSet
    asker: Asker
    budget: Budget
    tokenizer: Tokenizer
    accounting: Accounting
    chunk_overlap: int
    max_points: int
    title: str | None
    progress: Progress

    def __post_init__(self) -> None:
        self.notebook = Notebook.for_articles(self.articles)
        self.source_order = [a.id for a in self.articles]
        self.chunks = 0
        self.splits_left = SPLIT_ALLOWANCE
        self.notes_dropped = 0
        self.carried_over = 0
        self.overheads = stage_overheads(
            self.prompts,
            self.tokenizer,
            self.asker.config.json_mode,
            self.articles,
            max_points=self.max_points,
            title=self.title,
        )

    # ---- map
    async def map_stage(self) -> None:
        pieces: list[Piece] = []
        for article in self.articles:
            chunks = chunk_article(
                article,
                self.tokenizer,
                max_tokens=self.budget.chunk_tokens,
                overlap_tokens=self.chunk_overlap,
            )
            pieces.extend(Piece(article, c, f"{i}/{len(chunks)}") for i, c in enumerate(chunks, 1))
        self.chunks = len(pieces)
        self.splits_left = SPLIT_ALLOWANCE + 2 * len(pieces)
        # Short chunks share a call: the prompt and schema are paid once per call, not
        # per chunk, and the calls come out even so that they finish together.
        sizes = [self.tokenizer.count(p.block()) for p in pieces]
        calls = map_calls(self.budget, sum(sizes))
        packs = pack_balanced(pieces, sizes, self.budget.map_pack_tokens, calls)
        done = 0
        self.progress("map", 0, len(packs))

        async def one(group: list[Piece]) -> list[Mapped]:
            nonlocal done
            result = await self.map_pack(group, 0)
            done += 1
            self.progress("map", done, len(packs))
            return result

        results = await gather_all(one(g) for g in packs)
        for mapped in results:
            for shown, claims in mapped:
                for wire in claims:
                    self.ground_claim(shown, wire)
        if not self.notebook.claims:
            raise NothingGrounded(
                "the model returned no claim whose quote could be found in the articles; "
                "check that the model follows the prompts (try another --model or --json-mode)"
            )

    async def map_pack(self, pieces: list[Piece], depth: int) -> list[Mapped]:
        """The claims of one map call, with the articles that call showed; a call that
        does not fit is halved (a pack by its chunks, a lone chunk by its text)."""
        # Named by what it holds, so a half of a half reads "characters 0-812", not a
        # chain of "part 1/2 part 2/2".
        label = _pack_label(pieces)
        user = self.prompts.render(
            "map",
            article="\n\n".join(p.block() for p in pieces),
            format=self.asker.format_for(MapNotes),
        )
        try:
            reply = await self.asker.ask(
                MapNotes, stage="map", label=label, user=user, max_tokens=self.budget.map_limit
            )
        except (ContextTooLong, ReplyCutOff) as err:
            self._calibrate(err, user)
            self._take_split(err)
            if len(pieces) > 1:
                self.accounting.stages["map"].resplits += 1
                half = len(pieces) // 2
                parts = await gather_all(
                    self.map_pack(part, depth) for part in (pieces[:half], pieces[half:])
                )
                return [m for p in parts for m in p]
            piece = pieces[0]
            subs = self._split_chunk(piece.article, piece.chunk)
            if depth >= MAX_SPLITS or len(subs) < 2:
                raise BackendError(
                    f"{err}; still too long after splitting the chunk {depth} time(s): "
                    f"{self.accounting.window_advice()}, or a smaller --chunk-tokens"
                ) from None
            self.accounting.stages["map"].resplits += 1
            halves = await gather_all(
                self.map_pack([Piece(piece.article, sub, f"{piece.part}.{i}")], depth + 1)
                for i, sub in enumerate(subs, 1)
            )
            return [m for half in halves for m in half]
        return [({str(p.article.label): p.article for p in pieces}, reply.claims)]

    def _calibrate(self, err: BackendError, user: str) -> None:
        """Set the server's count of a refused prompt against ours, when it states one."""
        if isinstance(err, ContextTooLong) and err.server_prompt:
            ours = self.tokenizer.count(self.asker.system) + self.tokenizer.count(user)
            self.accounting.scale_seen(err.server_prompt, ours + MESSAGE_FRAMING)

    def _take_split(self, err: BackendError) -> None:
        """Spend one re-split of the run's allowance, or end the run saying why."""
        if isinstance(err, ReplyCutOff) and not err.remembered:
            self.accounting.cut_off_splits += 1
        if self.splits_left <= 0:
            made = self.accounting.total("resplits")
            advice = (
                self.accounting.window_advice()
                if isinstance(err, ContextTooLong)
                else "the model does not end its replies; try another model"
            )
            raise BackendError(
                f"{err}; still failing after {made} re-splits in this run, so splitting "
                f"does not help: {advice}"
            ) from None
        self.splits_left -= 1

    def _split_chunk(self, article: Article, chunk: Chunk) -> list[Chunk]:
        sub = article.model_copy(update={"text": chunk.text})
        half = max(8, (chunk.tokens + 1) // 2)
        pieces = chunk_article(sub, self.tokenizer, max_tokens=half)
        return [
            p.model_copy(update={"start": p.start + chunk.start, "end": p.end + chunk.start})
            for p in pieces
        ]

    def ground_claim(self, shown: dict[str, Article], wire: MapClaim) -> None:
        """Locate the claim's quote in the article it names, which must be one the call
        showed (a call showing one article may leave the id out). A claim naming the
        wrong block does not contain that article's words, so it is dropped here:
        packing several articles into a call can lose a claim, never misattribute it."""
        ref = wire.article_id.strip().strip("[]#").strip()
        if not ref and len(shown) == 1:
            ref = next(iter(shown))
        # The blocks are numbered by source number; an article id is accepted too.
        article = shown.get(ref) or next((a for a in shown.values() if a.id == ref), None)
        if article is None:
            self.accounting.citation("map", "unknown_article")
            return
        if len(wire.quote) > MAX_QUOTE_CHARS:
            # Not a quote but a passage, or the article itself: it would "ground" any
            # claim, and matching it loosely costs seconds the deadline cannot stop.
            self.accounting.citation("map", "quote_too_long")
            return
        found = locate(wire.quote, article.text)
        if found is None:
            self.accounting.citation("map", "quote_not_found")
            return
        self.accounting.citation("map", None)
        start, end, _ = found
        self.notebook.add_claim(
            Claim(
                text=" ".join(wire.text.split()) or article.text[start:end],
                citation=Citation(
                    article_id=article.id, start=start, end=end, quote=article.text[start:end]
                ),
                attribution=_optional(wire.attribution),
                numbers=_numbers(wire.numbers),
                date=_optional(wire.date),
                actors=_actors(wire.actors),
            )
        )

    # ---- collapse
    def size(self, note: Note) -> int:
        return self.tokenizer.count(note_lines(note, self.notebook.labels)) + 2

    def total_size(self, notes: Sequence[Note]) -> int:
        return sum(self.size(n) for n in notes)

    async def collapse_stage(self, notes: list[Note], limit: int | None = None) -> list[Note]:
        """Collapse rounds until the notes fit one reduce call (within ``limit`` tokens
        of notes too, when the server turned out to have a smaller window)."""
        reduce_budget = self.budget.reduce_budget(self.overheads["reduce"])
        group_budget = self.budget.collapse_budget(self.overheads["collapse"])
        advice = "pass a larger --context-window or fewer articles"
        if limit is not None:
            reduce_budget, group_budget = min(reduce_budget, limit), min(group_budget, limit)
            # A larger --context-window would make it worse: the server's is smaller.
            advice = (
                "the server refused requests as longer than its context, so its "
                f"window is smaller than assumed: {self.accounting.window_advice()}, or "
                "fewer articles"
            )
        total = self.total_size(notes)
        while total > reduce_budget:
            round_no = self.accounting.collapse_rounds + 1
            if round_no > MAX_COLLAPSE_ROUNDS:
                raise BackendError(
                    f"the notes still do not fit one reduce call after {MAX_COLLAPSE_ROUNDS} "
                    f"collapse rounds; {advice}"
                )
            ordered = by_topic(
                interleave(notes, self.source_order, rotation_for(notes, len(self.articles)))
            )
            groups = pack(ordered, [self.size(n) for n in ordered], group_budget)
            done = 0
            self.progress(f"collapse {round_no}", 0, len(groups))

            async def one(i: int, group: list[Note], n_groups: int, rnd: int) -> list[Merge]:
                nonlocal done
                label = f"collapse round {rnd}, group {i}/{n_groups}"
                result = await self.collapse_group(group, rnd, label, 0)
                done += 1
                self.progress(f"collapse {rnd}", done, n_groups)
                return result

            results = await gather_all(
                one(i, g, len(groups), round_no) for i, g in enumerate(groups, 1)
            )
            # Collapsed notes get their ids here, in group order, not as replies arrive:
            # a re-run replaying the replies from the cache numbers them the same way,
            # so it builds the same later prompts and makes no request.
            new_notes = [
                note
                for merges in results
                for reply, group in merges
                for note in (group if reply is None else self.ground_collapse(reply, group))
            ]
            new_total = self.total_size(new_notes)
            self.accounting.collapse_rounds = round_no
            if new_total >= total:
                if limit is None:
                    # The notes will not get shorter than this: name the window that
                    # holds them in one reduce call, not just "larger".
                    needed = self.budget.reduce_window(self.overheads["reduce"], total)
                    advice = (
                        f"try another --model, or pass --context-window {needed} or more, "
                        "or fewer articles"
                    )
                raise BackendError(
                    f"collapse round {round_no} did not shrink the notes ({total:,} -> "
                    f"{new_total:,} tokens), so the chain would not end; {advice}"
                )
            more = rounds_at_rate(total, new_total, reduce_budget)
            if round_no + more > MAX_COLLAPSE_ROUNDS:
                # Stop now rather than spend the calls of every round up to the limit.
                raise BackendError(
                    f"collapse round {round_no} shrank the notes only to "
                    f"{new_total / total:.0%} of their size ({total:,} -> {new_total:,} "
                    f"tokens); at that rate they need {counted(int(more), 'more round')} to "
                    f"fit one reduce call ({reduce_budget:,} tokens), past the limit of "
                    f"{MAX_COLLAPSE_ROUNDS}; {advice}"
                )
            notes, total = new_notes, new_total
        return notes

    async def collapse_group(
        self, group: list[Note], round_no: int, label: str, depth: int
    ) -> list[Merge]:
        if len(group) < 2:
            return [(None, group)]  # nothing to merge: no call
        user = self.prompts.render(
            "collapse",
            notes=notes_block(group, self.notebook.labels),
            round=round_no,
            format=self.asker.format_for(CollapseNotes),
        )
        try:
            reply = await self.asker.ask(CollapseNotes, stage="collapse", label=label, user=user)
        except (ContextTooLong, ReplyCutOff) as err:
            self._calibrate(err, user)
            if depth >= MAX_SPLITS:
                raise BackendError(
                    f"{err}; still too long after splitting the group {depth} time(s): "
                    f"{self.accounting.window_advice()}"
                ) from None
            self._take_split(err)
            self.accounting.stages["collapse"].resplits += 1
            half = len(group) // 2
            parts = await gather_all(
                self.collapse_group(part, round_no, f"{label} part {i}/2", depth + 1)
                for i, part in enumerate((group[:half], group[half:]), 1)
            )
            return [m for p in parts for m in p]
        return [(reply, group)]

    def ground_collapse(self, reply: CollapseNotes, group: list[Note]) -> list[Note]:
        in_group = {n.id: n for n in group}
        out: list[Note] = []
        for wire in reply.notes:
            members: list[str] = []
            for raw in wire.ids:
                ref = raw.strip().strip("[]#").strip()
                known = ref in in_group
                self.accounting.citation("collapse", None if known else "unknown_id")
                if known and ref not in members:
                    members.append(ref)
            if not members or not wire.text.strip():
                self.notes_dropped += 1
                continue
            out.append(
                self.notebook.add_note(
                    " ".join(wire.text.split()),
                    members,
                    attribution=_optional(wire.attribution),
                    numbers=_numbers(wire.numbers),
                    date=_optional(wire.date),
                )
            )
        # No source may vanish in a collapse: carry one note of a dropped source over as is.
        kept = {aid for n in out for aid in n.article_ids}
        for note in group:
            missing = [aid for aid in note.article_ids if aid not in kept]
            if missing:
                out.append(note)
                kept.update(note.article_ids)
                self.carried_over += 1
        return out

    # ---- reduce
    async def reduce(self, notes: list[Note]) -> ReduceReply:
        ordered = interleave(notes, self.source_order, rotation_for(notes, len(self.articles)))
        user = self.prompts.render(
            "reduce",
            notes=notes_block(ordered, self.notebook.labels),
            sources=sources_block(self.articles),
            max_points=self.max_points,
            title_hint=title_hint(self.title),
            format=self.asker.format_for(ReduceReply),
        )
        self.progress("reduce", 0, 1)
        try:
            reply = await self.asker.ask(
                ReduceReply,
                stage="reduce",
                label="reduce",
                user=user,
                room=self.reply_room(notes),
                max_tokens=self.budget.reduce_limit,
            )
        except ContextTooLong as err:
            self._calibrate(err, user)
            raise
        except ReplyCutOff as err:
            raise BackendError(
                f"{err}; pass a larger --context-window if the model allows it, or a smaller "
                "--max-points"
            ) from None
        self.progress("reduce", 1, 1)
        return reply

    def reply_room(self, notes: list[Note]) -> int:
        """The reply limit a cut-off reduce reply is asked again with: twice the reserve
        (hosted models cap replies well below their window), as far as the window allows
        next to the reduce prompt and these notes."""
        prompt = self.overheads["reduce"] + self.total_size(notes)
        return min(2 * self.budget.reduce_limit, int((self.budget.window - prompt) * SAFETY))

    async def run(self) -> ReduceReply:
        clock = time.monotonic()
        await self.map_stage()
        self._lap("map", clock)
        notes = list(self.notebook.notes.values())
        # A window the server stated when it refused a map call holds the reduce call too.
        limit = self.room_in_server_window()
        for attempt in range(MAX_REDUCE_SHRINKS + 1):
            clock = time.monotonic()
            notes = await self.collapse_stage(notes, limit)
            self._lap("collapse", clock)
            clock = time.monotonic()
            try:
                reply = await self.reduce(notes)
                self._lap("reduce", clock)
                return reply
            except ContextTooLong as err:
                self._lap("reduce", clock)
                limit = self.notes_limit_after_refusal(notes, err, attempt)
        raise AssertionError("unreachable")

    def notes_limit_after_refusal(
        self, notes: list[Note], err: ContextTooLong, attempt: int
    ) -> int:
        """How many tokens of notes the reduce call may carry after the server refused it
        as longer than its context; raises when shrinking the notes cannot help."""
        total = self.total_size(notes)
        reply = self.budget.reduce_limit
        stated = self.accounting.server_window
        scale = self.accounting.server_scale
        prompt = round((self.overheads["reduce"] + total) * (scale or 1.0))
        if stated and prompt + reply <= stated:
            # The call fits the window the server states, reply and all: smaller notes
            # would be refused the same way, so stop at the first refusal.
            counted = (
                "by the server's own count the call fits that window"
                if scale
                else "by our count the call fits that window"
            )
            why = "its" if scale else "the server counts tokens differently or its"
            raise BackendError(
                f"{err}; {counted} ({prompt:,} prompt + {reply:,} reply tokens), so {why} "
                f"window is smaller than it states: pass a --context-window below "
                f"{min(stated, self.budget.window)}"
            ) from None
        if attempt == MAX_REDUCE_SHRINKS:
            raise BackendError(
                f"{err}; the server's context is smaller than assumed: "
                f"{self.accounting.window_advice()}"
            ) from None
        if stated and (scale or prompt <= stated):
            # The room the stated window leaves, in our tokens: collapse just into it, not
            # by halves (each halving is a round of calls, and a coarser summary).
            room = self.room_in_server_window()
            if room is not None:
                return room
        # The server's window is smaller than assumed, or our counts see no room in it
        # (they are estimates): collapse to half the size and ask again.
        return total // 2

    def room_in_server_window(self) -> int | None:
        """Tokens of notes (ours) the reduce call may carry in the window the server
        stated, as the server counts tokens if it said how; None if it stated none, or
        leaves too little room."""
        stated = self.accounting.server_window
        if not stated:
            return None
        scale = self.accounting.server_scale or 1.0
        notes = (stated - self.budget.reduce_limit) / scale - self.overheads["reduce"]
        room = int(notes * SAFETY)
        return room if room >= MIN_NOTES_TOKENS else None

    def _lap(self, stage: str, since: float) -> None:
        self.accounting.stages[stage].seconds += round(time.monotonic() - since, 3)

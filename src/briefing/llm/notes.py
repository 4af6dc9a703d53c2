"""The notebook: every grounded claim and every collapsed note, by id.

Claims come out of the map step with a span computed in code; collapsed notes
only point at the ids they stand for. So however many collapse rounds run, a
note id resolves to the original claims and hence to article ids and spans:
losing the source of a statement in the collapse step is impossible by
construction, and the model never gets to state a span.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..grounding import statement_fit
from ..model import Article, Citation, Claim, NumberMention


@dataclass(frozen=True)
class Note:
    """What the model is shown: a claim (id 'c…') or a collapsed note (id 'n…')."""

    id: str
    text: str
    claim_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    attribution: str | None = None
    numbers: tuple[NumberMention, ...] = ()
    date: str | None = None
    quote: str | None = None  # claims only: the article's own words at the span
    actors: tuple[str, ...] = ()  # who or what the statement is about, as named


@dataclass
class Notebook:
    articles: dict[str, Article]
    claims: dict[str, Claim] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    _spans: set[tuple[str, int, int]] = field(default_factory=set)
    _next_note: int = 1

    @classmethod
    def for_articles(cls, articles: Sequence[Article]) -> Notebook:
        return cls(articles={a.id: a for a in articles})

    def add_claim(self, claim: Claim) -> Note | None:
        """Register a grounded claim; None when the same span is already known
        (overlapping chunks see the same sentence twice)."""
        cit = claim.citation
        key = (cit.article_id, cit.start, cit.end)
        if key in self._spans:
            return None
        self._spans.add(key)
        claim_id = f"c{len(self.claims) + 1}"
        self.claims[claim_id] = claim
        note = Note(
            id=claim_id,
            text=claim.text,
            claim_ids=(claim_id,),
            article_ids=(cit.article_id,),
            attribution=claim.attribution,
            numbers=tuple(claim.numbers),
            date=claim.date,
            quote=cit.quote,
            actors=tuple(claim.actors),
        )
        self.notes[claim_id] = note
        return note

    def add_note(
        self,
        text: str,
        member_ids: Iterable[str],
        *,
        attribution: str | None = None,
        numbers: Iterable[NumberMention] = (),
        date: str | None = None,
    ) -> Note:
        """A collapsed note standing for ``member_ids`` (all known ids)."""
        claim_ids: dict[str, None] = {}
        article_ids: dict[str, None] = {}
        actors: dict[str, None] = {}
        for member in member_ids:
            actors.update(dict.fromkeys(self.notes[member].actors))
            for cid in self.notes[member].claim_ids:
                claim_ids[cid] = None
                article_ids[self.claims[cid].citation.article_id] = None
        note = Note(
            id=f"n{self._next_note}",
            text=text,
            claim_ids=tuple(claim_ids),
            article_ids=tuple(article_ids),
            attribution=attribution,
            numbers=tuple(numbers),
            date=date,
            actors=tuple(actors),
        )
        self._next_note += 1
        self.notes[note.id] = note
        return note

    @cached_property
    def labels(self) -> dict[str, int]:
        """Article id -> the source number the model knows it by."""
        return {aid: a.label for aid, a in self.articles.items()}

    @cached_property
    def _by_number(self) -> dict[str, str]:
        return {str(label): aid for aid, label in self.labels.items()}

    def article_ref(self, ref: str) -> str | None:
        """The article id a model's reference names: a source number ("3", "[3]")
        or an article id; None when it names no article."""
        ref = ref.strip().strip("[]#").strip()
        return ref if ref in self.articles else self._by_number.get(ref)

    def citations(self, note_id: str, statement: str = "") -> list[Citation]:
        """One citation per article behind ``note_id``: the claim that best supports
        ``statement`` (most of its figures, then most shared words), else the first.
        A collapsed note may merge several claims of one article, and "25 injured"
        must show the sentence with the 25, not the article's first claim."""
        best: dict[str, tuple[tuple[int, int], Citation]] = {}
        for cid in self.notes[note_id].claim_ids:
            cit = self.claims[cid].citation
            fit = statement_fit(statement, cit.quote) if statement else (0, 0)
            if cit.article_id not in best or fit > best[cit.article_id][0]:
                best[cit.article_id] = (fit, cit)
        return [cit for _, cit in best.values()]

    def contributing_articles(self) -> set[str]:
        return {c.citation.article_id for c in self.claims.values()}


def rotation_for(notes: Sequence[Note], n_sources: int) -> int:
    """A start offset that depends on the content, so the sources are not always
    presented in the same order, yet a re-run builds the same prompt (and hits the cache)."""
    if n_sources <= 1:
        return 0
    digest = hashlib.sha256("|".join(n.id for n in notes).encode()).digest()
    return int.from_bytes(digest[:4], "big") % n_sources


def interleave(notes: Sequence[Note], source_order: Sequence[str], rotation: int = 0) -> list[Note]:
    """Round-robin over sources (by each note's first article), starting at
    ``source_order[rotation]``, so no source is bunched at the start or the end."""
    order = list(source_order[rotation:]) + list(source_order[:rotation])
    queues: dict[str, list[Note]] = {sid: [] for sid in order}
    for note in notes:
        primary = note.article_ids[0] if note.article_ids else ""
        queues.setdefault(primary, []).append(note)
    out: list[Note] = []
    while any(queues.values()):
        for queue in queues.values():
            if queue:
                out.append(queue.pop(0))
    return out


def by_topic(notes: Sequence[Note]) -> list[Note]:
    """``notes`` regrouped so notes about the same actor sit together, in their given
    order within a group; notes sharing no actor with another note come last.

    A collapse step can only merge the notes it sees in one call: packed by topic,
    the sources' accounts of the same people or bodies meet in one group, where the
    same claim merges and differing versions stand side by side, instead of being
    scattered over groups that each keep their fragment. A note's topic is its
    actor that most notes name (ties: the one it lists first); the order depends
    only on the notes, so a re-run builds the same groups and hits the cache."""
    keys = [[a.casefold() for a in note.actors] for note in notes]
    named = Counter(k for ks in keys for k in dict.fromkeys(ks))
    groups: dict[str | None, list[Note]] = {}
    for note, ks in zip(notes, keys, strict=True):
        shared = [k for k in ks if named[k] >= 2]
        topic = max(shared, key=lambda k: named[k]) if shared else None
        groups.setdefault(topic, []).append(note)
    alone = groups.pop(None, [])
    return [note for group in groups.values() for note in group] + alone

"""Whether a sentence from another source can be cited for a point.

"Its best match in that source" is not enough: the best match can be weak, about
another place, or say the opposite ("did not notify" / "had notified"). A sentence
supports a point only when it is similar enough, gives no clashing count of the same
thing (nor another number for the same word: "14 people" / "9 people"), holds the
words of any quotation the point gives (a source with only "strategic error" does not
back a point quoting "another strategic error by the U.S. government"), puts no
clashing words in another speaker's mouth, nor other words in the same speaker's
("the company said it would appeal" / "... would accept"), takes the same side of any
verb both negate or affirm, and is not a question or a heading. Precision over recall:
a source that has no such sentence is simply not cited.

A point joining several claims needs every claim in the supporting sentence. When
other sources report only its leading claim ("the ministry said its forces carried out
the strike", without "and that the convoy was smuggling weapons"), the point is worded
as that claim and cites them all: fewer words with every source beat more with one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

from ..grounding import locate
from .attribution import Attribution, different_speakers, unrelated
from .claims import lead_claims, leading_claims
from .facts import SentenceFacts
from .figures import Figure, figures_clash
from .grouping import Group
from .leads import LEAD_SENTENCES, Terms, same_fact, terms
from .numbers import Count, bounds_apart, compatible
from .segment import ContentSentence
from .tokens import tokenize
from .vectors import analyze, stem

if TYPE_CHECKING:
    import numpy as np

    from .vectors import SentenceSpace

# Cosine (TF-IDF) a supporting sentence needs; paraphrases of one fact score ~0.35-0.8,
# while sentences sharing only the story's vocabulary ("strikes", "Friday") sit near 0.3.
MIN_SIMILARITY = 0.33
# Enough when both sentences also state the same count of the same thing.
WEAK_SIMILARITY = 0.3
# Below this a match may rest on the story's own words ("US", "strikes", "Saturday"), so
# the core of the claim must agree too: the kind of attack, what the sentence is about.
BORDERLINE_SIMILARITY = 0.4
# How many of a source's closest sentences are tried before the source is left uncited.
TRIES_PER_SOURCE = 3
# A quotation this long (in words) is someone's wording, which a supporter must hold too;
# a shorter one ("a 'terrorist attack'", "a 'strategic error'") is a label that sources
# paraphrase ("an act of terrorism") or share in other sentences.
MIN_QUOTED_WORDS = 4
# How closely the supporter must hold the quotation (``grounding.locate``'s score, which
# also demands its numbers and negations): outlets transcribe one remark a little
# differently ("the F.B.I.", "and it destroyed" / "they destroyed").
QUOTE_COVER = 0.8
_QUOTATION = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")
# A rank ("the first former official charged") is part of the claim: a sentence giving
# another rank ("the fourth person charged") does not back it.
_ORDINAL = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth)\b",
    re.IGNORECASE,
)
_QUOTED_WORD = re.compile(r"\w+")

_NEGATORS = frozenset({"not", "never", "neither", "nor", "cannot"})
_BRIDGE = frozenset(
    {
        "be", "been", "being", "have", "has", "had", "yet", "even", "ever", "actually",
        "properly", "was", "were", "is", "are", "did", "do", "does", "fully", "directly",
        "formally", "officially", "previously", "immediately", "get", "got",
    }
)  # fmt: skip
_RESTRICTIVE = frozenset({"only", "after", "afterwards", "afterward", "subsequently", "once"})
# Verbs of telling someone in advance are one question however they are worded.
_SYNONYMS = {
    "inform": "notify", "notify": "notify", "warn": "notify", "told": "notify",
    "tell": "notify", "alert": "notify", "advis": "notify", "advise": "notify",
    "notifi": "notify", "forewarn": "notify",
}  # fmt: skip
# Verbs of saying: who spoke is the speaker check's business, not polarity's.
_SPEECH = frozenset(
    {
        "report", "say", "said", "state", "claim", "confirm", "announc", "stat", "comment",
        "disclos", "reveal", "specifi", "specify", "elaborat", "mention", "add", "note",
    }
)  # fmt: skip
_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying|ial)|rejected|refuted|dismissed)\b", re.I)
_NEGATION = re.compile(
    r"\b(?:not|never|no|nothing|none|neither|nor|without|cannot)\b|n['’]t\b", re.IGNORECASE
)
# "has not commented": a source saying nothing supports no claim of what was said.
_SILENCE = re.compile(
    r"\b(?:(?:has|have|had|did|does|do)\s+not\s+(?:yet\s+)?(?:commented|responded|"
    r"comment|respond|claimed|claim)|declined\s+to\s+(?:comment|say|confirm|respond)|"
    r"no\s+(?:immediate\s+)?comment|could\s+not\s+be\s+reached|"
    r"did\s+not\s+(?:immediately\s+)?(?:reply|return))\b",
    re.IGNORECASE,
)
# "What isn't clear is why body parts were mailed to Ottawa": the sentence asks what the
# point asserts, so it backs only a point that asks the same.
_UNKNOWN = re.compile(
    r"\b(?:(?:is|was|are|were|remains?|remained|isn['’]t|wasn['’]t)\s+(?:not\s+)?(?:yet\s+)?"
    r"(?:clear|known)|unclear|unknown)\s+(?:(?:is|was)\s+)?"
    r"(?:why|whether|how|what|who|if|when|where)\b",
    re.IGNORECASE,
)
# A point of several claims: each clause of at least MIN_CLAUSE_WORDS content words must
# share CLAUSE_COVER of them with a supporting sentence.
_CLAIM_BREAK = re.compile(
    r"[;:—–]|,\s+(?:and|but|while|whereas|adding)\b|\band\s+(?:that|said|added|says)\b|"
    r"\b(?:while|whereas|but)\b",
    re.IGNORECASE,
)
CLAUSE_COVER = 0.3
MIN_CLAUSE_WORDS = 3
# How an attack was made: "a drone strike" and "a rocket attack" are two events.
_MEANS = frozenset(
    {
        "drone", "rocket", "missile", "mortar", "artillery", "suicide", "car", "truck",
        "grenade", "knife", "gun", "sniper", "ballistic", "cruise", "tank",
    }
)  # fmt: skip
_EVENTS = frozenset(
    {"attack", "strike", "raid", "bombing", "blast", "explosion", "assault", "barrage", "fire"}
)
# "The aftermath of the strikes ...": the sentence is about the aftermath.
_ABOUT = re.compile(
    r"^(?:(?:on|in|at|after|by|late|early|earlier|later)\b[^,]{0,40},\s*)?"
    r"(?:the|a|an)\s+(?:[a-z]+\s+)?(?P<head>[a-z]+)\s+of\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!…][\"'”’»)\]]*$|[\"”’»]$")
# A forecast and a statement of the present are two claims: "economists believe the
# economy will enter a recession next year" is not backed by "the economy is not
# currently in a recession", however many words they share.
_AHEAD = re.compile(
    r"\b(?:will|(?:is|are)\s+(?:expected|forecast|projected|likely|set)\s+to|going\s+to|"
    r"next\s+(?:year|month|week|quarter|spring|summer|autumn|fall|winter))\b",
    re.IGNORECASE,
)
_PRESENT = re.compile(
    r"\b(?:currently|at\s+present|right\s+now|at\s+the\s+moment|as\s+of\s+now|so\s+far)\b",
    re.IGNORECASE,
)

# The words around a report of speech ("The company said it would ...", "..., the
# bishop said."), which two statements of one speaker share whatever they say.
_SAID_LEAD = re.compile(
    r"^[^.;:“”\"]{0,80}?\b(?:said|says|told\s+\w+|announced|stated|added)\b"
    r"(?:\s+(?:on\s+)?\w+day)?(?:\s+that)?\s+",
    re.IGNORECASE,
)
_SAID_TAIL = re.compile(
    r",\s*(?:[^,;:“”\"]{0,60}?\s+)?(?:said|says|added|stated|told\s+\w+)"
    r"(?:\s+[^,;:“”\"]{0,60})?[.!]?[\"”’]?\s*$",
    re.IGNORECASE,
)
# Of what a report of one speaker says was said, the share a supporter reporting that
# speaker must give too.
SAID_COVER = 0.4
# Two reports running word for word over this share of the shorter one are one
# statement's wording: where they then differ, they give two versions of it.
SAID_SAME = 0.5
_SPEECH_WORDS = frozenset({"said", "say", "told", "announc", "stat", "add"})
# Where something happened, as one speaker may be reported to put it two ways.
_COMPASS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western"}
)


@dataclass(frozen=True)
class Said:
    """A report of speech, as content words: the speaker's, what was said, and the whole
    sentence's in order."""

    speaker: frozenset[str]
    body: frozenset[str]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Stance:
    """What a sentence affirms or denies, for the polarity check."""

    verbs: dict[str, bool]  # verb stem -> affirmed (True) or negated (False), first use
    denial: bool  # "denied", "rejected"
    negation: bool  # any negation at all
    silent: bool  # "has not commented"
    heading: bool  # a question or a line without a full stop
    unknown: bool  # "it is not clear why ...": an open question put as a statement
    frame: Literal["ahead", "now"] | None = None  # a forecast, the present stated, neither


@dataclass(frozen=True)
class Core:
    """The words a borderline match must agree on."""

    kinds: frozenset[str]  # "drone" of "a drone strike"
    means: frozenset[str]  # every means of attack named
    about: str | None  # stem of "aftermath" in "The aftermath of ..."


def core(text: str, speaker: tuple[int, int] | None = None) -> Core:
    words = [part for tok in tokenize(text) for part in tok.low.split("-")]
    kinds = frozenset(w for w, nxt in pairwise(words) if w in _MEANS and stem(nxt) in _EVENTS)
    m = _ABOUT.match(text)
    spoken = m is not None and speaker is not None and speaker[0] <= m.start("head") < speaker[1]
    about = stem(m.group("head").lower()) if m and not spoken else None
    return Core(kinds, frozenset(words) & _MEANS, about)


def other_kind(a: Core, b: Core) -> bool:
    """``b`` tells of another kind of attack than ``a``: "a drone strike" / "a rocket
    attack" (one naming both may be telling of both)."""
    return bool(a.kinds - b.means and b.kinds - a.means)


def off_subject(a: Core, b_words: Collection[str]) -> bool:
    """``a`` is about something ``b`` never names: "The aftermath of the strikes began
    emerging" is not about launching them."""
    return a.about is not None and a.about not in b_words


def claim_clauses(text: str) -> list[frozenset[str]]:
    """Content-word stems of each clause of ``text`` that makes a claim of its own."""
    parts = (frozenset(analyze(part)) for part in _CLAIM_BREAK.split(text))
    return [p for p in parts if p]


def _verb(low: str) -> str | None:
    root = stem(low)
    if root in _SYNONYMS:
        return _SYNONYMS[root]
    if low.endswith("ed") and len(low) > 4 and root not in _SPEECH:
        return root
    return None


def stance(text: str) -> Stance:
    tokens = tokenize(text)
    verbs: dict[str, bool] = {}
    for k, tok in enumerate(tokens):
        verb = _verb(tok.low)
        if verb is None or verb in verbs:
            continue
        near = {t.low for t in tokens[max(0, k - 2) : k + 4]}
        if near & _RESTRICTIVE:
            # "were only informed after the strikes" says they were not told beforehand;
            # "launched after the attack" neither affirms nor denies anything.
            if verb == "notify":
                verbs[verb] = False
            continue
        j = k - 1
        while j >= 0 and tokens[j].low in _BRIDGE:
            j -= 1
        low = tokens[j].low if j >= 0 else ""
        negated = j >= k - 4 and (low in _NEGATORS or low.endswith(("n't", "n’t")))
        verbs[verb] = not negated
    stripped = text.rstrip()
    ahead, now = bool(_AHEAD.search(text)), bool(_PRESENT.search(text))
    return Stance(
        verbs=verbs,
        denial=bool(_DENIAL.search(text)),
        negation=bool(_NEGATION.search(text)),
        silent=bool(_SILENCE.search(text)),
        unknown=bool(_UNKNOWN.search(text)),
        heading=stripped.endswith("?") or not _TERMINAL.search(stripped),
        frame="ahead" if ahead and not now else "now" if now and not ahead else None,
    )


def opposed(a: Stance, b: Stance) -> bool:
    """Whether two sentences take opposite sides: one negates what the other affirms, or
    one forecasts what the other states of the present."""
    if any(b.verbs.get(verb, side) != side for verb, side in a.verbs.items()):
        return True
    if a.denial != b.denial and not (a.negation and b.negation):
        return True
    if a.frame and b.frame and a.frame != b.frame:
        return True
    return a.silent != b.silent


def what_was_said(text: str) -> Said | None:
    """Who ``text`` reports saying something and what was said; None if it reports no
    speech, or no speaker."""
    lead = _SAID_LEAD.match(text)
    rest = text[lead.end() :] if lead else text
    tail = _SAID_TAIL.search(rest)
    body = rest[: tail.start()] if tail else rest
    around = (lead.group() if lead else "") + " " + (tail.group() if tail else "")
    speaker = frozenset(analyze(around)) - _SPEECH_WORDS
    if not speaker:
        return None
    return Said(speaker, frozenset(analyze(body)), tuple(analyze(text)))


def says_other(point: Said | None, theirs: Said | None) -> bool:
    """Both report one speaker saying something, and not the same thing: the supporter
    shares too little of what the point says was said, puts it in another part of the
    compass, or runs as the point does and says something else in the same place
    ("would appeal the confiscation" / "would accept the confiscation"). Figures are
    the count checks' business, not this one's."""
    if point is None or theirs is None or not point.speaker <= theirs.speaker:
        return False
    if len(point.body) >= MIN_CLAUSE_WORDS and (
        len(point.body & theirs.body) < SAID_COVER * len(point.body)
    ):
        return True
    mine, other = point.body & _COMPASS, theirs.body & _COMPASS
    if mine and other and not mine & other:
        return True
    opcodes = SequenceMatcher(None, point.words, theirs.words, autojunk=False).get_opcodes()
    same = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
    if same < SAID_SAME * min(len(point.words), len(theirs.words)):
        return False  # two wordings, which the similarity test judges
    return any(
        tag == "replace"
        and not any(w.isdigit() for w in (*point.words[i1:i2], *theirs.words[j1:j2]))
        for tag, i1, i2, j1, j2 in opcodes
    )


def count_key(c: Count) -> tuple[str, str | None, tuple[str, ...]]:
    """What a count counts: objects named across several places (or none) count the
    whole operation; a casualty count is tied to its place."""
    whole = c.who is None and len(c.places) != 1
    return (c.thing, c.who, () if whole else c.places)


# Places the articles say lie inside others: "Rukban in northeast Jordan" -> Rukban: Jordan.
Inside = Mapping[str, str]
_NOWHERE: Inside = {}


def _lifted(places: Sequence[str], inside: Inside) -> set[str]:
    return set(places) | {inside[p] for p in places if p in inside}


def _places_meet(a: tuple[str, ...], b: tuple[str, ...], inside: Inside = _NOWHERE) -> bool:
    if not a or not b:
        return True
    return set(a) <= _lifted(b, inside) or set(b) <= _lifted(a, inside)


def _clash_key(c: Count, inside: Inside) -> tuple[str, str | None, tuple[str, ...]]:
    thing, who, places = count_key(c)
    return thing, who, tuple(sorted({inside.get(p, p) for p in places}))


def counts_clash(a: Sequence[Count], b: Sequence[Count], inside: Inside = _NOWHERE) -> bool:
    """Some count in ``b`` has a value no count of the same thing in ``a`` allows, or is
    a lower bound far from all of theirs ("at least 1,800" / "more than 1,000"), which
    the divergence section shows as another figure."""
    mine: dict[tuple[str, str | None, tuple[str, ...]], list[Count]] = {}
    for c in a:
        mine.setdefault(_clash_key(c, inside), []).append(c)
    for c in b:
        others = mine.get(_clash_key(c, inside))
        if others and not any(
            compatible(o.quantity, c.quantity) and not bounds_apart(o.quantity, c.quantity)
            for o in others
        ):
            return True
    return False


def counts_covered(a: Sequence[Count], b: Sequence[Count], inside: Inside = _NOWHERE) -> bool:
    """Every count the point states is stated by the supporter, with a figure the point's
    allows: "at least 30 injured" may describe the same toll as "about 40 injured" but
    does not say it, nor does "dozens" say "over 30"."""
    return all(
        any(
            same_count(x, y, inside) and x.quantity.low <= y.quantity.value <= x.quantity.high
            for y in b
        )
        for x in a
    )


# Words for what strikes hit, which outlets use for one another: "85 targets", "85
# facilities", "more than 85 locations". One thing only when the figure is the same too,
# since a sentence may give two ("85 targets at seven facilities").
_STRUCK = frozenset({"targets", "sites", "facilities", "locations", "positions"})


def _same_thing(a: Count, b: Count) -> bool:
    return a.thing == b.thing or (
        a.thing in _STRUCK and b.thing in _STRUCK and a.quantity.value == b.quantity.value
    )


def same_count(a: Count, b: Count, inside: Inside = _NOWHERE) -> bool:
    """Both state one amount of one thing: same thing and people, places that meet."""
    return (
        _same_thing(a, b)
        and a.who == b.who
        and _places_meet(a.places, b.places, inside)
        and compatible(a.quantity, b.quantity)
    )


def adds_figures(a: Sequence[Count], b: Sequence[Count]) -> bool:
    """``b`` counts something ``a`` gives no figure for."""
    things = {c.thing for c in a}
    return any(c.thing not in things for c in b)


def shares_count(a: Sequence[Count], b: Sequence[Count], inside: Inside = _NOWHERE) -> bool:
    return any(same_count(x, y, inside) for x in a for y in b)


def _speaker_span(f: SentenceFacts) -> tuple[int, int] | None:
    att = f.attribution
    if att is None or att.pronoun or att.resolved or att.vague:
        return None
    return att.start, att.end


def _span(f: SentenceFacts) -> tuple[int, int] | None:
    return (f.attribution.start, f.attribution.end) if f.attribution is not None else None


def quotations(text: str) -> tuple[str, ...]:
    """The quotations in ``text`` long enough to be someone's wording."""
    found = (a or b for a, b in _QUOTATION.findall(text))
    return tuple(q for q in found if len(_QUOTED_WORD.findall(q)) >= MIN_QUOTED_WORDS)


def ordinals(text: str) -> frozenset[str]:
    return frozenset(m.group().lower() for m in _ORDINAL.finditer(text))


def ranks_clash(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both sentences rank something and share no rank: "the first former official to
    face charges" / "the fourth person charged"."""
    return bool(a and b and not a & b)


def _without(text: str, span: tuple[int, int] | None, gap: str = "") -> str:
    return text[: span[0]] + gap + text[span[1] :] if span else text


@dataclass(frozen=True)
class Stated:
    """What a point states, for the support test: a whole sentence or its leading claims."""

    counts: Sequence[Count]
    attribution: Attribution | None
    stance: Stance
    clauses: list[frozenset[str]]
    core: Core
    figures: Sequence[Figure] = ()
    quotations: tuple[str, ...] = ()
    lead: Terms | None = None  # the content words of a lead's claim (``leads.same_fact``)
    ranks: frozenset[str] = frozenset()  # ``ordinals``
    said: Said | None = None  # ``what_was_said``


class Support:
    """The support test over one article set's sentences."""

    def __init__(
        self,
        sents: Sequence[ContentSentence],
        facts: Sequence[SentenceFacts],
        space: SentenceSpace,
    ) -> None:
        self.sents = sents
        self.facts = facts
        self.sim = space.sim
        self.vectorizer = space.vectorizer
        self.spoken = [_speaker_span(f) for f in facts]
        self.inside: Inside = {
            inner: outer for f in facts for inner, outer in f.within if inner != outer
        }
        # The same sentences without their speakers: "National Security Council spokesman
        # John Kirby said ..." makes two different statements of his look alike.
        self.content = None
        if self.vectorizer is not None and any(self.spoken):
            texts = [_without(s.text, span) for s, span in zip(sents, self.spoken, strict=True)]
            self.content = self.vectorizer.transform(texts).tocsr()
        self._matrix = None  # every sentence's vector, made when a leading claim needs it
        self.stances = [stance(s.text) for s in sents]
        bare = [_without(s.text, span, " ") for s, span in zip(sents, self.spoken, strict=True)]
        self.clauses = [claim_clauses(text) for text in bare]
        self.words = [frozenset(analyze(text)) for text in bare]
        self.said = [what_was_said(s.text) for s in sents]
        by_article: dict[int, list[int]] = {}
        for i, s in enumerate(sents):
            by_article.setdefault(s.article, []).append(i)
        self.by_article = by_article
        self.cores = [core(s.text, _span(f)) for s, f in zip(sents, facts, strict=True)]
        # Each article's lead, and its words without the speaker, for ``leads.same_fact``.
        self.leads = {
            i: terms(text)
            for i, (s, text) in enumerate(zip(sents, bare, strict=True))
            if s.position < LEAD_SENTENCES
        }
        self.stated = [
            Stated(
                f.counts, f.attribution, st, cl, co, f.figures, quotations(s.text),
                self.leads.get(k), ordinals(s.text), self.said[k],
            )
            for k, (s, f, st, cl, co) in enumerate(
                zip(sents, facts, self.stances, self.clauses, self.cores, strict=True)
            )
        ]  # fmt: skip

    def supports(self, i: int, j: int) -> bool:
        """Whether sentence ``j`` can be cited for the point sentence ``i`` states."""
        if i == j:
            return True
        return self.backs(self.stated[i], j, self.similarity(i, j))

    def backs(self, point: Stated, j: int, similarity: float) -> bool:
        """Whether sentence ``j``, ``similarity`` away, can be cited for what ``point``
        states."""
        b = self.facts[j]
        if self.stances[j].heading:
            return False
        if similarity < WEAK_SIMILARITY:
            return False
        shared = shares_count(point.counts, b.counts, self.inside)
        if similarity < MIN_SIMILARITY and not shared:
            return False
        # A figure the point states must be in the cited sentence too: "over 30 injured"
        # is not supported by "many were wounded", nor "85 targets" by "the strikes".
        if not counts_covered(point.counts, b.counts, self.inside):
            return False
        if counts_clash(point.counts, b.counts, self.inside):
            return False
        if figures_clash(point.figures, b.figures):
            return False
        if ranks_clash(point.ranks, self.stated[j].ranks):
            return False
        if not all(locate(q, self.sents[j].text, threshold=QUOTE_COVER) for q in point.quotations):
            return False
        if not self.covers(point.clauses, j):
            return False
        if says_other(point.said, self.said[j]):
            return False
        if similarity < BORDERLINE_SIMILARITY:
            if other_kind(point.core, self.cores[j]):
                return False
            # A count both state makes them one fact whatever the subject's wording.
            if not shared and off_subject(point.core, self.words[j]):
                return False
        x, y = point.attribution, b.attribution
        if x is not None and y is not None:
            if different_speakers(x, y):
                return False
            # "Three were killed and many wounded, the president said" is his statement;
            # "killed three and wounded 25, the military said" is another one.
            if unrelated(x, y) and adds_figures(point.counts, b.counts):
                return False
        mine, theirs = point.stance, self.stances[j]
        if theirs.unknown and not mine.unknown:
            return False
        # A point that something did not happen is supported only by a sentence saying so.
        denied = [verb for verb, side in mine.verbs.items() if not side]
        if denied and not any(theirs.verbs.get(verb) is False for verb in denied):
            return False
        return not opposed(mine, theirs)

    def covers(self, clauses: Sequence[frozenset[str]], j: int) -> bool:
        """Each clause of a point joining several claims ("... carried out the strike and
        that the convoy was smuggling weapons") shares enough words with the supporter:
        overall similarity lets one matching clause carry a second the source never made.
        A one-clause point is held to the same share: a short sentence reaches the
        similarity threshold on one or two words ("Today the Fed has less control")."""
        theirs = self.words[j]
        return all(
            len(clause & theirs) >= CLAUSE_COVER * len(clause)
            for clause in clauses
            if len(clause) >= MIN_CLAUSE_WORDS
        )

    def similarity(self, i: int, j: int) -> float:
        similarity = float(self.sim[i, j])
        if self.content is not None and (self.spoken[i] or self.spoken[j]):
            content = float(self.content[i].multiply(self.content[j]).sum())
            similarity = min(similarity, content)
        return similarity

    def _best_in(self, row: np.ndarray, article: int, backs: Callable[[int], bool]) -> int | None:
        """The closest sentence of ``article`` that ``backs`` a point, if any: only a
        few of the closest are tried before the source is left uncited."""
        own = self.by_article.get(article, [])
        ranked = sorted(own, key=lambda j: (-float(row[j]), j))[:TRIES_PER_SOURCE]
        return next((j for j in ranked if backs(j)), None)

    def _others(self, i: int, best: Callable[[int], int | None]) -> list[int]:
        own = self.sents[i].article
        found = [i]
        for article in sorted(self.by_article):
            if article != own:
                j = best(article)
                if j is not None:
                    found.append(j)
        return found

    def _lead_matches(self, point: Stated) -> set[int]:
        """The other leads that report the fact a lead's point states in their own words
        (``leads.same_fact``)."""
        if point.lead is None:
            return set()
        return {j for j, other in self.leads.items() if same_fact(point.lead, other)}

    @staticmethod
    def _raised(row: np.ndarray, matches: Collection[int]) -> np.ndarray:
        """``row`` (similarities to a point) with ``matches`` raised to MIN_SIMILARITY:
        near enough to be tried and, if the rest of the support test agrees, cited."""
        low = [j for j in matches if row[j] < MIN_SIMILARITY]
        if not low:
            return row
        raised = row.copy()
        raised[low] = MIN_SIMILARITY
        return raised

    def supporters(self, i: int, taken: Collection[int] = ()) -> list[int]:
        """Sentence ``i`` and one supporting sentence per other article, by article;
        none of ``taken`` (sentences cited already for other points)."""
        point = self.stated[i]
        row = self._raised(self.sim[i], self._lead_matches(point))

        def backs(j: int) -> bool:
            similarity = self.similarity(i, j)
            if row[j] > self.sim[i, j]:  # a lead reporting the point's fact
                similarity = max(similarity, float(row[j]))
            return j not in taken and self.backs(point, j, similarity)

        return self._others(i, lambda article: self._best_in(row, article, backs))

    def leading_supporters(
        self, i: int, end: int, taken: Collection[int] = (), *, leads_only: bool = False
    ) -> list[int]:
        """Sentence ``i`` and one sentence per other article supporting its first ``end``
        characters (its leading claims), by article; none of ``taken``. ``leads_only``:
        only other leads reporting the same fact (``leads.same_fact``) may be cited."""
        text = self.sents[i].text[:end]
        f = self.facts[i]
        span = self.spoken[i] if self.spoken[i] and self.spoken[i][1] <= end else None
        att = f.attribution
        att = att if att is not None and att.end <= end else None
        point = Stated(
            [c for c in f.counts if c.end <= end],
            att,
            stance(text),
            claim_clauses(_without(text, span, " ")),
            core(text, (att.start, att.end) if att is not None else None),
            [g for g in f.figures if g.end <= end],
            quotations(text),
            terms(_without(text, span, " ")) if i in self.leads else None,
            ordinals(text),
            what_was_said(text),
        )
        matches = self._lead_matches(point)
        if leads_only and not matches:
            return [i]
        raw, content = self._rows(text, span)
        row = self._raised(raw, matches)

        def similarity(j: int) -> float:
            if row[j] > raw[j]:  # a lead reporting the point's fact
                return float(row[j])
            if content is not None and (span or self.spoken[j]):
                return min(float(raw[j]), float(content[j]))
            return float(raw[j])

        return self._others(
            i,
            lambda article: self._best_in(
                row,
                article,
                lambda j: (
                    j not in taken
                    and (not leads_only or j in matches)
                    and self.backs(point, j, similarity(j))
                ),
            ),
        )

    def _rows(
        self, text: str, span: tuple[int, int] | None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Similarity of a text to every sentence, with and without the speakers."""
        import numpy as np

        if self.vectorizer is None:
            return np.zeros(len(self.sents), dtype=np.float32), None
        if self._matrix is None:
            self._matrix = self.vectorizer.transform([s.text for s in self.sents]).tocsr()
        raw = (self.vectorizer.transform([text]) @ self._matrix.T).toarray().ravel()
        content = None
        if self.content is not None:
            mine = self.vectorizer.transform([_without(text, span)])
            content = (mine @ self.content.T).toarray().ravel()
        return raw, content

    def group(self, i: int, taken: Collection[int] = ()) -> Group:
        """The point sentence ``i`` gives: the whole sentence with the sentences that
        support it, or its leading claims when more sources support those alone (fewer
        words with every source that reports them beat more words with one). None of
        ``taken`` is cited."""
        best = Group(seed=i, members=self.supporters(i, taken))
        if len(best.members) >= len(self.by_article):
            return best
        att = self.facts[i].attribution
        speaker = (att.start, att.end) if att is not None else None
        text = self.sents[i].text
        cuts = [(end, False) for end in leading_claims(text, speaker)]
        if i in self.leads:
            cuts += [(end, True) for end in lead_claims(text, speaker)]
        for end, leads_only in cuts:
            members = self.leading_supporters(i, end, taken, leads_only=leads_only)
            if len(members) > len(best.members):
                best = Group(seed=i, members=members, end=end)
        return best

"""Who a sentence says is making its claim: "according to X", "X said", "..., said X".

The result keeps the speaker as written plus the identifying words used to decide
whether two speakers are the same: the personal name for people ("Gen. Veyrin" and
"Military spokesman Gen. Tomas Veyrin" share "veyrin"), the institution words for
bodies ("the ministry" is part of "the Defence Ministry"). Vague speakers
("officials", "sources") are kept but never compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from briefing.sources.metadata import MONTH_NUMBERS

from .dates import WEEKDAYS
from .tokens import Token, tokenize
from .vectors import stop_words

_SAY = frozenset(
    {
        "said", "says", "say", "told", "tells", "announced", "announces", "stated", "states",
        "claimed", "claims", "added", "adds", "noted", "notes", "confirmed", "confirms",
        "insisted", "warned", "argued", "explained", "alleged", "reported", "reports",
        "wrote", "declared", "acknowledged", "admitted", "denied", "asserted", "maintained",
        "tweeted", "posted", "insists", "warns", "stressed", "emphasised", "emphasized",
        "vowed", "pledged", "promised", "predicted", "predicts", "testified", "conceded",
        "suggested", "disclosed",
    }
)  # fmt: skip
_ROLES = frozenset(
    {
        "spokesman", "spokeswoman", "spokesperson", "minister", "ministry", "official",
        "officials", "government", "military", "agency", "director", "head", "chief",
        "coordinator", "deputy", "secretary", "president", "commander", "representative",
        "department", "office", "council", "army", "police", "command", "forces", "force",
        "authorities", "authority", "service", "services", "directorate", "observatory",
        "staff", "administration", "mayor", "governor", "leader", "ambassador", "envoy",
        "general", "adviser", "advisor", "prosecutor", "court", "statement", "group",
        "organisation", "organization", "committee", "sources", "source", "residents",
        "witnesses", "analysts", "experts", "observers", "media", "hospital", "medics",
        "doctors", "relatives", "families", "activists", "lawmakers", "senator", "member",
        "members", "spokespeople", "embassy", "regime", "state", "foreign", "interior",
        "defence", "defense", "national", "security", "of", "the", "for", "and", "local",
        "health", "regional", "senior", "top", "former", "its", "his", "her", "their",
        "commissioner", "superintendent", "inspector", "chancellor", "company", "firm",
        "airline", "operator", "owner", "manager", "lawyer", "lawyers", "attorney",
        "attorneys", "judge", "judges", "union", "coalition", "witness", "neighbour",
        "neighbor", "person",
    }
)  # fmt: skip
_HONORIFICS = frozenset(
    {
        "gen", "general", "dr", "mr", "mrs", "ms", "col", "lt", "maj", "capt", "sgt", "adm",
        "prof", "sir", "lieutenant", "colonel", "major", "captain", "rep", "sen", "gov",
        "president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson",
        "commander", "chief", "director", "deputy", "prime", "foreign", "interior", "defence",
        "defense", "military", "national", "security", "state", "coordinator",
    }
)  # fmt: skip
# Personal titles only: "Defence" or "Interior" tell two ministries apart, "Gen." does not.
_TITLES = frozenset(
    {
        "gen", "general", "dr", "mr", "mrs", "ms", "col", "lt", "maj", "capt", "sgt", "adm",
        "prof", "sir", "lieutenant", "colonel", "major", "captain", "rep", "sen", "gov",
    }
)  # fmt: skip
_VAGUE = frozenset(
    {
        "officials", "official", "sources", "source", "residents", "witnesses", "analysts",
        "experts", "observers", "media", "reports", "relatives", "families", "activists",
        "medics", "doctors", "people", "some", "others", "it", "this", "that", "they",
        "authorities", "witness", "neighbour", "neighbor", "person",
    }
)  # fmt: skip
_PRONOUNS = frozenset({"he", "she"})
_INSTITUTIONS = frozenset(
    {
        "ministry", "command", "council", "department", "office", "forces", "force", "army",
        "observatory", "nations", "government", "directorate", "agency", "house", "front",
        "brigade", "brigades", "committee", "organisation", "organization", "party",
        "assembly", "parliament", "post", "news", "times", "pentagon", "kremlin", "military",
        "police", "service", "commission", "court", "union", "centcom", "guard", "guards",
        "corps", "mobilization", "mobilisation", "unit", "units", "hospital", "authority",
        "embassy", "administration", "state", "states", "herald", "wire", "press",
        "company", "firm", "airline", "coalition",
    }
)  # fmt: skip
_NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "der", "da", "abu"})
_ALIASES = {"u.s.": "us", "u.s": "us", "usa": "us", "u.k.": "uk", "u.n.": "un"}
_ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)
# "claimed" ("claims") also means "took": "claimed victory", "claimed unchallenged control of the
# party", "claimed the lives of three", "claimed more than 40 lives". Said of a thing
# taken (past a determiner, a number or one lower-case modifier that is no subject),
# it names no speaker; "claimed that ...", "claimed the vote was rigged" and "..., he
# claimed." still do.
_TAKING_VERBS = frozenset({"claimed", "claims"})
_TAKEN_DETERMINER = (
    r"(?:the|a|an|his|her|their|its|our|full|sole|joint|more|than|at|least|some|about|"
    r"nearly|over|almost|\d[\d,.]*)\s+"
)
_TAKEN = re.compile(
    rf"\s+(?:{_TAKEN_DETERMINER})*(?:(?!(?:that|he|she|they|it|we|i|you)\b)[a-z][\w'’-]*\s+)?"
    rf"(?:{_TAKEN_DETERMINER})*(?:responsibility|credit|victory|victories|control|titles?|"
    r"lives|life|victims?|seats?|crowns?)\b(?!\s+(?:was|were|is|are|had|has|have|would|will)\b)"
)


@dataclass(frozen=True)
class Attribution:
    speaker: str  # as written: "Interior Minister Anselm Roake"
    start: int  # span of the speaker in the sentence
    end: int
    person: frozenset[str]  # lower-cased personal-name words: {"anselm", "roake"}
    body: frozenset[str]  # lower-cased institution words: {"defence", "ministry"}
    pronoun: bool = False
    names: frozenset[str] = frozenset()  # capitalised words of a body: {"white", "house"}
    ambiguous: bool = False  # the sentence quotes someone else too
    resolved: bool = False  # a "he said" taken to mean the last person named before it

    @property
    def vague(self) -> bool:
        if self.person:
            return False
        # "Iraq says", "Baghdad said": a country or capital stands for someone unnamed.
        if not self.body & (_ROLES | _INSTITUTIONS):
            return True
        return not (self.body - _VAGUE - _ROLES_GENERIC)


_ROLES_GENERIC = frozenset(
    {"the", "of", "for", "and", "its", "his", "her", "their", "a", "an", "one", "another"}
)


def same_speaker(a: Attribution, b: Attribution) -> bool:
    if a.person and b.person:
        return bool(a.person & b.person)
    if a.person or b.person:
        return False
    if a.names and b.names:
        # "White House spokesperson" / "representative for the White House": one body.
        small, large = sorted((a.names, b.names), key=len)
        if small <= large:
            return True
        # "CENTCOM" / "U.S. Central Command", "PMF" / "Popular Mobilization Forces".
        return any(
            _abbreviates(word, [w for w in _ordered(other) if w != word])
            for mine, other in ((a, b), (b, a))
            for word in mine.names
            if word.upper() in mine.speaker  # written as an acronym: "CENTCOM", "PMF"
        )
    small, large = sorted((a.body - _ROLES_GENERIC, b.body - _ROLES_GENERIC), key=len)
    return small <= large


def _ordered(att: Attribution) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w.'-]+", att.speaker) if w.lower() in att.names]


def _abbreviates(short: str, words: list[str]) -> bool:
    """Whether ``short`` is built from prefixes of ``words`` in order ("centcom")."""
    if len(short) < 3 or len(words) < 2:
        return False

    def walk(rest: str, k: int, used: int, size: int) -> bool:
        # Chunks are all initials ("pmf") or all syllables of 3+ letters ("cent-com").
        if not rest:
            return used >= 2
        for j in range(k, len(words)):
            word = words[j]
            for n in range(min(len(word), len(rest)), 0, -1):
                fits = n == 1 if size == 1 else n >= 3
                if fits and rest.startswith(word[:n]) and walk(rest[n:], j + 1, used + 1, size):
                    return True
        return False

    return walk(short, 0, 0, 1) or walk(short, 0, 0, 3)


def _definite(att: Attribution) -> bool:
    """Named for sure: not vague, not a bare "he", not one of several candidates."""
    return not (att.vague or att.pronoun or att.ambiguous)


def comparable(a: Attribution, b: Attribution) -> bool:
    """Two speakers whose difference means something: two people, or two bodies."""
    return _definite(a) and _definite(b) and bool(a.person) == bool(b.person)


def different_speakers(a: Attribution, b: Attribution) -> bool:
    """Whether two attributions cannot be one speaker: two people or two bodies of
    different names, a "she" and a "he", or an unnamed "he" and a named person (whose
    words the "he" may not be taken to speak)."""
    if comparable(a, b):
        return not same_speaker(a, b)
    if a.pronoun and b.pronoun:
        return a.speaker.lower() != b.speaker.lower()
    return any(x.pronoun and bool(y.person) and not y.ambiguous for x, y in ((a, b), (b, a)))


def unrelated(a: Attribution, b: Attribution) -> bool:
    """A named person and a named body with no word of a name in common: "President
    Joe Biden" and "the US military" are two speakers, "Pentagon press secretary Pat
    Ryder" and "the Pentagon" may be one."""
    if not (_definite(a) and _definite(b)) or bool(a.person) == bool(b.person):
        return False
    return not _identity(a) & _identity(b)


def _identity(att: Attribution) -> frozenset[str]:
    return (att.body | att.names) - _ROLES - _TITLES - _ROLES_GENERIC


def resolved_to(att: Attribution, people: frozenset[str], name: str) -> Attribution:
    """A pronoun speaker taken to be one of ``people`` (personal-name words), shown as
    ``name``; its span stays the pronoun's."""
    return replace(
        att,
        speaker=name,
        person=people,
        body=frozenset(),
        names=frozenset(),
        pronoun=False,
        resolved=True,
    )


# Titles before a personal name: "Representative Nancy Pelosi", "Speaker Ilse Marrow".
_PERSON_TITLES = _TITLES | _HONORIFICS | frozenset(
    {
        "representative", "senator", "congressman", "congresswoman", "speaker", "judge",
        "justice", "governor", "mayor", "leader", "ambassador", "envoy", "pope", "king",
        "queen", "prince", "sheikh", "chairman", "chairwoman", "chair", "spokesman",
        "spokeswoman", "spokesperson", "official", "aide", "officer", "sergeant",
        "lawmaker", "senior", "ceo", "founder", "professor", "pastor", "imam", "rev",
        "commissioner", "superintendent", "inspector", "chancellor", "attorney",
    }
)  # fmt: skip
_NOT_NAMES = frozenset({*WEEKDAYS, *MONTH_NUMBERS, *_VAGUE, *_ROLES})
# A run of names ending in one of these is a place, a building, a group or a document,
# never the "she" of a "she said": "Tracel Street", "Hilo Medical Center", "Labour MPs".
_NOT_PEOPLE = frozenset(
    {
        "street", "road", "avenue", "boulevard", "square", "center", "centre", "market",
        "mosque", "cathedral", "school", "university", "college", "airport", "station",
        "mps", "strategy", "act",
    }
)  # fmt: skip


def _possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


@dataclass(frozen=True)
class Person:
    """A person a sentence names, with or without a verb of saying."""

    name: str  # as written: "Representative Nancy Pelosi"
    words: frozenset[str]  # lower-cased personal-name words: {"nancy", "pelosi"}


def people_in(text: str, places: frozenset[str] = frozenset()) -> list[Person]:
    """The people ``text`` names, in order: a run of capitalised words after a title
    ("Mr. Obama", "Representative Nancy Pelosi") or of two names or more ("Ilse
    Marrow"). A body ("White House", "Defence Ministry"), a place (of ``places``,
    lower-cased) or a date is nobody."""
    tokens = tokenize(text)
    found: list[Person] = []
    k = 0
    while k < len(tokens):
        if not (tokens[k].is_word and tokens[k].is_capital):
            k += 1
            continue
        titled = k > 0 and tokens[k - 1].low in _PERSON_TITLES
        first = k
        run: list[str] = []
        while k < len(tokens):
            t = tokens[k]
            if t.is_word and (t.is_capital or t.low in _NAME_PARTICLES):
                run.append(_possessive(t.low))
            elif not (t.text == "." and run and run[-1] in _PERSON_TITLES):
                break  # "Mr. Obama", "Gen. Veyrin": the title's dot stays in the run
            k += 1
        while run and run[0] in _PERSON_TITLES:
            run.pop(0)
            titled = True
        if any(w in _INSTITUTIONS for w in run) or " ".join(run) in places:
            continue
        if run and run[-1] in _NOT_PEOPLE:
            continue
        name = [
            _ALIASES.get(w, w)
            for w in run
            if w not in _NOT_NAMES and w not in _NAME_PARTICLES and w not in places
        ]
        name = [w for w in name if w not in stop_words()]
        if name and (titled or len(name) >= 2):
            while tokens[first].low in stop_words():  # "But Jacob Rees-Mogg"
                first += 1
            written = _possessive(text[tokens[first].start : tokens[k - 1].end])
            found.append(Person(written, frozenset(name)))
    return found


def _namey(tok: Token) -> bool:
    low = tok.low
    if tok.is_capital and tok.is_word:
        return True
    if low in _ROLES or low in _NAME_PARTICLES:
        return True
    return any(low.startswith(p + "-") for p in _NAME_PARTICLES) or tok.text in (".", "'s", "’s")


def _build(
    text: str, tokens: list[Token], lo: int, hi: int, places: frozenset[str]
) -> Attribution | None:
    # Trim leading articles/possessives and trailing punctuation.
    while lo < hi and (tokens[lo].low in ("the", "a", "an", "and", "of") or tokens[lo].text == "."):
        lo += 1
    while hi > lo and tokens[hi - 1].text in (".", ",", "'s", "’s"):
        hi -= 1
    if lo >= hi:
        return None
    words = [t for t in tokens[lo:hi] if t.is_word]
    if not words:
        return None
    if len(words) == 1 and words[0].low in _PRONOUNS:
        t = words[0]
        return Attribution(t.text, t.start, t.end, frozenset(), frozenset(), pronoun=True)
    # A person's name is the run of capitalised words that ends the phrase ("... Gen.
    # Tomas Veyrin"); a run containing "Ministry", "Command" ... names a body instead.
    run: list[Token] = []
    for t in reversed(words):
        capital = t.is_capital or any(t.low.startswith(p + "-") for p in _NAME_PARTICLES)
        if not capital or t.low in _PERSON_TITLES:  # "Police Commissioner | Anthony Batts"
            break
        run.append(t)
    run.reverse()
    titled = len(run) < len(words) and words[len(words) - len(run) - 1].low in _PERSON_TITLES
    name = [_ALIASES.get(t.low, t.low) for t in run]
    if not titled:
        # "Both said ...", "But Jacob Rees-Mogg said", "the U.N." ("un"): a capitalised
        # stop word that opens the run is nobody's name; a surname that is one ("Theresa
        # May") still is.
        while name and name[0] in stop_words():
            name.pop(0)
    person = frozenset(name)
    if any(t.low in _INSTITUTIONS for t in run) or person <= places:
        person = frozenset()  # "Defence Ministry", or "Iraq says": not a person
    body = frozenset(_ALIASES.get(t.low, t.low) for t in words) - person
    names = frozenset(
        _ALIASES.get(low, low)
        for low in (re.sub(r"['’]s$", "", t.low) for t in words if t.is_capital)
        if low not in _TITLES and low not in person
    )
    start, end = tokens[lo].start, tokens[hi - 1].end
    return Attribution(text[start:end], start, end, person, body, names=names)


_DAY_NAMES = frozenset({*WEEKDAYS, "today", "yesterday", "tonight"})
_DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night"})


def _skip_when(tokens: list[Token], k: int) -> int:
    """Index before a time phrase ending at ``k`` ("on Sunday", "late Monday night"):
    in "Pelosi on Sunday vowed" the speaker is Pelosi, not Sunday."""
    j = k
    if j >= 0 and tokens[j].low in _DAY_PARTS:
        j -= 1
    if j < 0 or tokens[j].low not in _DAY_NAMES:
        return k
    j -= 1
    if j >= 0 and tokens[j].low in ("on", "late", "early", "last", "this"):
        j -= 1
    return j


def _skip_when_after(tokens: list[Token], k: int) -> int:
    """Index after a time phrase starting at ``k``: in '..., said Wednesday the
    spokesman' the speaker is the spokesman, and in '..., said on Friday that' nobody."""
    j = k
    if j < len(tokens) and tokens[j].low in ("on", "late", "early", "last", "this"):
        j += 1
    if j >= len(tokens) or tokens[j].low not in _DAY_NAMES:
        return k
    j += 1
    if j < len(tokens) and tokens[j].low in _DAY_PARTS:
        j += 1
    return j


def _speaker_before(
    text: str, tokens: list[Token], verb: int, places: frozenset[str]
) -> Attribution | None:
    k = _skip_when(tokens, verb - 1)
    while k >= 0 and tokens[k].low in ("has", "had", "have", "also", "later", "then", "further"):
        k -= 1
    k = _skip_when(tokens, k)
    if k >= 0 and tokens[k].text == ")":  # "Joe Manchin (D-W.Va.) said": skip the aside
        opening = next(
            (j for j in range(k - 1, max(-1, k - 12), -1) if tokens[j].text == "("), None
        )
        if opening is not None:
            k = opening - 1
    hi = k + 1
    while k >= 0 and hi - k <= 9:
        if _namey(tokens[k]):
            k -= 1
            continue
        # "the river authority", "the Dorvel fire service": a plain word before a role noun.
        nxt, prev = tokens[k + 1] if k + 1 < hi else None, tokens[k - 1] if k > 0 else None
        if (
            tokens[k].is_word
            and nxt is not None
            and nxt.low in _ROLES
            and prev is not None
            and (prev.low in ("the", "a", "its", "their") or prev.is_capital)
        ):
            k -= 1
            continue
        break
    lo = k + 1
    if lo >= hi:
        if k >= 0 and tokens[k].low in _PRONOUNS | _VAGUE:
            return _build(text, tokens, k, k + 1, places)
        return None
    return _build(text, tokens, lo, hi, places)


def _speaker_after(
    text: str, tokens: list[Token], verb: int, places: frozenset[str]
) -> Attribution | None:
    k = _skip_when_after(tokens, verb + 1)
    if k < len(tokens) and tokens[k].low == "the":
        k += 1
    lo = k
    while k < len(tokens) and _namey(tokens[k]) and tokens[k].text != "," and k - lo < 9:
        k += 1
    if k == lo or not any(t.is_capital for t in tokens[lo:k]):
        return None
    return _build(text, tokens, lo, k, places)


def _appositive(
    text: str, tokens: list[Token], verb: int, places: frozenset[str]
) -> Attribution | None:
    """The name set off by commas just before the verb: in "The operator, Kallen
    Freight, said" or "Ms Merkel's spokesman, Steffen Seibert, said" the speaker is the
    name, which the role before it only describes."""
    hi = verb - 1  # the comma
    k = hi - 1
    while k >= 0 and hi - k <= 6 and tokens[k].text != "," and _namey(tokens[k]):
        k -= 1
    if k < 1 or k == hi - 1 or tokens[k].text != ",":
        return None
    words = [t for t in tokens[k + 1 : hi] if t.is_word]
    if not words or not all(t.is_capital for t in words if t.low not in _NAME_PARTICLES):
        return None
    return _build(text, tokens, k + 1, hi, places)


def _speakers(text: str, places: frozenset[str]) -> list[Attribution]:
    """Every speaker the sentence names, in order; "according to" sources last, since
    in '"...," he said, according to the Fresno Bee' the paper only relays the words."""
    found: list[Attribution] = []
    tokens = tokenize(text)
    for k, tok in enumerate(tokens):
        if tok.text not in _SAY:  # lower case only: "The United States" is no verb
            continue
        if tok.text in _TAKING_VERBS and _TAKEN.match(text, tok.end):
            continue
        prev = tokens[k - 1] if k > 0 else None
        # Inverted order after a quote or comma: '..., said Ilse Marrow'.
        if prev is not None and prev.text in (",", '"', "”", "’", "'"):
            after = _speaker_after(text, tokens, k, places)
            if after:
                found.append(after)
                continue
            named = _appositive(text, tokens, k, places) if prev.text == "," else None
            if named:
                found.append(named)
                continue
        before = _speaker_before(text, tokens, k, places)
        if before is not None:
            found.append(before)
    m = _ACCORDING.search(text)
    if m and not found:
        rest = text[m.end() :]
        stop = re.search(r"[,;:\"“”]|(?<=[a-z]{2})\.(?:\s|$)|\s(?:that|who|which|in|on|at)\s", rest)
        piece_end = m.end() + (stop.start() if stop else len(rest))
        inner = [k for k, t in enumerate(tokens) if m.end() <= t.start and t.end <= piece_end]
        if inner:
            built = _build(text, tokens, inner[0], inner[-1] + 1, places)
            if built:
                found.append(built)
    return found


def find_attribution(text: str, places: frozenset[str] = frozenset()) -> Attribution | None:
    """The speaker a sentence attributes its content to, if it names one.

    ``places`` (lower-cased) are names known to be places: "Iraq says" is not a person.
    A sentence quoting two different speakers ("Biden said ..., while his defence
    secretary vowed ...") is marked ``ambiguous``: which claim is whose is unclear.
    """
    speakers = _speakers(text, places)
    named = [a for a in speakers if not a.vague or a.pronoun]
    if not named:
        return speakers[0] if speakers else None
    first = named[0]
    if any(not same_speaker(first, other) for other in named[1:] if not other.pronoun):
        return replace(first, ambiguous=True)
    return first

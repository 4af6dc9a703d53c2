"""Whether two articles lead with the same fact in different words.

Every article about a story opens on its core fact, and outlets word it their own way:
"Sen. Alda Moreau has won the Vesnar primary" / "Moreau emerged as the winner in
Vesnar's primary Tuesday" / "Moreau claimed the party's left wing with a victory in the
Vesnar primary". TF-IDF cosine misses such paraphrases: the words they share are the
story's own, which occur in most sentences and so weigh little, while each outlet's
frills ("emerged", "first-in-the-nation") weigh much. So a lead is matched with another
article's lead by what a fact is made of rather than by weight: the same participants
(most of the names the point gives) and the same predicate (most of its other content
words, once forms of one event word are made one: won / winner / victory). Only leads
are matched this way: past the lead, sentences sharing a story's vocabulary are as
often about other facts. The support test still applies to every match it makes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.sources.metadata import MONTH_NUMBERS

from .dates import WEEKDAYS
from .tokens import tokenize
from .vectors import stem, stop_words

# The first sentences of an article that make its lead.
LEAD_SENTENCES = 3
# The other lead must hold more than this share of the point's names, and of its other
# content words: most of them.
NAME_SHARE = 0.5
WORD_SHARE = 0.5
# At least this many of the point's non-name words: one shared word is a topic, not a fact.
MIN_SHARED_WORDS = 2

# Forms of one event word, and the nouns news copy uses for it. Opposites ("lost",
# "defeat") are never merged with their event.
_FORMS = {
    **dict.fromkeys(
        ("win", "wins", "won", "winning", "winner", "winners", "victory", "victories",
         "victorious"),
        "win",
    ),
    **dict.fromkeys(
        ("kill", "kills", "killed", "killing", "killings", "death", "deaths", "dead", "die",
         "died", "dies", "dying"),
        "die",
    ),
    **dict.fromkeys(
        ("injure", "injures", "injured", "injuring", "injury", "injuries", "wound", "wounds",
         "wounded", "wounding"),
        "injure",
    ),
}  # fmt: skip
# When is the timeline's business ("Tuesday" is no part of what happened), and who
# said it the speaker check's ("said", "told"). "may" is left in: a verb as often.
_LEFT_OUT = frozenset(WEEKDAYS) | (frozenset(MONTH_NUMBERS) - {"may"}) | frozenset(
    {"today", "yesterday", "tonight", "morning", "afternoon", "evening", "night", "week",
     "weekend", "month", "year", "earlier", "later",
     "said", "say", "says", "told", "tell", "tells", "according", "reported", "reports",
     "announced", "added", "stated"}
)  # fmt: skip
_PARTS = re.compile(r"[-'’]")
# A lead that denies or calls off what another reports does not report it ("decided not
# to join", "abandoned his plans to join" / "would join"): both must, or neither.
_NEGATION = re.compile(
    r"\b(?:not|never|no|nor|neither|without|cannot|abandon\w*|cancel\w*|scrap(?:s|ped)?|"
    r"revers(?:e|es|ed|ing)|call(?:s|ed)?\s+off|den(?:y|ies|ied)|reject\w*)\b|n['’]t\b",
    re.IGNORECASE,
)
# Nor does a lead that forecasts it ("is expected to win", "is poised to win" / "has won").
_HEDGE = re.compile(
    r"\b(?:expected|likely|unlikely|favou?red|poised|set|hop(?:e|es|ed|ing)|bid(?:s|ding)?|"
    r"on\s+track)\s+to\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Terms:
    """A text's content words: the names it gives, and the rest."""

    names: frozenset[str]
    words: frozenset[str]
    negated: bool = False
    hedged: bool = False

    @property
    def all(self) -> frozenset[str]:
        return self.names | self.words


def word_form(word: str) -> str:
    """One form for the forms of an event word, else the light stem."""
    return _FORMS.get(word) or stem(word)


def terms(text: str) -> Terms:
    """Names are capitalised words past the first (which is capitalised anyway, unless
    a name follows it: "Sen. Alda Moreau"); numbers are left to the count checks."""
    tokens = [t for t in tokenize(text) if t.is_word]
    stop = stop_words()
    names: set[str] = set()
    words: set[str] = set()
    for k, tok in enumerate(tokens):
        name = tok.is_capital and (k > 0 or (len(tokens) > 1 and tokens[1].is_capital))
        for part in _PARTS.split(tok.low):
            # One letter is no word: "Twitter's", "TWTR.N".
            if len(part) < 2 or part in stop or part in _LEFT_OUT:
                continue
            (names if name else words).add(word_form(part))
    return Terms(
        frozenset(names),
        frozenset(words),
        negated=bool(_NEGATION.search(text)),
        hedged=bool(_HEDGE.search(text)),
    )


def same_fact(point: Terms, other: Terms) -> bool:
    """Whether ``other`` (a lead) holds the fact ``point`` (another lead, or its leading
    claim) states: most of its names and most of its other words, capitalised or not;
    a negation or a hedge only if the point has one too."""
    if not point.names or (point.negated, point.hedged) != (other.negated, other.hedged):
        return False
    held = other.all
    names = len(point.names & held)
    words = len(point.words & held)
    return (
        names > NAME_SHARE * len(point.names)
        and words >= MIN_SHARED_WORDS
        and words > WORD_SHARE * len(point.words)
    )

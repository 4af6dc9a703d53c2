"""Scoring sentences and picking non-redundant key points.

A sentence matters when several independent sources report it (support), when
it is central to the article set (LexRank), and when it comes early in its
article (news writing puts the essentials in the lead). Readability multiplies
the result: fragments, questions and very long run-ons make poor bullet points.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import TYPE_CHECKING

from briefing.sources.metadata import MONTH_NUMBERS

from .dates import WEEKDAYS
from .grouping import Group, Links, group_of
from .segment import ContentSentence, trim_span

if TYPE_CHECKING:
    import numpy as np

    from .vectors import SentenceSpace

# Above this similarity to an already chosen point a candidate says nothing new.
REDUNDANCY = 0.4

_WORDS = re.compile(r"\w+")
_FIRST_PERSON = re.compile(r"^(?:I|We|My|Our)\b")
# A sentence opening on a pronoun or a back-reference ("In the other case", "If that
# deadline", "When he arrived", "Until then", "At the time,") leans on one before it
# that the reader will not see. "It is believed that ..." and the like refer to nothing.
_DANGLING = re.compile(
    r"^(?:He|She|They|It(?! (?:is|was|has been|had been) (?:not )?(?:believed|thought|"
    r"expected|estimated|understood|reported|feared|hoped|known|likely|unlikely|unclear|"
    r"clear|possible)\b)|This|These|That|Those|His|Her|Their|Its|Such|Both|The other|"
    r"The same|(?:In|If|With|After|Before|Under|By|At|For|Despite) (?:the other|that|this|"
    r"these|those|such|its|his|her|their|the increase|the change)\b|"
    r"(?:When|Whenever|Once|Since|Until|Because|Although|Though|While|As|Where) (?:he|she|"
    r"they|it|his|her|their|its)\b|(?:Until|By|Since|Before|After|Even) then\b|Then\b|"
    r"At the time(?=,))\b"
)
# A sentence opening on how it follows the one before, in words the shown text keeps
# (segment.trim_span drops a plain "However, " or "In addition, "): "As evidence, the
# governor said ...", "In response, the army ...", "For example, ...". A mid-sentence
# "also" ("Police also said ...") is left alone: what follows usually reads whole.
_CONTINUES = re.compile(
    r"^(?:As (?:evidence|proof|a result)|For (?:example|instance)|In (?:response|return|"
    r"turn|contrast)|By contrast|Conversely|Otherwise|Even so)\b"
)
# A subject doing something to "it" or "them" straight away, with no noun for it in the
# sentence: "Mr. Trump signed it on Friday night", "The Senate passed them without a
# vote". "called it a terrorist attack" and "made it clear" name what they say of it.
_OBJECT_BACK = re.compile(
    r"^(?:(?:The|A|An)\s+(?:[a-z]+\s+)?[a-z]+\s+|(?:[A-Z][\w’'.-]*\s+){1,4})"  # the subject
    r"(?:(?:also|then|later|quickly|formally|finally)\s+)?"
    r"[a-z]+\s+(?:it|them)(?=\s+(?:on|in|at|after|before|late|early|last|this|into|to|from|"
    r"during|within|without|with|by|when|while|because)\b|\s*[,.;])"
)
# "we" or "our" anywhere outside quotation marks ("First, we have rolled out an update"):
# a statement or blog post excerpted without its author, which would read as the
# briefing's own voice. "I" past the start only where a pronoun stands, after a
# sentence mark or a lower-case word and before a verb ("FALSE!!! I only speak",
# "and I think"), not as a numeral after a name ("World War I veterans", "Phase I").
# "our solar system" and "our planet" are everyone's, not an author's.
_FIRST_PERSON_WORD = re.compile(
    r"\b(?:[Ww]e|[Oo]urs?(?! (?i:(?:own )?(?:solar|star) system|galaxy|planet|universe|"
    r"species|sun|moon)\b)|us|[Mm]y)\b"
)
# "you" outside quotation marks addresses the reader ("coming to you from Los Angeles",
# "if you bought shares"): a newsletter's or explainer's voice, not a reported fact.
_SECOND_PERSON_WORD = re.compile(r"\b[Yy]ou(?:rs?|rself)?\b")
_WORD_BEFORE_I = re.compile(r"(\S+)\s+I(?=\s+[a-z]|[’'](?:m|ve|d|ll)\b)")


def _speaks_as_i(text: str) -> bool:
    return any(
        m.group(1)[-1] in ",;:.!?" or m.group(1).islower() for m in _WORD_BEFORE_I.finditer(text)
    )


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
# The mark that closes a quotation, by its opening mark. A single mark between two
# letters is an apostrophe ("won’t", "Fenn’s"), not the end of the quotation.
_CLOSING_QUOTES = {
    "“": re.compile("”"),
    '"': re.compile('"'),
    "‘": re.compile(r"’(?![^\W\d_])|(?<![^\W\d_])’"),
    "'": re.compile(r"'(?![^\W\d_])|(?<![^\W\d_])'"),
}
_OPENING_QUOTES = frozenset(_CLOSING_QUOTES)
# Up to a closing mark no opening mark came before: the sentence is the last of a
# quotation's ("But one of them shouldn’t be the chairman of the party.”").
_QUOTE_TAIL = re.compile(r"[^“”]*[^\s“”]”")
# A name, or an acronym of a body ("NASA said", "the FBI said").
_NAME = re.compile(r"\b[A-Z](?:[a-z]\w*|[A-Z]+\b)")
# Capitalised after a quotation yet naming no one: "“…,” she said on Monday." Not
# "May", which is as often a speaker ("“…,” May said").
_NO_SPEAKER = frozenset({*WEEKDAYS, *MONTH_NUMBERS, "she", "he", "they"} - {"may"})
# A speaker named by role after a quotation: "…,” the office said; "…," a spokesman said.
_ROLE_SPEAKER = re.compile(r"^[\s,;:—–-]*(?:according to\s+)?(?:the|a|an)\s+\w", re.IGNORECASE)
# An excerpt cut mid-sentence ("... bringing the total to...").
_CUT_OFF = re.compile(r"(?:\.\.\.|…)[\"'”’)\]]*$")
# A cut-off excerpt shorter than this (in words) stops before its claim does ("Priti
# Patel has asked all police forces..."); a longer one has usually made it ("a doctrine
# that shields officers from liability for violations including excessive force...").
FRAGMENT_WORDS = 15


def _names_speaker(after: str) -> bool:
    """Whether the words after a quotation name who said it (a name, an acronym)."""
    return any(w.lower() not in _NO_SPEAKER for w in _NAME.findall(after))


def leans_back(text: str) -> bool:
    """Whether a sentence leans on one before it, judged as it is shown (past a dateline
    or an opening "And"): it opens on a back-reference ("It could have been far worse",
    "In the other case"), or it quotes words that do ("“It's not against the president,”
    she said"; "“We've had to lay off and furlough.") without naming who said them, or
    it speaks as "we" outside any quotation marks. A quotation is anyone's words unless a
    speaker is named after it (by name or role): "“The bridge is safe,” Mayor Fenn said"
    stands alone; "“When the dust settles, he will be vindicated.”" does not."""
    start, end = trim_span(text, 0, len(text))
    shown = text[start:end].strip()
    if tail := _QUOTE_TAIL.match(shown):
        # The end of a quotation opened in an earlier sentence: whose words they are is
        # said there, or after them ("..., party,” Kristol wrote.").
        return not _names_speaker(shown[tail.end() :])
    if shown[:1] in _OPENING_QUOTES:
        close = _CLOSING_QUOTES[shown[0]].search(shown, 1)
        # With no speaker after it (named in the sentence before, or the quotation runs on
        # into the next one) a point would state someone's words as the briefing's own.
        after = shown[close.end() :] if close else ""
        if _names_speaker(after):
            return False
        if _ROLE_SPEAKER.match(after):
            # "a teacher said" places a plain statement, but not whose "we" or "it".
            quoted = shown[1:].lstrip()
            return bool(_DANGLING.match(quoted) or _FIRST_PERSON.match(quoted))
        return True
    unquoted = _QUOTED.sub("", shown)
    if _FIRST_PERSON_WORD.search(unquoted) or _speaks_as_i(unquoted):
        return True
    if _SECOND_PERSON_WORD.search(unquoted):
        return True
    opening = shown[:1].upper() + shown[1:]
    return bool(
        _DANGLING.match(opening) or _CONTINUES.match(opening) or _OBJECT_BACK.match(opening)
    )


def fragment(text: str) -> bool:
    """Whether ``text`` is an excerpt cut off before it says what it claims."""
    return bool(_CUT_OFF.search(text.rstrip())) and len(_WORDS.findall(text)) < FRAGMENT_WORDS


def stands_alone(text: str) -> bool:
    """Whether a sentence reads whole out of its article: no back-reference, not cut off."""
    return not (leans_back(text) or _CUT_OFF.search(text.rstrip()))


def position_prior(position: int) -> float:
    return math.exp(-position / 4.0)


def readability(text: str) -> float:
    words = len(_WORDS.findall(text))
    factor = 1.0
    if words < 8:
        factor *= 0.5
    elif words < 12:
        factor *= 0.8
    if words > 45:
        factor *= max(0.3, 45.0 / words)
    stripped = text.lstrip()
    if stripped[:1] in "\"“'‘":
        factor *= 0.75  # a bare quote lacks who said it and why
    if text.rstrip().endswith("?"):
        factor *= 0.5
    if _FIRST_PERSON.match(stripped):
        factor *= 0.6
    if _DANGLING.match(stripped):
        factor *= 0.6
    if _CUT_OFF.search(stripped):
        factor *= 0.5
    return factor


def score_sentences(
    sents: Sequence[ContentSentence], space: SentenceSpace, links: Links, n_articles: int
) -> np.ndarray:
    import numpy as np

    n = len(sents)
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    support = links.supports.astype(np.float64)
    others = max(1, n_articles - 1)
    support_norm = np.log1p(support) / math.log1p(others)
    position = np.array([position_prior(s.position) for s in sents])
    quality = np.array([readability(s.text) for s in sents])
    central = space.centrality.astype(np.float64)
    centroid = space.centroid.astype(np.float64)
    top = centroid.max()
    if top > 0:
        centroid = centroid / top
    base = 0.5 * support_norm + 0.2 * central + 0.25 * centroid + 0.3 * position
    return base * quality


def select_groups(
    scores: np.ndarray,
    space: SentenceSpace,
    links: Links,
    count: int,
    *,
    facts: Sequence[Collection[Hashable]] = (),
    wording: Callable[[int, Collection[int]], Group] | None = None,
    alone: Sequence[bool] = (),
) -> list[Group]:
    """Up to ``count`` groups, best first, each seeded by a sentence unlike earlier ones.

    ``facts[i]`` names the checkable facts of sentence ``i`` (e.g. count keys such as
    "killed in Halvosk"): a sentence whose facts are all already stated by a chosen
    point repeats it in other numbers, which is the divergence section's business.
    ``wording(i, taken)`` gives the point sentence ``i`` makes: how much of it is
    stated and the sentences that may be cited for that (seed first), none of ``taken``;
    by default the whole sentence and its best match in every other article.
    """
    import numpy as np

    chosen: list[Group] = []
    covered: list[int] = []
    stated: set[Hashable] = set()
    for i in np.argsort(-scores, kind="stable"):
        if len(chosen) >= count:
            break
        i = int(i)
        if alone and not alone[i]:
            continue
        if covered and float(space.sim[i, covered].max()) > REDUNDANCY:
            continue
        own = set(facts[i]) if facts else set()
        if own and own <= stated:
            continue
        matched = group_of(i, links)
        # A match already used by an earlier point would make this one repeat it.
        if wording:
            group = wording(i, set(covered))
        else:
            group = Group(seed=i, members=[m for m in matched.members if m not in covered])
        chosen.append(group)
        # Close matches that do not support the point are still about its topic: they
        # make poor points of their own.
        covered.extend(dict.fromkeys(group.members + matched.members))
        stated.update(own)
    return chosen

"""The bottom line: what happened, in the sentence most sources share.

The top-ranked sentence is often a claim about the event ("the ministry said its forces
carried out the strike") rather than the event. The bottom line is the most widely
supported sentence that tells of the event itself and is not put in a named speaker's
mouth; when sources disagree on the death toll a short generated sentence says so,
citing the sentences that give the differing tolls.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from briefing.model import Divergence, Point
from briefing.sections import TITLE_DIVERGENCES
from briefing.sources.metadata import MONTH_NUMBERS

from .citations import merge_points
from .facts import SentenceFacts
from .figures import figure_key
from .grouping import Group, Links
from .ranking import stands_alone
from .segment import ContentSentence

# A lead shorter than this (in words) gets the next point for company.
TERSE = 15
TOLL_NOTE = "Accounts differ on "  # + "the number killed in Syria" + TOLL_POINTER
# The differing figures are cited where they are set side by side, not here: citations at
# the end of the bottom line would read as backing the toll its sentence states.
TOLL_POINTER = f" (see “{TITLE_DIVERGENCES}”)."
_EVENT = re.compile(
    r"\b(?:strikes?|struck|airstrikes?|attack(?:ed|s)?|blasts?|explosions?|exploded|"
    r"bomb(?:ed|ing)?|raids?|shooting|shot|crash(?:ed)?|quake|earthquake|storm|hit|"
    r"launched|carried out|killed|killing|died|destroyed|erupted|collapsed|flood(?:ed)?|"
    r"fire|arrested|clashed|clashes|"
    # What makes political and court news: a step taken, not a blow struck.
    r"announced|declared|resigned|resigns|signed|vetoed|overrode|passed|approved|rejected|"
    r"endorsed|endorses|pleaded|indicted|charged(?!\s+that)|sentenced|convicted|ruled|"
    r"nominated|elected|reversed|apologi[sz]ed|sued|quit|quits)\b",
    re.IGNORECASE,
)
# Right after a speaker: a verb of acting on oneself, with its object or the speaker again.
_OWN_ACT = re.compile(
    r"\s*(?:\([^()]{1,20}\)\s*)?(?:announced|declared|endorsed|signed|vetoed|conceded)"
    r"(?:\s+on\s+\w+day|\s+\w+day)?\s+(?:a|an|his|her|their|its|he|she|it|they)\b",
    re.IGNORECASE,
)
# Background, not the news: a step told in the past perfect ("Obama had nominated
# Garland"), or placed months back ("pleaded guilty in August", "declared back in
# December", "a year ago"). A month further on dates something else ("released a report
# showing inflation hit 8.6% in May").
_EARLIER = re.compile(r"\bhad\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_BACKGROUND_TIME = re.compile(
    r"\bback in\b|\b(?:last|earlier this|a) year\b|\byears? ago\b", re.IGNORECASE
)
# Month names in full: an abbreviation ("Sept", "Jun") is the start of a longer name.
_MONTHS = "|".join(
    sorted(m for m in MONTH_NUMBERS if not any(k != m and k.startswith(m) for k in MONTH_NUMBERS))
)
_IN_MONTH_AFTER = re.compile(rf"(?:\s+[\w'’-]+){{0,4}}?\s+in\s+(?:{_MONTHS})\b(?!\s+\d)", re.I)


# Event words that tell of none: "struck" that is no blow ("the deal she struck", "struck
# a balance") and "shot" that is a jab ("the shot mandate", "a booster shot").
_AGREED = r"(?:deal|agreement|bargain|accord|compromise|balance|chord|tone|note)s?"
_JAB = (
    r"\b(?:the|a|booster|flu|vaccine|covid(?:-19)?|first|second|third)\s+shots?\b|"
    r"\bshots?\s+(?:mandates?|requirements?)\b"
)
_FIGURATIVE = re.compile(
    rf"\b{_AGREED}\b(?:\W+\w+){{0,3}}?\W+struck\b|\bstruck\W+(?:\w+\W+){{0,2}}?{_AGREED}\b|"
    rf"{_JAB}",
    re.IGNORECASE,
)


def _told_now(text: str, event: re.Match[str]) -> bool:
    """Whether an event word tells of the news, not of an earlier step."""
    return not _EARLIER.search(text, 0, event.start()) and not _IN_MONTH_AFTER.match(
        text, event.end()
    )


def _tells_event(text: str, facts: SentenceFacts) -> bool:
    literal = _FIGURATIVE.sub(" ", text)
    if text.rstrip().endswith("?") or _BACKGROUND_TIME.search(text):
        return False
    if not any(_told_now(literal, m) for m in _EVENT.finditer(literal)):
        return False
    att = facts.attribution
    # "..., officials said." at the end is a source note; "The Defence Ministry has said
    # its forces carried out the strike" is a statement about a claim. But a speaker's
    # own act is the event: "Gov. Chris Christie declared an uphill candidacy",
    # "Christie announced he's running for president".
    if att is not None and _OWN_ACT.match(text, att.end):
        return True
    return att is None or att.vague or att.start > len(text) // 2


# Casualty figures a bottom line may state when it says the accounts differ.
_TOLL_THINGS = frozenset(
    {"killed", "injured", "seriously injured", "lightly injured", "casualties"}
)

Disputed = Mapping[str, tuple[str, str | None]]  # divergence topic -> (thing, who)


def stated_keys(facts: SentenceFacts) -> set[tuple[str, str | None]]:
    """The counts and loose figures a sentence states, as divergences dispute them."""
    return {(c.thing, c.who) for c in facts.counts} | {figure_key(g.key) for g in facts.figures}


def lead_groups(
    groups: Sequence[Group],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    links: Links,
    disputed: Disputed | None = None,
) -> tuple[list[Group], list[Group]]:
    """(groups for the bottom line, the rest in rank order).

    A figure a numeric divergence disputes is not stated as fact: an event sentence free
    of such figures is preferred. A disputed toll may stay, since the bottom line then
    says which accounts differ."""
    if not groups:
        return [], []
    events = [k for k, g in enumerate(groups) if _tells_event(sents[g.seed].text, facts[g.seed])]
    # The one sentence a reader must know has to read whole on its own: an event told
    # only in sentences leaning on others gives way to the best one that reads whole.
    events = [k for k in events if stands_alone(sents[groups[k].seed].text)]
    against = {key for key in (disputed or {}).values() if key[0] not in _TOLL_THINGS}
    clean = [k for k in events if not stated_keys(facts[groups[k].seed]) & against]
    if clean and len(clean) < len(events):
        best = max(links.support(groups[k].seed) for k in events)
        if max(links.support(groups[k].seed) for k in clean) >= min(1, best):
            events = clean
    # The sources that tell of it, even with other figures, count as sharing it; rank
    # breaks ties.
    if events:
        first = min(events, key=lambda k: (-links.support(groups[k].seed), k))
    else:  # no event sentence: the best-ranked one that reads whole
        whole = (k for k, g in enumerate(groups) if stands_alone(sents[g.seed].text))
        first = next(whole, 0)
    rest = [g for k, g in enumerate(groups) if k != first]
    lead = [groups[first]]
    if len(sents[groups[first].seed].text.split()) < TERSE:
        company = next(
            (k for k, g in enumerate(rest) if not stated_keys(facts[g.seed]) & against), None
        )
        if company is not None:
            lead.append(rest.pop(company))
    return lead, rest


def with_toll_note(
    point: Point,
    divergences: Sequence[Divergence],
    disputed: Disputed | None = None,
    stated: set[tuple[str, str | None]] | None = None,
) -> Point:
    """The bottom line plus "Accounts differ on the number killed in Syria (see ...)."
    when a numeric divergence on the number killed (or on any figure the bottom line
    states: when every sentence telling the event gives a disputed count, it must say so)
    exists, naming the figure so that a reader does not take it for the toll the sentence
    before states. The citations stay those of the sentence: the differing figures are
    cited in the divergence section the note points to."""
    disputed = disputed or {}
    stated = stated or set()

    def noted(d: Divergence) -> bool:
        key = disputed.get(d.topic)
        # Not disputed: figures that differ only as later tolls ("has risen to 23").
        if d.kind != "numeric" or key is None:
            return False
        if re.match(r"Number (?:of troops )?killed\b", d.topic):
            return True
        return key in stated

    tolls = [d for d in divergences if noted(d)]
    if not tolls or not point.citations:
        return point
    *before, last = point.parts or [point]
    text = last.text.rstrip()
    if not text.endswith((".", "!", "?", "”", '"')):
        text += "."
    # A part of its own, uncited: the citations before it back the sentence, not the note.
    note = Point(text=f"{TOLL_NOTE}{_name_figures([d.topic for d in tolls])}{TOLL_POINTER}")
    return merge_points([*before, last.model_copy(update={"text": text}), note])


_NUMBER_TOPIC = re.compile(r"Number (?P<what>.+?)(?P<where> in .+)?$")


def _name_figures(topics: Sequence[str]) -> str:
    """ "the number killed in Syria"; "the numbers killed and injured in Halvosk"."""
    topics = list(dict.fromkeys(topics))
    parts = [_NUMBER_TOPIC.match(t) for t in topics]
    wheres = {m.group("where") for m in parts if m}
    if len(topics) > 1 and all(parts) and len(wheres) == 1:
        whats = [m.group("what") for m in parts if m]
        return f"the numbers {', '.join(whats[:-1])} and {whats[-1]}{wheres.pop() or ''}"
    return " and ".join(f"the {t[:1].lower()}{t[1:]}" for t in topics)

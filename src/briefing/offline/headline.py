"""A headline for the briefing: the article title most typical of the whole set.

Titles are written to summarise, so one of them usually beats anything stitched
together from sentences. The one closest to the centroid of all sentences (and to
the other titles) is the least idiosyncratic; outlet suffixes and loader notes
such as "(title derived from URL)" are cut first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.sentences import split_sentences
from briefing.sources.debris import is_caption

from .bottom_line import TOLL_NOTE
from .segment import trim_span
from .vectors import SentenceSpace

_TRAILING_NOTE = re.compile(r"\s*\((?:title|text|CNN text|derived|from)[^()]*\)\s*$", re.I)
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::)\s+")
_WORDS = re.compile(r"[\w'’]+")
HEADLINE_CHARS = 120  # a bottom line standing in for a headline is cut to this, at a word
# An outlet's own verdict in its title ("Trump Caves To Democrats"): the briefing's
# headline would state it as fact. Words in quotation marks are someone's, and stay.
_LOADED = re.compile(
    r"\b(?:cave[sd]?|caving|slam(?:s|med)?|blast(?:s|ed)|rips?|torch(?:es|ed)|trash(?:es|ed)|"
    r"mock(?:s|ed)|humiliat(?:es|ed|ing)|crush(?:es|ed)|bash(?:es|ed)|lash(?:es|ed) out|"
    r"rant(?:s|ed)?|meltdown|tantrum|demagogue|disgraceful|shameful|outrageous|furious|"
    r"stunning|shocking|brutal|bombshell|hoax|scam)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“‘'][^\"“”‘’']*[\"”’']")
# A column's or an explainer's voice: "It will be the Fed's fault if ...", "Here's why ...".
_OPINION_OPENING = re.compile(
    r"^(?:It|He|She|They|This|That|We|I|You|Why|How|What|Here(?:['’]s| is))\b"
)


def clean_title(title: str) -> str:
    """Drop loader notes, a wire dateline ("PAHOA, Hawaii (Reuters) - ", left when a page
    had no title and its first line stood in) and a short outlet tail (" - Reuters")."""
    title = _TRAILING_NOTE.sub("", " ".join(title.split()))
    start, _ = trim_span(title, 0, len(title))
    title = title[start:]
    title = title[:1].upper() + title[1:]
    parts = _SEPARATORS.split(title)
    while len(parts) > 1:
        tail = parts[-1]
        head = " - ".join(parts[:-1])
        if len(_WORDS.findall(tail)) <= 4 and len(_WORDS.findall(head)) >= 4:
            parts = parts[:-1]
        else:
            break
    return " - ".join(parts).strip(" -|") if len(parts) > 1 else parts[0].strip()


def _shape_penalty(title: str) -> float:
    words = len(_WORDS.findall(title))
    penalty = 0.0
    if words < 4 or words > 20:
        penalty += 0.15
    if "|" in title or title.endswith("?"):
        penalty += 0.1
    if title[:1] in "\"“'‘":
        penalty += 0.05
    # Cut short (a first line standing in for a title is cut at a word limit): it stops
    # before it has said what happened.
    if title.rstrip().endswith(("…", "...")):
        penalty += 0.15
    if _LOADED.search(_QUOTED.sub("", title)) or _OPINION_OPENING.match(title):
        penalty += 0.1
    return penalty


def choose_headline(titles: Sequence[str], space: SentenceSpace, fallback: str) -> str:
    """The most typical title of at least three words, else ``fallback`` (the bottom
    line) shortened to a headline: "Kestrel Bay" or "Fire" names no story."""
    cleaned = [clean_title(t) for t in titles]
    # A photo caption taken for a page's title describes a picture, not the story.
    texts = [t for t in cleaned if len(_WORDS.findall(t)) >= 3 and not is_caption(t)]
    if not texts:
        return shortened(_most_typical_sentence(fallback, space))
    to_centroid = space.similarity_to_centroid(texts)
    mutual = space.similarity_matrix(texts)
    best, best_score = texts[0], float("-inf")
    for k, text in enumerate(texts):
        others = len(texts) - 1
        agreement = (float(mutual[k].sum()) - float(mutual[k, k])) / others if others else 0.0
        score = to_centroid[k] + 0.5 * agreement - _shape_penalty(text)
        if score > best_score + 1e-9:
            best, best_score = text, score
    return best


def _most_typical_sentence(text: str, space: SentenceSpace) -> str:
    """The sentence of ``text`` (a bottom line) closest to the centroid of all sentences;
    never its note that accounts differ, which names no story."""
    flat = " ".join(text.split())
    sentences = [s.text.strip() for s in split_sentences(flat) if not s.text.startswith(TOLL_NOTE)]
    if not sentences:
        return flat
    scores = space.similarity_to_centroid(sentences)
    return sentences[max(range(len(sentences)), key=lambda k: scores[k])]


def shortened(text: str, limit: int = HEADLINE_CHARS) -> str:
    """``text`` as a headline: cut at a word, not inside one."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return f"{cut}…"

"""Content sentences of an article: real sentences with offsets, page debris left out.

Web copy carries headings, bylines, share buttons, photo credits and embedded tweets
between the sentences; none of that is something a briefing should quote. The
filters here are deliberately conservative about real prose (a long paragraph that
lacks a full stop is kept) and strict about lines that look like page furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.model import Article
from briefing.sentences import split_sentences
from briefing.sources.debris import DEBRIS_IN_SENTENCE
from briefing.sources.dedupe import normalise

from .dates import MONTHS

# Text beyond this is not segmented: pysbd is slow on megabytes, and news leads matter most.
MAX_CHARS_PER_ARTICLE = 120_000
MAX_SENTENCES_PER_ARTICLE = 400

_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$|[\"”’»]$")
# A teaser the page cut off mid-phrase ("The investigation is also...", "killed after..."):
# it states nothing whole. One cut after a full phrase ("... with over 30 injured...")
# still states its figures.
_CUT_MID_PHRASE = re.compile(
    r"\b(?:the|a|an|and|or|but|of|to|in|on|at|for|with|by|from|after|before|also|is|are|"
    r"was|were|be|has|have|had|that|which|who|as|its|their|his|her|this|these|than)"
    r"\W*(?:\.\.\.|…)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MONTHS = rf"{MONTHS}\.?"
# Photo captions: present tense, ending on the date the picture was taken.
_CAPTION = re.compile(
    r"\b(?:holds?|stands?|walks?|looks? on|poses?|gestures?|is seen|are seen|speaks?|sits?|"
    r"waves?|arrives?|attends?|pictured)\b.*\b"
    rf"{_MONTHS}\s+\d{{1,2}},\s+\d{{4}}\.?$"
)
# Picture and video furniture: "This satellite photo ... shows", "(Getty Images via AFP)",
# "STORY:" video labels, "(Photo: ...)", infobox lines "Part of the ... (2023–present)".
_FURNITURE = re.compile(
    r"^STORY\s*:|^VIDEO\s*:|^WATCH\b|\((?:photo|image|picture|video)\s*:|"
    r"\((?=[^()]{0,60}\))[^()]*\b(?:via|getty|images?|photo(?:graph)?|file)\b[^()]*\)\W*$|"
    r"\b(?:photo|image|picture|video|footage|screengrab|screenshot|satellite image)s?\b"
    r"[^.;:]{0,80}?\b(?:shows?|showing|depicts?)\b|"
    r"^part of (?:the |a |an )?[a-z0-9]|\(\d{4}\s*[–-]\s*present\)",
    re.IGNORECASE,
)
# A picture caption describes in the present tense what someone does as it was taken.
_CAPTION_VERB = re.compile(
    r"^(?:[A-Z][\w.'’-]*\s+){1,8}(?:places|holds|stands|walks|poses|gestures|salutes|waves|"
    r"sits|kneels|prays|mourns|reacts|looks on|listens|speaks to|arrives at|carries|embraces|"
    r"inspects|addresses)\b[^.]*\b(?:as|during|while|at)\b"
)
# An outlet credited before the sentence: "The New York Times: The aftermath ...".
_CREDIT = re.compile(
    r"^(?:The\s+)?(?:[A-Z][\w.&'’-]*\s+){0,4}(?:Times|Post|News|Journal|Reuters|AP|AFP|CNN|BBC|"
    r"Guardian|Telegraph|Herald|Tribune|Agency|Press|Wire|Axios|Politico|Bloomberg|Jazeera|"
    r"Gazette|Monitor|Daily|Mail|Express|Independent|Observer|TASS|IRNA|Xinhua|Anadolu|Sputnik)"
    r"\s*:\s+(?=[A-Z])"
)
# A place and a date before a colon: "Colombia /America, 29th January 2024: ..."
_DATED_LINE = re.compile(
    rf"^[A-Z][\w /.'’-]{{0,40}},\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}|"
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?),?\s+\d{{4}}\s*[:–—-]\s+"
)
# The line after an embedded post: "— U.S. Central Command (@CENTCOM) February 3, 2024".
_POST_SIGNATURE = re.compile(r"^\s*[—–-]\s*[^\n]{1,80}\(@\w+\)", re.MULTILINE)
_DATE_ONLY = re.compile(
    rf"^\W*(?:\w+day,?\s*)?(?:{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}})\W*$",
    re.IGNORECASE,
)
# "HALVOSK, Dravenna (Continental Wire) - ", "WASHINGTON/BAGHDAD/ TEHRAN - ", "CNN -"
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Za-z.'/&-]*(?:[ ,/]+[A-Za-z0-9.'/&-]+){0,6}?\s*(?:\([^()]{1,40}\))?\s*"
    r"(?:(?<=\s)-{1,2}|[–—―]-?)\s*|[A-Z][A-Za-z ]{0,30} News/\s*)"
)
_CONNECTIVE = re.compile(
    r"^(?:however|meanwhile|additionally|in addition|moreover|furthermore|also|still|"
    r"nevertheless|nonetheless|on the other hand|separately|notably|besides|indeed|"
    r"in the meantime|at the same time|likewise|similarly|instead|then)\s*,\s*|"
    r"^(?:but|and|so|yet|also)\s+(?=[a-zA-Z\"“])",
    re.IGNORECASE,
)

# The section labels some outlets (Axios above all) open paragraphs with: "Why it matters:
# The mass cancellations come after ...". The sentence is what follows the label; quoted
# with it, a point would open with the outlet's signpost.
_KICKER = re.compile(
    r"^(?:why it matters|the big picture|driving the news|between the lines|"
    r"(?:the )?bottom line|what (?:they're|they are) saying|yes,? but|flashback|zoom (?:in|out)|"
    r"what's next|what to watch|by the numbers|catch up quick|state of play|reality check|"
    r"the intrigue|the backstory|the latest|go deeper|of note|the other side|be smart|"
    r"(?:the )?details|context|what happened|what we're watching)\s*:\s+(?=[\"“‘']?(?-i:[A-Z0-9]))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ContentSentence:
    """One kept sentence: ``start:end`` indexes the article text; ``position`` counts kept ones."""

    article: int  # index into the article list
    start: int
    end: int
    text: str
    position: int
    paragraph: int


def _is_dateline(prefix: str) -> bool:
    # A dateline names a place in capitals or an outlet in brackets; a plain clause does not.
    if "News/" in prefix:
        return True
    caps = re.findall(r"\b[A-Z]{3,}\b", prefix)
    # Every word of it is capitalised, outside an outlet's brackets: "The GOP chairman is
    # known for off-the-cuff ..." and "The NATO summit — held ..." are clauses.
    if re.search(r"(?:^|[\s,/])[a-z]", re.sub(r"\([^()]*\)", "", prefix)):
        return False
    return bool(caps) or "(" in prefix


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a sentence span past a wire dateline, a section label ("Why it matters: ")
    and a leading connective ("However, ")."""
    for pattern in (_DATELINE, _KICKER, _CONNECTIVE):
        piece = text[start:end]
        m = pattern.match(piece)
        if not m:
            continue
        if pattern is _DATELINE and not _is_dateline(m.group(0)):
            continue
        rest = piece[m.end() :]
        if len(_WORD.findall(rest)) >= 4:
            start += m.end()
    return start, end


def _is_content(text: str, *, at_end: bool) -> bool:
    words = _WORD.findall(text)
    if len(text) < 20 or len(words) < 4:
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * len(text):
        return False
    if not any(c.islower() for c in text):
        return False
    if any(p.search(text) for p in DEBRIS_IN_SENTENCE):
        return False
    if _DATE_ONLY.match(text) or _CAPTION.search(text):
        return False
    if _FURNITURE.search(text) or _CAPTION_VERB.search(text):
        return False
    if _CUT_MID_PHRASE.search(text):
        return False
    has_end = bool(_TERMINAL.search(text))
    # A heading has no full stop; the last sentence of a truncated excerpt stops mid-word.
    if not has_end and (len(words) < 15 or at_end):
        return False
    # Title-cased runs are headings or menus, however long.
    lower = [w for w in words if w[0].islower()]
    if not has_end and len(lower) < 0.4 * len(words):
        return False
    return len(lower) >= 2


def _past_prefix(text: str, start: int, end: int) -> int:
    """Skip an outlet credit ("The New York Times: ") or a dated line ("Place, 29th January
    2024: ") in front of a sentence, when what follows is a sentence of its own."""
    for pattern in (_CREDIT, _DATED_LINE):
        m = pattern.match(text[start:end])
        if m and len(_WORD.findall(text[start + m.end() : end])) >= 6:
            start += m.end()
    return start


def _embedded_posts(text: str, limit: int) -> list[tuple[int, int]]:
    """Spans of embedded social-media posts: the line (paragraph) above a "— Name
    (@handle) date" signature. (pic.twitter.com links are stripped at load time.)"""
    spans: list[tuple[int, int]] = []
    for m in _POST_SIGNATURE.finditer(text, 0, limit):
        above = text[: m.start()].rstrip("\n")
        spans.append((above.rfind("\n") + 1, m.end()))
    return spans


def _chunks(text: str, limit: int, size: int) -> list[tuple[int, int]]:
    """Consecutive slices of ``text[:limit]`` about ``size`` long, cut at line breaks."""
    out: list[tuple[int, int]] = []
    start = 0
    while start < limit:
        end = min(limit, start + size)
        if end < len(text):
            newline = text.rfind("\n", start + size // 2, end)
            if newline > start:
                end = newline + 1
        out.append((start, end))
        start = end
    return out


def content_sentences(
    article: Article, index: int, *, max_sentences: int = MAX_SENTENCES_PER_ARTICLE
) -> tuple[list[ContentSentence], bool]:
    """Kept sentences of one article and whether the article had to be cut short.

    The text is segmented a slice at a time, so an article that only needs its first
    few sentences (many articles, or a huge one) is not segmented to the end.
    """
    text = article.text
    limit = min(len(text), MAX_CHARS_PER_ARTICLE)
    tail = len(text.rstrip())
    out: list[ContentSentence] = []
    seen: set[str] = set()
    paragraph = 0
    size = max(4000, min(MAX_CHARS_PER_ARTICLE, max_sentences * 400))
    posts = _embedded_posts(text, limit)
    for lo, hi in _chunks(text, limit, size):
        last_paragraph = -1
        for sent in split_sentences(text[lo:hi]):
            last_paragraph = sent.paragraph
            start, end = sent.start + lo, sent.end + lo
            # Bullets and stray quote marks in front of a sentence are not part of it.
            while start < end and text[start] in "•*-–—·|> \t":
                start += 1
            if any(lo_ <= start < hi_ for lo_, hi_ in posts):
                continue
            start = _past_prefix(text, start, end)
            piece = text[start:end]
            if not _is_content(piece, at_end=end >= tail):
                continue
            key = normalise(piece)
            if key in seen:  # the same sentence twice in one article (page repeats) counts once
                continue
            if len(out) >= max_sentences:
                return out, True
            seen.add(key)
            out.append(
                ContentSentence(
                    article=index,
                    start=start,
                    end=end,
                    text=piece,
                    position=len(out),
                    paragraph=paragraph + sent.paragraph,
                )
            )
        paragraph += last_paragraph + 1
    return out, limit < len(text)

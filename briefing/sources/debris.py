"""Page debris: the lines a scraped news page drags along that are not the article.

Share buttons, comment prompts, cookie banners, newsletter pitches, photo credits,
embedded-tweet links, government site banners, "Related:" teasers ... The patterns
are data (tuples of compiled regexes) so a new kind of debris is one line to add.

Conservative by design: a whole-line pattern must match the *entire* stripped line,
and the open-ended ones refuse lines that end like a sentence, so "The council would
share its list with investigators." survives while "Share this article" does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_I = re.IGNORECASE

_SOCIAL = (
    r"facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|instagram|youtube|"
    r"tiktok|threads|bluesky|flipboard|messenger|mastodon|tumblr|vk|email|e-mail|print|"
    r"copy link|copy url|sms"
)
_AGENCIES = (
    r"afp|ap|reuters|associated press|agence france-presse|getty images|epa|anadolu|xinhua|cnn"
)
# A headline-ish tail: no sentence-ending full stop, so real sentences are never matched.
_TEASER = r"[^.!]{0,200}"

# Lines dropped when the whole stripped line matches one of these.
DEBRIS_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        r"share(?: (?:this|the))?(?: article| story| post| page| on \w+)?[:!.]?",
        r"share (?:via|on):?" + _TEASER,
        r"leave a (?:comment|reply)" + _TEASER,
        r"\d+ comments?|comments?(?: \(\d+\))?|view comments|show comments",
        r"no comments?(?: yet)?(?: on" + _TEASER + ")?",
        r"watch(?: now| live| the video| video)?:?",
        r"(?:open|close|toggle) (?:menu|navigation|search)|menu|navigation|toggle navigation",
        r"(?:press \W?enter\W? to )?skip to (?:main )?content",
        r"jump to (?:navigation|search|content)",
        r"search(?: for keyword)?\.?|send to|print(?: this)?(?: article)?",
        r"read (?:more|next|also)\b:?" + _TEASER,
        r"(?:related|see also|also read|recommended|more from" + _TEASER + r")\s*[:|]" + _TEASER,
        r"see also\s{2,}" + _TEASER,
        r"(?:latest|more|popular|trending|recent)(?: from (?:the )?blog| stories| posts| news| now)"
        r"|most (?:read|popular)|you may also like|you might also like|trending( now)?",
        r"advertisement|advertising|sponsored(?: content)?|ad|scroll to continue(?: with content)?",
        r"subscribe\b.{0,100}",
        r"sign up\b.{0,100}\bnewsletters?\b.{0,60}|get our newsletter" + _TEASER,
        r".{0,40}\bwe use cookies\b.*|this (?:site|website) uses cookies\b.*"
        r"|by continuing to (?:use|browse) (?:this|our) (?:site|website)\b.*"
        r"|accept(?: all)? cookies|cookie (?:policy|settings|preferences)|manage cookies",
        r"fbpx",
        r"click here\b.{0,120}",
        rf"(?:{_SOCIAL})(?:\s*[,|/·•]?\s*(?:{_SOCIAL}))*",
        r"(?:©|\(c\)|copyright\b).{0,160}|all rights reserved\.?",
        r"(?:https?://)?pic\.twitter\.com/\w+",
        r"https?://\S+",
        r"[\w .()-]{1,80}\.(?:svg|png|jpe?g|gif|webp)",
        r"your email address will not be published\b.*|required fields are marked\b.*",
        r"\d+\s*min(?:ute)?s? read",
        rf"(?:source:\s*)?(?:{_AGENCIES})\s*[-–—]?",
        rf"\(?(?:{_AGENCIES})(?: photo)?\s*/\s*[\w .'-]{{1,60}}\)?",
        rf"[\w .'-]{{1,60}}\s*/\s*(?:{_AGENCIES})",
        r"shutterstock|getty|(?:photo|image) credit:?" + _TEASER,
        r"an official website of the united states government|here['’]s how you know",
        r"an? \.(?:gov|mil) website belongs to\b.*|.*\bmeans you['’]ve safely connected to the\b.*",
        r"from wikipedia, the free encyclopedia|contents|none",
        r"(?:breaking(?: news)?|published|updated|last updated|posted):?",
        r"home\s*[>›»|/].*|all news|all stories|back to top",
    )
)

# Tag clouds: short all-lowercase fragments ("us hegemony", "john kirby"). Case matters here.
TAG_LINE = re.compile(r"[a-z][a-z0-9 ()'’&-]{0,39}")

# Debris glued into a line: removed, and the rest of the line kept.
DEBRIS_INLINE: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        r"\s*(?:https?://)?pic\.twitter\.com/\w+",
        r"^(?:leave a comment|share this article|advertisement)(?=[A-Z“\"‘'])",
        r"\s*\bfbpx\b",
        r"\[(?:\d{1,3}|citation needed|note \d+|[a-z])\]",
    )
)

# Debris that gives a whole sentence away wherever it appears in it (the offline engine
# drops such sentences). Precise on purpose: a news sentence about a copyright lawsuit,
# tracking cookies or a paper's subscribers must survive; "Subscribe to our newsletter",
# "Copyright 2024 Reuters" and "We use cookies" must not. The publisher's own voice
# ("our newsletter", "follow us on") is what marks the pitches.
DEBRIS_IN_SENTENCE: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        r"https?://|\bwww\.",
        r"\(@\w+\)",  # the signature line of an embedded post
        rf"\bshare (?:this (?:article|story|post|page)|on (?:{_SOCIAL})\b)",
        r"\bleave a (?:comment|reply)\b|(?-i:\bNo Comments?\b)",
        r"^(?:related|see also|also read)\s*:|\bread more\s*(?::|»|›|…|$)|^read more\b",
        r"\bclick here\b",
        r"^subscribe\b|\bsubscribe (?:now|today|here)\b|\bsubscribe (?:to|for) (?:our|my)\b",
        r"\bsign up (?:now|here|today)\b|\bsign up\b[^.]{0,60}\bnewsletters?\b",
        r"\bour\b[^.]{0,30}\bnewsletters?\b|\bnewsletters?\b[^.]{0,40}\binbox\b",
        r"^advertisement\s*(?:$|[-–—:|]|(?-i:(?=[A-Z])))",
        r"\ball rights reserved\b|©|\(c\)\s*\d{4}|\bcopyright\s+(?:©\s*)?(?:\d{4}|\(c\))",
        r"^photo(?:graph)?\s*:|^image\s*:|^(?:file )?photo\b|^caption\b|^credit\s*:",
        r"/\s*getty images|\(\s*getty images|getty images\s*(?:via\b|/|\))|getty images$",
        r"\(ap photo|/ap\)|/reuters\)",
        r"^watch\s*:|\bfollow us (?:on|at)\b|\bopen menu\b|\bfbpx\b",
        r"\bwe use cookies\b|\bthis (?:site|website) uses cookies\b|\bour cookie policy\b"
        r"|^(?:accept|manage|reject)(?: all)? cookies\b|\bcookie (?:settings|preferences)\b"
        r"|\bby continuing to (?:use|browse) (?:this|our) (?:site|website)\b",
        r"^posted by\b|^(?:published|updated|last updated)\s*:|\blast updated\s*:",
        # A byline, "By Jane Doe, Reuters"; case matters, so "By all accounts, ..." and
        # "By Friday, the army ..." are sentences.
        r"(?-i:^[Bb]y [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}(?:,(?: [A-Z][\w.&'-]*)*)?$)",
        r"^source\s*:|^tags?\s*:",
        r"\bwebsite belongs\b|^an official website of\b",
        r"\b(?:enable|turn on) javascript\b|\bjavascript (?:is )?(?:disabled|required)\b",
        r"\byour browser (?:does not|doesn['’]t|is not|isn['’]t)\b"
        r"|\b(?:update|upgrade) your browser\b",
        r"\bskip to (?:main )?content\b",
    )
)

# A line like these, late in a page, starts the teaser block that follows the article.
TAIL_MARKERS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        r"latest from (?:the )?blog",
        r"(?:related|more|recommended|recent|popular)(?: articles| stories| posts| news| reading)",
        r"you (?:may|might) also like|most (?:read|popular)|more from .{1,60}",
        r"leave a reply",
    )
)


def is_debris(line: str) -> bool:
    """True when the whole (stripped) line is page furniture, not article text."""
    s = line.strip().strip("•·*-–— \t").strip()
    if not s:
        return False
    return bool(TAG_LINE.fullmatch(s)) or any(p.fullmatch(s) for p in DEBRIS_LINES)


def strip_inline(line: str) -> str:
    """Remove debris tokens glued into a line of text."""
    for pattern in DEBRIS_INLINE:
        line = pattern.sub("", line)
    return line.strip()


def strip_comment_prefix(line: str, title: str) -> str:
    """Drop a blog's '<category> <date> No Comments on <title>' prefix glued to the lede."""
    m = re.search(r"\bno comments? on\s+", line[:200], _I)
    if not m or not title:
        return line
    rest = line[m.end() :]
    if rest.lower().startswith(title.lower()):
        return rest[len(title) :].strip()
    return line


def _truncate_at_tail(lines: list[str]) -> list[str]:
    """Cut the 'Latest from Blog' / 'Related stories' block that trails the article.

    Only a marker in the second half of the text counts, so an early heading that
    happens to read 'More from Varn' cannot swallow the article.
    """
    for i, line in enumerate(lines):
        if i >= len(lines) / 2 and any(p.fullmatch(line.strip()) for p in TAIL_MARKERS):
            return lines[:i]
    return lines


def clean_lines(lines: Iterable[str], *, title: str = "") -> list[str]:
    """Article lines without page debris; blank lines are kept (they separate paragraphs)."""
    out: list[str] = []
    for raw in lines:
        if not raw.strip():
            out.append("")
            continue
        if is_debris(raw):
            continue
        line = strip_comment_prefix(strip_inline(raw), title)
        if line and not is_debris(line):
            out.append(line)
    return _truncate_at_tail(out)

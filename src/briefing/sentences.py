"""Sentence segmentation with character offsets.

pysbd is a rule-based segmenter that knows English abbreviations ("U.S.", "Gen.",
"p.m.") without downloading a model. It is quadratic in paragraph length, so very
long paragraphs are first cut into windows at likely sentence ends; each window is
then segmented properly. Offsets always point into the original text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

_PARAGRAPH = re.compile(r"[^\n]+")
# A cheap "probably a sentence end" used only to cut long paragraphs into windows.
_ROUGH_END = re.compile(r"[.!?][\"'”’)\]]?\s+(?=[\"“‘(A-Z0-9])")
_WINDOW = 2500
# A piece that opens with these never starts a sentence: pysbd cut after an abbreviation
# it does not know, as in the party-and-state tag of "Sen. Bernie Sanders, I-Vt., has won".
_NO_SENTENCE_START = (",", ";", ":")
# A closing mark pysbd left at the start of the next sentence ('put the "big game trophy
# decision on hold.” The comment comes ...'), or alone at a paragraph's end: it belongs
# to the sentence before.
# A straight mark only closes when the sentence before left one open: '" We have been
# briefed' opens a quotation with a stray space.
_STRAY_CLOSE = re.compile(r"[”’](?:\s+|$)")
_STRAY_STRAIGHT_CLOSE = re.compile(r"\"(?:\s+|$)")
# Who asked or exclaimed, split off after "?”" or "!”": "“...?” Sen. Mitch McConnell,
# R-Ky., asked on Tuesday." is one sentence.
_ASKED_OR_EXCLAIMED = re.compile(r"[?!][\"”’]$")
_SPEAKER_TAIL = re.compile(
    r"[A-Z][^.!?“\"]{0,60}?(?:\.[^.!?“\"]{0,30}?)*\b(?:said|says|asked|asks|wrote|writes|told|"
    r"added|tweeted|declared|replied|responded|shouted|exclaimed)\b[^“\"]{0,80}$"
)
# A state's AP abbreviation before a title or name ("calling for Ariz. Gov. Jan Brewer"),
# where pysbd ends a sentence. After a comma it closes a place ("in Phoenix, Ariz.") and
# may end one.
_STATE_BEFORE_NAME = re.compile(
    r"(?<![,\s])\s+(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|"
    r"Minn|Miss|Mo|Mont|Neb|Nev|N\.H|N\.J|N\.M|N\.Y|N\.C|N\.D|Okla|Ore|Pa|R\.I|S\.C|S\.D|Tenn|"
    r"Vt|Va|Wash|W\.Va|Wis|Wyo)\.$"
)


class Sentence(BaseModel):
    start: int
    end: int
    text: str
    paragraph: int


_local = threading.local()


def _segmenter() -> Any:  # pysbd ships no type hints
    # One per thread: Segmenter.segment keeps the text it works on in the instance,
    # so threads sharing one get each other's sentences.
    seg = getattr(_local, "segmenter", None)
    if seg is None:
        import pysbd

        seg = _local.segmenter = pysbd.Segmenter(language="en", clean=False)
    return seg


def _windows(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > _WINDOW:
        cut = None
        for m in _ROUGH_END.finditer(text, start + _WINDOW // 2, start + _WINDOW * 2):
            cut = m.end()
            if cut - start >= _WINDOW:
                break
        if cut is None:  # no sentence end in sight: a hard cut at whitespace
            ws = text.rfind(" ", start + _WINDOW // 2, start + _WINDOW * 2)
            cut = ws + 1 if ws > start else start + _WINDOW * 2
        yield start, cut
        start = cut
    yield start, end


def _stray_close(previous: str, text: str, pos: int, end: int) -> re.Match[str] | None:
    if previous.count('"') % 2:
        return _STRAY_STRAIGHT_CLOSE.match(text, pos, end) or _STRAY_CLOSE.match(text, pos, end)
    return _STRAY_CLOSE.match(text, pos, end)


def _joins_previous(previous: str, piece: str) -> bool:
    """Whether pysbd cut one sentence in two before ``piece``."""
    if piece.startswith(_NO_SENTENCE_START):
        return True
    if _ASKED_OR_EXCLAIMED.search(previous) and len(piece.split()) <= 20:
        return bool(_SPEAKER_TAIL.match(piece))
    return bool(_STATE_BEFORE_NAME.search(previous)) and piece[:1].isupper()


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, with offsets; blank lines separate paragraphs."""
    seg = _segmenter()
    out: list[Sentence] = []
    for para_no, para in enumerate(_PARAGRAPH.finditer(text)):
        for w_start, w_end in _windows(text, para.start(), para.end()):
            cursor = w_start
            for piece in seg.segment(text[w_start:w_end]):
                stripped = piece.strip()
                if not stripped:
                    continue
                pos = text.find(stripped, cursor, w_end)
                if pos < 0:  # pysbd altered the text; fall back to the cursor position
                    pos = cursor
                end = min(pos + len(stripped), w_end)
                same_paragraph = bool(out) and out[-1].paragraph == para_no
                if same_paragraph and (close := _stray_close(out[-1].text, text, pos, end)):
                    prev = out.pop()
                    out.append(
                        prev.model_copy(update={"end": pos + 1, "text": text[prev.start : pos + 1]})
                    )
                    pos = close.end()
                    if pos >= end:
                        cursor = end
                        continue
                # Again after a join: ", asked on Tuesday." joined to "McConnell, R-Ky."
                # makes the speaker of the question before.
                while (
                    out
                    and out[-1].paragraph == para_no
                    and _joins_previous(out[-1].text, text[pos:end])
                ):
                    pos = out.pop().start
                out.append(Sentence(start=pos, end=end, text=text[pos:end], paragraph=para_no))
                cursor = end
    return out

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
                if stripped.startswith(_NO_SENTENCE_START) and out and out[-1].paragraph == para_no:
                    pos = out.pop().start
                out.append(Sentence(start=pos, end=end, text=text[pos:end], paragraph=para_no))
                cursor = end
    return out

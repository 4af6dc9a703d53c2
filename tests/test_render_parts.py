"""A point joining sentences that different sources back (``Point.parts``): every
renderer puts each sentence's citations right after it, so a source cited for one
sentence never seems to back the figure in the next. The offline bottom line is such
a point when a short lead sentence gets company, and when a toll note follows it."""

from __future__ import annotations

import re

import lxml.html
from briefing_fixture import make_briefing

from briefing.model import Briefing, Point
from briefing.render.email import render_email
from briefing.render.html import render_html
from briefing.render.markdown import render_markdown
from briefing.render.plaintext import render_plaintext

SHARED = "A fire on the ferry Aster Line 7 near Port Kessa on Tuesday killed passengers."
FIGURE = "The operator said nine people died."
NOTE = "Accounts differ on the number killed."


def _joined() -> Briefing:
    b = make_briefing()
    shared, figure = b.bottom_line.citations[:2], b.bottom_line.citations[:1]
    parts = [
        Point(text=SHARED, citations=shared),
        Point(text=FIGURE, citations=figure),
        Point(text=NOTE),
    ]
    bottom = Point(text=" ".join(p.text for p in parts), citations=shared, parts=parts)
    return b.model_copy(update={"bottom_line": bottom})


def _bottom_line(text: str) -> str:
    """The bottom line's text, whitespace folded, from any renderer's plain text (the
    last copy: an e-mail's inbox preview comes first)."""
    flat = re.sub(r"\s+", " ", text.replace("\xa0", " "))
    start = flat.rindex(SHARED)
    return flat[start : flat.index(NOTE, start) + len(NOTE)]


def _expected(cite: str) -> str:
    return f"{SHARED} {cite('[1][2]')} {FIGURE} {cite('[1]')} {NOTE}"


def test_each_sentence_of_a_joined_point_carries_its_own_citations() -> None:
    b = _joined()
    md = render_markdown(b)
    assert _expected(lambda labels: re.sub(r"\[(\d)\]", r"[[\1]][s\1]", labels)) in md

    plain = _expected(lambda labels: labels)
    assert _bottom_line(render_plaintext(b)) == plain
    for page in (render_html(b), render_email(b)):
        text = lxml.html.document_fromstring(page).text_content()
        assert _bottom_line(text) == plain


def test_a_point_of_one_sentence_keeps_its_citations_at_the_end() -> None:
    b = make_briefing()
    assert not b.bottom_line.parts
    assert b.bottom_line.text + " [1][2][3]" in render_plaintext(b).replace("\n", " ")


def test_parts_round_trip_and_single_sentences_carry_no_parts_in_json() -> None:
    b = _joined()
    data = b.to_json()
    assert Briefing.from_json(data).bottom_line.parts == b.bottom_line.parts
    assert data.count('"parts"') == 1  # only the joined point; none on the others

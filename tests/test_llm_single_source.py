"""A note the model calls single-source is checked against the outlets that report it.

The invented Orlen articles of test_llm_chain, plus two more: one from another outlet
that ran a sentence of Orlen Today's word for word, one from Orlen Today itself that
repeats another of its sentences (an update: the same outlet, so still one account).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from llm_server import LLMServer
from test_llm_chain import ARTICLES, TEXT_3, make_config, run

from briefing.model import Article

BOATS = "Volunteers from neighbouring villages brought boats to ferry stranded families"
ALARM = "Witnesses said the spillway alarm never sounded on Tuesday night."

WIRE = Article(
    id="d4d4d4d4d4d4", label=4, title="Orlen clean-up begins", outlet="Valley Wire",
    date="2031-05-08",
    text=f"Clean-up crews reached Orlen on Thursday. {BOATS} across the river, residents said.",
)  # fmt: skip
UPDATE = Article(
    id="e5e5e5e5e5e5", label=5, title="Orlen: questions over alarm", outlet="Orlen Today",
    date="2031-05-09", text=f"{ALARM} The water authority said it would test every siren.",
)  # fmt: skip


def _cite(label: int, quote: str) -> list[dict[str, Any]]:
    return [{"id": None, "article_id": str(label), "quote": quote}]


def scripted_reduce(body: dict[str, Any]) -> str:
    return json.dumps(
        {
            "headline": "Orlen flood",
            "bottom_line": {"text": "A spillway flood hit Orlen.",
                            "citations": _cite(3, "the flood in the lower town of Orlen")},
            "points": [],
            "divergences": [],
            "single_source": [
                {"text": "Volunteers brought boats.", "citations": _cite(3, BOATS)},
                {"text": "The alarm never sounded.", "citations": _cite(3, ALARM)},
                {"text": "Schools stay closed.",
                 "citations": _cite(1, "Schools in the lower town will stay closed")},
            ],
            "timeline": [],
        }
    )  # fmt: skip


def test_a_single_source_note_another_outlet_reports_becomes_a_point(
    llm_server: LLMServer, tmp_path: Path
) -> None:
    assert BOATS in TEXT_3 and ALARM in TEXT_3
    llm_server.inject("reply", "reduce", times=1, content=scripted_reduce)
    b = run(make_config(llm_server, tmp_path), [*ARTICLES, WIRE, UPDATE])
    singles = {note.text: note.citation.article_id for note in b.single_source}
    # The alarm is in two Orlen Today articles only, the schools in one article.
    assert singles == {
        "The alarm never sounded.": "c3c3c3c3c3c3",
        "Schools stay closed.": "a1a1a1a1a1a1",
    }
    [boats] = [p for p in b.points if p.text == "Volunteers brought boats."]
    assert {c.article_id for c in boats.citations} == {"c3c3c3c3c3c3", "d4d4d4d4d4d4"}
    for cit in boats.citations:
        text = (WIRE if cit.article_id == WIRE.id else ARTICLES[2]).text
        assert text[cit.start : cit.end] == BOATS
    assert b.run.usage["single_source_reported_elsewhere"] == 1

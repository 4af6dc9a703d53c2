"""Yes/no divergences: one source says something happened, another that it did not.

A denial that itself reports the claim it answers ("countering an earlier council
statement") is a correction over time; the briefing says so instead of presenting the
claim's source as taking the other side. Articles invented (Norland, Dorvel).
"""

from __future__ import annotations

from functools import partial

from offline_sentences import invented

from briefing.model import Divergence
from briefing.offline import build_briefing

_article = partial(invented, prefix="yesno")

CLAIM = (
    "Council spokesman Arvid Lenk said the Norland council had notified the Dorvel port "
    "authority before the harbour closure on Friday."
)
FILLER = "Ferries to Dorvel were cancelled for the weekend, operators said."


def _against_the_claim(denial: str) -> Divergence:
    """The yes/no divergence of CLAIM against ``denial``, each with filler after it."""
    b = build_briefing([_article(1, f"{CLAIM} {FILLER}"), _article(2, f"{denial} {FILLER}")])
    [d] = [d for d in b.divergences if d.kind == "other" and "“" in d.topic]
    return d


def test_a_plain_denial_is_a_disagreement() -> None:
    d = _against_the_claim(
        "The Norland council did not notify the Dorvel port authority before the harbour "
        "closure on Friday, port officials said."
    )
    assert d.topic.startswith("Whether it happened: “notified the Dorvel port authority")
    assert d.note == "Some sources affirm this; others say it did not happen."


def test_a_denial_reporting_the_claim_it_answers_is_a_correction() -> None:
    d = _against_the_claim(
        "The Norland council did not notify the Dorvel port authority before the harbour "
        "closure on Friday, a council lawyer said on Monday, countering an earlier "
        "statement by its spokesman."
    )
    assert d.topic.startswith("Claim and correction: “notified the Dorvel port authority")
    assert d.note == (
        "[2] reports the claim and that it was later contradicted; [1] reports the claim "
        "without that."
    )
    assert [v.citation.article_id for v in d.versions] == ["yesno00000001", "yesno00000002"]


def test_a_denial_dated_earlier_is_still_a_plain_disagreement() -> None:
    d = _against_the_claim(
        "The Norland council did not notify the Dorvel port authority before the harbour "
        "closure earlier on Friday, port officials said."
    )
    assert d.topic.startswith("Whether it happened:")

"""Offline engine: articles that lead with one fact in their own words are cited together.

Regression test for a three-source primary story: each outlet led with "Sanders won"
in other words ("has won" / "emerged as the winner" / "with a victory in"), the pairwise
TF-IDF cosine stayed under the link threshold (the shared words are the story's own, so
they weigh little), and the briefing said the same thing three times, once per source.
The guards: leads that share only the story's names and words, or that deny or forecast
the fact, stay apart. All articles are invented (Vesnar, Halden, Marlow).
"""

from __future__ import annotations

import re
from functools import partial

from offline_sentences import invented, sentence_at, support_over

from briefing.model import Article, Briefing, Point
from briefing.offline import build_briefing
from briefing.offline.leads import same_fact, terms

_article = partial(invented, prefix="lead")
_WON = re.compile(r"\b(?:won|winner|victory)\b")
_SEQUELS = re.compile(r"lifting|Pask trailed|rivals fought")

PRIMARY = [
    "Gov. Mira Tallis, R-Vesnar, has won the Vesnar primary, Channel 9 projects, lifting "
    "the two-term governor to the head of the still-crowded Unity Party field. Tallis had "
    "led rival Oren Pask in every Vesnar poll this month, though by a smaller margin than "
    "in her first race. Pask thanked his volunteers in Halden late on Tuesday.",
    "Gov. Mira Tallis emerged as the winner in Vesnar's primary "
    "Tuesday, but former mayor Oren Pask trailed closely behind. Turnout across Vesnar was "
    "the highest in a decade, election officials said. Tallis told supporters in Halden that "
    "the Unity Party would leave the primary united.",
    "Gov. Mira Tallis took unchallenged control of the Unity Party's reform wing with a "
    "victory in the Vesnar primary Tuesday as two rivals fought over second place. Pask's "
    "campaign said it would carry on to the Marlow caucus next month. The Marlow caucus "
    "has picked the party's nominee in four of the last five cycles.",
]


def _points(b: Briefing) -> list[Point]:
    return [b.bottom_line, *b.points]


def _labels(b: Briefing, point: Point) -> list[int]:
    label = {s.id: s.label for s in b.sources}
    return sorted({label[c.article_id] for c in point.citations})


def _articles(texts: list[str]) -> list[Article]:
    return [_article(k + 1, text) for k, text in enumerate(texts)]


def test_leads_reporting_one_fact_in_other_words_are_one_point_citing_them_all() -> None:
    articles = _articles(PRIMARY)
    support, sents = support_over(articles)
    leads = [sentence_at(sents, k, "Gov. Mira Tallis") for k in range(3)]
    # The cosine alone would never link them: that is the case this rule is for.
    assert all(support.similarity(leads[0], j) < 0.3 for j in leads[1:])

    b = build_briefing(articles)
    won = [p for p in _points(b) if _WON.search(p.text)]
    # One point says she won, citing all three sources; nothing repeats it.
    assert len(won) == 1, [p.text for p in won]
    assert _labels(b, won[0]) == [1, 2, 3]
    # Worded as the fact all three lead with, without its source's own sequel ("but
    # Pask trailed closely behind"), which the others do not report.
    assert not _SEQUELS.search(won[0].text), won[0].text


def test_a_lead_sharing_only_the_story_s_words_is_not_cited() -> None:
    won = "Gov. Mira Tallis, R-Vesnar, has won the Vesnar primary on Tuesday, Channel 9 projects."
    # The same names and the story's words, another fact.
    thanked = "Gov. Mira Tallis thanked Vesnar primary volunteers in Halden on Tuesday."
    assert not same_fact(terms(won), terms(thanked))
    # The same predicate about someone else.
    pask = "Oren Pask has won the Marlow caucus, Channel 9 projects."
    assert not same_fact(terms(won), terms(pask))
    # Denied or only forecast, it is not the fact.
    lost = "Gov. Mira Tallis has not won the Vesnar primary, Channel 9 projects."
    expected = "Gov. Mira Tallis is expected to win the Vesnar primary, Channel 9 projects."
    assert not same_fact(terms(won), terms(lost))
    assert not same_fact(terms(won), terms(expected))
    # The other way round it is the fact, in other words.
    winner = "Gov. Mira Tallis emerged as the winner in the Vesnar primary on Tuesday."
    assert same_fact(terms(won), terms(winner))

    # In a briefing: source 1's lead is cited with none of these.
    others = [
        "Gov. Mira Tallis thanked Vesnar primary volunteers in Halden on Tuesday, before "
        "results came in. Turnout across Vesnar was the highest in a decade.",
        "Gov. Mira Tallis was favored to win Tuesday's Vesnar primary as polls opened across "
        "the snowbound north. Oren Pask spent the day in Marlow.",
        "Gov. Mira Tallis did not win the Vesnar primary outright, early returns from the "
        "snowbound north showed. Oren Pask spent the day in Marlow.",
    ]
    articles = _articles([PRIMARY[0], *others])
    support, sents = support_over(articles)
    lead = sentence_at(sents, 0, "has won")
    # Beyond the cosine's reach, so only the lead rule could have linked them.
    assert all(support.similarity(lead, sentence_at(sents, k, "Tallis")) < 0.3 for k in (1, 2, 3))
    b = build_briefing(articles)
    for point in _points(b):
        quotes = [c.quote for c in point.citations]
        if any("has won" in q for q in quotes):
            assert _labels(b, point) == [1], quotes

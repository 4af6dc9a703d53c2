"""The off-topic check, on short invented articles (a ferry fire in Kestrel Bay).

Three reports of the fire, a statement-and-background piece on the same fire that
shares almost no sentence with them, and a council budget story from another town.
"""

from __future__ import annotations

from collections.abc import Sequence

import briefing.offline.off_topic as check
from briefing.model import Article
from briefing.offline import build_briefing
from briefing.offline.grouping import build_links
from briefing.offline.segment import ContentSentence, content_sentences
from briefing.offline.vectors import build_space

FIRE = [
    (
        "Kestrel Bay Courier",
        "A fire broke out aboard the ferry Marisol Grey in Kestrel Bay on Tuesday morning. "
        "Fourteen passengers were hurt when the blaze spread from the engine room. "
        "The coastguard rescued all 212 people on board and brought them ashore. "
        "Fire chief Ines Darrow said the cause of the fire is not yet known. "
        "The Marisol Grey was towed back to the harbour after the flames were put out. "
        "Bluewake Lines, which runs the ferry, has suspended its Kestrel Bay crossings. "
        "Three of the injured passengers remain in hospital.",
    ),
    (
        "Harbour Wire",
        "Fourteen people were injured on Tuesday when fire swept through the ferry Marisol "
        "Grey off Kestrel Bay. "
        "The blaze started in the engine room and spread quickly, passengers said. "
        "Coastguard boats rescued the 212 passengers and crew on board. "
        "Fire chief Ines Darrow told reporters the cause of the blaze was still unknown. "
        "Tugs towed the Marisol Grey back to the harbour in the afternoon. "
        "Bluewake Lines suspended all crossings from Kestrel Bay until further notice. "
        "Three passengers are still in hospital.",
    ),
    (
        "Coastal Times",
        "The ferry Marisol Grey caught fire in Kestrel Bay on Tuesday, injuring fourteen "
        "passengers. "
        "Flames spread from the engine room across the lower deck. "
        "The coastguard rescued all 212 people on board. "
        "The cause of the fire is not known, fire chief Ines Darrow said. "
        "The burnt ferry was towed back to the harbour. "
        "Its operator, Bluewake Lines, suspended its crossings from Kestrel Bay. "
        "Three of the injured remain in hospital, officials said.",
    ),
]
# The same fire from another angle: the operator's statement, the union, the ship's
# history. It names the story's ferry, operator, town and fire chief, but reports
# nothing the three reports above report.
REACTION = (
    "Seafarers Gazette",
    "The head of Bluewake Lines has apologised to the families of the Marisol Grey crew. "
    "Chief executive Tamsin Holloway promised a full review of the company's fleet. "
    "The seafarers' union in Kestrel Bay has long warned that the vessel was too old. "
    "Built in 1994, the Marisol Grey passed its last inspection in March. "
    "Union secretary Pavel Orr wants every Bluewake Lines vessel checked. "
    "Ines Darrow will hand her findings to maritime investigators next week. "
    "Shares in Bluewake Lines fell sharply in early trading.",
)
# The same facts, told without a single name: its sentences match the reports'.
UNNAMED = (
    "Night Desk",
    "A passenger ferry caught fire on Tuesday morning, injuring fourteen passengers. "
    "The blaze started in the engine room and spread quickly. "
    "The coastguard rescued all 212 people on board. "
    "The cause of the fire is not yet known, officials said. "
    "The ferry was towed back to the harbour after the flames were put out. "
    "All crossings have been suspended. "
    "Three of the injured passengers remain in hospital.",
)
# Another story altogether, from another town.
COUNCIL = (
    "Ormsby Evening Post",
    "Ormsby city council approved a new budget for its public library late on Tuesday. "
    "Councillors voted nine to four to fund longer opening hours on weekends. "
    "Mayor Tobias Fenn called the vote a win for families and students. "
    "The library will also hire six new staff members before the autumn term. "
    "Opponents on the council argued the money should repair local roads instead. "
    "A new reading room for children is planned for the old post office building. "
    "The changes take effect at the start of next month.",
)


def _articles(stories: Sequence[tuple[str, str]]) -> list[Article]:
    return [
        Article(id=f"offtopic{k:04d}", label=k, title=outlet, outlet=outlet, text=text)
        for k, (outlet, text) in enumerate(stories, 1)
    ]


def _warnings(stories: Sequence[tuple[str, str]]) -> list[str]:
    articles = _articles(stories)
    sents: list[ContentSentence] = []
    for k, article in enumerate(articles):
        sents.extend(content_sentences(article, k)[0])
    links = build_links(sents, build_space([s.text for s in sents]).sim, len(articles))
    return check.stray_warnings(articles, check.stray_articles(articles, sents, links))


def test_an_article_on_another_story_is_named_in_one_line() -> None:
    warnings = _warnings([*FIRE, COUNCIL])
    assert len(warnings) == 1
    assert warnings[0].startswith("article [4] (Ormsby Evening Post) reports none of the facts")
    assert "check it is about the same story, or leave it out" in warnings[0]
    assert "\n" not in warnings[0]


def test_a_different_angle_on_the_same_event_is_not_flagged() -> None:
    # Only its names tie it to the story: none of its sentences matches another article's.
    assert _warnings([*FIRE, REACTION]) == []
    assert _warnings([*FIRE, REACTION, COUNCIL])[0].startswith("article [5] (Ormsby Evening")


def test_an_article_reporting_the_same_facts_without_names_is_not_flagged() -> None:
    assert _warnings([*FIRE, UNNAMED]) == []


def test_two_articles_give_nothing() -> None:
    assert _warnings([FIRE[0], COUNCIL]) == []


def test_names_are_capitalised_words_past_the_first() -> None:
    names = check._names("Officials in Kestrel Bay blamed Iran-backed militias on Tuesday.")
    assert names == {"kestrel", "bay", "iran"}


def test_the_engine_reports_the_stray_article_among_its_run_warnings() -> None:
    briefing = build_briefing(_articles([*FIRE, COUNCIL]))
    assert any(w.startswith("article [4] (Ormsby Evening Post)") for w in briefing.run.warnings)


def test_a_stray_both_checks_find_is_named_once() -> None:
    from briefing.coherence import find_strays
    from briefing.pipeline import build_briefing as pipeline_build

    articles = _articles([*FIRE, COUNCIL])
    # The word-level check (briefing.coherence) names the council story too ...
    assert [a.label for a in find_strays(articles)] == [4]
    assert _warnings([*FIRE, COUNCIL])  # ... and so does the engine's own, on its own.
    warnings = pipeline_build(articles, engine="offline").run.warnings
    about_4 = [w for w in warnings if "[4]" in w]
    assert len(about_4) == 1 and "shares almost no words or names" in about_4[0]


def test_the_stray_article_is_cited_nowhere() -> None:
    # What only the council story reports is news of nothing here: not a key point of
    # the ferry fire, nor "reported by only one source".
    label = 4
    # Dated, so that "late on Tuesday" would make a timeline entry.
    articles = [a.model_copy(update={"date": "2026-03-05"}) for a in _articles([*FIRE, COUNCIL])]
    for known in ((), [label]):  # found by the engine, or named by briefing.coherence
        briefing = build_briefing(articles, known_strays=known)
        stray = next(s.id for s in briefing.sources if s.label == label)
        assert briefing.points and briefing.timeline
        assert stray not in briefing.cited_ids(), known


def test_the_stray_article_s_title_is_not_the_headline() -> None:
    # The reports' own titles are too short to name the story; the council story's title
    # is the only full one, and it names another story.
    titles = ["Ferry fire", "Fire", "Kestrel Bay", "Ormsby council approves its library budget"]
    articles = [
        a.model_copy(update={"title": title})
        for a, title in zip(_articles([*FIRE, COUNCIL]), titles, strict=True)
    ]
    for known in ((), [4]):  # found by the engine, or named by briefing.coherence
        briefing = build_briefing(articles, known_strays=known)
        assert "Ormsby" not in briefing.headline, known
        assert "Marisol Grey" in briefing.headline, known

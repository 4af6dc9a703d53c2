"""Offline engine end to end, on short invented articles (Port Ellery, Norland, Dorvel)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.model import ONE_ARTICLE_WARNING, Article, Briefing, Citation
from briefing.offline import build_briefing

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples" / "halvosk-convoy-strike"
PORT_ELLERY = HERE / "fixtures" / "offline" / "port-ellery"


def _article(label: int, text: str, *, title: str, date: str | None = "2025-06-14") -> Article:
    return Article(id=f"fixture{label:05d}", label=label, title=title, text=text, date=date)


@pytest.fixture(scope="module")
def port_ellery() -> list[Article]:
    """Three invented reports of one protest: title line, blank line, body."""
    articles = []
    for label, path in enumerate(sorted(PORT_ELLERY.glob("*.txt")), 1):
        title, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        articles.append(_article(label, body, title=title))
    return articles


@pytest.fixture(scope="module")
def briefing(port_ellery: list[Article]) -> Briefing:
    return build_briefing(port_ellery)


def _citations(b: Briefing) -> Iterator[Citation]:
    for point in [b.bottom_line, *b.points, *b.unverified]:
        yield from point.citations
    for d in b.divergences:
        for v in d.versions:
            yield v.citation
    for note in b.single_source:
        yield note.citation
    for entry in b.timeline:
        yield from entry.citations


def _label(articles: list[Article], citation: Citation) -> int:
    return next(a.label for a in articles if a.id == citation.article_id)


def test_every_citation_quotes_its_article_exactly(
    port_ellery: list[Article], briefing: Briefing
) -> None:
    texts = {a.id: a.text for a in port_ellery}
    citations = list(_citations(briefing))
    assert len(citations) > 10
    for c in citations:
        assert c.quote == texts[c.article_id][c.start : c.end]
        assert c.quote.strip()


def test_run_info_sources_and_headline(port_ellery: list[Article], briefing: Briefing) -> None:
    assert briefing.run.engine == "offline"
    assert briefing.run.counts["articles"] == 3
    assert [s.id for s in briefing.sources] == [a.id for a in port_ellery]
    assert briefing.headline in {
        "Forty arrested as shipyard protest turns violent",
        "Rioters smash city hall windows",
        "About 40 protesters arrested in Port Ellery",
    }
    assert build_briefing(port_ellery, title="My title").headline == "My title"


def test_point_cites_every_source_reporting_the_fact(
    port_ellery: list[Article], briefing: Briefing
) -> None:
    closure = [
        p
        for p in [briefing.bottom_line, *briefing.points]
        if "Keller Marine" in p.text and "close" in p.text
    ]
    assert len(closure) == 1
    # The closure may share the bottom line with another sentence: its own citations.
    own = [c for c in closure[0].citations if "Keller Marine" in c.quote]
    assert sorted(_label(port_ellery, c) for c in own) == [1, 2, 3]
    assert not [c for c in closure[0].citations if "shipyard" in c.quote and c not in own]


def test_numeric_divergence_on_arrests_with_each_side_sourced(
    port_ellery: list[Article], briefing: Briefing
) -> None:
    numeric = [d for d in briefing.divergences if d.kind == "numeric"]
    arrests = [d for d in numeric if "detained" in d.topic]
    assert len(arrests) == 1, [d.topic for d in numeric]
    sides = {_label(port_ellery, v.citation): v.text for v in arrests[0].versions}
    assert "23" in sides[2]
    assert "at least 40" in sides[1]
    # "Twelve police officers were injured" / "Twelve officers were hurt": no conflict.
    assert not [d for d in numeric if "injured" in d.topic]


def test_attribution_divergence_names_each_speaker(
    port_ellery: list[Article], briefing: Briefing
) -> None:
    who = [d for d in briefing.divergences if d.kind == "attribution"]
    assert len(who) == 1
    assert who[0].topic.startswith("Who said")
    assert "two thousand jobs" in who[0].topic
    speakers = {_label(port_ellery, v.citation): v.text for v in who[0].versions}
    assert "Brandt" in speakers[1]
    assert "Varga" in speakers[2]


def test_framing_divergence_protesters_vs_rioters(
    port_ellery: list[Article], briefing: Briefing
) -> None:
    framing = [d for d in briefing.divergences if d.kind == "framing"]
    assert len(framing) == 1
    assert "protesters" in framing[0].topic and "rioters" in framing[0].topic
    by_label = {_label(port_ellery, v.citation): v.text.lower() for v in framing[0].versions}
    assert "rioters" in by_label[2]
    assert "protesters" in by_label[1] or "protesters" in by_label[3]


def test_single_source_note_for_fact_only_one_outlet_has(port_ellery: list[Article]) -> None:
    # Few points, so the hospital fact is left for the single-source section.
    b = build_briefing(port_ellery, max_points=2)
    notes = [n for n in b.single_source if "Anton Berg" in n.text]
    assert len(notes) == 1
    assert _label(port_ellery, notes[0].citation) == 3
    assert all("Anton Berg" not in p.text for p in [b.bottom_line, *b.points])
    # Facts reported by two or more outlets never count as single-source.
    assert all("Keller Marine" not in n.text for n in b.single_source)


def test_point_does_not_cite_a_source_giving_another_speaker(
    port_ellery: list[Article], briefing: Briefing
) -> None:
    quote = [p for p in briefing.points if "two thousand jobs" in p.text]
    assert len(quote) == 1
    assert [_label(port_ellery, c) for c in quote[0].citations] == [1]


def test_timeline_resolves_weekdays_against_article_date(briefing: Briefing) -> None:
    whens = [e.when for e in briefing.timeline]
    assert whens == sorted(whens)
    assert any(w.startswith("2025-06-13") for w in whens)  # "on Friday" before Sat 14 June
    assert any(w.startswith("2025-06-10") for w in whens)  # "on Tuesday"
    friday = next(e for e in briefing.timeline if e.when.startswith("2025-06-13"))
    assert "Friday" in friday.label


def test_deterministic_output(port_ellery: list[Article]) -> None:
    def dump() -> dict[str, object]:
        data = json.loads(build_briefing(port_ellery).to_json())
        data["run"].pop("generated_at")
        data["run"].pop("timings")
        return data

    assert dump() == dump()


def test_max_points_and_progress(port_ellery: list[Article]) -> None:
    stages: list[str] = []
    b = build_briefing(port_ellery, max_points=2, progress=lambda s, d, t: stages.append(s))
    assert len(b.points) <= 2
    assert {"segment", "group", "divergences"} <= set(stages)
    assert build_briefing(port_ellery, max_points=0).points == []


def test_one_article_still_has_points_but_no_divergences(port_ellery: list[Article]) -> None:
    only = port_ellery[0]
    b = build_briefing([only])
    assert b.points
    assert all(c.article_id == only.id for p in [b.bottom_line, *b.points] for c in p.citations)
    assert all(p.citations for p in [b.bottom_line, *b.points])
    assert b.divergences == []
    assert b.run.warnings == [ONE_ARTICLE_WARNING]


def test_compatible_figures_and_other_places_are_not_divergences() -> None:
    articles = [
        _article(
            1, "At least 16 people were killed in Norland when the dam failed on Sunday.", title="a"
        ),
        _article(
            2,
            "Sixteen people were killed in Norland after the dam failed, officials said.",
            title="b",
        ),
        _article(
            3,
            "Five people were killed in Sudmark when the river flooded the lower town.",
            title="c",
        ),
        _article(
            4,
            "Three soldiers were killed near the dam while helping residents, the army said.",
            title="d",
        ),
    ]
    assert [d for d in build_briefing(articles).divergences if d.kind == "numeric"] == []


def test_victims_framing_civilians_vs_militants_same_toll() -> None:
    articles = [
        _article(
            1,
            "Nine civilians were killed when a shell hit the market in Dorvel on Sunday.",
            title="a",
        ),
        _article(
            2,
            "Nine militants were killed when a shell hit the market in Dorvel on Sunday.",
            title="b",
        ),
    ]
    b = build_briefing(articles)
    assert [d.kind for d in b.divergences] == ["framing"]
    d = b.divergences[0]
    assert d.topic == "Who was killed in Dorvel: civilians vs militants"
    sides = {_label(articles, v.citation): v.text for v in d.versions}
    assert "civilians" in sides[1] and "militants" in sides[2]


def test_empty_and_debris_only_articles_do_not_crash() -> None:
    articles = [
        _article(1, "Share this article\nLeave a comment", title="Debris"),
        _article(2, "", title="Empty"),
    ]
    b = build_briefing(articles)
    assert b.points == [] and b.divergences == []
    assert b.run.warnings == [
        "[1] [2]: no usable sentences (too short or only page debris)",
        "no usable sentences: the briefing has no key points",
    ]


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/ not present")
def test_examples_story_surfaces_planted_divergences() -> None:
    from briefing.sources import load_articles

    articles = load_articles([str(EXAMPLES)]).articles
    assert len(articles) == 4
    b = build_briefing(articles)
    label = {a.id: a.label for a in articles}

    def sides(kind: str, word: str) -> dict[int, str]:
        found = [d for d in b.divergences if d.kind == kind and word in d.topic]
        assert len(found) == 1, [d.topic for d in b.divergences]
        return {label[v.citation.article_id]: v.text for v in found[0].versions}

    toll = sides("numeric", "killed")
    assert "12" in toll[1] and "Nine" in toll[2] and "20" in toll[3] and "seven" in toll[4]
    said = sides("attribution", "weapons smuggled")
    assert "Roake" in said[1] and "Veyrin" in said[2]
    framing = sides("framing", "civilians vs militants")
    assert "civilians" in framing[3] and "militants" in framing[4]
    when = sides("other", "Time")
    assert "2 a.m." in when[1] and "Monday" in when[2] and "4 a.m." in when[3]
    hospital = [n for n in b.single_source if "Hospital" in n.text]
    assert hospital and all(label[n.citation.article_id] == 3 for n in hospital)
    cited = {label[c.article_id] for c in _citations(b)}
    assert cited == {1, 2, 3, 4}


def test_long_article_is_capped_with_a_warning() -> None:
    text = "\n".join(
        f"Barge {i} reached the Norland quay at dawn with {i + 3} crates of grain and salt."
        for i in range(600)
    )
    b = build_briefing([_article(1, text, title="Long"), _article(2, text[:2000], title="Short")])
    assert b.run.counts["sentences"] < 600
    assert any("[1] is long" in w for w in b.run.warnings)


def test_the_bottom_line_reads_whole_on_its_own() -> None:
    # The only sentences telling of the ruling lean on the one before them ("In the
    # other case", "And his ..."): the bottom line is a sentence that reads whole.
    court = (
        "The Veldran high court on Monday issued two rulings on police immunity in cases "
        "brought by families in Orsk. "
    )
    lean = "In the other case, two officers were sued by the family of a man they shot and killed. "
    texts = [
        court + lean + "Lawyers for the families said they would appeal.",
        court + "And his lawyers said the officers shot and killed him without warning. "
        "The city declined to comment on the rulings.",
    ]
    b = build_briefing([_article(n, t, title=f"Court report {n}") for n, t in enumerate(texts, 1)])
    assert b.bottom_line.text.startswith("The Veldran high court on Monday issued two rulings")
    assert not b.bottom_line.text.startswith(("In the other case", "His lawyers"))


def test_key_points_do_not_lean_on_a_sentence_the_reader_does_not_see() -> None:
    # "It could have been far worse." and "“It's not against the president,” she said."
    # were key points: out of their article they say nothing. A quote whose speaker is
    # named stays, however it opens.
    texts = [
        "The Orsk dam burst on Monday, flooding the lower town, the Orsk mayor said. "
        "It could have been far worse. "
        "“It is not against the engineers,” she said. "
        "“We have had to close the school,” a teacher said. "
        "“They warned us for years,” said Maren Oske, who lives by the river. "
        "Crews closed the road to the valley.",
        "The Orsk dam burst on Monday and flooded the lower town, officials said. "
        "Engineers had inspected the dam in May.",
    ]
    b = build_briefing([_article(n, t, title=f"Dam report {n}") for n, t in enumerate(texts, 1)])
    shown = [p.text for p in b.points]
    assert "“They warned us for years,” said Maren Oske, who lives by the river." in shown
    for leaning in ("It could have been", "“It is not against", "“We have had"):
        assert not any(text.startswith(leaning) for text in shown), shown


def test_a_disputed_figure_the_bottom_line_must_state_is_said_to_be_disputed() -> None:
    # Both accounts of the burst give the number of villages, and they differ: the
    # bottom line said "four villages", citing the source that says three, and nothing
    # more; casualty figures already carried the note.
    texts = [
        "The Orsk dam burst on Tuesday morning, flooding three villages downstream, "
        "officials said. Rescue crews evacuated 240 residents of Lenn by noon.",
        "The Orsk dam burst on Tuesday, flooding four villages, the governor said. "
        "The cause of the failure is not yet known, engineers said.",
    ]
    b = build_briefing([_article(n, t, title=f"Dam report {n}") for n, t in enumerate(texts, 1)])
    assert "villages" in b.bottom_line.text.split(".")[0]
    assert b.bottom_line.text.endswith(
        "Accounts differ on the number of villages (see “Where accounts diverge”)."
    )
    assert any(d.topic == "Number of villages" for d in b.divergences)


def test_a_deal_struck_is_not_the_event_of_the_bottom_line() -> None:
    # "struck" in "the deal she struck" is no blow: the sentence both sources share wins.
    shared = (
        "Prime Minister Anna Kessel will face a confidence vote of her party's lawmakers on "
        "Wednesday, a party official said."
    )
    articles = [
        _article(
            1,
            f"{shared} Norland's exit from the union has been plunged into crisis over the "
            "trade deal she struck with Sudmark last month, which lawmakers reject.",
            title="Kessel faces confidence vote",
        ),
        _article(
            2,
            f"{shared} The vote was triggered when 48 lawmakers sent letters to the party's "
            "chairman.",
            title="Kessel to face vote",
        ),
    ]
    bottom = build_briefing(articles).bottom_line
    assert bottom.text.startswith("Prime Minister Anna Kessel will face"), bottom.text
    assert len({c.article_id for c in bottom.citations}) == 2


def test_a_shot_mandate_is_no_event_for_the_bottom_line() -> None:
    # A user trial: "employees protesting the shot mandate" told of an event ("shot"),
    # the only one, so the bottom line was a rumour, not the flights cancelled.
    articles = [
        _article(
            1,
            "Norland Air cancelled more than 1,000 flights over the weekend, stranding "
            "passengers across the country. The airline blamed storms at its Dorvel hub.",
            title="Norland Air cancels flights",
        ),
        _article(
            2,
            "Rumours spread online that the cancellations were due to pilots protesting the "
            "shot mandate. Norland Air said the storms at Dorvel were to blame.",
            title="Airline denies sick-out",
        ),
    ]
    bottom = build_briefing(articles).bottom_line
    assert bottom.text.startswith("Norland Air cancelled more than 1,000 flights"), bottom.text


def test_a_politician_s_own_act_is_the_event_of_the_bottom_line() -> None:
    # "Christie announced he's running for president" lost to a background sentence on
    # a storm, since "announced" after a speaker read as a claim and "storm" as the event.
    articles = [
        _article(
            1,
            "Governor Lena Marsh of Dorvel announced she is running for president in 2026, "
            "promising voters cheaper ferries and a new harbour bridge. "
            "Marsh focused on her province rather than the vote held days after the storm "
            "ravaged the Dorvel coast.",
            title="Marsh runs for president",
        ),
        _article(
            2,
            "Governor Lena Marsh declared a bid for president on Tuesday in Varsk, promising "
            "voters cheaper ferries and a new bridge. "
            "The storm ravaged the Dorvel coast days before the vote.",
            title="Marsh declares bid",
        ),
    ]
    bottom = build_briefing(articles).bottom_line
    assert bottom.text.startswith("Governor Lena Marsh"), bottom.text


@pytest.mark.parametrize(
    "background",
    [
        "The Dorvel council had approved a first bridge plan for the harbour district.",
        "The Dorvel council approved a first bridge plan in August for the harbour district.",
        "The Dorvel council approved a first bridge plan for the harbour district back in 2019.",
    ],
)
def test_an_earlier_step_is_background_not_the_bottom_line(background: str) -> None:
    # "Obama had nominated Garland", "Biton pleaded guilty in August": told by every
    # source as background, such a step is not what happened.
    news = (
        "Mayor Tobias Fenn vetoed the harbour bridge budget on Friday in Dorvel, saying "
        "the plan would cost the city far too much."
    )
    articles = [
        _article(1, f"{news} {background}", title="Fenn vetoes bridge budget"),
        _article(2, f"{background} Fenn said the plan cost too much.", title="Bridge veto"),
    ]
    bottom = build_briefing(articles).bottom_line
    assert bottom.text.startswith("Mayor Tobias Fenn vetoed"), bottom.text


def test_a_month_dating_a_figure_does_not_make_the_step_background() -> None:
    # "released a report showing that inflation hit 8.6% in May": the release is news;
    # only a month right after the step ("pleaded guilty in August") dates it back.
    news = (
        "The Dorvel council approved a budget on Friday that raises ferry fares by 8.6% "
        "in May, the steepest rise in 40 years."
    )
    other = (
        "The harbour board approved new ferry timetables for the winter on Monday, adding "
        "two late sailings to Varsk each week."
    )
    articles = [
        _article(1, f"{news} {other}", title="Fares up 8.6%"),
        _article(2, f"{news} Ferries run hourly.", title="Fares"),
    ]
    bottom = build_briefing(articles).bottom_line
    assert bottom.text.startswith("The Dorvel council approved a budget"), bottom.text


def test_a_fact_ranked_but_not_shown_as_a_point_can_be_a_single_source_note() -> None:
    """The engine ranks a couple of spare groups beyond the points it shows; a sentence
    only one source reports must not be kept off the page for being one of them."""
    shared = "A cargo ship ran aground off Keller Point on Tuesday morning, the coast guard said. "
    rescued = "All 14 crew members were rescued by lifeboat crews from Dunmore. "
    lone = {
        "Ilse Brandt": "Harbour master Ilse Brandt said about 2,000 litres of fuel had leaked. ",
        "Mara Quist": "Local councillor Mara Quist said 300 residents signed a petition. ",
        "Vessa Lines": "The Vessa Lines freighter was bound for Port Anvers with timber. ",
    }
    articles = [
        _article(1, shared + lone["Ilse Brandt"] + rescued, title="Ship aground"),
        _article(2, shared + rescued + lone["Vessa Lines"], title="Freighter aground"),
        _article(3, shared + rescued + lone["Mara Quist"], title="Cargo ship grounded"),
    ]
    for max_points in (1, 2, 3):
        b = build_briefing(articles, max_points=max_points)
        page = [p.text for p in b.points] + [n.text for n in b.single_source]
        for name in lone:
            assert any(name in text for text in page), (max_points, name, page)

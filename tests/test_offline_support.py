"""Offline engine: which sources a point may cite, and the sections built on that test.

Regression tests for a user trial: citations that did not support their point, a false
and a missed divergence, padded time versions, page furniture kept as content,
single-source notes reported elsewhere, misdated timeline entries, uncited sources and
the bottom line. All articles are invented (Norland, Sudmark, Dorvel, Varsk).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from offline_sentences import invented, sentence_at, support_over

from briefing.model import Article, Briefing, Citation
from briefing.offline import build_briefing
from briefing.offline.bottom_line import TOLL_NOTE, TOLL_POINTER
from briefing.offline.framing import describe
from briefing.offline.grouping import build_links
from briefing.offline.numbers import extract_counts
from briefing.offline.segment import content_sentences
from briefing.offline.support import (
    BORDERLINE_SIMILARITY,
    MIN_SIMILARITY,
    WEAK_SIMILARITY,
    opposed,
    stance,
)
from briefing.offline.vectors import analyze, build_space

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "halvosk-convoy-strike"
PLACES = frozenset({"Norland", "Sudmark", "Dorvel", "Varsk"})

_article = partial(invented, prefix="supp")


def _labels(articles: list[Article], citations: list[Citation]) -> list[int]:
    label = {a.id: a.label for a in articles}
    return sorted(label[c.article_id] for c in citations)


# --- 1. the support test ------------------------------------------------------------


def test_opposite_polarity_is_not_support() -> None:
    negated = stance(
        "The ministry did not notify the Dorvel council ahead of the dam release on Friday."
    )
    affirmed = stance("A spokesman said the ministry had informed the Dorvel council beforehand.")
    warned = stance("The ministry warned the Dorvel council before the dam release.")
    again = stance("The ministry admitted it did not notify the Dorvel council before the release.")
    assert opposed(negated, affirmed)
    assert opposed(negated, warned)  # "warned" / "informed" / "notified": one question
    assert not opposed(negated, again)
    assert opposed(
        stance("The Dorvel Front denied any role in the blast."),
        stance("The Dorvel Front carried out the blast, the army said."),
    )
    assert opposed(
        stance("The Dorvel Front said it had nothing to do with the blast."),
        stance("The Dorvel Front has not commented on the blast."),
    )
    assert stance("Who is responsible for the dam failure in Norland?").heading


def test_point_cites_only_sources_that_support_it() -> None:
    point = (
        "The Norland ministry did not notify the Dorvel council ahead of the dam release "
        "on Friday, a ministry spokesperson said on Monday."
    )
    articles = [
        _article(1, point),
        _article(
            2,
            "The Norland ministry did not notify the Dorvel council before the dam release, "
            "the spokesperson said on Monday.",
        ),
        _article(
            3,
            "A ministry spokesperson said on Friday that the Norland ministry had notified "
            "the Dorvel council ahead of the dam release.",
        ),
        _article(4, "Who notified the Dorvel council ahead of the dam release on Friday?"),
        _article(
            5, "Heavy rain fell on Dorvel on Friday ahead of the dam release, a spokesperson said."
        ),
    ]
    support, sents = support_over(articles)
    seed = sentence_at(sents, 0, "did not notify")
    cited = [sents[j].article + 1 for j in support.supporters(seed)]
    assert cited == [1, 2]


def test_short_sentence_sharing_two_words_does_not_support_a_one_clause_point() -> None:
    # "Today the Fed has less control" reached the similarity threshold on "Fed" and
    # "control" and was cited for "the Fed has twice pushed up the rates it controls".
    articles = [
        _article(
            1,
            "In six weeks, the bank has twice pushed up the lending rates it controls. "
            "Lending rates in Dorvel were pushed up twice in those weeks as well.",
        ),
        _article(
            2,
            "Today the bank has less control. Lending rates at Varsk shops were pushed up "
            "twice in recent weeks.",
        ),
        _article(
            3,
            "The bank raised rates for the second time in six weeks on Tuesday, pushing up "
            "the lending rates it controls. Lenders pushed rates up twice in the past weeks.",
        ),
    ]
    support, sents = support_over(articles)
    point = sentence_at(sents, 0, "twice pushed up")
    vague = sentence_at(sents, 1, "less control")
    assert support.similarity(point, vague) >= BORDERLINE_SIMILARITY  # only coverage stops it
    assert not support.supports(point, vague)
    assert support.supports(point, sentence_at(sents, 2, "second time"))


def test_a_sentence_saying_it_is_unclear_does_not_support_the_statement() -> None:
    # "What isn't clear is why body parts were mailed to Ottawa" was cited for "a foot
    # and hand mailed to Ottawa belonged to the body".
    articles = [
        _article(
            1,
            "Police say the parcels mailed to the Dorvel council were sent by the suspect. "
            "The council offices were closed on Friday.",
        ),
        _article(
            2,
            "What isn't clear is why the suspect mailed parcels to the Dorvel council. "
            "Officers searched his flat in Varsk.",
        ),
        _article(
            3,
            "The parcels mailed to the Dorvel council were sent by the suspect, police said.",
        ),
    ]
    support, sents = support_over(articles)
    point = sentence_at(sents, 0, "Police say")
    unclear = sentence_at(sents, 1, "isn't clear")
    assert support.similarity(point, unclear) >= BORDERLINE_SIMILARITY
    assert not support.supports(point, unclear)
    assert support.supports(point, sentence_at(sents, 2, "were sent by"))
    assert stance("It remains unclear whether the dam was inspected.").unknown
    assert not stance("It is clear the dam was inspected in May.").unknown


def test_a_sentence_giving_another_rank_does_not_support_the_point() -> None:
    # "becoming the first former administration official to face charges" was cited to
    # "He was the fourth person charged in the investigation".
    articles = [
        _article(
            1,
            "Halvard Rask pleaded guilty on Friday in the Dorvel port inquiry, becoming the "
            "first former minister to face charges in the inquiry.",
        ),
        _article(
            2,
            "Rask pleaded guilty on Friday and was the fourth person charged in the Dorvel "
            "port inquiry.",
        ),
        _article(
            3,
            "Rask, the first former minister charged in the Dorvel port inquiry, pleaded "
            "guilty on Friday.",
        ),
    ]
    support, sents = support_over(articles)
    point = sentence_at(sents, 0, "pleaded guilty")
    fourth = sentence_at(sents, 1, "fourth")
    assert support.similarity(point, fourth) >= MIN_SIMILARITY  # only the rank stops it
    assert not support.supports(point, fourth)
    assert support.supports(point, sentence_at(sents, 2, "first former"))


def test_a_statement_of_the_present_does_not_support_a_forecast() -> None:
    # "Many economists believe that the U.S. will enter a recession next year" was cited
    # to "The U.S. economy is not currently in a recession".
    articles = [
        _article(
            1,
            "Many economists believe that Norland will enter a recession next year. "
            "The central bank raised rates on Tuesday.",
        ),
        _article(
            2,
            "Many economists believe that Norland is not currently in a recession. "
            "The central bank raised rates again on Tuesday.",
        ),
        _article(
            3,
            "Economists believe Norland will enter a recession next year, a survey found.",
        ),
    ]
    support, sents = support_over(articles)
    point = sentence_at(sents, 0, "economists believe")
    present = sentence_at(sents, 1, "currently")
    assert support.similarity(point, present) >= WEAK_SIMILARITY
    assert not support.supports(point, present)
    assert support.supports(point, sentence_at(sents, 2, "survey"))
    # Either side alone, or both cues in one sentence, is no clash.
    assert not opposed(
        stance("Norland will enter a recession next year."),
        stance("Economists expect Norland to enter a recession, a survey found."),
    )
    assert not opposed(
        stance("Norland is currently in talks and will sign next week."),
        stance("Norland will sign the deal next week."),
    )


def test_count_about_another_place_or_thing_is_not_support() -> None:
    articles = [
        _article(
            1,
            "Strikes in western Norland killed at least 16 people and wounded 23, a Norland "
            "government spokesman said on Saturday.",
        ),
        _article(
            2,
            "According to the Sudmark monitor, 23 fighters were killed in the strikes in Sudmark "
            "on Saturday, a spokesman said.",
        ),
        _article(
            3,
            "The Norland government spokesman said strikes in western Norland killed at least "
            "16 people and wounded 23.",
        ),
        _article(
            4,
            "The air force launched strikes on 85 facilities across Norland and Sudmark on "
            "Friday, the government said.",
        ),
        _article(
            5,
            "The air force launched strikes on 85 targets across seven facilities in Norland "
            "and Sudmark on Friday, the government said.",
        ),
    ]
    support, sents = support_over(articles)
    toll = sentence_at(sents, 0, "killed at least 16")
    assert not support.supports(toll, sentence_at(sents, 1, "23 fighters"))
    assert support.supports(toll, sentence_at(sents, 2, "killed at least 16"))
    facilities = sentence_at(sents, 3, "85 facilities")
    assert not support.supports(facilities, sentence_at(sents, 4, "seven facilities"))


def test_the_same_figure_of_targets_sites_or_facilities_is_one_fact() -> None:
    # Seeds: "targeting more than 85 different locations" [1] was not cited with
    # "targeting 85 facilities across Iraq and Syria" [2]: outlets swap the words for
    # what strikes hit. The same figure makes them one fact; another figure does not.
    articles = [
        _article(
            1,
            "On Friday the air force launched a series of airstrikes targeting 85 facilities "
            "across Norland and Sudmark in retaliation for the raid.",
        ),
        _article(
            2,
            "On Friday the military conducted a wave of airstrikes in Norland and Sudmark "
            "targeting more than 85 different locations, in retaliation for the raid.",
        ),
        _article(
            3,
            "On Friday the air force launched a series of airstrikes targeting 40 sites "
            "across Norland and Sudmark in retaliation for the raid.",
        ),
    ]
    support, sents = support_over(articles)
    facilities = sentence_at(sents, 0, "85 facilities")
    locations = sentence_at(sents, 1, "85 different locations")
    assert support.supports(facilities, locations)
    assert support.supports(locations, facilities)
    assert not support.supports(facilities, sentence_at(sents, 2, "40 sites"))


def test_same_speaker_saying_something_else_is_not_support() -> None:
    articles = [
        _article(
            1,
            "Council spokesman Arvid Lenk said the Norland council had informed the Dorvel "
            "port before the closure.",
        ),
        _article(
            2,
            "Council spokesman Arvid Lenk said three ferry terminals and four warehouses were "
            "damaged by the storm surge.",
        ),
    ]
    support, _ = support_over(articles)
    assert support.supporters(0) == [0]


def test_a_point_quoting_someone_is_backed_only_by_sources_that_hold_the_quotation() -> None:
    # Seeds: a source with only the words "strategic error" was cited for a point quoting
    # "another adventurous action and another strategic error by the U.S. government".
    articles = [
        _article(
            1,
            "The Norland foreign ministry called the strikes “another reckless step and "
            "another strategic error by the Sudmark government” on Saturday.",
        ),
        _article(
            2,
            "The Norland foreign ministry condemned the strikes on Saturday, calling them a "
            "“strategic error” by the Sudmark government.",
        ),
        _article(
            3,
            "“Another reckless step,” the Norland foreign ministry said of the strikes on "
            "Saturday, “and another strategic error by the Sudmark Government.”",
        ),
        _article(
            4,
            "The Norland foreign ministry called the strikes “another reckless step and a "
            "grave error by the Sudmark leadership” on Saturday.",
        ),
    ]
    support, sents = support_over(articles)
    point = sentence_at(sents, 0, "reckless")
    loose = sentence_at(sents, 1, "condemned")
    assert support.similarity(point, loose) >= MIN_SIMILARITY  # only the quotation stops it
    assert not support.supports(point, loose)
    # The same remark split by "said of the strikes" is still that remark.
    assert support.supports(point, sentence_at(sents, 2, "reckless"))
    # 8 of its 11 words (locate scores 0.73, below QUOTE_COVER): another wording.
    other = sentence_at(sents, 3, "grave")
    assert support.similarity(point, other) >= MIN_SIMILARITY
    assert not support.supports(point, other)


@pytest.mark.parametrize(
    ("point", "other"),
    [
        # One speaker, two statements: the likeness is all in "the ... report said" (a
        # speaker the attribution finder does not take out of the comparison).
        (
            "The Osterby tribunal's report said the ferry had been badly overloaded and "
            "carried far too few lifeboats.",
            "The Osterby tribunal's report said the captain had ignored the harbour "
            "master's storm warning at dusk.",
        ),
        # One statement, two versions of what was said, word for word around them.
        (
            "The operator of the convoy, Varsk Freight, said it would accept the "
            "confiscation of its trucks and pay the fine.",
            "The operator of the convoy, Varsk Freight, said it would appeal the "
            "confiscation of its trucks in the high court.",
        ),
        (
            "Health officials said the outbreak began at a market in the south of Dorvel.",
            "Health officials said the outbreak began in a school in the north of Dorvel.",
        ),
    ],
    ids=["two statements", "accept or appeal", "south or north"],
)
def test_one_speaker_saying_another_thing_does_not_support_the_point(
    point: str, other: str
) -> None:
    # A user trial: each pair was cited together as one point, [1][2], although the
    # second article says something else (often the opposite) in the same words.
    lede = "A fire on the ferry Marla killed 7 passengers near Dorvel on Tuesday, police said."
    articles = [_article(1, f"{lede} {point}"), _article(2, f"{lede} {other}")]
    support, sents = support_over(articles)
    mine, theirs = sentence_at(sents, 0, point[:30]), sentence_at(sents, 1, other[:30])
    assert support.similarity(mine, theirs) >= MIN_SIMILARITY  # only the new test stops it
    assert not support.supports(mine, theirs)
    assert not support.supports(theirs, mine)
    assert support.supports(sentence_at(sents, 0, "ferry"), sentence_at(sents, 1, "ferry"))


def test_a_named_speaker_is_left_out_of_the_likeness_of_two_statements() -> None:
    # "The operator, Varsk Lines, said" names its speaker between commas: the speaker's
    # words are taken out before two sentences are compared, so all they share is gone.
    point = (
        "The operator, Varsk Lines, said it was cooperating with investigators and "
        "would compensate the families."
    )
    other = "The operator, Varsk Lines, said the crew had followed all procedures."
    lede = "A fire on the ferry Marla killed 7 passengers near Dorvel on Tuesday, police said."
    articles = [_article(1, f"{lede} {point}"), _article(2, f"{lede} {other}")]
    support, sents = support_over(articles)
    mine, theirs = sentence_at(sents, 0, point[:30]), sentence_at(sents, 1, other[:30])
    assert support.similarity(mine, theirs) < WEAK_SIMILARITY
    assert not support.supports(mine, theirs)
    assert not support.supports(theirs, mine)


def test_one_speaker_quoted_in_other_words_still_supports_the_point() -> None:
    # The same statement put differently by two outlets is one fact: only a report of
    # the same speaker that runs word for word and then differs is held apart.
    articles = [
        _article(
            1,
            "A gunman opened fire at a church in Dorvel on Sunday morning, killing two "
            "people with a shotgun before a guard shot him, the authorities said.",
        ),
        _article(
            2,
            "A man pulled out a shotgun inside a Dorvel church on Sunday and opened fire, "
            "killing two people, authorities said.",
        ),
    ]
    support, sents = support_over(articles)
    assert support.supports(sentence_at(sents, 0, "gunman"), sentence_at(sents, 1, "pulled"))


# --- 2. descriptors follow their count, by place --------------------------------------


def test_a_bare_count_takes_the_noun_of_the_count_before_it() -> None:
    text = (
        "Officials said at least 35 militants were killed in Sudmark, "
        "and 16 were killed in Norland."
    )
    descriptors = describe(text, extract_counts(text, PLACES))
    assert [(d.side, d.places) for d in descriptors] == [
        ("militants", ("Sudmark",)),
        ("militants", ("Norland",)),
    ]
    same_place = "At least 35 militants were killed in Sudmark, and 16 were wounded."
    spread = describe(same_place, extract_counts(same_place, PLACES))
    assert [d.measure for d in spread] == ["killed", "injured"]
    others = "At least 35 militants were killed in Sudmark, and 16 others were killed in Norland."
    assert [d.places for d in describe(others, extract_counts(others, PLACES))] == [("Sudmark",)]


def test_framing_divergence_is_matched_by_place() -> None:
    articles = [
        _article(
            1, "The Norland government said 16 people, including civilians, were killed in Norland."
        ),
        _article(
            2,
            "According to officials, at least 35 militants were killed in Sudmark, and 16 were "
            "killed in Norland.",
        ),
    ]
    framing = [d for d in build_briefing(articles).divergences if d.kind == "framing"]
    assert len(framing) == 1 and "Norland" in framing[0].topic
    sides = {v.citation.article_id: v.text for v in framing[0].versions}
    assert len(sides) == 2
    assert "civilians" in sides[articles[0].id] and "militants" in sides[articles[1].id]
    far = [
        _article(1, articles[0].text),
        _article(2, "At least 35 militants were killed in Sudmark."),
    ]
    assert [d for d in build_briefing(far).divergences if d.kind == "framing"] == []


# --- 3. a missed injured divergence ----------------------------------------------------


def test_injured_figures_clash_across_a_named_site_and_a_missing_place() -> None:
    assert [
        (c.thing, c.quantity.text)
        for c in extract_counts(
            "Three workers were killed and at least 30 were injured in the blast in Norland.",
            PLACES,
        )
    ] == [("killed", "Three"), ("injured", "at least 30")]
    articles = [
        _article(
            1,
            "Three soldiers were killed and over 30 service members were injured in a drone "
            "attack at a border post in Varsk in northern Norland on Sunday.",
        ),
        _article(
            2,
            "A drone attack on a border post in Norland killed three soldiers and wounded 25 "
            "others on Sunday, the army said.",
        ),
        _article(
            3, "The explosion at the border post killed three soldiers and injured 47 others."
        ),
    ]
    b = build_briefing(articles)
    injured = [d for d in b.divergences if d.kind == "numeric" and "injured" in d.topic]
    assert len(injured) == 1, [d.topic for d in b.divergences]
    assert _labels(articles, [v.citation for v in injured[0].versions]) == [1, 2, 3]
    # The version quotes the clause with the figure, not a sentence cut before it.
    assert all(
        any(ch.isdigit() for ch in v.citation.quote) and len(v.citation.quote) < 120
        for v in injured[0].versions
    )


# --- 4. same-day times are one version -------------------------------------------------


def test_time_versions_on_the_same_day_are_not_padded() -> None:
    articles = [
        _article(1, "A drone strike hit the Dorvel depot on June 8, 2031, killing two guards."),
        _article(2, "A drone strike hit the Dorvel depot on Sunday morning, killing two guards."),
        _article(
            3, "A drone strike hit the Dorvel depot on Sunday, killing two guards and a driver."
        ),
        _article(4, "A drone strike hit the Dorvel depot on Saturday night, killing two guards."),
        _article(
            5,
            "Norland /Sudmark, 9th June 2031: A drone strike hit the Dorvel depot and killed "
            "two guards, officials said.",
        ),
    ]
    b = build_briefing(articles)
    times = [d for d in b.divergences if d.topic.startswith("Time of")]
    assert len(times) == 1, [d.topic for d in b.divergences]
    shown = sorted(v.text for v in times[0].versions)
    assert shown == ["Saturday night", "Sunday morning"]
    assert times[0].note and "2 more sources" in times[0].note
    assert all("9th June" not in v.citation.quote for d in b.divergences for v in d.versions)


# --- 5. page furniture -----------------------------------------------------------------


def test_captions_video_labels_infoboxes_and_credits_are_not_content() -> None:
    text = "\n".join(
        [
            "The Valley Times: The aftermath of the Dorvel flood began emerging on Saturday.",
            "STORY: Mourners marched behind the hearse through Dorvel on Sunday afternoon.",
            "This satellite photo from Skyview shows the Norland dam on Oct. 12, 2030, "
            "before it failed.",
            "Mayor Ida Varga places her hand over her heart as a band plays at the Dorvel "
            "memorial on Friday. (Norland Images via Valley Wire)",
            "Part of the floods in Norland and Sudmark (2030–present) and the river crisis",
            "The council said the levee gave way shortly after midnight (Photo: Dorvel Council).",
            "",
            "The council will keep helping the families of Dorvel through the winter months.",
            "— Dorvel Council (@DorvelCouncil) March 3, 2031",
            "",
            "The river authority said the dam had been inspected in May and was found safe.",
        ]
    )
    kept, _ = content_sentences(_article(1, text), 0)
    assert [s.text for s in kept] == [
        "The aftermath of the Dorvel flood began emerging on Saturday.",
        "The river authority said the dam had been inspected in May and was found safe.",
    ]
    assert all(text[s.start : s.end] == s.text for s in kept)


def test_teaser_cut_off_mid_phrase_is_no_sentence_but_one_cut_after_its_figures_is() -> None:
    # Roundup pages end their excerpts with "...": "The investigation is also..." became
    # a supporting citation and "... shot and killed after..." a key point.
    text = "\n\n".join(
        [
            "The Dorvel council said the levee gave way shortly after midnight on Saturday.",
            "The investigation is also...",
            "In the other case, two officers were sued by the family of a man they shot after...",
            "The council says five people were killed, but medics say the toll stands at 10 "
            "with over 30 injured...",
        ]
    )
    kept, _ = content_sentences(_article(1, text), 0)
    assert [s.text[:20] for s in kept] == ["The Dorvel council s", "The council says fiv"]


# --- 6. single-source notes ------------------------------------------------------------


def test_fact_reported_elsewhere_in_other_words_is_not_single_source() -> None:
    articles = [
        _article(
            1,
            "Sixteen people were killed in Norland when the river dam failed on Sunday. "
            "Engineers said the spillway gates had jammed during the storm.",
        ),
        _article(
            2,
            "The Norland authorities have confirmed the deaths of 16 people after the flooding. "
            "Rescue crews pulled two fishing boats from the Dorvel canal on Monday.",
        ),
        _article(
            3,
            "At least 16 people died in Norland after the river dam collapsed on Sunday. "
            "A relief fund opened at the Varsk town hall with 40,000 crowns from local firms.",
        ),
    ]
    sents = [s for k, a in enumerate(articles) for s in content_sentences(a, k)[0]]
    space = build_space([s.text for s in sents])
    confirmed = sentence_at(sents, 1, "confirmed the deaths")
    # No sentence elsewhere is close in words: only the count ties it to the others.
    assert build_links(sents, space.sim, len(articles)).support(confirmed) == 0
    b = build_briefing(articles, max_points=0)
    assert b.single_source
    assert not [n for n in b.single_source if "confirmed the deaths" in n.text]


# --- 7. timeline dates -----------------------------------------------------------------


def test_timeline_dates_the_main_clause_or_the_statement() -> None:
    articles = [
        _article(
            1,
            "The Norland navy, in retaliation for a blockade that closed the Dorvel harbour "
            "last Sunday, has launched patrols along the Sudmark coast. "
            "The Norland ministry did not notify the Dorvel council ahead of the patrols on "
            "Friday, a ministry spokesperson said on Monday.",
            date="2031-06-17",
        ),
        _article(
            2,
            "The Norland ministry did not notify the Dorvel council before the patrols, a "
            "ministry spokesperson said on Monday.",
            date="2031-06-17",
        ),
    ]
    b = build_briefing(articles)
    dated = {e.text: e.when for e in b.timeline}
    assert not [w for t, w in dated.items() if t.startswith("The Norland navy")]
    notify = [w for t, w in dated.items() if "did not notify" in t]
    assert notify == ["2031-06-16"]  # the Monday of the statement, not Friday


def test_a_date_bounding_a_period_is_no_event_of_its_own() -> None:
    # Tower 22: "Between the 7 October attacks ... and 27 January 2024, groups launched
    # attacks on 160 occasions" was dated 27 January, the day of the story's own attack.
    articles = [
        _article(
            1,
            "Between the Dorvel harbour blockade and 12 June 2031, Sudmark boats entered "
            "Norland waters on 40 occasions, the Norland navy said.",
            date="2031-06-17",
        ),
        _article(
            2,
            "From 3 June to 12 June 2031, the Norland navy counted 40 incursions by boats "
            "from Sudmark off the Dorvel coast.",
            date="2031-06-17",
        ),
    ]
    b = build_briefing(articles)
    assert not [e for e in b.timeline if e.when.startswith("2031-06")], b.timeline


# --- 8. sources cited nowhere ----------------------------------------------------------


def test_uncited_sources_are_reported() -> None:
    flood = "Floodwater from the Sudmark river closed the old Dorvel bridge and two roads"
    articles = [
        _article(1, f"{flood} on Sunday morning, the river authority said."),
        _article(2, f"{flood} on Sunday morning, according to the river authority."),
        _article(3, f"{flood} on Sunday morning, the river authority said in a statement."),
        _article(4, "The town choir postponed its spring concert to raise money for new robes."),
    ]
    b = build_briefing(articles, max_points=0)
    assert b.single_source == []  # a note needs a number or a name: the choir has neither
    assert _labels(articles, b.bottom_line.citations) == [1, 2, 3]
    assert "source [4] Report 4 is not cited in the briefing" in b.run.warnings
    assert not [w for w in b.run.warnings if "[1]" in w or "[2]" in w]


# --- 9. the bottom line ----------------------------------------------------------------


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/ not present")
def test_bottom_line_states_the_event_and_the_disputed_toll(
    example: tuple[list[Article], Briefing],
) -> None:
    _, b = example
    text = b.bottom_line.text
    assert "drone strike" in text and "killed" in text
    # It names the figures, so that nobody takes the toll it states for the one disputed.
    assert text.endswith(f"{TOLL_NOTE}the numbers killed and injured in Halvosk{TOLL_POINTER}")
    assert "Defence Ministry has said" not in text
    # It cites only sentences giving the toll it states: the others are cited where the
    # divergence sets them side by side, or [2] would seem to back "at least 12".
    toll = next(d for d in b.divergences if d.topic.startswith("Number killed"))
    stated = [v for v in toll.versions if "12" in v.text]
    assert len(stated) == 1
    cited = {c.article_id for c in b.bottom_line.citations}
    assert stated[0].citation.article_id in cited
    for v in toll.versions:
        if v is not stated[0]:
            assert v.citation.article_id not in cited, v.text


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/ not present")
def test_example_point_on_the_armed_group_cites_no_unrelated_sentence(
    example: tuple[list[Article], Briefing],
) -> None:
    articles, b = example
    group = [p for p in [b.bottom_line, *b.points] if "nothing to do with the convoy" in p.text]
    assert len(group) == 1
    for c in group[0].citations:
        assert "designated a terrorist" not in c.quote
        assert "has not commented" not in c.quote
    texts = {a.id: a.text for a in articles}
    for p in [b.bottom_line, *b.points]:
        for c in p.citations:
            assert c.quote == texts[c.article_id][c.start : c.end]


def test_british_and_american_spellings_are_one_wording() -> None:
    british = (
        "The harbour board said it would bend its endeavours to honour the licence and "
        "had organised a defence of the centre, whose ferries were cancelled."
    )
    american = (
        "The harbor board said it would bend its endeavors to honor the license and "
        "had organized a defense of the center, whose ferries were canceled."
    )
    lede = "A fire on the ferry Marla killed 7 passengers near Dorvel on Tuesday, police said."
    support, sents = support_over(
        [_article(1, f"{lede} {british}"), _article(2, f"{lede} {american}")]
    )
    uk, us = sentence_at(sents, 0, "harbour"), sentence_at(sents, 1, "harbor")
    assert support.similarity(uk, us) == pytest.approx(1.0)
    assert support.supports(uk, us) and support.supports(us, uk)


@pytest.mark.parametrize(
    ("word", "other"),
    [("hours", "hors"), ("filled", "filed"), ("raised", "raized"), ("genre", "gener")],
)
def test_the_spelling_fold_makes_no_word_another(word: str, other: str) -> None:
    assert analyze(word) != analyze(other)

"""Offline engine: which figures the "Where accounts diverge" section sets against each other.

Regression tests for an editor's review: tolls every source placed only by our inference
from its lead were never compared, a later toll ("has risen to 23") was shown as a
contradiction, an unemployment rate was set against a mortgage rate, and a count was
filed under the place of another clause. All articles are invented (Elmsby, Norland,
Sudmark, Dorvel).
"""

from __future__ import annotations

import re
from functools import partial

import pytest
from offline_sentences import invented

from briefing.model import Briefing, Divergence
from briefing.offline import build_briefing
from briefing.offline.numbers import extract_counts, later_toll
from briefing.offline.tallies import vote_tallies
from briefing.offline.vectors import stem

_article = partial(invented, prefix="ndiv")


def _briefing(*texts: str) -> Briefing:
    return build_briefing([_article(k, text) for k, text in enumerate(texts, 1)])


def _numeric(b: Briefing, topic: str) -> Divergence:
    found = [d for d in b.divergences if d.kind == "numeric" and d.topic.startswith(topic)]
    assert found, [d.topic for d in b.divergences]
    return found[0]


def _figures(d: Divergence) -> list[str]:
    return [v.text for v in d.versions]


# --- tolls placed by inference ------------------------------------------------------------

# The toll sentences name no place; each article's lead does ("in Elmsby").
MOSQUE = (
    "A bomb went off at the gate of a mosque in Elmsby on Sunday during a funeral. The bomb "
    "killed at least two civilians and wounded others, the Norland police said.",
    "A bomb exploded at a mosque in Elmsby on Sunday as mourners gathered. At least three "
    "people were killed in the blast, officials said.",
    "A bomb exploded at the entrance of a mosque in Elmsby on Sunday. The police say five "
    "people have been killed, but hospital sources say the death toll stands at 10.",
)


def test_tolls_placed_only_by_inference_in_one_place_are_compared() -> None:
    d = _numeric(_briefing(*MOSQUE), "Number killed")
    figures = _figures(d)
    assert any(f.startswith("at least two") for f in figures), figures
    assert any(f.lower().startswith("at least three") for f in figures), figures
    # Both sides of the third source's sentence, and no speaker put on the hospital's 10.
    assert any(f.startswith("five") for f in figures), figures
    assert "10 killed" in figures, figures


# --- later tolls ----------------------------------------------------------------------------

STRIKES = (
    "Airstrikes hit militia positions in Sudmark on Friday night. The strikes killed 18 "
    "fighters in Sudmark and wounded 25, a monitoring group said.",
    "Warplanes struck militia depots in Sudmark late on Friday. Eighteen fighters were "
    "killed in Sudmark and 25 were wounded, the monitoring group said.",
    "Airstrikes hit militia positions in Sudmark on Friday night. According to a new toll "
    "from the monitoring group on Saturday, 23 fighters were killed in Sudmark. The injured "
    "count has been updated to at least 34, the group said.",
)


def test_an_updated_figure_is_read_as_the_count_it_updates() -> None:
    [injured] = extract_counts("The injured count has been updated to at least 34, he said.")
    assert (injured.thing, injured.quantity.text) == ("injured", "at least 34")
    assert later_toll("The injured count has been updated to at least 34, he said.", injured)
    [killed] = extract_counts("The death toll of the strikes has risen to 23, the monitor said.")
    assert (killed.thing, killed.quantity.value) == ("killed", 23)
    text = "Three soldiers were killed, while the new toll of injured is 40."
    dead, _ = extract_counts(text)
    assert not later_toll(text, dead)  # the cue belongs to the other clause's figure


def test_a_later_toll_is_shown_as_one_not_as_a_disagreement() -> None:
    b = _briefing(*STRIKES)
    killed = _numeric(b, "Number killed")
    assert {f.split()[0].lower() for f in _figures(killed)} >= {"18", "eighteen", "23"}
    assert killed.note is not None and "later tolls" in killed.note, killed.note
    assert "[3] gives 23 as an updated figure" in killed.note
    injured = _numeric(b, "Number injured")  # kept: readers want each version
    assert injured.note is not None and "[3] gives at least 34" in injured.note
    assert "Accounts differ" not in b.bottom_line.text, b.bottom_line.text


def test_tolls_with_no_word_of_an_update_still_disagree() -> None:
    plain = [STRIKES[0], STRIKES[1], STRIKES[2].replace("According to a new toll", "Citing")]
    b = _briefing(*plain)
    killed = _numeric(b, "Number killed")
    assert killed.note is None or "later tolls" not in killed.note
    assert re.search(r"Accounts differ on the numbers? killed", b.bottom_line.text)


# --- figures of different things ------------------------------------------------------------

RATES = (
    "Norland's central bank raised its benchmark rate on Wednesday. The national "
    "unemployment rate is 3.6 percent, which is very low by historical standards.",
    "Norland's central bank raised its benchmark rate again on Wednesday. Back in 1981 the "
    "average mortgage rate was more than 18 percent, its highest ever.",
)


def test_rates_qualified_apart_are_not_set_against_each_other() -> None:
    [jobless] = extract_counts("The national unemployment rate is 3.6 percent today.")
    [mortgage] = extract_counts("The average mortgage rate was more than 18 percent then.")
    assert jobless.qualified and mortgage.qualified
    assert jobless.qualified != mortgage.qualified  # one head ("rate"), qualified apart
    b = _briefing(*RATES)
    assert not [d for d in b.divergences if d.topic.startswith("Percentage")], b.divergences


def test_one_rate_given_differently_still_diverges() -> None:
    b = _briefing(RATES[0], RATES[0].replace("3.6 percent", "5.1 percent"))
    assert _numeric(b, "Percentage")


MARKETS = (
    "Norland's central bank raised its benchmark rate on Wednesday. Government figures "
    "showed the core price index increased by 0.5% last month.",
    "Norland's central bank raised its benchmark rate again on Wednesday. The Varn 100 "
    "index is down nearly 19% year to date.",
    "Norland's central bank raised its benchmark rate on Wednesday. Ether was down 4% early "
    "Monday, and prices are up 4.7% from a year ago.",
)


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("The price of ether was down 4% on Monday.", {"price", "ether"}),
        ("Consumer prices are up 4.7% on a year ago.", {"prices"}),
        ("Consumer prices rose 9.1 percent last month.", {"prices"}),
        ("The index is down nearly 19% year to date.", {"index"}),
    ],
)
def test_a_figure_s_subject_leaves_out_its_direction_and_time(
    sentence: str, subject: set[str]
) -> None:
    [count] = extract_counts(sentence)
    assert count.subject == {stem(word) for word in subject}


def test_figures_sharing_only_a_direction_a_time_or_a_loose_noun_do_not_diverge() -> None:
    # "up"/"down" and "last month"/"year to date" say nothing of what a figure measures;
    # "index" alone is shared by a price index and a share index in unlike sentences.
    b = _briefing(*MARKETS)
    assert not [d for d in b.divergences if d.topic.startswith("Percentage")], b.divergences


# --- vote tallies -------------------------------------------------------------------------

VOTE = (
    "The Varnish Assembly voted 61-38 on Tuesday to override the governor's veto of the "
    "harbour bill. The Senate had voted 30-2 to override it on Monday.",
    "Lawmakers in the Varnish Assembly overrode the governor's veto of the harbour bill on "
    "Tuesday by a vote of 59 to 40. The Senate voted 30-2 to override the veto on Monday.",
    "The Varnish Assembly overrode the governor's veto of the harbour bill on Tuesday. The "
    "override passed the Senate 30-2 on Monday, a day before the assembly vote.",
)


def test_tallies_of_one_vote_that_differ_are_a_divergence() -> None:
    b = _briefing(*VOTE)
    d = _numeric(b, "Vote tally in the Assembly")
    assert _figures(d) == ["59-40", "61-38"]
    # The Senate's 30-2 is told alike by all three, and is no version of the Assembly's.
    assert [x.topic for x in b.divergences] == ["Vote tally in the Assembly"]


@pytest.mark.parametrize(
    ("sentence", "tallies"),
    [
        ("The House voted 348-77 to override the veto.", [("vote in the House", "348-77")]),
        ("The bill passed by a vote of 348 to 77.", [("vote", "348-77")]),
        ("In a 97-1 vote, the Senate agreed.", [("vote in the Senate", "97-1")]),
        (
            "The Senate voted 30-2, a day after the Assembly voted 61-38.",
            [("vote in the Senate", "30-2"), ("vote in the Assembly", "61-38")],
        ),
        ("City won 3-1 on Sunday.", []),  # a score
        ("The budget passed in 2015-16.", []),  # a year range
        ("The council approved 40 to 50 new homes.", []),  # a range
        ("The death tally was 15-20.", []),
        ("Voting 52 to 48 percent, the state backed it.", []),
    ],
)
def test_vote_tallies(sentence: str, tallies: list[tuple[str, str]]) -> None:
    assert [(c.thing, c.phrase) for c in vote_tallies(sentence)] == tallies


# --- people moved: rescued, fled, crossed ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "thing", "figure"),
    [
        ("The coastguard rescued 95 migrants off Dorvel on Tuesday.", "rescued", "95"),
        ("More than 120 people were rescued off Dorvel.", "rescued", "More than 120"),
        ("Some 400 residents fled their homes in Elmsby.", "who fled", "Some 400"),
        ("About 150 migrants crossed into Sudmark from Norland.", "who crossed", "About 150"),
    ],
)
def test_people_rescued_fled_or_crossed_are_counts(text: str, thing: str, figure: str) -> None:
    counts = extract_counts(text, frozenset({"Dorvel", "Elmsby", "Sudmark", "Norland"}))
    assert [(c.thing, c.who, c.quantity.text) for c in counts] == [(thing, "people", figure)]


def test_sources_differing_on_the_number_rescued_diverge() -> None:
    d = _numeric(
        _briefing(
            "A fishing boat capsized off Dorvel on Tuesday. The coastguard rescued 95 "
            "migrants off Dorvel, the Norland navy said.",
            "A fishing boat capsized off Dorvel on Tuesday. The coastguard rescued 140 "
            "migrants off Dorvel, according to the Sudmark Red Cross.",
        ),
        "Number rescued",
    )
    # "off Dorvel" places the rescue (at sea, named by the nearest place, as "in").
    assert sorted(_figures(d)) == [
        "140 migrants rescued in Dorvel (per Sudmark Red Cross)",
        "95 migrants rescued in Dorvel",
    ]
    assert d.topic == "Number rescued in Dorvel"


def test_each_version_names_who_gives_its_figure() -> None:
    # Seeds: "23 killed" and "35 killed" looked like two outlets disagreeing; the split
    # was the monitor's count against US officials', cut out of the quoted clause.
    d = _numeric(
        _briefing(
            "Air strikes hit depots near Dorvel on Friday. According to the director of the "
            "Sudmark Observatory, Ilse Marrow, the strikes killed at least 23 people who were "
            "guarding the depots near Dorvel.",
            "Air strikes hit depots near Dorvel on Friday. According to Norland officials, "
            "at least 35 fighters were killed near Dorvel.",
        ),
        "Number killed",
    )
    labels = {v.text.split(" (per ")[0]: v.text for v in d.versions}
    assert labels["at least 23 people killed in Dorvel"].endswith("Sudmark Observatory)")
    assert labels["at least 35 fighters killed in Dorvel"].endswith("(per Norland officials)")
    # The quote is the clause with the figure; the speaker it cuts off is in the label.
    assert all("According" not in v.citation.quote for v in d.versions)


def test_a_sentence_quoting_two_speakers_labels_no_figure() -> None:
    d = _numeric(
        _briefing(
            "Air strikes hit depots near Dorvel on Friday. A Varsk monitoring group reported "
            "at least 18 fighters were killed in Sudmark, while the Norland government said "
            "16 people died near Dorvel, with 25 more wounded.",
            "Air strikes hit depots near Dorvel on Friday. According to Norland officials, "
            "40 people were wounded near Dorvel.",
        ),
        "Number injured",
    )
    assert sorted(_figures(d)) == [
        "25 injured in Dorvel",
        "40 people injured in Dorvel (per Norland officials)",
    ]


# --- the bottom line ---------------------------------------------------------------------


def test_a_bottom_line_joining_sentences_cites_each_after_its_own() -> None:
    # A short lead gets company; the sources agree on the walkout, not on its size.
    b = _briefing(
        "Dockers at the port of Dorvel walked out on Monday, the union said. About 400 "
        "workers joined the strike, according to union leader Ada Brenn.\n\nThe port "
        "authority said only 250 workers had stopped work.",
        "Dockers at the port of Dorvel walked out on Monday, the union said. More than 600 "
        "workers joined the strike, union leader Ada Brenn told reporters.",
    )
    _numeric(b, "Figure in")
    parts = b.bottom_line.parts
    assert [p.text[:12] for p in parts] == ["Dockers at t", "About 400 wo", "Accounts dif"]
    labels = {s.id: s.label for s in b.sources}
    cited = [sorted(labels[c.article_id] for c in p.citations) for p in parts]
    # The walkout both report comes first, citing both; the 400 only its source; the
    # note points to the divergence, which cites the differing figures.
    assert cited == [[1, 2], [1], []]
    assert b.bottom_line.text == " ".join(p.text for p in parts)


_NINE = [
    "A fire on the ferry Aster Line 7 near Port Kessa killed nine people on Tuesday, the "
    "coastguard said. The ferry had left Dorvel at dawn with 212 people on board. The "
    "operator has suspended all sailings on the route.",
    "A fire on the ferry Aster Line 7 near Port Kessa killed nine people on Tuesday, "
    "officials said. Rescue boats from Norland reached the ferry within an hour.",
]
_FOURTEEN = (
    "Passengers jumped into the sea as flames spread across the car deck of the Aster Line 7. "
    "Survivors were taken to hospitals in Sudmark. {}"
)


def test_one_source_s_short_disputed_figure_is_no_key_point() -> None:
    # "off Port Kessa" places the count at sea, where the others place theirs.
    short = "Doctors counted 14 dead and 30 injured from the blaze off Port Kessa."
    b = _briefing(*_NINE, _FOURTEEN.format(short))
    toll = _numeric(b, "Number killed in Port Kessa")
    assert [f for f in _figures(toll) if "14" in f]
    # Shown where it is set against the nine, not stated as fact on its own.
    assert not [p.text for p in b.points if "14" in p.text]

    # A longer sentence says more than its figure: it stays a point.
    longer = (
        "Doctors in Sudmark, who worked through the night with volunteers from Norland and "
        "Dorvel, counted 14 dead and 30 injured from the blaze off Port Kessa."
    )
    b = _briefing(*_NINE, _FOURTEEN.format(longer))
    assert [f for f in _figures(_numeric(b, "Number killed in Port Kessa")) if "14" in f]
    assert [p.text for p in b.points if "14" in p.text]


def test_a_later_toll_the_table_does_not_show_is_left_out_of_its_note() -> None:
    # A fuzzing trial: the note looked for the updated figure among the table's rows
    # with no fallback, and crashed (StopIteration) when the table held another figure
    # of that article ("dozens", not "12").
    b = _briefing(
        'dozens killed 2 risen to 12 killed 3/4."',
        "killed militants 1,000 next Sunday civilians １２ civilians?",
    )
    [killed] = [d for d in b.divergences if d.topic == "Number killed"]
    assert [v.text for v in killed.versions] == ["dozens killed", "1,000 killed"]
    assert killed.note is None

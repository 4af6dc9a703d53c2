"""Offline engine parsers: sentences, counts, speakers, times (invented sentences only)."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.model import Article
from briefing.offline.attribution import find_attribution, same_speaker
from briefing.offline.dates import find_times, iso, label
from briefing.offline.facts import analyse
from briefing.offline.headline import clean_title
from briefing.offline.numbers import compatible, extract_counts
from briefing.offline.segment import content_sentences, trim_span

PLACES = frozenset({"Norland", "Sudmark", "Dorvel", "Port Ellery"})


def _article(text: str, *, label: int = 1, date: str | None = None) -> Article:
    return Article(id=f"art{label:09d}", label=label, title="t", text=text, date=date)


# --- sentences -------------------------------------------------------------------------


def test_segmenter_keeps_abbreviations_inside_one_sentence() -> None:
    text = (
        "The U.S. Army said Gen. Halloran reached the Dorvel bridge at 3 p.m. on Friday "
        "with two engineers. A second team followed on Saturday morning."
    )
    kept, cut = content_sentences(_article(text), 0)
    assert not cut
    assert [s.text for s in kept] == [
        "The U.S. Army said Gen. Halloran reached the Dorvel bridge at 3 p.m. on Friday "
        "with two engineers.",
        "A second team followed on Saturday morning.",
    ]
    assert all(text[s.start : s.end] == s.text for s in kept)


def test_segmenter_drops_page_debris() -> None:
    text = "\n".join(
        [
            "By Lena Marsh",
            "Share this article",
            "Casualties and Destruction",
            "The river burst its banks near Dorvel on Sunday, flooding two villages.",
            "We will keep helping the families of Dorvel, and… pic.twitter.com/AbCdEf123",
            "— Dorvel Council (@DorvelCouncil) March 3, 2031",
            "March 3, 2031",
            "Residents said the water rose by more than a metre within an hour.",
            "Leave a comment",
            "The council said it would open",
        ]
    )
    kept, _ = content_sentences(_article(text), 0)
    assert [s.text for s in kept] == [
        "The river burst its banks near Dorvel on Sunday, flooding two villages.",
        "Residents said the water rose by more than a metre within an hour.",
    ]


def test_segmenter_keeps_news_sentences_that_share_words_with_page_debris() -> None:
    news = [
        "The Dorvel Courier said its print subscribers fell by a third after the flood.",
        "Two authors filed a copyright lawsuit against the Norland archive on Monday.",
        "Regulators fined the council for setting tracking cookies without consent.",
        "By Friday, the army had pushed into the flooded villages near Dorvel.",
        "The BBC's image of the bridge was shared by the Dorvel/NORLAND border police.",
        "Envoys at the Norland/NATO talks said the bridge would reopen on Monday.",
        "A caption under the image said the media were kept from the bridge for a day.",
    ]
    debris = [
        "Subscribe to our newsletter for the latest news from Dorvel every morning.",
        "Copyright 2031 Dorvel Courier. All rights reserved.",
        "We use cookies to give you the best experience on our website.",
        "Image copyright Dorvel Courier Image caption Families wait at the bridge in Dorvel.",
        "Media playback is unsupported on your device Media caption Our reporter at the bridge.",
        "View larger image Lena Marsh, 29, is seen in this photograph provided by police.",
        "Embed Drone strikes a truck near the Dorvel bridge 2:49 autoplay autoplay "
        "Copy this code to your website or blog",
        "Residents wait at the bridge Lena Marsh/THE DORVEL COURIER The army arrived later.",
    ]
    kept, _ = content_sentences(_article("\n".join(news + debris)), 0)
    assert [s.text for s in kept] == news


def test_trim_span_skips_dateline_and_leading_connective() -> None:
    text = "DORVEL, Kestria (Valley Wire) - However, the bridge reopened on Monday evening."
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == "the bridge reopened on Monday evening."


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # A user trial: Axios-style labels opened key points ("Why it matters: ...").
        (
            "Why it matters: The closures come a week after the crews asked for a raise.",
            "The closures come a week after the crews asked for a raise.",
        ),
        ("Between the lines: Dock workers expect more.", "Dock workers expect more."),
        ("By the numbers: 1,200 members are on strike.", "1,200 members are on strike."),
        # A speaker before a colon is no label: the words are his.
        (
            "Moss said: The offer of 4 percent is final.",
            "Moss said: The offer of 4 percent is final.",
        ),
        ("Context matters: the port is the largest.", "Context matters: the port is the largest."),
        # Nor is a question the sentence answers itself, in lower case.
        (
            "What happened: nobody knows yet, Moss said.",
            "What happened: nobody knows yet, Moss said.",
        ),
    ],
)
def test_a_section_label_opening_a_sentence_is_left_out(text: str, kept: str) -> None:
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == kept


@pytest.mark.parametrize(
    "text",
    [
        # A hyphen inside a word, or a dash after a clause, ends no dateline.
        "The TVK chairman is known for off-the-cuff remarks, but these went too far.",
        "The NATO summit — held in Dorvel — ended on Friday with a pledge.",
    ],
)
def test_a_clause_before_a_dash_is_no_dateline(text: str) -> None:
    assert trim_span(text, 0, len(text)) == (0, len(text))


@pytest.mark.parametrize("dash", ["―", "–-", "--", "—"])
def test_dateline_with_any_dash_is_skipped(dash: str) -> None:
    # HuffPost writes "WASHINGTON ―" (U+2015); others "WASHINGTON –-".
    text = f"DORVEL {dash} The bridge reopened on Monday evening."
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == "The bridge reopened on Monday evening."


# --- numbers ---------------------------------------------------------------------------


def _one(text: str, thing: str) -> tuple[float, float, str, tuple[str, ...], str | None]:
    found = [c for c in extract_counts(text, PLACES) if c.thing == thing]
    assert len(found) == 1, found
    c = found[0]
    return c.quantity.low, c.quantity.high, c.quantity.text, c.places, c.who


def test_numbers_in_digits_words_and_with_qualifiers() -> None:
    assert _one("At least 16 people were killed in Norland.", "killed") == (
        16,
        float("inf"),
        "At least 16",
        ("Norland",),
        "people",
    )
    low, high, text, _, _ = _one("Nearly twenty residents died after the flood.", "killed")
    assert (text, high) == ("Nearly twenty", 20) and 14 <= low < 20
    low, high, _, _, _ = _one("The blast wounded about 30 people.", "injured")
    assert low < 30 < high
    assert _one("The quake killed 1,200 people in Sudmark.", "killed")[:2] == (1200, 1200)
    assert _one("Dozens of residents were injured.", "injured")[:2] == (24, 99)


def test_numbers_split_places_and_counted_things() -> None:
    counts = extract_counts(
        "Officials said 35 fighters were killed in Norland, and 16 were killed in Sudmark.",
        PLACES,
    )
    assert [(c.quantity.value, c.thing, c.places) for c in counts] == [
        (35, "killed", ("Norland",)),
        (16, "killed", ("Sudmark",)),
    ]
    troops = extract_counts(
        "The attack killed three soldiers and injured dozens of others.", PLACES
    )
    assert [(c.thing, c.who) for c in troops] == [("killed", "military"), ("injured", "military")]
    assert troops[1].quantity.low == 24


def test_numbers_of_those_spared_and_of_the_agents_are_no_casualties() -> None:
    for spared in (
        "The ferry docked with none of the 132 passengers and five crew members on board hurt.",
        "None of the 40 workers at the Dorvel plant were injured.",
        "No one among the 12 guards was injured, the council said.",
    ):
        assert extract_counts(spared, PLACES) == [], spared
    # Another clause is another count.
    [guards] = extract_counts("None of the 40 workers were hurt, but 3 guards were injured.")
    assert (guards.quantity.value, guards.thing) == (3, "injured")
    # The agent of "killed by" did the killing.
    assert [c.thing for c in extract_counts("He was killed by two police officers.")] == []
    [shooters] = extract_counts("The gunman was shot to death by two congregants.")
    assert shooters.thing != "killed"
    [victims] = extract_counts("Two people were killed by the gunman in Dorvel.", PLACES)
    assert (victims.quantity.value, victims.thing) == (2, "killed")


def test_numbers_ignore_years_times_names_and_subsets() -> None:
    text = (
        "In 2031, Tower 22 was hit at 4 a.m. on March 3, and seven of them "
        "were out of service for 12 days."
    )
    assert extract_counts(text, PLACES) == []
    objects = extract_counts("The jets destroyed 84 of 85 targets across seven sites.", PLACES)
    assert [(c.quantity.value, c.thing) for c in objects] == [
        (85, "targets destroyed"),
        (7, "sites"),
    ]


def test_number_compatibility() -> None:
    def q(text: str) -> object:
        return extract_counts(text, PLACES)[0].quantity

    assert compatible(q("At least 16 people were killed."), q("16 people were killed."))
    assert compatible(q("More than 85 people were hurt."), q("85 people were hurt."))
    assert not compatible(q("Nine people were killed."), q("At least 12 people were killed."))
    assert not compatible(q("Nearly 20 people died."), q("Seven people died."))


# --- speakers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "According to the Dorvel fire service, the blaze started in the kitchen.",
            "Dorvel fire service",
        ),
        ("Mayor Tomas Brandt said the bridge would reopen.", "Mayor Tomas Brandt"),
        ('"We will rebuild," said Ida Varga, who leads the dockers\' union.', "Ida Varga"),
        ("The river authority has said the dam is safe.", "river authority"),
        ("Senator Ada Roos predicted the bill would pass.", "Senator Ada Roos"),
        ("Chief Engineer Pal Kerr testified that the valve had failed.", "Chief Engineer Pal Kerr"),
        ("Governor Lena Ott conceded the count was wrong.", "Governor Lena Ott"),
        # A name set off by commas is the speaker; the role before it describes them.
        ("The operator, Kallen Freight, said it would appeal.", "Kallen Freight"),
        ("The mayor's spokesman, Dr. Ivo R. Pesch, said the bridge was safe.", "Dr. Ivo R. Pesch"),
        # Speakers named by what they are.
        ("The company said it would appeal the fine.", "company"),
        ("The ferry operator told reporters the crossing was cancelled.", "ferry operator"),
    ],
)
def test_attribution_patterns(sentence: str, speaker: str) -> None:
    found = find_attribution(sentence)
    assert found is not None and found.speaker == speaker
    assert sentence[found.start : found.end] == speaker


@pytest.mark.parametrize(
    "sentence",
    [
        "Senator Ada Roos claimed unchallenged control of the harbour board with a win in May.",
        "Senator Ada Roos claimed victory in the Dorvel primary on Tuesday.",
        "The Dorvel Front claimed responsibility for the fire at the depot.",
        "Mayor Tomas Brandt claimed credit for the new ferry line.",
        "Storm Edda claimed more than 40 lives along the Vesnar river.",
        "Storm Edda claimed the lives of three dockers.",
        "Ida Varga claimed her third title at the regatta.",
    ],
)
def test_claimed_meaning_took_names_no_speaker(sentence: str) -> None:
    assert find_attribution(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Senator Ada Roos claimed that the count was wrong.", "Senator Ada Roos"),
        ("Senator Ada Roos claimed the victory was stolen.", "Senator Ada Roos"),
        ('"The count was wrong," Senator Ada Roos claimed.', "Senator Ada Roos"),
        ("The count was wrong, she claimed.", "she"),
    ],
)
def test_claimed_of_words_names_the_speaker(sentence: str, speaker: str) -> None:
    found = find_attribution(sentence)
    assert found is not None and found.speaker == speaker


@pytest.mark.parametrize(
    "sentence",
    [
        "A witness said the ferry listed before it sank.",
        "One neighbour said the fire started at night.",
        "One official said the road was closed.",
        "Another official said the road was open.",
    ],
)
def test_an_unnamed_bystander_is_a_vague_speaker(sentence: str) -> None:
    found = find_attribution(sentence)
    assert found is not None and found.vague


def test_a_list_before_the_verb_names_no_speaker() -> None:
    # Only capitalised names between the commas read as a speaker set off by them.
    assert find_attribution("The ship, which sank, said officials.") is None
    assert find_attribution('"We will appeal," the company, said.') is None


def test_same_speaker_by_surname_and_institution_words() -> None:
    full = find_attribution("Police Chief Marta Olsen said the road was closed.")
    short = find_attribution("Chief Olsen said the road was closed.")
    other = find_attribution("Mayor Tomas Brandt said the road was closed.")
    assert full and short and other
    assert same_speaker(full, short)
    assert not same_speaker(full, other)
    body = find_attribution("The Interior Ministry said the road was closed.")
    bare = find_attribution("The ministry said the road was closed.")
    assert body and bare and same_speaker(body, bare)


def test_pronoun_speaker_resolves_to_previous_named_person() -> None:
    text = (
        "Police Chief Marta Olsen said officers had cleared the square by midnight. "
        'The crowd "was armed with iron bars and flares," she said.'
    )
    article = _article(text)
    sents, _ = content_sentences(article, 0)
    facts = analyse([article], sents)
    assert facts[1].attribution is not None
    assert facts[1].attribution.person == frozenset({"marta", "olsen"})


def test_country_name_is_not_a_person() -> None:
    found = find_attribution("Norland says 16 people were killed.", frozenset({"norland"}))
    assert found is not None and found.vague


@pytest.mark.parametrize(
    "sentence",
    [
        '"The road stays shut," said Wednesday the spokesman for the port.',
        "The council, said Friday that the road stays shut.",
        "Brandt, who spoke on Monday, said Wednesday that the road stays shut.",
    ],
)
def test_a_day_after_the_verb_is_never_the_speaker(sentence: str) -> None:
    found = find_attribution(sentence)
    assert found is None or not ({"wednesday", "friday"} & (found.person | found.body))


def test_a_day_before_an_inverted_speaker_is_skipped() -> None:
    found = find_attribution("The road stays shut, said on Friday Mayor Tomas Brandt.")
    assert found is not None and found.person == frozenset({"tomas", "brandt"})


def test_title_before_a_name_ends_the_name() -> None:
    # "Commissioner" is a title, so "Police" does not make the person a body, and two
    # officials of one city are not one speaker because they share the city's name.
    batts = find_attribution("Dorvel Police Commissioner Anton Batt said 12 were hurt.")
    mayor = find_attribution("Dorvel Mayor Ilse Marrow said 15 were hurt.")
    assert batts and mayor
    assert batts.person == frozenset({"anton", "batt"})
    assert mayor.person == frozenset({"ilse", "marrow"})
    assert not same_speaker(batts, mayor)


@pytest.mark.parametrize(
    ("sentence", "person"),
    [
        ("Theresa May said the deal was done.", {"theresa", "may"}),
        ("Mrs May said the deal was done.", {"may"}),
        ("But Jacob Rees-Mogg said the deal was dead.", {"jacob", "rees-mogg"}),
        ("Both said the deal was dead.", set()),
    ],
)
def test_stop_words_are_names_only_where_a_name_stands(sentence: str, person: set[str]) -> None:
    found = find_attribution(sentence)
    assert found is not None and found.person == frozenset(person)


# --- times -----------------------------------------------------------------------------


def test_weekday_resolves_against_article_date() -> None:
    saturday = date(2025, 6, 14)
    [when] = find_times("Police arrested 40 people on Friday night.", saturday)
    assert when.day == date(2025, 6, 13)
    assert when.hours == (19.0, 24.0)
    assert "Friday" in label(when)
    [ahead] = find_times("The owner will announce its decision on Monday.", saturday)
    assert ahead.day == date(2025, 6, 16)


def test_clock_time_and_absolute_dates() -> None:
    [when] = find_times("The march began shortly after 6 p.m. on Friday.", date(2025, 6, 14))
    assert when.clock == "shortly after 6 p.m."
    assert iso(when) == "2025-06-13T18:00"
    # The hour as stated, not the edge of the range it may mean (03:30 or 02:00).
    for said in ("around 4 a.m.", "before 4 a.m.", "shortly before 4 a.m."):
        [near] = find_times(f"The convoy was hit {said} on Friday.", date(2025, 6, 14))
        assert iso(near) == "2025-06-13T04:00", said
    [feb] = find_times("The dam was inspected on Feb. 2, the council said.", date(2031, 2, 5))
    assert feb.day == date(2031, 2, 2) and feb.absolute
    [full] = find_times("On 2 February 2031, the dam failed.", None)
    assert full.day == date(2031, 2, 2)


@pytest.mark.parametrize(
    "sentence",
    [
        "Fifteen of the 19 Sept. 11 hijackers came from Norland.",
        "Families of the victims of the Sept. 11 attacks cheered the vote.",
        "She is co-chair of September 11th Advocates, a group of widows.",
        "The Jan. 6 committee met in Dorvel.",
    ],
)
def test_a_month_day_used_as_a_name_is_no_date(sentence: str) -> None:
    # Given the article's year, "the Sept. 11 attacks" of 2001 would be dated 2031.
    assert find_times(sentence, date(2031, 9, 28)) == []


def test_a_full_date_naming_a_past_event_is_no_date_of_the_news() -> None:
    # A 2010 sentence on a mosque "near the site of the attacks of Sept. 11, 2001" was
    # put in the timeline on 11 Sep 2001.
    today = date(2031, 9, 28)
    for sentence in (
        "Candidates challenged Mayor Marsh on a hall near the site of the floods of "
        "Sept. 11, 2019, in Dorvel.",
        "Families of the victims of the Sept. 11, 2019, floods cheered the vote.",
    ):
        assert find_times(sentence, today) == [], sentence
    for sentence, day in (
        ("The flood of Sept. 11, 2019, killed 16 people in Dorvel.", date(2019, 9, 11)),
        ("The council met on Sept. 11, 2019, in Dorvel.", date(2019, 9, 11)),
        ("Candidates challenged the mayor on the floods of Sept. 2, 2031.", date(2031, 9, 2)),
    ):
        [when] = find_times(sentence, today)
        assert when.day == day, sentence


def test_a_month_day_as_the_date_of_the_event_is_kept() -> None:
    for sentence in (
        "On March 3 police said the Dorvel road was shut.",
        "The bill was passed on Sept. 11 and signed a day later.",
        "The Senate passed the bill on September 11 by 97 votes to 1.",
    ):
        [when] = find_times(sentence, date(2031, 9, 28))
        assert when.absolute and when.day and when.day.day in (3, 11), sentence


def test_a_look_ahead_cue_in_another_clause_does_not_move_the_day() -> None:
    wednesday = date(2031, 9, 24)
    [past] = find_times(
        "Mayor Lena Marsh, who plans to back the bridge plan, tried on Tuesday to calm "
        "the council.",
        wednesday,
    )
    assert past.day == date(2031, 9, 23)
    [said] = find_times("The ministry will hold a briefing, officials said on Tuesday.", wednesday)
    assert said.day == date(2031, 9, 23)
    [ahead] = find_times("The council is expected to vote on the plan on Tuesday.", wednesday)
    assert ahead.day == date(2031, 9, 30)
    # A perfect tense of arranging: the meeting is to come, a past one takes "invited".
    [invited] = find_times(
        "Mayor Marsh has invited farm leaders and a councillor from Varsk to her office in "
        "Dorvel on Friday morning to discuss the bridge plan.",
        wednesday,
    )
    assert invited.day == date(2031, 9, 26)
    [met] = find_times("Mayor Marsh invited farm leaders to her office on Friday.", wednesday)
    assert met.day == date(2031, 9, 19)


def test_unresolvable_weekday_has_no_day() -> None:
    [when] = find_times("The bridge closed on Friday.", None)
    assert when.day is None and when.weekday == 4


# --- headline --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "clean"),
    [
        ("Dam fails above Norland, 16 dead - Valley Wire", "Dam fails above Norland, 16 dead"),
        ("Dam fails above Norland | The Norland Post", "Dam fails above Norland"),
        ("Dam fails above Norland (title derived from URL)", "Dam fails above Norland"),
        (
            "Norland - what we know so far about the dam",
            "Norland - what we know so far about the dam",
        ),
        # A page without a title lends its first line, dateline and all.
        (
            "VALLEY TOWN, Norland (Wire) - Rescuers reached the last village cut off by the…",
            "Rescuers reached the last village cut off by the…",
        ),
        (
            "NORLAND CITY -- the dam gave way shortly after dawn",
            "The dam gave way shortly after dawn",
        ),
    ],
)
def test_clean_title(title: str, clean: str) -> None:
    assert clean_title(title) == clean


def test_a_title_cut_short_gives_way_to_a_whole_one() -> None:
    from briefing.offline.headline import choose_headline
    from briefing.offline.vectors import build_space

    sentences = [
        "The harbour authority in Dorvel reopened the north pier on Monday after repairs.",
        "Ferries to Norland will use the north pier again from Tuesday, the authority said.",
    ]
    cut = "On Monday the harbour authority in Dorvel said that it had reopened the north…"
    whole = "Dorvel reopens north pier after repairs"
    space = build_space(sentences)
    for titles in ([cut, whole], [whole, cut]):
        assert choose_headline(titles, space, "fallback") == whole


def test_a_bottom_line_standing_in_for_a_headline_is_a_sentence_or_ends_at_a_word() -> None:
    # A user trial: two articles titled "Warehouse fire" and "Dorvel blaze" (under three
    # words, so not used) got the bottom line's first 120 characters as their headline,
    # cut inside a word: "... Accounts differ on the number kille".
    from briefing.offline.headline import HEADLINE_CHARS, choose_headline
    from briefing.offline.vectors import build_space

    bottom = (
        "A fire at a warehouse in Dorvel killed three workers on Monday, the fire chief "
        "said. Accounts differ on the number killed in Dorvel (see “Where accounts diverge”)."
    )
    space = build_space([bottom])
    first = bottom.split(" Accounts")[0]
    assert choose_headline(["Warehouse fire", "Dorvel blaze"], space, bottom) == first
    long = "The U.S. harbour authority in Dorvel " + "reopened the north pier " * 8 + "today."
    headline = choose_headline(["Report"], build_space([long]), long)
    cut = headline.removesuffix("…")
    assert len(cut) <= HEADLINE_CHARS < len(long)
    assert long.startswith(cut) and long[len(cut)] == " "  # at a word's end


@pytest.mark.parametrize(
    ("loaded", "plain"),
    [
        (
            "Dorvel Caves To Ferry Critics, Reopens North Pier After Repairs",
            "Dorvel reopens north pier after repairs",
        ),
        (
            "Harbour Authority Slams Critics As Dorvel Reopens North Pier After Repairs",
            "Dorvel harbour authority reopens north pier after repairs",
        ),
        (
            "It will be the council's fault if the north pier that Dorvel reopened after "
            "repairs fails",
            "Dorvel reopens north pier after repairs",
        ),
        (
            "Here's why the harbour authority in Dorvel reopened the north pier after repairs",
            "Dorvel reopens north pier after repairs",
        ),
    ],
)
def test_an_outlet_s_verdict_in_its_title_gives_way_to_a_plain_title(
    loaded: str, plain: str
) -> None:
    # "Trump Caves To Democrats, Agrees To Reopen Government" was the briefing's headline,
    # stating one outlet's verdict as fact. Each loaded title here is the closer one to
    # the sentences, so only its wording sets it back.
    from briefing.offline.headline import choose_headline
    from briefing.offline.vectors import build_space

    space = build_space(
        [
            "The harbour authority in Dorvel reopened the north pier on Monday after repairs.",
            "Critics of the ferry plan said the north pier should have stayed shut.",
        ]
    )
    for titles in ([loaded, plain], [plain, loaded]):
        assert choose_headline(titles, space, "fallback") == plain
    # A verdict in quotation marks is someone's words, reported.
    quoted = "Dorvel 'caves' to critics, harbour authority reopens north pier after repairs"
    assert choose_headline([quoted, plain], space, "fallback") == quoted

"""Which sentences may stand as a key point on their own (ranking.leans_back,
ranking.fragment)."""

from __future__ import annotations

import pytest
from offline_sentences import invented

from briefing.offline import build_briefing
from briefing.offline.ranking import fragment, leans_back


@pytest.mark.parametrize(
    "text",
    [
        # A company's statement excerpted without its author: "we" would read as ours.
        "First, we have rolled out a software update to the brakes of every Orlen bus.",
        "While we believe the buses are safe, the company will inspect the whole fleet.",
        "Either our checks were right or the fault is ours, in which case we will pay.",
        "Officials told us the bridge would stay closed until Friday.",
        # Back-references and unnamed quotations, as before.
        "It could have been far worse.",
        "“We've had to lay off and furlough.”",
        # Whose "he", and until when? The reader does not see the sentence before.
        "When he asked about the inquiry, the councillor walked out of the interview.",
        "Until then, the ferry will run only on weekdays.",
        "Then the crowd moved towards the harbour.",
        "At the time, he was one of three councillors to resign.",
        # Someone's words with no one to say them: the speaker was named the sentence before.
        "“When the dust settles, the mayor will be vindicated.”",
        "“The pier will reopen in May. The council has found the money for the repairs.",
        "“The pier is safe,” she said.",
        # A day, a month or a pronoun after the quotation is no speaker's name.
        "“We will rebuild the pier,” she said on Monday.",
        "“The pier will reopen,” he told reporters in March.",
        "“We were not warned.” They said it again on Tuesday.",
        # An apostrophe inside the quotation does not end it: the name is quoted, not the speaker.
        "‘We can’t let Dorvel decide for us,’ she said.",
        "'We can't let Dorvel decide for us,' she said.",
        # The end of a quotation opened in the sentence before: whose words, the reader
        # does not see (the opening "But" is trimmed from what is shown).
        "But one of them shouldn’t be the mayor of Dorvel.”",
        "The ferry is safe, and I hope the council sees it.”",
        # "I" and "you" outside quotation marks: a post or a newsletter, not a report.
        "Of course the ferry story is 100% FALSE!!! I only speak for myself, however.",
        "The pier was shut, and I think that was right.",
        "Tobias Fenn here, coming to you from the Dorvel pier today.",
        # Evidence for what, against what? The claim was made the sentence before.
        "As evidence, the mayor said even her own son had signed the pier petition.",
        "In response, the council said the pier would stay shut until May.",
        "For example, the ferry will stop at Varsk on Sundays.",
        # Signed what? "it" stands for something named only the sentence before.
        "Mayor Fenn signed it on Friday night, reopening the pier until May.",
        "The harbour council passed them without a vote.",
        "The ministry confirmed it in a statement on Monday.",
    ],
)
def test_sentences_that_lean_on_a_speaker_or_sentence_not_shown(text: str) -> None:
    assert leans_back(text)


@pytest.mark.parametrize(
    "text",
    [
        "The coastguard rescued all 212 people on board.",
        "“We will rebuild the pier,” Mayor Tobias Fenn said.",
        "“We will rebuild the pier,” Fenn said on Monday.",
        # "May" is a month and a surname: after a quotation, the surname.
        "“We will hold the vote,” May said.",
        "‘The ferry won’t run this week,’ the council said.",
        'The mayor said "we will rebuild" before the council met.',
        "The U.S. military said it struck 85 targets.",
        "The memorial honours the soldiers of World War I.",
        "When the police arrived, the crowd had already left the square.",
        "Thenceforth the pier stayed shut to visitors.",
        "“The pier will reopen in May,” the council said in a statement.",
        "“The pier will reopen in May,” a spokesman for Mayor Fenn said.",
        "At the time of the fire, 40 people were on the pier.",
        # A quotation's end with its speaker named after it.
        "But one of them shouldn’t be the mayor,” Fenn wrote in the letter.",
        # A body named by its acronym speaks too.
        "“The comet is older than the Sun,” NASA said in a statement.",
        # "our solar system" is everyone's; "It is believed" refers to nothing before.
        "The comet is among the oldest objects in our Solar System.",
        "It is believed that the cloud reaches 15 trillion miles into space.",
        "It was unclear whether the ferry would sail on Monday.",
        # "I" as a numeral after a name.
        "Queen Ilse I of Varn opened the bridge, and the World War I veterans marched.",
        # A mid-sentence "also" still reads whole; "Howard" is no "However".
        "Police also said there were other parcels sent by mail to the Dorvel council.",
        "Howard Fenn, the harbour master, said the pier would stay shut until May.",
        # What is said of "it" is in the sentence; "it" comes after its noun.
        "Police called it a deliberate attack on the pier.",
        "Mayor Fenn made it clear that the pier would reopen.",
        "Fenn signed the pier bill on Friday and sent it to the council.",
    ],
)
def test_sentences_that_stand_on_their_own(text: str) -> None:
    assert not leans_back(text)


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        # Cut off before its claim: asked the police to do what?
        ("Home Secretary Dana Fenn has asked all police forces...", True),
        ("The council's members are set to discuss…", True),
        # Long enough to have made its claim before the cut.
        (
            "Qualified immunity is a doctrine, developed by the courts, that shields officers "
            "from liability for violations including excessive force...",
            False,
        ),
        ("Home Secretary Dana Fenn has asked all police forces to review security.", False),
    ],
)
def test_fragments_cut_off_before_their_claim(text: str, cut: bool) -> None:
    assert fragment(text) is cut


def _shown(*texts: str) -> list[str]:
    """What a briefing of these invented articles prints: bottom line, points and notes."""
    b = build_briefing([invented(k, text, prefix="rank") for k, text in enumerate(texts, 1)])
    return [b.bottom_line.text, *(p.text for p in b.points), *(n.text for n in b.single_source)]


def test_a_fragment_is_neither_a_key_point_nor_a_single_source_note() -> None:
    shown = _shown(
        "An MP was stabbed at a constituency meeting in Dorvel on Friday, police said. "
        "Home Secretary Dana Fenn has asked all police forces...",
        "An MP was stabbed at a constituency meeting in Dorvel on Friday, police said. "
        "A man aged 25 was arrested at the scene.",
    )
    assert not [t for t in shown if "asked all police forces" in t], shown


def test_a_quotation_s_end_is_not_a_single_source_note() -> None:
    # [2] alone quotes the letter over two paragraphs; the last sentence, where the
    # quotation closes, names no one and would read as the outlet's own opinion.
    shown = _shown(
        "The Dorvel council voted on Monday to close the old pier for the winter, "
        "officials said. The vote was 7 to 2.",
        "The Dorvel council voted on Monday to close the old pier for the winter. "
        "\n\nIn a letter, councillor Ana Ruiz wrote: “The pier is the town's heart."
        "\n\nThere are those who want it closed for good, and they may say so. "
        "But the mayor shouldn’t be the one deciding the fate of the old pier.”",
    )
    assert not any("deciding the fate" in text for text in shown), shown


def test_an_unattributed_quotation_is_not_a_single_source_note() -> None:
    # The quotation's speaker is named in the sentence before; as a note of its own it
    # would be [2]'s report, not Ruiz's words.
    shown = _shown(
        "The Dorvel council voted on Monday to close the old pier for the winter, "
        "officials said. The vote was 7 to 2. Repairs will start in March.",
        "The Dorvel council voted on Monday to close the old pier for the winter. "
        "“The vote was rushed,” said councillor Ana Ruiz, who voted against. "
        "“Closing the pier will cost the 40 harbour traders of Dorvel about $2 million "
        "this summer.”",
        "Dorvel's council has voted to shut the old pier over the winter months. "
        "The vote was 7 to 2.",
    )
    assert not any("harbour traders" in text for text in shown), shown

"""Offline engine: a citation must be the same claim by the same speaker.

Regression tests for a review that found citations not supporting their point: a quote
"she said" (a person named before it without a verb of saying) was supported by a
similar quote of another named person; a bottom line that "many" were wounded, said a
president, cited "wounded 25 others, the military said"; and sentences sharing a
story's words but naming another event ("a drone strike" / "a rocket attack") or
another action were cited for each other. All articles are invented (Norland, Dorvel).
"""

from __future__ import annotations

from functools import partial

from offline_sentences import invented, sentence_at, support_over

_article = partial(invented, prefix="spkr")


# --- 1. a pronoun speaker is the person named just before it ------------------------


def test_a_quote_by_she_is_not_supported_by_another_persons_quote() -> None:
    articles = [
        _article(
            1,
            "The Norland assembly voted on Tuesday to override the governor's veto of the "
            "dam bill. Speaker Ilse Marrow of Dorvel, who backs the bill, tried on Monday "
            "to play down any rift with the governor. “It is not against the governor,” "
            "she said.",
        ),
        _article(
            2,
            "The Norland assembly overrode the veto of the dam bill on Tuesday. “The "
            "governor is not particularly worried about that,” Harlan Voss said in his "
            "weekly briefing.",
        ),
        _article(
            3,
            "Lawmakers in Norland overrode the veto of the dam bill. “It is not against "
            "the governor at all,” Marrow said after the vote.",
        ),
    ]
    support, sents = support_over(articles)
    quote = sentence_at(sents, 0, "she said")
    assert not support.supports(quote, sentence_at(sents, 1, "Voss said"))
    assert not support.supports(sentence_at(sents, 1, "Voss said"), quote)
    # The same person's words, named in full in one article and by "she" in the other.
    assert support.supports(quote, sentence_at(sents, 2, "Marrow said"))


# --- 2. another speaker's figures are another statement --------------------------------


def test_a_person_is_not_supported_by_a_body_giving_figures_the_person_did_not() -> None:
    articles = [
        _article(
            1,
            "Three Norland soldiers were killed and “many” were wounded on Sunday in a drone "
            "strike on a base in Dorvel, President Anna Kessel said.",
        ),
        _article(
            2,
            "On Sunday, a drone strike on a remote base in Dorvel killed three Norland "
            "soldiers and wounded 25 others, the Norland military said.",
        ),
        _article(
            3,
            "Three Norland soldiers were killed on Sunday in a drone strike on a base in "
            "Dorvel, the Norland military said.",
        ),
    ]
    support, sents = support_over(articles)
    point = sentence_at(sents, 0, "Kessel")
    assert not support.supports(point, sentence_at(sents, 1, "25 others"))
    # The same figures without more: one fact, whoever reports it.
    assert support.supports(point, sentence_at(sents, 2, "military said"))


# --- 3. a borderline match naming another event or another subject --------------------


def test_a_drone_strike_is_not_supported_by_a_rocket_attack() -> None:
    articles = [
        _article(
            1,
            "The raid on Varsk was launched in retaliation to a drone strike carried out by "
            "the Dorvel Front targeting Norland troops at the border post the week before.",
        ),
        _article(
            2,
            "The Norland army said it carried out the raid on Varsk in response to a rocket "
            "attack on the border post that killed Norland troops.",
        ),
        _article(
            3,
            "Norland said the raid was retaliation for a drone strike by the Dorvel Front "
            "on its troops at the border.",
        ),
    ]
    support, sents = support_over(articles)
    point = sentence_at(sents, 0, "drone strike")
    assert not support.supports(point, sentence_at(sents, 1, "rocket attack"))
    assert support.supports(point, sentence_at(sents, 2, "drone strike"))


def test_the_aftermath_of_strikes_is_not_supported_by_launching_them() -> None:
    articles = [
        _article(
            1,
            "The aftermath of Norland army strikes in Dorvel, targeting militia depots and "
            "border camps, began emerging on Saturday.",
        ),
        _article(
            2,
            "On Saturday, the Norland army launched strikes on dozens of militia depots in "
            "Dorvel province. The strikes on Saturday were the first in Dorvel this year.",
        ),
        _article(
            3,
            "Pictures of the aftermath of the Norland army strikes on militia depots in "
            "Dorvel emerged on Saturday. The Norland army said the strikes hit militia camps.",
        ),
    ]
    support, sents = support_over(articles)
    point = sentence_at(sents, 0, "aftermath")
    assert not support.supports(point, sentence_at(sents, 1, "launched"))
    assert support.supports(point, sentence_at(sents, 2, "aftermath"))

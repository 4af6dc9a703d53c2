"""Offline engine: one reading of "she said", shared by every stage.

A pronoun speaker is taken to be whoever the article named just before it, with or
without a verb of saying, and the support test, the attribution divergences and the
figure labels all see that one speaker. All articles are invented (Norland, Dorvel).
"""

from __future__ import annotations

from functools import partial

from offline_sentences import invented, sentence_at, support_over

from briefing.model import Article
from briefing.offline.diverge_claims import attribution_divergences
from briefing.offline.facts import SentenceFacts, analyse
from briefing.offline.segment import ContentSentence, content_sentences

_article = partial(invented, prefix="pron")


def _facts(articles: list[Article]) -> tuple[list[ContentSentence], list[SentenceFacts]]:
    sents: list[ContentSentence] = []
    for k, a in enumerate(articles):
        sents.extend(content_sentences(a, k)[0])
    return sents, analyse(articles, sents)


def test_she_said_is_the_person_named_just_before_without_a_verb_of_saying() -> None:
    article = _article(
        1,
        "The Norland assembly voted on Tuesday to override the governor's veto of the dam "
        "bill. Speaker Ilse Marrow of Dorvel tried on Monday to play down any rift with the "
        "governor. “It is not against the governor at all,” she said.",
    )
    sents, facts = _facts([article])
    att = facts[sentence_at(sents, 0, "she said")].attribution
    assert att is not None and att.resolved and not att.pronoun
    assert att.person == frozenset({"ilse", "marrow"})
    assert att.speaker == "Speaker Ilse Marrow"
    # The span is still the pronoun's: the words the sentence itself gives its speaker.
    text = sents[sentence_at(sents, 0, "she said")].text
    assert text[att.start : att.end] == "she"


def test_a_name_in_between_leaves_the_last_speaker_a_candidate() -> None:
    article = _article(
        1,
        "Police Chief Marta Olsen said officers had cleared the square in Dorvel by midnight. "
        "Protesters had gathered outside the home of Mayor Tomas Brandt since the morning. "
        "“The crowd was armed with iron bars and flares,” she said.",
    )
    sents, facts = _facts([article])
    att = facts[sentence_at(sents, 0, "she said")].attribution
    assert att is not None and att.resolved
    assert {"olsen", "brandt"} <= att.person
    # The one shown is the nearest: a "she said" most often continues the last name.
    assert att.speaker == "Mayor Tomas Brandt"


def test_a_run_of_quotes_keeps_its_speaker_past_the_reach_of_the_name() -> None:
    quotes = _article(
        1,
        "Speaker Ilse Marrow of Dorvel tried on Monday to play down any rift with the "
        "governor. “It is not against the governor at all,” she said. “We will vote on the "
        "dam bill again next week,” she added. “Nobody in the assembly wants a crisis,” she "
        "said. “The bill protects farmers in the valley,” she said. “It is a matter of "
        "water, not of politics,” she added.",
    )
    # The same name as far back with no quote of hers in between: too far to be hers.
    apart = _article(
        2,
        "Speaker Ilse Marrow of Dorvel tried on Monday to play down any rift with the "
        "governor. The dam bill passed the Norland assembly on Tuesday. The vote came after "
        "a long night of debate. Farmers in the valley had asked for the dam for years. "
        "The governor had vetoed the bill in March. “It is a matter of water, not of "
        "politics,” she added.",
    )
    sents, facts = _facts([quotes, apart])
    last = facts[sentence_at(sents, 0, "matter of water")].attribution
    assert last is not None and last.person == frozenset({"ilse", "marrow"})
    far = facts[sentence_at(sents, 1, "matter of water")].attribution
    assert far is not None and far.pronoun and not far.resolved


def test_a_body_or_a_place_named_in_between_is_not_the_speaker() -> None:
    article = _article(
        1,
        "Speaker Ilse Marrow of Dorvel tried on Monday to play down any rift with the "
        "governor. The Dorvel Water Authority closed Tracel Street near the Varsk Medical "
        "Center in Norland on Monday. “The valley is safe for now,” she said.",
    )
    sents, facts = _facts([article])
    att = facts[sentence_at(sents, 0, "she said")].attribution
    assert att is not None and att.resolved
    assert att.person == frozenset({"ilse", "marrow"})
    assert att.speaker == "Speaker Ilse Marrow"


def test_support_sees_the_speaker_the_facts_give() -> None:
    articles = [
        _article(
            1,
            "The Norland assembly overrode the governor's veto of the dam bill on Tuesday. "
            "Speaker Ilse Marrow of Dorvel tried on Monday to play down any rift with the "
            "governor. “We will vote again on the dam bill next week,” she said. “Nobody in "
            "the assembly wants a crisis,” she added. “The bill protects the farmers,” she "
            "said. “Norland needs a dam that does not flood the valley,” she said.",
        ),
        _article(
            2,
            "The assembly in Norland overrode the veto of the dam bill. “Norland needs a dam "
            "that does not flood the valley,” Marrow said after the vote.",
        ),
        _article(
            3,
            "The dam bill became law in Norland. “Norland needs a dam that does not flood the "
            "valley,” Harlan Voss said in his weekly briefing.",
        ),
    ]
    support, sents = support_over(articles)
    quote = sentence_at(sents, 0, "does not flood")
    speaker = support.facts[quote].attribution
    assert speaker is not None and speaker.person == frozenset({"ilse", "marrow"})
    # The same person's words, three quotes after her name: still hers.
    assert support.supports(quote, sentence_at(sents, 1, "Marrow said"))
    assert not support.supports(quote, sentence_at(sents, 2, "Voss said"))


def test_an_attribution_divergence_shows_the_person_a_she_stands_for() -> None:
    articles = [
        _article(
            1,
            "Speaker Ilse Marrow of Dorvel tried on Monday to play down any rift with the "
            "governor. “The dam bill is not a vote against the governor,” she said.",
        ),
        _article(
            2,
            "Lawmakers in Norland overrode the veto. “The dam bill is not a vote against the "
            "governor,” Marrow said after the vote.",
        ),
        _article(
            3,
            "The veto was overridden in Norland. “The dam bill is not a vote against the "
            "governor,” Harlan Voss said in his weekly briefing.",
        ),
    ]
    sents, facts = _facts(articles)
    [found] = attribution_divergences(articles, sents, facts, [1.0] * len(sents))
    shown = {v.citation.article_id: v.text for v in found.divergence.versions}
    assert shown[articles[0].id] == "Speaker Ilse Marrow"
    assert shown[articles[2].id] == "Harlan Voss"

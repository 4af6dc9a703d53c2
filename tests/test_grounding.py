"""Locating quoted passages in article text, and why the match threshold is 0.9."""

from __future__ import annotations

import re

import pytest

from briefing.grounding import MATCH_THRESHOLD, ArticleIndex, locate, normalise

ARTICLE = (
    "The regional governor, Mara Quell, said on Wednesday that floodwater from the Orlen "
    "dam spillway had killed at least 14 people in the lower town.\n\n"
    "Engineers from the water authority said a gate mechanism had jammed during heavy rain "
    "— a claim the authority’s director later called “premature”.\n"
    "Officials did not confirm how many homes were destroyed. Schools will stay closed "
    "until Monday, and about 2,000 residents were moved to shelters."
)

# Quotes a model might return for passages that ARE in the article: verbatim up to
# typography, case, whitespace, punctuation, or one word dropped/mistyped in 10+ words.
NEAR_VERBATIM = [
    "floodwater from the Orlen dam spillway had killed at least 14 people",
    "FLOODWATER FROM THE ORLEN DAM SPILLWAY HAD KILLED AT LEAST 14 PEOPLE",
    'the authority\'s director later called "premature"',
    "had jammed during heavy rain - a claim the authority's director",
    "Engineers from the water authority said a gate mechanism had jammed",
    "Engineers from the water authority said the gate mechanism had jammed",  # a -> the
    "Engineers from water authority said a gate mechanism had jammed",  # dropped word
    "Engineers from the water authorty said a gate mechanism had jammed",  # typo
    "Schools will stay closed until Monday and about 2,000 residents were moved",  # comma
    "said on Wednesday that floodwater ... had killed at least 14 people",  # elision
]

# Passages that are NOT what the article says, though they share many words.
NOT_IN_ARTICLE = [
    "floodwater from the dam killed 14 people in the town",  # paraphrase
    "Engineers from the water agency said a gate system had jammed",  # 2 words changed in 11
    "Engineers at the water agency said a gate system had jammed",  # 3 words changed in 11
    "Engineers from the water authority stated that the gate mechanism was jammed",  # 3 changed
    "the governor said floodwater had killed many people in the lower town",  # paraphrase
]
# Never accepted, however close: a changed number, an added or removed negation.
WRONG_FACT = [
    "floodwater from the Orlen dam spillway had killed at least 41 people",
    "Officials did confirm how many homes were destroyed",
    "Engineers from the water authority said a gate mechanism had not jammed",
]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", normalise(text)[0])


def score(quote: str) -> float:
    match = ArticleIndex(ARTICLE).locate(quote, threshold=0.0)
    return match.score if match else 0.0


def test_normalise_maps_every_character_back_to_the_original() -> None:
    text = "“Quoted” — text…\u00a0with  spaces and STRASSE straße"
    norm, where = normalise(text)
    assert norm == '"quoted" - text... with spaces and strasse strasse'
    assert len(where) == len(norm)
    assert all(0 <= i < len(text) for i in where)
    assert where == sorted(where)


@pytest.mark.parametrize("quote", NEAR_VERBATIM)
def test_near_verbatim_quotes_are_found_with_the_articles_own_span(quote: str) -> None:
    found = locate(quote, ARTICLE)
    assert found is not None, quote
    start, end, match_score = found
    assert match_score >= MATCH_THRESHOLD
    # The span is the article's own wording, from the quote's first word to its last.
    span_words = words(ARTICLE[start:end])
    quote_words = words(quote)
    assert span_words[0] == quote_words[0]
    assert span_words[-1] == quote_words[-1]


@pytest.mark.parametrize("quote", NOT_IN_ARTICLE + WRONG_FACT)
def test_paraphrases_and_changed_facts_are_rejected(quote: str) -> None:
    assert locate(quote, ARTICLE) is None, quote


def test_threshold_separates_near_verbatim_from_paraphrase() -> None:
    """The justification of MATCH_THRESHOLD: every near-verbatim quote above scores
    at least 0.9 and every paraphrase scores below it, with room on both sides."""
    accepted = [score(q) for q in NEAR_VERBATIM]
    rejected = [score(q) for q in NOT_IN_ARTICLE]
    assert min(accepted) >= MATCH_THRESHOLD
    assert max(rejected) < MATCH_THRESHOLD
    # One word changed in an 11-word quote scores 0.91; two changes score 0.82.
    assert score("Engineers from the water authority said the gate mechanism had jammed") > 0.9
    assert score("Engineers from the water agency said a gate system had jammed") < 0.85


def test_curly_quotes_dashes_and_case_score_as_exact() -> None:
    start, end, match_score = locate('"PREMATURE"', ARTICLE, threshold=MATCH_THRESHOLD) or (
        0,
        0,
        0.0,
    )
    # A one-word quote is too short to prove anything.
    assert match_score == 0.0
    found = locate('a claim the authority\'s director later called "premature"', ARTICLE)
    assert found is not None
    start, end, match_score = found
    assert match_score == 1.0
    assert ARTICLE[start:end] == "a claim the authority’s director later called “premature”"


def test_elided_pieces_must_appear_in_order() -> None:
    assert locate("Schools will stay closed ... Officials did not confirm", ARTICLE) is None
    found = locate("Officials did not confirm ... Schools will stay closed", ARTICLE)
    assert found is not None
    assert ARTICLE[found[0] : found[1]].startswith("Officials did not confirm")


def test_quote_from_another_article_is_not_found() -> None:
    assert locate("rescue boats pulled 60 survivors from the water", ARTICLE) is None

"""Chunking through the real tiktoken code, with an encoding the test builds itself."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest
import tiktoken

from briefing.chunking import (
    EstimateTokenizer,
    TiktokenTokenizer,
    chunk_article,
    get_tokenizer,
)
from briefing.model import Article
from briefing.sentences import split_sentences

PARAGRAPHS = [
    "The U.S. envoy arrived in Porto Vell at 3 p.m. on Friday. Gen. Ana Ruiz met him at the "
    "airport. They spoke for an hour.",
    "Officials said 16 people were hurt in the crush at the gate. Three remain in hospital. "
    "The mayor called for calm.",
    "A second meeting is planned for Monday. Its agenda has not been published.",
]
TEXT = "\n\n".join(PARAGRAPHS)


def byte_encoding() -> tiktoken.Encoding:
    """A tiny byte-level BPE with a few merges: real tiktoken, no download."""
    ranks = {bytes([i]): i for i in range(256)}
    for extra in (b"th", b"the", b" the", b"in", b"ed", b"er", b" a", b"on"):
        ranks[extra] = len(ranks)
    return tiktoken.Encoding(
        name="test-bytes", pat_str=r"\s?\S+|\s+", mergeable_ranks=ranks, special_tokens={}
    )


def article(text: str = TEXT) -> Article:
    return Article(id="art1", label=1, title="Envoy visit", text=text)


def test_sentences_respect_abbreviations_and_offsets() -> None:
    sentences = split_sentences(TEXT)
    texts = [s.text for s in sentences]
    assert texts[0] == "The U.S. envoy arrived in Porto Vell at 3 p.m. on Friday."
    assert texts[1] == "Gen. Ana Ruiz met him at the airport."
    assert all(TEXT[s.start : s.end] == s.text for s in sentences)
    assert [s.paragraph for s in sentences] == [0, 0, 0, 1, 1, 1, 2, 2]


def test_party_and_state_tag_does_not_end_a_sentence() -> None:
    # pysbd ends a sentence at "I-Vt." and "D-Calif."; the rest would start with a comma.
    text = (
        "Sen. Nora Vale, I-Vt., has won the primary, Channel 9 projects. "
        "Rep. Ian Roe, D-Calif., said no."
    )
    texts = [s.text for s in split_sentences(text)]
    assert texts == [
        "Sen. Nora Vale, I-Vt., has won the primary, Channel 9 projects.",
        "Rep. Ian Roe, D-Calif., said no.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A closing mark pysbd puts at the start of the next sentence, or alone at the end.
        (
            'Fenn said the pier was "closed for the winter.” The council met on Monday.',
            ['Fenn said the pier was "closed for the winter.”', "The council met on Monday."],
        ),
        (
            "Some want it shut for good, and they may say so. But the mayor shouldn’t decide.”",
            [
                "Some want it shut for good, and they may say so.",
                "But the mayor shouldn’t decide.”",
            ],
        ),
        # A straight mark after a sentence that closed its own quotation opens the next.
        (
            '"It is not new to us," the office said. " We were briefed." It ended.',
            ['"It is not new to us," the office said.', '" We were briefed."', "It ended."],
        ),
        # Who asked, split off after "?”", and a state's abbreviation before a title.
        (
            "“Why wait?” Sen. Ana Ruiz, R-Ky., asked on Tuesday. The vote is on Friday.",
            ["“Why wait?” Sen. Ana Ruiz, R-Ky., asked on Tuesday.", "The vote is on Friday."],
        ),
        (
            "Business leaders are calling for Ariz. Gov. Ana Ruiz to veto the bill. She has "
            "not said. The rally was held in Phoenix, Ariz. The governor spoke.",
            [
                "Business leaders are calling for Ariz. Gov. Ana Ruiz to veto the bill.",
                "She has not said.",
                "The rally was held in Phoenix, Ariz.",
                "The governor spoke.",
            ],
        ),
        # A question answered in the next sentence is two sentences.
        ("“Is it over?” The answer is no.", ["“Is it over?”", "The answer is no."]),
    ],
)
def test_sentences_pysbd_cuts_wrongly_are_mended(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_long_paragraph_is_windowed_without_losing_text() -> None:
    para = " ".join(f"Sentence number {i} mentions the U.S. budget." for i in range(800))
    sentences = split_sentences(para)
    assert len(sentences) == 800
    assert all(para[s.start : s.end] == s.text for s in sentences)


def test_threads_splitting_at_once_each_get_their_own_sentences() -> None:
    # Library users may build briefings in threads; pysbd's segmenter keeps the text
    # it works on in the instance, so a shared one mixes up the threads' texts.
    texts = [
        " ".join(f"Report {n} line {i} names the U.S. envoy." for i in range(40)) for n in range(8)
    ]
    expected = [[s.text for s in split_sentences(t)] for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            got = list(pool.map(lambda t: [s.text for s in split_sentences(t)], texts))
            assert got == expected


def test_tiktoken_counts_with_the_test_encoding() -> None:
    enc = byte_encoding()
    tok = TiktokenTokenizer(enc)
    assert tok.exact and tok.name == "test-bytes"
    assert tok.count("the") == 1  # merged
    assert tok.count("xyz") == 3  # bytes
    assert tok.count(TEXT) == len(enc.encode(TEXT))


def test_chunks_fit_budget_end_on_sentences_and_cover_text() -> None:
    tok = TiktokenTokenizer(byte_encoding())
    art = article()
    chunks = chunk_article(art, tok, max_tokens=120)
    assert len(chunks) > 1
    ends = {s.end for s in split_sentences(TEXT)}
    for c in chunks:
        assert c.tokens <= 120
        assert c.tokens == tok.count(c.text)
        assert art.text[c.start : c.end] == c.text
        assert c.end in ends
        assert c.article_id == "art1"
    assert [c.index for c in chunks] == list(range(len(chunks)))
    # No overlap requested: consecutive chunks tile the text (only whitespace between).
    for a, b in itertools.pairwise(chunks):
        assert art.text[a.end : b.start].strip() == ""
    assert chunks[0].start == 0 and chunks[-1].end == len(TEXT)


def test_overlap_repeats_whole_sentences() -> None:
    tok = TiktokenTokenizer(byte_encoding())
    chunks = chunk_article(article(), tok, max_tokens=120, overlap_tokens=40)
    assert any(b.start < a.end for a, b in itertools.pairwise(chunks))
    for a, b in itertools.pairwise(chunks):
        assert b.start > a.start  # always progresses


def test_paragraph_break_preferred_when_near_the_end() -> None:
    tok = TiktokenTokenizer(byte_encoding())
    first_two = len(byte_encoding().encode(TEXT[: TEXT.index("A second")]))
    chunks = chunk_article(article(), tok, max_tokens=first_two + 10)
    assert chunks[0].text.endswith("The mayor called for calm.")


def test_sentence_longer_than_budget_is_split() -> None:
    long_sentence = "word " * 300 + "end."
    tok = TiktokenTokenizer(byte_encoding())
    chunks = chunk_article(article(long_sentence), tok, max_tokens=100)
    assert len(chunks) >= 2
    assert all(c.tokens <= 100 for c in chunks)
    assert "".join(c.text for c in chunks).replace(" ", "") == long_sentence.replace(" ", "")


def test_unavailable_encoding_falls_back_with_one_warning() -> None:
    warnings: list[str] = []
    tok = get_tokenizer(
        "model-nobody-knows", default_encoding="no-such-encoding", warn=warnings.append
    )
    assert isinstance(tok, EstimateTokenizer) and not tok.exact
    assert len(warnings) == 1 and "no-such-encoding" in warnings[0]
    assert tok.count("abcdefgh") == 2
    chunks = chunk_article(article(), tok, max_tokens=40)
    assert all(c.tokens <= 40 for c in chunks)


def test_empty_article_has_no_chunks() -> None:
    assert chunk_article(article("   \n\n"), EstimateTokenizer(), max_tokens=50) == []


def test_article_within_the_budget_is_one_chunk_of_all_its_text() -> None:
    tok = TiktokenTokenizer(byte_encoding())
    text = f"\n  {TEXT}  \n"
    [chunk] = chunk_article(article(text), tok, max_tokens=tok.count(TEXT))
    assert chunk.text == TEXT and text[chunk.start : chunk.end] == TEXT
    assert chunk.tokens == tok.count(TEXT)
    # Over the budget, it is cut on sentence ends instead.
    parts = chunk_article(article(text), tok, max_tokens=tok.count(TEXT) // 2)
    assert len(parts) > 1 and all(p.text.endswith(".") for p in parts)

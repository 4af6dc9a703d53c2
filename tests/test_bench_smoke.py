"""Smoke tests for the benchmark's own helpers (bench/ is not part of the package).

Only helpers that need nothing beyond the project's dependencies are tested here:
word budgets, bootstrap intervals, the growth fit, the answer-span touch rule and
the perturbed copies that must survive near-duplicate detection.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.divergence import touches
from bench.scaling_corpus import build_set
from bench.stats import bootstrap_mean, bootstrap_ratio, growth_exponent
from bench.textkit import SharedTokenizer, cut_to_words, word_count
from briefing.sources.dedupe import find_duplicates

ARTICLE = "\n".join(
    [
        "Harbour crane collapses in Port Meral",
        "Source: https://example.org/meral-crane",
        "A container crane collapsed at the Port Meral east terminal on Tuesday morning, "
        "officials said. Two dock workers were hurt and one was taken to the city hospital.",
        "",
        "The harbour authority said the crane had passed an inspection in March. A spokesman, "
        "Ilse Varga, said the cause was not yet known and that the east terminal would stay "
        "closed until Friday.",
        "",
        "Union leaders said they had warned about the age of the cranes for years. Shipping "
        "lines were told to expect delays of up to two days while cargo is moved to the west "
        "terminal.",
    ]
)


def test_word_count_ignores_lone_punctuation() -> None:
    assert word_count("– Three men, 2 dogs — and one cat.") == 7


def test_cut_to_words_keeps_whole_words_up_to_budget() -> None:
    text = "One two three. Four five six."
    assert cut_to_words(text, 4) == "One two three. Four"
    assert cut_to_words(text, 99) == text
    assert cut_to_words(text, 0) == ""
    assert word_count(cut_to_words(text, 5)) == 5


def test_shared_tokenizer_splits_sentences_and_words() -> None:
    tok = SharedTokenizer()
    assert tok.to_sentences("The U.S. Navy said so. Then it left.") == (
        "The U.S. Navy said so.",
        "Then it left.",
    )
    assert tok.to_words("Gov. Abbott's order, 2022.") == ("Gov", "Abbott's", "order", "2022")


def test_bootstrap_mean_brackets_the_mean_and_is_reproducible() -> None:
    values = [0.1, 0.2, 0.3, 0.4, 0.9, 0.15, 0.22]
    first, second = bootstrap_mean(values), bootstrap_mean(values)
    assert first == second
    assert first.low < first.mean < first.high
    assert first.mean == pytest.approx(sum(values) / len(values))
    assert bootstrap_mean([0.5] * 5).low == pytest.approx(0.5)


def test_bootstrap_ratio_of_paired_samples() -> None:
    base = [0.1, 0.2, 0.3, 0.25, 0.15]
    ratio = bootstrap_ratio([2 * v for v in base], base)
    # Doubling every paired value doubles every resampled ratio exactly.
    assert (ratio.mean, ratio.low, ratio.high) == pytest.approx((2.0, 2.0, 2.0))
    with pytest.raises(ValueError):
        bootstrap_ratio([1.0], [1.0, 2.0])


def test_growth_exponent_recovers_power_laws() -> None:
    sizes = [2, 10, 40, 200]
    assert growth_exponent(sizes, [0.01 * n for n in sizes]) == pytest.approx(1.0)
    assert growth_exponent(sizes, [0.001 * n**2 for n in sizes]) == pytest.approx(2.0)


def test_touches_needs_half_the_answer_content_words() -> None:
    stop = frozenset({"the", "of", "to", "a"})
    span = "to reduce the smuggling of migrants and drugs"
    assert touches(span, "Officials want to reduce smuggling of migrants.", stop)
    assert not touches(span, "Trucks waited for hours at the bridge.", stop)


def test_perturbed_copies_survive_near_duplicate_detection(tmp_path: Path) -> None:
    source = tmp_path / "crane.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    paths = build_set([source], 4, tmp_path / "set")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert texts[0] == ARTICLE  # the real file first, untouched
    assert len(set(texts)) == 4
    assert all(t.splitlines()[1].startswith("Source: https://example.org/") for t in texts)
    assert find_duplicates(texts) == []

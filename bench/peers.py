"""What a user would pick instead: sumy's LexRank and TextRank, and a lead baseline.

Every peer gets the same sentences (``SharedTokenizer``) and the same word
budget as the engine. sumy picks its highest-rated sentences until the budget
is filled and returns them in document order, the way sumy prints summaries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from .textkit import SharedTokenizer, cut_to_words, word_count

LANGUAGE = "english"
Summariser = Callable[[Sequence[str], int], str]


def _document(texts: Sequence[str]) -> Any:
    from sumy.parsers.plaintext import PlaintextParser

    # Blank lines keep each article's paragraphs apart in sumy's document model.
    return PlaintextParser.from_string("\n\n".join(texts), SharedTokenizer()).document


@lru_cache(maxsize=2)
def _summariser(name: str) -> Any:
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    cls = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer}[name]
    summariser = cls(Stemmer(LANGUAGE))
    summariser.stop_words = get_stop_words(LANGUAGE)
    return summariser


def _until_budget(budget: int) -> Callable[[list[Any]], list[Any]]:
    """sumy "count" callable: best-rated sentences until ``budget`` words are covered."""

    def take(infos: list[Any]) -> list[Any]:
        chosen, total = [], 0
        for info in infos:  # sumy passes them best first
            if total >= budget:
                break
            chosen.append(info)
            total += word_count(str(info.sentence))
        return chosen

    return take


def _sumy(name: str, texts: Sequence[str], budget: int) -> str:
    document = _document(texts)
    picked = _summariser(name)(document, _until_budget(budget))
    return cut_to_words(" ".join(str(s) for s in picked), budget)


def lexrank(texts: Sequence[str], budget: int) -> str:
    return _sumy("lexrank", texts, budget)


def textrank(texts: Sequence[str], budget: int) -> str:
    return _sumy("textrank", texts, budget)


def lexrank_sentences(texts: Sequence[str], count: int) -> list[str]:
    """LexRank's ``count`` best sentences (document order), for the speed and coverage runs."""
    return [str(s) for s in _summariser("lexrank")(_document(texts), count)]


def lead(texts: Sequence[str], budget: int, *, per_article: int = 3) -> str:
    """Lead-k: the first ``per_article`` sentences of each article in turn, cut to the budget."""
    tokenizer = SharedTokenizer()
    picked: list[str] = []
    for text in texts:
        sentences = [s for para in text.split("\n") for s in tokenizer.to_sentences(para)]
        picked.extend(sentences[:per_article])
    return cut_to_words(" ".join(picked), budget)

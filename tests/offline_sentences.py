"""Invented articles and the offline engine's sentences over them, for the tests of
its support test, figures and citations (one place for what each of them needs)."""

from __future__ import annotations

from briefing.model import Article
from briefing.offline.facts import analyse
from briefing.offline.segment import ContentSentence, content_sentences
from briefing.offline.support import Support
from briefing.offline.vectors import build_space


def invented(label: int, text: str, *, prefix: str, date: str | None = "2031-06-10") -> Article:
    """An article numbered ``label``; ``prefix`` keeps ids of different test files apart."""
    return Article(
        id=f"{prefix}{label:08d}", label=label, title=f"Report {label}", text=text, date=date
    )


def support_over(articles: list[Article]) -> tuple[Support, list[ContentSentence]]:
    """The support test over every content sentence of ``articles``, and the sentences."""
    sents: list[ContentSentence] = []
    for k, a in enumerate(articles):
        sents.extend(content_sentences(a, k)[0])
    facts = analyse(articles, sents)
    return Support(sents, facts, build_space([s.text for s in sents])), sents


def sentence_at(sents: list[ContentSentence], article: int, words: str) -> int:
    """The index of the sentence of ``article`` (0-based) that contains ``words``."""
    return next(k for k, s in enumerate(sents) if s.article == article and words in s.text)

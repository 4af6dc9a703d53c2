"""One sentence segmentation and one notion of "word" shared by every system.

sumy's own tokenizer needs NLTK's punkt data, which a fresh machine may not have
(and this benchmark must run offline). sumy only calls ``to_sentences`` and
``to_words`` on the tokenizer it is given, so we hand it one built on the
project's own splitter: the engine and the peers then compete on the same
sentences, and no system wins or loses on segmentation.
"""

from __future__ import annotations

import re

from briefing.sentences import split_sentences

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
# A "word" for budgets: any whitespace-separated token with a letter or digit in it.
_BUDGET_TOKEN = re.compile(r"\S+")


class SharedTokenizer:
    """Duck-typed stand-in for sumy's Tokenizer (``to_sentences``/``to_words``)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.text for s in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits), for overlap measures."""
    return [w.lower() for w in _WORD.findall(text)]


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def word_count(text: str) -> int:
    """Whitespace tokens that contain a letter or digit (a lone dash is not a word)."""
    return sum(1 for t in _BUDGET_TOKEN.findall(text) if _is_word(t))


def cut_to_words(text: str, budget: int) -> str:
    """The longest prefix of ``text`` holding at most ``budget`` words (whole words only).

    The last sentence may be cut mid-way: the budget is what is compared, as in
    the usual "same length as the reference" ROUGE protocol.
    """
    if budget <= 0:
        return ""
    seen = 0
    for m in _BUDGET_TOKEN.finditer(text):
        if _is_word(m.group()):
            seen += 1
            if seen == budget:
                return text[: m.end()]
    return text.strip()

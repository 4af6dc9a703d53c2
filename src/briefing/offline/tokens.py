"""Word tokens with character offsets, shared by the number, place and speaker parsers."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,200
    r"|\d+(?:\.\d+)?"  # 16, 3.5
    r"|(?:[A-Za-z]\.){2,}"  # U.S., a.m.
    r"|[A-Za-z]+(?:['’-][A-Za-z]+)*"  # Iran-backed, al-Awadi, didn't
    r"|[^\sA-Za-z\d]"  # punctuation, one character each
)
CLAUSE_PUNCT = frozenset({";", ".", ":", "—", "–", "!", "?"})


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def is_digit(self) -> bool:
        # isdecimal, as the pattern's \d: "²", "₂" and "①" are digits to isdigit but
        # not numbers, and reach us as punctuation tokens.
        return self.text[:1].isdecimal()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def is_capital(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]

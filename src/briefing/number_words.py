"""Numbers written as words: the one vocabulary the offline engine's figure parser and
the renderers' figure finder share ("sixteen", "two thousand", "dozens")."""

from __future__ import annotations

# fmt: off
UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
# fmt: on
SCALES = {
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Vague amounts as (low, high).
VAGUE = {
    "dozens": (24.0, 99.0),
    "scores": (40.0, 199.0),
    "hundreds": (200.0, 999.0),
    "thousands": (2000.0, 9999.0),
    "millions": (2e6, 9.99e8),
}
# Every word above, and the forms a figure is also written with ("a dozen", "billions").
WORDS = frozenset(UNITS) | frozenset(SCALES) | frozenset(VAGUE) | {"dozen", "billions"}

"""The offline engine reads English only, and says so of an article in another language.

A user trial: two German articles (drei / fünf Tote) were briefed with confident,
wrong citations and "No divergences found", and nothing said why. All articles are
invented (Dorvel).
"""

from __future__ import annotations

from functools import partial

from offline_sentences import invented

from briefing.offline import build_briefing
from briefing.offline.language import looks_english

_article = partial(invented, prefix="lang")

GERMAN = (
    "Bei einem Großbrand in einer Lagerhalle in Dorvel sind am Montag drei Arbeiter ums "
    "Leben gekommen, wie die Feuerwehr mitteilte. Das Feuer brannte sechs Stunden lang, "
    "bevor die Einsatzkräfte es unter Kontrolle bringen konnten. Die Ursache ist noch "
    "unklar, die Polizei ermittelt und hat die Halle gesperrt."
)
GERMAN_TOO = (
    "In Dorvel sind am Montag bei einem Brand in einer Lagerhalle fünf Arbeiter gestorben, "
    "sagte der Bürgermeister. Die Halle brannte acht Stunden lang. Nach Angaben der "
    "Feuerwehr waren mehr als hundert Einsatzkräfte vor Ort, die Ermittlungen dauern an."
)
ENGLISH = (
    "A fire at a warehouse in Dorvel killed three workers on Monday, the fire chief said. "
    "The fire burned for six hours before crews brought it under control. The cause is "
    "not yet known; the police are investigating and have closed the site to the public."
)


def test_articles_in_another_language_are_named_in_a_warning() -> None:
    b = build_briefing([_article(1, GERMAN), _article(2, GERMAN_TOO), _article(3, ENGLISH)])
    said = [w for w in b.run.warnings if "English" in w]
    assert said == [
        "[1] [2] do not look like English, the only language the offline engine reads: its "
        "citations and divergences may be wrong; use --engine llm with a model that reads "
        "the language"
    ]


def test_english_articles_and_short_texts_raise_no_warning() -> None:
    assert looks_english(ENGLISH)
    assert not looks_english(GERMAN)
    assert looks_english("Die Halle brannte acht Stunden lang.")  # too short to tell
    b = build_briefing([_article(1, ENGLISH), _article(2, ENGLISH.replace("three", "five"))])
    assert not [w for w in b.run.warnings if "English" in w]

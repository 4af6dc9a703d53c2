"""Loose figures: numbers the count reader cannot name still keep sources apart.

"Rescue teams pulled 14 people from cars" and "... pulled 9 people ..." disagree even
though "pulled" is no measure the count reader knows: neither may be cited for the
other, and the briefing says where they diverge. All articles are invented (Orvik,
the river Tamsk).
"""

from __future__ import annotations

from functools import partial

from offline_sentences import invented

from briefing.model import Briefing
from briefing.offline import build_briefing
from briefing.offline.figures import figures_clash, loose_figures
from briefing.offline.numbers import extract_counts

_article = partial(invented, prefix="figs")


def _figures(text: str) -> list[tuple[str, str]]:
    return [(f.key, f.quantity.text) for f in loose_figures(text, extract_counts(text))]


def test_loose_figures_are_keyed_by_the_word_they_qualify() -> None:
    assert _figures("Rescue teams pulled 14 people from cars.") == [("people", "14")]
    assert _figures("Water stood 1.5 metres deep.") == [("metr", "1.5")]
    # Counted already (a toll), a year, or a word that names nothing: no loose figure.
    assert _figures("At least 16 people were killed in Orvik in 2019.") == []
    assert _figures("Turnout was up by 3 and more.") == []
    # Two figures on one word: which is which is unknown, so neither is kept.
    assert _figures("They moved 14 people out and 9 people in.") == []


def test_figures_clash_only_on_the_same_word_with_incompatible_values() -> None:
    def figs(text: str) -> list:
        return loose_figures(text, extract_counts(text))

    fourteen = figs("Rescue teams pulled 14 people from cars.")
    assert figures_clash(fourteen, figs("Rescue teams pulled 9 people from cars."))
    assert not figures_clash(fourteen, figs("Rescue teams pulled at least 12 people out."))
    assert not figures_clash(fourteen, figs("Rescue teams used 9 boats."))


FLOOD = (
    "The river Tamsk burst its banks on Friday, flooding homes in Orvik, the mayor said. "
    "Rescue teams pulled 14 people from cars, a fire service spokesman said. "
    "The mayor said the damage was worse than in 2019.",
    "The river Tamsk burst its banks on Friday, flooding homes in Orvik, the mayor said. "
    "Rescue teams pulled 9 people from cars, a fire service spokesman said. "
    "The mayor said the damage was worse than in 2019.",
    "The Tamsk river flooded homes in Orvik on Friday, the mayor said. "
    "Rescue teams pulled 14 people from cars, the fire service said.",
)


def _briefing(*texts: str) -> Briefing:
    return build_briefing([_article(k, text) for k, text in enumerate(texts, 1)])


def test_the_same_sentence_with_another_figure_is_a_divergence_not_a_citation() -> None:
    b = _briefing(*FLOOD)
    found = [d for d in b.divergences if d.topic.startswith("Figure in")]
    assert len(found) == 1, [d.topic for d in b.divergences]
    d = found[0]
    assert d.topic == "Figure in “Rescue teams pulled … people from cars”"
    assert d.kind == "numeric"
    assert [v.text for v in d.versions] == ["9 people", "14 people", "14 people"]
    by_figure = {v.citation.article_id: v.text for v in d.versions}
    assert by_figure == {
        "figs00000001": "14 people",
        "figs00000002": "9 people",
        "figs00000003": "14 people",
    }
    # No point stating 14 people cites the source that says 9; a bottom line that states
    # the figure says it is disputed, and cites only the sources that give it.
    for point in [b.bottom_line, *b.points]:
        if "14 people" in point.text:
            assert all("9 people" not in c.quote for c in point.citations)
    if "14 people" in b.bottom_line.text:
        assert b.bottom_line.text.endswith(
            f"Accounts differ on the {d.topic[:1].lower()}{d.topic[1:]} "
            "(see “Where accounts diverge”)."
        )


def test_a_short_sentence_with_another_figure_is_a_divergence() -> None:
    # A user trial: "The fire burned for six hours" / "... eight hours" share one word
    # around the figure ("fire" and "for" are stop words), short of the two that longer
    # sentences must share, so the second source's figure was left out without a word.
    b = _briefing(
        "A fire at a warehouse in Orvik killed three workers on Monday, the fire chief "
        "said. The fire burned for six hours.",
        "A fire at a warehouse in Orvik killed three workers on Monday, the mayor said. "
        "The fire burned for eight hours.",
    )
    found = [d for d in b.divergences if d.topic.startswith("Figure in")]
    assert [d.topic for d in found] == ["Figure in “The fire burned for … hours”"]
    assert [v.text for v in found[0].versions] == ["six hours", "eight hours"]


def test_a_shared_noun_in_another_fact_is_no_divergence() -> None:
    # Both sentences count "people" and share the chapel's long name and place, but one
    # counts the congregation and the other the town: no word around the figures agrees.
    b = _briefing(
        "About 250 people were inside the auditorium of Grace Chapel of Christ in White "
        "Harbour, near Fort Orvik, when the gunman began shooting, a minister said.",
        "Two guards drew their weapons and confronted the gunman, shooting him at Grace "
        "Chapel of Christ in White Harbour, a town of about 17,000 people near Fort Orvik.",
        "A gunman opened fire at Grace Chapel of Christ in White Harbour on Sunday, killing "
        "two people.",
    )
    assert not [d.topic for d in b.divergences if d.topic.startswith("Figure in")]
    assert "Accounts differ" not in b.bottom_line.text
    for point in [b.bottom_line, *b.points]:
        if "250 people" in point.text:
            assert all("17,000" not in c.quote for c in point.citations)

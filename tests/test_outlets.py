"""Corroboration counts outlets: two articles from one outlet are one account."""

from __future__ import annotations

from briefing.model import Article
from briefing.offline import build_briefing
from briefing.outlets import outlet_groups


def _article(label: int, text: str, outlet: str | None, path: str | None = None) -> Article:
    return Article(
        id=f"outlet{label:06d}",
        label=label,
        title=f"Ferry report {label}",
        text=text,
        outlet=outlet,
        path=path,
        date="2025-03-07",
    )


def test_outlet_names_are_matched_loosely_but_guesses_never_match() -> None:
    articles = [
        _article(1, "x", "harbourtimes.example"),
        _article(2, "x", "www.HarbourTimes.example"),
        _article(3, "x", "CNN (Online News)"),
        _article(4, "x", "cnn"),
        # A name taken from the file name is a guess: the same stem in two folders.
        _article(5, "x", "story", path="/a/story.txt"),
        _article(6, "x", "story", path="/b/story.txt"),
        _article(7, "x", None),
        _article(8, "x", None),
    ]
    groups = outlet_groups(articles)
    assert groups[0] == groups[1]
    assert groups[2] == groups[3]
    assert len({groups[0], groups[2], *groups[4:]}) == 6


_GROUNDING = (
    "The ferry Marit ran aground near Kestrel Point on Friday morning, the coastguard said. "
    "Rescue boats reached the ferry within an hour of the alarm. "
    "All passengers were taken ashore at Tarn harbour by Friday evening, officials said. "
    "Investigators from the maritime safety board will examine the ship's route."
)
_ONLY_HARBOUR = (
    "The Marit was built in Bergen in 1998 and has seats for 212 passengers, "
    "according to the operator Gull Lines."
)


def _ferry_story(harbour_outlet_2: str, extra: tuple[str, str] = ("", "")) -> list[Article]:
    return [
        _article(1, f"{_GROUNDING} {_ONLY_HARBOUR} {extra[0]}", "harbourtimes.example"),
        _article(
            2,
            f"{_ONLY_HARBOUR} {_GROUNDING} The harbour master closed the channel to traffic. "
            f"{extra[1]}",
            harbour_outlet_2,
        ),
        _article(
            3, f"{_GROUNDING} Divers began checking the hull in the afternoon.", "coast.example"
        ),
        _article(
            4, f"{_GROUNDING} The operator apologised to travellers on Saturday.", "gull.example"
        ),
    ]


def test_a_fact_two_articles_of_one_outlet_report_is_single_source() -> None:
    b = build_briefing(_ferry_story("www.harbourtimes.example"), max_points=2)
    notes = [n for n in b.single_source if "212 passengers" in n.text]
    assert len(notes) == 1, [n.text for n in b.single_source]
    assert notes[0].citation.article_id in {"outlet000001", "outlet000002"}


def test_one_outlet_gets_no_more_single_source_notes_for_having_two_articles() -> None:
    extra = (
        "Captain Olav Brenn has sailed the route since 2009. Tarn Council paid for the reef "
        "marker in 2015.",
        "Gull Lines carried 1.2 million travellers last year. Inspector Ruth Amsel last "
        "checked the Marit in 2023.",
    )
    harbour = {"outlet000001", "outlet000002"}
    b = build_briefing(_ferry_story("harbourtimes.example", extra), max_points=2)
    assert len([n for n in b.single_source if n.citation.article_id in harbour]) == 2
    # Two outlets: each has its own allowance.
    b = build_briefing(_ferry_story("otherpaper.example", extra), max_points=2)
    assert len([n for n in b.single_source if n.citation.article_id in harbour]) > 2


def test_the_same_fact_from_two_outlets_is_not_single_source() -> None:
    b = build_briefing(_ferry_story("otherpaper.example"), max_points=2)
    assert all("212 passengers" not in n.text for n in b.single_source)

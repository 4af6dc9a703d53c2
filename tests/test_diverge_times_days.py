"""Offline time divergences on the day alone: "Friday" in some accounts and "Saturday" in
others (a time zone's or a report's seam), "Saturday night" against "Sunday", while a
statement's day, a later toll's or funeral's day, "Saturday's attack", an earlier event
answered and an article telling of strikes on both days never make one.

All articles are invented (Norland, Sudmark, Dorvel, Varsk); their date is Tuesday,
10 June 2031, so "Friday" is 6 June and "Sunday" 8 June.
"""

from __future__ import annotations

from functools import partial

import pytest
from offline_sentences import invented

from briefing.model import Article, Briefing, Divergence
from briefing.offline import build_briefing

_article = partial(invented, prefix="days")

FRIDAY = "A drone strike hit the Dorvel fuel depot on Friday, killing two guards."
SATURDAY = "On Saturday, a drone strike hit the Dorvel fuel depot, killing two guards."


def _days(b: Briefing) -> list[Divergence]:
    return [d for d in b.divergences if d.topic.startswith(("Day of", "Time of", "When it"))]


def _cited(articles: list[Article], d: Divergence) -> set[int]:
    label = {a.id: a.label for a in articles}
    return {label[v.citation.article_id] for v in d.versions}


def test_friday_and_saturday_accounts_of_one_strike_are_shown_side_by_side() -> None:
    articles = [
        _article(1, FRIDAY),
        _article(2, "A drone strike hit the Dorvel fuel depot late Friday, killing two guards."),
        _article(3, SATURDAY),
    ]
    [day] = _days(build_briefing(articles))
    assert day.topic == "Day of the strike"
    assert sorted(v.text for v in day.versions) == ["Saturday", "late Friday"]
    assert _cited(articles, day) == {2, 3}
    # Which sources say which day: the Friday source the table leaves out is named.
    assert day.note == "1 more source ([1]) gives a time consistent with “late Friday”."


def test_saturday_night_and_sunday_clash_and_a_date_shows_its_weekday() -> None:
    articles = [
        _article(1, "A drone attack on the Varsk border post killed three guards on Sunday."),
        _article(2, "A drone attack on the Varsk border post killed three guards on June 8."),
        _article(
            3, "A drone attack on the Varsk border post killed three guards on Saturday night."
        ),
    ]
    [day] = _days(build_briefing(articles))
    assert day.topic == "Day of the attack"
    texts = sorted(v.text for v in day.versions)
    assert texts in (["June 8 (Sunday)", "Saturday night"], ["Saturday night", "Sunday"])
    assert 3 in _cited(articles, day)


@pytest.mark.parametrize(
    "decoy",
    [
        # a statement's day
        "On Sunday, the Norland army condemned the drone strike that hit the Dorvel fuel "
        "depot, killing two guards.",
        "The Norland army said on Sunday that a drone strike hit the Dorvel fuel depot, "
        "killing two guards.",
        # a later toll's or funeral's day
        "The death toll from the drone strike on the Dorvel fuel depot rose to four on Sunday.",
        "Families buried the two guards killed in the drone strike on the Dorvel fuel depot "
        "on Sunday.",
        "According to a new toll released on Sunday, the drone strike on the Dorvel fuel "
        "depot killed four guards.",
        # another event, named by its day
        "Sunday's drone strike hit the Dorvel fuel depot, killing two guards.",
        "The Norland army blamed Sudmark for the June 8 drone strike that hit the Dorvel "
        "fuel depot, killing two guards.",
        # a departure, not the strike
        "A drone strike launched on Sunday from Varsk hit the Dorvel fuel depot, killing two "
        "guards.",
        "Sudmark said the drone strike hit the Dorvel fuel depot in retaliation for a "
        "shelling that killed two farmers on Sunday.",
        # a statement's day in a later clause, after the strike is told
        "A drone strike hit the Dorvel fuel depot, and on Sunday the Sudmark army denied any role.",
        # overnight, over two days: either day is right
        "A drone strike hit the Dorvel fuel depot overnight on June 7-8, killing two guards.",
        # the page's own dateline
        "Dorvel (Varsk Daily - 8th June 2031) A drone strike hit the Dorvel fuel depot, "
        "killing two guards.",
    ],
)
def test_a_day_that_is_not_the_strikes_is_not_an_account_of_it(decoy: str) -> None:
    articles = [_article(1, FRIDAY), _article(2, SATURDAY), _article(3, decoy)]
    [day] = _days(build_briefing(articles))
    assert sorted(v.text for v in day.versions) == ["Friday", "Saturday"]
    assert 3 not in _cited(articles, day)
    assert "[3]" not in (day.note or "")


# Another event in the same story, told in three articles: rockets on Wednesday and
# Thursday (which article tells of which is the parameter).
WEDNESDAY = "Rockets struck the Varsk grain terminal on Wednesday, wounding a crane driver."
THURSDAY = "Rockets struck the Varsk grain terminal on Thursday, wounding a crane driver."
MONDAY = "Rockets struck the Varsk grain terminal on Monday, wounding a crane driver."


@pytest.mark.parametrize(
    "rockets",
    [
        # one article tells of rockets on both days: two events, not two accounts of one
        (WEDNESDAY, THURSDAY, f"{WEDNESDAY} {THURSDAY}"),
        # days further apart than one are more often two events
        (MONDAY, WEDNESDAY, WEDNESDAY),
    ],
)
def test_days_of_two_events_are_not_a_divergence(rockets: tuple[str, str, str]) -> None:
    first, second, third = rockets
    articles = [
        _article(1, f"{FRIDAY} {first}"),
        _article(2, f"{SATURDAY} {second}"),
        _article(3, third),
    ]
    days = _days(build_briefing(articles))
    assert [d.topic for d in days] == ["Day of the strike"]
    assert _cited(articles, days[0]) == {1, 2}


def test_a_stated_time_zone_is_noted_without_picking_a_day() -> None:
    articles = [
        _article(1, "A drone strike hit the Dorvel fuel depot late Friday, killing two guards."),
        _article(
            2,
            "A drone strike hit the Dorvel fuel depot on Saturday, local time, killing two guards.",
        ),
    ]
    [day] = _days(build_briefing(articles))
    assert sorted(v.text for v in day.versions) == ["Saturday", "late Friday"]
    assert day.note == ("Time zone stated: [2] “local time”; the days may differ by time zone.")

"""A month and day written without a year takes the year that puts it nearest the
article's date: news looks at the recent past and the near future."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.offline.dates import find_times


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        # December article, a date two months ahead: next year, not ten months back.
        (
            "The minister's last day in office will be Feb. 28.",
            date(2018, 12, 21),
            date(2019, 2, 28),
        ),
        ("The minister signed the order on Dec. 3.", date(2018, 12, 21), date(2018, 12, 3)),
        # January article, a date a week back: last year.
        ("The ferry sank on Dec. 30, officials said.", date(2019, 1, 5), date(2018, 12, 30)),
        ("The inquiry opens on 14 January.", date(2019, 1, 5), date(2019, 1, 14)),
        # Mid-year: both neighbours are far; the nearer one wins.
        ("The bridge was closed on March 2.", date(2030, 7, 1), date(2030, 3, 2)),
        ("The bridge reopens on November 20.", date(2030, 7, 1), date(2030, 11, 20)),
        # An explicit year is kept as written.
        ("The treaty was signed on Feb. 28, 2015.", date(2018, 12, 21), date(2015, 2, 28)),
    ],
)
def test_month_day_without_year_is_nearest_occurrence(
    sentence: str, published: date, expected: date
) -> None:
    [when] = find_times(sentence, published)
    assert when.day == expected


def test_leap_day_without_year_takes_nearest_leap_year_occurrence() -> None:
    # 29 February exists only in 2028 among 2027-2029: it must not vanish or shift.
    [when] = find_times("The vote was held on Feb. 29.", date(2028, 3, 10))
    assert when.day == date(2028, 2, 29)


def test_month_day_without_article_date_stays_unresolved() -> None:
    [when] = find_times("The vote is on Feb. 28.", None)
    assert when.day is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Told in the past, months ahead of a May article: last September's meeting.
        (
            "The deputies reviewed the plan at a meeting the next day, Sept. 15, Fenn said.",
            date(2012, 9, 15),
        ),
        ("On Sept. 15 the council voted to close the pier.", date(2012, 9, 15)),
        # Looking ahead, or with no past tense at all: the coming one.
        ("The hearing will be held on Sept. 15.", date(2013, 9, 15)),
        ("The bridge stays closed until Sept. 15, the council said.", date(2013, 9, 15)),
        ("Lawmakers return on Sept. 15 to vote on the harbour bill.", date(2013, 9, 15)),
        # The past verb is another clause's: the date is the primary's, still to come.
        ("Ana Ruiz, a candidate in the primary on Sept. 15, announced an ad.", date(2013, 9, 15)),
        # A few days ahead is this week's news, whatever the tense.
        ("The ferry sank on May 20, officials said.", date(2013, 5, 20)),
    ],
)
def test_a_date_told_in_the_past_is_not_months_ahead(sentence: str, expected: date) -> None:
    [when] = find_times(sentence, date(2013, 5, 16))
    assert when.day == expected


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("The next inspection is due next Saturday.", date.max),  # a Friday
        ("Traffic was heavy yesterday.", date.min),
        ("The road was shut last Monday.", date.min),  # a Monday
    ],
)
def test_a_time_past_the_calendar_ends_is_unplaced_not_a_crash(text: str, reference: date) -> None:
    # A fuzzing trial: an article dated 9999-12-31 (or 0001-01-01) naming a weekday or
    # "yesterday" stopped the whole run with OverflowError.
    [when] = find_times(text, reference)
    assert when.day is None and when.text in text

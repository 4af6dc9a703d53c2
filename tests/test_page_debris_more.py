"""More page debris: photo captions, newsletter notes, live-blog stamps, e-mail widgets.

Every rule is checked both ways: invented debris goes, an invented news sentence that
shares its words stays.
"""

from __future__ import annotations

import pytest

from briefing.model import Article
from briefing.offline import build_briefing
from briefing.offline.segment import content_sentences
from briefing.sources.debris import clean_lines, is_debris
from briefing.sources.text import parse_text_article


def _kept(text: str) -> list[str]:
    article = Article(id="art000000001", label=1, title="t", text=text, date="2031-04-08")
    return [s.text for s in content_sentences(article, 0)[0]]


# --- photo captions ----------------------------------------------------------------------

CAPTIONS = [
    # AP: present tense, weekday and full date appended after a comma.
    "Farmers with green banners block the ring road outside the grain ministry in Dorvel, "
    "Norland, Sunday, April 6, 2031.",
    # AP: the date bare after the verb phrase, then ", in Place".
    "Volunteers carry sandbags through the flooded square Tuesday, April 8, 2031, in Dorvel.",
    "Riot police line up near the harbour gate Wednesday, April 9, 2031, in Port Ellery.",
    # No comma between weekday and month.
    "The mayor of Dorvel speaks to reporters outside the town hall, Monday April 7, 2031.",
]

NOT_CAPTIONS = [
    # Governed by a preposition: the date of a planned event.
    "The final vote on the grain bill is set for Tuesday, Jan. 15, 2031.",
    "Norland's parliament will debate the grain bill on Thursday, April 10, 2031.",
    # Past tense, reported speech, the future: news, not a picture.
    "Police arrested 40 farmers at the ring road Tuesday, April 8, 2031, in Dorvel.",
    "The ministry said the road would reopen Monday, April 14, 2031.",
    "The strike was called off Sunday, April 6, 2031, in Dorvel.",
    "The harbour will close Friday, April 11, 2031, in Port Ellery.",
    # Present tense, but neither appended after a comma nor followed by ", in Place".
    "Parliament returns from its recess Monday, April 14, 2031.",
]


@pytest.mark.parametrize("caption", CAPTIONS)
def test_caption_sentence_is_not_content(caption: str) -> None:
    news = "The grain ministry said it would meet the farmers' union next week."
    assert _kept(f"{news}\n\n{caption}") == [news]


@pytest.mark.parametrize("sentence", NOT_CAPTIONS)
def test_news_sentence_ending_in_a_date_is_kept(sentence: str) -> None:
    assert _kept(sentence) == [sentence]


CREDITED_LINES = [
    "Volunteers carry sandbags through the flooded square Tuesday, April 8, 2031, in Dorvel. "
    "Rain fell for a third day as the river rose past the old... (Associated Press)",
    "A farmer stands on a tractor outside the ministry in Dorvel April 6, 2031. REUTERS/Jan Holm",
    "Smoke rises over the grain silos in Port Ellery, April 7, 2031. STRINGER via REUTERS",
    "A boy waves a green flag in Dorvel, Norland. (AP Photo/Ana Kraus)",
    # A satellite picture's caption, its last sentence reading like news on its own.
    "Three guards were killed on Sunday, Jan. 28, 2031, in a drone strike near Dorvel. "
    "Officials identified Depot 9 as the site of the attack. (Orbit Imaging Ltd via AP)",
]


@pytest.mark.parametrize("line", CREDITED_LINES)
def test_line_ending_in_a_photo_credit_is_debris(line: str) -> None:
    assert is_debris(line)


@pytest.mark.parametrize(
    "line",
    [
        "The farmers' union told the Associated Press that the blockade would go on.",
        "KIEV (Reuters) - Farmers blocked the ring road outside the grain ministry on Sunday.",
        "DORVEL, Norland (AP) — Farmers blocked the ring road outside the ministry on Sunday.",
        "The photo agency sold the picture via Reuters and AFP, its director said.",
    ],
)
def test_line_naming_an_agency_is_not_debris(line: str) -> None:
    assert not is_debris(line)


def test_credited_caption_line_is_not_a_title() -> None:
    text = (
        "Volunteers carry sandbags through the flooded square Tuesday, April 8, 2031, in "
        "Dorvel. Rain fell for a... (Associated Press)\n\n"
        "Dorvel floods for a third day\n\n"
        "The river rose past the old bridge in Dorvel on Tuesday, officials said.\n"
    )
    parsed = parse_text_article(text, stem="doc1")
    assert parsed.title == "Dorvel floods for a third day"
    assert "sandbags" not in parsed.text


def test_caption_is_never_bottom_line_key_point_or_timeline_entry() -> None:
    caption = (
        "Farmers with green banners block the ring road outside the grain ministry in "
        "Dorvel, Norland, Sunday, April 6, 2031."
    )
    texts = [
        f"{caption}\n\nFarmers blocked the ring road outside the grain ministry in Dorvel on "
        "Sunday, demanding higher grain prices.\n\nThe grain ministry said on Monday it "
        "would meet the farmers' union next week.",
        f"Farmers blocked the main ring road in Dorvel on Sunday over grain prices.\n\n"
        f"{caption}\n\nThe union said 3,000 farmers took part in the blockade.",
    ]
    articles = [
        Article(
            id=f"art00000000{k}",
            label=k,
            title=f"Farmers block Dorvel road {k}",
            text=t,
            date="2031-04-07",
        )
        for k, t in enumerate(texts, start=1)
    ]
    b = build_briefing(articles)
    shown = [b.bottom_line.text, *(p.text for p in b.points)]
    shown += [e.text for e in b.timeline] + [n.text for n in b.single_source]
    assert shown and not any("green banners" in s for s in shown)


# --- boilerplate and live-blog debris ---------------------------------------------------


@pytest.mark.parametrize(
    ("debris", "survivor"),
    [
        (
            "A version of this story appears in the Dorvel Courier's Morning Brief newsletter.",
            "A version of the grain bill appears in the ministry's newsletter to farmers.",
        ),
        (
            "An earlier version of this article misstated the size of the blockade.",
            "An earlier version of the grain bill capped prices for two years.",
        ),
        (
            "Breaking News Emails Get breaking news alerts and special reports.",
            "The council said residents can sign up for flood alerts by text message.",
        ),
        (
            "The author and the Dorvel Ledger are not registered investment advisors and "
            "nothing in this article is intended to be investment advice.",
            "A registered investment adviser in Dorvel was charged on Friday with fraud.",
        ),
        (
            "Advisory products and services offered by Investment Advisory Representatives "
            "through Varsk Advisory, a Registered Investment Advisor.",
            "The ministry said the grain bill is not intended as a subsidy for exporters.",
        ),
        (
            "Past performance is not indicative of future results.",
            "The fund's past performance in Dorvel drew complaints from savers on Friday.",
        ),
        (
            "This article is for informational purposes only.",
            "The council said the flood maps were published for residents on Friday.",
        ),
        (
            "The news and stories that matter, delivered weekday mornings.",
            "Milk and bread are delivered weekday mornings to the flooded villages, "
            "the council said.",
        ),
    ],
)
def test_boilerplate_sentence_goes_and_news_stays(debris: str, survivor: str) -> None:
    assert _kept(f"{debris}\n\n{survivor}") == [survivor]


@pytest.mark.parametrize(
    "line",
    [
        "19:29",
        "7:19 p.m.",
        "10:05 GMT",
        "UPDATE: 7:19 p.m. --",
        "UPDATE: 9 p.m. --",
        "Update 10:05 GMT",
        "UPDATE:",
    ],
)
def test_lone_time_and_update_stamps_are_debris(line: str) -> None:
    assert is_debris(line)


@pytest.mark.parametrize(
    "line",
    [
        "Update: the council now says the bridge will stay closed until Friday.",
        "At 19:29 the river broke through the flood wall in Dorvel.",
    ],
)
def test_sentences_with_update_or_a_time_are_not_debris(line: str) -> None:
    assert not is_debris(line)


def test_live_blog_update_stamp_is_cut_from_the_line() -> None:
    lines = [
        "UPDATE: 7:19 p.m. -- The Dorvel Courier now reports that the dam held overnight.",
        "Update, 10:05 GMT: The council reopened the bridge.",
        "UPDATE: 9 p.m. -- The mayor said the pier would reopen.",
    ]
    assert clean_lines(lines) == [
        "The Dorvel Courier now reports that the dam held overnight.",
        "The council reopened the bridge.",
        "The mayor said the pier would reopen.",
    ]


def test_footnote_marks_go_and_an_editor_s_brackets_stay() -> None:
    # "[W]e" is the quotation's own word with its capital changed by the editor.
    lines = [
        "The treaty[a] was signed in Dorvel.[3] Both sides welcomed it.[citation needed]",
        'The committee said: "[W]e have heard loud and clear" and "[t]he bridge stays."',
    ]
    assert clean_lines(lines) == [
        "The treaty was signed in Dorvel. Both sides welcomed it.",
        'The committee said: "[W]e have heard loud and clear" and "[t]he bridge stays."',
    ]


def test_time_stamp_and_email_widget_are_not_titles() -> None:
    text = (
        "Breaking News Emails Get breaking news alerts and special reports. The news and "
        "stories that matter, delivered weekday mornings.\n\n"
        "19:29\n\n"
        "The river broke through the flood wall in Dorvel on Tuesday, the council said.\n"
    )
    parsed = parse_text_article(text, stem="doc3")
    assert parsed.title not in ("19:29",) and "Breaking News" not in parsed.title
    assert "Breaking News" not in parsed.text and "19:29" not in parsed.text


def test_caption_title_is_not_the_headline() -> None:
    from briefing.offline.headline import choose_headline
    from briefing.offline.vectors import build_space

    caption = (
        "Farmers with green banners block the ring road outside the grain ministry in "
        "Dorvel, Norland, Sunday, April 6, 2031."
    )
    sentences = [
        "Farmers with green banners blocked the ring road outside the grain ministry.",
        "The farmers blocked the ring road in Dorvel over grain prices.",
        "The grain ministry said it would meet the farmers next week.",
    ]
    titles = [caption, "Norland union talks set", caption]
    assert choose_headline(titles, build_space(sentences), "fallback") == (
        "Norland union talks set"
    )


def test_in_place_tail_needs_a_place_name() -> None:
    # ", in the rain" is not a caption's place: without a comma before the weekday this
    # is a sentence, however it is worded.
    sentence = (
        "Volunteers carry sandbags through the flooded square Tuesday, April 8, 2031, in the rain."
    )
    assert _kept(sentence) == [sentence]

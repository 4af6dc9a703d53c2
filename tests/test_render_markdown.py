"""Markdown renderer: section order, citations, empty sections, and inert article text."""

from __future__ import annotations

import re

import lxml.html
import pytest
from briefing_fixture import HOSTILE, make_briefing, make_single_source_briefing

from briefing.model import Citation, Divergence, Point, SourceVersion
from briefing.render.content import excerpt, quoted, safe_url
from briefing.render.html import markdown_to_html
from briefing.render.markdown import escape, render_markdown

SECTIONS = [
    "## Bottom line",
    "## Key points",
    "## Where accounts diverge",
    "## Reported by only one source",
    "## Timeline",
    "## Sources",
]


def _section(md: str, title: str) -> str:
    """The text of one '## ' section, up to the next one."""
    start = md.index(f"## {title}\n")
    nxt = md.find("\n## ", start + 3)
    return md[start : nxt if nxt != -1 else len(md)]


def _html_doc(md: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(markdown_to_html(md), create_parent="div")


def test_sections_come_in_order_after_the_headline() -> None:
    md = render_markdown(make_briefing())
    assert md.startswith("# Ferry fire off Port Kessa kills at least nine")
    positions = [md.index(f"\n{s}\n") for s in SECTIONS]
    assert positions == sorted(positions)
    assert "## Unverified" not in md  # only when there is something unverified


def test_meta_line_gives_time_source_count_engine_and_model() -> None:
    md = render_markdown(make_briefing())
    assert "Generated 2025-03-05 09:15 UTC from 4 sources · engine: llm (test-model-1)" in md
    single = render_markdown(make_single_source_briefing())
    assert "from 1 source · engine: offline" in single
    assert "(test-model" not in single


def test_points_end_with_their_citations_in_label_order() -> None:
    b = make_briefing()
    md = render_markdown(b)
    points = _section(md, "Key points")
    # Fixture point 2 cites [4], [1], [2] in that order; [4] has no URL: it links to Sources.
    line = next(ln for ln in points.splitlines() if "manifest lists 212" in ln)
    assert line.endswith("[[1]][s1][[2]][s2][[4]][s4]")
    doc = _html_doc(md)
    item = next(li for li in doc.iter("li") if "manifest lists 212" in li.text_content())
    assert item.text_content().endswith("[1][2][4]")
    links = {a.text_content(): a.get("href") for a in item.iter("a")}
    assert links == {"[1]": b.sources[0].url, "[2]": b.sources[1].url, "[4]": "#sources"}
    # The anchor exists: the toc extension's id for the Sources heading.
    (heading,) = doc.xpath('//*[@id="sources"]')
    assert heading.tag == "h2" and heading.text_content() == "Sources"


def test_divergences_show_each_source_version_with_label_and_quote() -> None:
    md = render_markdown(make_briefing())
    section = _section(md, "Where accounts diverge")
    assert "### Death toll" in section
    assert "*numbers differ*" in section
    assert "*attribution differs*" in section
    assert "| Source | Version |" in section
    row = next(ln for ln in section.splitlines() if "at least 14 killed" in ln)
    assert row.startswith("| [[1]][s1] Meridian Wire |")
    assert "“At least 14 people were killed and 40 injured, the coast guard said.”" in row
    assert "The wire cites the coast guard, the Courier the governor." in section
    doc = _html_doc(md)
    tables = doc.findall(".//table")
    assert len(tables) == 3
    assert [len(t.findall(".//tbody/tr")) for t in tables] == [3, 3, 2]


def test_source_labels_in_a_divergence_note_link_like_citations() -> None:
    b = make_briefing()
    div = b.divergences[0]
    noted = div.model_copy(update={"note": "2 more sources give 15: [2] and [4]; [9] is none"})
    b = b.model_copy(update={"divergences": [noted, *b.divergences[1:]]})
    md = render_markdown(b)
    assert "15: [[2]][s2] and [[4]][s4]; \\[9\\] is none" in md
    doc = _html_doc(md)
    note = next(p for p in doc.iter("p") if "more sources give 15" in p.text_content())
    links = {a.text_content(): a.get("href") for a in note.iter("a")}
    assert links == {"[2]": b.sources[1].url, "[4]": "#sources"}  # [9] lists no source
    assert note.text_content() == "2 more sources give 15: [2] and [4]; [9] is none"


def test_single_source_notes_timeline_and_sources() -> None:
    b = make_briefing()
    md = render_markdown(b)
    singles = _section(md, "Reported by only one source")
    assert "- St. Brannoc Hospital declared an emergency. [[2]][s2]" in singles
    timeline = _section(md, "Timeline").splitlines()
    events = [ln for ln in timeline if ln.startswith("- ")]
    # Sorted by time, whatever the record's order.
    assert events[0].startswith("- **January**")
    assert events[-1].startswith("- **Friday**")
    sources = _section(md, "Sources")
    assert "\\[1\\] **At least 14 dead as fire sweeps ferry off Port Kessa** · Meridian Wire" in (
        sources
    )
    assert "<https://meridian-wire.example/world/2025/03/04/ferry-fire-kessa>" in sources
    assert "merged duplicates: https://syndication.example/meridian/ferry-fire-kessa" in sources
    assert "file: notes/harbour-office-statement.txt" in sources
    assert "[s2]: https://kessacourier.example/news/ferry-blaze?id=41&src=rss" in md
    assert "[s4]: #sources" in md  # no URL: the link goes to the Sources list


def test_empty_sections_say_so() -> None:
    b = make_briefing()
    b = b.model_copy(update={"divergences": [], "single_source": [], "timeline": [], "points": []})
    md = render_markdown(b)
    assert "No divergences found between the 4 sources." in md
    assert "No fact was found that only one source reports." in md
    assert "No dated events were found." in md
    assert "No key points could be drawn from the sources." in md


def test_one_source_explains_why_there_are_no_divergences() -> None:
    md = render_markdown(make_single_source_briefing())
    assert "Only one source: divergences need two or more." in _section(
        md, "Where accounts diverge"
    )
    assert "**Warnings:** one article only: divergences need two or more" in md


def test_unverified_section_is_marked_not_verified() -> None:
    md = render_markdown(make_briefing(unverified=True))
    section = _section(md, "Unverified")
    assert "NOT verified" in section
    assert "- NOT VERIFIED: The captain was arrested on Wednesday. (claimed source: \\[2\\])" in (
        section
    )
    assert md.index("## Unverified") < md.index("## Sources")


def test_run_warnings_are_shown() -> None:
    b = make_briefing()
    b.run.warnings.append("source [3] was cut at 20000 characters")
    md = render_markdown(b)
    assert "**Warnings:** source \\[3\\] was cut at 20000 characters" in md


def test_unknown_article_id_is_labelled_not_dropped() -> None:
    b = make_briefing()
    stray = Citation(article_id="nope", start=0, end=1, quote="x")
    b.points.append(Point(text="A point citing a missing source.", citations=[stray]))
    assert "- A point citing a missing source. \\[?\\]" in render_markdown(b)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain words", "plain words"),
        ("a *b* _c_", "a \\*b\\* \\_c\\_"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("<b>&amp; & co</b>", "&lt;b&gt;&amp;amp; & co&lt;/b&gt;"),
        ("a | b `c` #d", "a | b \\`c\\` \\#d"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("line\nbreak\n\n# heading", "line break \\# heading"),
    ],
)
def test_escape(raw: str, expected: str) -> None:
    assert escape(raw) == expected


def test_hostile_text_stays_text_in_markdown_and_its_html() -> None:
    md = render_markdown(make_briefing(hostile=True))
    assert "<script" not in md
    assert "<img" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # only as "\](javascript:"
    doc = _html_doc(md)
    assert not doc.findall(".//script")
    assert not doc.findall(".//img")
    # The only emphasis is ours (kind labels, meta line), never the payload's *star* / _under_.
    assert all(
        em.text_content() not in ("star", "under") for em in doc.iter("em", "strong", "code")
    )
    assert not doc.findall(".//code")
    for a in doc.iter("a"):
        href = a.get("href", "")
        assert href.startswith("https://") or href == "#sources", href
    # The payload reads back literally, once per article-derived string.
    text = doc.text_content()
    assert text.count("<script>alert(1)</script>") >= 20
    assert "[click](javascript:alert(1)) *star* _under_ # hash | pipe `tick` &amp; 1. ]" in text
    assert HOSTILE.split(" ", 1)[0] in text


def test_non_http_source_url_is_text_not_link() -> None:
    b = make_briefing(hostile=True)  # source 3's URL is javascript:alert(1)
    md = render_markdown(b)
    assert "[s3]: #sources" in md  # a link to the list, never to the URL
    assert "URL (not linked): javascript:alert(1)" in _section(md, "Sources")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1&c=2#d", "https://example.org/a?b=1&c=2#d"),
        ("HTTP://example.org/x", "HTTP://example.org/x"),
        ("https://example.org/a_(b) c", None),  # whitespace: not a usable URL
        ("https://example.org/a_(b)<c>", "https://example.org/a_%28b%29%3Cc%3E"),
        ("https://example.org/ü", "https://example.org/%C3%BC"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//example.org/x", None),
        ("http:///no-host", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_urls_are_linked(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


# ---------------------------------------------------------------- divergence quotes

# A long passage (invented) whose injured figure comes well past the first 160 characters.
LONG_PASSAGE = (
    "ORLEN, Vastria (Meridian Wire) - Floodwater from the spillway of the old dam above the "
    "lower town swept through the riverside districts on Tuesday night and killed at least "
    "14 people and injured about 30 others, the regional governor said on Wednesday."
)


def _with_divergence(*versions: tuple[int, str, str]) -> str:
    """The fixture briefing rendered with one divergence of (label, value, quote) rows."""
    b = make_briefing()
    rows = [
        SourceVersion(
            text=value,
            citation=Citation(article_id=b.sources[label - 1].id, start=0, end=1, quote=quote),
        )
        for label, value, quote in versions
    ]
    div = Divergence(topic="How many injured", kind="numeric", versions=rows)
    return _section(
        render_markdown(b.model_copy(update={"divergences": [div]})), "Where accounts diverge"
    )


def test_a_divergence_quote_shows_the_figure_its_version_states() -> None:
    assert LONG_PASSAGE.index("about 30") > 160
    section = _with_divergence(
        (1, "about 30 injured", LONG_PASSAGE),
        (2, "Nine injured", "Nine people were hurt, the Courier said."),
    )
    row = next(line for line in section.splitlines() if "about 30 injured" in line)
    # A window round the figure, cut at a word with "…"; not the passage's lead-in.
    assert (
        "about 30 injured — “…town swept through the riverside districts on Tuesday night "
        "and killed at least 14 people and injured about 30 others, the regional governor "
        "said on Wednesday.” |"
    ) in row
    assert "Floodwater" not in row


def test_a_figure_the_passage_does_not_write_keeps_the_passage_start() -> None:
    start = excerpt(LONG_PASSAGE)
    assert start.startswith("ORLEN, Vastria") and start.endswith("…")
    assert "about 30" not in start
    assert excerpt(LONG_PASSAGE, about="about 45 injured") == start  # 45 is not written
    assert excerpt(LONG_PASSAGE, about="Thirty injured") == start  # nor is "thirty"
    assert excerpt(LONG_PASSAGE, about="injuries disputed") == start  # no figure stated
    early = "Ninety people were hurt when floodwater swept the lower town. " + LONG_PASSAGE
    assert excerpt(early, about="Ninety injured") == excerpt(early)  # shown with words after


@pytest.mark.parametrize(
    ("about", "expected"),
    [
        ("about 30 injured", "…and injured about 30 others, and 1200 residents left, the…"),
        ("1,200 evacuated", "…about 30 others, and 1200 residents left, the governor said…"),
        ("fourteen killed", "…and killed at least fourteen people and injured about 30…"),
    ],
)
def test_the_window_is_cut_at_words_round_the_figure(about: str, expected: str) -> None:
    passage = LONG_PASSAGE.replace(
        "the regional governor", "and 1200 residents left, the governor"
    ).replace("at least 14", "at least fourteen")
    assert excerpt(passage, 60, about=about) == expected


def test_a_window_starts_at_the_figures_sentence_when_it_can() -> None:
    passage = (
        "The ministry gave no figure at first and declined to say how the strike was planned "
        "or who had ordered it, citing operational security. Later it said 85 targets were hit."
    )
    assert excerpt(passage) == (
        "The ministry gave no figure at first and declined to say how the strike was planned "
        "or who had ordered it, citing operational security. Later it said 85…"
    )
    assert quoted(passage, about="more than 85 targets") == "“Later it said 85 targets were hit.”"


def test_quote_marks_are_not_doubled() -> None:
    section = _with_divergence(
        (1, "25 injured", '"This aggression killed 16 people and injured 25," a spokesman said.'),
        (2, "30 injured", "“About 30 people were injured.”"),
        (3, "40 injured", "Officials said 40 were injured."),
        (4, "50 injured", 'He called it "a massacre of 50 people."'),
    )
    assert '— "This aggression killed 16 people and injured 25," a spokesman said. |' in section
    assert "— “About 30 people were injured.” |" in section  # one pair, ours
    assert "— “Officials said 40 were injured.” |" in section
    assert '— He called it "a massacre of 50 people." |' in section
    for doubled in ('“"', '"”', "““", "””"):
        assert doubled not in section


def test_no_single_source_facts_is_said_neutrally() -> None:
    b = make_briefing().model_copy(update={"single_source": []})
    section = _section(render_markdown(b), "Reported by only one source")
    assert "No fact was found that only one source reports." in section
    assert "Nothing is reported" not in section


def test_no_single_source_facts_does_not_contradict_a_one_source_point() -> None:
    b = make_briefing()
    lone = b.points[0].model_copy(update={"citations": b.points[0].citations[:1]})
    b = b.model_copy(update={"single_source": [], "points": [lone, *b.points[1:]]})
    section = _section(render_markdown(b), "Reported by only one source")
    assert "beyond the points above that cite a single source" in section


def test_an_empty_timeline_says_when_no_article_is_dated() -> None:
    b = make_briefing().model_copy(update={"timeline": []})
    assert "No article carries a publication date" not in render_markdown(b)
    undated = [s.model_copy(update={"date": None}) for s in b.sources]
    section = _section(render_markdown(b.model_copy(update={"sources": undated})), "Timeline")
    assert "No dated events were found. No article carries a publication date" in section


def test_unverified_intro_names_both_causes() -> None:
    section = _section(render_markdown(make_briefing(unverified=True)), "Unverified")
    assert "quoted words were not found" in section
    assert "cited note or article does not exist" in section
    assert "could not be found in the source texts" not in section


def test_file_notes_follow_the_sources_and_warnings_lead() -> None:
    md = render_markdown(make_briefing(run_notes=True))
    assert md.index("**Warnings:**") < md.index("## Bottom line")
    assert "copy.txt" not in md[: md.index("## Sources")]
    assert "**Run notes:** merged duplicate copy.txt into \\[2\\]" in _section(md, "Sources")
    # Still a paragraph of its own in the web page, not glued to the last source.
    assert "Run notes:" in _html_doc(md).xpath("string(//p[strong='Run notes:'])")


def test_a_pipe_is_escaped_only_where_it_would_end_a_table_cell() -> None:
    b = make_briefing()
    title = "Ferry fire | Kessa News"
    b.sources[0] = b.sources[0].model_copy(update={"title": title})
    version = b.divergences[0].versions[0]
    b.divergences[0].versions[0] = version.model_copy(update={"text": "9 | nine dead"})
    md = render_markdown(b)
    assert f"**{title}**" in _section(md, "Sources")
    assert "9 \\| nine dead" in _section(md, "Where accounts diverge")
    doc = _html_doc(md)
    cells = [td.text_content() for td in doc.iter("td")]
    assert any(cell.startswith("9 | nine dead") for cell in cells), cells
    assert title in doc.text_content()

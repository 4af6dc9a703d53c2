"""Web HTML page and JSON output."""

from __future__ import annotations

import lxml.html
from briefing_fixture import make_briefing

from briefing.model import Briefing, Citation, Divergence, SourceVersion
from briefing.render import render
from briefing.render.email import render_email
from briefing.render.html import markdown_to_html, render_html


def _doc(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def test_page_is_a_standalone_html5_document() -> None:
    page = render_html(make_briefing())
    assert page.lower().startswith("<!doctype html>")
    doc = _doc(page)
    head = doc.find("head")
    assert head.find("meta[@charset='utf-8']") is not None
    assert "width=device-width" in head.find("meta[@name='viewport']").get("content")
    assert doc.findtext(".//title").startswith("Ferry fire off Port Kessa")
    css = head.findtext("style")
    assert "max-width: 46rem" in css
    assert "prefers-color-scheme: dark" in css
    assert "@media (max-width: 34rem)" in css  # tables stack on phones
    assert doc.find(".//main/h1") is not None
    assert doc.get_element_by_id("where-accounts-diverge").tag == "h2"


def test_page_has_no_scripts_and_loads_nothing_from_outside() -> None:
    page = render_html(make_briefing())
    doc = _doc(page)
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert not doc.findall(f".//{tag}"), tag
    assert "@import" not in page and "url(" not in page
    csp = doc.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "default-src 'none'" in csp


def test_hostile_article_text_is_inert_in_the_page() -> None:
    page = render_html(make_briefing(hostile=True))
    assert "<script" not in page
    assert "<img" not in page
    doc = _doc(page)
    assert not doc.findall(".//script") and not doc.findall(".//img")
    for el in doc.iter():
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            if name in ("href", "src"):
                assert value.startswith("https://") or value == "#sources", value
    assert doc.findtext(".//title").count("<script>") == 1  # shown as text


def test_raw_html_in_markdown_is_printed_not_parsed() -> None:
    # A second guard behind escaping: the Markdown -> HTML step ignores raw HTML.
    out = markdown_to_html('<div onclick="x">hi</div>\n\nsome <b onmouseover="y">text</b>')
    doc = lxml.html.fragment_fromstring(out, create_parent="div")
    assert doc.find(".//div") is None and doc.find(".//b") is None
    assert '<div onclick="x">' in doc.text_content()


def test_json_round_trips() -> None:
    b = make_briefing(unverified=True)
    text = render(b, "json")
    assert isinstance(text, str)
    assert Briefing.from_json(text) == b


def _with_quotes() -> Briefing:
    """The fixture briefing with one divergence: a figure far into a long passage, and a
    passage that is itself a quotation."""
    b = make_briefing()
    passage = (
        "ORLEN, Vastria (Meridian Wire) - Floodwater from the spillway of the old dam above "
        "the lower town swept through the riverside districts on Tuesday night and killed at "
        "least 14 people and injured about 30 others, the regional governor said on Wednesday."
    )
    versions = [
        SourceVersion(
            text=value,
            citation=Citation(article_id=b.sources[n].id, start=0, end=1, quote=quote),
        )
        for n, value, quote in [
            (0, "about 30 injured", passage),
            (1, "25 injured", '"The flood killed 16 and injured 25," a spokesman said.'),
        ]
    ]
    div = Divergence(topic="How many injured", kind="numeric", versions=versions)
    return b.model_copy(update={"divergences": [div]})


def test_divergence_quotes_show_the_figure_once_quoted_in_page_and_email() -> None:
    page = _doc(render_html(_with_quotes())).get_element_by_id("where-accounts-diverge")
    section = page.getparent().text_content()
    email = lxml.html.document_fromstring(render_email(_with_quotes()))
    quotes = [p.text_content() for p in email.find_class("quote")]
    for text in (section, " ".join(quotes)):
        assert "injured about 30 others" in text
        assert '"The flood killed 16 and injured 25," a spokesman said.' in text
        assert '“"' not in text and '“…"' not in text
    assert quotes[0].startswith("“…") and quotes[0].endswith("said on Wednesday.”")
    assert quotes[1] == '"The flood killed 16 and injured 25," a spokesman said.'

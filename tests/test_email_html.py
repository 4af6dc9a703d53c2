"""E-mail HTML: inlined styles, table layout, phone-friendly divergences, size limit."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html
import pytest
from briefing_fixture import make_briefing, make_single_source_briefing

from briefing.model import SourceRef
from briefing.render.email import MAX_EMAIL_BYTES, render_email

GMAIL_CLIP = 102 * 1000  # Gmail clips HTML bigger than ~102 KB

TEXT_TAGS = ("p", "h1", "h2", "h3", "a")


def _doc(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def _own_text(el: lxml.html.HtmlElement) -> str:
    """Text directly inside the element (not inside child elements)."""
    parts = [el.text or ""] + [child.tail or "" for child in el]
    return "".join(parts).replace("\xa0", " ").strip()


def test_text_bearing_elements_carry_inline_styles() -> None:
    doc = _doc(render_email(make_briefing(unverified=True)))
    checked = 0
    for el in doc.body.iter(lxml.etree.Element):
        has_text = bool(el.text_content().strip())
        if el.tag in TEXT_TAGS or (el.tag == "td" and _own_text(el)):
            assert has_text or el.tag != "p", el.tag
            style = el.get("style", "")
            assert "font" in style or "color" in style or el.tag == "a", (el.tag, style)
            assert style, f"<{el.tag}> without inline style: {el.text_content()[:60]!r}"
            checked += 1
    assert checked > 80  # the fixture really exercised many elements


def test_layout_is_600px_presentation_tables_without_scripts_or_outside_resources() -> None:
    page = render_email(make_briefing())
    doc = _doc(page)
    tables = doc.findall(".//table")
    assert tables and all(t.get("role") == "presentation" for t in tables)
    card = doc.find_class("card")[0]
    assert "max-width: 600px" in card.get("style") and card.get("width") == "100%"
    assert 'width="600"' in page  # Outlook's fixed-width ghost table
    for tag in ("script", "link", "img", "iframe"):
        assert not doc.findall(f".//{tag}"), tag
    assert "<script" not in page.lower()
    assert "url(" not in page and "@import" not in page
    styles = "".join(s.text_content() for s in doc.findall(".//style"))
    assert "@media (prefers-color-scheme: dark)" in styles
    assert "!important" in styles
    # Only @media rules stay in <style>; the rest went inline.
    assert re.sub(r"@media[^{]+\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", styles).strip() == ""
    meta = {m.get("name"): m.get("content") for m in doc.findall(".//meta") if m.get("name")}
    assert meta["color-scheme"] == "light dark"
    assert meta["supported-color-schemes"] == "light dark"
    assert "margin" not in (doc.find_class("pad")[0].get("style") or "")


def test_fonts_are_web_safe_stacks() -> None:
    page = render_email(make_briefing())
    families = set(re.findall(r"font-family: ([^;\"]+)", page))
    assert families <= {"Helvetica, Arial, sans-serif", "Georgia, 'Times New Roman', Times, serif"}


def test_preheader_holds_the_bottom_line_hidden() -> None:
    b = make_briefing()
    doc = _doc(render_email(b))
    pre = doc.find_class("preheader")[0]
    assert "display: none" in pre.get("style")
    assert pre.text_content().startswith(b.bottom_line.text[:60])
    assert doc.body.index(pre) == 0  # first thing in the body, so inbox previews pick it up


def test_each_source_version_is_its_own_row() -> None:
    doc = _doc(render_email(make_briefing()))
    section = doc.get_element_by_id("where-accounts-diverge")
    assert section.tag == "td"
    version_tables = section.find_class("versions")
    assert len(version_tables) == 3
    for table in version_tables:
        for row in table.iter("tr"):
            assert len(row.findall("td")) == 1  # stacked, never side by side
    first = version_tables[0].find_class("version")[0]
    assert first.text_content().startswith("[1] Meridian Wire")
    assert "at least 14 killed" in first.text_content()
    assert "“At least 14 people were killed" in first.text_content()


def test_citations_are_visible_labels_linking_to_sources() -> None:
    b = make_briefing()
    doc = _doc(render_email(b))
    lead = doc.find_class("lead")[0]
    links = [(a.text_content(), a.get("href")) for a in lead.iter("a")]
    assert links == [
        ("[1]", b.sources[0].url),
        ("[2]", b.sources[1].url),
        ("[3]", b.sources[2].url),
    ]
    # [4] has only a path: it links to its entry in the Sources list.
    item = next(td for td in doc.find_class("item") if "manifest lists 212" in td.text_content())
    assert item.text_content().endswith("[1][2][4]")
    links = [(a.text_content(), a.get("href")) for a in item.iter("a")]
    assert links == [("[1]", b.sources[0].url), ("[2]", b.sources[1].url), ("[4]", "#sources")]
    (target,) = doc.xpath('//*[@id="sources"]')
    assert "harbour-office-statement.txt" in target.text_content()


def test_sections_and_sources_are_all_there() -> None:
    doc = _doc(render_email(make_briefing(unverified=True)))
    headings = [h.text_content() for h in doc.iter("h2")]
    assert headings == [
        "Bottom line",
        "Key points",
        "Where accounts diverge",
        "Reported by only one source",
        "Timeline",
        "Unverified",
        "Sources",
    ]
    text = doc.text_content()
    # A mail names a file, not the sender's folders (the Markdown keeps the path).
    assert "file: harbour-office-statement.txt" in text and "notes/" not in text
    assert "NOT VERIFIED: The captain was arrested on Wednesday." in text


def test_one_source_briefing_explains_empty_sections() -> None:
    text = _doc(render_email(make_single_source_briefing())).text_content()
    assert "Only one source: divergences need two or more." in text
    assert "one article only" in text


def test_hostile_text_is_inert() -> None:
    page = render_email(make_briefing(hostile=True))
    assert "<script" not in page and "<img" not in page
    doc = _doc(page)
    for el in doc.iter():
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            if name == "href":
                assert value.startswith("https://") or value == "#sources", value
    assert "<script>alert(1)</script>" in doc.text_content()


def test_normal_briefing_is_not_trimmed() -> None:
    page = render_email(make_briefing())
    assert len(page.encode()) < GMAIL_CLIP
    assert "left out" not in page


def test_oversized_briefing_drops_lowest_ranked_points_and_says_so() -> None:
    b = make_briefing(extra_points=800)
    full = render_email(b, max_bytes=10**7)
    assert len(full.encode()) > GMAIL_CLIP  # the fixture really is too big
    page = render_email(b, full_briefing_hint="attached as briefing.md")
    assert len(page.encode()) <= MAX_EMAIL_BYTES < GMAIL_CLIP
    doc = _doc(page)
    items = [td.text_content() for td in doc.find_class("item")]
    kept = [t for t in items if "filler point number" in t]
    notice = doc.find_class("notice")[0].text_content()
    match = re.match(r"(\d+) lower-ranked points were left out", notice)
    assert match, notice
    assert int(match.group(1)) == 800 - len(kept)
    assert notice.endswith("the full briefing is attached as briefing.md.")
    # Highest-ranked points stay; the lowest go first.
    assert "The cause is disputed" in page
    assert kept and kept[-1].startswith(f"Lower-ranked filler point number {len(kept)},")
    # Everything else survived this amount of trimming.
    assert len(doc.get_element_by_id("where-accounts-diverge").find_class("version")) == 8
    assert "St. Brannoc Hospital" in page and "Divers resume the search." in page


def test_trimming_moves_on_to_other_sections_when_points_are_not_enough() -> None:
    b = make_briefing(extra_points=20)
    page = render_email(b, max_bytes=28_000)
    assert len(page.encode()) <= 28_000
    doc = _doc(page)
    notice = doc.find_class("notice")[0].text_content()
    # Points past eight go first, then the side sections, and only then more points.
    match = re.match(
        r"(\d+) lower-ranked points, 3 single-source notes and 5 timeline entries were left out",
        notice,
    )
    assert match, notice
    kept = len(b.points) - int(match.group(1))
    assert 3 <= kept < 8
    assert len(doc.find_class("item")) == kept  # the points only: the side sections went
    assert "3 more left out of this e-mail." in doc.text_content()
    assert len(doc.get_element_by_id("where-accounts-diverge").find_class("version")) == 8


def test_sources_nothing_cites_go_before_any_divergence_or_point() -> None:
    # A user trial: 39 outlets' Sources list outweighed the rest; below the size of all
    # of it the e-mail fell to the bottom line alone, points and divergences gone.
    b = make_briefing()
    extra = [
        SourceRef(
            id=f"x{k}",
            label=len(b.sources) + k,
            title=f"Uncited wire copy number {k} of the ferry fire, with a long headline",
            outlet=f"Outlet {k}",
            url=f"https://news{k}.example/2025/03/04/ferry-fire-port-kessa-aster-line-{k}",
        )
        for k in range(1, 61)
    ]
    b = b.model_copy(update={"sources": [*b.sources, *extra]})
    full = render_email(b, max_bytes=10**7)
    limit = len(full.encode()) * 2 // 3
    page = render_email(b, max_bytes=limit)
    assert len(page.encode()) <= limit
    doc = _doc(page)
    notice = doc.find_class("notice")[0].text_content()
    match = re.search(r"(\d+) uncited sources were left out", notice)
    assert match, notice
    left_out = int(match.group(1))
    assert 0 < left_out <= 60
    listed = doc.get_element_by_id("sources").find_class("source")
    assert len(listed) == len(b.sources) - left_out
    # Everything cited stays listed, the header still counts every source, and the
    # sections a reader opens the e-mail for are whole.
    labels = [el.text_content().split("]")[0] + "]" for el in listed]
    assert labels[:4] == ["[1]", "[2]", "[3]", "[4]"]
    assert f"from {len(b.sources)} sources" in doc.find_class("meta")[0].text_content()
    assert len(doc.get_element_by_id("where-accounts-diverge").find_class("version")) == 8
    text = doc.text_content()
    assert all(point.text in text for point in b.points)
    assert f"{left_out} more left out of this e-mail." in text


def test_hopelessly_small_limit_falls_back_to_the_summary() -> None:
    b = make_briefing()
    page = render_email(b, max_bytes=9_000)
    assert len(page.encode()) <= 9_000
    text = _doc(page).text_content()
    assert "too large for e-mail" in text
    assert "Key points" not in text
    assert "Aster Line 7" in text


def test_a_limit_below_the_smallest_email_is_refused_not_exceeded() -> None:
    with pytest.raises(ValueError, match=r"max_bytes=1,000 is below the smallest e-mail"):
        render_email(make_briefing(), max_bytes=1_000)


def test_source_labels_in_a_divergence_note_link_like_citations() -> None:
    b = make_briefing()
    noted = b.divergences[0].model_copy(update={"note": "Also given: 15 ([2]; [4]) and [9]."})
    b = b.model_copy(update={"divergences": [noted, *b.divergences[1:]]})
    doc = _doc(render_email(b))
    note = next(p for p in doc.iter("p") if "Also given" in p.text_content())
    assert {a.text_content(): a.get("href") for a in note.iter("a")} == {
        "[2]": b.sources[1].url,
        "[4]": "#sources",
    }
    assert note.text_content() == "Also given: 15 ([2]; [4]) and [9]."


def test_file_notes_wait_in_the_footer_and_warnings_stay_on_top() -> None:
    text = _doc(render_email(make_briefing(run_notes=True))).text_content()
    assert text.index("Warnings: source [3] was cut") < text.index("Bottom line")
    assert text.index("Sources") < text.index("Run notes: merged duplicate copy.txt into [2]")

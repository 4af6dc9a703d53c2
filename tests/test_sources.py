"""Ingestion: reading, decoding, metadata, debris, dedupe and the error messages."""

from __future__ import annotations

import io
import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.model import ONE_ARTICLE_WARNING, Article, Briefing
from briefing.sources import load_articles, load_texts
from briefing.sources.debris import clean_lines, is_debris
from briefing.sources.dedupe import find_duplicates
from briefing.sources.metadata import (
    normalise_date,
    outlet_from_url,
    parse_byline,
    parse_date_line,
)
from briefing.sources.reading import article_id, human_size

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
EXAMPLES = Path(__file__).parent.parent / "examples"

BODY = (
    "The harbour crane at Port Elsan collapsed on Sunday morning, injuring two dock workers, "
    "the port authority said.\n\n"
    "Engineers will inspect the remaining cranes this week before loading resumes."
)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def load_one(path: str, **kwargs: object):
    result = load_articles([path], **kwargs)
    assert len(result.articles) == 1
    return result.articles[0]


# --------------------------------------------------------------------------- text + metadata


def test_txt_title_source_byline_and_date_become_metadata(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "crane.txt",
        "Crane collapses at Port Elsan harbour\n"
        "Source: https://www.harbourtimes.example/news/crane\n"
        "By Jane Doe, Reuters\n"
        "Published: February 4, 2024\n\n" + BODY + "\n",
    )
    article = load_one(path)
    assert article.title == "Crane collapses at Port Elsan harbour"
    assert article.url == "https://www.harbourtimes.example/news/crane"
    assert article.outlet == "harbourtimes.example"
    assert article.author == "Jane Doe"
    assert article.date == "2024-02-04"
    assert article.path == path
    assert article.label == 1
    assert article.text == BODY
    for metadata in ("Source:", "By Jane", "Published", "Crane collapses"):
        assert metadata not in article.text


def test_bare_iso_date_line_and_stem_outlet(tmp_path: Path) -> None:
    path = write(tmp_path, "harbour-notes.txt", "Crane collapses\n2024-02-04\n\n" + BODY)
    article = load_one(path)
    assert article.date == "2024-02-04"
    assert article.outlet == "harbour-notes"  # no URL, no front matter: the file stem
    assert article.url is None
    assert "2024-02-04" not in article.text


def test_markdown_front_matter_and_heading(tmp_path: Path) -> None:
    article = load_one(str(FIXTURES / "front_matter.md"))
    assert article.title == "Ferry service resumes after storm"
    assert article.outlet == "Island Courier"
    assert article.author == "Rosa Linde"
    assert article.date == "2024-02-04"
    assert article.url == "https://islandcourier.example/ferry-resumes"
    assert article.text.startswith("The ferry between Port Elsan and the island of Skarn")
    # Markdown syntax is gone but link text and list items stay.
    assert "the operator said" in article.text
    assert "Cars longer than six metres cannot board yet." in article.text
    for syntax in ("**", "](", "![", "# ", "---", "*7"):
        assert syntax not in article.text


def test_markdown_heading_is_the_title_without_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "crane.md", "# Crane collapses at the harbour\n\n" + BODY)
    article = load_one(path)
    assert article.title == "Crane collapses at the harbour"
    assert article.text == BODY


def test_all_caps_byline_with_date_and_agency_outlet(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "x.txt",
        "Crane collapses\nBy TOMAS REED / February 2, 2024 at 6:31 PM\n\n" + BODY,
    )
    article = load_one(path)
    assert article.author == "Tomas Reed"
    assert article.date == "2024-02-02"


def test_title_fallback_when_first_line_is_a_paragraph(tmp_path: Path) -> None:
    long_para = "The harbour crane at Port Elsan collapsed on Sunday morning. " * 6
    article = load_one(write(tmp_path, "p.txt", long_para))
    assert article.title == "The harbour crane at Port Elsan collapsed on Sunday morning."
    assert article.text == long_para.strip()


def test_hard_wrapped_text_is_rejoined_into_paragraphs(tmp_path: Path) -> None:
    text = (
        "Crane collapses\n\n"
        "The harbour crane at Port Elsan collapsed on Sunday morning, injuring\n"
        "two dock workers, the port authority said in a short statement on\n"
        "its website.\n\n"
        "Engineers will inspect the remaining cranes this week before loading\n"
        "resumes, the authority added in the same statement on Sunday.\n"
    )
    article = load_one(write(tmp_path, "wrapped.txt", text))
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The harbour crane") and paragraphs[0].endswith("website.")


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("February 4, 2024", "2024-02-04"),
        ("Feb. 4, 2024", "2024-02-04"),
        ("4 February 2024", "2024-02-04"),
        ("28th January 2024", "2024-01-28"),
        ("2024-02-04", "2024-02-04"),
        ("2024-02-05T19:54+0000", "2024-02-05"),
        ("Saturday, 02/03/2024", "2024-02-03"),
        ("08:10 GMT 03.02.2024", "2024-02-03"),
        ("February 30, 2024", None),
        ("last Tuesday", None),
        (None, None),
    ],
)
def test_normalise_date(value: str | None, iso: str | None) -> None:
    assert normalise_date(value) == iso


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: March 11, 2025", ("2025-03-11", None)),
        ("Feb. 3, 2024 - 10:53 By Yonhap", ("2024-02-03", "Yonhap")),
        ("11 March 2025", ("2025-03-11", None)),
        ("On March 11, 2025, the council met to discuss the harbour.", None),
        ("Talks resumed on February 4, 2024 in Varn", None),
    ],
)
def test_parse_date_line(line: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", ("Jane Doe", None, None)),
        ("By Jane Doe, Reuters", ("Jane Doe", "Reuters", None)),
        ("BY BASSEM HOURANI", ("Bassem Hourani", None, None)),
        ("By the time rescuers arrived, the fire had spread", None),
        ("By Tuesday evening the council had recorded 19 names.", None),
    ],
)
def test_parse_byline(line: str, expected: tuple[str, str | None, str | None] | None) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.harbourtimes.example/news/x", "harbourtimes.example"),
        ("http://m.example.org:8080/a", "example.org"),
        ("https://dsna.gov.example/en/x", "dsna.gov.example"),
        (None, None),
    ],
)
def test_outlet_from_url(url: str | None, outlet: str | None) -> None:
    assert outlet_from_url(url) == outlet


# --------------------------------------------------------------------------- HTML


def test_html_article_via_trafilatura() -> None:
    article = load_one(str(FIXTURES / "page.html"))
    assert article.title == "Council approves new harbour wall"
    assert article.outlet == "The Harbour Times"
    assert article.author == "Jonas Fell"
    assert article.date == "2024-02-04"
    assert article.url == "https://www.harbourtimes.example/news/2024/02/04/harbour-wall"
    assert article.text.startswith("The town council of Port Elsan voted on Saturday")
    assert "wanted to share the building plans" in article.text
    assert "Two councillors voted against the plan" in article.text
    for debris in ("Open Menu", "We use cookies", "Share this article", "Subscribe", "©"):
        assert debris not in article.text


def test_html_without_article_is_an_input_error() -> None:
    path = str(FIXTURES / "nav_only.html")
    with pytest.raises(
        InputError, match=r"nav_only\.html: no article text found in this HTML page"
    ):
        load_articles([path])


def test_html_on_stdin_is_detected() -> None:
    html = (FIXTURES / "page.html").read_text(encoding="utf-8")
    result = load_articles(["-"], stdin=io.StringIO(html))
    assert result.articles[0].title == "Council approves new harbour wall"


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_page_saved_under_a_text_name_is_read_as_a_page(tmp_path: Path, suffix: str) -> None:
    # Browsers' "save as" keeps whatever name the user types; read as text, the page's
    # markup became the headline and its menus the article.
    path = tmp_path / f"saved{suffix}"
    path.write_text((FIXTURES / "page.html").read_text(encoding="utf-8"))
    result = load_articles([str(path)])
    assert result.articles[0].title == "Council approves new harbour wall"
    assert "<" not in result.articles[0].text
    assert result.notes == [
        f"read {path} as a web page (it opens with <html>, though named {suffix})"
    ]


@pytest.mark.parametrize("suffix", [".htm", ".html"])
def test_text_saved_under_a_page_name_is_read_as_text(tmp_path: Path, suffix: str) -> None:
    # A user trial: read as a page, it was "no article text found in this HTML page".
    path = write(tmp_path, f"a{suffix}", "Crane collapses\n\n" + BODY)
    result = load_articles([str(path)])
    assert result.articles[0].title == "Crane collapses"
    assert result.notes == [
        f"read {path} as plain text (it holds no HTML markup, though named {suffix})"
    ]
    # A page is still a page.
    page = write(tmp_path, f"b{suffix}", (FIXTURES / "page.html").read_text(encoding="utf-8"))
    assert load_articles([str(page)]).notes == []


def test_an_html_fragment_is_read(tmp_path: Path) -> None:
    # Paragraphs copied from a page's source, with no <html> or <body> around them.
    text = BODY.replace("\n\n", " ")
    path = write(tmp_path, "copied.html", f"<p>{text}</p>\n")
    [article] = load_articles([str(path)]).articles
    assert article.text.startswith(BODY.split(".")[0])


@pytest.mark.parametrize("depth", [300, 1500])
def test_a_page_nested_past_the_parser_limit_is_read(tmp_path: Path, depth: int) -> None:
    # A fuzzing trial: past 255 levels (old pages never closing <font>) the article was
    # "no article text found in this HTML page".
    text = BODY.replace("\n\n", " ")
    page = f"<html><head><title>Crane</title></head><body>{'<font>' * depth}<p>{text}</p>"
    [article] = load_articles([write(tmp_path, "deep.html", page + "</body></html>")]).articles
    assert article.text.startswith(BODY.split(".")[0])


def test_a_file_of_web_addresses_says_pages_are_not_fetched(tmp_path: Path) -> None:
    # A user trial: such a file was called "empty".
    path = write(tmp_path, "links.txt", "https://example.org/news/a\n\n  <https://example.org/b>\n")
    with pytest.raises(InputError) as err:
        load_articles([str(path)])
    assert str(err.value) == (
        f"{path} holds only web addresses (2): articles are read from files, not fetched "
        "from the web; save each page from your browser (Save page as, .html) and pass "
        "those files"
    )


def test_text_that_mentions_a_body_tag_stays_text(tmp_path: Path) -> None:
    # Only a file that opens as a page is taken for one: a .txt quoting "<body>" is text.
    path = write(tmp_path, "a.txt", "Crane collapses\n\nThe page's <body> tag was empty. " + BODY)
    result = load_articles([str(path)])
    assert "<body>" in result.articles[0].text
    assert result.notes == []


# --------------------------------------------------------------------------- inputs


def test_stdin_text() -> None:
    result = load_articles(["-"], stdin=io.StringIO("Crane collapses\n\n" + BODY))
    article = result.articles[0]
    assert article.path == "-"
    assert article.title == "Crane collapses"
    assert article.text == BODY
    assert article.outlet is None


def test_empty_stdin() -> None:
    with pytest.raises(InputError, match="stdin is empty"):
        load_articles(["-"], stdin=io.StringIO("  \n"))


def test_single_paragraph_on_stdin_is_the_body() -> None:
    text = "The harbour crane at Port Elsan collapsed on Sunday, injuring two dock workers."
    article = load_articles(["-"], stdin=io.StringIO(text + "\n")).articles[0]
    assert article.text == text
    assert article.title == text


@pytest.mark.parametrize("between", [" ", "\n", "\n\n"])
def test_an_article_opening_with_its_lede_keeps_it(between: str) -> None:
    # A user trial: pasted text with no headline had its first paragraph (or first line)
    # taken for the title and dropped from the text, death toll and all.
    lede = "Nearly 20 civilians were killed in the shelling of Dorvel, officials said."
    text = f"{lede}{between}More than 40 people were injured.\n\nThe army denied it."
    article = load_texts([text]).articles[0]
    assert article.text.startswith(lede)
    assert "More than 40 people" in article.text
    assert article.title == lede
    # A headline (no full stop, or a Markdown heading) is still the title.
    assert load_texts([f"Army shells Dorvel\n\n{text}"]).articles[0].text.startswith(lede)
    titled = load_texts([f"# {lede}\n\nThe army denied it."]).articles[0]
    assert (titled.title, titled.text) == (lede, "The army denied it.")


def test_same_file_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "Crane\n\n" + BODY)
    result = load_articles([path, path])
    assert len(result.articles) == 1
    assert any("given more than once" in note for note in result.notes)


def test_folder_recursion_sorted_and_hidden_skipped(tmp_path: Path) -> None:
    texts = {
        "b.txt": "Bakery fire\n\nA fire gutted the old bakery on Mill Street late on Friday night.",
        "a.md": "# Bridge closed\n\nThe Kessel bridge was closed after inspectors found cracks.",
        "sub/c.html": (FIXTURES / "page.html").read_text(encoding="utf-8"),
        "sub/d.htm": (FIXTURES / "page.html")
        .read_text(encoding="utf-8")
        .replace("third year in a row", "fourth winter running")
        .replace("Two councillors voted against the plan", "Nobody voted against the plan"),
        ".hidden.txt": "Hidden\n\nThis hidden file must not be read by the loader at all.",
        ".git/e.txt": "Git\n\nThis file in a hidden folder must not be read either.",
        "._b.txt": "\x00\x05\x16\x07 macOS keeps a file's metadata here",
        ".DS_Store": "Bud1",
        "notes.csv": "a,b,c\n1,2,3\n",
        "README.md": "# About this folder\n\nThese are test articles for the loader.",
    }
    for name, text in texts.items():
        write(tmp_path, name, text)
    result = load_articles([str(tmp_path)], near_duplicate_threshold=0.99)
    names = [Path(a.path or "").name for a in result.articles]
    assert names == ["a.md", "b.txt", "c.html", "d.htm"]
    assert [a.label for a in result.articles] == [1, 2, 3, 4]
    assert any(note.startswith("skipped README.md, notes.csv in ") for note in result.notes)
    # A hidden file named like an article may be one someone saved; the shadow files
    # macOS writes ("._b.txt"), .DS_Store and what hidden folders hold are not.
    hidden = [note for note in result.notes if "hidden" in note]
    assert hidden == [
        f"skipped the hidden .hidden.txt in {tmp_path}; pass a hidden file by name to read it"
    ]


def test_a_folder_of_only_hidden_articles_says_so(tmp_path: Path) -> None:
    write(tmp_path, ".a.txt", "Bakery fire\n\n" + BODY)
    write(tmp_path, ".b.txt", "Bridge closed\n\n" + BODY)
    with pytest.raises(
        InputError,
        match=r"only articles in this folder are hidden \(\.a\.txt, \.b\.txt\); pass them by name",
    ):
        load_articles([str(tmp_path)])


def test_an_empty_path_is_refused_not_read_as_the_current_folder() -> None:
    # A fuzzing trial: `briefing build "$DIR"` with DIR unset briefed the current folder.
    with pytest.raises(InputError, match=r"^an empty path was given \(an unset variable\?\)"):
        load_articles(["", "a.txt"])


def test_a_broken_or_looping_link_is_named_as_a_link(tmp_path: Path) -> None:
    # A fuzzing trial: both were "no such file or directory", with the link right there.
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    for name in ("gone.txt", "loop.txt"):
        with pytest.raises(InputError, match=r"a link to something that does not exist"):
            load_articles([str(tmp_path / name)])


def test_missing_path() -> None:
    with pytest.raises(InputError, match=r"^nowhere/x\.txt: no such file or directory$"):
        load_articles(["nowhere/x.txt"])


def test_a_url_given_as_an_input_says_that_pages_are_not_fetched() -> None:
    # A user trial: "https://...: no such file or directory" did not say what to do.
    with pytest.raises(InputError, match=r"not fetched from the web; save the page"):
        load_articles(["https://news.example/ferry-fire"])


def test_no_paths() -> None:
    with pytest.raises(InputError, match="no input"):
        load_articles([])


@pytest.mark.parametrize(
    "content",
    [
        "",
        "   \n\n\t  \n",
        "Title only\n",
        "Share this article\nLeave a comment\npic.twitter.com/abc\n",
    ],
)
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "empty.txt", content)
    with pytest.raises(InputError, match=r"empty\.txt: the file is empty"):
        load_articles([path])


def test_folder_without_articles(tmp_path: Path) -> None:
    write(tmp_path, "data.csv", "a,b\n")
    with pytest.raises(InputError, match=r"no \.txt, \.md or \.html files in this folder"):
        load_articles([str(tmp_path)])


def test_documents_in_a_folder_are_named_with_how_to_get_their_text(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Crane collapses\n\n" + BODY)
    (tmp_path / "5-wire.pdf").write_bytes(b"%PDF-1.4 ...")
    (tmp_path / "6-desk.RTF").write_bytes(b"{\\rtf1 ...")
    result = load_articles([str(tmp_path)])
    [warning] = [w for w in result.warnings if "documents" in w]
    assert warning == (
        f"skipped 5-wire.pdf, 6-desk.RTF in {tmp_path}: documents, not text; extract "
        "their text first (for example: pdftotext FILE.pdf) and pass the .txt files"
    )
    assert not [n for n in result.notes if "5-wire.pdf" in n]


def test_a_folder_of_documents_only_says_what_it_holds(tmp_path: Path) -> None:
    for k, suffix in enumerate((".pdf", ".docx", ".doc", ".odt", ".rtf") * 2):
        (tmp_path / f"{k}{suffix}").write_bytes(b"%PDF-1.4")
    with pytest.raises(
        InputError,
        match=r"only documents \(0\.pdf, 1\.docx, .*, 7\.doc and 2 more\); extract their "
        r"text first \(for example: pdftotext FILE\.pdf\)",
    ):
        load_articles([str(tmp_path)])


def test_bad_file_in_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Crane collapses\n\n" + BODY)
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary")
    result = load_articles([str(tmp_path)])
    assert len(result.articles) == 1
    assert any("b.txt: looks like a binary file" in w for w in result.warnings)


def _locked(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    # chmod cannot lock a folder against root, which CI may be: make listing it fail as
    # the operating system does for a folder without read permission.
    listing = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return listing(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)


def test_unreadable_subfolder_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "a.txt", "Crane collapses\n\n" + BODY)
    write(tmp_path, "drafts/b.txt", "Crane falls\n\n" + BODY)
    _locked(monkeypatch, tmp_path / "drafts")
    result = load_articles([str(tmp_path)])
    assert [a.path for a in result.articles] == [str(tmp_path / "a.txt")]
    assert result.warnings == [
        f"skipped the folder {tmp_path / 'drafts'}: cannot read it (Permission denied), "
        "so its articles are left out; check its permissions",
        ONE_ARTICLE_WARNING,
    ]
    _locked(monkeypatch, tmp_path)
    with pytest.raises(InputError, match=rf"^{tmp_path}: cannot read the folder"):
        load_articles([str(tmp_path)])


def test_folder_whose_only_articles_are_unreadable_names_the_locked_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "drafts/b.txt", "Crane falls\n\n" + BODY)
    _locked(monkeypatch, tmp_path / "drafts")
    with pytest.raises(
        InputError,
        match=rf"no articles could be read; cannot read the folder {tmp_path / 'drafts'} "
        r"\(Permission denied\); check its permissions",
    ):
        load_articles([str(tmp_path)])


def test_files_skipped_for_one_reason_share_one_warning(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Crane collapses\n\n" + BODY)
    for i in range(5):
        write(tmp_path, f"empty{i}.txt", "")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary")
    result = load_articles([str(tmp_path)])
    assert len([w for w in result.warnings if w.startswith("skipped")]) == 2, result.warnings
    empty = [w for w in result.warnings if "the file is empty" in w]
    assert empty == [
        "skipped 5 files (empty0.txt, empty1.txt, empty2.txt, empty3.txt, empty4.txt): "
        "the file is empty; pass a file that holds the article text"
    ]


def test_reading_reports_progress_per_file(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Crane collapses\n\n" + BODY)
    write(tmp_path, "b.txt", "")
    write(tmp_path, "c.txt", "Crane falls\n\n" + BODY.replace("crane", "gantry"))
    calls: list[tuple[str, int, int]] = []
    load_articles([str(tmp_path)], progress=lambda *call: calls.append(call))
    assert calls == [("reading", done, 3) for done in range(4)]


def test_folder_with_only_bad_files(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "   \n")
    with pytest.raises(InputError, match="no readable articles"):
        load_articles([str(tmp_path)])


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(
        InputError,
        match=r"photo\.txt: looks like a binary file, not an article; pass \.txt, \.md or \.html",
    ):
        load_articles([str(path)])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        # A PDF whose page stream is plain text gets past the binary check.
        (
            "report.pdf",
            b"%PDF-1.4\n1 0 obj << /Length 60 >> stream\nBT (The port closed on Monday "
            b"and forty ships waited offshore.) Tj ET\nendstream endobj\n%%EOF\n",
            r"report\.pdf: a PDF document, not an article; extract its text first "
            r"\(for example: pdftotext \S*report\.pdf\)",
        ),
        (
            "notes.rtf",
            b"{\\rtf1\\ansi {\\fonttbl {\\f0 Times;}}\\f0 The port closed on Monday and "
            b"forty ships waited offshore.\\par The harbour master said so.\\par}\n",
            r"notes\.rtf: an RTF document, not an article; save it as plain text",
        ),
        (
            "story.docx",
            b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4,
            r"story\.docx: a zip archive \(as \.docx, \.odt and \.epub are\), not an article",
        ),
    ],
)
def test_documents_are_named_with_what_to_do(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        load_articles([str(path)])


def test_mostly_non_text_without_nul_is_binary(tmp_path: Path) -> None:
    rng = random.Random(7)
    junk = bytes(rng.choice(range(1, 256)) for _ in range(4000))  # no NUL byte
    path = tmp_path / "junk.txt"
    path.write_bytes(junk)
    with pytest.raises(InputError, match="looks like a binary file"):
        load_articles([str(path)])


def test_cp1252_file(tmp_path: Path) -> None:
    text = "Crane collapses\n\nThe mayor called it “a disaster” – and said it’s time to act."
    path = tmp_path / "win.txt"
    path.write_bytes(text.encode("cp1252"))
    result = load_articles([str(path)])
    assert (
        result.articles[0].text == "The mayor called it “a disaster” – and said it’s time to act."
    )
    assert any("Windows-1252" in note for note in result.notes)


def test_utf16_file_and_damaged_utf16(tmp_path: Path) -> None:
    text = "Crane collapses\n\nThe crane fell over in the port on Monday, officials said."
    write_bytes = (tmp_path / "wide.txt").write_bytes
    write_bytes(text.encode("utf-16"))
    assert load_articles([str(tmp_path / "wide.txt")]).articles[0].text.startswith("The crane")
    for name, data in (
        ("cut.txt", text.encode("utf-16")[:-1]),  # an odd number of bytes
        ("lone.txt", b"\xff\xfe\x00\xd8A\x00"),  # a lone surrogate
    ):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputError, match=rf"{name}: starts like UTF-16 text but is not valid"):
            load_articles([str(tmp_path / name)])


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark(tmp_path: Path, codec: str) -> None:
    # Some Windows tools write UTF-16 with no BOM; its NUL bytes made it "binary".
    text = "Crane collapses\n\nThe crane fell over in the port on Monday, officials said."
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode(codec))
    result = load_articles([str(path)])
    assert result.articles[0].text.startswith("The crane fell over")
    assert result.notes == [f"read {path} as UTF-16 (it has no byte-order mark)"]


def test_nul_bytes_at_random_are_still_binary(tmp_path: Path) -> None:
    rng = random.Random(3)
    data = bytes(rng.choice([0, 0, *range(32, 127)]) for _ in range(4000))
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match="looks like a binary file"):
        load_articles([str(path)])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("😀🎉🔥" * 50, r"holds almost no words \(mostly symbols or invisible characters\)"),
        ("\u200b" * 100, r"holds almost no words"),
        ("  \v \r \v\n", r"the file is empty; pass"),
    ],
)
def test_text_with_no_words_is_not_called_binary(
    tmp_path: Path, content: str, message: str
) -> None:
    # A fuzzing trial: these decode as UTF-8 text, yet were "a binary file".
    path = write(tmp_path, "odd.txt", content)
    with pytest.raises(InputError, match=message):
        load_articles([path])


def test_a_script_written_with_vowel_signs_is_text(tmp_path: Path) -> None:
    # Devanagari's vowel signs are combining marks, a third of the letters: counted as
    # symbols, a Hindi article with few commas fell under the text share.
    body = "सरकारी अधिकारियों ने बताया कि राहत कार्य जारी है और घायलों को अस्पताल ले जाया गया है"
    loaded = load_articles([write(tmp_path, "hi.txt", f"पुल गिरा\n\n{body}\n")])
    assert loaded.articles[0].text == body


def test_undecodable_junk(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    # 0x81 and 0x8d are undefined in cp1252 and invalid as UTF-8.
    path.write_bytes(b"Crane collapses\n\nThe crane \x81\x8d fell over in the port.")
    with pytest.raises(InputError, match=r"odd\.txt: cannot tell the text encoding"):
        load_articles([str(path)])


def test_utf8_with_bom_and_mojibake_repaired(tmp_path: Path) -> None:
    path = tmp_path / "moji.txt"
    body = "The mayor said itâ€™s time to act on the harbour crane."
    path.write_bytes(("Crane collapses\n\n" + body).encode("utf-8-sig"))
    result = load_articles([str(path)])
    assert result.articles[0].title == "Crane collapses"
    assert result.articles[0].text == "The mayor said it’s time to act on the harbour crane."
    assert any("repaired mis-encoded characters" in note for note in result.notes)


def test_soft_hyphens_are_dropped_from_words(tmp_path: Path) -> None:
    body = "Pete Butti\u00adgieg spoke in Manchester on Tuesday night."
    text = write(tmp_path, "a.txt", "Primary night\n\n" + body)
    # The fixture page, with a word broken by &shy; as some sites hyphenate their copy.
    html = (FIXTURES / "page.html").read_text(encoding="utf-8")
    assert "voted on Saturday" in html
    page = write(tmp_path, "b.html", html.replace("voted on Saturday", "vo&shy;ted on Saturday"))
    assert "Pete Buttigieg spoke in Manchester" in load_one(text).text
    assert "Port Elsan voted on Saturday" in load_one(page).text


def test_max_chars(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", "Long\n\n" + "word " * 700)
    with pytest.raises(
        InputError,
        match=r"long\.txt: article is 3\.5 KB, over the 1 KB limit; pass --max-chars N",
    ):
        load_articles([path], max_chars=1000)
    assert load_articles([path], max_chars=10_000).articles
    # Below 1 KB both sides are in characters, not "3.5 KB, over the 100 characters limit".
    with pytest.raises(InputError, match=r"is 3,506 characters, over the 100-character limit"):
        load_articles([path], max_chars=100)


@pytest.mark.parametrize(
    ("chars", "text"),
    [(10_500_000, "10.5 MB"), (2_000_000, "2 MB"), (800_000, "800 KB"), (12, "12 characters")],
)
def test_human_size(chars: int, text: str) -> None:
    assert human_size(chars) == text


def test_one_article_warning(tmp_path: Path) -> None:
    result = load_articles([write(tmp_path, "a.txt", "Crane\n\n" + BODY)])
    assert result.warnings == ["one article only: divergences need two or more articles"]


def test_no_warning_for_two_articles() -> None:
    result = load_articles([str(FIXTURES / "page.html"), str(FIXTURES / "front_matter.md")])
    assert result.warnings == []


# --------------------------------------------------------------------------- duplicates


def test_exact_duplicate_merged(tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", "Crane collapses\n\n" + BODY)
    b = write(tmp_path, "b.txt", "Harbour crane falls\n\n" + BODY.upper())
    c = write(tmp_path, "c.txt", "Bakery fire\n\nA fire gutted the old bakery on Mill Street.")
    result = load_articles([a, b, c])
    assert [x.path for x in result.articles] == [a, c]
    assert [x.label for x in result.articles] == [1, 2]
    assert result.articles[0].duplicates == [b]  # the record keeps the full path
    assert "merged exact duplicate b.txt into [1] (same text)" in result.notes
    assert not any(str(tmp_path) in note for note in result.notes)  # the note: its name


def test_a_duplicate_read_from_stdin_is_named_so(tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", "Crane collapses\n\n" + BODY)
    result = load_articles([a, "-"], stdin=io.StringIO("Crane collapses\n\n" + BODY))
    assert result.articles[0].duplicates == ["-"]
    assert "merged exact duplicate standard input into [1] (same text)" in result.notes


def test_near_duplicate_wire_copy_merged_and_distinct_article_kept() -> None:
    original = str(FIXTURES / "wire_original.txt")
    copy = str(FIXTURES / "wire_copy.txt")
    other = str(FIXTURES / "page.html")
    result = load_articles([original, other, copy])
    assert [a.path for a in result.articles] == [original, other]
    kept = result.articles[0]
    assert kept.duplicates == ["https://valleygazette.example/news/rail-link-cut-by-floods"]
    assert any(
        note.startswith("merged near-duplicate wire_copy.txt into [1] (") for note in result.notes
    )
    assert not any(str(FIXTURES) in note for note in result.notes)
    assert result.articles[1].duplicates == []


def test_near_duplicate_threshold_can_keep_copies_apart() -> None:
    paths = [str(FIXTURES / "wire_original.txt"), str(FIXTURES / "wire_copy.txt")]
    result = load_articles(paths, near_duplicate_threshold=0.99)
    assert len(result.articles) == 2


def test_truncated_first_copy_gives_way_to_the_fuller_text(tmp_path: Path) -> None:
    full = (FIXTURES / "wire_original.txt").read_text(encoding="utf-8")
    truncated = "\n\n".join(full.split("\n\n")[:4])  # header + first three paragraphs
    short = write(tmp_path, "short.txt", truncated)
    long = write(tmp_path, "long.txt", full)
    result = load_articles([short, long])
    assert len(result.articles) == 1
    article = result.articles[0]
    assert article.label == 1
    assert article.path == long
    assert "Kessel bridge was safe to reopen" in article.text
    # Both copies carry the same URL, so the merged one is named by its file.
    assert article.duplicates == [short]
    assert "[1] uses the fuller copy long.txt in place of short.txt" in result.notes


def test_find_duplicates_on_plain_texts() -> None:
    base = " ".join(f"word{i}" for i in range(200))
    changed = base.replace("word100 ", "changed ")
    dups = find_duplicates([base, "something else entirely here", changed, base])
    assert [(d.index, d.of, d.exact) for d in dups] == [(2, 0, False), (3, 0, True)]


# --------------------------------------------------------------------------- debris


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Share This Article",
        "Share",
        "Leave a comment",
        "Leave a Reply",
        "No Comments on Harbour wall approved",
        "Watch Now",
        "Open Menu",
        "Read more",
        "Read more: Ferry timetable changes",
        "Advertisement",
        "Subscribe to our newsletter",
        "Sign up for our newsletter",
        "pic.twitter.com/hX7qL2vKd9",
        "We use cookies to give you the best experience on our website.",
        "fbpx",
        "Click here to read the full report",
        "Facebook",
        "Twitter · LinkedIn · Email",
        "Related: Halvosk council calls for inquiry",
        "© 2024 The Harbour Times. All rights reserved.",
        "Copyright 2024 Northwire",
        'Press "Enter" to skip to content',
        "Your email address will not be published. Required fields are marked *",
        "2 Min Read",
        "https://cdn.example/img/123.jpg",
        "Stringer/Reuters",
        "Source: AFP",
        "us hegemony",
        # A linked post's page title, pasted as its card (invented here).
        'Mayor Ada Brenn on X: "The harbour wall vote is a win for every family in this…" / X',
        "Harbour Times on Twitter: “Council backs the wall, 7 votes to 2” / Twitter",
    ],
)
def test_debris_lines(line: str) -> None:
    assert is_debris(line)


@pytest.mark.parametrize(
    "line",
    [
        "Local council head Miro Stanek said the council would share its list with investigators.",
        "Shares in the shipping company fell 4% on Monday.",
        "No comments on the decision were made by the minister.",
        "Read the full statement, the ministry told reporters.",
        "Subscribers to the ferry pass will get a refund, the operator said.",
        "The U.S. State Department urged restraint.",
        "Background",
        "What happened at the harbour?",
        "Click-through rates fell.",
        'The mayor wrote on X: "The vote is a win for every family in this town."',
        'Brenn said on X that the wall was "a win for every family" / a rebuke to critics.',
    ],
)
def test_real_sentences_are_not_debris(line: str) -> None:
    assert not is_debris(line)


def test_inline_debris_stripped_and_comment_prefix_removed() -> None:
    lines = [
        "Major crisis happening pic.twitter.com/z0llaAB12",
        "Leave a commentThe council met again on Monday.",
        "News, Harbour February 4, 2024 No Comments on Wall approvedThe council voted on Saturday.",
        "The wall[3] will cost 4.2 million crowns.",
    ]
    assert clean_lines(lines, title="Wall approved") == [
        "Major crisis happening",
        "The council met again on Monday.",
        "The council voted on Saturday.",
        "The wall will cost 4.2 million crowns.",
    ]


def test_a_blog_comment_prefix_gives_its_date_to_the_article(tmp_path: Path) -> None:
    # The prefix is dropped from the lede; the date in it is the article's own, the one
    # the timeline places "on Saturday" by.
    path = tmp_path / "wall.txt"
    path.write_text(
        "Wall approved\n"
        "News, Harbour February 4, 2024 No Comments on Wall approvedThe council voted on "
        "Saturday to build the harbour wall.\n",
        encoding="utf-8",
    )
    article = load_one(str(path))
    assert article.date == "2024-02-04"
    assert article.text.startswith("The council voted on Saturday")


def test_related_block_at_the_end_is_cut() -> None:
    lines = ["First paragraph.", "Second paragraph.", "Third paragraph.", "Related stories", "X"]
    assert clean_lines(lines) == ["First paragraph.", "Second paragraph.", "Third paragraph."]


def test_debris_in_a_file_is_dropped_but_share_sentence_kept(tmp_path: Path) -> None:
    text = (
        "Crane collapses\nSource: https://harbourtimes.example/crane\n\n"
        "Share this article\n\n"
        "The harbour crane collapsed on Sunday, the port authority said.\n\n"
        "pic.twitter.com/Ab12Cd\n\n"
        "Dock workers said they would share their photos with investigators.\n\n"
        "Leave a comment\n\nFacebook\n"
    )
    article = load_one(write(tmp_path, "d.txt", text))
    assert article.text == (
        "The harbour crane collapsed on Sunday, the port authority said.\n\n"
        "Dock workers said they would share their photos with investigators."
    )


# --------------------------------------------------------------------------- ids, scale


def test_ids_are_stable_and_path_independent(tmp_path: Path) -> None:
    a = load_one(write(tmp_path, "one/a.txt", "Crane\n\n" + BODY))
    b = load_one(write(tmp_path, "two/b.txt", "Another title\nBy Jane Doe\n\n" + BODY))
    c = load_one(write(tmp_path, "c.txt", "Crane\n\n" + BODY.replace("two", "three")))
    assert a.id == b.id == article_id(BODY)
    assert a.id == article_id("  " + BODY.upper().replace(" ", "   "))
    assert len(a.id) == 12 and int(a.id, 16) >= 0
    assert c.id != a.id


def test_two_hundred_articles_load(tmp_path: Path) -> None:
    rng = random.Random(42)
    vocab = [f"w{i}" for i in range(400)]
    for n in range(200):
        words = " ".join(rng.choice(vocab) for _ in range(120))
        write(tmp_path, f"a{n:03d}.txt", f"Story {n}\n\n{words}.")
    result = load_articles([str(tmp_path)])
    assert len(result.articles) == 200
    assert [a.label for a in result.articles] == list(range(1, 201))
    assert len({a.id for a in result.articles}) == 200


# --------------------------------------------------------------------------- examples


def test_examples_load_into_four_articles() -> None:
    result = load_articles([str(EXAMPLES)])
    articles = result.articles
    assert len(articles) == 4
    assert result.warnings == []
    assert [a.outlet for a in articles] == [
        "contiwire.example",
        "The Dravenna Herald",
        "vesnarpost.example",
        "dsna.gov.example",
    ]
    assert all(a.title and a.url and a.date == "2025-03-11" for a in articles)
    assert articles[1].author == "Petra Lindqvist-Oran"
    regional = articles[2].text
    for debris in ("Share this article", "pic.twitter.com", "Leave a comment", "Related:"):
        assert debris not in regional
    assert "would share its own list of the dead" in regional
    tolls = [
        "at least 12 people",
        "Nine people were killed",
        "Nearly 20 civilians",
        "seven militants",
    ]
    for article, toll in zip(articles, tolls, strict=True):
        assert toll in article.text


def test_date_comes_from_the_file_name_when_the_text_has_none(tmp_path: Path) -> None:
    dated = tmp_path / "harbourtimes_2024-02-03_crane-collapse.txt"
    dated.write_text(
        "Crane collapses at harbour\n\nA crane collapsed on Friday at the east quay, "
        "the harbour master said.\n",
        encoding="utf-8",
    )
    undated = tmp_path / "notes-1999-99-99.txt"
    undated.write_text(
        "Crane inquiry opens\n\nAn inquiry into the crane collapse opened today, "
        "the port authority said.\n",
        encoding="utf-8",
    )
    by_name = {Path(a.path).name: a.date for a in load_articles([str(tmp_path)]).articles}
    assert by_name == {dated.name: "2024-02-03", undated.name: None}


def test_small_markup_heavy_page_is_no_article_not_binary(tmp_path: Path) -> None:
    page = tmp_path / "menu.html"
    page.write_text(
        '<html><head><title>Cafe</title></head><body><nav><a href="/">Home</a> '
        '<a href="/menu">Menu</a></nav><footer>cafe 2024</footer></body></html>',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no article text"):
        load_articles([str(page)])


def test_hash_like_file_names_are_not_outlets(tmp_path: Path) -> None:
    body = "Title\n\nThe ferry left the harbour late on Friday, the port office said.\n"
    (tmp_path / "000_2c1bda8509d8e29c.txt").write_text(body, encoding="utf-8")
    (tmp_path / "coastwatch-ferry.txt").write_text(body.replace("Friday", "Monday"), "utf-8")
    outlets = {Path(a.path).name: a.outlet for a in load_articles([str(tmp_path)]).articles}
    assert outlets == {"000_2c1bda8509d8e29c.txt": None, "coastwatch-ferry.txt": "coastwatch-ferry"}


def test_briefings_of_an_earlier_run_are_not_read_as_articles(
    tmp_path: Path, example: tuple[list[Article], Briefing]
) -> None:
    # `briefing build .` run twice: the first run's outputs sit in the input folder.
    from briefing.render import render

    articles, briefing = example
    for article in articles:
        (tmp_path / f"{article.label}.txt").write_text(f"{article.title}\n\n{article.text}")
    out = tmp_path / "outputs"
    out.mkdir()
    for fmt, name in (("md", "b.md"), ("html", "b.html"), ("email", "b.email.html")):
        text = render(briefing, fmt)
        assert isinstance(text, str)
        (out / name).write_text(text, encoding="utf-8")
    loaded = load_articles([str(tmp_path)])
    assert len(loaded.articles) == len(articles)
    assert any("written by this tool" in w for w in loaded.warnings), loaded.warnings
    with pytest.raises(InputError, match=r"b\.md: a briefing written by this tool"):
        load_articles([str(out / "b.md")])


def test_a_file_name_that_is_not_utf8_is_shown_not_fatal(
    tmp_path: Path, example: tuple[list[Article], Briefing]
) -> None:
    # A Latin-1 name: Python keeps its undecodable bytes as lone surrogates, which no UTF-8
    # output can hold; every format failed after all the work was done.
    import os

    from briefing.offline import build_briefing
    from briefing.render import render

    articles, _ = example
    folder = os.fsencode(tmp_path)
    for article, name in zip(articles[:2], (b"r\xe9sum\xe9.txt", b"plain.txt"), strict=True):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(f"{article.title}\n\n{article.text}")
    open(os.path.join(folder, b"\xe9t\xe9.txt"), "w").close()  # skipped: a warning names it
    loaded = load_articles([str(tmp_path)])
    assert sorted(Path(a.path or "").name for a in loaded.articles) == [
        "plain.txt",
        "r\ufffdsum\ufffd.txt",
    ]
    assert any("\ufffdt\ufffd.txt" in w for w in loaded.warnings), loaded.warnings
    b = build_briefing(loaded.articles)
    b.run.warnings = loaded.warnings
    for fmt in ("md", "json", "html"):
        assert str(render(b, fmt)).encode("utf-8")


def test_links_back_up_a_folder_and_pipes_in_it_are_not_walked(
    tmp_path: Path, example: tuple[list[Article], Briefing]
) -> None:
    import os

    articles, _ = example
    for article in articles[:2]:
        (tmp_path / f"{article.label}.txt").write_text(f"{article.title}\n\n{article.text}")
    (tmp_path / "self").symlink_to(tmp_path)  # walked forty levels deep, each file "again"
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait for a writer
    # Should it be read after all, a writer comes after a while: the test fails, not hangs.
    unblock = threading.Timer(5, lambda: open(tmp_path / "pipe.txt", "wb").close())
    unblock.daemon = True
    unblock.start()
    loaded = load_articles([str(tmp_path)])
    unblock.cancel()
    assert len(loaded.articles) == 2
    assert not any("more than once" in n for n in loaded.notes), loaded.notes
    assert any("not a regular file" in n for n in loaded.notes), loaded.notes


def test_a_device_given_as_a_file_is_read_only_up_to_the_limit() -> None:
    # /dev/zero has no size to check first: it was read until memory ran out.
    with pytest.raises(InputError, match="over the"):
        load_articles(["/dev/zero"], max_chars=1000)

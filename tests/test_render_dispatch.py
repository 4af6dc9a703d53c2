"""render(briefing, fmt): the one entry point the CLI uses, per format."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from briefing_fixture import make_briefing

from briefing.model import Briefing
from briefing.render import FORMATS, render
from briefing.render.email import render_email
from briefing.render.html import render_html
from briefing.render.markdown import render_markdown


# eml is left out: its Date and Message-ID headers differ on every call.
@pytest.mark.parametrize(
    ("fmt", "renderer"),
    [
        ("md", render_markdown),
        ("html", render_html),
        ("email", render_email),
        ("json", Briefing.to_json),
    ],
)
def test_dispatch_gives_what_the_renderer_gives(
    fmt: str, renderer: Callable[[Briefing], str]
) -> None:
    b = make_briefing()
    assert render(b, fmt) == renderer(b)


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_gives_text_or_bytes_per_format(fmt: str) -> None:
    out = render(make_briefing(), fmt)
    assert isinstance(out, bytes if fmt == "eml" else str)
    assert out


def test_render_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format 'pdf'"):
        render(make_briefing(), "pdf")


def test_render_says_what_it_takes_when_given_parsed_json() -> None:
    import json

    data = json.loads(make_briefing().to_json())
    with pytest.raises(TypeError, match=r"takes a Briefing, not dict: .*Briefing\.from_json"):
        render(data, "md")  # type: ignore[arg-type]

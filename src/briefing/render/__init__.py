"""Renderers: one Briefing record in, one output format out.

``render(briefing, fmt, **options)`` is the single entry point the CLI uses.
Each format lives in its own module and is imported only when asked for, so
``briefing --help`` never pays for python-markdown or css-inline.

Options by format:
  md, html, json  -- none
  email           -- max_bytes (int), full_briefing_hint (str: "the full briefing is ...")
  eml             -- sender, recipients, subject, markdown_name (see eml.build_message)
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI imports FORMATS from here on its fast path
    from ..model import Briefing

FORMATS = ("md", "html", "json", "email", "eml")

# File name suffix for each format, for callers that name output files.
SUFFIXES = {"md": ".md", "html": ".html", "json": ".json", "email": ".email.html", "eml": ".eml"}


def render(briefing: Briefing, fmt: str, **options: Any) -> str | bytes:
    """The briefing in format ``fmt``: bytes for "eml", text for the others. ``options``
    go to that format's renderer: ``render_markdown``, ``render_html``, ``Briefing.to_json``,
    ``render_email`` (``max_bytes``) or ``render_eml`` (sender, recipients, subject)."""
    from ..model import Briefing

    if not isinstance(briefing, Briefing):
        # The likely slip is passing the parsed JSON output, which would otherwise fail
        # deep inside a renderer as an AttributeError.
        raise TypeError(
            f"render() takes a Briefing, not {type(briefing).__name__}: pass what "
            "build_briefing returned, or Briefing.from_json(text) for saved JSON output"
        )
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(briefing, **options)
    if fmt == "html":
        from .html import render_html

        return render_html(briefing, **options)
    if fmt == "json":
        return briefing.to_json(**options)
    if fmt == "email":
        from .email import render_email

        return render_email(briefing, **options)
    if fmt == "eml":
        from .eml import render_eml

        return render_eml(briefing, **options)
    # A programming error in the caller: the CLI restricts --format to FORMATS.
    raise ValueError(f"unknown output format {fmt!r}: choose one of {', '.join(FORMATS)}")


class _CallableModule(types.ModuleType):
    """This package, callable as ``render``: the top-level ``briefing.render(...)`` is a
    function of the same name, and loading this package binds its name in ``briefing``
    in the function's place, so whichever of the two ``briefing.render`` is, it renders."""

    def __call__(self, briefing: Briefing, fmt: str = "md", **options: Any) -> str | bytes:
        return render(briefing, fmt, **options)


sys.modules[__name__].__class__ = _CallableModule

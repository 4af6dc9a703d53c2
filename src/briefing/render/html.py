"""The briefing as a standalone web page: its Markdown through python-markdown, plus CSS.

The page has no scripts and loads nothing from outside (a Content-Security-Policy
says so too). Raw-HTML handling is switched off in python-markdown as a second
guard: article text is already escaped by the Markdown renderer, and even if a
stray ``<tag>`` got through it would be printed, not parsed.
"""

from __future__ import annotations

import html

from ..model import Briefing
from . import content as c
from .markdown import render_markdown

MARKDOWN_EXTENSIONS = ("tables", "sane_lists", "toc")

CSS = """
:root { color-scheme: light dark; --fg: #1c1c1a; --bg: #fbfbf9; --muted: #5c5c57;
  --rule: #d9d8d2; --head: #f0efea; --link: #0a55a0; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e7e6e1; --bg: #161615; --muted: #a9a8a1; --rule: #3b3b38;
    --head: #232321; --link: #8fbaff; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem;
  overflow-wrap: anywhere; }
h1 { font-size: 1.8rem; line-height: 1.25; margin: .5rem 0 .5rem; }
h1 + p { color: var(--muted); font-size: .9rem; margin-top: 0; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 2.2rem 0 .8rem; padding-bottom: .3rem;
  border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .2rem; }
h3 + p { margin: 0 0 .4rem; color: var(--muted); font-size: .9rem; }
a { color: var(--link); }
ul { padding-left: 1.3rem; }
li { margin: .4rem 0; }
table { width: 100%; border-collapse: collapse; margin: .4rem 0 1rem; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem .6rem;
  border-bottom: 1px solid var(--rule); }
th { background: var(--head); font-size: .85rem; text-transform: uppercase;
  letter-spacing: .04em; }
td:first-child { width: 32%; font-weight: 600; }
@media (max-width: 34rem) {
  main { padding: 1rem .9rem 2.5rem; }
  h1 { font-size: 1.5rem; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { padding: .55rem 0; border-bottom: 1px solid var(--rule); }
  td, td:first-child { width: auto; padding: .1rem 0; border: 0; }
}
@media print { body { background: #fff; color: #000; } a { color: inherit; } }
""".strip()

# No script, no outside resource may run or load, whatever the content.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def markdown_to_html(text: str) -> str:
    """Our Markdown to an HTML fragment, with raw HTML in the input treated as text."""
    import markdown  # heavy import: only when a page is rendered

    md = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md.convert(text)


def render_html(briefing: Briefing) -> str:
    """The whole briefing as a standalone HTML5 page."""
    body = markdown_to_html(render_markdown(briefing))
    title = html.escape(c.one_line(briefing.headline) or "Briefing")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="generator" content="briefing">
<title>{title}</title>
<style>
{CSS}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""

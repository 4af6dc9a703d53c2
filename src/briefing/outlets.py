"""Which articles come from the same outlet, so that corroboration counts outlets.

Two articles from one outlet (an update and the first version, or two angles on the
story) are not two independent accounts: a fact both report is still a fact only one
outlet reports. Outlets are matched by name only when the name is known (front matter,
page metadata or the URL's host); a name that merely repeats the file name is a guess,
and two such guesses never make two articles one outlet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath

from .model import Article

# "CNN (Online News)", "Fox News (News)": rating sites' labels, not part of the name.
_LABEL = re.compile(r"\s*\((?:online\s+)?news\)\s*$", re.IGNORECASE)


def _named(article: Article) -> str | None:
    outlet = (article.outlet or "").strip()
    if not outlet:
        return None
    if article.path and PurePath(article.path).stem == outlet:
        return None
    name = _LABEL.sub("", outlet).lower()
    return name.removeprefix("www.") or None


def outlet_groups(articles: Sequence[Article]) -> list[int]:
    """For each article, the index of its outlet: equal indices mean one outlet."""
    index: dict[str, int] = {}
    out: list[int] = []
    for k, article in enumerate(articles):
        name = _named(article)
        key = name if name is not None else f"\0{k}"
        out.append(index.setdefault(key, len(index)))
    return out

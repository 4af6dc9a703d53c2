"""Article sets of growing size for the speed runs, built from the real events corpus.

Sizes up to the real count use the real files as they are. Beyond that the files
are repeated with light, seeded perturbation so that near-duplicate detection
(word 5-shingles, similarity >= 0.9) does not fold the copies back together:
sentences are shuffled within each paragraph, one adjacent word pair in every
``SWAP_EVERY`` words is swapped, and a sentence naming the copy is appended.
The copies keep the real texts' length and vocabulary, which is what drives cost.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from .textkit import SharedTokenizer

SWAP_EVERY = 7
SEED = 11
HEADER_LINES = 2  # line 1 title, line 2 "Source: URL" (see the corpus's SOURCES.md)


def event_files(events_dir: Path) -> list[Path]:
    """All event articles, largest story first, so small sizes stay on one story."""
    stories = sorted(
        (p for p in events_dir.iterdir() if p.is_dir()),
        key=lambda d: (-len(list(d.glob("*.txt"))), d.name),
    )
    return [f for story in stories for f in sorted(story.glob("*.txt"))]


def _perturb_body(body: str, copy: int, rng: random.Random) -> str:
    tokenizer = SharedTokenizer()
    paragraphs = []
    for para in body.split("\n"):
        sentences = list(tokenizer.to_sentences(para)) if para.strip() else []
        if not sentences:
            paragraphs.append(para)
            continue
        rng.shuffle(sentences)
        tokens = " ".join(sentences).split(" ")
        for i in range(rng.randrange(SWAP_EVERY), len(tokens) - 1, SWAP_EVERY):
            tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
        paragraphs.append(" ".join(tokens))
    paragraphs.append(f"This is edition {copy} of the report, filed by regional desk {copy}.")
    return "\n".join(paragraphs)


def perturbed_copy(source: Path, copy: int, seed: int = SEED) -> str:
    """The text of a perturbed copy of one events file, in the same file format."""
    lines = source.read_text(encoding="utf-8").split("\n")
    title, src = lines[0], lines[1] if len(lines) > 1 else ""
    body = "\n".join(lines[HEADER_LINES:])
    rng = random.Random(f"{seed}:{source.name}:{copy}")
    url = src.removeprefix("Source:").strip()
    header = [f"{title} (edition {copy})", f"Source: {url}#edition-{copy}" if url else src]
    return "\n".join([*header, _perturb_body(body, copy, rng)])


def build_set(files: Sequence[Path], size: int, out_dir: Path) -> list[Path]:
    """``size`` article files in ``out_dir``: the real ones first, then perturbed copies."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(size):
        source = files[i % len(files)]
        copy = i // len(files)
        target = out_dir / f"{i:04d}-{source.name}"
        if copy == 0:
            target.write_bytes(source.read_bytes())
        else:
            target.write_text(perturbed_copy(source, copy), encoding="utf-8")
        written.append(target)
    return written

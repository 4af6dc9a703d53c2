"""Prompt templates: plain text files in prompts/, loaded at run time.

Templates use ``string.Template`` placeholders (``$notes`` or ``${notes}``; a
literal dollar sign is ``$$``) so JSON examples in a prompt need no brace
escaping. ``--prompts DIR`` replaces any of the files with edited copies; a file
missing from DIR falls back to the built-in one. Placeholders are checked when
the prompts are loaded, so a typo fails before any request is made.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from string import Template

from ..errors import ConfigError

# briefing/prompts is a link to the top-level prompts/ folder, so the editable checkout
# and a built wheel (which copies the files in) find the same templates.
DEFAULT_PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"

# name -> (placeholders the template must use, placeholders it may use)
PLACEHOLDERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "system": (frozenset(), frozenset()),
    "map": (frozenset({"article"}), frozenset({"article", "format"})),
    "collapse": (frozenset({"notes"}), frozenset({"notes", "format", "round"})),
    "reduce": (
        frozenset({"notes"}),
        frozenset({"notes", "sources", "format", "max_points", "title_hint"}),
    ),
    "repair": (frozenset({"error"}), frozenset({"error", "format"})),
}

_FILE_NAMES = [f"{name}.txt" for name in PLACEHOLDERS]


@dataclass(frozen=True)
class PromptSet:
    templates: dict[str, Template]
    paths: dict[str, Path]

    def render(self, name: str, **values: object) -> str:
        return self.templates[name].substitute({k: str(v) for k, v in values.items()})

    def taken(self) -> list[str]:
        """The prompt files taken from a ``--prompts`` folder, not the built-in ones."""
        return [p.name for p in self.paths.values() if p.parent != DEFAULT_PROMPTS_DIR]

    def edited(self) -> list[str]:
        """The files taken from a ``--prompts`` folder whose text differs from the
        built-in one: a folder made by copying prompts/ holds unchanged copies too."""
        return [
            path.name
            for name, path in self.paths.items()
            if path.parent != DEFAULT_PROMPTS_DIR
            and self.templates[name].template != _built_in_text(name)
        ]


def _built_in_text(name: str) -> str | None:
    try:
        return (DEFAULT_PROMPTS_DIR / f"{name}.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _stray_dollar(template: Template) -> str:
    """Where the first '$' that is not a placeholder is: 'line 4: "${notes"'."""
    text = template.template
    for match in template.pattern.finditer(text):
        if match.group("invalid") is not None:
            at = match.start()
            line = text.count("\n", 0, at) + 1
            return f'line {line}: "{text[at:].split(chr(10), 1)[0][:20]}"'
    return "somewhere"


def _load_one(name: str, path: Path) -> Template:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read prompt {path} ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"prompt {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    if not text.strip():
        raise ConfigError(
            f"prompt {path} is empty; write the prompt, or delete the file to use the built-in one"
        )
    template = Template(text)
    if not template.is_valid():
        raise ConfigError(
            f"prompt {path} has a '$' that is not a placeholder ({_stray_dollar(template)}); "
            "write a literal '$' as '$$', a placeholder as $name or ${name}"
        )
    used = set(template.get_identifiers())
    required, allowed = PLACEHOLDERS[name]
    if unknown := sorted(used - allowed):
        raise ConfigError(
            f"prompt {path} uses unknown placeholder(s) {', '.join('$' + u for u in unknown)}; "
            f"allowed: {', '.join('$' + a for a in sorted(allowed)) or 'none'}"
        )
    if missing := sorted(required - used):
        raise ConfigError(
            f"prompt {path} lacks the placeholder(s) {', '.join('$' + m for m in missing)}"
        )
    return template


def _refuse_misspelt(prompts_dir: Path) -> None:
    """A file named like a prompt but not quite ("Map.txt", "reduse.txt", "map.txt.txt",
    "reduce.md") would leave the built-in prompt in use while the user believes their
    edit is. A spare copy beside the real file ("map.txt.bak" next to map.txt) is fine."""
    for path in sorted(prompts_dir.iterdir()):
        if path.name in _FILE_NAMES or path.name.startswith("."):
            continue
        stem = path.name.split(".", 1)[0].lower()
        close = difflib.get_close_matches(stem, PLACEHOLDERS, n=1, cutoff=0.75)
        if close and not (prompts_dir / f"{close[0]}.txt").is_file():
            raise ConfigError(
                f"--prompts {prompts_dir}: {path.name} is not a prompt file name; rename it "
                f"{close[0]}.txt (names are lower case: {', '.join(_FILE_NAMES)})"
            )


def load_prompts(prompts_dir: Path | None = None) -> PromptSet:
    """The templates from ``prompts_dir`` (falling back to the built-in ones)."""
    if prompts_dir is not None and not prompts_dir.is_dir():
        what = "is a file" if prompts_dir.exists() else "does not exist"
        raise ConfigError(
            f"--prompts {prompts_dir} {what}; pass a folder holding edited copies of the "
            "files in prompts/"
        )
    if prompts_dir is not None:
        _refuse_misspelt(prompts_dir)
    if prompts_dir is not None and not any((prompts_dir / n).is_file() for n in _FILE_NAMES):
        # Every file falling back would run the built-in prompts while the user
        # believes their edits are in use.
        raise ConfigError(
            f"--prompts {prompts_dir} holds none of the prompt files "
            f"({', '.join(_FILE_NAMES)}); copy prompts/ and edit the copies"
        )
    templates: dict[str, Template] = {}
    paths: dict[str, Path] = {}
    for name in PLACEHOLDERS:
        path = DEFAULT_PROMPTS_DIR / f"{name}.txt"
        if prompts_dir is not None and (prompts_dir / f"{name}.txt").is_file():
            path = prompts_dir / f"{name}.txt"
        elif not path.is_file():
            raise ConfigError(
                f"built-in prompt {path} is missing; reinstall briefing or pass --prompts DIR"
            )
        templates[name] = _load_one(name, path)
        paths[name] = path
    return PromptSet(templates=templates, paths=paths)

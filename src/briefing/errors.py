"""Errors the CLI reports as one line and an exit code, never as a traceback.

Lower layers raise these; only ``cli.py`` turns them into messages and exits.
Every message says what is wrong and what to do about it.
"""

from __future__ import annotations

# Documented exit codes (README, `briefing --help`).
EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug: please report it
EXIT_USAGE = 2  # bad command-line usage (argparse also uses 2)
EXIT_INPUT = 3  # unreadable, empty, binary or otherwise unusable input
EXIT_BACKEND = 4  # the LLM backend failed or replied with something unusable
EXIT_CONFIG = 5  # configuration problem: no key/base URL, bad prompts dir, ...
EXIT_OUTPUT = 6  # could not write the output or deliver it (disk, SMTP)
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM: `timeout`, `docker stop`, a CI runner's cancel


class BriefingError(Exception):
    """Base class: ``str(err)`` is the one-line message shown to the user."""

    exit_code = EXIT_INTERNAL
    # For an LLM run that failed part-way: what it had spent, with the keys of a
    # briefing's ``run.usage`` (calls, tokens, cost_usd ...) and ``replies_kept``.
    usage: dict[str, object] | None = None


class UsageError(BriefingError):
    """Flags that cannot go together: what argparse itself cannot check."""

    exit_code = EXIT_USAGE


class InputError(BriefingError):
    exit_code = EXIT_INPUT


class BackendError(BriefingError):
    exit_code = EXIT_BACKEND


class ConfigError(BriefingError):
    exit_code = EXIT_CONFIG


class OutputError(BriefingError):
    exit_code = EXIT_OUTPUT


def shown_path(path: str, limit: int = 160) -> str:
    """``path`` for a one-line message: a path of thousands of characters (the cause of
    a "File name too long") is cut in the middle."""
    if len(path) <= limit:
        return path
    return f"{path[: limit // 2]}…{path[-limit // 4 :]}"


def terminal_text(text: str) -> str:
    """Someone else's words (a server's, a model's) for a one-line message: no control or
    direction-changing characters, which would drive the terminal or reorder the line."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())

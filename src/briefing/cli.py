"""Command line: `briefing build` and `briefing send`.

Only this module prints for the user and picks exit codes. It imports nothing
heavy at module level so `briefing --help` answers at once; each command
imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .errors import (
    EXIT_BACKEND,
    EXIT_CONFIG,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_TERMINATED,
    EXIT_USAGE,
    BriefingError,
    ConfigError,
    InputError,
    OutputError,
    UsageError,
)
from .llm.config import MIN_CHUNK_TOKENS
from .render import FORMATS, SUFFIXES

if TYPE_CHECKING:
    from email.message import EmailMessage

    from .cancel import CancelHandle
    from .delivery.smtp import SMTPSettings
    from .llm.config import LLMConfig
    from .model import Briefing

DEFAULT_FORMATS = ("md", "html")
STDOUT_FORMAT = "md"  # -o - with no --format: the one format a terminal or pipe reads

DESCRIPTION = """\
Turn several news articles about one story into a short, sourced briefing:
every point cites the article that supports it ([1], [2] ...), and a section
shows where the accounts diverge (numbers, attributions, framing, facts only
one outlet reports).

With no OPENAI_API_KEY and no --base-url the embedded offline engine runs
(extractive, deterministic, no network). With either set, an LLM writes the
briefing through a map-reduce chain whose citations are checked against the
articles."""

EPILOG = f"""\
examples:
  briefing build examples/halvosk-convoy-strike     # -> outputs/<slug>.md and .html
  briefing build a.txt b.html c.md -f md,json -o out
  cat story.txt | briefing build - other.txt
  briefing build articles/ --format json -o -        # the Briefing record on stdout
  OPENAI_API_KEY=sk-... briefing build articles/ --model gpt-4o-mini
  briefing build articles/ --base-url http://localhost:11434/v1 --model llama3.1
  briefing build articles/ -f eml --mail-from bot@example.com --mail-to desk@example.com --send

output files (in -o DIR, named <slug> from the headline, or --name):
  {"   ".join(f"{fmt} <slug>{suffix}" for fmt, suffix in SUFFIXES.items())}

exit codes:
  {EXIT_OK} success                      {EXIT_BACKEND} the LLM backend failed
  {EXIT_INTERNAL} internal error (a bug)       {EXIT_CONFIG} configuration problem
  {EXIT_USAGE} bad command-line usage       {EXIT_OUTPUT} cannot write or deliver output
  {EXIT_INPUT} unusable input               {EXIT_INTERRUPTED} interrupted (Ctrl-C)
                                 {EXIT_TERMINATED} terminated (SIGTERM)

environment:
  OPENAI_API_KEY, OPENAI_BASE_URL   choose the LLM backend (otherwise: offline engine)
  BRIEFING_MODEL                    default for --model
  BRIEFING_SMTP_HOST/PORT/SECURITY  SMTP server for --send
  BRIEFING_SMTP_USER/PASSWORD       SMTP login (environment only, never a flag)
  BRIEFING_MAIL_FROM/TO             default sender and recipients
  BRIEFING_DEBUG=1                  show the traceback of an internal error
"""


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Shows a flag's default only when it has a real one (not None/False) and the
    help text does not already say it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default in (None, False, argparse.SUPPRESS) or "default" in text:
            return text
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line plus a pointer to --help, not the whole usage block.

    No abbreviated flags: argparse would read "--json" as "--json-mode" and then
    complain about a missing value, and a later flag could change what one means."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str, prog: str | None = None) -> NoReturn:
        where = prog or self.prog
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {where} --help)\n")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        # argparse reports a subcommand's unknown flag from the top parser: point the
        # reader at the help of the command the flag was given to, which lists its flags.
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            command = getattr(parsed, "command", None)
            self.error(
                f"unrecognized arguments: {' '.join(extra)}",
                f"{self.prog} {command}" if command else None,
            )
        return parsed


def _formats(value: str) -> list[str]:
    chosen = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(chosen))


def _at_least(least: int) -> Callable[[str], int]:
    def whole(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
        if number < least:
            raise argparse.ArgumentTypeError(f"expected a number of at least {least}, got {number}")
        return number

    return whole


_positive = _at_least(1)


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {value!r}") from None
    if not 0 < number < math.inf:  # also refuses NaN, which every comparison fails
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {value!r}")
    return number


def _add_smtp_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "delivery (login only from BRIEFING_SMTP_USER / BRIEFING_SMTP_PASSWORD)"
    )
    group.add_argument("--mail-from", metavar="ADDR", help="sender (default: $BRIEFING_MAIL_FROM)")
    group.add_argument(
        "--mail-to",
        metavar="ADDR",
        action="append",
        help="recipient; repeat or comma-separate for several (default: $BRIEFING_MAIL_TO)",
    )
    group.add_argument("--smtp-host", metavar="HOST", help="default: $BRIEFING_SMTP_HOST")
    group.add_argument("--smtp-port", metavar="PORT", type=int, help="default: 587, or 465 for ssl")
    group.add_argument(
        "--smtp-security",
        choices=("starttls", "ssl", "none"),
        help="default: $BRIEFING_SMTP_SECURITY or starttls",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="briefing", description=DESCRIPTION, epilog=EPILOG, formatter_class=_Formatter
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    build = sub.add_parser(
        "build",
        help="make a briefing from articles (files, folders or - for stdin)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=_Formatter,
    )
    build.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=".txt, .md or .html files, folders (read recursively), or - for stdin",
    )
    build.add_argument(
        "-o", "--output-dir", default="outputs", metavar="DIR", help="where to write; - = stdout"
    )
    build.add_argument(
        "-f",
        "--format",
        type=_formats,
        default=argparse.SUPPRESS,
        metavar="LIST",
        help=f"comma-separated output formats: {', '.join(FORMATS)} "
        f"(default: {','.join(DEFAULT_FORMATS)}; {STDOUT_FORMAT} with -o -)",
    )
    build.add_argument(
        "--name",
        metavar="SLUG",
        help="output file name, without folder or suffix (default: from the headline)",
    )
    build.add_argument("--title", metavar="TEXT", help="use this headline instead of a derived one")
    build.add_argument(
        "--engine",
        choices=("auto", "offline", "llm"),
        default="auto",
        help="auto = LLM when a key or base URL is set, else offline",
    )
    build.add_argument("--max-points", type=_positive, default=8, metavar="N", help="key points")
    build.add_argument(
        "--max-chars",
        type=_positive,
        default=2_000_000,
        metavar="N",
        help="refuse articles longer than this many characters",
    )
    build.add_argument(
        "--no-progress", action="store_true", help="no progress bars (off anyway when not a TTY)"
    )
    build.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress, info or 'llm:' summary lines; warnings still show (a script can "
        "read the figures from run.usage in -f json)",
    )

    llm = build.add_argument_group("LLM engine")
    llm_actions: list[argparse.Action] = []

    def llm_option(*flags: str, **kwargs: Any) -> None:
        llm_actions.append(llm.add_argument(*flags, **kwargs))

    llm_option(
        "--model",
        metavar="NAME",
        help="default: $BRIEFING_MODEL, else gpt-4o-mini on OpenAI (needed with --base-url)",
    )
    llm_option(
        "--base-url",
        metavar="URL",
        help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 ($OPENAI_BASE_URL)",
    )
    llm_option(
        "--context-window",
        type=_positive,
        metavar="TOKENS",
        help="model context size in tokens (known model names, OpenAI's and common local "
        "ones such as llama3.1, have defaults; any other name gets 8192, with a warning)",
    )
    llm_option(
        "--chunk-tokens",
        type=_at_least(MIN_CHUNK_TOKENS),
        metavar="N",
        help=f"chunk size in tokens, at least {MIN_CHUNK_TOKENS} (default: from the context "
        "window)",
    )
    llm_option(
        "--chunk-overlap",
        type=_at_least(0),
        default=0,
        metavar="N",
        help="tokens of whole sentences a chunk repeats from the one before (default: 0)",
    )
    llm_option("--concurrency", type=_positive, default=8, metavar="N", help="parallel calls")
    llm_option(
        "--timeout",
        type=_seconds,
        default=60.0,
        metavar="S",
        help="per call (connecting may take half of it, at most 10 s)",
    )
    llm_option(
        "--deadline",
        type=_seconds,
        default=900.0,
        metavar="S",
        help="all the LLM calls together, counted from the first (loading the articles "
        "comes before it)",
    )
    llm_option(
        "--json-mode",
        choices=("schema", "object", "none"),
        default="schema",
        help="structured output: strict json_schema, json_object, or prompt-only",
    )
    llm_option(
        "--prompts",
        metavar="DIR",
        help="a folder of edited copies of the prompt files (the built-in ones are in "
        "prompts/ of a checkout, briefing/prompts/ where briefing is installed); a file "
        "left out uses the built-in one",
    )
    llm_option(
        "--cache-dir",
        metavar="DIR",
        help="LLM reply cache folder (default: the user cache, e.g. ~/.cache/briefing)",
    )
    llm_option("--no-cache", action="store_true", help="do not read or write the cache")
    llm_option(
        "--prices",
        metavar="FILE",
        help='prices for the cost estimate: a JSON file like {"gpt-4o-mini": {"input": 0.15, '
        '"output": 0.6}} (USD per 1M tokens; a name also prices the models whose names '
        "begin with it)",
    )

    # Kept so a run that ends up offline can say which of these it did not use.
    build.set_defaults(llm_options={a.dest: (a.option_strings[0], a.default) for a in llm_actions})

    mail = build.add_argument_group("email (formats email and eml)")
    mail.add_argument("--subject", metavar="TEXT", help="default: the headline")
    mail.add_argument("--send", action="store_true", help="also deliver the .eml over SMTP")
    _add_smtp_flags(build)

    send = sub.add_parser(
        "send",
        help="deliver an .eml made by `build -f eml` over SMTP",
        description="Deliver an existing .eml file over SMTP.",
        epilog="example:\n  BRIEFING_SMTP_HOST=smtp.example.com briefing send outputs/x.eml "
        "--mail-to desk@example.com\n\n"
        f"exit codes:\n  {EXIT_OK} sent    {EXIT_USAGE} bad usage    {EXIT_INPUT} no such file, or "
        f"not an .eml    {EXIT_CONFIG} no SMTP host, sender or recipient\n"
        f"  {EXIT_OUTPUT} the SMTP server refused or could not be reached    "
        f"{EXIT_INTERRUPTED} interrupted",
        formatter_class=_Formatter,
    )
    send.add_argument("eml", metavar="FILE.eml")
    _add_smtp_flags(send)
    return parser


class Console:
    """stderr messages; stdout is kept for results (paths, or the output itself)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.progress: object = None  # bars on the terminal, which a message must clear
        self.stderr_gone = False

    def info(self, message: str) -> None:
        if not self.quiet:
            self.say(f"briefing: {message}")

    def warn(self, message: str) -> None:
        self.say(f"briefing: warning: {message}")

    def say(self, line: str) -> None:
        """``line`` on stderr. Messages are not the results: stderr closed (2>&-), full
        (2>/dev/full) or a reader gone (2>&1 | head -1) must not stop the files being
        written; with stderr closed, print(file=None) would put the line on stdout."""
        if sys.stderr is None or self.stderr_gone:
            return
        write = getattr(self.progress, "write", None)
        try:
            if write is not None:
                write(line)
            else:
                print(line, file=sys.stderr, flush=True)
        except (OSError, ValueError):  # ValueError: a stream closed under us
            self.stderr_gone = True


def _llm_config(args: argparse.Namespace) -> LLMConfig:
    from .llm.config import LLMConfig

    return LLMConfig.from_env(
        model=args.model,
        base_url=args.base_url,
        context_window=args.context_window,
        chunk_tokens=args.chunk_tokens,
        chunk_overlap=args.chunk_overlap,
        concurrency=args.concurrency,
        timeout=args.timeout,
        deadline=args.deadline,
        json_mode=args.json_mode,
        prompts_dir=Path(args.prompts) if args.prompts else None,
        cache_dir=Path(args.cache_dir) if args.cache_dir else None,
        use_cache=not args.no_cache,
        prices_file=Path(args.prices) if args.prices else None,
    )


def _unused_llm_options(args: argparse.Namespace) -> list[str]:
    return [
        flag for dest, (flag, default) in args.llm_options.items() if getattr(args, dest) != default
    ]


def _render_all(briefing: Briefing, formats: Sequence[str], slug: str) -> dict[str, str | bytes]:
    from .render import render

    rendered: dict[str, str | bytes] = {}
    for fmt in formats:
        if fmt == "eml":
            continue  # built with the message below, so file and sent mail share a Message-ID
        # The email points readers to the full Markdown only where one is written.
        hint = {"full_briefing_hint": f"in {slug}.md"} if "md" in formats else {}
        rendered[fmt] = render(briefing, fmt, **(hint if fmt == "email" else {}))
    return rendered


def _message(briefing: Briefing, slug: str, args: argparse.Namespace) -> EmailMessage:
    from .render.eml import build_message

    return build_message(
        briefing,
        sender=args.mail_from,
        recipients=args.mail_to,
        subject=args.subject,
        markdown_name=f"{slug}.md",
    )


def _check_addresses(args: argparse.Namespace, *, sending: bool) -> list[str]:
    """Malformed or missing addresses fail before the briefing is built (and paid for).
    Returns the flags of the addresses a written (not sent) .eml will lack."""
    from .render.eml import resolve_recipients, resolve_sender

    sender = resolve_sender(args.mail_from)
    recipients = resolve_recipients(args.mail_to)
    if sending and sender is None:
        raise ConfigError("--send needs a sender: pass --mail-from ADDR or set BRIEFING_MAIL_FROM")
    if sending and not recipients:
        raise ConfigError("--send needs a recipient: pass --mail-to ADDR or set BRIEFING_MAIL_TO")
    return [
        flag for flag, given in (("--mail-from", sender), ("--mail-to", recipients)) if not given
    ]


def _smtp_settings(args: argparse.Namespace) -> SMTPSettings:
    from .delivery.smtp import SMTPSettings

    return SMTPSettings.from_env(
        host=args.smtp_host, port=args.smtp_port, security=args.smtp_security
    )


def _deliver(message: EmailMessage, settings: SMTPSettings, console: Console) -> None:
    from .delivery.smtp import send_message

    result = send_message(message, settings)
    console.info(f"sent to {', '.join(result.accepted)} via {settings.host}")
    for address, (code, reason) in result.refused.items():
        console.warn(f"the server refused {address}: {code} {reason}")


def _output_suffix(name: str) -> str | None:
    """The output suffix a --name ends in ("y.md"), which would be written twice."""
    lowered = name.lower()
    found = [s for s in SUFFIXES.values() if lowered.endswith(s) and len(name) > len(s)]
    return max(found, key=len) if found else None


def cmd_build(args: argparse.Namespace, console: Console) -> int:
    from .output import MAX_NAME_BYTES, check_output_dir, safe_name, slugify, write_all
    from .pipeline import build_briefing, resolve_engine
    from .progress import make_progress
    from .sources import load_articles

    to_stdout = args.output_dir == "-"
    formats: list[str] = getattr(args, "format", None) or (
        [STDOUT_FORMAT] if to_stdout else list(DEFAULT_FORMATS)
    )
    if args.send and "eml" not in formats:
        formats = [*formats, "eml"]
    if not args.output_dir.strip():  # an unset $OUT: not "write here" without saying so
        raise UsageError("-o is empty: pass a folder (-o outputs) or - for stdout")
    for flag, value in (("--name", args.name), ("--title", args.title)):
        if value is not None and not value.strip():  # an unset variable, most likely
            raise UsageError(f"{flag} is empty: give it a value, or leave it out for the default")
    if "-" in args.paths and sys.stdin is None:
        raise UsageError("- reads an article from stdin, but stdin is closed; pipe one in")
    if to_stdout and len(formats) != 1:
        if args.send:  # --send added the .eml the user never asked for
            raise UsageError(
                "--send with -o - prints the .eml it sends: pass -f eml, or write the "
                "briefing to a folder (-o DIR)"
            )
        raise UsageError("-o - writes one format to stdout: pass a single --format")
    if to_stdout and args.name and formats != ["eml"]:  # an .eml names its attachment by it
        console.warn("--name names output files; with -o - nothing is named, so it is unused")
    if args.name and ("/" in args.name or os.sep in args.name):
        raise UsageError(
            f"--name {args.name!r} holds a folder; --name is the file name only, "
            "put the folder in -o (-o FOLDER --name NAME)"
        )
    if args.name and (suffix := _output_suffix(args.name)):
        stem = args.name[: -len(suffix)]
        files = ", ".join(stem + SUFFIXES[f] for f in formats)
        console.warn(f"--name {args.name!r} ends in a suffix, which each format adds: {files}")
        args.name = stem
    if args.name and (size := len(safe_name(args.name).encode("utf-8"))) > MAX_NAME_BYTES:
        raise UsageError(
            f"--name is {size} bytes long; file names hold at most {MAX_NAME_BYTES} here: "
            "give a shorter one"
        )
    if args.name and safe_name(args.name) != args.name:
        console.warn(
            f"--name {args.name!r} is written as {safe_name(args.name)!r} (a safe file name)"
        )

    # Everything that can be checked before the work (and before paid LLM calls) is.
    if not to_stdout:
        check_output_dir(Path(args.output_dir))
    if "eml" in formats and (missing := _check_addresses(args, sending=args.send)):
        console.info(
            f"the .eml gets placeholder addresses where none is given: {', '.join(missing)}"
        )
    smtp = _smtp_settings(args) if args.send else None
    llm_config = _llm_config(args) if args.engine != "offline" else None
    engine, reason = resolve_engine(args.engine, llm_config)
    args.llm_started = engine == "llm"
    if engine == "llm" and args.prompts:
        _say_prompts(args.prompts, console)

    if "-" in args.paths and sys.stdin.isatty():
        # Otherwise a terminal waiting for the article looks like a hang.
        console.info("reading an article from the terminal: paste it, then press Ctrl-D")
    progress = make_progress(enabled=not (args.no_progress or args.quiet))
    console.progress = progress
    try:
        loaded = load_articles(
            args.paths, stdin=sys.stdin, max_chars=args.max_chars, progress=progress
        )
    except BaseException:
        _close_progress(progress, console)
        raise
    for note in loaded.notes:
        console.info(note)
    console.info(f"read {len(loaded.articles)} article(s); using the {reason}")
    # After the count: "one article only" and skipped files qualify what was read.
    for warning in loaded.warnings:
        console.warn(warning)
    if engine == "offline" and (unused := _unused_llm_options(args)):
        many = len(unused) > 1
        console.warn(
            f"{', '.join(unused)} only {'apply' if many else 'applies'} to the LLM engine; "
            f"the offline engine ignored {'them' if many else 'it'}"
        )
    elif args.no_cache and args.cache_dir:
        console.warn(f"--no-cache: the cache in {args.cache_dir} is neither read nor written")

    try:
        briefing = build_briefing(
            loaded.articles,
            engine=engine,  # type: ignore[arg-type]
            llm_config=llm_config,
            max_points=args.max_points,
            title=args.title,
            progress=progress,
            notes=loaded.notes,
            warnings=loaded.warnings,
            warn=console.warn,
        )
    finally:
        _close_progress(progress, console)
    for warning in briefing.run.warnings:
        if warning not in loaded.warnings:  # those were shown as the articles loaded
            console.warn(warning)
    if engine == "llm":
        from .llm import usage_line

        console.info(usage_line(briefing))

    slug = safe_name(args.name) if args.name else slugify(briefing.headline)
    rendered = _render_all(briefing, formats, slug)
    message = _message(briefing, slug, args) if "eml" in formats else None
    if message is not None:
        from .render.eml import message_bytes

        rendered["eml"] = message_bytes(message)
    if to_stdout:
        payload = rendered[formats[0]]
        if isinstance(payload, str):
            payload = (payload if payload.endswith("\n") else payload + "\n").encode("utf-8")
        _to_stdout(payload, essential=True)
    else:
        out_dir = Path(args.output_dir)
        files = {out_dir / f"{slug}{SUFFIXES[fmt]}": rendered[fmt] for fmt in formats}
        earlier = [path.name for path in files if path.is_file()]
        write_all(files)
        if earlier:  # names come from the headline: the same story tomorrow lands here too
            console.info(
                f"replaced {', '.join(earlier)} from an earlier run in {out_dir}; "
                "pass --name (for example with the date) to keep both"
            )
        # Formats not asked for this time but left by an earlier run under the same name
        # hold another briefing: a script reading <slug>.json would read the old one.
        stale = [
            name
            for fmt, suffix in SUFFIXES.items()
            if fmt not in formats and (out_dir / (name := f"{slug}{suffix}")).is_file()
        ]
        if stale:
            many = len(stale) > 1
            console.warn(
                f"{', '.join(stale)} in {out_dir} {'are' if many else 'is'} from an earlier "
                f"run, not this briefing; delete {'them' if many else 'it'}, or pass -f with "
                f"{'those formats' if many else 'that format'} too"
            )
        for path in files:
            _to_stdout(f"{path}\n".encode(), essential=False)
    if smtp is not None and message is not None:
        _deliver(message, smtp, console)
    return EXIT_OK


def _to_stdout(data: bytes, *, essential: bool) -> None:
    """Write to stdout; a reader that went away (``| head``) must not stop the files
    still to write or the delivery, so stdout is then quietly sent to /dev/null.

    Any other failure (a full disk, stdout closed) loses the briefing itself when it is
    ``essential`` (``-o -``): that is an output error, not a bug. The list of files
    written is not essential: the files are there whether or not it is shown."""
    stream = sys.stdout
    try:
        if stream is None:  # started with stdout closed (`>&-`)
            raise OSError(errno.EBADF, "it is closed")
        stream.flush()
        stream.buffer.write(data)
        stream.flush()
    except BrokenPipeError:
        _discard(stream)
    except OSError as exc:
        if stream is not None:
            _discard(stream)  # or the interpreter's own final flush fails again, loudly
        if essential:
            reason = exc.strerror or str(exc)
            raise OutputError(
                f"cannot write the briefing to standard output ({reason}); "
                "write it to a file instead with -o DIR"
            ) from None


def _discard(stream: Any) -> None:
    """Send what is still buffered for ``stream``, and anything after it, to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):
        pass  # no descriptor left to redirect
    finally:
        os.close(devnull)


def _close_progress(progress: object, console: Console) -> None:
    console.progress = None
    close = getattr(progress, "close", None)
    if close:
        close()


def _say_prompts(folder: str, console: Console) -> None:
    """Which prompts an edited folder replaces: checked before any article is read."""
    from .llm.prompts import PLACEHOLDERS, load_prompts

    prompts = load_prompts(Path(folder))
    taken, edited = prompts.taken(), prompts.edited()
    # Unchanged copies are named as such: an edit saved to the wrong file shows up here.
    same = [name for name in taken if name not in edited]
    said = [
        f"{', '.join(names)} {what}"
        for names, what in ((edited, "edited"), (same, "unchanged"))
        if names
    ]
    built_in = [f"{name}.txt" for name in PLACEHOLDERS if f"{name}.txt" not in taken]
    rest = f"; {', '.join(built_in)} built in" if built_in else ""
    console.info(f"prompts from {folder}: {', '.join(said)}{rest}")


# Gmail and Outlook refuse larger messages; a briefing's .eml is a few hundred KB.
MAX_EML_BYTES = 25 * 2**20


def cmd_send(args: argparse.Namespace, console: Console) -> int:
    from .render.eml import load_message, readdress

    path = Path(args.eml)
    try:
        if not path.is_file() and path.exists():  # a pipe would hang the read, a device fill memory
            raise InputError(
                f"{path}: not a regular file; pass the .eml that `briefing build -f eml` wrote"
            )
        with path.open("rb") as handle:
            payload = handle.read(MAX_EML_BYTES + 1)
        if len(payload) > MAX_EML_BYTES:
            raise InputError(
                f"{path}: over {MAX_EML_BYTES // 2**20} MB, more than mail servers accept; "
                "pass the .eml that `briefing build -f eml` wrote"
            )
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; make one with `briefing build -f eml`") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    message = readdress(
        load_message(payload, str(path)), sender=args.mail_from, recipients=args.mail_to
    )
    _deliver(message, _smtp_settings(args), console)
    return EXIT_OK


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be, so the run stops the same clean way."""


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Stopper:
    """The handler of Ctrl-C and SIGTERM while a command runs.

    The first signal stops the run the clean way: an LLM chain's task is cancelled at its
    next await (finished replies are cached and counted for the stop message), anything
    else gets the KeyboardInterrupt. A second signal ends the process at once, as kill -9
    would (the cache survives that): a user pressing Ctrl-C again wants out now, and a
    KeyboardInterrupt raised inside the first one's clean-up printed a traceback or left
    the event loop's shutdown waiting on a lock it had broken.
    """

    def __init__(self, handle: CancelHandle, args: argparse.Namespace) -> None:
        self.handle = handle
        self.args = args
        self.stopping = False

    def __call__(self, signum: int, frame: object) -> None:
        stop = _Terminated if signum == signal.SIGTERM else KeyboardInterrupt
        if self.stopping:
            said = "terminated" if stop is _Terminated else "interrupted"
            kept = self.args.llm_started and not getattr(self.args, "no_cache", False)
            line = f"briefing: {said} again; stopped at once" + (
                " (finished LLM calls stay cached for a re-run)" if kept else ""
            )
            # A progress bar may hold the terminal's line: start a fresh one.
            start = "\n" if sys.stderr.isatty() else ""
            with contextlib.suppress(OSError):
                os.write(2, f"{start}{line}\n".encode())
            os._exit(EXIT_TERMINATED if stop is _Terminated else EXIT_INTERRUPTED)
        self.stopping = True
        if not self.handle.interrupt(stop):
            raise stop


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if sys.stderr is None:  # started with 2>&-
        # Hold descriptor 2, so no file the run opens becomes "stderr" to a stray write.
        with contextlib.suppress(OSError):
            os.open(os.devnull, os.O_WRONLY)
    console = Console(quiet=getattr(args, "quiet", False))
    args.llm_started = False
    if threading.current_thread() is not threading.main_thread():
        return _run(args, console)  # only the main thread may handle signals
    from . import cancel

    handle = cancel.CancelHandle()
    token = cancel.current.set(handle)
    stopper = _Stopper(handle, args)
    previous = {signum: signal.signal(signum, stopper) for signum in _STOP_SIGNALS}
    try:
        return _run(args, console)
    finally:
        cancel.current.reset(token)
        # After a stop the process is about to exit: the default handler back in place
        # would turn one more Ctrl-C into a traceback on the way out.
        if not stopper.stopping:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def stop_message(args: argparse.Namespace, stop: KeyboardInterrupt) -> str:
    """What a stopped run says: how it stopped and what a re-run finds in the cache."""
    said = "terminated" if isinstance(stop, _Terminated) else "interrupted"
    if not args.llm_started or getattr(args, "no_cache", False):
        return said  # --no-cache: nothing was kept
    # Set by the LLM engine when the stop reached it (see llm/engine.py).
    finished = (getattr(stop, "usage", None) or {}).get("replies_kept")
    if finished is None:
        return f"{said}; cached LLM replies are kept for a re-run"
    if finished:
        from .llm.accounting import kept

        return f"{said}; {kept(finished, 'finished LLM call')}, so a re-run resumes there"
    return said


def _run(args: argparse.Namespace, console: Console) -> int:
    """The command, with every way it can end turned into an exit code and one line."""
    try:
        if args.command == "build":
            return cmd_build(args, console)
        return cmd_send(args, console)
    except BriefingError as err:
        console.say(f"briefing: error: {err}")
        return err.exit_code
    except KeyboardInterrupt as stop:
        terminated = isinstance(stop, _Terminated)
        console.say(f"briefing: {stop_message(args, stop)}")
        return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("BRIEFING_DEBUG", "").strip() not in ("", "0"):
            raise
        console.say(
            f"briefing: internal error: {type(exc).__name__}: {exc} "
            "(a bug; re-run with BRIEFING_DEBUG=1 for the traceback and please report it)"
        )
        return EXIT_INTERNAL

"""The ``atlas`` command line: one sub-command per module in :mod:`generator.cli.common`.

Every command takes ``--content DIR``, prints one line per problem, never a traceback, and
exits 0 on success, 1 when the content has problems and 2 on a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys

from generator.cli import build, dedupe, enrich, fmt, generate, ingest, new, validate
from generator.cli.common import report
from generator.errors import AtlasError, ContentError

COMMANDS = (validate, new, enrich, fmt, ingest, dedupe, build, generate)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors exit 2, as ours do
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = _Parser(
        prog="atlas",
        description="Alignment Atlas: check, import, de-duplicate and publish paper records.",
        epilog="example:\n  atlas validate\n  atlas new 2305.18290\n  atlas new \"Direct Preference Optimization\"\n\n"
               "Run 'atlas COMMAND --help' for each command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for module in COMMANDS:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = args.run(args) or 0
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
        return status
    except ContentError as exc:
        report(exc.problems)
        return exc.exit_code
    except AtlasError as exc:
        print(f"atlas {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("atlas: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a reader that stopped early (`atlas ... | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug of ours: say so in one line, never a traceback
        print(f"atlas {args.command}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("Please report this with the command you ran (set ATLAS_DEBUG=1 to see details).", file=sys.stderr)
        if os.environ.get("ATLAS_DEBUG"):
            raise
        return 1

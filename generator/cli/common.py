"""One module per ``atlas`` sub-command; each has ``register(subparsers)`` and ``run(args)``."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap

from generator.errors import Problem
from generator.site.settings import DEFAULTS


def add_command(subparsers, name: str, summary: str, description: str, example: str):
    """Add a sub-command with its summary, description, example and ``--content`` option."""
    parser = subparsers.add_parser(
        name, help=summary, description=textwrap.dedent(description).strip(),
        epilog="example:\n" + textwrap.indent(textwrap.dedent(example).strip(), "  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--content", default=DEFAULTS.content, metavar="DIR",
                        help=f"content folder holding taxonomy.yaml and papers/ (default: {DEFAULTS.content})")
    return parser


def report(problems: list[Problem], stream=None) -> None:
    """Print problems one per line (and as GitHub annotations when running in Actions)."""
    stream = stream or sys.stderr
    for problem in sorted(problems):
        print(problem, file=stream)
    if os.environ.get("GITHUB_ACTIONS"):
        for problem in sorted(problems):
            print(problem.annotation(), file=sys.stdout)
    files = len({p.path for p in problems})
    print(f"{len(problems)} problem(s) in {files} file(s)", file=stream)

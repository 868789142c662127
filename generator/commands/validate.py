"""``atlas validate``: check every record against the schema, the taxonomy and each other."""

from __future__ import annotations

from pathlib import Path

from ..dedupe import duplicate_problems
from ..errors import ContentError, UsageError
from ..records import load_content, papers_dir
from . import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "validate", "check records and report every problem with its line",
        """
        Check records: strict YAML, the record schema, types and tags from taxonomy.yaml,
        links (http or https only), aliases and ids, and records that duplicate another
        (see atlas dedupe). Every problem of every file is printed as
        FILE:LINE: FIELD: MESSAGE, then the command fails once (exit 1). With GITHUB_ACTIONS
        set, problems are also printed as ::error annotations.

        With FILE arguments only those records are checked (all records are still loaded, so
        clashes with the rest of the atlas are found).
        """,
        """
        atlas validate
        atlas validate content/papers/my-paper.yaml
        """,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="record files to check (default: all)")
    parser.set_defaults(run=run)


def run(args) -> int:
    content_dir = Path(args.content)
    only = None
    if args.files:
        only = [Path(f) for f in args.files]
        folder = papers_dir(content_dir).resolve()
        for f in only:
            if f.resolve().parent != folder:
                raise UsageError(f"{f} is not a record in {papers_dir(content_dir)}")
    content = load_content(content_dir, only=only)
    if not content.problems:
        content.problems = duplicate_problems(content, only)
    if content.problems:
        raise ContentError(content.problems)
    checked = len(only) if only is not None else len(content.papers)
    print(f"ok: {checked} record(s) valid")
    return 0

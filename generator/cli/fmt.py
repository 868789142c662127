"""``atlas fmt``: rewrite records in their canonical form."""

from __future__ import annotations

import os
from pathlib import Path

from generator.errors import ContentError, Problem, UsageError, display_path, printable
from generator.content.fmt import format_record
from generator.fsutil import replace_atomic
from generator.content.records import record_files
from generator.cli.common import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "fmt", "rewrite records in canonical form (or check with --check)",
        """
        Rewrite records in the canonical form: keys in the schema's order, whitespace
        normalized (titles on one line, one blank line between paragraphs), Unicode NFC,
        canonical URLs, and the editor schema line on top. Every field and value is kept.
        A record with comments is left alone and reported: move comments into `notes`.
        With --check nothing is written, and the command exits 1 if any record would change.
        """,
        """
        atlas fmt
        atlas fmt --check content/papers/my-paper.yaml
        """,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="record files (default: all)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a record would change")
    parser.set_defaults(run=run)


def run(args) -> int:
    if args.files:
        files = [Path(f) for f in args.files]
        for f in files:
            if not f.is_file():
                raise UsageError(f"no such record file: {f}")
    else:
        files, problems = record_files(Path(args.content))
        if problems:
            raise ContentError(problems)
    problems, changed = [], []
    for path in files:
        text, found = format_record(path)
        problems.extend(found)
        if text is None or text == path.read_text("utf-8"):
            continue
        changed.append(path)
        if args.check:
            print(f"would reformat {printable(str(path))}")
            if os.environ.get("GITHUB_ACTIONS"):
                print(Problem(display_path(path), 1, None, "not in canonical form; run: atlas fmt").annotation())
        else:
            replace_atomic(path, text)
            print(f"formatted {printable(str(path))}")
    if problems:
        raise ContentError(problems)
    if args.check and changed:
        print(f"{len(changed)} record(s) would be reformatted; run: atlas fmt")
        return 1
    if not changed:
        print(f"ok: {len(files)} record(s) already canonical")
    return 0

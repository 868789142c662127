"""``atlas validate``: check every record against the schema, the taxonomy and each other."""

from __future__ import annotations

from pathlib import Path

from generator.errors import UsageError
from generator.content.gitchanges import changed_records, redirect_problems
from generator.content.records import papers_dir
from generator.site.build import build_pages
from generator.site.settings import Settings
from generator.cli.common import add_command


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

        With --changed-since REF only the records added or modified since the branch left REF
        are checked: its commits, uncommitted edits and new untracked files (git diff from the
        merge base of REF and HEAD to the working tree). Every id the branch stops serving (a
        removed record, an alias dropped) must stay in the aliases of some record, so its page
        still redirects.
        """,
        """
        atlas validate
        atlas validate content/papers/my-paper.yaml
        atlas validate --changed-since origin/main
        """,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="record files to check (default: all)")
    parser.add_argument("--changed-since", metavar="REF",
                        help="check only records added or modified since git REF (a branch, tag or commit)")
    parser.set_defaults(run=run)


def run(args) -> int:
    content_dir = Path(args.content)
    only = None
    changes = None
    if args.changed_since is not None:
        if args.files:
            raise UsageError("give either FILE arguments or --changed-since, not both")
        changes = changed_records(content_dir, args.changed_since)
        only = list(changes.changed)
    elif args.files:
        only = [Path(f) for f in args.files]
        folder = papers_dir(content_dir).resolve()
        for f in only:
            if f.resolve().parent != folder:
                raise UsageError(f"{f} is not a record in {papers_dir(content_dir)}")
    checks = [lambda content: redirect_problems(content_dir, changes, content.papers)] if changes is not None else []
    content = build_pages(Settings(content=args.content), only=only, checks=checks, render=False).content
    checked = len(only) if only is not None else len(content.papers)
    since = f" (changed since {args.changed_since})" if changes is not None else ""
    print(f"ok: {checked} record(s) valid{since}")
    return 0

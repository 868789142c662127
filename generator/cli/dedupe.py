"""``atlas dedupe``: report records that are the same paper, and merge them on request."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from generator.dedupe.matching import find_duplicates
from generator.dedupe.rules import load_rules
from generator.dedupe.merge import MERGED_DIR, apply_merges
from generator.content.records import load_content, require_valid
from generator.cli.common import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "dedupe", "report (or merge with --apply) records that are the same paper",
        f"""
        Find groups of records that are the same paper: the same arXiv id (any version), DOI
        or code repository with agreeing titles, or normalized titles that score at least the
        threshold in dedupe.yaml. Vetoes keep apart different version numbers (Qwen2 /
        Qwen2.5), conflicting identifiers, years more than one apart, other volumes, issues or
        pages, words such as "not", "part", "reply" or "erratum" on one side only, a short title
        inside a longer one, and pairs listed in not_duplicates. A title that venues print in
        every issue ("Editor's Comments", errata: the lists in dedupe.yaml, or a title the
        content shows in several volumes or years of one venue) joins only with the same DOI
        or the same venue, year, volume, issue and pages. A title without the subtitle another
        source gives joins when the first author's family name and the year agree (and the
        venue, when both name one). "English title [Original title]" matches either title.
        Without --apply nothing changes.

        --json prints one JSON object: {{"groups": [{{"ids": [...], "score": 97.5, "reason": "..."}}]}}.

        --apply keeps one record per group (the most information, then the earliest
        `added`, then the smallest id), adds the others' links, tags, authors and missing
        fields to it, lists their ids in its aliases (their pages redirect), lists every
        conflicting field for a human, keeps each removed file unchanged in
        <content>/{MERGED_DIR}/<id>.yaml and prints every change.
        """,
        """
        atlas dedupe
        atlas dedupe --json
        atlas dedupe --apply
        """,
    )
    parser.add_argument("--json", action="store_true", help="print the groups as one JSON object")
    parser.add_argument("--apply", action="store_true", help="merge each group into one record")
    parser.set_defaults(run=run)


def run(args) -> int:
    content = require_valid(load_content(Path(args.content)))
    groups = find_duplicates(content.papers, load_rules(content.root))
    if args.json:
        print(json.dumps({"groups": [g.to_dict() for g in groups]}, ensure_ascii=False))
    else:
        by_id = content.by_id()
        for group in groups:
            files = ", ".join(by_id[i].source for i in group.ids)
            print(f"same paper (score {group.score}): {files}\n  {group.reason}")
        print(f"{len(groups)} group(s) of duplicates in {len(content.papers)} record(s)")
    if not args.apply or not groups:
        return 0
    stream = sys.stderr if args.json else sys.stdout
    for plan in apply_merges(content, groups):
        print(f"merged into {plan.survivor.source}: removed {', '.join(p.source for p in plan.removed)}", file=stream)
        for change in plan.changes:
            print(f"  {plan.survivor.id}: {change}", file=stream)
        for conflict in plan.conflicts:
            print(f"  CONFLICT {plan.survivor.id}: {conflict}", file=stream)
    return 0

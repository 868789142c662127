"""``atlas ingest SOURCE...``: one new record per paper of listings, BibTeX or arXiv Atom files."""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

from generator.errors import AtlasError
from generator.ingest.extraction import load_rules
from generator.ingest.drafts import duplicate_index, find_existing, free_id, record_problems, write_record
from generator.ingest.readers import FORMATS, SourceError, read_source
from generator.ingest.normalize import Imported, as_paper, normalize
from generator.ingest.voices import CuratedEvidence
from generator.content.records import load_content, papers_dir
from generator.cli.common import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "ingest", "import papers from listings, BibTeX or arXiv Atom files",
        """
        Read each SOURCE and write one new record per paper into DIR/papers/. Formats: the
        text of a paper-listing page (a title line, then its abstract paragraph), BibTeX, and
        the Atom XML the arXiv API returns; the format is detected from the file, or forced
        with --format. Each record gets its method, task and tags from the vocabulary in
        taxonomy.yaml and the reading rules in extraction.yaml, every link found in its text,
        today's date as `added`, and a note asking for review. Its type is voted by three
        voices weighed as extraction.yaml says: the type cues, the tags found (each tag
        votes for the types taxonomy.yaml links it to) and the reviewed records whose
        abstracts are most similar; a close or weak vote is named in the record's notes
        ("type uncertain: ...").

        Existing records are never changed: a paper already in the atlas (the same paper by
        the rules of atlas dedupe) is reported as skipped with the id it matches, and so is a paper read twice. The command
        prints what it created, skipped and could not read, and exits 0 unless nothing could
        be read (exit 1).
        """,
        """
        atlas ingest content/sources/listing.txt
        atlas ingest refs.bib arxiv.xml --dry-run --explain
        """,
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="files to import")
    parser.add_argument("--dry-run", action="store_true", help="print what would be created; write nothing")
    parser.add_argument("--format", choices=FORMATS, default=None, help="the sources' format (default: detected per file)")
    parser.add_argument("--explain", action="store_true", help="show the evidence behind each record's type (every voice with its weight and shares), method, task and tags")
    parser.set_defaults(run=run)


def run(args) -> int:
    content_dir = Path(args.content)
    rules = load_rules(content_dir)
    folder = papers_dir(content_dir)
    if not folder.is_dir():
        raise AtlasError(f"no papers folder at {folder}")
    content = load_content(content_dir)
    taxonomy = content.taxonomy
    curated = CuratedEvidence(content.papers)
    index = duplicate_index(content_dir, content.papers)
    if content.problems:
        unchecked = len({p.path for p in content.problems})
        print(f"warning: {unchecked} record file(s) have problems and are not compared for duplicates; run atlas validate", file=sys.stderr)
    today = _dt.date.today()
    created = skipped = unreadable = read = 0
    planned: set[str] = set()
    for source in args.sources:
        try:
            form, result = read_source(Path(source), rules, args.format)
        except SourceError as exc:
            print(f"could not read {exc}", file=sys.stderr)
            unreadable += 1
            continue
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"{source}: {len(result.papers)} paper(s) read as {form}")
        read += len(result.papers)
        for raw in result.papers:
            imported = normalize(raw, taxonomy, rules, today, curated=curated)
            match = find_existing(as_paper(imported.record), index)
            if match:
                print(f"skipped {imported.origin}: '{imported.record['title']}' is already {match.id} "
                      f"(score {match.score:.1f}: {match.reason})")
                skipped += 1
                continue
            record_id = free_id(folder, imported.record["title"], planned)
            problems = record_problems(content_dir, record_id, imported.record, taxonomy)
            if problems:
                for problem in problems:
                    print(f"could not import {imported.origin}: {problem.field}: {problem.message}", file=sys.stderr)
                unreadable += 1
                continue
            if args.dry_run:
                print(f"would create {folder / (record_id + '.yaml')} ({imported.record['type']})")
            else:
                path = write_record(content_dir, imported.record)
                record_id = path.stem
                print(f"created {path} ({imported.record['type']})")
            planned.add(record_id)
            index.add(as_paper(imported.record, record_id))
            created += 1
            _explain(args, imported)
    verb = "would be created" if args.dry_run else "created"
    print(f"{created} record(s) {verb}, {skipped} skipped as already present, {unreadable} could not be read")
    if read == 0:
        print("nothing could be read", file=sys.stderr)
        return 1
    return 0


def _explain(args, imported: Imported) -> None:
    if args.explain:
        for line in imported.explain:
            print(f"    {line}")

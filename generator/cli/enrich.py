"""``atlas enrich [FILE...] [--apply]``: complete records from the arXiv API and Crossref."""

from __future__ import annotations

from pathlib import Path

from generator.cli.common import add_command
from generator.content.records import load_content
from generator.errors import AtlasError, LookupFailed, UsageError, display_path, printable
from generator.fsutil import replace_atomic
from generator.ingest.drafts import record_problems
from generator.ingest.enrichment import compare, describe, enrich_note, enriched_text, identifier_of
from generator.ingest.lookup import fields_for, look_up


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "enrich", "look records up by their arXiv id or DOI and list (or add) what is missing",
        """
        For each record with an arXiv link or a DOI (all records, or the FILEs named), look the
        paper up as `atlas new IDENTIFIER` does (the arXiv API, and Crossref for a DOI) and
        print the fields it would add and the fields it finds written otherwise: a preprint
        since published shows its venue, DOI and pages. Nothing changes without --apply.

        --apply adds the missing fields only (title, abstract, authors, year, venue, volume,
        issue, pages, and the paper, arxiv and doi links), with a sentence in `notes` naming
        their source. It never overwrites a field a person wrote: the differences are listed
        for you to decide. A record that `atlas fmt` would not rewrite (one with a YAML
        comment, or with problems) is reported and left as it is. A failed look-up is one
        line; the other records go on, and the exit status is 1.
        """,
        """
        atlas enrich
        atlas enrich content/papers/aligngpt-multi-modal-large-language-models-with-adaptive-alignment-capability.yaml --apply
        """,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="records to enrich (default: every record)")
    parser.add_argument("--apply", action="store_true", help="add the missing fields to the files")
    parser.set_defaults(run=run)


def run(args) -> int:
    content_dir = Path(args.content)
    content = load_content(content_dir)
    taxonomy = content.taxonomy
    papers = content.papers
    if args.files:
        wanted = {Path(f).resolve() for f in args.files}
        missing = [f for f in args.files if not Path(f).is_file()]
        if missing:
            raise UsageError(f"no such record: {missing[0]}")
        papers = [p for p in papers if Path(content_dir, "papers", f"{p.id}.yaml").resolve() in wanted]
        if len(papers) < len(wanted):
            raise AtlasError("some named records do not pass `atlas validate`; fix them first")
    failed = changed = differ = 0
    looked = [(p, *identifier_of(p)) for p in papers]
    for paper, identifier, doi_hint in looked:
        if identifier is None:
            continue
        path = content_dir / "papers" / f"{paper.id}.yaml"
        label = display_path(path)
        try:
            found = look_up(identifier, doi_hint=doi_hint)
            proposed = fields_for(found, content_dir, taxonomy, paper.type)
        except (LookupFailed, AtlasError) as exc:
            print(f"{label}: {printable(str(exc))}")
            failed += 1
            continue
        comparison = compare(paper.to_dict(), proposed)
        if not comparison.additions and not comparison.differences:
            print(f"{label} ({identifier}): nothing to add")
            continue
        print(f"{label} ({identifier}):")
        verb = "adds" if args.apply else "would add"
        for name, value in comparison.additions.items():
            print(f"  {verb} {name}: {printable(describe(value))}")
        for name, have, value in comparison.differences:
            print(f"  differs {name}: the record has {printable(describe(have))}, {found.identifier} gives {printable(describe(value))}")
        differ += bool(comparison.differences)
        if args.apply and comparison.additions:
            text, data, why = enriched_text(path, comparison, enrich_note(found, list(comparison.additions)))
            if text is None:
                print(f"  not changed: {printable(why)}")
                continue
            problems = record_problems(content_dir, paper.id, data, taxonomy)
            if problems:
                print(f"  not changed: the result would fail validation ({problems[0].field}: {problems[0].message})")
                failed += 1
                continue
            replace_atomic(path, text)
            changed += 1
    with_ids = sum(1 for _, i, _ in looked if i)
    done = f"{changed} record(s) changed" if args.apply else "nothing changed (run with --apply to add the missing fields)"
    print(f"{with_ids} record(s) with an arXiv id or DOI looked up: {done}; {differ} with differences to decide; {failed} failed")
    return 1 if failed else 0

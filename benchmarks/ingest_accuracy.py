"""Accuracy of `atlas ingest` on a labelled set: per field, how many papers it gets right.

Run from the repository root:

    .venv/bin/python benchmarks/ingest_accuracy.py [--labelled FILE] [--content DIR] [--misses]
    .venv/bin/python benchmarks/ingest_accuracy.py --source LISTING --curated PAPERS_DIR

Each labelled item is read through the importer (as a listing entry, or as BibTeX when it has a
`bibtex` field) and normalized with the content folder's taxonomy.yaml and extraction.yaml.
With --source and --curated, the importer's records for a source are compared with records a
curator reviewed by hand (matched by title), field by field.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.ingest.extraction import load_rules  # noqa: E402
from generator.ingest.readers import read_bibtex, read_listing, read_source  # noqa: E402
from generator.ingest.normalize import normalize, title_key  # noqa: E402
from generator.content.taxonomy import load_taxonomy  # noqa: E402

FIELDS = ("type", "method", "task", "tags", "links")


def imported_records(items: list[dict], taxonomy, rules) -> list[dict | None]:
    """The record the importer makes for each item (None when it reads no paper)."""
    out = []
    for number, item in enumerate(items, 1):
        label = f"item {number}"
        if item.get("bibtex"):
            read = read_bibtex(item["bibtex"], label, rules)
        else:
            read = read_listing(f"{item['title']}\n\n{item['abstract']}\n", label, rules)
        out.append(normalize(read.papers[0], taxonomy, rules).record if read.papers else None)
    return out


def field_right(name: str, expected, record: dict | None) -> bool:
    """Whether the importer's value of one field matches the label."""
    if record is None:
        return False
    got = record.get(name)
    if name == "method":
        accepted = [m.casefold() for m in expected or []]
        return got is None if not accepted else (got or "").casefold() in accepted
    if name == "task":
        return (got or "").casefold() == (expected or "").casefold()
    if name == "tags":
        return set(got or []) == set(expected or [])
    if name == "links":
        return dict(got or {}) == dict(expected or {})
    return got == expected


def curated_items(source: Path, curated: Path, taxonomy, rules) -> tuple[list[dict], list[dict | None]]:
    """Items labelled by the curated records of ``curated`` and the importer's records for them."""
    by_title = {}
    for path in sorted(curated.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        if isinstance(data, dict) and data.get("title"):
            by_title[title_key(data["title"])] = data
    items, records = [], []
    for raw in read_source(source, rules)[1].papers:
        data = by_title.get(title_key(raw.title))
        if data is None:
            continue
        method = data.get("method")
        items.append({"title": data["title"], "expect": {
            "type": data.get("type"), "method": [method] if method else [], "task": data.get("task"),
            "tags": data.get("tags") or [], "links": data.get("links") or {}}})
        records.append(normalize(raw, taxonomy, rules).record)
    return items, records


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", default=str(ROOT / "benchmarks" / "ingest" / "labelled.yaml"))
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--misses", action="store_true", help="print every wrong value")
    parser.add_argument("--source", help="a source to import and compare with --curated records")
    parser.add_argument("--curated", help="a folder of reviewed records to compare with")
    args = parser.parse_args(argv)
    taxonomy, rules = load_taxonomy(Path(args.content)), load_rules(Path(args.content))
    if args.source and args.curated:
        items, records = curated_items(Path(args.source), Path(args.curated), taxonomy, rules)
    else:
        items = yaml.safe_load(Path(args.labelled).read_text("utf-8"))
        records = imported_records(items, taxonomy, rules)
    right = {name: 0 for name in FIELDS}
    tag_hits = tag_predicted = tag_expected = 0
    for item, record in zip(items, records):
        expect = item["expect"]
        for name in FIELDS:
            if field_right(name, expect.get(name), record):
                right[name] += 1
            elif args.misses:
                got = record.get(name) if record else "(not read)"
                print(f"{name:7} {item['title'][:60]!r}: got {got!r}, expected {expect.get(name)!r}")
        got_tags = set((record or {}).get("tags") or [])
        tag_hits += len(got_tags & set(expect.get("tags") or []))
        tag_predicted += len(got_tags)
        tag_expected += len(expect.get("tags") or [])
    total = len(items)
    print(f"{'field':8} {'right':>5} / {total}  accuracy")
    for name in FIELDS:
        print(f"{name:8} {right[name]:>5} / {total}  {right[name] / total:6.1%}")
    precision = tag_hits / tag_predicted if tag_predicted else 0.0
    recall = tag_hits / tag_expected if tag_expected else 0.0
    print(f"tags (per tag): precision {precision:.1%}, recall {recall:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

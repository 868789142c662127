"""Pairwise precision, recall and F1 of ``find_duplicates`` on public labelled sets.

Reads the sets described in ``<data>/README.md`` (default ``../shared/benchmarks/dedupe``,
relative to the repository root): 1,845 biomedical records (cp1252 CSV) and 12 computer-science
trap records, each with its gold duplicate groups in a separate file.

    .venv/bin/python benchmarks/dedupe_labelled.py [DATA_DIR] [--show-errors N]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.dedupe_record import DedupeRecord  # noqa: E402
from generator.dedupe.matching import DuplicateIndex, find_duplicates  # noqa: E402
from generator.dedupe.names import split_bibtex_names  # noqa: E402
from generator.dedupe.rules import load_rules  # noqa: E402

csv.field_size_limit(10**8)


def _value(text: str | None) -> str | None:
    text = (text or "").strip()
    return None if text in ("", "NA") else text


def _year(text: str | None) -> int | None:
    found = re.search(r"\b(1[89]\d\d|20\d\d)\b", text or "")
    return int(found.group(1)) if found else None


def _doi_link(text: str | None) -> dict:
    text = _value(text)
    if not text:
        return {}
    bare = re.sub(r"^https?://(dx\.)?doi\.org/", "", text, flags=re.I)
    return {"doi": f"https://doi.org/{bare}"}


def _run_together_authors(text: str | None) -> tuple:
    """``Adeli K.Lewis G. F.`` -> ``("Adeli K.", "Lewis G. F.")``: a name starts after an
    initial's dot when a capitalised word follows."""
    text = _value(text) or ""
    return tuple(p.strip() for p in re.split(r"(?<=\.)(?=[A-Z][a-z'\-])", text) if p.strip())


def load_diabetes(folder: Path) -> list[DedupeRecord]:
    """The 1,845 biomedical records, with ids ``id_0000699`` as the groups file writes them."""
    with open(folder / "asysd_labelled_test_set_diabetes.csv", encoding="cp1252", newline="") as handle:
        return [
            DedupeRecord(
                id=f"id_{int(row['record_id']):07d}", title=row["title"] or "", links=_doi_link(row["doi"]),
                year=_year(row["year"]), authors=_run_together_authors(row["author"]),
                venue=_value(row["journal"]), volume=_value(row["volume"]), pages=_value(row["pages"]),
                issue=_value(row["number"]),
            )
            for row in csv.DictReader(handle)
        ]


def load_special_cases(folder: Path) -> list[DedupeRecord]:
    """The 12 trap records (BibTeX-like columns, authors joined with ``and``, split as the
    BibTeX importer splits them)."""
    with open(folder / "bibdedupe_special_cases_records_pre_merged.csv", encoding="utf-8", newline="") as handle:
        return [
            DedupeRecord(
                id=row["ID"], title=row["title"], links=_doi_link(row["doi"]), year=_year(row["year"]),
                authors=tuple(split_bibtex_names(row["author"] or "")),
                venue=_value(row["journal"]) or _value(row["booktitle"]), volume=_value(row["volume"]),
                pages=_value(row["pages"]), issue=_value(row["issue"]),
            )
            for row in csv.DictReader(handle)
        ]


def gold_pairs(path: Path) -> set[tuple[str, str]]:
    """Every pair of ids inside one gold group."""
    pairs = set()
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ids = sorted(row["merged_ids"].split(";"))
            pairs.update(itertools.combinations(ids, 2))
    return pairs


def found_pairs(groups) -> set[tuple[str, str]]:
    """Every pair of ids inside one found group."""
    return {pair for g in groups for pair in itertools.combinations(sorted(g.ids), 2)}


def evaluate(name: str, records, gold: set, show: int) -> None:
    """Print pairwise figures for one set, and up to ``show`` wrong pairs of each kind."""
    started = time.perf_counter()
    groups = find_duplicates(records, load_rules(ROOT / "content"))
    seconds = time.perf_counter() - started
    found = found_pairs(groups)
    true_positive = len(found & gold)
    precision = true_positive / len(found) if found else 1.0
    recall = true_positive / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    gold_ids = {i for pair in gold for i in pair}
    merged_wrongly = {g.ids for g in groups if any(p not in gold for p in itertools.combinations(g.ids, 2))}
    print(f"{name}: {len(records)} records, {len(gold)} gold pairs, {len(found)} found pairs, {seconds:.2f} s")
    print(f"  precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  "
          f"false pairs {len(found - gold)}  missed pairs {len(gold - found)}  "
          f"groups with a false merge {len(merged_wrongly)}  (records in gold groups: {len(gold_ids)})")
    all_pairs = len(records) * (len(records) - 1) // 2
    wrong = len(found - gold) + len(gold - found)
    print(f"  record pairs decided right: {all_pairs - wrong} of {all_pairs}")
    index = DuplicateIndex(records, load_rules(ROOT / "content"))
    ids = [r.id for r in index.records]
    proposed = {tuple(sorted((ids[i], ids[j]))) for i, j in index.candidate_pairs()[0]}
    print(f"  blocking proposed {len(proposed)} pairs holding {len(gold & proposed)} of {len(gold)} gold pairs")
    by_id = {r.id: r for r in records}
    reasons = {pair: g.reason for g in groups for pair in itertools.combinations(g.ids, 2)}
    for label, wrong in (("false", sorted(found - gold)), ("missed", sorted(gold - found))):
        for a, b in wrong[:show]:
            print(f"  {label}: {a} / {b} ({reasons.get((a, b), '')})")
            for r in (by_id[a], by_id[b]):
                print(f"      {r.year} | {r.venue} | {r.volume} | {r.issue} | {r.pages} | {r.links.get('doi')} | {r.authors[:2]} | {r.title[:110]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "benchmarks" / "dedupe"),
                        help="folder of the labelled sets (default: ../shared/benchmarks/dedupe)")
    parser.add_argument("--bare", action="store_true",
                        help="keep only title, DOI and year, as most atlas records have (no authors, venue, volume, issue, pages)")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N", help="print N wrong pairs of each kind")
    args = parser.parse_args(argv)
    folder = Path(args.data)

    def prepared(records):
        if not args.bare:
            return records
        return [DedupeRecord(r.id, r.title, r.links, r.year) for r in records]

    evaluate("special cases (traps)", prepared(load_special_cases(folder)),
             gold_pairs(folder / "bibdedupe_special_cases_merged_record_ids.csv"), args.show_errors)
    evaluate("diabetes (ASySD)", prepared(load_diabetes(folder)),
             gold_pairs(folder / "bibdedupe_diabetes_merged_record_ids.csv"), args.show_errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

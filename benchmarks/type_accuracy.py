"""How often the importer chooses a paper's type (and method) right, on real papers.

Run from the repository root:

    .venv/bin/python benchmarks/type_accuracy.py                  # loo, tune, heldout, heldout2
    .venv/bin/python benchmarks/type_accuracy.py --sets loo tune --misses
    .venv/bin/python benchmarks/type_accuracy.py --sets heldout3
    .venv/bin/python benchmarks/type_accuracy.py --sets heldout4
    .venv/bin/python benchmarks/type_accuracy.py --sets heldout5
    .venv/bin/python benchmarks/type_accuracy.py --sets speed --speed-size 10000

Sets:
- ``loo``: leave-one-out over the shipped records (content/papers): each record is classified
  with all the other records as the curated evidence.
- ``tune`` and ``heldout``: the halves of the shared set of 80 real papers
  (``../shared/benchmarks/types/papers.yaml`` from the repository root, read where it is),
  classified with the shipped records as the curated evidence. Rules may be tuned on ``tune``
  only; ``heldout`` is for reporting.
- ``heldout2`` to ``heldout5``: four more held-out sets of 40 real papers each, five per type,
  kept in the repository (``benchmarks/types/heldout2.yaml`` to ``heldout5.yaml``, see the README
  beside them), labelled before the importer was first run on them and classified the same way.
  For reporting only; ``heldout3``, ``heldout4`` and ``heldout5`` run only when asked for by name.
- ``speed``: N synthetic papers (benchmarks/make_corpus.py) classified against N other
  synthetic papers as curated records; prints the time. The types of synthetic papers mean
  nothing, so only the time counts.

For each set it prints the type accuracy (a type is right when it is one of the item's accepted
types), a confusion matrix (rows: the primary label, columns: the type chosen), the recall per
type, and the method accuracy (a method is right when it is one of the accepted names, compared
without case, or absent when the item names none), as benchmarks/ingest_accuracy.py scores it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content.records import load_content  # noqa: E402
from generator.content.taxonomy import TYPE_IDS  # noqa: E402
from generator.ingest.classify import choose_type  # noqa: E402
from generator.ingest.extraction import load_rules  # noqa: E402
from generator.ingest.normalize import normalize  # noqa: E402
from generator.ingest.phrases import fold, names_any  # noqa: E402
from generator.ingest.readers import RawPaper  # noqa: E402
from generator.ingest.voices import CuratedEvidence  # noqa: E402

SHARED = ROOT.parent / "shared" / "benchmarks" / "types" / "papers.yaml"
"""The shared labelled set of real papers, outside the repository."""

HELDOUT2 = ROOT / "benchmarks" / "types" / "heldout2.yaml"
"""The second held-out set of real papers, in the repository."""

HELDOUT3 = ROOT / "benchmarks" / "types" / "heldout3.yaml"
"""The third held-out set of real papers, in the repository."""

HELDOUT4 = ROOT / "benchmarks" / "types" / "heldout4.yaml"
"""The fourth held-out set of real papers, in the repository."""

HELDOUT5 = ROOT / "benchmarks" / "types" / "heldout5.yaml"
"""The fifth held-out set of real papers, in the repository."""

IN_REPOSITORY = {"heldout2": HELDOUT2, "heldout3": HELDOUT3, "heldout4": HELDOUT4, "heldout5": HELDOUT5}
"""The held-out sets kept in the repository, by set name (the name is also each item's split)."""

SHORT = {"llm-alignment": "llm", "multimodal-alignment": "mm", "sequence-alignment": "seq",
         "entity-alignment": "ent", "cross-lingual-alignment": "xl", "speech-alignment": "sp",
         "gradient-alignment": "grad", "adjacent": "adj"}


@dataclass
class Item:
    """A labelled paper: its accepted types (the first is the primary label) and methods."""

    title: str
    abstract: str | None
    types: list[str]
    methods: list[str] | None = None
    """Accepted method names; an empty list means none is named, None that it is not labelled."""
    ident: str = ""


@dataclass
class Report:
    """The figures of one set."""

    name: str
    total: int = 0
    right: int = 0
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    method_right: int = 0
    method_total: int = 0
    method_named: int = 0
    """Items whose title or abstract gives one of their accepted method names (or that name none)."""
    method_named_right: int = 0
    uncertain: int = 0
    misses: list[str] = field(default_factory=list)
    right_by_type: dict[str, int] = field(default_factory=dict)

    def recall(self) -> dict[str, tuple[int, int]]:
        """Per primary label: (right, total), right meaning one of the item's accepted types."""
        out = {}
        for kind in TYPE_IDS:
            total = sum(n for (want, _), n in self.confusion.items() if want == kind)
            if total:
                out[kind] = (self.right_by_type.get(kind, 0), total)
        return out


def method_right(accepted: list[str], got: str | None) -> bool:
    """Whether a chosen method matches the label: one of the accepted names without case, or
    absent when none is accepted."""
    names = [m.casefold() for m in accepted]
    return got is None if not names else (got or "").casefold() in names


def method_named(item: Item) -> bool:
    """Whether the item's text can give its method: it names none, or its title or abstract holds
    one of the accepted names as whole words (without case). A retold abstract may leave out the
    name its label gives (the shared set's often do); no importer can find such a name."""
    return not item.methods or names_any(item.methods, fold(item.title), fold(item.abstract))


def evaluate(name: str, items: list[Item], taxonomy, rules, curated_for) -> Report:
    """Classify each item through the importer with ``curated_for(item)`` as the curated evidence."""
    report = Report(name)
    for item in items:
        record = normalize(RawPaper(title=item.title, abstract=item.abstract), taxonomy, rules,
                           curated=curated_for(item)).record
        got, want = record["type"], item.types[0]
        report.total += 1
        report.confusion[(want, got)] = report.confusion.get((want, got), 0) + 1
        if got in item.types:
            report.right += 1
            report.right_by_type[want] = report.right_by_type.get(want, 0) + 1
        else:
            report.misses.append(f"type   {item.title[:70]!r}: got {got}, expected {'/'.join(item.types)}")
        if "type uncertain" in (record.get("notes") or ""):
            report.uncertain += 1
        if item.methods is not None:
            report.method_total += 1
            named = method_named(item)
            report.method_named += named
            if method_right(item.methods, record.get("method")):
                report.method_right += 1
                report.method_named_right += named
            else:
                report.misses.append(f"method {item.title[:70]!r}: got {record.get('method')!r}, expected {item.methods}")
    return report


def shipped_items(papers) -> list[Item]:
    """The shipped records as labelled items."""
    return [Item(p.title, p.abstract, [p.type], [p.method] if p.method else [], p.id)
            for p in sorted(papers, key=lambda p: p.id)]


def leave_one_out(content, rules) -> Report:
    """Each shipped record classified with all the other records as the curated evidence."""
    items = shipped_items(content.papers)
    return evaluate("leave-one-out", items, content.taxonomy, rules,
                    lambda item: CuratedEvidence(p for p in content.papers if p.id != item.ident))


def shared_items(path: Path, split: str) -> list[Item]:
    """The items of one split of the shared set."""
    data = yaml.safe_load(path.read_text("utf-8"))
    return [Item(d["title"], d.get("abstract"), list(d["type"]), list(d.get("method") or []))
            for d in data if d.get("split") == split]


def shared_split(content, rules, path: Path, split: str) -> Report:
    """One split of a labelled set (a half of the shared set, or a held-out set kept in the
    repository), classified with the shipped records as the curated evidence."""
    curated = CuratedEvidence(content.papers)
    return evaluate(split, shared_items(path, split), content.taxonomy, rules, lambda item: curated)


def speed(rules, size: int) -> str:
    """Seconds to classify ``size`` synthetic papers against ``size`` synthetic curated records."""
    from make_corpus import make_corpus

    with tempfile.TemporaryDirectory() as tmp:
        curated_content = load_content(make_corpus(Path(tmp) / "curated", size, seed=1))
        queries = load_content(make_corpus(Path(tmp) / "queries", size, seed=2)).papers
        start = time.perf_counter()
        curated = CuratedEvidence(curated_content.papers)
        built = time.perf_counter() - start
        for paper in queries:
            choose_type(paper.title, paper.abstract, curated_content.taxonomy, rules, curated)
        total = time.perf_counter() - start
    return (f"speed: {len(queries)} papers against {len(curated)} curated records: {total:.1f} s "
            f"({built:.1f} s to index the curated abstracts, {1000 * (total - built) / max(len(queries), 1):.2f} ms a paper)")


def render(report: Report, show_misses: bool) -> str:
    """The report as text: accuracy, confusion matrix, recall per type, method accuracy."""
    lines = [f"== {report.name}: type {report.right}/{report.total} "
             f"({report.right / max(report.total, 1):.1%}), {report.uncertain} flagged uncertain"]
    kinds = [k for k in TYPE_IDS if any(k in pair for pair in report.confusion)]
    lines.append("expected \\ chosen".ljust(24) + " " + " ".join(f"{SHORT[k]:>5}" for k in kinds))
    for want in kinds:
        row = [report.confusion.get((want, got), 0) for got in kinds]
        if sum(row):
            lines.append(f"{want:<24} " + " ".join(f"{n:>5}" for n in row))
    lines.append("(a second accepted type counts as right: see the recall)")
    lines.append("recall: " + ", ".join(f"{k} {r}/{n} ({r / n:.0%})" for k, (r, n) in report.recall().items()))
    if report.method_total:
        lines.append(f"method {report.method_right}/{report.method_total} ({report.method_right / report.method_total:.1%}); "
                     f"where the title or abstract gives the name (or none is labelled) "
                     f"{report.method_named_right}/{report.method_named} ({report.method_named_right / max(report.method_named, 1):.1%})")
    if show_misses:
        lines.extend("  " + miss for miss in report.misses)
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="See the module docstring (and BENCHMARKS.md) for what each set is.")
    parser.add_argument("--sets", nargs="+", choices=["loo", "tune", "heldout", *IN_REPOSITORY, "speed"],
                        default=["loo", "tune", "heldout", "heldout2"],
                        help="which sets to run (default: loo tune heldout heldout2)")
    parser.add_argument("--content", default=str(ROOT / "content"), help="content folder (default: content)")
    parser.add_argument("--shared", default=str(SHARED), help="the shared labelled set (default: %(default)s)")
    for name, path in IN_REPOSITORY.items():
        parser.add_argument(f"--{name}", default=str(path), help=f"the {name} set (default: %(default)s)")
    parser.add_argument("--speed-size", type=int, default=10_000, help="papers per side for --sets speed")
    parser.add_argument("--misses", action="store_true", help="print every wrong type and method")
    args = parser.parse_args(argv)
    content = load_content(Path(args.content))
    rules = load_rules(Path(args.content))
    for name in args.sets:
        if name == "loo":
            print(render(leave_one_out(content, rules), args.misses))
        elif name == "speed":
            sys.path.insert(0, str(ROOT / "benchmarks"))
            print(speed(rules, args.speed_size))
        else:
            path = Path(getattr(args, name) if name in IN_REPOSITORY else args.shared)
            if not path.is_file():
                where = "" if name in IN_REPOSITORY else " (the shared set lives outside the repository)"
                print(f"{path}: not found{where}", file=sys.stderr)
                return 2
            print(render(shared_split(content, rules, path, name), args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())

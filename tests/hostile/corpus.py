"""The hostile record corpus: each case's record and the outcome it must have.

``expected.yaml`` maps every case to its outcome. A case's record is ``<case>.yaml`` in this
folder, or, when the manifest says ``generated``, built here at test time (too big to commit,
or not a plain file: symbolic links and folders). ``install`` puts a case into a content folder
as ``papers/<file>``, so a validation test and a rendering test read the same records.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MANIFEST = HERE / "expected.yaml"

DEEP = 10_000
"""Nesting depth of the deeply nested cases."""


@dataclass(frozen=True)
class Case:
    """One hostile record and the outcome it must have."""

    name: str
    outcome: str
    """``fail``: ``atlas validate`` exits 1 printing exactly ``messages``;
    ``render``: the record is valid and loads with exactly ``fields``."""
    file: str
    """The record's file name inside ``papers/``."""
    generated: str | None = None
    messages: tuple[str, ...] = ()
    fields: dict = field(default_factory=dict)

    @property
    def source(self) -> Path | None:
        """The committed record, or None for a generated one."""
        return None if self.generated else HERE / f"{self.name}.yaml"


def cases() -> list[Case]:
    """Every case of the manifest, in the manifest's order."""
    manifest = yaml.safe_load(MANIFEST.read_text("utf-8"))
    out = []
    for name, entry in manifest.items():
        out.append(Case(
            name=name, outcome=entry["outcome"], file=entry.get("file", f"{name}.yaml"),
            generated=entry.get("generated"), messages=tuple(entry.get("messages", ())),
            fields=entry.get("fields", {}),
        ))
    return out


def _oversize(path: Path) -> None:
    path.write_bytes(b"title: A\ntype: adjacent\nabstract: " + b"x" * 70_000 + b"\n")


def _long_line(path: Path) -> None:
    path.write_bytes(b"title: A\ntype: adjacent\nabstract: " + b"word " * 12_000 + b"\n")


def _deep_flow(path: Path) -> None:
    path.write_bytes(b"title: A\ntype: adjacent\ntags: " + b"[" * DEEP + b"]" * DEEP + b"\n")


def _deep_block(path: Path) -> None:
    path.write_bytes(b"- " * DEEP + b"x\n")


def _symlink_outside(path: Path) -> None:
    outside = path.parent.parent.parent / "outside.yaml"
    outside.write_text("title: Outside the Folder\ntype: adjacent\n", "utf-8")
    path.symlink_to(outside)


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inner.yaml").write_text("title: Inner\ntype: adjacent\n", "utf-8")


GENERATORS = {
    "oversize": _oversize,
    "long-line": _long_line,
    "deep-flow": _deep_flow,
    "deep-block": _deep_block,
    "symlink-outside": _symlink_outside,
    "folder": _folder,
}
"""Builders of the records that are not committed, by the manifest's ``generated`` name."""


def install(case: Case, content_dir: Path) -> Path:
    """Write a content folder holding the shipped taxonomy and this one record; returns its path."""
    papers = content_dir / "papers"
    papers.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", content_dir / "taxonomy.yaml")
    target = papers / case.file
    if case.generated:
        GENERATORS[case.generated](target)
    else:
        shutil.copy(case.source, target)
    return target

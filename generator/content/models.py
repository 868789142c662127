"""The nouns of the atlas: a paper record and the loaded content."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from generator.errors import Problem
from generator.content.schemas import load_schema
from generator.content.taxonomy import Taxonomy


def record_schema() -> dict:
    """The JSON Schema of a paper record, shipped with the package."""
    return load_schema("paper")


def schema_path() -> Path:
    """Where the record schema lives on disk (for the editor line in new records)."""
    return Path(str(resources.files("generator").joinpath("schemas/paper.schema.json")))


def field_order() -> tuple[str, ...]:
    """Record keys in canonical order, as the schema lists them."""
    return tuple(record_schema()["properties"])


@dataclass
class Paper:
    """One paper record, checked against the schema and the taxonomy."""

    id: str
    title: str
    type: str
    abstract: str | None = None
    summary: str | None = None
    method: str | None = None
    task: str | None = None
    tags: tuple[str, ...] = ()
    links: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    authors: tuple[str, ...] = ()
    venue: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    added: str | None = None
    aliases: tuple[str, ...] = ()
    not_duplicates: tuple[str, ...] = ()
    notes: str | None = None
    source: str = ""
    """The record's file, as shown to users (e.g. ``content/papers/x.yaml``)."""
    lines: dict = field(default_factory=dict, repr=False, compare=False)
    """Line of each key in the file, by path tuple; for error messages."""

    def line(self, key: str) -> int:
        """The line a top-level key was written on (1 when unknown)."""
        return self.lines.get((key,), 1)

    def to_dict(self) -> dict:
        """The record's fields in canonical order, leaving out empty ones."""
        out = {}
        for key in field_order():
            value = getattr(self, key)
            if value in (None, (), {}, ""):
                continue
            out[key] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass
class Content:
    """Everything loaded from a content folder: the taxonomy, the papers and any problems."""

    root: Path
    taxonomy: Taxonomy | None
    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_id(self) -> dict[str, Paper]:
        """Papers by id."""
        return {p.id: p for p in self.papers}

"""New records as the importer writes them: a free id, the checks of ``atlas validate``, the
record already in the atlas a draft duplicates, and a write that never replaces a file.

Shared by ``atlas new`` and ``atlas ingest``.
"""

from __future__ import annotations

from pathlib import Path

from generator.content.fmt import schema_line
from generator.content.models import Paper
from generator.content.records import ID_PATTERN, check_record, papers_dir
from generator.content.yamlio import parse_text
from generator.content.yamlwrite import dump
from generator.dedupe.matching import DuplicateIndex, Match
from generator.dedupe.matching import load_rules as load_dedupe_rules
from generator.errors import AtlasError
from generator.fsutil import write_new
from generator.text import slug


def free_id(folder: Path, title: str, taken=frozenset()) -> str:
    """An id for the title that no file in ``folder`` uses yet, nor ``taken`` (ids planned for
    records not written yet, as in ``atlas ingest --dry-run``)."""
    base = slug(title)
    candidate, n = base, 2
    while candidate in taken or (folder / f"{candidate}.yaml").exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def write_record(content_dir: Path, data: dict) -> Path:
    """Write a new record file for ``data``; returns its path. Never replaces a file."""
    folder = papers_dir(content_dir)
    if not folder.is_dir():
        raise AtlasError(f"no papers folder at {folder}")
    record_id = free_id(folder, data["title"])
    assert ID_PATTERN.match(record_id)
    path = folder / f"{record_id}.yaml"
    write_new(path, dump(data, header=schema_line(path)))
    return path


def duplicate_index(content_dir: Path, papers: list[Paper]) -> DuplicateIndex:
    """The de-duplicator's index of the atlas, with the rules in ``content/dedupe.yaml``."""
    return DuplicateIndex(papers, load_dedupe_rules(content_dir))


def find_existing(candidate: Paper, index: DuplicateIndex) -> Match | None:
    """The record already in the atlas that ``candidate`` duplicates, or None.

    The candidate has no id yet (an empty one), so it is compared with every record.
    """
    return index.match(candidate)


def record_problems(content_dir: Path, record_id: str, record: dict, taxonomy) -> list:
    """The problems ``atlas validate`` would report for ``record`` written as ``record_id``."""
    path = papers_dir(content_dir) / f"{record_id}.yaml"
    doc = parse_text(dump(record, header=schema_line(path)), str(path))
    return check_record(doc, str(path), record_id, taxonomy)[1]

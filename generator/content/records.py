"""Loading and checking paper records.

``load_content`` reads every record of a content folder and returns the papers that are valid
together with every problem found in the others; ``require_valid`` turns problems into one
:class:`ContentError`. Each problem names the file, the line of the offending key, the field,
and what was expected.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Iterable

from generator.errors import ContentError, Problem, display_path
from generator.content.models import Content, Paper, record_schema
from generator.content.schemas import SchemaCheck, checker, describe, look_alike
from generator.content.taxonomy import ID_PATTERN, Taxonomy, load_taxonomy
from generator.content.yamlio import Document, YamlError, dotted, read_file


RESERVED_IDS = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))})
"""Device names on Windows: no file or folder there can have them, so no record id or alias may."""

_RESERVED_MESSAGE = "is a device name on Windows, where no file can have it; choose another id"

def papers_dir(content_dir: Path) -> Path:
    """The folder holding the records of a content folder."""
    return Path(content_dir) / "papers"


def _checker() -> SchemaCheck:
    """The record schema's check, made once a run."""
    return checker("paper")


def _drop_empty_optionals(data: dict) -> dict:
    required = set(record_schema()["required"])
    return {k: v for k, v in data.items() if k in required or v not in (None, "", [], {})}


def check_record(doc: Document, label: str, record_id: str, taxonomy: Taxonomy) -> tuple[Paper | None, list[Problem]]:
    """Check one parsed record; returns the paper (when valid) and its problems."""
    problems: list[Problem] = []

    def fail(path: tuple, message: str) -> None:
        problems.append(Problem(label, doc.line(path), dotted(path), message))

    longest = record_schema()["$defs"]["id"]["maxLength"]
    if not ID_PATTERN.match(record_id):
        problems.append(Problem(label, 1, None, f"file name must be <id>.yaml with an id of lowercase letters, digits and hyphens, got {describe(record_id)}{look_alike(record_id)}"))
    elif len(record_id) > longest:
        problems.append(Problem(label, 1, None, f"file name's id is {len(record_id)} characters long; the limit is {longest}"))
    elif record_id in RESERVED_IDS:
        problems.append(Problem(label, 1, None, f"file name '{record_id}' {_RESERVED_MESSAGE}"))
    problems.extend(doc.problems)
    if not isinstance(doc.data, dict):
        what = "an empty file" if doc.data is None else describe(doc.data)
        problems.append(Problem(label, 1, None, f"expected a mapping of fields (title, type, ...), got {what}"))
        return None, problems
    data = _drop_empty_optionals(doc.data)
    problems.extend(_checker().problems(doc, label, data))

    kind = data.get("type")
    if isinstance(kind, str) and ID_PATTERN.match(kind) and kind not in taxonomy.types:
        hint = taxonomy.suggest_type(kind)
        fail(("type",), f"unknown type '{kind}'" + (f" (did you mean '{hint}'?)" if hint else f" (expected one of: {', '.join(taxonomy.types)})"))
    tags = data.get("tags")
    for i, tag in enumerate(tags if isinstance(tags, list) else []):
        if isinstance(tag, str) and ID_PATTERN.match(tag) and tag not in taxonomy.tags:
            hint = taxonomy.suggest_tag(tag)
            fail(("tags", i), f"unknown tag '{tag}'" + (f" (did you mean '{hint}'?)" if hint else " (see the tags in taxonomy.yaml)"))
    added = data.get("added")
    if isinstance(added, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", added):
        try:
            _dt.date.fromisoformat(added)
        except ValueError:
            fail(("added",), f"not a real date: {describe(added)}")
    for key in ("aliases", "not_duplicates"):
        if isinstance(data.get(key), list) and record_id in data[key]:
            fail((key,), f"lists the record's own id '{record_id}'")
    for i, alias in enumerate(data.get("aliases") if isinstance(data.get("aliases"), list) else []):
        if isinstance(alias, str) and alias in RESERVED_IDS:
            fail(("aliases", i), f"'{alias}' {_RESERVED_MESSAGE}")
    if problems:
        return None, problems

    paper = Paper(
        id=record_id,
        source=label,
        lines=dict(doc.lines),
        **{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()},
    )
    return paper, problems


def read_record(path: Path, taxonomy: Taxonomy) -> tuple[Paper | None, list[Problem]]:
    """Read and check one record file."""
    label = display_path(path)
    try:
        doc = read_file(path, label)
    except YamlError as exc:
        return None, exc.problems
    return check_record(doc, label, path.stem, taxonomy)


def record_files(content_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The record files of a content folder, and problems with anything else found there."""
    folder = papers_dir(content_dir)
    if not folder.is_dir():
        return [], [Problem(display_path(folder), 1, None, "no papers folder: records live in <content>/papers/<id>.yaml")]
    files, problems = [], []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            refused = "is a symbolic link; records must be plain files inside the papers folder"
        elif entry.is_dir():
            refused = "is a folder; records are files named <id>.yaml directly in the papers folder"
        elif entry.suffix != ".yaml":
            refused = "is not a record: records are files named <id>.yaml"
        else:
            files.append(entry)
            continue
        problems.append(Problem(display_path(entry), 1, None, refused))
    return files, problems


def cross_check(papers: list[Paper]) -> list[Problem]:
    """Problems between records: ids and aliases that collide, unknown ids in not_duplicates."""
    problems = []
    owner: dict[str, Paper] = {p.id: p for p in papers}
    for paper in papers:
        for i, alias in enumerate(paper.aliases):
            other = owner.get(alias)
            if other is not None and other is not paper:
                what = "is the id of" if other.id == alias else "is already an alias of"
                problems.append(Problem(paper.source, paper.lines.get(("aliases", i), paper.line("aliases")), f"aliases[{i}]",
                                        f"'{alias}' {what} {other.source}"))
            else:
                owner[alias] = paper
    for paper in papers:
        for i, other in enumerate(paper.not_duplicates):
            if other not in owner:
                problems.append(Problem(paper.source, paper.lines.get(("not_duplicates", i), paper.line("not_duplicates")),
                                        f"not_duplicates[{i}]", f"no record has the id '{other}'"))
    return problems


def load_content(content_dir: Path, only: Iterable[Path] | None = None, read=None) -> Content:
    """Load the taxonomy and every record; problems are collected, not raised.

    With ``only``, just those record files are checked (the others are still loaded, so
    cross-record checks see the whole atlas). A broken taxonomy is raised at once, since no
    record can be checked without it. ``read(path, taxonomy)`` replaces :func:`read_record`
    (the live preview passes one that re-reads only changed files).
    """
    content_dir = Path(content_dir)
    taxonomy = load_taxonomy(content_dir)
    files, problems = record_files(content_dir)
    papers = []
    wanted = None if only is None else {Path(p).resolve() for p in only}
    for path in files:
        paper, found = (read or read_record)(path, taxonomy)
        if wanted is None or path.resolve() in wanted:
            problems.extend(found)
        if paper is not None:
            papers.append(paper)
    cross = cross_check(papers)
    if wanted is not None:
        labels = {display_path(path) for path in files if path.resolve() in wanted}
        cross = [p for p in cross if p.path in labels]
    problems.extend(cross)
    return Content(content_dir, taxonomy, papers, sorted(problems))


def require_valid(content: Content) -> Content:
    """Raise :class:`ContentError` when the content has any problem."""
    if content.problems:
        raise ContentError(content.problems)
    return content

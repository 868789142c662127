"""``atlas new "Title" --from FILE``: a new record filled by the importer from a pasted abstract."""

from __future__ import annotations

from pathlib import Path

from ..errors import AtlasError, UsageError
from ..extraction import load_rules
from ..ingest import RawPaper, SourceError, read_source
from ..normalize import normalize, title_key
from ..records import load_content
from ..taxonomy import load_taxonomy
from ..text import one_line

FROM_NOTE = "imported by atlas new --from; review method, task, type and tags"
"""The note a record made with ``atlas new --from`` carries until a curator has reviewed it."""


def _raw_paper(title: str, source: Path, rules) -> RawPaper:
    """The paper the file describes: its entry with the given title, or the file as an abstract."""
    try:
        form, result = read_source(source, rules)
    except SourceError as exc:
        raise AtlasError(f"could not read {exc}") from None
    key = title_key(title)
    for paper in result.papers:
        if title_key(paper.title) == key or len(result.papers) == 1:
            paper.title = title
            return paper
    if result.papers or form != "listing":
        raise AtlasError(f"{source}: no entry titled '{title}' among its {len(result.papers)} paper(s)")
    lines = [line for line in source.read_text("utf-8-sig").splitlines()
             if not rules.is_chrome(line) and not rules.is_date_header(line)]
    if lines and title_key(lines[0]) == key:
        lines = lines[1:]
    abstract = "\n".join(lines).strip()
    if not abstract:
        raise UsageError(f"{source} holds no abstract")
    return RawPaper(title=title, abstract=abstract, origin=str(source))


def record_from_file(content_dir: Path, title: str, source: Path, type_: str | None = None) -> dict:
    """The record for ``title`` filled from ``source`` by the importer, marked for review.

    Raises :class:`AtlasError` when the paper is already in the atlas.
    """
    taxonomy, rules = load_taxonomy(content_dir), load_rules(content_dir)
    from .ingest import find_existing

    raw = _raw_paper(one_line(title), source, rules)
    record = normalize(raw, taxonomy, rules, note=FROM_NOTE).record
    if type_:
        if type_ not in taxonomy.types:
            raise UsageError(f"unknown type '{type_}' (expected one of: {', '.join(taxonomy.types)})")
        record["type"] = type_
    match = find_existing(record, load_content(content_dir).papers)
    if match:
        raise AtlasError(f"'{record['title']}' is already in the atlas as {match}")
    return record

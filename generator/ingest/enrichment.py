"""Completing existing records from their arXiv id or DOI, never overwriting what is written.

``compare`` says which fields a look-up would add and which it gives otherwise;
``enriched_text`` is the record file with the missing fields added, or None when the file
cannot be rewritten without loss (a YAML comment, say: the same rule as ``atlas fmt``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.fmt import canonical_data, format_record_data, schema_line
from generator.content.links import arxiv_ids_and_dois, canonical_url
from generator.content.models import Paper
from generator.content.yamlwrite import dump
from generator.ingest.identifiers import Identifier
from generator.ingest.lookup import Found
from generator.ingest.normalize import title_key

FIELDS = ("title", "abstract", "authors", "year", "venue", "volume", "issue", "pages")
"""Record fields a look-up can fill."""

LINK_KINDS = ("paper", "arxiv", "doi")
"""Link kinds a look-up can fill."""


@dataclass
class Comparison:
    """What a look-up would add to a record, and where it disagrees with it."""

    additions: dict = field(default_factory=dict)
    """Missing fields (and ``links`` kinds) with the values found."""
    differences: list[tuple[str, object, object]] = field(default_factory=list)
    """(field, the record's value, the value found) for fields written otherwise."""


def identifier_of(paper: Paper) -> tuple[Identifier | None, str | None]:
    """The identifier to look a record up by (its arXiv id, else its DOI, else None), and the
    DOI to ask Crossref about when the record has both."""
    arxivs, dois = arxiv_ids_and_dois(paper.links.values())
    first_doi = sorted(dois)[0] if dois else None
    if arxivs:
        return Identifier("arxiv", sorted(arxivs)[0]), first_doi
    return (Identifier("doi", first_doi) if first_doi else None), None


def _same(name: str, have, found) -> bool:
    if name == "authors":
        return [title_key(a) for a in have] == [title_key(a) for a in found]
    if name in ("title", "abstract", "venue"):
        return title_key(str(have)) == title_key(str(found))
    return str(have).strip() == str(found).strip()


def compare(record: dict, found: dict) -> Comparison:
    """Compare a record's fields with a looked-up record's (``found``, as ``record_for`` makes it)."""
    out = Comparison()
    for name in FIELDS:
        value = found.get(name)
        if value in (None, "", []):
            continue
        have = record.get(name)
        if have in (None, "", []):
            out.additions[name] = value
        elif not _same(name, have, value):
            out.differences.append((name, have, value))
    links = record.get("links") if isinstance(record.get("links"), dict) else {}
    present = {canonical_url(u) for u in links.values() if isinstance(u, str)}
    for kind in LINK_KINDS:
        url = found.get("links", {}).get(kind)
        if not url:
            continue
        if kind not in links:
            if url not in present:
                out.additions.setdefault("links", {})[kind] = url
        elif canonical_url(str(links[kind])) != url:
            out.differences.append((f"links.{kind}", links[kind], url))
    return out


def enrich_note(found: Found, added: list[str], today: _dt.date | None = None) -> str:
    """The sentence added to a record's notes for the fields an enrichment added."""
    day = (today or _dt.date.today()).isoformat()
    return f"{', '.join(added)} added by atlas enrich on {day} ({found.note()}); check them against the paper."


def enriched_text(path: Path, comparison: Comparison, note: str) -> tuple[str | None, dict, str]:
    """The file's new text and data with the additions and the note, or None, the data as it
    is, and the reason the file is left.

    The record's other fields are kept as they are (in the canonical form ``atlas fmt``
    writes); a file ``atlas fmt`` would refuse to rewrite (a comment, a problem) is left alone.
    """
    canonical, problems, data = format_record_data(path)
    if canonical is None:
        return None, data, f"left as it is: {problems[0].message}" if problems else "left as it is"
    for name, value in comparison.additions.items():
        if name == "links":
            data["links"] = {**(data.get("links") or {}), **value}
        else:
            data[name] = value
    data["notes"] = f"{data['notes'].rstrip()}\n\n{note}" if data.get("notes") else note
    data = canonical_data(data)
    return dump(data, header=schema_line(path)), data, ""


def describe(value) -> str:
    """A value shown in one line of the report."""
    if isinstance(value, list):
        shown = ", ".join(str(v) for v in value[:4])
        return shown + (f", ... ({len(value)} in all)" if len(value) > 4 else "")
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return repr(text if len(text) <= 80 else text[:77] + "...")

"""Turning a raw paper from any source into a record: clean text, links, type, method, task, tags."""

from __future__ import annotations

import datetime as _dt
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from generator.ingest.classify import choose_tags, choose_task, choose_type, tag_hits
from generator.ingest.method import choose_method
from generator.ingest.voices import CuratedEvidence
from generator.ingest.extraction import Rules
from generator.content.fmt import canonical_data
from generator.ingest.readers import RawPaper
from generator.content.links import assign_links, canonical_url, find_urls
from generator.content.models import Paper
from generator.content.taxonomy import Taxonomy
from generator.text import one_line, paragraphs

IMPORT_NOTE = "imported by atlas ingest; review method, task, type and tags"
"""The note every imported record carries until a curator has reviewed it."""


@dataclass
class Imported:
    """A record made from a raw paper, with the reasons for its choices."""

    record: dict
    origin: str = ""
    explain: list[str] = field(default_factory=list)


def normalize(raw: RawPaper, taxonomy: Taxonomy, rules: Rules, today: _dt.date | None = None,
              note: str = IMPORT_NOTE, curated: CuratedEvidence | None = None) -> Imported:
    """The record for a raw paper, in canonical form, empty fields left out.

    The type is chosen from the cues, the tags and the ``curated`` records most like the paper;
    a close or weak choice of type is named in the notes.

    Text is NFC with whitespace collapsed (the abstract's words are kept as they are); every URL
    in the abstract and every link the source gave is cleaned, canonical and classified, one
    kind each; a URL that finds no free kind is named in the record's notes, never dropped.
    The publisher's page the source names (``raw.landing``) becomes the ``paper`` link when that
    kind is free. Volume, issue and pages are kept as the source wrote them, on one line.
    """
    described, link_notes = bibliographic_fields(raw)
    title, abstract = described["title"], described["abstract"]
    found = tag_hits(title, abstract, taxonomy, rules)
    kind = choose_type(title, abstract, taxonomy, rules, curated, found)
    method = choose_method(title, abstract, rules)
    task = choose_task(title, abstract, kind.value, taxonomy, rules)
    tags = choose_tags(title, abstract, taxonomy, rules, found)
    notes = " ".join([*([note] if note else []), *(n + "." for n in link_notes),
                      *([kind.uncertain + "."] if kind.uncertain else [])])
    record = {
        **described,
        "type": kind.value,
        "method": method.value,
        "task": task.value,
        "tags": list(tags.value),
        "added": (today or _dt.date.today()).isoformat(),
        "notes": notes or None,
    }
    record = canonical_data({k: v for k, v in record.items() if v not in (None, "", [], {})})
    explain = [
        f"type {kind.value}: {kind.summary}",
        *(f"  {voice.describe()}" for voice in kind.voices),
        f"method {method.value or '-'}: {method.because}",
        f"task {task.value or '-'}: {task.because}",
        f"tags: {tags.because}",
        *(f"links: {n}" for n in link_notes),
    ]
    return Imported(record, raw.origin, explain)


def bibliographic_fields(raw: RawPaper) -> tuple[dict, list[str]]:
    """The fields that say which paper a raw paper is, as :func:`normalize` writes them (title,
    abstract, links, year, authors, venue, volume, issue, pages; absent ones None), and the notes
    on links that found no kind of their own."""
    abstract = paragraphs(raw.abstract) if raw.abstract else None
    links, link_notes = assign_links(_unique(raw.urls + find_urls(abstract)))
    if raw.landing and "paper" not in links and canonical_url(raw.landing) not in links.values():
        links["paper"] = canonical_url(raw.landing)
    return {
        "title": one_line(raw.title),
        "abstract": abstract,
        "links": links,
        "year": raw.year,
        "authors": [one_line(a) for a in raw.authors if one_line(a)],
        "venue": one_line(raw.venue) if raw.venue else None,
        **{key: one_line(getattr(raw, key)) for key in ("volume", "issue", "pages") if getattr(raw, key)},
    }, link_notes


def _unique(urls: list[str]) -> list[str]:
    out: list[str] = []
    for url in urls:
        if url not in out:
            out.append(url)
    return out


def as_paper(record: dict, record_id: str = "") -> Paper:
    """A record dict as a :class:`Paper` (for comparing it with the papers of the atlas)."""
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in record.items()}
    return Paper(id=record_id, **fields)


@lru_cache(maxsize=1 << 16)
def title_key(title: str) -> str:
    """A title reduced for comparison: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", title or "").casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c)).split())

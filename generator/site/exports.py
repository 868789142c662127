"""Exports for people and tools: JSON, CSV, BibTeX and an Atom feed of papers by date added.

One writer per format serves the whole atlas (``data/papers.*``, ``feed.xml``) and every slice
of it (the ``papers.*`` and ``feed.xml`` in the folder of each type, method, task and tag page):
:func:`export_files`. What one paper contributes to each format is made once per build
(:class:`PaperExports`) and joined for every list the paper is in.

Every export is deterministic: papers sorted by id (the feed by date added, then title and id)
and no build timestamps; a feed's ``updated`` is the newest ``added`` date of its papers.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from generator.content import links
from generator.content.models import Paper
from generator.fsutil import scratch_folder
from generator.site import cite
from generator.site.html import page_url, paper_path
from generator.site.index import newest_added_first

EXPORTED_FIELDS = ("id", "title", "type", "year", "method", "task", "tags", "authors", "venue", "volume",
                   "issue", "pages", "added", "abstract", "summary", "aliases")
"""Record fields in the exports (curators' ``notes`` are never published)."""

CSV_COLUMNS = ("id", "citation_key", "title", "type", "year", "method", "task", "tags", "authors", "venue",
               "volume", "issue", "pages", "added", "arxiv_id", "doi",
               *(f"link_{kind}" for kind in links.LINK_KINDS), "summary", "abstract")
"""The columns of ``papers.csv``: record fields, identifiers, one column per link kind."""

FEED_SIZE = 50
"""How many papers a feed lists."""

SITE_FILES = {"json": "data/papers.json", "csv": "data/papers.csv", "bibtex": "data/papers.bib", "atom": "feed.xml"}
"""Where the exports of the whole atlas go, by format."""

SLICE_FILES = {"json": "papers.json", "csv": "papers.csv", "bibtex": "papers.bib", "atom": "feed.xml"}
"""The exports in the folder of a page listing papers, by format."""

_FEED_NAMESPACE = uuid.UUID("6f1d8a55-3c43-4c8e-9d0c-4a0a3f3b1e2a")
_NAMESPACES = {
    "": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    "atlas": "tag:alignment-atlas,2026:bibliography",
}
"""The feed's vocabularies: Atom; Dublin Core for the year and arXiv id; PRISM (as publishers'
feeds use it) for venue, volume, number, pages and DOI; the atlas's own for the citation key."""


def paper_url(paper_id: str) -> str:
    """The page of a paper, relative to the site root."""
    return page_url(paper_path(paper_id))


def identifiers(paper: Paper, key: str) -> dict:
    """What the exports add to a record's fields: its citation key, arXiv id and DOI (from its links)."""
    return {"citation_key": key, "arxiv_id": links.arxiv_id(paper.links.get("arxiv")),
            "doi": links.doi(paper.links.get("doi"))}


def paper_data(paper: Paper, key: str) -> dict:
    """A record as published: its fields (no notes), citation key, arXiv id and DOI, links and page URL."""
    data = {key_: value for key_, value in paper.to_dict().items() if key_ in EXPORTED_FIELDS}
    data = {"id": paper.id, **data}
    data.update({k: v for k, v in identifiers(paper, key).items() if v})
    data["links"] = dict(sorted(paper.links.items(), key=lambda kv: links.LINK_KINDS.index(kv[0])))
    data["url"] = paper_url(paper.id)
    return data


def paper_json(paper: Paper, key: str) -> str:
    """A paper's entry in ``papers.json``, indented as it stands in the list."""
    # JSON escapes line breaks inside strings, so every line break here is the layout's.
    return " " + json.dumps(paper_data(paper, key), ensure_ascii=False, indent=1).replace("\n", "\n ")


def _cell(value) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def paper_csv(paper: Paper, key: str) -> str:
    """A paper's row of ``papers.csv``: lists joined with '; ', one column per link kind."""
    row = {
        "id": paper.id, "title": paper.title, "type": paper.type, "year": paper.year,
        "method": paper.method, "task": paper.task, "tags": "; ".join(paper.tags),
        "authors": "; ".join(paper.authors), "venue": paper.venue, "volume": paper.volume,
        "issue": paper.issue, "pages": paper.pages, "added": paper.added,
        "summary": paper.summary, "abstract": paper.abstract, **identifiers(paper, key),
        **{f"link_{kind}": url for kind, url in paper.links.items()},
    }
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([_cell(row.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


def _text(tag: str, value, indent: str = "    ") -> str:
    return f"{indent}<{tag}>{escape(str(value))}</{tag}>\n"


def atom_entry(paper: Paper, key: str, base: str) -> str:
    """A paper's ``<entry>`` in a feed (``base``: the site's URL, with its final slash, or "")."""
    parts = ["  <entry>\n", _text("title", paper.title),
             _text("id", f"urn:uuid:{uuid.uuid5(_FEED_NAMESPACE, paper.id)}"),
             _text("updated", f"{paper.added}T00:00:00Z"),
             f"    <link href={quoteattr(base + paper_url(paper.id))} />\n",
             f"    <category term={quoteattr(paper.type)} />\n"]
    for name in paper.authors:
        parts.append(f"    <author>\n{_text('name', name, '      ')}    </author>\n")
    text = paper.summary or paper.abstract
    if text:
        parts.append(_text("summary", " ".join(text.split())))
    found = identifiers(paper, key)
    optional = (("dc:date", paper.year), ("prism:publicationName", paper.venue), ("prism:volume", paper.volume),
                ("prism:number", paper.issue), ("prism:pageRange", paper.pages), ("prism:doi", found["doi"]),
                ("dc:identifier", found["arxiv_id"] and "arXiv:" + found["arxiv_id"]), ("atlas:citationKey", key))
    parts.extend(_text(tag, value) for tag, value in optional if value)
    parts.append("  </entry>\n")
    return "".join(parts)


@dataclass
class PaperExports:
    """What each paper contributes to every export, by id: its JSON entry, CSV row, BibTeX entry
    and feed entry. ``make(kind, paper, make)`` lets a caller remember them across builds."""

    keys: dict[str, str]
    """Citation keys by id (:func:`generator.site.cite.citation_keys`)."""
    words: object
    """The taxonomy's :class:`generator.content.taxonomy.CitationWords`."""
    base: str = ""
    """The site's URL with its final slash, or "" (feed links are then relative to the site)."""
    made: dict = field(default_factory=lambda: {"json": {}, "csv": {}, "bibtex": {}, "atom": {}})

    def get(self, kind: str, paper: Paper, remember=None) -> str:
        """``paper``'s part of the export ``kind``, made once (through ``remember(kind, paper,
        make, key)`` when given)."""
        done = self.made[kind]
        text = done.get(paper.id)
        if text is None:
            key = self.keys[paper.id]
            make = {"json": lambda: paper_json(paper, key), "csv": lambda: paper_csv(paper, key),
                    "bibtex": lambda: cite.bibtex_entry(paper, key, self.words),
                    "atom": lambda: atom_entry(paper, key, self.base)}[kind]
            text = done[paper.id] = remember(kind, paper, make, key) if remember else make()
        return text


def papers_json(papers: list[Paper], parts: PaperExports, remember=None) -> str:
    """The papers as a JSON list, sorted by id (what ``json.dumps(..., indent=1)`` writes)."""
    if not papers:
        return "[]\n"
    return "[\n" + ",\n".join(parts.get("json", p, remember) for p in _by_id(papers)) + "\n]\n"


def papers_csv(papers: list[Paper], parts: PaperExports, remember=None) -> str:
    """The papers as CSV, one row each, sorted by id, under a header of :data:`CSV_COLUMNS`."""
    return ",".join(CSV_COLUMNS) + "\n" + "".join(parts.get("csv", p, remember) for p in _by_id(papers))


def papers_bib(papers: list[Paper], parts: PaperExports, remember=None) -> str:
    """The papers as BibTeX, sorted by id."""
    return "\n".join(parts.get("bibtex", p, remember) for p in _by_id(papers))


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself: its title, subtitle and author, the folder it is in
    (relative to the site root with its final slash, "" for the site's own feed) and the page
    it belongs to (likewise)."""

    title: str
    subtitle: str
    author: str
    """Who publishes the feed: the site's name."""
    folder: str = ""
    page: str = ""


def atom_feed(papers: list[Paper], parts: PaperExports, info: FeedInfo, remember=None) -> str:
    """An Atom feed of the :data:`FEED_SIZE` papers added most recently."""
    base = parts.base
    recent = newest_added_first(papers, FEED_SIZE)
    newest = recent[0].added if recent else "1970-01-01"
    name = "feed" if not info.folder else "feed:" + info.folder
    spaces = " ".join(f"xmlns{':' + prefix if prefix else ''}={quoteattr(uri)}" for prefix, uri in _NAMESPACES.items())
    if info.folder and not base:
        # Links are from the site root, as in the site's own feed: xml:base leads there.
        spaces += f" xml:base={quoteattr('../' * info.folder.count('/'))}"
    head = [
        '<?xml version="1.0" encoding="utf-8"?>\n', f"<feed {spaces}>\n",
        _text("title", info.title, "  "), _text("subtitle", info.subtitle, "  "),
        _text("id", f"urn:uuid:{uuid.uuid5(_FEED_NAMESPACE, name)}", "  "),
        _text("updated", f"{newest}T00:00:00Z", "  "),
        f"  <link href={quoteattr(base + info.folder + 'feed.xml')} rel=\"self\" />\n",
        f"  <link href={quoteattr(base + info.page if base or info.page else './')} />\n",
        f"  <author>\n{_text('name', info.author)}  </author>\n",
    ]
    return "".join(head) + "".join(parts.get("atom", p, remember) for p in recent) + "</feed>\n"


def export_files(paths: dict[str, str], papers: list[Paper], parts: PaperExports, feed: FeedInfo,
                 remember=None) -> list[tuple[str, str]]:
    """The four exports of ``papers`` as (path, text), at ``paths`` by format
    (:data:`SITE_FILES`, or :data:`SLICE_FILES` under a page's folder)."""
    return [
        (paths["json"], papers_json(papers, parts, remember)),
        (paths["csv"], papers_csv(papers, parts, remember)),
        (paths["bibtex"], papers_bib(papers, parts, remember)),
        (paths["atom"], atom_feed(papers, parts, feed, remember)),
    ]


class ExportFolder:
    """A temporary folder on disk that a build writes each export into as soon as it is made, so
    that it holds one export's text at a time instead of every slice until MkDocs writes them
    (about 38 MB at 1,000 papers, 357 MB at 10,000). It is in the usual temporary folder, never in
    the memory-backed one (:func:`generator.fsutil.scratch_folder` with ``memory=False``): saving
    memory is its point."""

    def __init__(self):
        self.folder = scratch_folder("atlas-exports-", memory=False)
        self._made: set[Path] = set()

    def write(self, path: str, text: str) -> str:
        """Write the export at ``path`` (relative to the site) with ``text``, its line breaks as
        they are; returns the file's absolute path."""
        target = self.folder / path
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        with open(target, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return str(target)

    def remove(self) -> None:
        """Delete the folder and what it holds."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self._made.clear()


def _by_id(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: p.id)

"""Exports for people and tools: JSON, CSV, BibTeX and an Atom feed of papers by date added.

Every export is deterministic: records sorted by id (the feed by date added, then id) and no
build timestamps; the feed's ``updated`` is the newest ``added`` date.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import xml.etree.ElementTree as ET

from pylatexenc.latexencode import unicode_to_latex

from generator.content import links
from generator.site.index import PaperIndex
from generator.content.models import Paper

EXPORTED_FIELDS = ("id", "title", "type", "year", "method", "task", "tags", "authors", "venue", "added",
                   "abstract", "summary", "aliases")
"""Record fields in the exports (curators' ``notes`` are never published)."""

FEED_SIZE = 50
"""How many papers the feed lists."""

_HYPHEN_RUN = re.compile(r"-(?=-)")
"""A hyphen followed by another, which LaTeX would join into an en or em dash."""

_FEED_NAMESPACE = uuid.UUID("6f1d8a55-3c43-4c8e-9d0c-4a0a3f3b1e2a")


def paper_url(paper_id: str) -> str:
    """The page of a paper, relative to the site root."""
    return f"papers/{paper_id}/"


def paper_data(paper: Paper) -> dict:
    """A record as published: its fields (no notes), links and page URL."""
    data = {key: value for key, value in paper.to_dict().items() if key in EXPORTED_FIELDS}
    data = {"id": paper.id, **data}
    data["links"] = dict(sorted(paper.links.items(), key=lambda kv: links.LINK_KINDS.index(kv[0])))
    data["url"] = paper_url(paper.id)
    return data


def paper_json(paper: Paper) -> str:
    """A paper's entry in ``papers.json``, indented as it stands in the list."""
    # JSON escapes line breaks inside strings, so every line break here is the layout's.
    return " " + json.dumps(paper_data(paper), ensure_ascii=False, indent=1).replace("\n", "\n ")


def papers_json(index: PaperIndex, entries: dict[str, str] | None = None) -> str:
    """Every paper as a JSON list, sorted by id (what ``json.dumps(..., indent=1)`` writes);
    ``entries`` are the papers' :func:`paper_json` by id, when made already."""
    if not index.papers:
        return "[]\n"
    if entries is None:
        entries = {p.id: paper_json(p) for p in index.papers}
    return "[\n" + ",\n".join(entries[p.id] for p in index.papers) + "\n]\n"


def _cell(value) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def papers_csv(index: PaperIndex) -> str:
    """Every paper as CSV, one row each; lists joined with '; ', one column per link kind."""
    columns = ["id", "title", "type", "year", "method", "task", "tags", "authors", "venue", "added",
               *(f"link_{kind}" for kind in links.LINK_KINDS), "summary", "abstract"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for paper in index.papers:
        row = {
            "id": paper.id, "title": paper.title, "type": paper.type, "year": paper.year,
            "method": paper.method, "task": paper.task, "tags": "; ".join(paper.tags),
            "authors": "; ".join(paper.authors), "venue": paper.venue, "added": paper.added,
            "summary": paper.summary, "abstract": paper.abstract,
            **{f"link_{kind}": url for kind, url in paper.links.items()},
        }
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


def _to_latex(text: str) -> str:
    return unicode_to_latex(text, non_ascii_only=False, unknown_char_policy="keep", unknown_char_warning=False)


_KEPT_AS_IS = frozenset(c for c in map(chr, range(32, 127)) if _to_latex(c) == c)
"""ASCII characters the encoder writes unchanged: text made only of them needs no encoding."""


def latex(value) -> str:
    """Text escaped for a BibTeX field: LaTeX specials and non-ASCII letters as LaTeX.

    Runs of hyphens are split (``-{}-``) so that LaTeX prints them as written, not as dashes.
    """
    text = " ".join(str(value).split())
    if not _KEPT_AS_IS.issuperset(text):
        text = _to_latex(text)
    return _HYPHEN_RUN.sub("-{}", text)


def bibtex_entry(paper: Paper) -> str:
    """A BibTeX entry for a paper; the key is its id."""
    fields: list[tuple[str, str]] = [("title", "{" + latex(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(latex(a) for a in paper.authors)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.venue:
        # A record does not say whether its venue is a journal or a conference: @misc fits both.
        fields.append(("howpublished", latex(paper.venue)))
    doi = links.doi(paper.links.get("doi"))
    if doi:
        fields.append(("doi", latex(doi)))
    arxiv = links.arxiv_id(paper.links.get("arxiv"))
    if arxiv:
        fields.extend([("eprint", latex(arxiv)), ("archivePrefix", "arXiv")])
    url = paper.links.get("paper") or paper.links.get("arxiv") or paper.links.get("doi")
    if url:
        fields.append(("url", latex(url) if "{" in url or "}" in url or "\\" in url else url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{paper.id},\n{body}\n}}\n"


def papers_bib(index: PaperIndex, entries: dict[str, str] | None = None) -> str:
    """Every paper as BibTeX, sorted by id; ``entries`` are the papers' entries by id, when made already."""
    if entries is None:
        entries = {p.id: bibtex_entry(p) for p in index.papers}
    return "\n".join(entries[p.id] for p in index.papers)


def atom_feed(index: PaperIndex, site_name: str, site_url: str | None) -> str:
    """An Atom feed of the papers added most recently."""
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    newest = index.newest_added() or "1970-01-01"
    atom = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", atom)
    feed = ET.Element(f"{{{atom}}}feed")

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{atom}}}{tag}", {k: v for k, v in attrs.items()})
        if text is not None:
            element.text = text
        return element

    sub(feed, "title", site_name)
    sub(feed, "subtitle", "Papers added to the atlas, newest first.")
    sub(feed, "id", f"urn:uuid:{uuid.uuid5(_FEED_NAMESPACE, 'feed')}")
    sub(feed, "updated", f"{newest}T00:00:00Z")
    sub(feed, "link", href=base + "feed.xml", rel="self")
    sub(feed, "link", href=base or "./")
    author = sub(feed, "author")
    sub(author, "name", site_name)
    for paper in index.recent(FEED_SIZE):
        entry = sub(feed, "entry")
        sub(entry, "title", paper.title)
        sub(entry, "id", f"urn:uuid:{uuid.uuid5(_FEED_NAMESPACE, paper.id)}")
        sub(entry, "updated", f"{paper.added}T00:00:00Z")
        sub(entry, "link", href=base + paper_url(paper.id))
        sub(entry, "category", term=paper.type)
        for name in paper.authors:
            sub(sub(entry, "author"), "name", name)
        text = paper.summary or paper.abstract
        if text:
            sub(entry, "summary", " ".join(text.split()))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"

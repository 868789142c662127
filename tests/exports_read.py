"""Reading a built site's exports back, the atlas's own (``data/papers.*``, ``feed.xml``) and the
slice in the folder of each type, method, task and tag page, as the tests compare them."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

ATOM = "{http://www.w3.org/2005/Atom}"
PRISM = "{http://prismstandard.org/namespaces/basic/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
ATLAS = "{tag:alignment-atlas,2026:bibliography}"
LISTING_KINDS = ("types", "methods", "tasks", "tags")
SLICE_FILES = ("papers.bib", "papers.json", "papers.csv", "feed.xml")


@dataclass
class Exports:
    """One set of exports, read back: JSON records, CSV rows and feed entries by paper id,
    BibTeX entries by citation key (bibtexparser's), and the feed itself."""

    json: dict
    csv: dict
    bib: dict
    bib_text: str
    feed: ET.Element
    entries: dict

    @property
    def ids(self) -> list[str]:
        return list(self.json)


def listing_folders(site: Path) -> list[str]:
    """The folder of every type, method, task and tag page (``tags/dpo/``), sorted."""
    return sorted(p.parent.relative_to(site).as_posix() + "/" for kind in LISTING_KINDS
                  for p in (site / kind).glob("*/index.html"))


def read_exports(site: Path, folder: str = "") -> Exports:
    """The exports in ``folder`` (a listing's, as :func:`listing_folders` names it), or the
    atlas's own with ``folder`` empty."""
    import bibtexparser

    names = {"json": "data/papers.json", "csv": "data/papers.csv", "bib": "data/papers.bib", "atom": "feed.xml"}
    if folder:
        names = {"json": folder + "papers.json", "csv": folder + "papers.csv", "bib": folder + "papers.bib",
                 "atom": folder + "feed.xml"}
    records = json.loads((site / names["json"]).read_text("utf-8"))
    rows = list(csv.DictReader(io.StringIO((site / names["csv"]).read_text("utf-8"))))
    bib_text = (site / names["bib"]).read_text("utf-8")
    library = bibtexparser.parse_string(bib_text)
    assert not library.failed_blocks, names["bib"]
    feed = ET.fromstring((site / names["atom"]).read_bytes())
    base = feed.get("{http://www.w3.org/XML/1998/namespace}base") or ""
    entries = {}
    for entry in feed.findall(f"{ATOM}entry"):
        # Entry links are read as a feed reader reads them: against the feed's address and xml:base.
        href = urljoin(urljoin("/" + names["atom"], base), entry.find(f"{ATOM}link").get("href"))
        entries[href.strip("/").split("/")[1]] = entry
    assert len(rows) == len(records) == len(library.entries), folder
    return Exports({r["id"]: r for r in records}, {r["id"]: r for r in rows},
                   {e.key: e for e in library.entries}, bib_text, feed, entries)


class _PaperLinks(HTMLParser):
    """The papers a page's content links to (inside its <article>), by id."""

    def __init__(self, path: str):
        super().__init__()
        self.path, self.papers, self.links, self._in_article = path, set(), [], False

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self._in_article = True
        href = dict(attrs).get("href") if tag == "a" and self._in_article else None
        if href:
            self.links.append(href)
            target = urljoin("/" + self.path, href).strip("/").split("/")
            if len(target) == 2 and target[0] == "papers":
                self.papers.add(target[1])

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article = False


def page_links(site: Path, folder: str) -> _PaperLinks:
    """The links of the page in ``folder`` (inside its article), and the papers among them."""
    parser = _PaperLinks(folder + "index.html")
    parser.feed((site / folder / "index.html").read_text("utf-8"))
    return parser


def listing_papers(site: Path, folder: str) -> set[str]:
    """Every paper a listing lists: on its page in ``folder`` and on the pages below it (its
    further pages ``page/N/``, its A-Z pages and, for a type, its sub-groups' listings)."""
    pages = sorted((site / folder).rglob("index.html"))
    return set().union(*(page_links(site, p.parent.relative_to(site).as_posix() + "/").papers for p in pages))


def bibtex_names(value: str) -> list[str]:
    """The names of a BibTeX ``author`` field: split at each " and " outside braces, as BibTeX
    splits them (bibtexparser's own splitter drops the backslash of a name's opening macro)."""
    names, depth, start, i = [], 0, 0, 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and value.startswith(" and ", i):
            names.append(value[start:i])
            start = i = i + 5
            continue
        i += 1
    return [*names, value[start:]] if value else names

"""Looking a paper up by its identifier: the arXiv API for arXiv ids, Crossref for DOIs.

``look_up`` returns the paper as a raw paper (as the readers do) with a note naming the source
of each field; ``record_for`` turns it into a record the way ``atlas new --from`` does, checked
by ``atlas validate``'s rules; :class:`IdentifierIndex` finds the record of the atlas it already is.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from generator.content.links import arxiv_id, arxiv_ids_and_dois, doi
from generator.content.models import Paper
from generator.errors import AtlasError, LookupFailed, NotFound
from generator.ingest.crossref import fetch_work, http_url
from generator.ingest.http import RateLimiter, Session, get
from generator.ingest.identifiers import Identifier
from generator.ingest.readers import RawPaper, SourceError, read_atom
from generator.ingest.untrusted import FieldCleaner, plain_text

DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
"""The arXiv API, used when ``ATLAS_ARXIV_API`` is not set."""

ARXIV_INTERVAL = 3.0
"""Seconds between two requests to the arXiv API, as its terms of use ask."""

ARXIV_LIMITER = RateLimiter(ARXIV_INTERVAL)
"""The one limiter of every arXiv request this process makes."""

_FIELDS = ("title", "abstract", "authors", "year", "venue", "volume", "issue", "pages")


@dataclass
class Found:
    """A paper as a web API gave it, and where each of its fields came from."""

    identifier: Identifier
    paper: RawPaper
    sources: list[str] = field(default_factory=list)
    """One phrase per source: ``title, authors, year from the arXiv API entry 2305.18290``."""
    cleaning: list[str] = field(default_factory=list)
    """What was removed from the answers (invisible characters), for the notes."""

    def note(self) -> str:
        """The sources and the cleaning as one sentence for the record's notes."""
        return "; ".join(self.sources + self.cleaning)


def arxiv_api_url(ident: str) -> str:
    """The arXiv API query for one id."""
    base = os.environ.get("ATLAS_ARXIV_API") or DEFAULT_ARXIV_API
    return f"{base}{'&' if '?' in base else '?'}id_list={quote(ident, safe='/')}"


def _filled(paper: RawPaper, names=_FIELDS) -> list[str]:
    return [name for name in names if getattr(paper, name)]


def fetch_arxiv(ident: str, session: Session, limiter: RateLimiter | None = None) -> tuple[RawPaper, list[str]]:
    """The arXiv API entry of ``ident`` as a raw paper with plain text, and the cleaning done.

    Raises :class:`NotFound` when the API answers with no entry or with its error entry.
    """
    what = f"arXiv API, {ident}"
    response = get(arxiv_api_url(ident), what, session, accept="application/atom+xml",
                   limiter=limiter or ARXIV_LIMITER, answers=(400, 404))
    text = response.text(what)
    if not text.lstrip().startswith("<"):
        raise LookupFailed(f"{what}: the answer is not Atom XML")
    try:
        read = read_atom(text, what, None)
    except SourceError as exc:
        raise LookupFailed(str(exc)) from None
    if not read.papers:
        said = next((w.partition("answered with an error: ")[2] for w in read.warnings if "answered with an error: " in w), "no entry")
        raise NotFound(f"{what}: unknown arXiv id ({plain_text(said)[0][:100]})")
    if response.status != 200:
        raise LookupFailed(f"{what}: the server answered HTTP {response.status}")
    paper = next((p for p in read.papers if arxiv_id(p.urls[0]) == ident), None)
    if paper is None:
        raise LookupFailed(f"{what}: the answer is about another paper ({arxiv_id(read.papers[0].urls[0])})")
    return clean_paper(paper)


def clean_paper(paper: RawPaper) -> tuple[RawPaper, list[str]]:
    """The paper with every text field made plain; returns it and the notes on what was removed."""
    clean = FieldCleaner()
    notes = clean.notes
    paper.title = clean("title", paper.title)
    paper.abstract = clean("abstract", paper.abstract, paragraphs=True) or None
    paper.authors = [a for a in (clean("authors", a) for a in paper.authors) if a]
    for name in ("venue", "volume", "issue", "pages"):
        setattr(paper, name, clean(name, getattr(paper, name)) or None)
    kept = [url for url in paper.urls if http_url(url)]
    dropped = len(paper.urls) - len(kept)
    if dropped:
        notes.append(f"dropped {dropped} link(s) that were not one plain http(s) URL")
    paper.urls = kept
    if not paper.title:
        raise LookupFailed(f"{paper.origin}: the entry has no title")
    return paper, notes


def look_up(identifier: Identifier, session: Session | None = None, doi_hint: str | None = None) -> Found:
    """The paper ``identifier`` names, from the arXiv API (and Crossref for the DOI an arXiv
    entry names, else for ``doi_hint``: the DOI a record already links) or from Crossref.
    Raises :class:`NotFound` or :class:`LookupFailed`."""
    session = session or Session()
    if identifier.kind == "doi":
        work = fetch_work(identifier.value, session)
        found = Found(identifier, work.paper, cleaning=work.notes)
        found.sources.append(f"{', '.join(_filled(work.paper))} from Crossref {identifier.value}")
        return found
    paper, cleaning = fetch_arxiv(identifier.value, session)
    found = Found(identifier, paper, cleaning=cleaning)
    found.sources.append(f"{', '.join(_filled(paper))} from the arXiv API entry {identifier.value}")
    named = next((doi(u) for u in paper.urls if doi(u)), None)
    if named is None and doi_hint:
        named = doi_hint
        paper.urls.append(f"https://doi.org/{doi_hint}")
    if named:
        try:
            work = fetch_work(named, session)
        except NotFound:
            found.sources.append(f"Crossref does not know the DOI {named}")
            return found
        taken = []
        for name in ("venue", "volume", "issue", "pages", "landing"):
            value = getattr(work.paper, name)
            if value:
                setattr(paper, name, value)
                taken.append("publisher page" if name == "landing" else name)
        found.cleaning += [n for n in work.notes if any(w in n for w in ("venue", "volume", "issue", "pages"))]
        if taken:
            found.sources.append(f"{', '.join(taken)} from Crossref {named}")
    return found


class IdentifierIndex:
    """The records of the atlas by the arXiv ids and DOIs their links name, read once."""

    def __init__(self, papers: list[Paper]):
        self._first: dict[tuple[str, str], tuple[int, Paper]] = {}
        for position, paper in enumerate(papers):
            arxivs, dois = arxiv_ids_and_dois(paper.links.values())
            for key in [("arxiv", a) for a in arxivs] + [("doi", d) for d in dois]:
                self._first.setdefault(key, (position, paper))

    def already_present(self, arxivs: set[str], dois: set[str]) -> Paper | None:
        """The first record naming one of these arXiv ids or DOIs, or None."""
        found = [self._first[key] for key in [("arxiv", a) for a in arxivs] + [("doi", d) for d in dois]
                 if key in self._first]
        return min(found, key=lambda hit: hit[0])[1] if found else None


def lookup_note(found: Found, command: str, today: _dt.date | None = None) -> str:
    """The note a record made from a look-up carries: each field's source, and a request to review."""
    day = (today or _dt.date.today()).isoformat()
    return (f"{found.note()}; looked up by {command} on {day}. Check title, authors, year and venue "
            "against the paper, and review method, task, type and tags")


def record_for(found: Found, content_dir: Path, taxonomy, rules, today: _dt.date | None = None,
               curated=None) -> dict:
    """The record for a looked-up paper, with type, method, task and tags guessed as
    ``atlas new --from`` does (``curated``: the reviewed records voting for the type), and its
    notes naming the sources.

    Raises :class:`AtlasError` when the record would fail ``atlas validate`` even after the
    answer's text was made plain (a title over the length limit, say): nothing is written then.
    """
    from generator.ingest.normalize import normalize

    record = normalize(found.paper, taxonomy, rules, today=today, note=lookup_note(found, "atlas new", today),
                       curated=curated).record
    return _valid(found, content_dir, record, taxonomy)


def fields_for(found: Found, content_dir: Path, taxonomy, type_: str) -> dict:
    """The fields of a looked-up paper that say which paper it is, as :func:`record_for` writes
    them (title, abstract, authors, year, venue, volume, issue, pages, links), with no type,
    method, task or tags guessed: what ``atlas enrich`` compares a record with. ``type_`` is the
    record's own type, so the fields are checked as a whole record.

    Raises :class:`AtlasError` as :func:`record_for` does.
    """
    from generator.content.fmt import canonical_data
    from generator.ingest.normalize import bibliographic_fields

    described, _link_notes = bibliographic_fields(found.paper)
    record = canonical_data({k: v for k, v in {**described, "type": type_}.items() if v not in (None, "", [], {})})
    return _valid(found, content_dir, record, taxonomy)


def _valid(found: Found, content_dir: Path, record: dict, taxonomy) -> dict:
    """``record``, when ``atlas validate`` would pass it; else :class:`AtlasError`."""
    from generator.ingest.drafts import record_problems
    from generator.text import slug

    problems = record_problems(content_dir, slug(record["title"]), record, taxonomy)
    if problems:
        details = "; ".join(f"{p.field}: {p.message}" for p in problems[:3])
        raise AtlasError(f"{found.identifier}: the answer does not make a valid record ({details}); nothing written")
    return record

"""Crossref's REST API: ``GET {ATLAS_CROSSREF_API}/works/{doi}`` read into a raw paper.

The JSON is untrusted: every field is checked for its shape, text is made plain
(:mod:`generator.ingest.untrusted`) and only http(s) links are kept.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from generator.errors import LookupFailed, NotFound
from generator.ingest.http import Session, get
from generator.ingest.readers import RawPaper
from generator.ingest.untrusted import FieldCleaner, plain_text

DEFAULT_API = "https://api.crossref.org"
"""Crossref's REST API, used when ``ATLAS_CROSSREF_API`` is not set."""

MAX_AUTHORS = 500
"""Authors a record holds at most (the schema's limit); further ones are named in the notes."""

_HTTP_URL = re.compile(r"^https?://[!-~]+$", re.IGNORECASE)
_UNSAFE_IN_URL = set("<>\"'`\\")


@dataclass
class CrossrefWork:
    """What Crossref says of one DOI: the raw paper, the work's type and the cleaning done."""

    paper: RawPaper
    kind: str = ""
    """Crossref's type (``journal-article``, ``proceedings-article``, ``posted-content``, ...)."""
    notes: list[str] = field(default_factory=list)
    """What was removed or cut from the answer, for the record's notes."""


def api_url(doi: str) -> str:
    """The Crossref URL of a DOI's metadata."""
    base = os.environ.get("ATLAS_CROSSREF_API") or DEFAULT_API
    return f"{base.rstrip('/')}/works/{quote(doi, safe='/')}"


def http_url(value) -> str | None:
    """``value`` when it is one plain http(s) URL with a host, else None."""
    if not isinstance(value, str) or not _HTTP_URL.match(value.strip()) or _UNSAFE_IN_URL & set(value):
        return None
    value = value.strip()
    return value if urlsplit(value).hostname else None


def fetch_work(doi: str, session: Session) -> CrossrefWork:
    """Crossref's record of ``doi``. Raises :class:`NotFound` (a 404) or :class:`LookupFailed`."""
    what = f"Crossref, DOI {doi}"
    response = get(api_url(doi), what, session, accept="application/json")
    if response.status == 404:
        raise NotFound(f"{what}: unknown DOI (Crossref: {_short(response.body)})")
    return read_work(response.text(what), doi, what)


def _short(body: bytes) -> str:
    text, _ = plain_text(body[:200].decode("utf-8", "replace"))
    return text[:80] or "no message"


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _year(message: dict) -> int | None:
    for key in ("issued", "published-print", "published-online", "published"):
        parts = message.get(key, {}).get("date-parts") if isinstance(message.get(key), dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = parts[0][0]
            if isinstance(year, int) and not isinstance(year, bool) and 1900 <= year <= 2100:
                return year
    return None


def _landing(message: dict) -> str | None:
    resource = message.get("resource")
    primary = resource.get("primary") if isinstance(resource, dict) else None
    found = http_url(primary.get("URL")) if isinstance(primary, dict) else None
    if found and (urlsplit(found).hostname or "").lower() not in {"doi.org", "dx.doi.org"}:
        return found
    for link in message.get("link") if isinstance(message.get("link"), list) else []:
        if isinstance(link, dict) and link.get("content-type") == "text/html" and http_url(link.get("URL")):
            return http_url(link.get("URL"))
    return None


def read_work(text: str, doi: str, what: str = "Crossref") -> CrossrefWork:
    """A Crossref ``/works/{doi}`` answer as a :class:`CrossrefWork`.

    Raises :class:`LookupFailed` when the text is not the JSON Crossref sends for a work.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise LookupFailed(f"{what}: the answer is not JSON") from None
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict) or data.get("message-type", "work") != "work":
        raise LookupFailed(f"{what}: the answer is not a Crossref work record")
    clean = FieldCleaner()
    titles = _strings(message.get("title"))
    title = clean("title", titles[0] if titles else "")
    if not title:
        raise LookupFailed(f"{what}: the work has no title")
    people = [a for a in message.get("author", []) if isinstance(a, dict)] if isinstance(message.get("author"), list) else []
    people.sort(key=lambda a: 0 if a.get("sequence") == "first" else 1)
    authors = []
    for person in people:
        name = " ".join(p for p in (_strings(person.get("given"))[:1] + _strings(person.get("family"))[:1]) if p)
        name = clean("authors", name or (_strings(person.get("name")) or [""])[0])
        if name:
            authors.append(name)
    if len(authors) > MAX_AUTHORS:
        clean.notes.append(f"Crossref lists {len(authors)} authors; the first {MAX_AUTHORS} are kept")
        authors = authors[:MAX_AUTHORS]
    venue = clean("venue", (_strings(message.get("container-title")) or [""])[0])
    numbers = {key: clean(key, str(message[src]) if isinstance(message.get(src), (str, int)) else "")
               for key, src in (("volume", "volume"), ("issue", "issue"), ("pages", "page"))}
    kind = message.get("type") if isinstance(message.get("type"), str) else ""
    paper = RawPaper(
        title=title,
        abstract=clean("abstract", message.get("abstract"), paragraphs=True) or None,
        authors=authors,
        year=_year(message),
        venue=venue or None,
        volume=numbers["volume"] or None,
        issue=numbers["issue"] or None,
        pages=numbers["pages"] or None,
        urls=[f"https://doi.org/{doi}"],
        landing=_landing(message),
        origin=f"Crossref {doi}",
    )
    return CrossrefWork(paper, clean("type", kind), clean.notes)

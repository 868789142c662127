"""Paper identifiers as people paste them: arXiv ids, DOIs and their URLs.

``parse_identifier`` tells an identifier from a title, so ``atlas new`` can take either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from generator.content.links import arxiv_doi_id, arxiv_id, doi, is_arxiv_id
from generator.errors import UsageError, printable

_DOI = re.compile(r"10\.\d{4,9}/[^\s]+", re.ASCII)
_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}


@dataclass(frozen=True)
class Identifier:
    """An arXiv id (without version) or a DOI (lowercase), as the atlas links them."""

    kind: str
    """``arxiv`` or ``doi``."""
    value: str

    @property
    def url(self) -> str:
        """The link the record gets for it."""
        if self.kind == "arxiv":
            return f"https://arxiv.org/abs/{self.value}"
        return f"https://doi.org/{self.value}"

    def __str__(self) -> str:
        return f"arXiv {self.value}" if self.kind == "arxiv" else f"DOI {self.value}"


def _arxiv(text: str) -> Identifier | None:
    found = arxiv_id("arxiv:" + text)
    return Identifier("arxiv", found) if found else None


def _doi(text: str) -> Identifier | None:
    found = doi(text)
    if not found or found != text.strip().lower() or {".", ".."} & set(found.split("/")):
        return None  # a DOI cut short, or one with path steps that would leave the API's /works/
    preprint = arxiv_doi_id(found)  # arXiv's own DOIs name the arXiv id
    return Identifier("arxiv", preprint) if preprint else Identifier("doi", found)


def parse_identifier(text: str) -> Identifier | None:
    """The identifier ``text`` is, or None when it is not one (a title, say).

    Reads ``2305.18290``, ``2305.18290v3``, ``hep-th/9901001``, ``arXiv:2305.18290``,
    ``10.1093/bioinformatics/bty191``, ``doi:10.1093/...``, and the URLs
    ``https://arxiv.org/abs/ID``, ``/pdf/ID`` (with or without ``.pdf`` and version),
    ``https://doi.org/DOI`` and ``https://dx.doi.org/DOI``. Raises :class:`UsageError` for an
    arxiv.org or doi.org URL that names no identifier it can read.
    """
    text = (text or "").strip()
    if not text or any(c.isspace() for c in text):
        return None
    lowered = text.lower()
    if lowered.startswith("arxiv:"):
        return _arxiv(text[6:]) if is_arxiv_id(text[6:]) else None
    if lowered.startswith("doi:"):
        return _doi(text[4:])
    if is_arxiv_id(text):
        return _arxiv(text)
    if _DOI.fullmatch(text):
        return _doi(text)
    if "://" not in text and re.match(r"(www\.|dx\.)?(arxiv|doi)\.org/", lowered):
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https"):
        return None
    found = None
    if host in _ARXIV_HOSTS:
        path = re.sub(r"\.pdf$", "", parts.path, flags=re.I)
        match = re.fullmatch(r"/(?:abs|pdf|html)/(.+?)/?", path)
        found = _arxiv(match.group(1)) if match and is_arxiv_id(match.group(1)) else None
    elif host in _DOI_HOSTS:
        found = _doi(unquote(parts.path.lstrip("/")))
    else:
        return None
    if found is None:
        raise UsageError(f"cannot read an arXiv id or a DOI in {printable(text)!r}")
    return found

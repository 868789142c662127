"""URLs: canonical form, kind, and the identifiers they carry (arXiv id, DOI, code repository)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit, urlunsplit

HTTPS_HOSTS = {
    "github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co", "arxiv.org",
    "doi.org", "aclanthology.org", "openreview.net", "proceedings.mlr.press", "papers.nips.cc",
    "proceedings.neurips.cc", "openaccess.thecvf.com", "ieeexplore.ieee.org", "dl.acm.org",
    "link.springer.com", "www.nature.com", "academic.oup.com", "www.biorxiv.org",
    "www.medrxiv.org", "anonymous.4open.science", "sites.google.com", "zenodo.org", "kaggle.com",
    "www.kaggle.com", "colab.research.google.com", "pypi.org",
}
"""Hosts known to serve https, so an http:// link to them is upgraded."""

CODE_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "anonymous.4open.science"}
"""Hosts whose links are source code."""

_ARXIV_ID = re.compile(r"(?:(?<=/)|(?<=arxiv:)|^)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?=$|[/?#.]|\.pdf)", re.I)
_DOI = re.compile(r"\b(10\.\d{4,9}/\S+)", re.I)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)")
_BARE_ARXIV = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Za-z]{2})?/\d{7}(?:v\d+)?", re.ASCII)
_TRAILING = ".,;:!?)]}>\"'\u201d\u2019*"

LINK_KINDS = ("paper", "arxiv", "doi", "code", "project", "model", "dataset", "demo", "other")
"""Kinds of link a record may carry, in the order records and pages list them."""

LINK_KINDS_ORDER = {k: i for i, k in enumerate(LINK_KINDS)}
"""Position of each link kind in a record's canonical order."""


def canonical_url(url: str) -> str:
    """The canonical form of a URL: https where the host serves it, lowercase host, no
    trailing slash or punctuation, arXiv links as ``/abs/<id>`` without version, DOIs on
    ``doi.org``, GitHub repositories without ``.git``."""
    url = url.strip()
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port:
        host = f"{host}:{parts.port}"
    if host in {"dx.doi.org", "www.doi.org"}:
        host = "doi.org"
    if host == "www.arxiv.org" or host == "export.arxiv.org":
        host = "arxiv.org"
    if host == "www.github.com":
        host = "github.com"
    if scheme == "http" and host in HTTPS_HOSTS:
        scheme = "https"
    path = parts.path
    if host == "arxiv.org":
        found = _ARXIV_ID.search(path)
        if found and re.match(r"^/(abs|pdf|html)/", path):
            path = f"/abs/{found.group(1)}"
    if host in CODE_HOSTS and path.endswith(".git"):
        path = path[:-4]
    if len(path) > 1:
        path = path.rstrip("/")
    elif path == "/":
        path = ""
    query = parts.query
    return urlunsplit((scheme, host, path, query, parts.fragment))


def classify(url: str) -> str:
    """The link kind of a URL (one of the record's link kinds)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path
    if host.endswith("arxiv.org"):
        return "arxiv"
    if host in {"doi.org", "dx.doi.org"}:
        return "doi"
    if host in CODE_HOSTS or host.endswith(".github.com"):
        return "code"
    if host == "huggingface.co":
        if path.startswith("/datasets/"):
            return "dataset"
        if path.startswith("/spaces/"):
            return "demo"
        if path.startswith("/papers/"):
            return "paper"
        return "model"
    if host in {"aclanthology.org", "openreview.net", "proceedings.mlr.press", "papers.nips.cc",
                "proceedings.neurips.cc", "openaccess.thecvf.com", "ieeexplore.ieee.org", "dl.acm.org",
                "link.springer.com", "www.biorxiv.org", "www.medrxiv.org"}:
        return "paper"
    return "project"


@lru_cache(maxsize=1 << 16)
def arxiv_id(url: str | None) -> str | None:
    """The arXiv identifier (without version) of an arXiv URL or ``arXiv:`` reference (remembered:
    the exports, the BibTeX entry and the duplicate check each ask for it)."""
    if not url:
        return None
    text = url.strip()
    if text.lower().startswith("arxiv:"):
        text = text[6:]
    elif "arxiv.org" in text.lower():
        text = urlsplit(text).path
    else:
        return None
    found = _ARXIV_ID.search(text)
    return found.group(1).lower() if found else None


@lru_cache(maxsize=1 << 16)
def doi(value: str | None) -> str | None:
    """A DOI in normal form (lowercase, no URL prefix), from a DOI or a doi.org URL (remembered,
    as :func:`arxiv_id`)."""
    if not value:
        return None
    found = _DOI.search(value.strip())
    if not found:
        return None
    return found.group(1).rstrip(_TRAILING).lower()


def is_arxiv_id(text: str) -> bool:
    """Whether ``text`` is an arXiv id written alone (``2305.18290``, ``2305.18290v3``,
    ``hep-th/9901001``)."""
    return bool(_BARE_ARXIV.fullmatch(text))


def arxiv_doi_id(value: str) -> str | None:
    """The arXiv id (without version) that one of arXiv's own DOIs names
    (``10.48550/arxiv.2305.18290``, in the normal form :func:`doi` gives), or None."""
    found = _ARXIV_DOI.fullmatch(value)
    if not found or not is_arxiv_id(found.group(1)):
        return None
    return arxiv_id("arxiv:" + found.group(1))


def arxiv_ids_and_dois(urls) -> tuple[set[str], set[str]]:
    """The arXiv ids and the DOIs some links name. arXiv's own DOIs count as arXiv ids, and a
    DOI link's percent escapes are read (``10.1002%2F...`` is ``10.1002/...``)."""
    arxivs, dois = set(), set()
    for url in urls:
        lowered = url.lower()
        if "arxiv" in lowered and (found := arxiv_id(url)):
            arxivs.add(found)
        if "doi" in lowered and (found := doi(unquote(url))):
            named = arxiv_doi_id(found)
            if named:
                arxivs.add(named)
            else:
                dois.add(found)
    return arxivs, dois


def repository(url: str | None) -> str | None:
    """The ``host/owner/name`` of a code repository URL (lowercase), or None."""
    if not url:
        return None
    parts = urlsplit(canonical_url(url))
    host = (parts.hostname or "").lower()
    if host not in {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"}:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        return None
    return f"{host}/{segments[0].lower()}/{segments[1].lower()}"


_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)
_SCHEME_AGAIN = re.compile(r"(?<=.)https?://", re.IGNORECASE)


def clean_url(raw: str) -> str:
    """A URL as found in text, without its sentence punctuation and LaTeX leftovers.

    ``https://x{https://x}`` (a URL repeated inside braces) and ``https://xhttps://x`` (the
    same after LaTeX decoding) become ``https://x``; braces never belong to a URL.
    """
    url = re.split(r"[{}]", raw, maxsplit=1)[0]
    again = _SCHEME_AGAIN.search(url)
    if again:
        url = url[: again.start()]
    return canonical_url(url)


def find_urls(text: str | None) -> list[str]:
    """Every http(s) URL in ``text``, cleaned and canonical, in order of appearance, once each."""
    found: list[str] = []
    for match in _URL.finditer(text or ""):
        raw = match.group(0)
        for start in re.finditer(r"https?://", raw, re.IGNORECASE):
            url = clean_url(raw[start.start():])
            if urlsplit(url).hostname and url not in found:
                found.append(url)
    return found


def assign_links(urls: list[str]) -> tuple[dict[str, str], list[str]]:
    """Links by kind for URLs in order: each URL gets one kind, the first URL of a kind keeps it.

    A second URL of a taken kind goes under ``other`` when that is free. Returns the links and
    the notes saying where each URL went when it did not get its own kind (nothing is dropped
    silently: a URL with no free place is named in the notes).
    """
    links: dict[str, str] = {}
    notes: list[str] = []
    for url in urls:
        kind = classify(url)
        if url in links.values():
            continue
        if kind not in links:
            links[kind] = url
        elif "other" not in links:
            links["other"] = url
            notes.append(f"{url} is a second {kind} link; kept as other")
        else:
            notes.append(f"{url} ({kind}) not kept: {kind} and other are taken")
    return links, notes

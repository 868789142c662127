"""The form of a record that the matcher compares: its title normalized (and the forms of the
translations in brackets after it), identifiers, venue, place in the venue and authors."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from generator.content.links import arxiv_ids_and_dois, repository
from generator.dedupe.names import family_name
from generator.dedupe.positions import first_page, numbers
from generator.dedupe.rules import Rules, normalize_title, title_numbers
from generator.dedupe.titles import is_recurring, main_title, translations

_CODE_HOST = re.compile(r"github|gitlab|bitbucket|codeberg")
EMPTY: frozenset = frozenset()


@dataclass(slots=True)
class Record:
    """What the matcher compares of one paper."""

    id: str
    title: str
    norm: str
    tokens: tuple
    numbers: tuple
    veto_counts: tuple
    arxiv: frozenset
    dois: frozenset
    repos: frozenset
    year: int | None
    venue: str
    preprint: bool
    volume: tuple
    issue: tuple
    page: str
    family: str
    """The first author's family name."""
    families: frozenset
    """The words of every author's family name."""
    recurring: bool
    """The title is one that venues print in many issues (``recurring_titles`` in the rules)."""
    alternates: tuple
    """The same record under each translation of its title written in brackets."""
    not_duplicates: frozenset
    main: tuple | None = None
    """The words of the main title (:func:`main_title`), once :func:`main_words` has read them."""


@lru_cache(maxsize=8192)
def _venue(value: str | None, rules: Rules) -> str:
    head = re.split(r"\.\s*conference\b|:", value or "", flags=re.I)[0]
    text = normalize_title(re.sub(r"\([^)]*\)", " ", head), rules)
    return " ".join(w for w in text.split() if not w.isdigit())


def _identifiers(links: dict, rules: Rules) -> tuple[frozenset, frozenset, frozenset]:
    """The arXiv ids, publisher DOIs and code repositories named by a record's links."""
    arxivs, dois = arxiv_ids_and_dois(links.values())
    repos = {found for url in links.values() if _CODE_HOST.search(url.lower()) and (found := repository(url))}
    publisher = {d for d in dois if not d.startswith(rules.preprint_doi_prefixes)}
    return frozenset(arxivs), frozenset(publisher), frozenset(repos)


def make_record(paper, rules: Rules) -> Record:
    """The comparable form of a Paper (or any object with its attributes)."""
    norm, fields = _title_fields(normalize_title(paper.title, rules), rules)
    links = getattr(paper, "links", None)
    arxivs, dois, repos = _identifiers(links, rules) if links else (EMPTY, EMPTY, EMPTY)
    venue = _venue(getattr(paper, "venue", None), rules)
    authors = getattr(paper, "authors", None)
    families = [family_name(a) for a in authors] if authors else []
    volume, issue, pages = getattr(paper, "volume", None), getattr(paper, "issue", None), getattr(paper, "pages", None)
    record = Record(
        paper.id, paper.title, norm, *fields, arxivs, dois, repos, getattr(paper, "year", None), venue,
        any(p in venue for p in rules.preprint_venues) if venue else False,
        numbers(volume) if volume else (), numbers(issue) if issue else (), first_page(pages) if pages else "",
        families[0] if families else "", frozenset(w for f in families for w in f.split()) if families else EMPTY,
        is_recurring(norm, fields[0], rules), (), frozenset(getattr(paper, "not_duplicates", None) or ()),
    )
    if "]" in paper.title:
        record.alternates = tuple(_translated(record, t, rules) for t in translations(paper.title, rules))
    return record


def main_words(record: Record, rules: Rules) -> tuple:
    """The normalized words of the record's main title, worked out on the first call only."""
    if record.main is None:
        record.main = main_title(record.title, rules)
    return record.main


def _title_fields(norm: str, rules: Rules) -> tuple[str, tuple]:
    """A normalized title, and its words, numbers and counts of veto words."""
    tokens = tuple(norm.split())
    vetoed = rules.veto_words.intersection(tokens)
    counts = tuple(sorted((w, tokens.count(w)) for w in vetoed)) if vetoed else ()
    return norm, (tokens, title_numbers(norm), counts)


def _translated(record: Record, norm: str, rules: Rules) -> Record:
    """``record`` under the translation ``norm`` of its title."""
    _, (tokens, numbers_found, counts) = _title_fields(norm, rules)
    return replace(record, title=norm, norm=norm, tokens=tokens, numbers=numbers_found, veto_counts=counts,
                   recurring=is_recurring(norm, tokens, rules), main=None)

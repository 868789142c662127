"""Citing a paper: citation keys, BibTeX entries and plain-text references.

The word lists these are made with (which venues are proceedings or preprint servers, which
title words a key passes over, name suffixes) are the ``citations`` section of
``content/taxonomy.yaml`` (:class:`generator.content.taxonomy.CitationWords`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

from pylatexenc.latexencode import unicode_to_latex

from generator.content import links
from generator.content.models import Paper
from generator.content.names import person_name
from generator.content.taxonomy import CitationWords

_HYPHEN_RUN = re.compile(r"-(?=-)")
"""A hyphen followed by another, which LaTeX would join into an en or em dash."""

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
"""A word of letters and digits, apostrophes inside it kept (Hitchhiker's)."""

_AND = re.compile(r"\band\b", re.IGNORECASE)

_ASCII_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")
"""Runs of ASCII characters, and each other character alone."""


def _to_latex(text: str) -> str:
    return unicode_to_latex(text, non_ascii_only=False, unknown_char_policy="keep", unknown_char_warning=False)


@lru_cache(maxsize=1 << 12)
def _letter_to_latex(char: str) -> str:
    """A non-ASCII character as LaTeX in braces (``{\\"O}``), as BibTeX wants accented letters:
    unbraced, an accent opening a name is misread and the letter sorts and changes case wrongly."""
    return unicode_to_latex(char, non_ascii_only=False, unknown_char_policy="keep", unknown_char_warning=False,
                            replacement_latex_protection="braces-almost-all")


_KEPT_AS_IS = frozenset(c for c in map(chr, range(32, 127)) if _to_latex(c) == c)
"""ASCII characters the encoder writes unchanged: text made only of them needs no encoding."""


def latex(value) -> str:
    """Text escaped for a BibTeX field: LaTeX specials and non-ASCII letters as LaTeX.

    Runs of hyphens are split (``-{}-``) so that LaTeX prints them as written, not as dashes.
    """
    text = " ".join(str(value).split())
    if not _KEPT_AS_IS.issuperset(text):
        text = "".join(_letter_to_latex(run) if not run.isascii() else _to_latex(run) for run in _ASCII_RUNS.findall(text))
    return _HYPHEN_RUN.sub("-{}", text)


def fold(text: str) -> str:
    """ASCII lowercase letters and digits of ``text``, accents taken off (Müller -> muller)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return "".join(c for c in plain if c.isalnum())


def family_name(author: str, words: CitationWords) -> str:
    """The family name of an author as written, without particles or a suffix such as Jr. or
    III (:func:`generator.content.names.person_name`): "Li, Heng", "Heng Li" and "Li H." give
    Li, "Vincent van Gogh" Gogh, "Martin Luther King Jr." King."""
    return person_name(author, words.name_suffixes).family


def title_words(title: str, words: CitationWords) -> list[str]:
    """The significant words of a title, folded (:func:`fold`), skipping the key's skip words."""
    folded = (fold(word) for word in _WORD.findall(title))
    return [word for word in folded if word and word not in words.key_skip_words]


def base_key(paper: Paper, words: CitationWords) -> str:
    """A paper's citation key before clashes are settled: the first author's family name, the
    year and the title's first significant word (``rafailov2023direct``). Without authors, the
    title's first word stands for the name and its second follows the year; without any of
    these (a title of no Latin letters), the key is the record's id."""
    name = fold(family_name(paper.authors[0], words)) if paper.authors else ""
    year = str(paper.year) if paper.year else ""
    significant = title_words(paper.title, words)
    if not name and significant:
        name, significant = significant[0], significant[1:]
    key = name + year + (significant[0] if significant else "")
    return key if name else paper.id


def _suffix(n: int) -> str:
    """a, b, ..., z, aa, ab, ... for n = 0, 1, ..."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def citation_keys(papers: list[Paper], words: CitationWords, base=None) -> dict[str, str]:
    """Every paper's citation key, by id, unique over ``papers``: papers sharing a base key
    (:func:`base_key`, or ``base(paper)`` giving the same) get a, b, c, ... in the order of their
    ids, skipping any key another paper has already, so a key changes only when a paper with the
    same base key comes or goes."""
    by_base: dict[str, list[str]] = defaultdict(list)
    for paper in sorted(papers, key=lambda p: p.id):
        by_base[base(paper) if base else base_key(paper, words)].append(paper.id)
    keys = {ids[0]: base for base, ids in by_base.items() if len(ids) == 1}
    taken = set(by_base)
    for base, ids in by_base.items():
        if len(ids) == 1:
            continue
        n = 0
        for paper_id in ids:
            while base + _suffix(n) in taken:
                n += 1
            keys[paper_id] = base + _suffix(n)
            taken.add(keys[paper_id])
    return keys


def _has_word(venue: str, words: tuple[str, ...]) -> bool:
    return any(fold(word) in words for word in _WORD.findall(venue))


def entry_type(paper: Paper, words: CitationWords) -> str:
    """The BibTeX entry type a record's fields call for.

    ``inproceedings`` when the venue holds a word of ``citations.proceedings`` (NeurIPS,
    "Proceedings of ...", "Workshop on ..."); ``article`` when the venue has a volume and holds
    no word of the proceedings or of ``citations.preprints`` (a journal: "Bioinformatics",
    volume 34); ``misc`` otherwise: no venue, a preprint server, or a venue without a volume,
    of which the record does not say whether it is a journal.
    """
    venue = paper.venue or ""
    if not venue.strip():
        return "misc"
    if _has_word(venue, words.proceedings):
        return "inproceedings"
    if paper.volume and not _has_word(venue, words.preprints):
        return "article"
    return "misc"


VENUE_FIELD = {"inproceedings": "booktitle", "article": "journal", "misc": "howpublished"}
"""The BibTeX field holding the venue, by entry type."""


def _braced_url(url: str) -> str:
    return latex(url) if "{" in url or "}" in url or "\\" in url else url


def bibtex_entry(paper: Paper, key: str, words: CitationWords) -> str:
    """A paper's BibTeX entry under ``key``, of the type :func:`entry_type` gives, with every
    field the record has: author, title, journal/booktitle (howpublished for @misc), year,
    volume, number, pages, doi, eprint with archivePrefix = arXiv, and url (the paper's own
    link, else its arXiv or DOI link)."""
    kind = entry_type(paper, words)
    fields: list[tuple[str, str]] = []
    if paper.authors:
        # A name holding the word "and" is braced, or BibTeX would read two names.
        names = (latex(a) for a in paper.authors)
        fields.append(("author", " and ".join("{" + n + "}" if _AND.search(n) else n for n in names)))
    fields.append(("title", "{" + latex(paper.title) + "}"))
    if paper.venue and paper.venue.strip():
        fields.append((VENUE_FIELD[kind], latex(paper.venue)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    for name, value in (("volume", paper.volume), ("number", paper.issue), ("pages", paper.pages)):
        if value and value.strip():
            fields.append((name, latex(value)))
    doi = links.doi(paper.links.get("doi"))
    if doi:
        fields.append(("doi", latex(doi)))
    arxiv = links.arxiv_id(paper.links.get("arxiv"))
    if arxiv:
        fields.extend([("eprint", latex(arxiv)), ("archivePrefix", "arXiv")])
    url = paper.links.get("paper") or paper.links.get("arxiv") or paper.links.get("doi")
    if url:
        fields.append(("url", _braced_url(url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def where_published(paper: Paper) -> str:
    """The venue with its volume, issue and pages as a reader expects them:
    ``Bioinformatics 34(18), 3094-3100``; empty without a venue."""
    venue = " ".join((paper.venue or "").split())
    if not venue:
        return ""
    volume, issue, pages = (" ".join((v or "").split()) for v in (paper.volume, paper.issue, paper.pages))
    place = volume + (f"({issue})" if issue else "") if volume else (f"no. {issue}" if issue else "")
    text = venue + (" " + place if place else "")
    return text + (", " + pages if pages else "")


def plain_reference(paper: Paper) -> str:
    """A one-line reference: authors, (year), title, venue with volume and pages, and a link
    (the paper's own, else its arXiv or DOI link)."""
    names = [" ".join(a.split()) for a in paper.authors]
    authors = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
    year = f" ({paper.year})." if paper.year else "."
    title = " ".join(paper.title.split())
    if authors:
        parts = [authors + year, title if title.endswith((".", "?", "!")) else title + "."]
    else:  # the title takes the authors' place
        parts = [(title.rstrip(".") + year) if paper.year or not title.endswith((".", "?", "!")) else title]
    venue = where_published(paper)
    if venue:
        parts.append(venue + ".")
    url = paper.links.get("paper") or paper.links.get("arxiv") or paper.links.get("doi")
    if url:
        parts.append(url)
    return " ".join(parts)


def arxiv_pdf(url: str | None) -> str | None:
    """The PDF of an arXiv link (``https://arxiv.org/pdf/ID``), the id as the link writes it; None
    when ``url`` is not an arXiv link with an id."""
    found = links.arxiv_id(url)
    if not found:
        return None
    at = url.lower().find(found)
    return "https://arxiv.org/pdf/" + (url[at:at + len(found)] if at >= 0 else found)

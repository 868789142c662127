"""Reading paper sources: listing page text, BibTeX and arXiv API Atom XML, into raw papers.

Readers only take fields out of their source; :mod:`generator.ingest.normalize` turns a raw paper into
a record. Every reader returns what it read and a warning (with its line) for what it skipped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import display_path
from generator.ingest.extraction import Rules
from generator.content.links import arxiv_id, clean_url, doi

FORMATS = ("listing", "bibtex", "arxiv")
"""Source formats ``atlas ingest`` reads."""

MAX_SOURCE_BYTES = 20 * 1024 * 1024
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"


class SourceError(Exception):
    """A source that cannot be read at all."""


@dataclass
class RawPaper:
    """One paper's fields as a source gave them (text still to normalize)."""

    title: str
    abstract: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    urls: list[str] = field(default_factory=list)
    """Links the source gave outside the abstract (DOI, arXiv id, url field), as URLs."""
    landing: str | None = None
    """The paper's page at its publisher, when the source names one (kept as the ``paper`` link)."""
    origin: str = ""
    """Where the paper was read, as ``file:line``."""


@dataclass
class SourceRead:
    """The papers read from one source and the warnings about what was skipped."""

    papers: list[RawPaper] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def detect_format(text: str, path: Path | None = None) -> str:
    """The format of a source: by its file extension, else by its first characters."""
    suffix = path.suffix.lower() if path else ""
    if suffix in {".bib", ".bibtex"}:
        return "bibtex"
    if suffix in {".xml", ".atom"}:
        return "arxiv"
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return "arxiv"
    if re.search(r"^\s*@[A-Za-z]+\s*[{(]", text, re.MULTILINE):
        return "bibtex"
    return "listing"


def read_source(path: Path, rules: Rules, form: str | None = None) -> tuple[str, SourceRead]:
    """Read one source file; returns its format and what was read. Raises :class:`SourceError`."""
    return parse_source(source_text(path), path, rules, form)


def source_text(path: Path) -> str:
    """The text of a source file, refused (:class:`SourceError`) when too large or not UTF-8."""
    label = display_path(path)
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise SourceError(f"{label}: larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise SourceError(f"{label}: cannot read ({exc.strerror or exc})") from None


def parse_source(text: str, path: Path, rules: Rules, form: str | None = None) -> tuple[str, SourceRead]:
    """The format of a source file's ``text`` and what was read from it. Raises :class:`SourceError`."""
    form = form or detect_format(text, path)
    reader = {"listing": read_listing, "bibtex": read_bibtex, "arxiv": read_atom}[form]
    return form, reader(text, display_path(path), rules)


# Listing page text ------------------------------------------------------------------------

def _sentences(text: str) -> int:
    """How many sentences end with a full stop followed by another sentence, plus one."""
    return 1 + len(re.findall(r"[a-z0-9)\]][.!]\s+[A-Z(]", text))


def _capitalized_share(text: str) -> float:
    words = [w for w in re.findall(r"[^\W\d_][\w'-]*", text) if len(w) > 3]
    return sum(w[0].isupper() for w in words) / len(words) if words else 1.0


def looks_like_title(text: str, rules: Rules) -> bool:
    """Whether a listing line reads as a title: short, one sentence, no closing full stop."""
    words = text.split()
    if not words or len(words) > rules.title_max_words or len(text) > rules.title_max_chars:
        return False
    if text.rstrip().endswith((".", ";", ",")):
        return False
    return _sentences(text) == 1


def _short_sentence(text: str, rules: Rules) -> bool:
    """A one-sentence line short enough for a title, even with a closing full stop."""
    return len(text.split()) <= min(rules.title_max_words, 25) and _sentences(text) == 1


def _blocks(text: str, rules: Rules) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines with their first line number; chrome and date lines end a run."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, 1):
        line = " ".join(raw.split())  # other line breaks (U+2028, NEL, VT, FF) become spaces: titles stay one line
        if not line or rules.is_chrome(line) or rules.is_date_header(line):
            if current:
                blocks.append((start, current))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


def _items(block: list[str], start: int, rules: Rules) -> list[tuple[str, int, str]]:
    """A block as (kind, line, text) items: a title, an abstract, or a title then its abstract."""
    first, rest = block[0], block[1:]
    if rest and looks_like_title(first, rules) and rest[0][:1].isupper() and _capitalized_share(first) >= 0.4:
        joined = " ".join(rest)
        if not looks_like_title(joined, rules):
            return [("title", start, first), ("abstract", start + 1, joined)]
    joined = " ".join(block)
    return [("title" if looks_like_title(joined, rules) else "abstract", start, joined)]


def read_listing(text: str, label: str, rules: Rules) -> SourceRead:
    """Papers from listing page text: a title line, then its abstract paragraph.

    A line is a title when it reads as one (short, one sentence, no closing full stop), or when
    it is one short sentence with no title pending and an abstract follows it. A title followed by another title or by the end of the text (a listing cut off) is skipped
    with a warning, and so is an abstract with no title before it: neither is joined to a
    neighbour.
    """
    out = SourceRead()
    pending: tuple[int, str] | None = None
    items = [item for start, block in _blocks(text, rules) for item in _items(block, start, rules)]
    for index, (kind, line, body) in enumerate(items):
        followed_by_abstract = index + 1 < len(items) and items[index + 1][0] == "abstract"
        if kind == "abstract" and not pending and followed_by_abstract and _short_sentence(body, rules):
            kind = "title"
        if kind == "title":
            if pending:
                out.warnings.append(f"{label}:{pending[0]}: title '{pending[1]}' has no abstract after it; skipped")
            pending = (line, body)
        elif pending:
            out.papers.append(RawPaper(title=pending[1], abstract=body, origin=f"{label}:{pending[0]}"))
            pending = None
        else:
            out.warnings.append(f"{label}:{line}: a paragraph with no title before it; skipped ({body[:60]}...)")
    if pending:
        out.warnings.append(f"{label}:{pending[0]}: title '{pending[1]}' has no abstract (the listing ends); skipped")
    return out


# BibTeX -----------------------------------------------------------------------------------

_URL_COMMANDS = re.compile(r"\\url\{([^{}]*)\}|\\href\{([^{}]*)\}\{([^{}]*)\}")
_RAW_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)


def latex_text(value: str) -> str:
    """Plain Unicode text of a BibTeX field: accents and braces resolved, URLs kept as written.

    A URL followed by a braced copy of itself (``https://x{https://x}``) is written once.
    """
    from pylatexenc.latex2text import LatexNodes2Text

    value = _URL_COMMANDS.sub(lambda m: m.group(1) or f"{m.group(3)} {m.group(2)}", value)
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        raw = match.group(0)
        url = re.split(r"[{}]", raw, maxsplit=1)[0]
        tail = raw[len(url):]
        if tail.startswith("{") and "}" in tail:
            tail = tail[tail.index("}") + 1:]
        kept.append(url)
        return f"zzurl{len(kept) - 1}zz{tail}"

    value = _RAW_URL.sub(keep, value)
    value = re.sub(r"(?<!\\)%", r"\\%", value)
    try:
        text = LatexNodes2Text(math_mode="verbatim").latex_to_text(value)
    except Exception:  # pylatexenc raises assorted errors on broken markup; keep the raw text
        text = value
    return re.sub(r"zzurl(\d+)zz", lambda m: kept[int(m.group(1))], text)


def _split_authors(value: str) -> list[str]:
    """The names of a BibTeX ``author`` field, first name first, as bibtexparser splits them
    (``and`` outside braces, ``von Last, Jr, First``), with LaTeX resolved; "others" dropped."""
    from generator.dedupe.names import split_bibtex_names

    names = (" ".join(latex_text(name).split()) for name in split_bibtex_names(value))
    return [name for name in names if name]


def read_bibtex(text: str, label: str, rules: Rules) -> SourceRead:
    """Papers from BibTeX entries (title, abstract, authors, year, venue, DOI, arXiv eprint, url)."""
    import bibtexparser

    out = SourceRead()
    library = bibtexparser.parse_string(text)
    for block in library.failed_blocks:
        out.warnings.append(f"{label}:{block.start_line + 1}: cannot parse this BibTeX entry; skipped")
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        where = f"{label}:{entry.start_line + 1}"
        title = " ".join(latex_text(fields.get("title", "")).split())
        if not title:
            out.warnings.append(f"{where}: entry '{entry.key}' has no title; skipped")
            continue
        year = fields.get("year", "").strip()
        urls = []
        if doi(fields.get("doi")):
            urls.append(f"https://doi.org/{doi(fields['doi'])}")
        eprint = fields.get("eprint", "").strip()
        if eprint and (fields.get("archiveprefix", "arxiv").lower() == "arxiv"):
            found = arxiv_id("arxiv:" + eprint)
            if found:
                urls.append(f"https://arxiv.org/abs/{found}")
        if re.match(r"https?://", fields.get("url", "").strip()):
            urls.append(clean_url(fields["url"].strip()))
        venue = latex_text(fields.get("journal") or fields.get("booktitle") or "").strip()
        volume, issue, pages = (_bib_field(fields, key) for key in ("volume", "number", "pages"))
        out.papers.append(RawPaper(
            title=title,
            abstract=latex_text(fields["abstract"]) if fields.get("abstract", "").strip() else None,
            authors=_split_authors(fields.get("author", "")),
            year=int(year) if re.fullmatch(r"\d{4}", year) else None,
            venue=" ".join(venue.split()) or None,
            volume=volume,
            issue=issue,
            pages=re.sub(r"\s*[-\u2013\u2014]+\s*", "-", pages) if pages else None,
            urls=urls,
            origin=where,
        ))
    return out


def _bib_field(fields: dict, key: str) -> str | None:
    return " ".join(latex_text(fields.get(key, "")).split()) or None


# arXiv API Atom ---------------------------------------------------------------------------

def _text(element, tag: str) -> str:
    found = element.find(tag)
    return " ".join((found.text or "").split()) if found is not None and found.text else ""


_JOURNAL_REFS = (
    # Bioinformatics 34(18):3094-3100 (2018)
    re.compile(r"(?P<venue>[^\d(),:;]*[^\d\s(),:;])\s*,?\s+(?P<volume>\d{1,5})\s*\((?P<issue>\d{1,5}(?:-\d{1,5})?)\)\s*[:,]\s*"
               r"(?P<pages>[a-z]?\d{1,7}(?:\s*-{1,2}\s*[a-z]?\d{1,7})?)\s*(?:\(\d{4}\))?\.?", re.I),
    # Phys. Rev. D 76, 013009 (2007)
    re.compile(r"(?P<venue>[^\d(),:;]*[^\d\s(),:;])\s+(?P<volume>\d{1,5})\s*,\s*(?P<pages>[a-z]?\d{1,7}(?:\s*-{1,2}\s*[a-z]?\d{1,7})?)"
               r"\s*\(\d{4}\)\.?", re.I),
)


def journal_ref_parts(ref: str) -> dict:
    """Venue, volume, issue and pages of an arXiv ``journal_ref`` when it is written in one of
    the usual citation forms (``Bioinformatics 34(18):3094-3100 (2018)``, ``Phys. Rev. D 76,
    013009 (2007)``); otherwise the whole reference as the venue."""
    ref = " ".join(ref.split())
    for pattern in _JOURNAL_REFS:
        found = pattern.fullmatch(ref)
        if found:
            parts = {k: v for k, v in found.groupdict().items() if v}
            if "pages" in parts:
                parts["pages"] = re.sub(r"\s*-+\s*", "-", parts["pages"])
            return parts
    return {"venue": ref} if ref else {}


def read_atom(text: str, label: str, rules: Rules) -> SourceRead:
    """Papers from an arXiv API Atom feed: title, summary, authors, year of the first version,
    arXiv id, DOI, and the journal reference (venue, volume, issue and pages when it reads as a
    citation). An arXiv API error entry (titled ``Error``, its id under ``arxiv.org/api/errors``)
    becomes a warning with the API's message.

    Documents declaring a DOCTYPE or entities are refused, so entity expansion cannot happen.
    """
    if re.search(r"<!\s*(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise SourceError(f"{label}: refusing XML with a DOCTYPE or ENTITY declaration")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise SourceError(f"{label}:{exc.position[0]}: not well-formed XML ({exc})") from None
    if root.tag != f"{_ATOM}feed":
        raise SourceError(f"{label}: not an Atom feed (root element {root.tag})")
    out = SourceRead()
    for number, entry in enumerate(root.iter(f"{_ATOM}entry"), 1):
        where = f"{label}: entry {number}"
        title = _text(entry, f"{_ATOM}title")
        ident = arxiv_id(_text(entry, f"{_ATOM}id"))
        if title == "Error" and "arxiv.org/api/errors" in _text(entry, f"{_ATOM}id"):
            out.warnings.append(f"{where}: the arXiv API answered with an error: {_text(entry, f'{_ATOM}summary') or 'no message'}")
            continue
        if not title or not ident:
            out.warnings.append(f"{where}: no title or no arXiv id; skipped")
            continue
        urls = [f"https://arxiv.org/abs/{ident}"]
        if doi(_text(entry, f"{_ARXIV}doi")):
            urls.append(f"https://doi.org/{doi(_text(entry, f'{_ARXIV}doi'))}")
        summary = entry.find(f"{_ATOM}summary")
        published = _text(entry, f"{_ATOM}published")
        out.papers.append(RawPaper(
            title=title,
            abstract=summary.text if summary is not None and summary.text and summary.text.strip() else None,
            authors=[_text(a, f"{_ATOM}name") for a in entry.findall(f"{_ATOM}author") if _text(a, f"{_ATOM}name")],
            year=int(published[:4]) if re.match(r"\d{4}", published) else None,
            **journal_ref_parts(_text(entry, f"{_ARXIV}journal_ref")),
            urls=urls,
            origin=where,
        ))
    return out

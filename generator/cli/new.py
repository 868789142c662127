"""``atlas new IDENTIFIER`` or ``atlas new "Title"``: a record filled from the arXiv API or
Crossref, or started with a fresh id, ready to fill in."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from generator.errors import AtlasError, UsageError
from generator.ingest.extraction import load_rules
from generator.ingest.drafts import duplicate_index, find_existing, record_problems, write_record
from generator.ingest.readers import RawPaper, SourceError, parse_source, source_text
from generator.ingest.normalize import as_paper, normalize, title_key
from generator.ingest.identifiers import parse_identifier
from generator.ingest.lookup import IdentifierIndex, look_up, record_for
from generator.content.links import arxiv_ids_and_dois
from generator.ingest.voices import CuratedEvidence
from generator.content.records import load_content
from generator.text import one_line, slug
from generator.cli.common import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "new", "write a new record for a paper, from its arXiv id or DOI or its title",
        """
        Given an arXiv id (2305.18290, 2305.18290v3, hep-th/9901001), a DOI
        (10.1093/bioinformatics/bty191) or an arxiv.org/abs, arxiv.org/pdf, doi.org or
        dx.doi.org URL, look the paper up in the arXiv API or in Crossref and write a complete
        record: title, abstract (as plain text), authors, year, venue, volume, issue and pages
        where given, links (arxiv, doi, the publisher's page), and type, method, task and tags
        guessed as --from does. An arXiv entry that names a DOI gets venue, volume and pages
        from Crossref too. The notes name the source of each field and ask for a review.
        A paper already in the atlas (same arXiv id or DOI, or the same paper by the rules of
        `atlas dedupe`) is not added: the command names its record and writes nothing. Any
        failure (unknown id, server error, no network, no answer within 30 s, an answer that
        is not what the API sends) is one line and exit status 1, with nothing written.
        Endpoints: ATLAS_ARXIV_API (default https://export.arxiv.org/api/query) and
        ATLAS_CROSSREF_API (default https://api.crossref.org); ATLAS_MAILTO is the contact
        address sent in the User-Agent.

        Given a title, write content/papers/<id>.yaml with an id made from the title, the
        editor schema line, and every field listed for you to fill. It never replaces a file:
        when the id is taken, it picks the next free one (<id>-2, ...). Run `atlas validate`
        afterwards: it names each field still to fill.

        With --from FILE (a pasted abstract, a listing entry, a BibTeX entry or an arXiv Atom
        entry), the importer fills the abstract, method, task, type, tags and links from it,
        and the record's notes ask for a review of those fields. The type is voted by the
        type cues, the tags found and the most similar reviewed records, as for atlas ingest;
        --explain prints every voice. A paper already in the atlas (same title) is refused,
        naming the record it matches.
        """,
        """
        atlas new 2305.18290
        atlas new https://arxiv.org/abs/2212.08073v1
        atlas new 10.1093/bioinformatics/bty191
        atlas new "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"
        atlas new "Magpie: Alignment Data Synthesis from Scratch" --from abstract.txt
        """,
    )
    parser.add_argument("title", metavar="IDENTIFIER_OR_TITLE",
                        help="an arXiv id, a DOI, an arxiv.org or doi.org URL, or the paper's title")
    parser.add_argument("--type", default=None, help="the alignment type id, if you know it")
    parser.add_argument("--from", dest="source", default=None, metavar="FILE",
                        help="a file holding the paper's abstract (or listing, BibTeX or Atom entry) to fill the record from")
    parser.add_argument("--explain", action="store_true",
                        help="with --from: show the evidence behind the type (every voice with its weight), method, task and tags")
    parser.set_defaults(run=run)


def blank_record(title: str, type_: str | None = None, today: _dt.date | None = None) -> dict:
    """A record with every field present, the ones to fill left empty."""
    return {
        "title": one_line(title),
        "type": type_,
        "abstract": None,
        "summary": None,
        "method": None,
        "task": None,
        "tags": [],
        "links": {},
        "year": None,
        "authors": [],
        "venue": None,
        "added": (today or _dt.date.today()).isoformat(),
    }


FROM_NOTE = "imported by atlas new --from; review method, task, type and tags"
"""The note a record made with ``atlas new --from`` carries until a curator has reviewed it."""


def _raw_paper(title: str, source: Path, rules) -> RawPaper:
    """The paper the file describes: its entry with the given title, or the file as an abstract."""
    try:
        text = source_text(source)
        form, result = parse_source(text, source, rules)
    except SourceError as exc:
        raise AtlasError(f"could not read {exc}") from None
    key = title_key(title)
    for paper in result.papers:
        if title_key(paper.title) == key or len(result.papers) == 1:
            paper.title = title
            return paper
    if result.papers or form != "listing":
        raise AtlasError(f"{source}: no entry titled '{title}' among its {len(result.papers)} paper(s)")
    lines = [line for line in text.splitlines()
             if not rules.is_chrome(line) and not rules.is_date_header(line)]
    if lines and title_key(lines[0]) == key:
        lines = lines[1:]
    abstract = "\n".join(lines).strip()
    if not abstract:
        raise UsageError(f"{source} holds no abstract")
    return RawPaper(title=title, abstract=abstract, origin=str(source))


def record_from_file(content_dir: Path, title: str, source: Path, type_: str | None = None) -> tuple[dict, list[str]]:
    """The record for ``title`` filled from ``source`` by the importer, marked for review, and
    the importer's reasons for its choices (as ``atlas ingest --explain`` prints them).

    Raises :class:`AtlasError` when the paper is already in the atlas.
    """
    content = load_content(content_dir)
    taxonomy, rules, papers = content.taxonomy, load_rules(content_dir), content.papers
    raw = _raw_paper(one_line(title), source, rules)
    imported = normalize(raw, taxonomy, rules, note=FROM_NOTE, curated=CuratedEvidence(papers))
    record = imported.record
    _check_type(record, type_, taxonomy)
    match = find_existing(as_paper(record), duplicate_index(content_dir, papers))
    if match:
        raise AtlasError(f"'{record['title']}' is already in the atlas as {match.id} (score {match.score:.1f}: {match.reason})")
    problems = record_problems(content_dir, slug(record["title"]), record, taxonomy)
    if problems:
        raise AtlasError("; ".join(f"{p.field}: {p.message}" for p in problems))
    return record, imported.explain


def _check_type(record: dict, type_: str | None, taxonomy) -> None:
    """Set the record's type to ``type_`` when given; a type not in the taxonomy is a usage error."""
    if type_ and type_ not in taxonomy.types:
        raise UsageError(f"unknown type '{type_}' (expected one of: {', '.join(taxonomy.types)})")
    if type_:
        record["type"] = type_


def _refuse_present(record: dict, identifiers: IdentifierIndex, index, arxivs: set, dois: set) -> None:
    """Raise :class:`AtlasError` naming the record of the atlas this one already is."""
    present = identifiers.already_present(arxivs, dois)
    if present:
        named = ", ".join(sorted(arxivs | dois))
        raise AtlasError(f"'{record['title']}' ({named}) is already in the atlas as {present.id} ({present.source}); nothing written")
    match = find_existing(as_paper(record), index)
    if match:
        raise AtlasError(f"'{record['title']}' is already in the atlas as {match.id} (score {match.score:.1f}: {match.reason}); nothing written")


def record_from_identifier(content_dir: Path, identifier, type_: str | None = None) -> dict:
    """The record for the paper ``identifier`` names, looked up and checked, marked for review.

    Raises :class:`AtlasError` when the paper is already in the atlas (checked before the
    look-up for the identifier itself, and after it for the DOI and title the answer gives) or
    when the look-up fails.
    """
    content = load_content(content_dir)
    taxonomy, rules = content.taxonomy, load_rules(content_dir)
    _check_type({}, type_, taxonomy)  # before any request is made
    index = duplicate_index(content_dir, content.papers)
    ids = ({identifier.value}, set()) if identifier.kind == "arxiv" else (set(), {identifier.value})
    identifiers = IdentifierIndex(content.papers)
    present = identifiers.already_present(*ids)
    if present:
        raise AtlasError(f"{identifier} is already in the atlas as {present.id} ({present.source}); nothing written")
    found = look_up(identifier)
    record = record_for(found, content_dir, taxonomy, rules, curated=CuratedEvidence(content.papers))
    _check_type(record, type_, taxonomy)
    _refuse_present(record, identifiers, index, *arxiv_ids_and_dois(record.get("links", {}).values()))
    return record


def run(args) -> int:
    if not one_line(args.title):
        raise UsageError("the title is empty")
    identifier = parse_identifier(args.title)
    if identifier is not None:
        if args.source:
            raise UsageError("--from fills a record named by its title; an identifier is looked up instead")
        record = record_from_identifier(Path(args.content), identifier, args.type)
        path = write_record(Path(args.content), record)
        print(f"created {path} ({record['type']}, from {identifier})")
        print("Check its fields against the paper, review method, task, type and tags, then run: atlas validate " + str(path))
        return 0
    if args.source:
        record, explain = record_from_file(Path(args.content), args.title, Path(args.source), args.type)
        path = write_record(Path(args.content), record)
        print(f"created {path} ({record['type']}, imported from {args.source})")
        if args.explain:
            for line in explain:
                print(f"    {line}")
        print("Review its method, task, type and tags, then run: atlas validate " + str(path))
        return 0
    path = write_record(Path(args.content), blank_record(args.title, args.type))
    print(f"created {path}")
    print("Fill in its fields, then run: atlas validate " + str(path))
    return 0

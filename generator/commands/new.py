"""``atlas new "Title"``: start a record with a fresh id, ready to fill in."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..errors import AtlasError, UsageError
from ..fmt import schema_line
from ..fsutil import write_new
from ..records import ID_PATTERN, papers_dir
from ..text import one_line, slug
from ..yamlio import dump
from . import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "new", "write a new record for a paper, ready to fill in",
        """
        Write content/papers/<id>.yaml for a new paper, with an id made from the title, the
        editor schema line, and every field listed for you to fill. It never replaces a file:
        when the id is taken, it picks the next free one (<id>-2, ...). Run `atlas validate`
        afterwards: it names each field still to fill.

        With --from FILE (a pasted abstract, a listing entry, a BibTeX entry or an arXiv Atom
        entry), the importer fills the abstract, method, task, type, tags and links from it,
        and the record's notes ask for a review of those fields. A paper already in the atlas
        (same title) is refused, naming the record it matches.
        """,
        """
        atlas new "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"
        atlas new "Magpie: Alignment Data Synthesis from Scratch" --from abstract.txt
        """,
    )
    parser.add_argument("title", help="the paper's title")
    parser.add_argument("--type", default=None, help="the alignment type id, if you know it")
    parser.add_argument("--from", dest="source", default=None, metavar="FILE",
                        help="a file holding the paper's abstract (or listing, BibTeX or Atom entry) to fill the record from")
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


def free_id(folder: Path, title: str) -> str:
    """An id for the title that no file in ``folder`` uses yet."""
    base = slug(title)
    candidate, n = base, 2
    while (folder / f"{candidate}.yaml").exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def write_record(content_dir: Path, data: dict) -> Path:
    """Write a new record file for ``data``; returns its path. Never replaces a file."""
    folder = papers_dir(content_dir)
    if not folder.is_dir():
        raise AtlasError(f"no papers folder at {folder}")
    record_id = free_id(folder, data["title"])
    assert ID_PATTERN.match(record_id)
    path = folder / f"{record_id}.yaml"
    write_new(path, dump(data, header=schema_line(path)))
    return path


def run(args) -> int:
    if not one_line(args.title):
        raise UsageError("the title is empty")
    if args.source:
        from .new_from import record_from_file

        record = record_from_file(Path(args.content), args.title, Path(args.source), args.type)
        path = write_record(Path(args.content), record)
        print(f"created {path} ({record['type']}, imported from {args.source})")
        print("Review its method, task, type and tags, then run: atlas validate " + str(path))
        return 0
    path = write_record(Path(args.content), blank_record(args.title, args.type))
    print(f"created {path}")
    print("Fill in its fields, then run: atlas validate " + str(path))
    return 0

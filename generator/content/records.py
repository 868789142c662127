"""Loading and checking paper records.

``load_content`` reads every record of a content folder and returns the papers that are valid
together with every problem found in the others; ``require_valid`` turns problems into one
:class:`ContentError`. Each problem names the file, the line of the offending key, the field,
and what was expected.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, Iterable

import jsonschema

from generator.errors import ContentError, Problem, display_path
from generator.content.models import Content, Paper, record_schema
from generator.content.schema_check import UnsupportedSchema, compile_schema, schema_regex
from generator.content.taxonomy import ID_FORM, ID_PATTERN, Taxonomy, load_taxonomy
from generator.content.yamlio import Document, YamlError, dotted, read_file


RESERVED_IDS = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))})
"""Device names on Windows: no file or folder there can have them, so no record id or alias may."""

_RESERVED_MESSAGE = "is a device name on Windows, where no file can have it; choose another id"

_TYPE_WORDS = {"string": "text", "integer": "an integer", "array": "a list", "object": "a mapping"}


def papers_dir(content_dir: Path) -> Path:
    """The folder holding the records of a content folder."""
    return Path(content_dir) / "papers"


def describe(value: Any) -> str:
    """A short description of a value for error messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{value}'"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


@cache
def _validator():
    """One validator of the record schema for the whole run, reading ``pattern`` as the
    compiled check does (:func:`generator.content.schema_check.schema_regex`)."""
    return _Validator(record_schema())


def _pattern(validator, pattern: str, instance, schema):
    if validator.is_type(instance, "string") and not schema_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})


@cache
def _fast_check():
    """The record schema compiled to a yes-or-no check, or None when the schema uses something
    :mod:`generator.content.schema_check` does not compile (then every record goes to jsonschema)."""
    try:
        return compile_schema(record_schema())
    except UnsupportedSchema:
        return None


def _schema_errors(data: dict) -> list[jsonschema.ValidationError]:
    """jsonschema's errors for a record, in the order they are reported. Most records are valid,
    so the compiled check answers first and jsonschema only explains the ones it refuses."""
    fast = _fast_check()
    if fast is not None and fast(data):
        return []
    return sorted(_validator().iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator))


def _schema_message(error: jsonschema.ValidationError) -> list[tuple[tuple, str]]:
    """Our wording of one JSON Schema error, as (path, message) pairs."""
    path = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    if kind == "type" and path == ("type",) and value is None:
        return [(path, "is empty; expected a type id from taxonomy.yaml, such as llm-alignment")]
    if kind == "type":
        wanted = error.validator_value
        wanted = [wanted] if isinstance(wanted, str) else wanted
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        if value is None:
            return [(path, f"is empty; expected {words}")]
        return [(path, f"expected {words}, got {describe(value)}")]
    if kind == "required":
        return [(path + (name,), "required field is missing") for name in error.validator_value if name not in value]
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        out = []
        for key in value:
            if key in allowed:
                continue
            if path == ("links",):
                out.append((path + (key,), f"unknown link kind '{key}' (expected one of: {', '.join(allowed)})"))
            else:
                hint = _did_you_mean(str(key), allowed)
                out.append((path + (key,), f"unknown key '{key}'{hint}"))
        return out
    if kind == "pattern":
        refused = _refused_character(error.validator_value, value)
        if refused:
            return [(path, refused)]
        return [(path, f"{schema.get('x-message', 'has the wrong form')}, got {describe(value)}{_look_alike(value) if error.validator_value == ID_FORM else ''}")]
    if kind == "minLength":
        return [(path, "must not be empty")]
    if kind == "maxLength":
        return [(path, f"is {len(value)} characters long; the limit is {error.validator_value}")]
    if kind == "maxItems":
        return [(path, f"has {len(value)} items; the limit is {error.validator_value}")]
    if kind == "uniqueItems":
        return [(path, "lists the same value twice")]
    if kind in ("minimum", "maximum"):
        lo, hi = schema.get("minimum"), schema.get("maximum")
        return [(path, f"expected a number from {lo} to {hi}, got {value}")]
    return [(path, error.message)]  # pragma: no cover - the schema uses only the keywords above


def _refused_character(pattern: str, value: str) -> str | None:
    """For a pattern refusing a set of characters (``^[^...]*$``), name the first one found.

    Line breaks are left to the field's own message; other refused characters are often
    invisible (controls, bidirectional overrides, zero-width spaces), so they are named.
    """
    refused = re.fullmatch(r"\^\[\^(.*)\]\*\$", pattern)
    if refused is None or not isinstance(value, str):
        return None
    chars = re.compile(f"[{refused.group(1)}]")
    found = chars.search(value)
    if found is None or ("\n" in value or "\r" in value) and chars.match("\n"):
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    what = f"the invisible character {code} ({unicodedata.name(char)})" if unicodedata.name(char, "") else f"the control character {code}"
    return f"contains {what} at character {found.start() + 1}; delete it"


def _look_alike(value: Any) -> str:
    """A note naming the first non-ASCII character of a value that must be ASCII, since
    look-alikes (Cyrillic 'а', full-width 'ｄ') read like the letters they imitate."""
    if not isinstance(value, str) or value.isascii():
        return ""
    i, char = next((i, c) for i, c in enumerate(value) if not c.isascii())
    return f" (character {i + 1} is U+{ord(char):04X} {unicodedata.name(char, 'a non-ASCII character')}, not an ASCII letter)"


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    import difflib

    found = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{found[0]}'?)" if found else ""


def _drop_empty_optionals(data: dict) -> dict:
    required = set(record_schema()["required"])
    return {k: v for k, v in data.items() if k in required or v not in (None, "", [], {})}


def check_record(doc: Document, label: str, record_id: str, taxonomy: Taxonomy) -> tuple[Paper | None, list[Problem]]:
    """Check one parsed record; returns the paper (when valid) and its problems."""
    problems: list[Problem] = []

    def fail(path: tuple, message: str) -> None:
        problems.append(Problem(label, doc.line(path), dotted(path), message))

    longest = record_schema()["$defs"]["id"]["maxLength"]
    if not ID_PATTERN.match(record_id):
        problems.append(Problem(label, 1, None, f"file name must be <id>.yaml with an id of lowercase letters, digits and hyphens, got {describe(record_id)}{_look_alike(record_id)}"))
    elif len(record_id) > longest:
        problems.append(Problem(label, 1, None, f"file name's id is {len(record_id)} characters long; the limit is {longest}"))
    elif record_id in RESERVED_IDS:
        problems.append(Problem(label, 1, None, f"file name '{record_id}' {_RESERVED_MESSAGE}"))
    problems.extend(doc.problems)
    if not isinstance(doc.data, dict):
        what = "an empty file" if doc.data is None else describe(doc.data)
        problems.append(Problem(label, 1, None, f"expected a mapping of fields (title, type, ...), got {what}"))
        return None, problems
    data = _drop_empty_optionals(doc.data)
    for error in _schema_errors(data):
        for path, message in _schema_message(error):
            fail(path, message)

    kind = data.get("type")
    if isinstance(kind, str) and ID_PATTERN.match(kind) and kind not in taxonomy.types:
        hint = taxonomy.suggest_type(kind)
        fail(("type",), f"unknown type '{kind}'" + (f" (did you mean '{hint}'?)" if hint else f" (expected one of: {', '.join(taxonomy.types)})"))
    tags = data.get("tags")
    for i, tag in enumerate(tags if isinstance(tags, list) else []):
        if isinstance(tag, str) and ID_PATTERN.match(tag) and tag not in taxonomy.tags:
            hint = taxonomy.suggest_tag(tag)
            fail(("tags", i), f"unknown tag '{tag}'" + (f" (did you mean '{hint}'?)" if hint else " (see the tags in taxonomy.yaml)"))
    added = data.get("added")
    if isinstance(added, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", added):
        try:
            _dt.date.fromisoformat(added)
        except ValueError:
            fail(("added",), f"not a real date: {describe(added)}")
    for key in ("aliases", "not_duplicates"):
        if isinstance(data.get(key), list) and record_id in data[key]:
            fail((key,), f"lists the record's own id '{record_id}'")
    for i, alias in enumerate(data.get("aliases") if isinstance(data.get("aliases"), list) else []):
        if isinstance(alias, str) and alias in RESERVED_IDS:
            fail(("aliases", i), f"'{alias}' {_RESERVED_MESSAGE}")
    if problems:
        return None, problems

    paper = Paper(
        id=record_id,
        source=label,
        lines=dict(doc.lines),
        **{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()},
    )
    return paper, problems


def read_record(path: Path, taxonomy: Taxonomy) -> tuple[Paper | None, list[Problem]]:
    """Read and check one record file."""
    label = display_path(path)
    try:
        doc = read_file(path, label)
    except YamlError as exc:
        return None, exc.problems
    return check_record(doc, label, path.stem, taxonomy)


def record_files(content_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The record files of a content folder, and problems with anything else found there."""
    folder = papers_dir(content_dir)
    if not folder.is_dir():
        return [], [Problem(display_path(folder), 1, None, "no papers folder: records live in <content>/papers/<id>.yaml")]
    files, problems = [], []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            refused = "is a symbolic link; records must be plain files inside the papers folder"
        elif entry.is_dir():
            refused = "is a folder; records are files named <id>.yaml directly in the papers folder"
        elif entry.suffix != ".yaml":
            refused = "is not a record: records are files named <id>.yaml"
        else:
            files.append(entry)
            continue
        problems.append(Problem(display_path(entry), 1, None, refused))
    return files, problems


def cross_check(papers: list[Paper]) -> list[Problem]:
    """Problems between records: ids and aliases that collide, unknown ids in not_duplicates."""
    problems = []
    owner: dict[str, Paper] = {p.id: p for p in papers}
    for paper in papers:
        for i, alias in enumerate(paper.aliases):
            other = owner.get(alias)
            if other is not None and other is not paper:
                what = "is the id of" if other.id == alias else "is already an alias of"
                problems.append(Problem(paper.source, paper.lines.get(("aliases", i), paper.line("aliases")), f"aliases[{i}]",
                                        f"'{alias}' {what} {other.source}"))
            else:
                owner[alias] = paper
    for paper in papers:
        for i, other in enumerate(paper.not_duplicates):
            if other not in owner:
                problems.append(Problem(paper.source, paper.lines.get(("not_duplicates", i), paper.line("not_duplicates")),
                                        f"not_duplicates[{i}]", f"no record has the id '{other}'"))
    return problems


def load_content(content_dir: Path, only: Iterable[Path] | None = None, read=None) -> Content:
    """Load the taxonomy and every record; problems are collected, not raised.

    With ``only``, just those record files are checked (the others are still loaded, so
    cross-record checks see the whole atlas). A broken taxonomy is raised at once, since no
    record can be checked without it. ``read(path, taxonomy)`` replaces :func:`read_record`
    (the live preview passes one that re-reads only changed files).
    """
    content_dir = Path(content_dir)
    taxonomy = load_taxonomy(content_dir)
    files, problems = record_files(content_dir)
    papers = []
    wanted = None if only is None else {Path(p).resolve() for p in only}
    for path in files:
        paper, found = (read or read_record)(path, taxonomy)
        if wanted is None or path.resolve() in wanted:
            problems.extend(found)
        if paper is not None:
            papers.append(paper)
    cross = cross_check(papers)
    if wanted is not None:
        labels = {display_path(path) for path in files if path.resolve() in wanted}
        cross = [p for p in cross if p.path in labels]
    problems.extend(cross)
    return Content(content_dir, taxonomy, papers, sorted(problems))


def require_valid(content: Content) -> Content:
    """Raise :class:`ContentError` when the content has any problem."""
    if content.problems:
        raise ContentError(content.problems)
    return content

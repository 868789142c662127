"""The canonical form of a record, as ``atlas fmt`` writes it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import Problem, display_path
from .links import LINK_KINDS_ORDER, canonical_url
from .models import field_order, schema_path
from .text import one_line, paragraphs
from .yamlio import YamlError, dump, parse_text, read_file

SCHEMA_COMMENT = "# yaml-language-server: $schema="
_ONE_LINE = {"title", "type", "method", "task", "venue", "added"}
_PARAGRAPHS = {"abstract", "summary", "notes"}


def schema_line(record_path: Path) -> str:
    """The editor comment pointing at the record schema, relative to the record's folder."""
    target = os.path.relpath(schema_path(), Path(record_path).resolve().parent)
    return SCHEMA_COMMENT + Path(target).as_posix()


def canonical_data(data: dict) -> dict:
    """The record's fields in schema order with normalized text and canonical URLs.

    Every key and every value is kept; only spacing, Unicode form, URL form and order change.
    """
    out = {}
    order = field_order()
    for key in sorted(data, key=lambda k: order.index(k) if k in order else len(order)):
        value = data[key]
        if isinstance(value, str):
            if key in _ONE_LINE:
                value = one_line(value)
            elif key in _PARAGRAPHS:
                value = paragraphs(value)
        elif key in ("tags", "authors", "aliases", "not_duplicates") and isinstance(value, list):
            value = [one_line(v) if isinstance(v, str) else v for v in value]
        elif key == "links" and isinstance(value, dict):
            ordered = sorted(value, key=lambda k: LINK_KINDS_ORDER.get(k, len(LINK_KINDS_ORDER)))
            value = {k: canonical_url(v) if isinstance(v, str) else v for k, v in ((k, value[k]) for k in ordered)}
        out[key] = value
    return out


def _comment_lines(text: str, data) -> list[int]:
    """Lines holding a YAML comment: cutting the comment off leaves the same data."""
    lines = text.split("\n")
    found = []
    for i, line in enumerate(lines):
        if line.startswith(SCHEMA_COMMENT):
            continue
        for match in re.finditer(r"(?:^|(?<=\s))#", line):
            trial = lines[:i] + [line[: match.start()].rstrip()] + lines[i + 1:]
            try:
                same = parse_text("\n".join(trial), "").data == data
            except YamlError:
                same = False
            if same:
                found.append(i + 1)
                break
    return found


def format_record(path: Path) -> tuple[str | None, list[Problem]]:
    """The canonical text of a record file, or the problems that stop it being formatted."""
    label = display_path(path)
    try:
        doc = read_file(path, label)
    except YamlError as exc:
        return None, exc.problems
    if doc.problems:
        return None, doc.problems
    if not isinstance(doc.data, dict):
        return None, [Problem(label, 1, None, "expected a mapping of fields; fix the record first")]
    order = field_order()
    unknown = [k for k in doc.data if k not in order]
    if unknown:
        return None, [Problem(label, doc.line((k,)), k, "unknown key; fix the record first") for k in unknown]
    text = path.read_text("utf-8").lstrip("\ufeff")
    comments = _comment_lines(text, doc.data)
    if comments:
        return None, [Problem(label, n, None, "has a comment that fmt would drop; move it into the record's `notes` field") for n in comments]
    return dump(canonical_data(doc.data), header=schema_line(path)), []

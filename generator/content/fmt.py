"""The canonical form of a record, as ``atlas fmt`` writes it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from generator.errors import Problem, display_path
from generator.content.links import LINK_KINDS_ORDER, canonical_url
from generator.content.models import field_order, schema_path
from generator.text import one_line, paragraphs
from generator.content.yamlio import YamlError, read_file
from generator.content.yamlwrite import dump

SCHEMA_COMMENT = "# yaml-language-server: $schema="
_ONE_LINE = {"title", "type", "method", "task", "venue", "volume", "issue", "pages", "added"}
_PARAGRAPHS = {"abstract", "summary", "notes"}
_PLAIN_URL = re.compile(r"^https?://[!-~]+$", re.IGNORECASE)


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
            value = {k: _canonical_link(value[k]) for k in ordered}
        out[key] = value
    return out


class _CommentScanner(yaml.reader.Reader, yaml.scanner.Scanner):
    """PyYAML's scanner, noting the line of every comment it skips.

    One pass over the text, so a file of thousands of comments costs no more than its size.
    """

    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        self.comment_lines: list[int] = []

    def _skip_comment(self) -> None:
        while self.peek() == " ":
            self.forward()
        if self.peek() == "#":
            self.comment_lines.append(self.line + 1)
            while self.peek() not in "\0\r\n\x85\u2028\u2029":
                self.forward()

    def scan_to_next_token(self):  # noqa: D401 - PyYAML hook, same loop noting comments
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        while True:
            self._skip_comment()
            if not self.scan_line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True

    def scan_block_scalar_ignored_line(self, start_mark):
        self._skip_comment()
        return super().scan_block_scalar_ignored_line(start_mark)

    def scan_directive_ignored_line(self, start_mark):
        self._skip_comment()
        return super().scan_directive_ignored_line(start_mark)


def _canonical_link(value):
    """A link in canonical form; a value that is not one plain http(s) URL is kept as written,
    so fmt never turns a refused link into an accepted one."""
    if isinstance(value, str) and _PLAIN_URL.match(value):
        return canonical_url(value)
    return value


def _comment_lines(text: str) -> list[int]:
    """Lines holding a YAML comment (other than the editor schema line)."""
    lines = re.split(r"\r\n|\r|\n", text)
    if not any("#" in line for line in lines if not line.startswith(SCHEMA_COMMENT)):
        return []  # no "#" outside the schema line: no comment, and no need to scan (most records)
    scanner = _CommentScanner(text)
    while not scanner.check_token(yaml.tokens.StreamEndToken):
        scanner.get_token()
    return [n for n in scanner.comment_lines if not lines[n - 1].startswith(SCHEMA_COMMENT)]


def format_record(path: Path) -> tuple[str | None, list[Problem]]:
    """The canonical text of a record file, or the problems that stop it being formatted."""
    text, problems, _data = format_record_data(path)
    return text, problems


def format_record_data(path: Path) -> tuple[str | None, list[Problem], dict]:
    """As :func:`format_record`, with the record's fields as the file holds them (read once;
    empty when the file cannot be formatted)."""
    label = display_path(path)
    try:
        doc = read_file(path, label)
    except YamlError as exc:
        return None, exc.problems, {}
    if doc.problems:
        return None, doc.problems, {}
    if not isinstance(doc.data, dict):
        return None, [Problem(label, 1, None, "expected a mapping of fields; fix the record first")], {}
    order = field_order()
    unknown = [k for k in doc.data if k not in order]
    if unknown:
        return None, [Problem(label, doc.line((k,)), k, "unknown key; fix the record first") for k in unknown], {}
    text = path.read_text("utf-8").lstrip("\ufeff")
    comments = _comment_lines(text)
    if comments:
        return None, [Problem(label, n, None, "has a comment that fmt would drop; move it into the record's `notes` field") for n in comments], {}
    return dump(canonical_data(doc.data), header=schema_line(path)), [], dict(doc.data)

"""Strict YAML reading (canonical writing is :mod:`generator.content.yamlwrite`).

Records come from strangers, so the reader trusts nothing: the size is checked before the
text is decoded, the text must be UTF-8 without control characters, anchors, aliases and
explicit tags are refused where the parser meets them (before anything expands), nesting is
capped (so depth never becomes recursion), a second document is an error, duplicate keys are
errors, and scalars keep the text that was written (``no`` stays ``"no"``, ``1:30`` stays
``"1:30"``, ``2024-01-02`` stays a string). Only a plain run of digits without a leading zero
becomes an integer. Every value keeps the line it was written on, so errors can point at it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from generator.errors import ContentError, Problem, display_path

MAX_BYTES = 64 * 1024
"""Largest record file accepted, checked before the file is parsed."""

MAX_DEPTH = 20
"""Deepest nesting of lists and mappings accepted (a record needs two levels)."""

_INT = re.compile(r"^(0|[1-9][0-9]{0,8})$")
_NUMBER = re.compile(r"^-?(0|[1-9][0-9]{0,8})(\.[0-9]{1,9})?$")
"""The numbers of a curator's file (:func:`read_curated`): negative and decimal ones too."""
_NULLS = {"", "~", "null", "Null", "NULL"}
_REFUSED_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
"""Characters YAML refuses in a file (everything outside tab, line feed, carriage return,
U+0020-U+007E, U+00A0-U+D7FF, U+E000-U+FFFD and U+10000 on), and the line separators it counts
as line breaks (which editors may not, so every later line number would be off). Listed as the
refused ranges rather than as the complement of the allowed ones: the search runs over every
record's whole text, and this form is about four times faster."""


class _Refused(yaml.YAMLError):
    """Raised inside the composer when the document uses a feature we refuse."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


class _StrictComposer(Composer):
    depth = 0

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        event = self.peek_event()
        if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            if self.depth >= MAX_DEPTH:
                raise _Refused(
                    f"lists and mappings nested more than {MAX_DEPTH} levels deep are not allowed in records",
                    event.start_mark.line + 1,
                )
            self.depth += 1
            try:
                return self._compose_checked(event, parent, index)
            finally:
                self.depth -= 1
        return self._compose_checked(event, parent, index)

    def _compose_checked(self, event, parent, index):
        if isinstance(event, AliasEvent):
            raise _Refused(
                f"YAML alias '*{event.anchor}' is not allowed in records; write the value out",
                event.start_mark.line + 1,
            )
        if isinstance(event, (ScalarEvent, MappingStartEvent, SequenceStartEvent)):
            if event.anchor is not None:
                raise _Refused(
                    f"YAML anchor '&{event.anchor}' is not allowed in records; write the value out",
                    event.start_mark.line + 1,
                )
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                raise _Refused(
                    f"YAML tag '{tag}' is not allowed in records", event.start_mark.line + 1
                )
        return super().compose_node(parent, index)


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _StrictComposer,
              yaml.resolver.BaseResolver):
    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _StrictComposer.__init__(self)
        yaml.resolver.BaseResolver.__init__(self)


try:
    from yaml.cyaml import CParser as _CParser  # libyaml's scanner and parser, when PyYAML has it
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

if _CParser is not None:
    class _FastLoader(_StrictComposer, _CParser, yaml.resolver.BaseResolver):
        """The same strict composer over libyaml's events, about ten times faster to scan.

        Nodes are built by one method instead of PyYAML's chain of composer and resolver calls
        (no tag resolution is needed: explicit tags are refused, and every node gets the default
        tag of its kind, as the resolver without implicit resolvers gives it). Whatever it refuses
        is read again by the Python parser, which says why."""

        def __init__(self, stream):
            _CParser.__init__(self, stream)
            _StrictComposer.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)

        def compose_node(self, parent, index):
            event = self.get_event()
            kind = event.__class__
            if kind is AliasEvent or event.anchor is not None or event.tag not in (None, "!"):
                raise _Refused("refused by the fast composer", event.start_mark.line + 1)
            if kind is ScalarEvent:
                # libyaml marks plain scalars with "", the Python parser with None
                return ScalarNode(_SCALAR_TAG, event.value, event.start_mark, event.end_mark, style=event.style or None)
            if self.depth >= MAX_DEPTH:
                raise _Refused("nested too deep", event.start_mark.line + 1)
            self.depth += 1
            if kind is SequenceStartEvent:
                node = SequenceNode(_SEQUENCE_TAG, [], event.start_mark, None, flow_style=event.flow_style)
                items = node.value
                while not self.check_event(SequenceEndEvent):
                    items.append(self.compose_node(node, len(items)))
            elif kind is MappingStartEvent:
                node = MappingNode(_MAPPING_TAG, [], event.start_mark, None, flow_style=event.flow_style)
                pairs = node.value
                while not self.check_event(MappingEndEvent):
                    key = self.compose_node(node, None)
                    pairs.append((key, self.compose_node(node, key)))
            else:  # pragma: no cover - a parser gives no other event where a node starts
                raise _Refused(f"unexpected {kind.__name__}", event.start_mark.line + 1)
            node.end_mark = self.get_event().end_mark
            self.depth -= 1
            return node

    _SCALAR_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
    _SEQUENCE_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
    _MAPPING_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG


_BLOCK_HEADER_COMMENT = re.compile(r"[|>][0-9+-]{0,2}#")
"""A block scalar's header followed at once by a comment (``|#``), which libyaml accepts and the
Python parser refuses; ordinary text matching it only takes the slower way."""


def _single_node(text: str):
    """The document's node. libyaml reads it when it can; any error is found again by the pure
    Python parser, whose messages (and line numbers) the error reports are written for. Text with
    a tab, or with what may be a block scalar's header directly followed by a comment, always goes
    to the Python parser: libyaml accepts both, which it refuses."""
    if _CParser is not None and "\t" not in text and not _BLOCK_HEADER_COMMENT.search(text):
        fast = _FastLoader(text)
        try:
            return fast.get_single_node()
        except yaml.YAMLError:
            pass
        finally:
            fast.dispose()
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


@dataclass
class Document:
    """A parsed YAML document: its data and the line of every key and list item."""

    data: Any
    lines: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    """Problems that did not stop the parse (duplicate keys: the first value is kept)."""

    def line(self, path: tuple, default: int = 1) -> int:
        """The line of ``path``, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


class YamlError(Exception):
    """The file could not be read as a strict YAML document; carries its problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _describe_node(node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "a value"


def _convert(node, path: tuple, lines: dict, problems: list, label: str, numbers: re.Pattern = _INT) -> Any:
    if isinstance(node, ScalarNode):
        if node.style is None:
            if node.value in _NULLS:
                return None
            if numbers.match(node.value):
                return float(node.value) if "." in node.value else int(node.value)
        return node.value
    if isinstance(node, SequenceNode):
        out = []
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line + 1
            out.append(_convert(item, path + (i,), lines, problems, label, numbers))
        return out
    if isinstance(node, MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                problems.append(Problem(label, line, _dotted(path), f"a key must be text, not {_describe_node(key_node)}"))
                continue
            key = key_node.value
            if key in out:
                first = lines.get(path + (key,), "?")
                problems.append(Problem(label, line, _dotted(path + (key,)), f"duplicate key (first written on line {first})"))
                continue
            lines[path + (key,)] = line
            out[key] = _convert(value_node, path + (key,), lines, problems, label, numbers)
        return out
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - composer yields only these


def _dotted(path: tuple) -> str | None:
    if not path:
        return None
    text = str(path[0])
    for part in path[1:]:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


dotted = _dotted


def _line_of_offset(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _refused_character(text: str) -> Problem | None:
    """The first character a record may not hold, as a problem without a file."""
    found = _REFUSED_CHARACTER.search(text)
    if found is None:
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    if char in "\x85\u2028\u2029":
        message = f"contains the line separator {code}; use a plain line break"
    elif unicodedata.category(char) == "Cc":
        message = f"contains the control character {code}; delete it"
    else:
        message = f"contains the character {code}, which YAML does not allow; delete it"
    line = text.count("\n", 0, found.start()) + len(re.findall(r"\r(?!\n)", text[: found.start()])) + 1
    return Problem("", line, None, message)


def _tab_hint(text: str, mark) -> str:
    """Why a tab broke the parse: indentation, or a tab inside an unquoted value."""
    lines = re.split(r"\r\n|\r|\n", text)
    before = lines[mark.line][: mark.column] if mark and mark.line < len(lines) else ""
    if before.strip():
        return " (a tab inside an unquoted value: put the value in quotes or use spaces)"
    return " (YAML is indented with spaces, never tabs)"


def parse_text(text: str, label: str, numbers: bool = False) -> Document:
    """Parse YAML text strictly. Raises :class:`YamlError` with every problem found.

    Unquoted negative and decimal numbers (``-2``, ``0.5``) stay text unless ``numbers`` is set."""
    if text.startswith("\ufeff"):
        text = text[1:]
    refused = _refused_character(text)
    if refused is not None:
        raise YamlError([Problem(label, refused.line, None, refused.message)])
    problems: list[Problem] = []
    try:
        node = _single_node(text)
    except _Refused as exc:
        raise YamlError([Problem(label, exc.line, None, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        if exc.context == "expected a single document in the stream" or str(exc.problem).startswith("expected '<document start>'"):
            raise YamlError([Problem(label, line, None, "a second YAML document starts here; a record is a single document (remove the '---' or '...' line)")]) from None
        what = exc.problem or "not valid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        if "\\t" in what:
            what += _tab_hint(text, mark)
        raise YamlError([Problem(label, line, None, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise YamlError([Problem(label, 1, None, f"YAML syntax error: {exc}")]) from None
    lines: dict = {}
    data = None if node is None else _convert(node, (), lines, problems, label, _NUMBER if numbers else _INT)
    return Document(data, lines, problems)


def read_file(path: Path, label: str | None = None, max_bytes: int = MAX_BYTES, numbers: bool = False) -> Document:
    """Read one YAML file strictly: size first, then UTF-8, then the document (``numbers``:
    as :func:`parse_text` has it)."""
    label = label or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlError([Problem(label, 1, None, f"cannot read file: {exc.strerror}")]) from None
    if size > max_bytes:
        raise YamlError([Problem(label, 1, None, f"file is {size} bytes; the limit is {max_bytes} bytes")])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError([Problem(label, 1, None, f"cannot read file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(raw, exc.start)
        raise YamlError([Problem(label, line, None, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})")]) from None
    return parse_text(text, label, numbers)


def read_curated(path: Path, expected: str, max_bytes: int = 1024 * 1024) -> tuple[Document, str]:
    """Read a curator's YAML file (taxonomy, rules) that must hold a mapping.

    Unquoted numbers are numbers, negative and decimal ones too (``-2``, ``0.5``), as an editor
    checking the file against its schema reads them. Returns the document and the label used in
    problems; raises :class:`ContentError` when the file cannot be read or is not a mapping
    (``expected`` says what it should hold).
    """
    label = display_path(path)
    try:
        doc = read_file(path, label, max_bytes=max_bytes, numbers=True)
    except YamlError as exc:
        raise ContentError(exc.problems) from None
    if not isinstance(doc.data, dict):
        raise ContentError([Problem(label, 1, None, f"expected {expected}")])
    return doc, label


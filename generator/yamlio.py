"""Strict YAML reading and canonical YAML writing.

Records come from strangers, so the reader trusts nothing: the size is checked before the
text is decoded, the text must be UTF-8, anchors, aliases and explicit tags are refused where
the parser meets them (before anything expands), duplicate keys are errors, and scalars keep
the text that was written (``no`` stays ``"no"``, ``1:30`` stays ``"1:30"``, ``2024-01-02``
stays a string). Only a plain run of digits without a leading zero becomes an integer.
Every value keeps the line it was written on, so errors can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import Problem

MAX_BYTES = 64 * 1024
"""Largest record file accepted, checked before the file is parsed."""

_INT = re.compile(r"^(0|[1-9][0-9]{0,8})$")
_NULLS = {"", "~", "null", "Null", "NULL"}



class _Refused(yaml.YAMLError):
    """Raised inside the composer when the document uses a feature we refuse."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


class _StrictComposer(Composer):
    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        event = self.peek_event()
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


def _convert(node, path: tuple, lines: dict, problems: list, label: str) -> Any:
    if isinstance(node, ScalarNode):
        if node.style is None:
            if node.value in _NULLS:
                return None
            if _INT.match(node.value):
                return int(node.value)
        return node.value
    if isinstance(node, SequenceNode):
        out = []
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line + 1
            out.append(_convert(item, path + (i,), lines, problems, label))
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
            out[key] = _convert(value_node, path + (key,), lines, problems, label)
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


def parse_text(text: str, label: str) -> Document:
    """Parse YAML text strictly. Raises :class:`YamlError` with every problem found."""
    if text.startswith("\ufeff"):
        text = text[1:]
    problems: list[Problem] = []
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except _Refused as exc:
        raise YamlError([Problem(label, exc.line, None, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "not valid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        if "\\t" in what:
            what += " (YAML is indented with spaces, never tabs)"
        raise YamlError([Problem(label, line, None, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise YamlError([Problem(label, 1, None, f"YAML syntax error: {exc}")]) from None
    finally:
        loader.dispose()
    lines: dict = {}
    data = None if node is None else _convert(node, (), lines, problems, label)
    return Document(data, lines, problems)


def read_file(path: Path, label: str | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """Read one YAML file strictly: size first, then UTF-8, then the document."""
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
    if "\x00" in text:
        raise YamlError([Problem(label, _line_of_offset(raw, raw.index(b"\x00")), None, "contains a NUL character")])
    return parse_text(text, label)


class _Dumper(yaml.SafeDumper):
    """Writes records in block style; text with line breaks as literal blocks."""


def _represent_str(dumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_none(dumper, _value):
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(type(None), _represent_none)


def dump(data: dict, header: str | None = None) -> str:
    """Write ``data`` as YAML in the given key order, with an optional first comment line."""
    body = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
        width=10**9, indent=2,
    )
    if body.strip() == "{}":
        body = ""
    return (header + "\n" if header else "") + body

"""Checking YAML documents against the JSON Schemas in ``generator/schemas/``.

Records (``paper.schema.json``) and the curated files (``taxonomy``, ``extraction`` and
``dedupe``) are all checked here, so every problem reads the same way: the file, the line of the
offending key, the field, and what was expected. Most documents are valid, so the compiled check
of :mod:`generator.content.schema_check` answers first and ``jsonschema`` only explains the
documents it refuses.

Schemas may carry three annotations of ours, which change no verdict:

- ``x-message`` beside a ``pattern``: what the value must be ("must be a tag id such as rlhf");
- ``x-empty`` beside a ``type``: what an empty value should have been;
- ``x-key-kind`` beside ``additionalProperties: false``: what the keys of that mapping are
  ("section", "link kind", "key"); an unknown one that is close to no known one is then
  reported with the list of known ones.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from functools import cache
from importlib import resources
from typing import Any, Iterable

import jsonschema

from generator.errors import ContentError, Problem
from generator.content.schema_check import UnsupportedSchema, compile_schema, schema_regex
from generator.content.yamlio import Document, dotted, read_curated

ID_FORM = r"^[a-z0-9][a-z0-9-]*$"
"""What an id must look like (a record's, a type's or a tag's): every schema's pattern for ids."""

_TYPE_WORDS = {"string": "text", "integer": "an integer", "number": "a number", "array": "a list", "object": "a mapping"}


@cache
def load_schema(name: str) -> dict:
    """The JSON Schema ``generator/schemas/<name>.schema.json`` shipped with the package."""
    text = resources.files("generator").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def describe(value: Any) -> str:
    """A short description of a value for error messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{value}'"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _pattern(validator, pattern: str, instance, schema):
    if validator.is_type(instance, "string") and not schema_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})
"""``jsonschema``'s draft 2020-12 validator reading ``pattern`` as the compiled check does
(:func:`generator.content.schema_check.schema_regex`)."""


class SchemaCheck:
    """One schema, ready to check documents: the compiled yes-or-no check (None when the schema
    uses something :mod:`generator.content.schema_check` does not compile; then every document
    goes to ``jsonschema``) and ``jsonschema``'s validator for the explanations."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.validator = Validator(schema)
        try:
            self.fast = compile_schema(schema)
        except UnsupportedSchema:
            self.fast = None

    def errors(self, data: Any) -> list[jsonschema.ValidationError]:
        """``jsonschema``'s errors for ``data``, sorted by the path of the value."""
        if self.fast is not None and self.fast(data):
            return []
        return sorted(self.validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator))

    def problems(self, doc: Document, label: str, data: Any = None) -> list[Problem]:
        """The problems of a parsed document (or of ``data`` read from it), each at the line of
        its key."""
        data = doc.data if data is None else data
        return [Problem(label, doc.line(path), dotted(path), message)
                for error in self.errors(data) for path, message in schema_message(error)]


@cache
def checker(name: str) -> SchemaCheck:
    """The check of ``generator/schemas/<name>.schema.json``, made once a run."""
    return SchemaCheck(load_schema(name))


class CuratedFile:
    """A curator's file (taxonomy, rules) read with :func:`generator.content.yamlio.read_curated`
    and checked against ``generator/schemas/<schema>.schema.json``, collecting the problems that
    checks of its own add with :meth:`fail`."""

    def __init__(self, path, expected: str, schema: str):
        self.doc, self.label = read_curated(path, expected)
        self.problems = list(self.doc.problems) + checker(schema).problems(self.doc, self.label)

    def fail(self, where: tuple, message: str) -> None:
        """Report a problem at the key path ``where``."""
        self.problems.append(Problem(self.label, self.doc.line(where), dotted(where), message))

    def raise_problems(self) -> None:
        """Raise :class:`ContentError` with every problem so far, in line order, if there is one."""
        if self.problems:
            raise ContentError(sorted(self.problems, key=lambda p: p.line))


def schema_message(error: jsonschema.ValidationError) -> list[tuple[tuple, str]]:
    """Our wording of one JSON Schema error, as (path, message) pairs."""
    path = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    if kind == "type":
        wanted = error.validator_value
        wanted = [wanted] if isinstance(wanted, str) else wanted
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        if value is None:
            return [(path, f"is empty; {schema.get('x-empty', f'expected {words}')}")]
        return [(path, f"expected {words}, got {describe(value)}")]
    if kind == "required":
        return [(path + (name,), "required field is missing") for name in error.validator_value if name not in value]
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        what = schema.get("x-key-kind")
        out = []
        for key in value:
            if key in allowed:
                continue
            hint = did_you_mean(str(key), allowed)
            if what and not hint:
                hint = f" (expected one of: {', '.join(allowed)})"
            out.append((path + (key,), f"unknown {what or 'key'} '{key}'{hint}"))
        return out
    if kind == "pattern":
        refused = _refused_character(error.validator_value, value)
        if refused:
            return [(path, refused)]
        return [(path, f"{schema.get('x-message', 'has the wrong form')}, got {describe(value)}{look_alike(value) if error.validator_value == ID_FORM else ''}")]
    if kind == "minLength":
        return [(path, "must not be empty")]
    if kind == "maxLength":
        return [(path, f"is {len(value)} characters long; the limit is {error.validator_value}")]
    if kind == "maxItems":
        return [(path, f"has {len(value)} items; the limit is {error.validator_value}")]
    if kind == "uniqueItems":
        return [(path, "lists the same value twice")]
    if kind in ("minimum", "maximum"):
        return [(path, f"expected a number {_bounds(schema.get('minimum'), schema.get('maximum'))}, got {value}")]
    return [(path, error.message)]  # pragma: no cover - the schemas use only the keywords above


def _bounds(low, high) -> str:
    """``from 0 to 1``, ``0 or more`` or ``at most 5``."""
    if low is not None and high is not None:
        return f"from {low} to {high}"
    return f"{low} or more" if low is not None else f"at most {high}"


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


def look_alike(value: Any) -> str:
    """A note naming the first non-ASCII character of a value that must be ASCII, since
    look-alikes (Cyrillic 'а', full-width 'ｄ') read like the letters they imitate."""
    if not isinstance(value, str) or value.isascii():
        return ""
    i, char = next((i, c) for i, c in enumerate(value) if not c.isascii())
    return f" (character {i + 1} is U+{ord(char):04X} {unicodedata.name(char, 'a non-ASCII character')}, not an ASCII letter)"


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing when none is close."""
    found = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{found[0]}'?)" if found else ""

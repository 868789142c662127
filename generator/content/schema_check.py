"""A fast yes-or-no check of a value against a JSON Schema (draft 2020-12).

``jsonschema`` builds an error object for every keyword it visits and resolves every ``$ref``
again for each value, which makes checking thousands of records slow even when all of them are
valid. :func:`compile_schema` turns a schema into plain Python functions once; the result only
answers "valid or not". Records that fail it are checked again by ``jsonschema``, whose errors
the messages are written from, so the answer must be exactly ``jsonschema``'s ``is_valid``
(given ``pattern`` read by :func:`schema_regex`, as ``generator.content.records`` has it read).

Only the keywords the record schema uses are understood. A schema holding any other keyword
(or one of these with a value of an unexpected form) is refused with :class:`UnsupportedSchema`,
never half-checked, so callers then use ``jsonschema`` alone.
"""

from __future__ import annotations

import numbers
import re
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import unquote

Check = Callable[[Any], bool]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

ANNOTATIONS = frozenset({"title", "description", "$comment", "x-message", "x-empty", "x-key-kind"})
"""Keywords that never change whether a value is valid (the ``x-`` ones word our messages:
:mod:`generator.content.schemas`)."""

ROOT_ONLY = frozenset({"$schema", "$id"})
"""Keywords accepted on the root schema only: elsewhere they would start a new resource, which
changes how ``$ref`` resolves."""

VALIDATION = frozenset({
    "type", "required", "additionalProperties", "properties", "pattern", "minLength", "maxLength",
    "items", "uniqueItems", "maxItems", "minimum", "maximum", "allOf", "$ref", "$defs",
})
"""Keywords :func:`compile_schema` turns into checks (``$defs`` holds schemas for ``$ref``)."""


@lru_cache(maxsize=None)
def schema_regex(pattern: str) -> re.Pattern:
    """A schema's ``pattern`` compiled for Python as JSON Schema reads it (ECMA-262): ``$``
    outside a character class is the end of the text. Python's ``$`` would also match before
    a final line break, letting a one-line field end with one."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = "\\Z"
        out.append(char)
    return re.compile("".join(out))


class UnsupportedSchema(ValueError):
    """The schema uses something the compiler does not check; only ``jsonschema`` may be used."""


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or isinstance(value, float) and value.is_integer()


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


TYPES: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
}
"""What each JSON type accepts, as ``jsonschema``'s 2020-12 type checker decides it: booleans
are not numbers, ``3.0`` is an integer, only ``list`` is an array and only ``dict`` an object."""


def _unique_by_jsonschema(items: list) -> bool:
    import jsonschema

    return jsonschema.Draft202012Validator({"uniqueItems": True}).is_valid(items)


def _unique(items: list) -> bool:
    """``uniqueItems``: a list of plain strings by a set; anything else (numbers, booleans,
    nested lists, where ``1``, ``1.0`` and ``True`` need care) by ``jsonschema`` itself."""
    for item in items:
        if type(item) is not str:
            return _unique_by_jsonschema(items)
    return len(set(items)) == len(items)


def _count(value: Any, keyword: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UnsupportedSchema(f"'{keyword}' must be a non-negative integer, not {value!r}")
    return value


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]

    def every(value: Any) -> bool:
        for check in checks:
            if not check(value):
                return False
        return True

    return every


class _Compiler:
    """Compiles the subschemas of one root schema, each once (``$ref`` targets are shared)."""

    def __init__(self, root: Any):
        self.root = root
        self.compiled: dict[tuple, Check] = {}

    def schema(self, schema: Any, at: tuple) -> Check:
        """The check of the subschema found at JSON pointer ``at`` (a tuple of its parts)."""
        if at in self.compiled:
            return self.compiled[at]
        target: list[Check] = []
        self.compiled[at] = lambda value: target[0](value)  # a $ref cycle reaches it through this
        check = self._build(schema, at)
        target.append(check)
        self.compiled[at] = check
        return check

    def _build(self, schema: Any, at: tuple) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise UnsupportedSchema(f"a schema must be a mapping or a boolean, not {schema!r} (at {at})")
        for keyword in schema:
            if keyword in ROOT_ONLY and at == ():
                continue
            if keyword not in VALIDATION and keyword not in ANNOTATIONS:
                raise UnsupportedSchema(f"unknown keyword {keyword!r} (at {at})")
        if "$schema" in schema and schema["$schema"] != DRAFT:
            raise UnsupportedSchema(f"only draft 2020-12 schemas are compiled, not {schema['$schema']!r}")

        checks: list[Check] = []
        defs = schema.get("$defs", {})
        if not isinstance(defs, dict):
            raise UnsupportedSchema("'$defs' must be a mapping")
        for name, sub in defs.items():
            self.schema(sub, at + ("$defs", name))  # so that every keyword anywhere is known
        if "type" in schema:
            checks.append(self._type(schema["type"]))
        checks.extend(self._string_checks(schema))
        if any(k in schema for k in ("required", "properties", "additionalProperties")):
            checks.append(self._object(schema, at))
        if any(k in schema for k in ("items", "maxItems", "uniqueItems")):
            checks.append(self._array(schema, at))
        checks.extend(self._number_checks(schema))
        if "allOf" in schema:
            parts = schema["allOf"]
            if not isinstance(parts, list) or not parts:
                raise UnsupportedSchema("'allOf' must be a non-empty list of schemas")
            checks.extend(self.schema(sub, at + ("allOf", str(i))) for i, sub in enumerate(parts))
        if "$ref" in schema:
            checks.append(self._ref(schema["$ref"]))
        return _all(checks)

    def _type(self, wanted: Any) -> Check:
        names = [wanted] if isinstance(wanted, str) else wanted
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n in TYPES for n in names):
            raise UnsupportedSchema(f"'type' must name JSON types, not {wanted!r}")
        if names == ["string"]:
            return lambda value: isinstance(value, str)
        if names == ["array"]:
            return lambda value: isinstance(value, list)
        if names == ["object"]:
            return lambda value: isinstance(value, dict)
        tests = [TYPES[n] for n in names]
        if len(tests) == 1:
            return tests[0]
        return lambda value: any(test(value) for test in tests)

    def _string_checks(self, schema: dict) -> list[Check]:
        """``minLength``, ``maxLength`` (in code points) and ``pattern`` (:func:`schema_regex`)
        in one check; they ignore non-strings."""
        shortest = _count(schema["minLength"], "minLength") if "minLength" in schema else 0
        longest = _count(schema["maxLength"], "maxLength") if "maxLength" in schema else None
        search = None
        if "pattern" in schema:
            if not isinstance(schema["pattern"], str):
                raise UnsupportedSchema(f"'pattern' must be text, not {schema['pattern']!r}")
            try:
                search = schema_regex(schema["pattern"]).search
            except re.error as exc:
                raise UnsupportedSchema(f"'pattern' {schema['pattern']!r} is not a regular expression: {exc}") from None
        if not shortest and longest is None and search is None:
            return []
        if longest is None:
            longest = float("inf")

        def string(value: Any) -> bool:
            if not isinstance(value, str):
                return True
            if not shortest <= len(value) <= longest:
                return False
            return search is None or search(value) is not None

        return [string]

    def _object(self, schema: dict, at: tuple) -> Check:
        """``required``, ``properties`` and ``additionalProperties``; they ignore non-mappings."""
        required = schema.get("required", [])
        if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
            raise UnsupportedSchema("'required' must be a list of names")
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            raise UnsupportedSchema("'properties' must be a mapping of names to schemas")
        named = {name: self.schema(sub, at + ("properties", name)) for name, sub in properties.items()}
        extra = schema.get("additionalProperties", True)
        if isinstance(extra, bool):
            closed, other = not extra, None
        elif isinstance(extra, dict):
            closed, other = False, self.schema(extra, at + ("additionalProperties",))
        else:
            raise UnsupportedSchema("'additionalProperties' must be a schema")
        known = frozenset(named)
        lookup = named.get

        def mapping(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for name in required:
                if name not in value:
                    return False
            if closed and not known.issuperset(value):
                return False
            for key, item in value.items():
                check = lookup(key)
                if check is None:
                    check = other
                if check is not None and not check(item):
                    return False
            return True

        return mapping

    def _array(self, schema: dict, at: tuple) -> Check:
        """``items``, ``maxItems`` and ``uniqueItems``; they ignore non-lists."""
        longest = _count(schema["maxItems"], "maxItems") if "maxItems" in schema else None
        unique = schema.get("uniqueItems", False)
        if not isinstance(unique, bool):
            raise UnsupportedSchema("'uniqueItems' must be true or false")
        each = self.schema(schema["items"], at + ("items",)) if "items" in schema else None

        def array(value: Any) -> bool:
            if not isinstance(value, list):
                return True
            if longest is not None and len(value) > longest:
                return False
            if each is not None:
                for item in value:
                    if not each(item):
                        return False
            return not unique or _unique(value)

        return array

    def _number_checks(self, schema: dict) -> list[Check]:
        """``minimum`` and ``maximum``; they ignore anything but numbers. Written as "not below"
        rather than "at least", as ``jsonschema`` compares."""
        checks = []
        for keyword in ("minimum", "maximum"):
            if keyword not in schema:
                continue
            bound = schema[keyword]
            if not _is_number(bound):
                raise UnsupportedSchema(f"'{keyword}' must be a number, not {bound!r}")
            if keyword == "minimum":
                checks.append(lambda value, bound=bound: not _is_number(value) or not value < bound)
            else:
                checks.append(lambda value, bound=bound: not _is_number(value) or not value > bound)
        return checks

    def _ref(self, ref: Any) -> Check:
        """A ``$ref`` to a JSON pointer inside the root schema (``#/$defs/line``)."""
        if not isinstance(ref, str) or not ref.startswith("#") or (len(ref) > 1 and ref[1] != "/"):
            raise UnsupportedSchema(f"only '$ref' to '#/...' inside the schema is compiled, not {ref!r}")
        parts = tuple(p.replace("~1", "/").replace("~0", "~") for p in unquote(ref[1:]).split("/")[1:])
        target = self.root
        for part in parts:
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                raise UnsupportedSchema(f"'$ref' {ref!r} points at nothing")
        return self.schema(target, parts)


def compile_schema(schema: Any) -> Check:
    """A function telling whether a value is valid against ``schema`` (exactly as
    ``jsonschema.Draft202012Validator(schema).is_valid`` does). Raises :class:`UnsupportedSchema`
    when the schema holds a keyword, a ``$ref`` or a keyword value it does not compile."""
    return _Compiler(schema).schema(schema, ())

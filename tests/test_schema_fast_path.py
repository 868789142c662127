"""The compiled record schema (generator.content.schema_check) says "valid" exactly when jsonschema does,
so skipping jsonschema for the records it accepts changes no message.

Examples are derandomized and the example database is off, so every run checks the same inputs.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from unittest import mock

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content import records
from generator.content.links import LINK_KINDS
from generator.content.models import field_order, record_schema
from generator.content.schema_check import UnsupportedSchema, compile_schema
from generator.content.schemas import SchemaCheck, Validator, checker
from generator.content.taxonomy import load_taxonomy
from generator.content.yamlio import Document, YamlError, parse_text, read_file

from conftest import GOOD, ROOT, examples
from hostile.corpus import cases, install

SCHEMA = record_schema()
FAST = compile_schema(SCHEMA)
SLOW = records._checker().validator  # jsonschema, with "pattern" read as JSON Schema reads it (schema_regex)
TAXONOMY = load_taxonomy(ROOT / "content")
MANY = settings(max_examples=examples(1000))


def agree(value) -> bool:
    """Both checkers' verdict on ``value`` (and on it without empty optional fields, as
    check_record passes it); fails when they differ."""
    verdict = SLOW.is_valid(value)
    assert FAST(value) is verdict, value
    if isinstance(value, dict):
        trimmed = records._drop_empty_optionals(value)
        assert FAST(trimmed) is SLOW.is_valid(trimmed), trimmed
    return verdict


@pytest.mark.parametrize("name", ["paper", "taxonomy", "extraction", "dedupe"])
def test_the_shipped_schemas_are_compiled(name):
    assert checker(name).fast is not None


# Every record the repository holds.


def sample_files(tmp_path_factory) -> list[Path]:
    files = [*ROOT.glob("content/papers/*.yaml"), *ROOT.glob("tests/site/fixture_content/papers/*.yaml")]
    hostile = tmp_path_factory.mktemp("hostile")
    for case in cases():
        files.append(install(case, hostile / case.name))
    return files


def test_every_record_of_the_repository(tmp_path_factory):
    verdicts = []
    for path in sample_files(tmp_path_factory):
        if path.is_dir() or path.is_symlink():
            continue
        try:
            data = read_file(path).data
        except YamlError:
            continue
        verdicts.append(agree(data))
    assert verdicts.count(True) > 40 and verdicts.count(False) > 20


def record_texts() -> list[str]:
    """The record texts of test_records' table of bad records."""
    import test_records

    (table,) = [m for m in test_records.test_bad_record_messages.pytestmark if m.name == "parametrize"]
    return [text for text, _expected in table.args[1]]


def test_every_record_of_the_message_tests():
    verdicts = []
    for text in record_texts():
        try:
            verdicts.append(agree(parse_text(text, "x.yaml").data))
        except YamlError:
            continue
    assert verdicts.count(False) > 15


# Boundaries, each with the verdict JSON Schema gives it.


def record(**fields):
    return {**copy.deepcopy(GOOD), **fields}


BOUNDARIES = [
    (record(), True),
    (record(year=True), False),  # a boolean is not an integer
    (record(year=2000.0), True),  # 2000.0 is an integer in draft 2020-12
    (record(year=2000.5), False),
    (record(year=1900), True), (record(year=1899), False), (record(year=2100), True), (record(year=2101), False),
    (record(year=math.inf), False), (record(year=math.nan), False), (record(year="2000"), False),
    (record(title=""), False), (record(title=" "), False), (record(title="x" * 500), True), (record(title="x" * 501), False),
    (record(title="é" * 500), True), (record(title="😀" * 500), True),  # lengths count code points
    (record(title="a\tb"), True), (record(title="a\nb"), False),
    (record(title="ab\n"), False),  # "$" is the end of the text, as in JSON Schema: no final line break either
    (record(title="a\u202eb"), False), (record(title="a\u200bb"), False), (record(title="a\x85b"), False),
    (record(type="llm-alignment\n"), False),
    (record(type="llm-alignment\n\n"), False), (record(type="-x"), False), (record(type="Llm"), False),
    (record(abstract="a\n\nb\tc"), True), (record(abstract="a\x0cb"), False), (record(abstract="a\u2066b"), False),
    (record(abstract="x" * 20000), True), (record(abstract="x" * 20001), False),
    (record(tags=["a"] * 2), False), (record(tags=[f"t{i}" for i in range(30)]), True),
    (record(tags=[f"t{i}" for i in range(31)]), False), (record(tags=[1, 1.0]), False), (record(tags=[]), True),
    (record(tags="rlhf"), False), (record(tags=[["a"]]), False),
    (record(aliases=["a", "b"]), True), (record(aliases=["a", "a"]), False), (record(aliases=["x" * 121]), False),
    (record(links={"code": "https://a.org/x"}), True), (record(links={"code": "https://a.org/x\n"}), False), (record(links={"code": "https://a.org/x y"}), False),
    (record(links={"code": "ftp://a.org"}), False), (record(links={"github": "https://a.org"}), False),
    (record(links={"code": "https://" + "a" * 1992}), True), (record(links={"code": "https://" + "a" * 1993}), False),
    (record(links=[]), False), (record(authors=["A"] * 500), True), (record(authors=["A"] * 501), False),
    (record(authors=[""]), False), (record(authors=[None]), False), (record(added="2024-01-02"), True),
    (record(added="2024-1-02"), False), (record(added="2024-01-02\n"), False), (record(colour="red"), False),
    ({"title": "A"}, False), ({}, False), ([], False), ("text", False), (None, False),
]


@pytest.mark.parametrize("value, valid", BOUNDARIES, ids=[str(i) for i in range(len(BOUNDARIES))])
def test_boundaries(value, valid):
    assert agree(value) is valid


# Generated values: the schema's fields with values near and far from what they allow.


def chars() -> st.SearchStrategy[str]:
    tricky = "\t\n\r\x00\x07\x0b\x0c\x1b\x7f\x85\x9f\xa0\u200b\u2028\u2029\u202a\u202e\u2060\u2066\u2069\ufeff\ufffe"
    return (st.sampled_from("abcxyz019-_ :/.<>\"'`é\u0430\uff44😀" + tricky)
            | st.characters(codec="utf-8"))


TEXT = st.lists(chars(), max_size=12).map("".join)
IDS = st.sampled_from(["rlhf", "dpo", "a", "llm-alignment", "x1", "-x", "Dpo", "dpo\n", "d po", "", "a\u0430"])
URLS = st.tuples(st.sampled_from(["https://", "http://", "ftp://", "HTTPS://", "", "https:/"]), TEXT).map("".join)


def sized(limit: int) -> st.SearchStrategy[str]:
    """Text just below, at or above a length limit, sometimes with one tricky character in it."""
    def build(length: int, char: str, at: int) -> str:
        text = "x" * length
        return text[:at] + char + text[at + 1:] if at < length else text

    return st.builds(build, st.integers(limit - 2, limit + 2), st.sampled_from("é\n\u202e \x00"), st.integers(0, limit + 3))


SCALARS = (st.none() | st.booleans() | st.integers(-5, 3000) | st.integers() | st.floats()
           | st.sampled_from([1900, 2100, 1899, 2101, 2000.0, 1900.0, 2100.5, 0, 1, True, False]) | TEXT | IDS)
ANY = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT | IDS, inner, max_size=4),
                   max_leaves=10)


def lists_of(items: st.SearchStrategy, limit: int) -> st.SearchStrategy[list]:
    near_limit = st.integers(limit - 1, limit + 1).map(lambda n: [f"t{i}" for i in range(n)])
    return st.lists(items, max_size=6) | near_limit


FIELD_VALUES = {
    "title": TEXT | sized(500), "type": IDS | TEXT, "abstract": TEXT | sized(20000), "summary": TEXT | sized(1000),
    "method": TEXT | sized(120), "task": TEXT | sized(120), "tags": lists_of(IDS, 30),
    "links": st.dictionaries(st.sampled_from([*LINK_KINDS, "github", ""]), URLS | sized(2000) | ANY, max_size=4),
    "year": SCALARS, "authors": lists_of(TEXT | sized(200), 500), "venue": TEXT | sized(300),
    "volume": TEXT | sized(40), "issue": TEXT | sized(40), "pages": TEXT | sized(40),
    "added": st.sampled_from(["2024-01-02", "2024-1-02", "2024-01-02\n", "02-01-2024", "2024-13-40"]) | TEXT,
    "aliases": lists_of(IDS | sized(120), 2), "not_duplicates": lists_of(IDS, 2), "notes": TEXT | sized(5000),
}


LINE = st.text(st.sampled_from("abcXYZ 019-:,.()é\u0430\t\u00a0😀"), max_size=30).map(lambda t: "T" + t)
PARAGRAPHS = st.text(st.sampled_from("abc XYZ.\n\t\r\u200bé"), max_size=60)
VALID_VALUES = {
    "title": LINE, "type": st.sampled_from(sorted(TAXONOMY.types)), "abstract": PARAGRAPHS, "summary": PARAGRAPHS,
    "method": LINE, "task": LINE, "tags": st.lists(st.sampled_from(sorted(TAXONOMY.tags)), unique=True, max_size=6),
    "links": st.dictionaries(st.sampled_from(LINK_KINDS), st.text("abcxyz019-_./?=&#%~", max_size=20).map(lambda p: "https://a.org/" + p), max_size=4),
    "year": st.integers(1900, 2100), "authors": st.lists(LINE, max_size=4), "venue": LINE,
    "volume": LINE, "issue": LINE, "pages": LINE,
    "added": st.dates().map(str), "aliases": st.lists(IDS.filter(lambda i: i in ("rlhf", "dpo", "a", "x1")), unique=True),
    "not_duplicates": st.lists(st.sampled_from(["a", "b-2", "c"]), unique=True), "notes": PARAGRAPHS,
}
"""Values each field accepts."""


@st.composite
def records_(draw):
    """A valid record, then none, one or a few of its fields changed to values near or far from
    what the field allows, a required field dropped or an unknown key added."""
    keys = ["title", "type", *draw(st.lists(st.sampled_from(field_order()[2:]), unique=True))]
    out = {key: draw(VALID_VALUES[key]) for key in keys}
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
        change = draw(st.sampled_from(["edge", "edge", "edge", "any", "drop", "extra"]))
        key = draw(st.sampled_from(field_order()))
        if change == "edge":
            out[key] = draw(FIELD_VALUES[key])
        elif change == "any":
            out[key] = draw(ANY)
        elif change == "drop":
            out.pop(key, None)
        else:
            out[draw(TEXT | IDS)] = draw(ANY)
    return out


@MANY
@given(records_())
def test_generated_records(value):
    agree(value)


@MANY
@given(st.fixed_dictionaries({"title": sized(500) | TEXT, "type": IDS}, optional={k: FIELD_VALUES[k] for k in FIELD_VALUES if k not in ("title", "type")}))
def test_generated_records_with_the_required_fields(value):
    agree(value)


@MANY
@given(ANY)
def test_any_value(value):
    agree(value)


UNIQUE = compile_schema({"type": "array", "uniqueItems": True})
UNIQUE_SLOW = jsonschema.Draft202012Validator({"type": "array", "uniqueItems": True})


@MANY
@given(st.lists(ANY | st.sampled_from([1, 1.0, True, 0, False, 0.0, [1], [True], [1.0], {"a": 1}, {"a": True}]), max_size=6))
def test_unique_items_of_any_value(value):
    assert UNIQUE(value) is UNIQUE_SLOW.is_valid(value)


SMALL_SCHEMAS = [
    {"minimum": 1}, {"maximum": 1.5}, {"type": "number"}, {"type": "integer"}, {"type": ["string", "null"]},
    {"type": "boolean"}, {"additionalProperties": {"type": "string"}}, {"properties": {"a": False}},
    {"items": False}, {"items": True, "maxItems": 0}, True, False, {"minLength": 2}, {"pattern": "^a+$"},
    {"allOf": [{"type": "array"}, {"uniqueItems": True}]}, {"required": ["a"], "additionalProperties": False},
]
"""Schemas using the compiled keywords in ways the record schema does not."""


@pytest.mark.parametrize("schema", SMALL_SCHEMAS, ids=[str(s) for s in SMALL_SCHEMAS])
@settings(max_examples=examples(200))
@given(value=ANY | st.sampled_from([math.nan, math.inf, 1, 1.0, 1.5, True, "aa\n", {"a": 1}]))
def test_other_schemas(schema, value):
    assert compile_schema(schema)(value) is Validator(schema).is_valid(value)


# Schemas the compiler must refuse rather than check in part.


REFUSED = [
    {"type": "string", "format": "email"},
    {"properties": {"a": {"minItems": 1}}},
    {"$defs": {"unused": {"oneOf": [{"type": "string"}]}}},
    {"items": {"properties": {"a": {"allOf": [{"not": {}}]}}}},
    {"patternProperties": {"^x": {}}},
    {"prefixItems": [{"type": "string"}]},
    {"unevaluatedProperties": False},
    {"$anchor": "a"},
    {"$dynamicRef": "#a"},
    {"properties": {"a": {"$id": "other.json"}}},
    {"properties": {"a": {"$schema": "https://json-schema.org/draft/2020-12/schema"}}},
    {"$schema": "http://json-schema.org/draft-07/schema#"},
    {"$ref": "other.json#/x"},
    {"$ref": "#/$defs/missing"},
    {"type": "float"},
    {"type": []},
    {"pattern": 3},
    {"pattern": "(unclosed"},
    {"maxLength": -1},
    {"maxLength": 3.0},
    {"minimum": "1"},
    {"required": "title"},
    {"additionalProperties": "no"},
    {"uniqueItems": 1},
    {"allOf": []},
    {"properties": {"a": 3}},
]


@pytest.mark.parametrize("schema", REFUSED, ids=[str(s) for s in REFUSED])
def test_a_schema_with_anything_unknown_is_refused(schema):
    with pytest.raises(UnsupportedSchema):
        compile_schema(schema)


@pytest.mark.parametrize("where", [(), ("properties", "tags", "items"), ("$defs", "url"), ("properties", "title", "allOf", 1)])
def test_the_record_schema_with_one_unknown_keyword_anywhere_is_refused(where):
    changed = copy.deepcopy(SCHEMA)
    target = changed
    for part in where:
        target = target[part]
    target["format"] = "uri"
    with pytest.raises(UnsupportedSchema):
        compile_schema(changed)


def test_a_cyclic_ref_is_compiled():
    tree = compile_schema({"$defs": {"node": {"type": "array", "items": {"$ref": "#/$defs/node"}}}, "$ref": "#/$defs/node"})
    assert tree([[], [[]]]) and not tree([[], [1]])


def test_records_go_to_jsonschema_alone_when_the_schema_is_refused(monkeypatch):
    changed = copy.deepcopy(SCHEMA)
    changed["properties"]["title"]["format"] = "x"
    refused = SchemaCheck(changed)
    assert refused.fast is None
    monkeypatch.setattr(records, "_checker", lambda: refused)
    doc = parse_text("title: A\ntype: adjacent\nyear: 12\n", "x.yaml")
    problems = records.check_record(doc, "x.yaml", "x", TAXONOMY)[1]
    assert [str(p) for p in problems] == ["x.yaml:3: year: expected a number from 1900 to 2100, got 12"]


# check_record's problems with and without the compiled check.


def problems_both_ways(doc) -> tuple[list[str], list[str]]:
    """check_record's problems as they are, and with every record sent to jsonschema."""
    fast = [str(p) for p in records.check_record(doc, "x.yaml", "x", TAXONOMY)[1]]
    with mock.patch.object(records._checker(), "fast", None):
        slow = [str(p) for p in records.check_record(doc, "x.yaml", "x", TAXONOMY)[1]]
    return fast, slow


def test_same_problems_for_every_record_of_the_tests(tmp_path_factory):
    texts = record_texts() + [path.read_text("utf-8", "replace") for path in sample_files(tmp_path_factory)
                              if path.is_file() and not path.is_symlink() and path.stat().st_size < 100_000]
    differing, with_problems = [], 0
    for text in texts:
        try:
            doc = parse_text(text, "x.yaml")
        except YamlError:
            continue
        fast, slow = problems_both_ways(doc)
        with_problems += bool(slow)
        if fast != slow:
            differing.append((text, fast, slow))
    assert differing == []
    assert with_problems > 20


@MANY
@given(records_())
def test_same_problems_for_generated_records(value):
    fast, slow = problems_both_ways(Document(value))
    assert fast == slow


@pytest.mark.parametrize(("pattern", "text", "found"), [
    ("^a+$", "aa", True), ("^a+$", "aa\n", False),  # "$" is the end of the text only
    (r"^a\$$", "a$", True), (r"^a\$$", "a$\n", False),  # an escaped "$" is the character
    ("^[$a]+$", "$a", True), ("^[$a]+$", "$a\n", False),  # so is a "$" in a character class
    ("^(a|b$)", "b\n", False), ("^(a|b$)", "ac", True),
])
def test_schema_patterns_read_dollar_as_the_end_of_the_text(pattern, text, found):
    from generator.content.schema_check import schema_regex

    assert bool(schema_regex(pattern).search(text)) is found

"""Property-based tests: no input crashes the loader, and ``fmt`` is idempotent and lossless.

Examples are derandomized and the example database is off, so every run checks the same inputs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.errors import Problem
from generator.content.fmt import canonical_data, format_record
from generator.content.links import LINK_KINDS, canonical_url
from generator.content.models import Paper, field_order
from generator.content.records import read_record
from generator.content.taxonomy import TYPE_IDS, load_taxonomy
from generator.text import one_line, paragraphs

from conftest import ROOT, examples

TAXONOMY = load_taxonomy(ROOT / "content")
FAST = settings(max_examples=examples(200))


@pytest.fixture(scope="module")
def record_path(tmp_path_factory) -> Path:
    """One record file, rewritten by each example."""
    return tmp_path_factory.mktemp("papers") / "x.yaml"


def load(path: Path, raw: bytes):
    path.write_bytes(raw)
    paper, problems = read_record(path, TAXONOMY)
    assert (paper is None) == bool(problems)
    assert isinstance(paper, (Paper, type(None)))
    for problem in problems:
        assert isinstance(problem, Problem) and problem.line >= 1 and problem.message
        assert "\n" not in str(problem).split(": ", 1)[0]
    return paper, problems


YAML_PIECES = [
    "title", "type", "abstract", "tags", "links", "year", "code", "llm-alignment", "dpo", ":", ": ",
    " ", "  ", "\n", "\n  ", "\t", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!x ",
    "!!python/object:os.system ", "'", '"', "\\", "#", " # c", "---", "...", "? ", "|", ">", "|-",
    "%YAML 1.1", "012", "no", "1:30", "2024-01-02", "~", "null", "99999999999999999999", "<<: ",
    "\ufeff", "\r\n", "\x00", "\x07", "\u2028", "\u202e", "é", "https://a.org", "javascript:x",
]


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_loader(record_path, raw):
    load(record_path, raw)


@FAST
@given(st.text(max_size=400))
def test_random_text_never_crashes_the_loader(record_path, text):
    load(record_path, text.encode("utf-8"))


@FAST
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=60))
def test_yaml_like_text_never_crashes_the_loader(record_path, pieces):
    load(record_path, "".join(pieces).encode("utf-8"))


SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | st.dates()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
KEYS = st.sampled_from(field_order()) | st.text(max_size=10)


@FAST
@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_random_structures_never_crash_the_loader(record_path, data):
    paper, _ = load(record_path, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))
    if paper is not None:
        assert isinstance(paper.title, str) and paper.type in TYPE_IDS


REFUSED = "\u200b\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=REFUSED + "\ufffe\uffff")
SPECIAL = st.sampled_from(["<script>alert(1)</script>", "{{ x }}", "{% raw %}", "# ", "---", "*", "_", "`", "&amp;",
                           "'", '"', ": ", " #", "[a](javascript:x)", "no", "012", "1:30", "\t", "  ", "é", "ﬁ", "e\u0301"])
TEXT = st.lists(CHARS.map(str) | SPECIAL, max_size=25).map("".join)
LINE = TEXT.filter(lambda t: t.strip())
PARAGRAPHS = st.lists(TEXT, max_size=4).map(lambda parts: "\n\n".join(parts) + "\n" if parts else "x")
URL = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}{path}",
    st.sampled_from(["http", "https"]),
    st.sampled_from(["example.org", "github.com", "arxiv.org", "doi.org", "HuggingFace.co", "a.b.c"]),
    st.text(alphabet="abcxyz019-_./?=&#%~", max_size=20).map(lambda p: "/" + p),
)
RECORDS = st.fixed_dictionaries(
    {"title": LINE.filter(lambda t: len(t) < 400), "type": st.sampled_from(TYPE_IDS)},
    optional={
        "abstract": PARAGRAPHS, "summary": PARAGRAPHS.filter(lambda t: len(t) < 900), "notes": PARAGRAPHS,
        "method": TEXT, "task": TEXT, "venue": TEXT,
        "tags": st.lists(st.sampled_from(sorted(TAXONOMY.tags)), unique=True, max_size=6),
        "links": st.dictionaries(st.sampled_from(LINK_KINDS), URL, max_size=4),
        "year": st.integers(1900, 2100),
        "authors": st.lists(LINE.filter(lambda t: len(t) < 150), max_size=4),
        "added": st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)).map(str),
    },
)


def same_modulo_whitespace(key: str, before, after) -> bool:
    if key in ("abstract", "summary", "notes"):
        return paragraphs(before) == after
    if key == "links":
        return {k: canonical_url(v) for k, v in before.items()} == after
    if isinstance(before, str):
        return one_line(before) == after
    if isinstance(before, list):
        return [one_line(v) for v in before] == after
    return before == after


@FAST
@given(RECORDS)
def test_fmt_is_idempotent_and_loses_no_field(record_path, record):
    before, problems = load(record_path, yaml.safe_dump(record, allow_unicode=True, sort_keys=False).encode("utf-8"))
    assume(before is not None)
    written = before.to_dict()
    text, problems = format_record(record_path)
    assert problems == []
    after, problems = load(record_path, text.encode("utf-8"))
    assert problems == []
    loaded = after.to_dict()
    # A field of only whitespace normalizes to empty, which a record leaves out.
    kept = {k: v for k, v in canonical_data(written).items() if v not in ("", [], {})}
    assert loaded == kept
    assert set(loaded) == set(kept) <= set(written)
    assert list(loaded) == [k for k in field_order() if k in loaded]
    for key in written:
        assert same_modulo_whitespace(key, written[key], loaded.get(key, "")), key
    again, problems = format_record(record_path)
    assert (again, problems) == (text, [])


def _pyyaml_dump(data: dict) -> str:
    """What ``yamlwrite.dump`` writes with PyYAML's own emitter only."""
    from generator.content import yamlwrite

    body = yaml.dump(data, Dumper=yamlwrite._Dumper, **yamlwrite._DUMP_OPTIONS)
    return "" if body.strip() == "{}" else body


# Mostly text both emitters write alike (printable BMP characters, YAML's indicators, line breaks
# and tabs), and some of anything else, so that both ways through yamlwrite.dump are taken.
_LIKELY = st.text(st.one_of(st.sampled_from(list(" :#-'\"|>&*!%@`{}[],?\n\t\\")),
                            st.characters(min_codepoint=0x20, max_codepoint=0xFFFF, blacklist_categories=("Cs",))),
                  max_size=30)
_ANY = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_VALUE = st.one_of(st.none(), st.integers(), _LIKELY, _ANY, st.lists(st.one_of(_LIKELY, _ANY), max_size=3))


@settings(FAST, max_examples=examples(1500))
@given(st.dictionaries(st.sampled_from(field_order()), _VALUE, max_size=6))
def test_dump_writes_what_pyyaml_writes(data):
    from generator.content import yamlwrite

    assert yamlwrite.dump(data) == _pyyaml_dump(data)


@pytest.mark.parametrize("data, fast", [
    ({"title": "Direct Preference Optimization", "abstract": "Line one.\nLine two — “quoted”, α ≤ β.", "year": 2023,
      "tags": ["dpo", "rlhf"], "links": {"code": "https://example.org/x#y"}, "notes": None}, True),
    ({"title": "Emoji 😀 in a title"}, False),            # libyaml would escape it
    ({"title": "Line\u2028separator"}, False),           # the emitters differ on U+2028
    # After text that keeps its final line breaks, libyaml ends the document with "...", PyYAML
    # only when that text comes last: PyYAML's is written.
    ({"title": "A", "abstract": "ends with breaks\n\n", "year": 2020}, True),
])
def test_dump_takes_libyaml_only_where_the_emitters_agree(data, fast):
    from generator.content import yamlwrite

    assert yamlwrite._FAST, "PyYAML here is built with libyaml"
    assert yamlwrite._emitters_agree(data) is fast
    assert yamlwrite.dump(data) == _pyyaml_dump(data)
    assert yaml.safe_load(yamlwrite.dump(data)) == data

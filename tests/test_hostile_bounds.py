"""Bounded work: the size limit comes before reading and parsing, an alias is refused where the
parser meets it, and nesting depth never turns into recursion depth."""

from __future__ import annotations

import inspect
import pathlib
import sys

import pytest

from generator.content import yamlio
from generator.content.records import read_record
from generator.content.taxonomy import load_taxonomy
from generator.content.yamlio import MAX_BYTES, MAX_DEPTH, YamlError, parse_text, read_file

from conftest import ROOT
from hostile.corpus import HERE

TAXONOMY = load_taxonomy(ROOT / "content")


def padded_record(size: int) -> bytes:
    """A valid record of exactly ``size`` bytes."""
    head = b"title: A\ntype: adjacent\nabstract: "
    return head + b"x" * (size - len(head) - 1) + b"\n"


def test_size_limit_is_checked_before_the_file_is_read_or_parsed(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_bytes(padded_record(MAX_BYTES + 1))

    def refuse(*_args, **_kwargs):
        raise AssertionError("an oversize file was read or parsed")

    monkeypatch.setattr(yamlio, "parse_text", refuse)
    monkeypatch.setattr(yamlio, "_Loader", refuse)
    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    monkeypatch.setattr(pathlib.Path, "read_text", refuse)
    paper, problems = read_record(path, TAXONOMY)
    assert paper is None
    assert [p.message for p in problems] == [f"file is {MAX_BYTES + 1} bytes; the limit is {MAX_BYTES} bytes"]


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    path = tmp_path / "limit.yaml"
    path.write_bytes(padded_record(MAX_BYTES))
    doc = read_file(path, "limit.yaml")
    assert len(doc.data["abstract"]) == MAX_BYTES - len("title: A\ntype: adjacent\nabstract: \n")


class CountingLoader(yamlio._Loader):
    """The strict loader, recording every parser event the composer takes."""

    taken: list = []

    def get_event(self):
        event = super().get_event()
        CountingLoader.taken.append(event)
        return event


def parse_counting(text: str, monkeypatch) -> list:
    CountingLoader.taken = []
    monkeypatch.setattr(yamlio, "_Loader", CountingLoader)

    def never(*_args):
        raise AssertionError("a document holding an alias was converted to data")

    monkeypatch.setattr(yamlio, "_convert", never)
    with pytest.raises(YamlError) as caught:
        parse_text(text, "x.yaml")
    return [str(p) for p in caught.value.problems]


def test_billion_laughs_stops_at_the_first_anchor(monkeypatch):
    text = (HERE / "billion-laughs.yaml").read_text("utf-8")
    assert text.count("\n") == 11 and text.count("*") == 73
    problems = parse_counting(text, monkeypatch)
    assert problems == ["x.yaml:1: YAML anchor '&a' is not allowed in records; write the value out"]
    # The whole file is 118 events; the composer stopped at the anchored list, before its items.
    assert [type(e).__name__ for e in CountingLoader.taken] == [
        "StreamStartEvent", "DocumentStartEvent", "MappingStartEvent", "ScalarEvent",
    ]


def test_an_alias_is_refused_where_it_is_met(monkeypatch):
    lines = ["title: A", "type: adjacent", *(f"k{i}: v{i}" for i in range(20)), "summary: *ghost", "tail: [a, b, c]"]
    problems = parse_counting("\n".join(lines) + "\n", monkeypatch)
    assert problems == ["x.yaml:23: YAML alias '*ghost' is not allowed in records; write the value out"]
    assert type(CountingLoader.taken[-1]).__name__ == "ScalarEvent"
    assert CountingLoader.taken[-1].value == "summary"
    assert not any(type(e).__name__ == "AliasEvent" for e in CountingLoader.taken)


@pytest.mark.parametrize("open_, close", [("[", "]"), ("{a: ", "}")])
def test_nesting_limit_boundary(open_, close):
    depth_inside_root = MAX_DEPTH - 1
    ok = parse_text("k: " + open_ * depth_inside_root + "x" + close * depth_inside_root + "\n", "x.yaml")
    assert ok.problems == []
    with pytest.raises(YamlError) as caught:
        parse_text("k: " + open_ * MAX_DEPTH + "x" + close * MAX_DEPTH + "\n", "x.yaml")
    assert [p.message for p in caught.value.problems] == [
        f"lists and mappings nested more than {MAX_DEPTH} levels deep are not allowed in records"
    ]


def test_deep_nesting_uses_no_recursion_in_proportion():
    """10,000 levels are refused under a recursion limit far below 10,000."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 300)
    try:
        for text in ("tags: " + "[" * 10_000 + "]" * 10_000, "- " * 10_000 + "x", "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 3000))):
            with pytest.raises(YamlError) as caught:
                parse_text(text, "x.yaml")
            assert "nested more than" in caught.value.problems[0].message
    finally:
        sys.setrecursionlimit(limit)


def test_read_file_reports_control_characters_without_a_traceback(tmp_path):
    path = tmp_path / "x.yaml"
    for char in ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\ufffe"]:
        path.write_bytes(f"title: A\ntype: adjacent\nsummary: a{char}b\n".encode("utf-8"))
        with pytest.raises(YamlError) as caught:
            read_file(path, "x.yaml")
        (problem,) = caught.value.problems
        assert problem.line == 3
        assert f"U+{ord(char):04X}" in problem.message

"""The hostile record corpus through ``atlas validate``: each record is refused with its exact
messages or loads with exactly the text it was written with."""

from __future__ import annotations

import pytest

from generator.content.fmt import canonical_data, format_record
from generator.content.records import load_content
from generator.text import one_line, paragraphs
from generator.content.yamlio import parse_text

from hostile.corpus import GENERATORS, HERE, cases, install

CASES = cases()


def test_manifest_names_every_committed_record_and_nothing_else():
    committed = {p.stem for p in HERE.glob("*.yaml")} - {"expected"}
    plain = {c.name for c in CASES if not c.generated}
    assert committed == plain
    assert {c.generated for c in CASES if c.generated} <= set(GENERATORS)
    assert all(c.outcome in ("fail", "render") for c in CASES)
    assert all(c.messages if c.outcome == "fail" else c.fields for c in CASES)


ISSUE_LIST = {
    "html-script-title": "render", "html-img-onerror-abstract": "render", "html-iframe-summary": "render",
    "html-style-abstract": "render", "html-bold-title": "render", "markdown-javascript-links": "render",
    "markdown-data-vbscript-links": "render", "link-dangerous-schemes": "fail",
    "title-block-scalar-dashes": "fail", "abstract-heading-table": "render", "template-syntax": "render",
    "theme-markers": "render", "duplicate-keys": "fail", "billion-laughs": "fail", "yaml-1-1-scalars": "render",
    "year-leading-zero": "fail", "year-sexagesimal": "fail", "year-date": "fail", "list-for-record": "fail",
    "scalar-for-links": "fail", "empty-file": "fail", "bom": "render", "tabs-indentation": "fail",
    "non-utf8-latin1": "fail", "oversize": "fail", "python-object-tag": "fail", "front-matter-dashes": "fail",
    "nul-byte": "fail", "number-as-title": "fail", "string-as-tags": "fail", "year-words": "fail",
    "unknown-key": "fail", "type-typo": "fail", "tag-typo": "fail", "alias-escapes-folder": "fail",
    "lookalike-cyrillic-file-name": "fail", "lookalike-fullwidth-file-name": "fail",
    "uppercase-file-name": "fail", "space-in-file-name": "fail", "symlink-outside-folder": "fail",
    "raw-bidi-override": "fail", "zero-width-space-title": "fail", "deep-flow-nesting": "fail",
    "year-huge-integer": "fail", "key-is-list": "fail", "long-line-abstract": "fail",
}
"""The cases the hostile-content checklist asks for, with the outcome each must keep."""


def test_corpus_keeps_every_case_of_the_checklist():
    assert {c.name: c.outcome for c in CASES if c.name in ISSUE_LIST} == ISSUE_LIST


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_record(case, atlas, tmp_path):
    root = tmp_path / "content"
    install(case, root)
    result = atlas("validate", "--content", ".", cwd=root)
    assert "Traceback" not in result.stderr
    if case.outcome == "fail":
        count = f"{len(case.messages)} problem(s) in 1 file(s)"
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr.splitlines() == [*case.messages, count]
    else:
        assert (result.returncode, result.stderr, result.stdout) == (0, "", "ok: 1 record(s) valid\n")
        (paper,) = load_content(root).papers
        assert paper.id == case.name
        assert paper.to_dict() == case.fields


RENDERED = [c for c in CASES if c.outcome == "render"]


@pytest.mark.parametrize("case", RENDERED, ids=[c.name for c in RENDERED])
def test_fmt_keeps_every_field_of_a_hostile_record(case, tmp_path):
    path = install(case, tmp_path / "content")
    text, problems = format_record(path)
    assert problems == []
    data = parse_text(text, "formatted").data
    assert data == canonical_data(case.fields)
    assert set(data) == set(case.fields)
    for key, value in case.fields.items():
        if key in ("abstract", "summary", "notes"):
            assert data[key] == paragraphs(value)
        elif isinstance(value, str):
            assert data[key] == one_line(value)


PLAIN_FILES = [c for c in CASES if c.generated not in ("symlink-outside", "folder")]


@pytest.mark.parametrize("case", PLAIN_FILES, ids=[c.name for c in PLAIN_FILES])
def test_fmt_handles_every_hostile_record_without_crashing(case, tmp_path):
    path = install(case, tmp_path / "content")
    text, problems = format_record(path)
    assert (text is None) == bool(problems)
    if text is not None:
        assert parse_text(text, "formatted").problems == []


INJECTING = [c for c in CASES if c.name in ("key-with-control-characters", "file-name-with-newline")]


@pytest.mark.parametrize("case", INJECTING, ids=[c.name for c in INJECTING])
def test_no_record_can_write_a_line_of_its_own_to_ci_output(case, atlas, tmp_path):
    root = tmp_path / "content"
    install(case, root)
    result = atlas("validate", "--content", ".", cwd=root, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    (annotation,) = result.stdout.splitlines()
    assert annotation.startswith("::error file=papers/") and "\x1b" not in annotation
    assert not any(line.startswith("::") for line in result.stderr.splitlines())
    fmt = atlas("fmt", "--content", ".", cwd=root)
    assert "\x1b" not in fmt.stdout + fmt.stderr
    assert not any(line.startswith("::") for line in (fmt.stdout + fmt.stderr).splitlines())

"""The hostile record corpus through ``atlas validate``: each record is refused with its exact
messages or loads with exactly the text it was written with."""

from __future__ import annotations

import pytest

from generator.fmt import canonical_data, format_record
from generator.records import load_content
from generator.text import one_line, paragraphs
from generator.yamlio import parse_text

from hostile.corpus import GENERATORS, HERE, cases, install

CASES = cases()


def test_manifest_names_every_committed_record_and_nothing_else():
    committed = {p.stem for p in HERE.glob("*.yaml")} - {"expected"}
    plain = {c.name for c in CASES if not c.generated}
    assert committed == plain
    assert {c.generated for c in CASES if c.generated} <= set(GENERATORS)
    assert all(c.outcome in ("fail", "render") for c in CASES)
    assert all(c.messages if c.outcome == "fail" else c.fields for c in CASES)


def test_corpus_covers_both_outcomes_and_the_issue_list():
    outcomes = {c.outcome for c in CASES}
    assert outcomes == {"fail", "render"}
    assert len(CASES) >= 60


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

"""The command line, tested through its real entry point (``python -m generator``)."""

from __future__ import annotations

import pytest
import yaml

from generator.cli import build_parser, main

from conftest import GOOD


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_has_help_with_an_example(atlas, name):
    result = atlas(name, "--help")
    assert result.returncode == 0
    assert "example:" in result.stdout
    assert f"atlas {name}" in result.stdout.split("example:")[1]
    assert "--content DIR" in result.stdout
    assert subcommands()[name].description and "not available" not in subcommands()[name].description.lower()


def test_top_level_help_and_usage_errors(atlas):
    assert atlas("--help").returncode == 0
    result = atlas("frobnicate")
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr
    assert atlas().returncode == 2
    assert atlas("validate", "--no-such-flag").returncode == 2


def test_validate_ok_and_problems(atlas, make_content):
    root = make_content({"dpo.yaml": GOOD})
    result = atlas("validate", "--content", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok: 1 record(s) valid"

    root = make_content({"bad.yaml": "title: A\ntype: adjacent\nyear: twenty\ncolour: red\n"}, name="bad")
    result = atlas("validate", "--content", str(root))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].endswith("bad.yaml:3: year: expected an integer, got 'twenty'")
    assert lines[1].endswith("bad.yaml:4: colour: unknown key 'colour'")
    assert lines[2] == "2 problem(s) in 1 file(s)"
    assert "Traceback" not in result.stderr


def test_validate_github_annotations(atlas, make_content):
    root = make_content({"bad.yaml": "title: A\ntype: adjacent\nyear: twenty\n"})
    result = atlas("validate", "--content", str(root), env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    path = str(root / "papers" / "bad.yaml").replace(":", "%3A")
    assert f"::error file={path},line=3::year: expected an integer, got 'twenty'" in result.stdout


def test_validate_named_files_only(atlas, make_content):
    root = make_content({"good.yaml": GOOD, "bad.yaml": "title: A\ntype: nope\n"})
    assert atlas("validate", "--content", str(root), str(root / "papers" / "good.yaml")).returncode == 0
    assert atlas("validate", "--content", str(root), str(root / "papers" / "bad.yaml")).returncode == 1
    result = atlas("validate", "--content", str(root), "/etc/passwd")
    assert result.returncode == 2
    assert "is not a record in" in result.stderr


def test_missing_content_folder_is_one_clear_line(atlas, tmp_path):
    result = atlas("validate", "--content", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "taxonomy.yaml:1: cannot read file" in result.stderr
    assert "Traceback" not in result.stderr


def test_new_writes_a_record_to_fill_and_never_overwrites(atlas, make_content):
    root = make_content({})
    result = atlas("new", "Binary Classifier  Optimization for LLM Alignment", "--content", str(root))
    assert result.returncode == 0, result.stderr
    path = root / "papers" / "binary-classifier-optimization-for-llm-alignment.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    data = yaml.safe_load(text)
    assert data["title"] == "Binary Classifier Optimization for LLM Alignment"
    assert list(data) == ["title", "type", "abstract", "summary", "method", "task", "tags", "links",
                          "year", "authors", "venue", "added"]
    schema_ref = text.splitlines()[0].split("$schema=")[1]
    assert (path.parent / schema_ref).resolve().name == "paper.schema.json"
    assert (path.parent / schema_ref).resolve().is_file()

    path.write_text(text.replace("type:\n", "type: llm-alignment\n"))
    edited = path.read_text()
    again = atlas("new", "Binary Classifier Optimization for LLM Alignment", "--content", str(root))
    assert again.returncode == 0
    assert path.read_text() == edited
    assert (root / "papers" / "binary-classifier-optimization-for-llm-alignment-2.yaml").exists()

    check = atlas("validate", "--content", str(root), str(path))
    assert check.returncode == 0, check.stderr


def test_new_record_lists_what_to_fill(atlas, make_content):
    root = make_content({})
    atlas("new", "Some Paper", "--content", str(root))
    result = atlas("validate", "--content", str(root))
    assert result.returncode == 1
    assert "some-paper.yaml:3: type: is empty; expected a type id from taxonomy.yaml" in result.stderr


def test_fmt_canonical_idempotent_and_lossless(atlas, make_content):
    messy = (
        "links:\n  code: http://github.com/a/b.git\n  arxiv: https://arxiv.org/pdf/2305.18290v3\n"
        "year: 2023\ntags: [dpo]\ntype:   llm-alignment\n"
        "abstract: \"First  paragraph\\n  continues.\\n\\n\\n\\nSecond.  \"\n"
        "title: \"  Direct   Preference\\nOptimization \"\nnotes: keep me\n"
    )
    root = make_content({"dpo.yaml": messy})
    path = root / "papers" / "dpo.yaml"
    before = yaml.safe_load(path.read_text())

    check = atlas("fmt", "--check", "--content", str(root))
    assert check.returncode == 1
    assert path.read_text() == messy
    result = atlas("fmt", "--content", str(root))
    assert result.returncode == 0, result.stderr
    after = yaml.safe_load(path.read_text())
    assert list(after) == ["title", "type", "abstract", "tags", "links", "year", "notes"]
    assert set(after) == set(before)
    assert after["title"] == "Direct Preference Optimization"
    assert after["abstract"] == "First paragraph continues.\n\nSecond."
    assert after["links"] == {"arxiv": "https://arxiv.org/abs/2305.18290", "code": "https://github.com/a/b"}
    assert after["notes"] == "keep me"
    once = path.read_text()
    assert atlas("fmt", "--check", "--content", str(root)).returncode == 0
    atlas("fmt", "--content", str(root))
    assert path.read_text() == once


def test_fmt_refuses_to_drop_comments_and_broken_files(atlas, make_content):
    root = make_content({
        "c.yaml": "title: A  # the short title\ntype: adjacent\n",
        "d.yaml": "title: A\ntitle: B\ntype: adjacent\n",
        "h.yaml": "title: 'A # not a comment'\ntype: adjacent\n",
    })
    result = atlas("fmt", "--content", str(root))
    assert result.returncode == 1
    assert "c.yaml:1: has a comment that fmt would drop; move it into the record's `notes` field" in result.stderr
    assert "d.yaml:2: title: duplicate key (first written on line 1)" in result.stderr
    assert (root / "papers" / "c.yaml").read_text() == "title: A  # the short title\ntype: adjacent\n"
    assert (root / "papers" / "d.yaml").read_text() == "title: A\ntitle: B\ntype: adjacent\n"
    assert "A # not a comment" in (root / "papers" / "h.yaml").read_text()


def test_main_returns_status_without_traceback(make_content, capsys):
    root = make_content({"x.yaml": "title: A\ntype: adjacent\n"})
    assert main(["validate", "--content", str(root)]) == 0
    assert main(["fmt", "--check", "--content", str(root / "missing")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_output_into_a_closed_pipe_is_not_an_error(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    proc = subprocess.Popen([sys.executable, "-m", "generator", "ingest", "--dry-run", "--content", str(ROOT / "content"),
                             str(ROOT / "content" / "sources" / "000_b97b4739e75d05be.txt")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "internal error" not in err and "Traceback" not in err


def test_fmt_keeps_a_refused_link_as_written(atlas, make_content):
    root = make_content({"x.yaml": 'title: A\ntype: adjacent\nlinks:\n  code: "https://example.org/\\njavascript:alert(1)"\n'})
    atlas("fmt", "--content", str(root))
    data = yaml.safe_load((root / "papers" / "x.yaml").read_text())
    assert data["links"]["code"] == "https://example.org/\njavascript:alert(1)"
    assert atlas("validate", "--content", str(root)).returncode == 1


def test_fmt_check_annotates_in_github_actions(atlas, make_content):
    root = make_content({"x.yaml": "type: adjacent\ntitle: A\n"})
    result = atlas("fmt", "--check", "--content", str(root), env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    path = str(root / "papers" / "x.yaml").replace(":", "%3A")
    assert f"::error file={path},line=1::not in canonical form; run: atlas fmt" in result.stdout

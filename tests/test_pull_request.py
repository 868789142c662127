"""A pull request played in a temporary git repository, checked with ``atlas validate --changed-since``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import GOOD, write_content

MINIMAP2 = {
    "title": "Minimap2: pairwise alignment for nucleotide sequences",
    "type": "sequence-alignment",
    "task": "read alignment",
    "tags": ["genomics"],
    "year": 2018,
    "authors": ["Heng Li"],
    "venue": "Bioinformatics",
    "added": "2026-11-24",
}

NEW_PAPER = {
    "title": "Training language models to follow instructions with human feedback",
    "type": "llm-alignment",
    "method": "InstructGPT",
    "task": "instruction following",
    "tags": ["rlhf", "instruction-tuning"],
    "year": 2022,
    "added": "2026-11-24",
}

TWO_MISTAKES = """\
title: Training language models to follow instructions with human feedback
type: llm-alignment
task: instruction following
tags: [rlhf, instruction-tunning]
year: twenty twenty-two
"""


class Repo:
    """A git repository holding a content folder, with the main branch committed."""

    def __init__(self, root: Path, atlas):
        self.root = root
        self.papers = root / "content" / "papers"
        self._atlas = atlas

    def git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", "-c", "user.name=Contributor", "-c", "user.email=contributor@example.org",
             "-c", "commit.gpgsign=false", *args],
            cwd=self.root, capture_output=True, text=True, check=True,
        )
        return result.stdout

    def write(self, name: str, record: dict | str) -> Path:
        path = self.papers / name
        text = record if isinstance(record, str) else yaml.safe_dump(record, sort_keys=False, allow_unicode=True)
        path.write_text(text, "utf-8")
        return path

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def validate(self, *args: str) -> subprocess.CompletedProcess:
        return self._atlas("validate", "--content", "content", *args, cwd=self.root)


@pytest.fixture
def repo(tmp_path, atlas):
    """A repository whose main branch has two valid records, checked out on branch ``add-paper``."""
    root = tmp_path / "atlas"
    write_content(root / "content", {"direct-preference-optimization.yaml": GOOD, "minimap2.yaml": MINIMAP2})
    repo = Repo(root, atlas)
    repo.git("init", "-q", "-b", "main")
    repo.commit("Two records")
    repo.git("checkout", "-q", "-b", "add-paper")
    return repo


def test_a_branch_adding_a_valid_record_passes(repo):
    repo.write("instructgpt.yaml", NEW_PAPER)
    repo.commit("Add InstructGPT")
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok: 1 record(s) valid (changed since main)"


def test_two_mistakes_are_both_reported_with_their_lines(repo):
    repo.write("instructgpt.yaml", TWO_MISTAKES)
    repo.commit("Add InstructGPT")
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/papers/instructgpt.yaml:4: tags[1]: unknown tag 'instruction-tunning' (did you mean 'instruction-tuning'?)",
        "content/papers/instructgpt.yaml:5: year: expected an integer, got 'twenty twenty-two'",
        "2 problem(s) in 1 file(s)",
    ]


def test_annotations_point_at_the_changed_record(repo):
    repo.write("instructgpt.yaml", TWO_MISTAKES)
    repo.commit("Add InstructGPT")
    result = repo._atlas("validate", "--content", "content", "--changed-since", "main",
                         cwd=repo.root, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/papers/instructgpt.yaml,line=4::tags[1]: unknown tag 'instruction-tunning' (did you mean 'instruction-tuning'?)",
        "::error file=content/papers/instructgpt.yaml,line=5::year: expected an integer, got 'twenty twenty-two'",
    ]


def test_uncommitted_edits_and_untracked_records_count_as_changed(repo):
    repo.write("minimap2.yaml", {**MINIMAP2, "type": "dna-alignment"})
    repo.write("instructgpt.yaml", {**NEW_PAPER, "colour": "red"})
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "content/papers/instructgpt.yaml:10: colour: unknown key 'colour'"
    assert lines[1].startswith("content/papers/minimap2.yaml:2: type: unknown type 'dna-alignment'")
    assert lines[2] == "2 problem(s) in 2 file(s)"


def test_unchanged_records_with_problems_are_not_reported(repo):
    repo.git("checkout", "-q", "main")
    repo.write("broken.yaml", "title: Broken\ntype: adjacent\ntags: [no-such-tag]\n")
    repo.commit("A record with a problem reaches main")
    repo.git("checkout", "-q", "-b", "another-paper")
    repo.write("instructgpt.yaml", NEW_PAPER)
    repo.commit("Add InstructGPT")

    result = repo.validate("--changed-since", "main")
    assert result.returncode == 0, result.stderr
    assert "broken.yaml" not in result.stderr + result.stdout

    full = repo.validate()
    assert full.returncode == 1
    assert "content/papers/broken.yaml:3: tags[0]: unknown tag 'no-such-tag'" in full.stderr


def test_changed_records_are_checked_against_the_whole_atlas(repo):
    repo.write("instructgpt.yaml", {**NEW_PAPER, "aliases": ["minimap2"]})
    repo.commit("Add InstructGPT")
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 1
    assert "content/papers/instructgpt.yaml:11: aliases[0]: 'minimap2' is the id of content/papers/minimap2.yaml" in result.stderr


def test_a_content_folder_named_through_a_symbolic_link_still_gets_cross_record_checks(repo, tmp_path, atlas):
    link = tmp_path / "link"
    link.symlink_to(repo.root)
    repo.write("instructgpt.yaml", {**NEW_PAPER, "aliases": ["minimap2"]})
    result = atlas("validate", "--content", str(link / "content"), "--changed-since", "main", cwd=repo.root)
    assert result.returncode == 1
    assert "aliases[0]: 'minimap2' is the id of" in result.stderr


def test_nothing_changed_passes(repo):
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok: 0 record(s) valid (changed since main)"


def test_a_removed_record_must_stay_as_an_alias(repo):
    (repo.papers / "minimap2.yaml").unlink()
    repo.commit("Remove minimap2")
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/papers/minimap2.yaml:1: record 'minimap2' was removed but no record lists it in its aliases; "
        "add 'minimap2' to the aliases of the record that replaces it, so its page still redirects"
    )

    repo.write("minimap2-nucleotide-alignment.yaml", {**MINIMAP2, "aliases": ["minimap2"]})
    repo.commit("Keep minimap2 under a new id, its old id as an alias")
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 0, result.stderr


def test_a_renamed_record_without_alias_is_reported(repo):
    repo.git("mv", "content/papers/minimap2.yaml", "content/papers/minimap-2.yaml")
    repo.commit("Rename")
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 1
    assert "record 'minimap2' was removed" in result.stderr


def with_alias_on_main(repo: Repo) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("minimap2.yaml", {**MINIMAP2, "aliases": ["li-2018-minimap2"]})
    repo.commit("minimap2 was once li-2018-minimap2")
    repo.git("checkout", "-q", "-B", "add-paper")


def test_an_alias_dropped_from_a_record_is_reported(repo):
    with_alias_on_main(repo)
    repo.write("minimap2.yaml", {**MINIMAP2, "aliases": ["minimap-two"]})
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/papers/minimap2.yaml:11: aliases: 'li-2018-minimap2' was an alias of this record and no record "
        "keeps it now; keep it, so the old page still redirects"
    )
    repo.write("minimap2.yaml", {**MINIMAP2, "aliases": ["li-2018-minimap2", "minimap-two"]})
    assert repo.validate("--changed-since", "main").returncode == 0


def test_a_merged_record_keeps_the_aliases_of_the_record_it_absorbs(repo):
    with_alias_on_main(repo)
    (repo.papers / "minimap2.yaml").unlink()
    repo.write("minimap-2.yaml", {**MINIMAP2, "aliases": ["minimap2"]})
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/papers/minimap2.yaml:1: record 'minimap2' was removed with its alias 'li-2018-minimap2', which no "
        "record keeps; add 'li-2018-minimap2' to the aliases of the record that replaces it, so its page still redirects"
    )
    repo.write("minimap-2.yaml", {**MINIMAP2, "aliases": ["minimap2", "li-2018-minimap2"]})
    assert repo.validate("--changed-since", "main").returncode == 0


def test_bad_ref_and_no_git_are_usage_errors(repo, atlas, make_content):
    for ref in ("no-such-branch", "--output=x", ""):
        result = repo.validate(f"--changed-since={ref}")
        assert result.returncode == 2, (ref, result.stderr)
        assert "atlas validate: error:" in result.stderr
        assert "Traceback" not in result.stderr
    assert "unknown git ref 'no-such-branch'" in repo.validate("--changed-since", "no-such-branch").stderr

    outside = make_content({"dpo.yaml": GOOD})
    result = atlas("validate", "--content", str(outside), "--changed-since", "main", cwd=outside)
    assert result.returncode == 2
    assert "is not inside a git repository" in result.stderr

    result = repo.validate("--changed-since", "main", "content/papers/minimap2.yaml")
    assert result.returncode == 2
    assert "not both" in result.stderr


def test_re_adding_a_known_paper_under_another_title_fails_naming_it(repo):
    variant = {
        "title": "Direct preference optimization - your language model is secretly a reward model",
        "type": "llm-alignment",
        "year": 2023,
        "added": "2026-11-24",
    }
    repo.write("rafailov-reward-model.yaml", variant)
    repo.commit("Add a paper already in the atlas")
    result = repo.validate("--changed-since", "main")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/papers/rafailov-reward-model.yaml:")]
    assert any("direct-preference-optimization" in line for line in lines), result.stderr

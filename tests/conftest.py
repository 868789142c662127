"""Shared fixtures: content folders written from dicts, and the CLI run through its entry point."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "content" / "taxonomy.yaml"
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # so that tests can import the shared modules of benchmarks/


def write_content(root: Path, papers: dict, taxonomy: Path | str | None = None) -> Path:
    """Write a content folder: the shipped taxonomy (or the given text) and one file per paper.

    ``papers`` maps a file name (``x.yaml``) to a dict (dumped as YAML), a str or bytes (written
    as they are).
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "papers").mkdir(exist_ok=True)
    if isinstance(taxonomy, str):
        (root / "taxonomy.yaml").write_text(taxonomy, "utf-8")
    else:
        shutil.copy(taxonomy or TAXONOMY, root / "taxonomy.yaml")
    for name, value in papers.items():
        path = root / "papers" / name
        if isinstance(value, bytes):
            path.write_bytes(value)
        elif isinstance(value, str):
            path.write_text(value, "utf-8")
        else:
            path.write_text(yaml.safe_dump(value, sort_keys=False, allow_unicode=True), "utf-8")
    return root


@pytest.fixture
def make_content(tmp_path):
    """``make_content({"x.yaml": {...}})`` writes a content folder and returns its path."""

    def make(papers: dict, taxonomy=None, name: str = "content") -> Path:
        return write_content(tmp_path / name, papers, taxonomy)

    return make


@pytest.fixture
def atlas():
    """Run ``python -m generator`` (the ``atlas`` command) and return the completed process."""

    def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        import os

        full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
        full_env.pop("GITHUB_ACTIONS", None) if env is None or "GITHUB_ACTIONS" not in env else None
        return subprocess.run(
            [sys.executable, "-m", "generator", *args], cwd=cwd or ROOT, capture_output=True,
            text=True, env=full_env, timeout=600,
        )

    return run


GOOD = {
    "title": "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
    "type": "llm-alignment",
    "abstract": "We show that a reward model can be read off the policy itself.",
    "method": "DPO",
    "task": "preference alignment",
    "tags": ["dpo", "preference-optimization"],
    "links": {"arxiv": "https://arxiv.org/abs/2305.18290"},
    "year": 2023,
    "authors": ["Rafael Rafailov", "Archit Sharma"],
    "added": "2026-11-24",
}
"""A valid record used across tests (facts from the paper's public arXiv listing)."""

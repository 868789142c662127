"""Shared fixtures (content folders written from dicts, the CLI run through its entry point),
the markers ``browser`` and ``full_build`` (``make test-fast`` leaves both out), and the
Hypothesis profiles ``ci`` (the default) and ``fast`` (``make test-fast``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=100, derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fast", settings.get_profile("ci"), max_examples=10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
"""``ci`` runs each property with the examples its file asks for; ``fast`` with a tenth of them.
Choose with ``HYPOTHESIS_PROFILE=fast`` or ``--hypothesis-profile=fast``."""


def examples(full: int, profile: settings | None = None) -> int:
    """How many examples a property runs under the loaded profile (or ``profile``): ``full``
    under ``ci``, a tenth under ``fast`` (at least 10). Read when a test module is imported,
    after the profile is chosen."""
    return max(10, full * (profile or settings()).max_examples // 100)

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "content" / "taxonomy.yaml"
# Every build the tests make (in this process or in a child) checks that the theme's parts kept
# per folder are what the theme renders for each page (generator/mkdocs/theme_parts.py).
os.environ["ATLAS_CHECK_THEME_PARTS"] = "1"
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


BROWSER_FIXTURES = {"browser"}
"""Fixtures that start Chromium: a test using one (even through another fixture) is a browser test."""
FULL_BUILD_FIXTURES = {"built_site", "site_url", "sites", "seed_site", "served", "project"}
"""Fixtures that build (or serve) a whole site with MkDocs."""
FULL_BUILD_TESTS = {
    "test_nothing_lost.py": None, "test_site_serve.py": None, "test_theme_parts.py": None,
    "test_search.py": {"test_a_build_leaves_no_scratch_folder", "test_an_atlas_without_papers_builds_without_a_search_index"},
    "test_links.py": {"test_mkdocs_build_strict_logs_no_warning"},
    "test_site_exports_written.py": {"test_a_build_copies_the_written_exports_and_removes_their_folder"},
}
"""Tests that run a whole build themselves, by file (None: every test of the file)."""


def pytest_collection_modifyitems(config, items):
    """Mark browser tests by the fixtures they use, and full-build tests by fixture or by name."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        names = FULL_BUILD_TESTS.get(item.path.name, ())
        if fixtures & FULL_BUILD_FIXTURES or names is None or getattr(item, "originalname", item.name) in names:
            item.add_marker(pytest.mark.full_build)


@pytest.fixture
def make_content(tmp_path):
    """``make_content({"x.yaml": {...}})`` writes a content folder and returns its path."""

    def make(papers: dict, taxonomy=None, name: str = "content") -> Path:
        return write_content(tmp_path / name, papers, taxonomy)

    return make


@pytest.fixture
def atlas():
    """Run ``python -m generator`` (the ``atlas`` command) and return the completed process.

    With ``ATLAS_TEST_FORK=1`` (``make test-fast``) each run is a child forked from the test
    process, with its own working folder, environment and standard streams, which spares an
    interpreter start and the imports per run; otherwise it is a new interpreter.
    """

    def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        import os

        full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
        full_env.pop("GITHUB_ACTIONS", None) if env is None or "GITHUB_ACTIONS" not in env else None
        if os.environ.get("ATLAS_TEST_FORK") == "1" and hasattr(os, "fork"):
            return forked_atlas(list(args), cwd or ROOT, full_env)
        return subprocess.run(
            [sys.executable, "-m", "generator", *args], cwd=cwd or ROOT, capture_output=True,
            text=True, env=full_env, timeout=600,
        )

    return run


def forked_atlas(args: list[str], cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    """``atlas ARGS`` in a forked child, as :func:`subprocess.run` would report it."""
    import io
    import os
    import tempfile
    import time
    import traceback

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            status = 1
            try:
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), "utf-8", line_buffering=False)
                sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), "utf-8", "backslashreplace",
                                              line_buffering=True)
                os.chdir(cwd)
                os.environ.clear()
                os.environ.update(env)
                from generator.cli import main

                try:
                    status = main(args)
                except SystemExit as exc:  # argparse's --help and usage errors
                    status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:
                traceback.print_exc()
            finally:
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except Exception:
                        pass
                os._exit(status)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                raise subprocess.TimeoutExpired(["atlas", *args], timeout)
            time.sleep(0.002)
        texts = []
        for stream in (out, err):  # decoded with universal newlines, as subprocess.run(text=True) does
            stream.seek(0)
            texts.append(io.TextIOWrapper(stream, "utf-8", newline=None).read())
        return subprocess.CompletedProcess(["atlas", *args], os.waitstatus_to_exitcode(status), *texts)


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

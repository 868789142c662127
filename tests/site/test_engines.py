"""Other engines build the fixture site: ProperDocs with the atlas plugin, and plain MkDocs and
Zensical from the pages ``atlas generate --docs docs`` writes (what ``make site-mkdocs-plain``
and ``make site-zensical`` run, with the same configuration files)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from site_fixtures import FIXTURE, ROOT, copy_project

pytestmark = pytest.mark.full_build

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PAPERS = sorted(p.stem for p in (FIXTURE / "papers").glob("*.yaml"))
ALIASES = sorted(a for p in (FIXTURE / "papers").glob("*.yaml")
                 for a in yaml.safe_load(p.read_text("utf-8")).get("aliases", []))


GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def zensical() -> str | None:
    """The Zensical command: ``make site-zensical``'s own venv, else one on PATH."""
    own = ROOT / ".venv-zensical" / "bin" / "zensical"
    return str(own) if own.exists() else shutil.which("zensical")


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENV, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def title_of(paper_id: str) -> str:
    return yaml.safe_load((FIXTURE / "papers" / f"{paper_id}.yaml").read_text("utf-8"))["title"]


def assert_paper_pages(site: Path) -> None:
    """Every paper of the fixture has its page, with its title as the heading; old ids redirect."""
    for paper_id in PAPERS:
        page = site / "papers" / paper_id / "index.html"
        assert page.is_file(), page
        heading = re.search(r"<h1[^>]*>(.*?)<", page.read_text("utf-8"), re.S)
        assert heading and heading.group(1).strip() == title_of(paper_id).replace("&", "&amp;"), paper_id
    assert ALIASES
    for alias in ALIASES:
        assert 'http-equiv="refresh"' in (site / "papers" / alias / "index.html").read_text("utf-8")
    assert (site / "data" / "papers.json").is_file()


def generated_project(tmp_path: Path) -> Path:
    """A copy of the project with the fixture's pages written as `make engine-pages` writes them."""
    project = copy_project(tmp_path / "project")
    for name in ("mkdocs-plain.yml", "zensical.yml"):
        shutil.copy(ROOT / name, project / name)
    run(sys.executable, "-m", "generator", "generate", "--content", "content", "--docs", "docs",
        "--out", "build/engines/docs", cwd=project)
    return project


@pytest.mark.skipif(importlib.util.find_spec("properdocs") is None,
                    reason="properdocs is not installed (it is in the test extra: pip install -e '.[test]')")
def test_properdocs_builds_the_site_with_the_plugin(tmp_path):
    project = copy_project(tmp_path / "project")
    out, reference = tmp_path / "properdocs", tmp_path / "mkdocs"
    run(sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(out), cwd=project)
    assert_paper_pages(out)
    assert (out / "pagefind" / "pagefind.js").is_file()
    # The same site as MkDocs makes from the same project: every page, byte for byte but the
    # line naming the engine.
    run(sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(reference), cwd=project)
    pages = sorted(p.relative_to(out) for p in out.rglob("*.html"))
    assert pages == sorted(p.relative_to(reference) for p in reference.rglob("*.html"))

    def text(site: Path, page: Path) -> str:
        return GENERATOR.sub("", (site / page).read_text("utf-8"))

    assert GENERATOR.search((out / "index.html").read_text("utf-8")).group(0).count("ProperDocs") == 1
    assert [p for p in pages if text(out, p) != text(reference, p)] == []


@pytest.mark.skipif(importlib.util.find_spec("properdocs") is None, reason="properdocs is not installed")
def test_dirty_serve_under_properdocs_drops_its_own_dirty_notice(tmp_path):
    # Under `properdocs serve --dirty` the notice comes from ProperDocs' logger, which
    # strict: true would otherwise count as a warning that fails the rebuild.
    probe = ("import logging, properdocs.replacement\n"
             "from generator.mkdocs import preview\n"
             "preview.allow_dirty_builds()\n"
             "record = logging.makeLogRecord({'msg': preview.DIRTY_NOTICE + ', this will likely lead to ...'})\n"
             "print(logging.getLogger('properdocs.commands.build').filter(record))\n")
    result = run(sys.executable, "-c", probe, cwd=ROOT)
    assert result.stdout.strip() in ("False", "0")


def test_plain_mkdocs_builds_the_generated_pages(tmp_path):
    project = generated_project(tmp_path)
    run(sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs-plain.yml", cwd=project)
    assert_paper_pages(project / "build" / "site-mkdocs-plain")


@pytest.mark.skipif(zensical() is None, reason="Zensical is not installed (make site-zensical installs it "
                                                "into .venv-zensical)")
def test_zensical_builds_the_generated_pages(tmp_path):
    project = generated_project(tmp_path)
    run(zensical(), "build", "-f", "zensical.yml", cwd=project)
    site = project / "build" / "site-zensical"
    assert_paper_pages(site)
    assert (site / "explore" / "index.html").is_file()

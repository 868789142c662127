"""Fixtures of the site tests (imported by the test modules): project copies and a built site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixture_content"
GOLDEN = Path(__file__).resolve().parent / "golden"


def copy_project(target: Path, content: Path = FIXTURE) -> Path:
    """A copy of what a site build reads (mkdocs.yml, docs/, site_templates/) with ``content`` as content/."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", target / "docs")
    shutil.copytree(ROOT / "site_templates", target / "site_templates")
    shutil.copytree(content, target / "content")
    return target


@pytest.fixture
def project(tmp_path):
    """``project(content=FIXTURE)`` copies what a build reads into a temporary folder and returns it."""
    return lambda content=FIXTURE, name="project": copy_project(tmp_path / name, content)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The fixture content built once with ``atlas build --strict``; returns the site folder."""
    from generator.cli import main

    site = tmp_path_factory.mktemp("built") / "site"
    status = main(["build", "--content", str(FIXTURE), "--site-dir", str(site), "--strict",
                   "--config-file", str(ROOT / "mkdocs.yml")])
    assert status == 0
    return site

"""Fixtures of the site tests (imported by the test modules): project copies and a built site."""

from __future__ import annotations

import contextlib
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from benchmarks.local_http import serve

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixture_content"
GOLDEN = Path(__file__).resolve().parent / "golden"
SCREENSHOTS = ROOT / "tests" / "screenshots"
"""Where the browser tests save their screenshots."""
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
"""Debian's chromium, driven through Playwright without ``playwright install``; None if missing."""


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


def build_fixture(site: Path) -> int:
    """``atlas build --strict`` of the fixture content into ``site``; its exit status."""
    from generator.cli import main

    return main(["build", "--content", str(FIXTURE), "--site-dir", str(site), "--strict",
                 "--config-file", str(ROOT / "mkdocs.yml")])


def differing_files(first: Path, second: Path) -> list[str]:
    """The files (Pagefind's unstable ones left out) that two built sites do not share byte for byte."""
    from generator.site.search import stable_files

    files, others = stable_files(first), stable_files(second)
    return sorted(set(files) ^ set(others)) + [
        p for p in files if p in others and (first / p).read_bytes() != (second / p).read_bytes()]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The fixture content built once with ``atlas build --strict``; returns the site folder."""
    site = tmp_path_factory.mktemp("built") / "site"
    assert build_fixture(site) == 0
    return site


class PageLinks(HTMLParser):
    """The links (href and src, but not canonical or alternate) and the element ids of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.links.append(attrs[name])


@pytest.fixture(scope="module")
def site_url(built_site):
    """The built fixture site served over HTTP while the module's tests run; yields its URL."""
    with serve(built_site) as url:
        yield url


def screenshot(page, name: str, full_page: bool = False) -> None:
    """Save what ``page`` shows (all of it with ``full_page``) as tests/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="module")
def browser():
    """Chromium through Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@contextlib.contextmanager
def checked_page(browser, site_url: str, permissions: tuple[str, ...] = ()):
    """A fresh page that fails the test on a script error, a missing file, or a request to
    another host than the served site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if permissions:
        context.grant_permissions(list(permissions))
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("request", lambda request: problems.append(f"other host: {request.url}")
            if not request.url.startswith((site_url, "data:", "blob:")) else None)
    try:
        yield page
    finally:
        context.close()
    assert problems == []  # no script error, no missing file, nothing fetched from other hosts


"""The shipped seed content (``content/``) built and served on 127.0.0.1: every internal link and
asset answers over HTTP, ``mkdocs build --strict`` logs no warning, and two builds are identical."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from generator.cli import main
from generator.site.search import stable_files

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
from site_fixtures import ROOT, PageLinks, serve  # noqa: E402

SEED = ROOT / "content"
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)""")


def build_seed(site: Path) -> Path:
    status = main(["build", "--content", str(SEED), "--site-dir", str(site), "--strict",
                   "--config-file", str(ROOT / "mkdocs.yml")])
    assert status == 0
    return site


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory) -> Path:
    return build_seed(tmp_path_factory.mktemp("seed") / "site")


def fetch(url: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a URL; HTTP redirects are followed."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def crawl(base: str, start: list[str]) -> tuple[set[str], list[str]]:
    """Every URL of the site reachable from ``start`` (page links, assets, CSS ``url()``), and
    those that do not answer 200 or name an anchor their page lacks, each with the page linking it."""
    host = urlsplit(base).netloc
    queue = deque((url, "(start)") for url in start)
    seen, ids, anchors, broken = set(), {}, [], []
    while queue:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        status, kind, body = fetch(url)
        if status != 200:
            broken.append(f"{referrer}: {url} ({status})")
            continue
        if kind == "text/html":
            page = PageLinks()
            page.feed(body.decode("utf-8"))
            links, ids[url] = page.links, page.ids
        elif kind == "text/css":
            links = CSS_URL.findall(body.decode("utf-8"))
        else:
            continue
        for link in links:
            target, fragment = urldefrag(urljoin(url, link))
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                continue  # another site, or a data: URL
            if fragment and not fragment.startswith("__"):
                anchors.append((target, fragment, url))
            queue.append((target, url))
    for target, fragment, referrer in anchors:
        if target in ids and fragment not in ids[target]:
            broken.append(f"{referrer}: {target}#{fragment} (no such anchor)")
    return seen, broken


def test_every_internal_link_and_asset_of_the_seed_site_answers(seed_site):
    pages = sorted(p.relative_to(seed_site).as_posix() for p in seed_site.rglob("*.html"))
    with serve(seed_site) as base:
        seen, broken = crawl(base, [base] + [base + page.removesuffix("index.html") for page in pages])
    assert broken == []
    paper_ids = {p.stem for p in (SEED / "papers").glob("*.yaml")}
    assert {f"{base}papers/{paper_id}/" for paper_id in paper_ids} <= seen
    assert any(url.endswith(".css") for url in seen) and any(url.endswith(".js") for url in seen)
    exports = {f"{base}{name}" for name in ("data/papers.json", "data/papers.csv", "data/papers.bib", "feed.xml")}
    assert exports <= seen and len(seen) > len(pages)


def test_the_crawler_reports_missing_pages_assets_and_anchors(tmp_path):
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="style.css"><a href="gone/">a</a><a href="#nowhere">b</a>'
        '<a href="https://example.org/">c</a><img src="data:image/png;base64,AA==">', "utf-8")
    (tmp_path / "style.css").write_text("body { background: url('missing.png') } i { background: url(data:x) }", "utf-8")
    with serve(tmp_path) as base:
        seen, broken = crawl(base, [base])
    assert sorted(broken) == sorted([
        f"{base}: {base}gone/ (404)", f"{base}style.css: {base}missing.png (404)",
        f"{base}: {base}#nowhere (no such anchor)",
    ])


def test_mkdocs_build_strict_logs_no_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "Documentation built" in log
    assert [line for line in log.splitlines() if "WARNING" in line] == []
    assert (tmp_path / "out/papers").is_dir()


def test_two_builds_of_the_seed_content_are_byte_identical(seed_site, tmp_path):
    again = build_seed(tmp_path / "again")
    # Pagefind's filter chunks and their manifest vary between runs (see search.UNSTABLE_FILES).
    first = {p: (seed_site / p).read_bytes() for p in stable_files(seed_site)}
    second = {p: (again / p).read_bytes() for p in stable_files(again)}
    assert sorted(first) == sorted(second)
    assert [str(path) for path in first if first[path] != second[path]] == []

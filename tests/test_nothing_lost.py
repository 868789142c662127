"""Nothing is lost: merged records keep their URLs and data on the built site, and a build that
fails (a broken template) or is killed midway leaves the previous site as it was.

Already covered elsewhere: a bad record keeps the previous site
(tests/site/test_site_build.py::test_failed_build_keeps_the_previous_site), two builds of the
fixture are byte-identical (::test_two_builds_are_byte_identical), and re-importing never touches
an edited record (tests/test_ingest_cli.py::test_reingest_skips_and_never_touches_an_edited_record).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import yaml

from conftest import GOOD

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
from site_fixtures import ROOT, copy_project  # noqa: E402

from generator.site.search import stable_files  # noqa: E402

SAME_PAPER = {
    "title": "Direct preference optimisation - your language model is secretly a reward model",
    "type": "llm-alignment",
    "summary": "DPO fits a policy to preferences without a reward model.",
    "tags": ["dpo", "rlhf"],
    "links": {"arxiv": "https://arxiv.org/abs/2305.18290v3", "code": "https://github.com/eric-mitchell/direct-preference-optimization"},
    "authors": ["Eric Mitchell", "Chelsea Finn"],
    "aliases": ["dpo-old"],
    "added": "2026-11-25",
}
UNRELATED = {"title": "Qwen2 Technical Report", "type": "llm-alignment", "year": 2024, "tags": ["rlhf"]}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.refresh, self.canonical, self.text = [], None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.refresh = attrs["content"].split("url=", 1)[1]
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]

    def handle_data(self, data):
        self.text.append(data)


def read_page(site: Path, path: str) -> _Page:
    page = _Page()
    page.feed((site / path).read_text("utf-8"))
    return page


def tree(folder: Path) -> dict[str, str]:
    """Every file of a built site by relative path, with a digest of its bytes (but the search
    index files whose bytes vary between two runs, see search.UNSTABLE_FILES)."""
    return {p: hashlib.sha256((folder / p).read_bytes()).hexdigest() for p in stable_files(folder)}


def leftovers(site: Path) -> list[str]:
    """Folders a build made beside the site and did not remove."""
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


def build(atlas, content: Path, site: Path, config: Path = ROOT / "mkdocs.yml"):
    return atlas("build", "--content", str(content), "--site-dir", str(site), "--strict", "--config-file", str(config))


def test_merged_records_keep_their_urls_links_tags_and_authors_on_the_site(make_content, atlas, tmp_path):
    content = make_content({"dpo-again.yaml": SAME_PAPER, "qwen2.yaml": UNRELATED})
    site = tmp_path / "site"
    assert build(atlas, content, site).returncode == 0
    urls_before = {p.parent.relative_to(site).as_posix() for p in (site / "papers").rglob("index.html")}
    assert urls_before == {"papers/dpo-again", "papers/dpo-old", "papers/qwen2"}

    (content / "papers/dpo.yaml").write_text(yaml.safe_dump(GOOD), "utf-8")  # the same paper, added again
    merged = atlas("dedupe", "--content", str(content), "--apply")
    assert merged.returncode == 0, merged.stderr
    remaining = sorted(p.stem for p in (content / "papers").glob("*.yaml"))
    survivor = next(paper_id for paper_id in remaining if paper_id != "qwen2")
    assert len(remaining) == 2 and survivor in ("dpo", "dpo-again")
    result = build(atlas, content, site)
    assert result.returncode == 0, result.stderr

    urls_after = {p.parent.relative_to(site).as_posix() for p in (site / "papers").rglob("index.html")}
    assert urls_before <= urls_after  # every old URL still answers
    for old in sorted({"dpo", "dpo-again", "dpo-old"} - {survivor}):
        redirect = read_page(site, f"papers/{old}/index.html")
        assert redirect.refresh == redirect.canonical == f"../{survivor}/"
        target = urljoin(f"/papers/{old}/", redirect.refresh)
        assert (site / target.strip("/") / "index.html").is_file()
    page = read_page(site, f"papers/{survivor}/index.html")
    hrefs = {urljoin(f"/papers/{survivor}/", h) for h in page.hrefs}
    text = " ".join("".join(page.text).split())
    assert {"https://arxiv.org/abs/2305.18290", SAME_PAPER["links"]["code"]} <= hrefs
    tags = set(GOOD["tags"]) | set(SAME_PAPER["tags"])
    assert {f"/tags/{t}/" for t in tags} <= hrefs and len(tags) == 3
    authors = GOOD["authors"] + SAME_PAPER["authors"]
    assert len(set(authors)) == 4 and all(a in text for a in authors)
    assert "Qwen2 Technical Report" in "".join(read_page(site, "papers/qwen2/index.html").text)


def test_a_broken_template_leaves_the_previous_site(atlas, tmp_path):
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    config = project / "mkdocs.yml"
    assert build(atlas, project / "content", site, config).returncode == 0
    before = tree(site)
    (project / "site_templates/type.html").write_text("<h1>{{ type.title | text }</h1>\n{% for p in papers %}\n", "utf-8")
    result = build(atlas, project / "content", site, config)
    assert result.returncode == 1
    assert "type.html" in result.stderr and "Traceback" not in result.stderr
    assert tree(site) == before
    assert leftovers(site) == []


def synthetic_content(folder: Path, count: int) -> Path:
    """A content folder of ``count`` distinct records, big enough for a build to take seconds."""
    papers = folder / "papers"
    papers.mkdir(parents=True)
    (folder / "taxonomy.yaml").write_bytes((ROOT / "content/taxonomy.yaml").read_bytes())
    words = ("graph token reward policy gradient speech entity protein genome vision caption "
             "sequence lattice kernel margin prior ranking").split()
    for i in range(count):
        title = " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(5)).title() + f" Number {i}"
        abstract = " ".join(words[(i + k * k) % len(words)] for k in range(80))
        record = {"title": title, "type": "adjacent", "abstract": abstract, "year": 2000 + i % 25}
        (papers / f"paper-{i:04d}.yaml").write_text(yaml.safe_dump(record), "utf-8")
    return folder


def test_a_build_killed_midway_leaves_the_previous_site_and_the_next_build_cleans_up(make_content, atlas, tmp_path):
    small = make_content({"dpo.yaml": GOOD})
    site = tmp_path / "site"
    assert build(atlas, small, site).returncode == 0
    before = tree(site)

    big = synthetic_content(tmp_path / "big", 600)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--content", str(big), "--site-dir", str(site),
         "--config-file", str(ROOT / "mkdocs.yml")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    deadline, writing = time.monotonic() + 120, False
    while time.monotonic() < deadline and process.poll() is None and not writing:
        writing = any(len(list((p / "papers").glob("*"))) > 20 for p in tmp_path.glob(".site.building-*"))
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert writing, "the build ended before it wrote papers"  # killed while writing pages
    assert process.returncode == -signal.SIGKILL
    assert tree(site) == before
    assert leftovers(site) != []  # a killed process cannot clean up after itself...

    result = build(atlas, small, site)
    assert result.returncode == 0, result.stderr
    assert leftovers(site) == []  # ...the next build does
    assert tree(site) == before


def test_stale_folders_are_removed_only_when_their_build_is_gone(tmp_path):
    from generator.cli.build import remove_stale_folders

    site = tmp_path / "site"
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = finished.stdout.strip()
    (tmp_path / f".site.building-{dead}-abc").mkdir()
    (tmp_path / ".site.building-1-abc").mkdir()  # process 1 is always running
    (tmp_path / f".site.old-{dead}-abc").mkdir()
    (tmp_path / f".site.old-{dead}-abc/index.html").write_text("previous", "utf-8")
    remove_stale_folders(site)  # killed between moving the site aside and moving the new one in
    assert (site / "index.html").read_text("utf-8") == "previous"
    assert leftovers(site) == [".site.building-1-abc"]
    (tmp_path / f".site.old-{dead}-xyz").mkdir()
    remove_stale_folders(site)
    assert leftovers(site) == [".site.building-1-abc"] and (site / "index.html").is_file()


def test_scratch_folders_of_ended_processes_are_removed_and_live_ones_kept(tmp_path, monkeypatch):
    from generator import fsutil

    monkeypatch.setattr(fsutil, "MEMORY_FOLDER", tmp_path)
    monkeypatch.delenv("TMPDIR", raising=False)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    dead = tmp_path / f"atlas-test-{ended.stdout.strip()}-abc"
    (dead / "papers").mkdir(parents=True)
    (dead / "papers" / "x.html").write_text("left by a killed build")
    mine = fsutil.scratch_folder("atlas-test-", 0)
    other = fsutil.scratch_folder("atlas-test-", 0)  # a second folder of a running process
    assert not dead.exists()
    assert mine.is_dir() and other.is_dir() and mine.name.startswith(f"atlas-test-{os.getpid()}-")
    for folder in (mine, other):
        shutil.rmtree(folder)

"""Search with Pagefind: the filters a paper page carries, and indexing a built site.

Pagefind (``pagefind[bin]`` from PyPI, the binary ships in the wheel and runs offline) reads the
built HTML and writes ``pagefind/`` into the site: an index split into small chunks that a
browser fetches only when a query needs them, so search stays light at any number of papers.
Paper pages mark their content with ``data-pagefind-body`` and carry filters for type, method,
task, tag and year (``site_templates/overrides/main.html`` writes them from the page's
``atlas_search`` metadata, which :func:`search_meta` builds).
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import AtlasError
from .models import Paper

log = logging.getLogger("mkdocs.plugins.atlas")

FILTERS = ("type", "method", "task", "tag", "year")
"""The filters of paper pages, as the Explore page offers them."""

UNSTABLE_FILES = re.compile(r"^pagefind/(filter/|pagefind-entry\.json$|pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta$)")
"""Index files (paths relative to the site) whose names and bytes vary between two runs on the
same site: Pagefind writes its filter chunks in varying order, and the manifest naming them
(upstream: Pagefind issue 638). The pages' word index and fragments are stable."""


@dataclass(frozen=True)
class SearchIndex:
    """What indexing a site did."""

    pages: int
    seconds: float


def search_meta(paper: Paper, index) -> dict:
    """The title, filters and sort keys of a paper page, as plain text: values as readers see
    them (titles, not ids)."""
    taxonomy = index.taxonomy
    kind = taxonomy.types.get(paper.type)
    filters = {"type": [kind.title if kind else paper.type]}
    if paper.method and paper.method.strip():
        filters["method"] = [index.methods.value_of(paper.method).label]
    task = index.task_of(paper)
    if task:
        filters["task"] = [task]
    if paper.tags:
        filters["tag"] = sorted(taxonomy.tags[t].title if t in taxonomy.tags else t for t in paper.tags)
    if paper.year:
        filters["year"] = [str(paper.year)]
    sort = {"title": paper.title.casefold()}
    if paper.added:
        sort["added"] = paper.added
    if paper.year:
        sort["year"] = str(paper.year)
    return {"title": paper.title, "filters": filters, "sort": sort}


def stable_files(site_dir: Path) -> list[str]:
    """Every file of a built site (relative, sorted) but the :data:`UNSTABLE_FILES`."""
    site_dir = Path(site_dir)
    paths = (p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    return sorted(p for p in paths if not UNSTABLE_FILES.match(p))


def read_fragments(site_dir: Path) -> list[dict]:
    """What the index holds for each page (url, content as text, filters, meta), for checks."""
    out = []
    for path in sorted((Path(site_dir) / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        out.append(json.loads(raw.removeprefix(b"pagefind_dcd")))
    return out


def pagefind_command() -> list[str]:
    """The command that runs Pagefind's binary (from the ``pagefind-bin`` wheel)."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:
        raise AtlasError("Pagefind is not installed: pip install 'pagefind[bin]'") from exc
    return [str(get_executable())]


def index_command(site_dir: Path) -> list[str]:
    """The Pagefind command line that indexes ``site_dir`` into ``site_dir/pagefind``."""
    # Not words of the paper: permalink marks of headings (the theme's "¶"), the BibTeX block
    # (it repeats title and authors) and the related papers' titles.
    ignored = ".headerlink, pre, .atlas-around"
    return pagefind_command() + ["--site", str(site_dir), "--exclude-selectors", ignored, "--silent"]


def index_site(site_dir: Path) -> SearchIndex:
    """Index a built site with Pagefind; raises :class:`AtlasError` when Pagefind fails."""
    started = time.perf_counter()
    done = subprocess.run(index_command(Path(site_dir)), capture_output=True, text=True)
    if done.returncode:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise AtlasError("search index: Pagefind failed: " + (message[-1] if message else f"exit {done.returncode}"))
    pages = sum(1 for _ in (Path(site_dir) / "pagefind" / "fragment").glob("*"))
    return SearchIndex(pages, time.perf_counter() - started)


class BackgroundIndexer:
    """Indexes a served site without holding up the preview: the page shows at once and search
    catches up a few seconds later. A newer build stops an indexing still running."""

    def __init__(self):
        self.process: subprocess.Popen | None = None

    def start(self, site_dir: Path) -> None:
        """Start indexing ``site_dir``, stopping an earlier run of this indexer first."""
        self.stop()
        self.process = subprocess.Popen(index_command(Path(site_dir)), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        """Stop the indexing this indexer started, if it is still running."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

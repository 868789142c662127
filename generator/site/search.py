"""Search with Pagefind: the filters a paper page carries, and indexing a built site.

Pagefind (``pagefind[bin]`` from PyPI, the binary ships in the wheel and runs offline) reads
the searched part of each built paper page (:class:`SearchSource`) and writes ``pagefind/`` into
the site: an index split into small chunks that a browser fetches only when a query needs them,
so search stays light at any number of papers.
Paper pages mark their content with ``data-pagefind-body`` and carry filters for type, method,
task, tag and year (``site_templates/overrides/main.html`` writes them from the page's
``atlas_search`` metadata, which :func:`search_meta` builds), and their BibTeX entry as metadata;
after indexing, :func:`write_bibtex_shards` gathers the entries into a few compressed files for
the Explore page's BibTeX download.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from generator.errors import AtlasError
from generator.fsutil import scratch_folder
from generator.content.models import Paper
from generator.site.index import added_sort_value, newest_sort_value

log = logging.getLogger("mkdocs.plugins.atlas")

UNSTABLE_FILES = re.compile(r"^pagefind/(filter/|pagefind-entry\.json$|pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta$)")
"""Index files (paths relative to the site) whose names and bytes vary between two runs on the
same site: Pagefind writes its filter chunks in varying order, and the manifest naming them
(upstream: Pagefind issue 638). The pages' word index and fragments are stable."""


@dataclass(frozen=True)
class SearchIndex:
    """What indexing a site did."""

    pages: int
    seconds: float


def search_meta(paper: Paper, index, bibtex: str | None = None) -> dict:
    """The title, filters and sort keys of a paper page, as plain text: values as readers see
    them (titles, not ids); with ``bibtex``, the paper's BibTeX entry as :func:`meta_text` writes
    it, which the Explore page's BibTeX download puts together.

    Every paper has every sort key (Pagefind leaves pages without the key out of sorted
    results): ``newest`` and ``added`` as :mod:`generator.site.index` makes them, ``title``."""
    taxonomy = index.taxonomy
    kind = taxonomy.types.get(paper.type)
    filters = {"type": [kind.title if kind else paper.type]}
    if paper.method and paper.method.strip():
        filters["method"] = [index.methods.value_of(paper.method).label]
    task = index.task_of(paper)
    if task:
        filters["task"] = [task]
    if paper.tags:
        filters["tag"] = sorted(index.tags.values[t].label for t in paper.tags)
    if paper.year:
        filters["year"] = [str(paper.year)]
    sort = {"title": paper.title.casefold(), "newest": newest_sort_value(paper), "added": added_sort_value(paper)}
    meta = {"title": paper.title, "filters": filters, "sort": sort}
    if bibtex:
        meta["bibtex"] = meta_text(bibtex)
    return meta


_SPACE_RUN = re.compile(r" {2,}")


def meta_text(text: str) -> str:
    """Text as a JSON string that keeps its line breaks and spaces through Pagefind, which makes
    every run of whitespace in a meta value one space: line breaks and tabs are JSON escapes, runs
    of spaces ``\\u0020`` escapes, other characters ``\\uXXXX`` beyond ASCII. The Explore page
    reads it back with ``JSON.parse``."""
    encoded = json.dumps(text, ensure_ascii=True)
    return _SPACE_RUN.sub(lambda run: "\\u0020" * len(run.group(0)), encoded)


def stable_files(site_dir: Path) -> list[str]:
    """Every file of a built site (relative, sorted) but the :data:`UNSTABLE_FILES`."""
    site_dir = Path(site_dir)
    paths = (p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    return sorted(p for p in paths if not UNSTABLE_FILES.match(p))


BIBTEX_FOLDER = "data/bibtex"
"""Where :func:`write_bibtex_shards` puts the BibTeX of the indexed papers."""

SHARD_PAPERS = 100
"""How many papers' BibTeX one shard holds."""


def write_bibtex_shards(site_dir: Path) -> int:
    """Write the BibTeX entry of every indexed paper into compressed shards of
    :data:`SHARD_PAPERS` papers, newest year first and by type, so that the Explore page can put
    together the BibTeX of hundreds of results in a few requests when they cluster (a year, a
    type), instead of one request per paper; returns the number of shards.

    ``data/bibtex/index.gzjson`` (compressed, as the shards) holds ``shards``: for each shard, the Pagefind ids of its papers
    (``en_5c2f343``) in order, and ``bytes``: each shard's size, with ``fragment_bytes``, the
    average size of a Pagefind fragment, for the page to choose the cheaper way. Shard ``n`` is
    ``data/bibtex/<n>.gzjson``: the papers' entries as a JSON list, gzip-compressed here under a
    name no server decodes (as Pagefind does its fragments). The ids are those of the fragments
    Pagefind wrote for this build, so the shards match the index."""
    site_dir = Path(site_dir)
    papers, fragment_bytes = [], 0
    for fragment_id, size, fragment in fragments(site_dir):
        fragment_bytes += size
        bibtex = (fragment.get("meta") or {}).get("bibtex")
        filters = fragment.get("filters") or {}
        if bibtex:
            year = max(filters.get("year") or ["0"])
            papers.append(((-int(year) if year.isdigit() else 0, min(filters.get("type") or [""]), fragment.get("url", "")),
                           fragment_id, json.loads(bibtex)))
    papers.sort()
    folder = site_dir / BIBTEX_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    shards, sizes = [], []
    for n, start in enumerate(range(0, len(papers), SHARD_PAPERS)):
        members = papers[start:start + SHARD_PAPERS]
        data = gzip.compress(json.dumps([entry for _, _, entry in members], ensure_ascii=False).encode("utf-8"), mtime=0)
        (folder / f"{n}.gzjson").write_bytes(data)
        shards.append([fragment_id for _, fragment_id, _ in members])
        sizes.append(len(data))
    index = {"shards": shards, "bytes": sizes, "fragment_bytes": fragment_bytes // max(len(papers), 1)}
    (folder / "index.gzjson").write_bytes(gzip.compress(json.dumps(index, separators=(",", ":")).encode("ascii"), mtime=0))
    return len(shards)


def fragments(site_dir: Path):
    """Each page's fragment that Pagefind wrote into ``site_dir/pagefind``, in the order of their
    ids: (id, compressed size in bytes, the fragment as a dict: url, content as text, filters, meta)."""
    for path in sorted((Path(site_dir) / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = path.read_bytes()
        yield path.stem, len(raw), json.loads(gzip.decompress(raw).removeprefix(b"pagefind_dcd"))


def read_fragments(site_dir: Path) -> list[dict]:
    """What the index holds for each page (url, content as text, filters, meta), for checks."""
    return [fragment for _, _, fragment in fragments(site_dir)]


def pagefind_command() -> list[str]:
    """The command that runs Pagefind's binary (from the ``pagefind-bin`` wheel)."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:
        raise AtlasError("Pagefind is not installed: pip install 'pagefind[bin]'") from exc
    return [str(get_executable())]


SEARCH_BEGIN = "<!-- atlas-search -->"
SEARCH_END = "<!-- /atlas-search -->"
"""Comments around the part of a paper page that Pagefind reads (its meta, filters and body),
written by ``site_templates/overrides/main.html``."""

NOT_SEARCHED = '<div class="atlas-around">'
"""Where the part of a paper page that is not searched begins (``site_templates/paper.html``: the
BibTeX and the related papers, to the end of the page's text)."""

PAPER_WORD = "<span hidden>atlaspaper</span>"
"""The word every paper page holds for the Explore page (after the page's text, in main.html)."""

_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)


def searched_part(page_html: str) -> str:
    """The part of a built page that the index is made from, as a small HTML document.

    Pagefind needs no more than what lies between :data:`SEARCH_BEGIN` and :data:`SEARCH_END`
    (and the page's language, from its ``<html>`` tag), less what it would skip anyway (from
    :data:`NOT_SEARCHED` to :data:`PAPER_WORD`). Reading that instead of the whole page, with
    the theme's header, navigation and footer, more than halves its work. A page without the
    comments (a theme override that dropped them) is given whole.
    """
    start = page_html.find(SEARCH_BEGIN)
    end = page_html.find(SEARCH_END, start + 1)
    if start < 0 or end < 0:
        return page_html
    part = page_html[start + len(SEARCH_BEGIN):end]
    skip_from, skip_to = part.find(NOT_SEARCHED), part.rfind(PAPER_WORD)
    if 0 <= skip_from < skip_to:
        part = part[:skip_from] + part[skip_to:]
    opening = _HTML_TAG.search(page_html, 0, start)
    return ("<!DOCTYPE html>\n" + (opening.group(0) if opening else "<html>")
            + '<head><meta charset="utf-8"></head><body>' + part + "</body></html>\n")


class SearchSource:
    """A folder beside the site holding the searched part of each paper page, at the page's own
    path (so that Pagefind gives results the site's addresses). The plugin adds pages as MkDocs
    writes them and indexes this folder into the site's ``pagefind/``."""

    PAGE_BYTES = 16 << 10
    """Room to count per searched part (about 5 KB of text, stored in 4 KB blocks, and its folder)."""

    def __init__(self):
        self.folder: Path | None = None
        self.pages: set[str] = set()
        self.expected_pages = 0  # pages the build will add: the folder goes in memory if they fit

    def add(self, dest_uri: str, page_html: str) -> None:
        """Keep the searched part of the page that MkDocs writes at ``dest_uri`` (relative to the site)."""
        if self.folder is None:
            self.folder = scratch_folder("atlas-search-", self.expected_pages * self.PAGE_BYTES)
        target = self.folder / dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(searched_part(page_html), "utf-8")
        self.pages.add(dest_uri)

    def keep_only(self, dest_uris: set[str]) -> None:
        """Drop the pages that are no longer built (a live preview after a record was deleted)."""
        for dest_uri in sorted(self.pages - dest_uris):
            (self.folder / dest_uri).unlink(missing_ok=True)
            self.pages.discard(dest_uri)

    def remove(self) -> None:
        """Delete the folder."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        self.pages.clear()

    @classmethod
    def from_site(cls, site_dir: Path) -> "SearchSource":
        """The searched parts of the paper pages of an already built site."""
        source = cls()
        site_dir = Path(site_dir)
        for path in sorted(site_dir.rglob("*.html")):
            if path.relative_to(site_dir).parts[0] == "pagefind":
                continue
            text = path.read_text("utf-8", errors="replace")
            if SEARCH_BEGIN in text:
                source.add(path.relative_to(site_dir).as_posix(), text)
        return source


def index_command(source_dir: Path, site_dir: Path) -> list[str]:
    """The Pagefind command line that indexes the pages in ``source_dir`` into ``site_dir/pagefind``."""
    # Not words of the paper: permalink marks of headings (the theme's "¶"), the BibTeX block
    # (it repeats title and authors) and the related papers' titles.
    ignored = ".headerlink, pre, .atlas-around"
    return pagefind_command() + ["--site", str(source_dir), "--output-path", str(Path(site_dir) / "pagefind"),
                                 "--exclude-selectors", ignored, "--silent"]


def index_site(source: SearchSource, site_dir: Path) -> SearchIndex:
    """Index the pages of ``source`` into ``site_dir``; raises :class:`AtlasError` when Pagefind fails."""
    started = time.perf_counter()
    if source.folder is None:
        return SearchIndex(0, 0.0)  # no paper yet: nothing to search (Pagefind refuses an empty folder)
    done = subprocess.run(index_command(source.folder, Path(site_dir)), capture_output=True, text=True)
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

    def start(self, source: SearchSource, site_dir: Path) -> None:
        """Start indexing the pages of ``source`` into ``site_dir``, stopping an earlier run first."""
        self.stop()
        if source.folder is None:
            return
        command = index_command(source.folder, Path(site_dir))
        nice = shutil.which("nice")  # below the next rebuild, which shares the cores
        self.process = subprocess.Popen([nice, "-n", "10", *command] if nice else command,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        """Stop the indexing this indexer started, if it is still running."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

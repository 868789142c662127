"""Fast live preview under ``mkdocs serve --dirty``: only what an edit touches is redone.

Memories kept by the plugin across the rebuilds of one ``mkdocs serve``:

- :class:`RecordCache` re-reads a record only when its file changed (size or modification time),
  and every record when ``taxonomy.yaml`` changed, since records are checked against it;
- :class:`BuiltPages` remembers the Markdown of every generated page as last built into the
  served folder, so that pages whose Markdown is the same are not converted and written again.
  MkDocs treats generated files as always modified; marking the unchanged ones is what lets a
  dirty build skip them. Skipped pages of the navigation are still read (not converted), since
  the navigation takes their titles from them. It also remembers the file each generated page
  became, so that the pages of a deleted record are removed from the served folder;
- :class:`PageMemo` keeps the Markdown of paper pages and of the pages listing papers (types,
  methods, tasks, tags) with what each was made from, so that only the pages an edit touches
  (the paper, the papers relating to it, the lists it is in) go through the templates;
- :class:`PerPaper` keeps what is made from one record alone (its duplicate-check form, its
  BibTeX and JSON, its base citation key and edit path) while the record cache hands back the
  same record;
- :class:`RelationMemo` keeps the paper index's related papers and mentions while what they
  are made from is equal, and :class:`CheckedLinks` the link check of each page whose text
  did not change;
- :func:`plan_dirty_build` and :func:`mark_unchanged` decide which generated files a dirty
  build hands to MkDocs, and which it leaves out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.structure.files import File, Files

from generator.fsutil import file_stamp
from generator.content.models import Paper
from generator.content.records import load_content, read_record
from generator.site import html

DIRTY_NOTICE = "A 'dirty' build is being performed"
"""Start of the warning MkDocs logs on every dirty build (which ``strict: true`` would count)."""


class RecordCache:
    """Checked records by file, re-read only when the file (or the taxonomy) changed."""

    def __init__(self):
        self._records: dict[Path, tuple[tuple[int, int] | None, tuple[Paper | None, list]]] = {}
        self._taxonomy: tuple[int, int] | None = None

    def load(self, content_dir: Path):
        """The content, as :func:`generator.content.records.load_content` returns it."""
        taxonomy = file_stamp(Path(content_dir) / "taxonomy.yaml")
        if taxonomy != self._taxonomy:
            self._records.clear()
            self._taxonomy = taxonomy
        return load_content(content_dir, read=self._read)

    def _read(self, path: Path, taxonomy):
        stamp = file_stamp(path)
        cached = self._records.get(path)
        if cached is not None and stamp is not None and cached[0] == stamp:
            return cached[1]
        result = read_record(path, taxonomy)
        self._records[path] = (stamp, result)
        return result


class BuiltPages:
    """The Markdown of each generated page as last built into a site folder, and what else the
    build was made from (``basis``: the templates and theme overrides, mkdocs.yml)."""

    def __init__(self):
        self.site_dir: str | None = None
        self.basis = None
        self.markdown: dict[str, str] = {}
        self.outputs: dict[str, str] = {}
        self.dates: dict[str, str | None] = {}

    def unchanged(self, site_dir: str, basis, path: str, markdown: str) -> bool:
        """Whether the page at ``path`` was last built into ``site_dir`` from the same Markdown
        and the same basis."""
        return site_dir == self.site_dir and basis == self.basis and self.markdown.get(path) == markdown

    def remember(self, site_dir: str, basis, pages, outputs: dict[str, str]) -> None:
        """Note what a finished build wrote: each page's Markdown, and (``outputs``) the file
        each generated page became, relative to the site."""
        self.site_dir, self.basis = site_dir, basis
        self.markdown = {page.path: page.markdown for page in pages}
        self.dates = {page.path: page.date for page in pages}
        self.outputs = dict(outputs)

    def same_pages(self, site_dir: str, basis, pages: list) -> bool:
        """Whether the last build into ``site_dir``, from the same basis, generated the same
        pages with the same dates: then the sitemap it wrote is still the site's."""
        return (site_dir == self.site_dir and basis == self.basis and len(pages) == len(self.dates)
                and all(self.dates.get(page.path, "") == page.date for page in pages))

    def stale_outputs(self, site_dir: str, outputs: dict[str, str]) -> list[str]:
        """The files that the last build into ``site_dir`` wrote for generated pages that are no
        longer generated (a record deleted or renamed), and that no page writes now."""
        if site_dir != self.site_dir:
            return []
        current = set(outputs.values())
        return sorted(dest for path, dest in self.outputs.items() if path not in outputs and dest not in current)

    def forget(self) -> None:
        """After a failed build, what is on disk is unknown: the next build rebuilds everything."""
        self.site_dir = self.basis = None
        self.markdown = {}
        self.outputs = {}
        self.dates = {}


class PageMemo:
    """Pages' Markdown by what each was made from (see ``render.paper_page_inputs`` and
    ``render.listing_inputs``)."""

    def __init__(self):
        self._pages: dict[str, tuple[tuple, str]] = {}
        self._basis = None
        self.per_paper = PerPaper()
        self.relations = RelationMemo()

    def start(self, basis) -> None:
        """Begin a build; ``basis`` (templates, taxonomy, settings) changed means nothing is reused."""
        if basis != self._basis:
            self._pages.clear()
            self.per_paper = PerPaper()
            self.relations = RelationMemo()
            self._basis = basis
        else:
            self.per_paper.start()

    def page(self, path: str, inputs: tuple, make):
        """The page's Markdown (or what else ``make`` gives, such as a listing's exports): the
        remembered one when ``inputs`` are equal, else ``make()``."""
        remembered = self._pages.get(path)
        if remembered is not None and remembered[0] == inputs:
            return remembered[1]
        text = make()
        self._pages[path] = (inputs, text)
        return text


class PerPaper:
    """Values made from one record, kept while the same :class:`Paper` object comes back: the
    :class:`RecordCache` returns the very same object for a file that did not change, so a
    rebuild makes them again only for the records that did.

    A value is kept until a build (begun with :meth:`start`) does not ask for it.
    """

    def __init__(self):
        self._kept: dict[tuple[str, int], tuple[Paper, object, object]] = {}
        self._asked: dict[tuple[str, int], tuple[Paper, object, object]] = {}

    def start(self) -> None:
        """Begin a build: forget the values the previous build did not ask for."""
        if self._asked:
            self._kept, self._asked = self._asked, {}

    def get(self, kind: str, paper: Paper, make, extra=None):
        """The value of ``kind`` for ``paper`` (made by ``make()``): the kept one if it was made
        from this same object and an equal ``extra`` (anything else it depends on)."""
        key = (kind, id(paper))
        kept = self._asked.get(key) or self._kept.get(key)
        if kept is not None and kept[0] is paper and kept[1] == extra:
            value = kept[2]
        else:
            value = make()
        self._asked[key] = (paper, extra, value)
        return value


class RelationMemo:
    """The relations of the paper index (related papers, mentions) as last made, reused while
    what they are made from (:meth:`generator.site.index.PaperIndex.relation_inputs`: each
    paper's method, task, tags and abstract) is equal, as after an edit of a title, authors,
    year or summary; any other change makes them again in full."""

    def __init__(self):
        self._inputs = None
        self._made = None

    def relations(self, index, limit: int) -> tuple[dict, dict, dict]:
        """What ``index.relations(limit)`` gives, naming the papers of ``index``."""
        inputs = index.relation_inputs(limit)
        if self._made is not None and inputs == self._inputs:
            made = index.rebound(self._made)
        else:
            made = index.relations(limit)
        self._inputs, self._made = inputs, made
        return made


class CheckedLinks:
    """The links of each generated page as last checked (:func:`generator.site.html.broken_links`
    gives the same answer): a page whose text did not change is not read again, and its links
    are looked up again only when one of them was broken, or leads to a page or file that is
    gone, or to a heading of a page whose text changed."""

    def __init__(self):
        self._pages: dict[str, tuple[str, list, frozenset, frozenset, list[str]]] = {}
        self._known: set[str] = set()

    def broken(self, pages, others=()) -> list[str]:
        """Every link of ``pages`` leading nowhere, as ``"<page>: <link>"``, in the order of
        :func:`generator.site.html.broken_links`."""
        pages = list(pages)
        targets = html.LinkTargets(pages, others)
        gone = self._known - targets.known
        before = self._pages
        same = {page.path for page in pages if page.path.endswith(".md") and page.path in before
                and before[page.path][0] == page.markdown}
        retitled = {url for url, page in targets.generated.items() if page.path not in same}
        self._pages, self._known, problems = {}, targets.known, []
        for page in pages:
            if not page.path.endswith(".md"):
                continue
            if page.path in same:
                text, links, reached, anchored, broken = before[page.path]
                if broken or not reached.isdisjoint(gone) or not anchored.isdisjoint(retitled):
                    broken = targets.broken(links)
            else:
                text, links = page.markdown, html.page_links(page)
                reached = frozenset(resolved for _, resolved, _ in links)
                anchored = frozenset(resolved for _, resolved, anchor in links if anchor)
                broken = targets.broken(links)
            self._pages[page.path] = (text, links, reached, anchored, broken)
            problems.extend(f"{page.path}: {href}" for href in broken)
        return problems


def folder_stamp(folder: Path) -> tuple:
    """Names, sizes and modification times of every file under ``folder``."""
    return tuple(sorted((p.as_posix(), file_stamp(p)) for p in Path(folder).rglob("*") if p.is_file()))


class UnchangedFile(File):
    """A generated file whose page was built before from the same text: a dirty build leaves it."""

    def is_modified(self) -> bool:
        return False


@dataclass
class DirtyFiles:
    """Which generated pages a dirty build hands to MkDocs (:func:`plan_dirty_build`)."""

    unchanged: dict[str, bool]
    """The pages built before from the same text, by path: whether each is in the navigation."""
    left_out: set[str]
    """The unchanged pages MkDocs is not given at all."""
    in_nav: list = field(default_factory=list)
    """The unchanged files of the navigation (:func:`mark_unchanged`), which :func:`read_titles`
    must still read."""


def plan_dirty_build(files, config, basis, pages, built: BuiltPages) -> DirtyFiles:
    """Which generated pages of a dirty build are built before from the same text, and which of
    them MkDocs is not given: MkDocs neither writes nor deletes what it is not given under
    ``--dirty``, so exports are left out, and pages outside the navigation while the pages and
    their dates are those of the last build (the sitemap it wrote stays true). Nothing is left
    out while a hand-written page (one of ``files``) is built again, since MkDocs checks its
    links against the files."""
    pages = list(pages)
    unchanged = {page.path: page.in_nav for page in pages
                 if built.unchanged(config.site_dir, basis, page.path, page.markdown)}
    if any(file.is_documentation_page() and file.is_modified() for file in files):
        return DirtyFiles(unchanged, set())
    same_pages = built.same_pages(config.site_dir, basis, pages)
    left_out = {path for path, in_nav in unchanged.items()
                if not path.endswith(".md") or (same_pages and not in_nav)}
    return DirtyFiles(unchanged, left_out)


def mark_unchanged(files, config, plan: DirtyFiles, added: dict) -> Files:
    """The files with the generated ones (``added``, by page path) of unchanged pages made
    :class:`UnchangedFile`, which a dirty build leaves as they are."""
    generated = {file: path for path, file in added.items() if path in plan.unchanged}
    kept = []
    for file in files:
        path = generated.get(file)
        if path is not None:
            file = UnchangedFile.generated(config, file.src_uri, content=file.content_string, inclusion=file.inclusion)
            if plan.unchanged[path]:
                plan.in_nav.append(file)
        kept.append(file)
    return Files(kept)


def remove_stale(site_dir: str, stale: list[str]) -> None:
    """Delete the pages of records that are gone from a served folder (a dirty build leaves them
    there), and the folders they leave empty. Only paths inside ``site_dir`` are touched."""
    root = Path(site_dir).resolve()
    for dest in stale:
        target = (root / dest).resolve()
        if root not in target.parents:
            continue
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def read_titles(files, config) -> None:
    """Read (without converting) skipped navigation pages, so the navigation has their titles."""
    for file in files:
        if file.page is not None and file.page.markdown is None:
            file.page.read_source(config)


class _DirtyNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_NOTICE)


def allow_dirty_builds() -> None:
    """Drop MkDocs' warning about dirty builds, which ``strict: true`` would turn into a failure.

    Called only under ``mkdocs serve --dirty``, where skipping unchanged pages is the point.
    """
    from mkdocs.commands import build  # under ProperDocs, its own module answers to this name

    logger = logging.getLogger(build.__name__)  # the logger the notice comes from
    if not any(isinstance(f, _DirtyNotice) for f in logger.filters):
        logger.addFilter(_DirtyNotice())

"""Settings to checked pages: ``build_pages(settings) -> Built``, the one way the atlas is made.

``atlas validate``, ``atlas generate``, ``atlas build`` and the MkDocs plugin all call
:func:`build_pages`: it loads the content, checks it (every record, then duplicates) and renders
the pages, each carrying its path, date, edit path and search data. No engine is needed here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from generator.content.models import Content
from generator.content.records import load_content
from generator.dedupe.matching import duplicate_problems
from generator.errors import ContentError
from generator.site import search
from generator.site.index import PaperIndex
from generator.site.pages import Page, Renderer, SiteInfo, paper_exports, paper_path, render_site
from generator.site.settings import Settings

EPOCH = "1970-01-01"
"""The date of pages when no record has an ``added`` date."""


@dataclass
class Built:
    """What :func:`build_pages` made: the checked content, its index and its pages."""

    content: Content
    index: PaperIndex | None = None
    pages: list[Page] = field(default_factory=list)
    renderer: Renderer | None = None
    date: str = EPOCH
    """The newest ``added`` date: the date of pages that have none of their own."""


def site_info(settings: Settings) -> SiteInfo:
    """What pages say about the site."""
    return SiteInfo(name=settings.site_name, url=settings.site_url, recent=settings.recent, related=settings.related,
                    slices=settings.slices, page_size=settings.page_size, group_newest=settings.group_newest)


def build_pages(settings: Settings, *, only: Iterable[Path] | None = None, render: bool = True,
                load: Callable[[Path], Content] | None = None, checks: Iterable[Callable[[Content], list]] = (),
                make_record=None, renderer: Renderer | None = None, memo=None, exports_to=None) -> Built:
    """Load and check the content of ``settings``, then (with ``render``) render every page.

    Raises :class:`ContentError` with every problem: those of the records (of ``only``, when
    given), those of each of ``checks``, and, when there are none, the duplicates. ``load``
    replaces :func:`load_content` (the live preview's record cache), ``make_record`` is passed to
    the duplicate check, ``memo`` and ``exports_to`` (where exports are written as they are made) to
    :func:`render_site`; ``renderer`` is reused when it was made from the same templates and site.
    """
    content_dir = settings.content_dir
    content = load_content(content_dir, only=only) if only is not None or load is None else load(content_dir)
    problems = list(content.problems)
    for check in checks:
        problems.extend(check(content))
    if not problems:
        problems = duplicate_problems(content, only, make=make_record)
    if problems:
        raise ContentError(sorted(problems))
    built = Built(content)
    if not render:
        return built
    info = site_info(settings)
    if renderer is None or renderer.site != info or renderer.templates != settings.templates_dir:
        renderer = Renderer(settings.templates_dir, info)
    built.renderer = renderer
    built.index = index = PaperIndex(content, related_limit=settings.related,
                                     relations=memo.relations if memo else None)
    remember = memo.per_paper.get if memo else None
    parts = paper_exports(index, info, remember)
    pages = render_site(content, renderer, index, memo, parts, exports_to)
    built.date = max((p.added for p in content.papers if p.added), default=EPOCH)
    papers = {paper_path(p.id): p for p in content.papers}
    root = Path(settings.root).resolve()
    folders: dict[Path, Path] = {}

    def edit_of(page: Page, paper) -> str | None:
        if not page.source:
            return None
        if paper is None or remember is None:
            return edit_path(page.source, root, folders)
        return remember("edit path", paper, lambda: edit_path(page.source, root, folders), root)

    for i, page in enumerate(pages):
        paper = papers.get(page.path)
        pages[i] = dataclasses.replace(
            page, date=paper.added if paper is not None and paper.added else built.date,
            edit_path=edit_of(page, paper),
            search=search.search_meta(paper, index, parts.get("bibtex", paper, remember)) if paper is not None else None)
    built.pages = pages
    return built


def edit_path(source: str, root: Path, folders: dict[Path, Path]) -> str | None:
    """The record file's path from ``root`` (the repository), or None when it lies outside."""
    try:
        return resolved(Path(source), folders).relative_to(root).as_posix()
    except ValueError:
        return None  # content outside the repository has nothing to edit online


def resolved(path: Path, folders: dict[Path, Path]) -> Path:
    """``path.resolve()``, resolving each folder once (``folders`` keeps them): thousands of
    records share one folder."""
    if path.is_symlink():
        return path.resolve()
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    return folder / path.name

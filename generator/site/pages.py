"""Records to pages, as data: ``render_site(content, renderer) -> list[Page]``.

This module knows nothing of MkDocs. Each page is a path (``papers/<id>.md``), its text and the
record file it came from. A generated page's text is front matter (its title, what the theme
hides) followed by the page's HTML, made by the templates with every link already a relative
URL (:mod:`generator.site.html`); exports, the feed and redirects of old ids are pages too (their
``markdown`` is the file's text). The MkDocs plugin hands the HTML to the theme as it is, and
``atlas generate`` writes the pages to disk, where Markdown passes their HTML through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.site import cite, exports
from generator.errors import AtlasError
from generator.site.index import PaperIndex
from generator.site.listings import A_Z, NEWEST, Listing
from generator.site.settings import Settings
from generator.content.models import Content, Paper
from generator.content.names import person_name
from generator.text import one_line
from generator.site.charts import horizontal_bars, vertical_bars, year_columns
from generator.site import html
from generator.site.html import paper_path
from generator.site.safety import front_matter_string, html_paragraphs, html_text, safe_url

LINK_LABELS = {
    "paper": "Paper", "arxiv": "arXiv", "doi": "DOI", "code": "Code", "project": "Project page",
    "model": "Model", "dataset": "Dataset", "demo": "Demo", "other": "Link",
}
"""Button labels of the link kinds."""


SLICE_FORMATS = (("BibTeX", "bibtex"), ("JSON", "json"), ("CSV", "csv"), ("Atom", "atom"))
"""The exports a page listing papers links to, with their labels, in the order of its download line."""


def slice_path(kind: str, slug: str, export: str = "") -> str:
    """Where an export of a listing (``types``, ``methods``, ``tasks`` or ``tags``, and its slug)
    goes: in the folder of the listing's page (``tags/dpo/papers.bib``); its folder when
    ``export`` is empty."""
    return f"{kind}/{slug}/" + (exports.SLICE_FILES[export] if export else "")


@dataclass(frozen=True)
class Page:
    """One output file: its path under the site, its text, and the record it came from."""

    path: str
    """Where the page goes, relative to the site's source root (``papers/dpo.md``)."""
    markdown: str
    """The page's text: for a ``.md`` page, front matter then its HTML; else the file's text."""
    source: str | None = None
    """The record file the page came from, as shown to users, or None."""
    in_nav: bool = True
    """False for pages that the navigation never lists (papers and facet values)."""
    date: str | None = None
    """The page's date (YYYY-MM-DD): its paper's ``added`` date, else the newest one."""
    edit_path: str | None = None
    """The record file's path from the repository root, for the page's edit link, or None."""
    search: dict | None = field(default=None, hash=False)
    """What the search index files the page under (paper pages only), or None."""
    file: str | None = None
    """The file on disk that holds the page's text instead of ``markdown`` (exports that a build
    wrote as it made them, :class:`generator.site.exports.ExportFolder`), or None."""

    @property
    def front_matter(self) -> str:
        """The front matter of a ``.md`` page with its ``---`` lines, or ""."""
        return self.markdown[:self._body_start()]

    @property
    def html(self) -> str:
        """The HTML of a ``.md`` page (its text after the front matter)."""
        return self.markdown[self._body_start():]

    def _body_start(self) -> int:
        if not self.markdown.startswith("---\n"):
            return 0
        end = self.markdown.find("\n---\n", 3)
        return 0 if end < 0 else end + 5

    @cached_property
    def headings(self) -> list[tuple[int, str, str]]:
        """The headings of a ``.md`` page (:func:`html.headings`), read once: the table of
        contents and the check of links to a heading both use them."""
        return html.headings(self.html)

    def toc(self) -> list[dict]:
        """The page's headings nested as Python-Markdown's ``toc_tokens`` (:func:`html.toc_tokens`)."""
        return html.toc_tokens(self.headings)


@dataclass(frozen=True)
class SiteInfo:
    """What pages say about the site itself."""

    name: str = Settings.site_name
    url: str | None = Settings.site_url
    recent: int = Settings.recent
    related: int = Settings.related
    slices: bool = Settings.slices
    """Whether each page listing papers has its exports in its folder (:func:`slice_pages`)."""
    page_size: int = Settings.page_size
    """How many papers one page of a long listing shows."""
    group_newest: int = Settings.group_newest
    """How many of each sub-group's newest papers a type page shows."""


class Renderer:
    """The Jinja2 environment over ``site_templates/``: one template per page kind, one base context."""

    def __init__(self, templates_dir: Path, site: SiteInfo | None = None):
        self.site = site or SiteInfo()
        self.templates = Path(templates_dir)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=True,  # the templates write HTML: anything not marked safe is escaped
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            text=_safe(html_text), paragraphs=_safe(html_paragraphs), url=_safe(safe_url),
            front_matter=_safe(front_matter_string),
        )
        self.links = Links()
        self.env.globals.update(link=self.links.link, a=self.links.anchor, heading=_heading, code=html.code_block, link_labels=LINK_LABELS, site=self.site, remember=_made_every_time,
                                arxiv_pdf=cite.arxiv_pdf, slice_path=slice_path, slice_formats=SLICE_FORMATS,
                                author_year=author_year, NEWEST=NEWEST, A_Z=A_Z)

    def render(self, kind: str, path: str, **context) -> str:
        """Render the template of a page kind for the page at ``path``."""
        name = f"{kind}.html"
        try:
            return self.env.get_template(name).render(page_path=path, heading_ids=set(), **context)
        except jinja2.TemplateError as exc:
            where = f"{exc.filename or name}:{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else name
            raise AtlasError(f"template {where} failed for {path}: {exc}") from exc


def _safe(function):
    """A filter giving HTML that the templates insert as it is (``function`` escapes)."""
    return lambda value: Markup(function(value))


class Links:
    """The ``link`` and ``a`` of the templates: links from the page being rendered, or, while a
    ``remember`` block is made (:attr:`marked`), links that start at :data:`html.ROOT_MARK`."""

    def __init__(self):
        self.marked = False

    def _href(self, context, target: str) -> str:
        if self.marked:
            return Markup(html.ROOT_MARK) + (html.rooted(target) or "./")
        return html.link(context["page_path"], target)

    @jinja2.pass_context
    def link(self, context, target: str) -> str:
        """The URL from the page being rendered to another page or file (a path from the site
        root, ``papers/x.md``)."""
        return self._href(context, target)

    @jinja2.pass_context
    def anchor(self, context, target: str, label) -> Markup:
        """A link (``<a>``) from the page being rendered to another page or file, showing
        ``label`` (escaped unless it is already HTML)."""
        return Markup('<a href="%s">%s</a>') % (self._href(context, target), label)


@jinja2.pass_context
def _heading(context, level: int, title, anchor: str | None = None) -> Markup:
    """A heading of the page being rendered (:func:`generator.site.html.heading`)."""
    return html.heading(context["heading_ids"], level, title, anchor)


@jinja2.pass_context
def _made_every_time(context, *key, caller) -> str:
    """``remember`` outside :func:`render_site`: the block is made each time."""
    return caller()


def _remember_within(memo: dict, links: Links):
    """``remember`` for the templates of one :func:`render_site` call: the output of a
    ``{% call remember(name, ...) %}`` block is made once per arguments, with its links starting
    at :data:`html.ROOT_MARK`, kept in ``memo``, and given to each page with the mark replaced by
    the page's way up to the site's root."""
    @jinja2.pass_context
    def remember(context, *key, caller) -> str:
        text = memo.get(key)
        outer = links.marked  # inside another remember block, the mark stays for it to replace
        if text is None:
            links.marked = True
            try:
                text = memo[key] = str(caller())
            finally:
                links.marked = outer
        return Markup(text if outer else html.from_root_mark(text, context["page_path"]))

    return remember


def surname(name: str) -> str:
    """The family name in an author's name as a record writes it, with its particles
    (:func:`generator.content.names.person_name`): "Rafailov, Rafael", "Li H.", "Vincent van Gogh"."""
    return person_name(name).surname


def author_year(paper: Paper) -> str:
    """A short reference to a paper as listings show it: "Rafailov et al., 2023", "Lee and Kim,
    2020", "Li, 2018", "2019" without authors, "Rafailov et al." without a year; "" with neither."""
    authors = [surname(a) for a in paper.authors if a and a.strip()]
    if len(authors) > 2:
        who = f"{authors[0]} et al."
    else:
        who = " and ".join(authors)
    return ", ".join(part for part in (who, str(paper.year) if paper.year else "") if part)


def paper_facts(paper, index: PaperIndex) -> tuple:
    """What a paper's list item and its facts on other pages are made from: the record, and the
    method's and task's page as the index names them."""
    task = index.task_of(paper)
    method = index.methods.slug_of(paper.method) if paper.method and paper.method.strip() else None
    return paper, method, task, index.tasks.slug_of(task) if task else None


def paper_page_inputs(facts: dict, paper, related, mentions, mentioned_by, key: str) -> tuple:
    """What a paper page is made from, besides the taxonomy, the templates and the site's settings
    (``facts``: :func:`paper_facts` by id; ``key``: its citation key): equal inputs give the same
    HTML, which the live preview reuses. Keep in step with paper.html and the macros it calls."""
    return facts[paper.id], tuple(related), tuple(mentions), tuple(facts[p.id] for p in mentioned_by), key


def listing_inputs(facts: dict, heading: tuple, sections) -> tuple:
    """What a page listing papers (type.html, facet_value.html) is made from, besides the taxonomy,
    the templates and the site's settings: its ``heading`` values and, for each section (a key
    and its papers), the facts of each paper (:func:`paper_facts`, by id in ``facts``). Keep in
    step with those templates and the ``paper_item`` macro."""
    return heading, tuple((key, tuple(facts[p.id] for p in papers)) for key, papers in sections)


def group_listings(index: PaperIndex, type_id: str, size: int) -> list[tuple[object, Listing]]:
    """Each sub-group of a type with the listing of its papers at ``types/<type>/<group>``, then
    ``(None, listing)`` of the papers in no group at ``types/<type>/other-papers``."""
    out, taken = [], set()
    for group, members in index.groups(type_id):
        name = base = group.id if group else "other-papers"
        n = 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        out.append((group, Listing(f"types/{type_id}/{name}", tuple(members), size)))
    return out


def paper_exports(index: PaperIndex, site: SiteInfo, remember=None) -> exports.PaperExports:
    """What each paper contributes to the exports (its JSON entry, CSV row, BibTeX entry with its
    citation key, feed entry), made once per build and shared by the pages, the exports and the
    search index. ``remember(kind, paper, make)`` may keep each paper's base citation key."""
    words = index.taxonomy.citations
    base = (lambda p: remember("citation base", p, lambda: cite.base_key(p, words))) if remember else None
    keys = cite.citation_keys(index.papers, words, base)
    site_url = site.url.rstrip("/") + "/" if site.url else ""
    return exports.PaperExports(keys, index.taxonomy.citations, site_url)


def render_site(content: Content, renderer: Renderer, index: PaperIndex | None = None, memo=None,
                parts: exports.PaperExports | None = None, exports_to: exports.ExportFolder | None = None) -> list[Page]:
    """Every page of the site, sorted by path: the pages (front matter and HTML), exports (the atlas's and, with
    ``slices``, every listing's), feeds and redirects.

    ``memo`` (a :class:`generator.mkdocs.preview.PageMemo`) reuses the paper pages and the pages
    listing papers whose inputs did not change, and what was made from each unchanged record.
    ``parts`` (:func:`paper_exports`) is made here when not given. With ``exports_to``, each export is
    written there as it is made (:func:`export_pages`).
    """
    index = index or PaperIndex(content, related_limit=renderer.site.related)
    site = renderer.site
    base = {"index": index, "taxonomy": index.taxonomy, "remember": _remember_within({}, renderer.links)}
    pages: list[Page] = []
    facts = {p.id: paper_facts(p, index) for p in index.papers} if memo else {}
    per_paper = memo.per_paper if memo else None

    def page(path: str, inputs, make) -> str:
        return memo.page(path, inputs(), make) if memo else make()

    parts = parts or paper_exports(index, site)
    keys = parts.keys
    remember = per_paper.get if per_paper else None

    type_rows = [(t.title, len(index.by_type.get(t.id, []))) for t in index.taxonomy.types.values()]
    charts = {  # SVG whose text is escaped where it is made
        "types": Markup(horizontal_bars("Papers per alignment type", type_rows)),
        "years": Markup(vertical_bars("Papers per year of publication", year_columns(index.by_year))) if index.by_year else "",
    }
    pages.append(Page("index.md", renderer.render("home", "index.md", charts=charts,
                                                  recent=index.recent(site.recent), **base)))
    listings: list[tuple[str, str, str, list]] = []  # kind, slug, title, papers of each listing's slice
    for type_id, kind in index.taxonomy.types.items():
        path, groups = f"types/{type_id}.md", group_listings(index, type_id, site.page_size)
        papers = index.by_type.get(type_id, [])
        heading = (len(papers), tuple((listing.base, len(listing.papers), listing.count) for _, listing in groups))
        text = page(path, lambda: listing_inputs(facts, heading, ((g.id if g else None, listing.newest[:site.group_newest])
                                                                  for g, listing in groups)),
                    lambda: renderer.render("type", path, type=kind, papers=papers, groups=groups, **base))
        pages.append(Page(path, text, index.taxonomy.path))
        listings.append(("types", type_id, kind.title, papers))
        for group, listing in groups:
            for part in listing.all_pages():
                text = page(part.path, lambda: listing_inputs(facts, (type_id, group, part.order, part.number, part.count,
                                                                      len(listing.papers)), ((None, part.papers),)),
                            lambda: renderer.render("type_group", part.path, type=kind, group=group, part=part, **base))
                pages.append(Page(part.path, text, index.taxonomy.path, in_nav=False))
    for paper in index.papers:
        path = paper_path(paper.id)
        around = {"related": index.related.get(paper.id, []), "mentions": index.mentions.get(paper.id, []),
                  "mentioned_by": index.mentioned_by.get(paper.id, [])}

        def make(path=path, paper=paper, around=around):
            return renderer.render("paper", path, paper=paper, bibtex=parts.get("bibtex", paper, remember),
                                   reference=cite.plain_reference(paper), venue=cite.where_published(paper),
                                   **around, **base)

        text = page(path, lambda: paper_page_inputs(facts, paper, **around, key=keys[paper.id]), make)
        pages.append(Page(path, text, paper.source, in_nav=False))
        for alias in paper.aliases:
            alias_path = f"papers/{alias}/index.html"
            pages.append(Page(alias_path, renderer.render("redirect", alias_path, paper=paper,
                                                          target=paper_path(paper.id)), paper.source, in_nav=False))
    for facet in index.facets:
        path = f"{facet.kind}/index.md"
        pages.append(Page(path, renderer.render("facet_index", path, facet=facet, **base)))
        for value in facet.values.values():
            listing = Listing(f"{facet.kind}/{value.slug}", tuple(value.papers), site.page_size)
            for part in listing.all_pages():
                text = page(part.path, lambda: listing_inputs(facts, (value.label, value.description, part.order,
                                                                      part.number, part.count, len(value.papers)),
                                                              ((None, part.papers),)),
                            lambda: renderer.render("facet_value", part.path, facet=facet, value=value, part=part, **base))
                pages.append(Page(part.path, text, in_nav=False))
            listings.append((facet.kind, value.slug, f"{facet.singular}: {value.label}", value.papers))
    site_feed = exports.FeedInfo(site.name, "Papers added to the atlas, newest first.", site.name)
    pages.extend(export_pages(exports.export_files(exports.SITE_FILES, index.papers, parts, site_feed, remember),
                              exports_to))
    if site.slices:
        pages.extend(slice_pages(listings, parts, site.name, remember, memo, exports_to))
    return sorted(pages, key=lambda p: p.path)


def slice_pages(listings, parts: exports.PaperExports, site_name: str, remember=None, memo=None,
                exports_to: exports.ExportFolder | None = None) -> list[Page]:
    """The exports of each listing (kind, slug, title and the papers it lists, all of them
    however the page shows them) in the folder of its page: ``papers.json``, ``papers.csv``,
    ``papers.bib`` and ``feed.xml`` (see :func:`slice_path`). ``memo`` (as in
    :func:`render_site`) keeps them while the listing's papers and their citation keys are equal."""
    out = []
    for kind, slug, title, papers in listings:
        folder = slice_path(kind, slug)
        feed = exports.FeedInfo(f"{site_name}: {one_line(title)}",
                                f"Papers listed under {one_line(title)}, newest added first.",
                                site_name, folder, folder)
        paths = {export: slice_path(kind, slug, export) for export in exports.SLICE_FILES}

        def make(paths=paths, papers=papers, feed=feed):
            return exports.export_files(paths, papers, parts, feed, remember)

        files = memo.page(folder, (feed, tuple((p, parts.keys[p.id]) for p in papers)), make) if memo else make()
        out.extend(export_pages(files, exports_to))
    return out


def export_pages(files: list[tuple[str, str]], exports_to: exports.ExportFolder | None = None) -> list[Page]:
    """Pages of export files, (path, text) each; with ``exports_to``, each text is written there
    and its page names the file (``file``) instead of holding the text."""
    if exports_to is None:
        return [Page(path, text, in_nav=False) for path, text in files]
    return [Page(path, "", in_nav=False, file=exports_to.write(path, text)) for path, text in files]

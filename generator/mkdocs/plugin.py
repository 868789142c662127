"""The MkDocs plugin ``atlas``: adds the pages of :func:`generator.site.pages.render_site` as virtual files.

Event methods only hand over to the functions below: content is loaded and checked when the
config is read (problems fail the build with their ``file:line`` messages), pages are added as
generated files (nothing is written into the docs folder), their HTML is sanitized, paper pages
get an edit link to their YAML file, and ``mkdocs serve`` watches the content and templates.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from generator.mkdocs.config import AtlasConfig, edit_base, resolve, site_info
from generator.dedupe.matching import duplicate_problems, make_record
from generator.errors import AtlasError, ContentError
from generator.fsutil import file_stamp
from generator.mkdocs import preview
from generator.site import search
from generator.mkdocs.converter import SharedConverter, use_shared_converter
from generator.mkdocs import theme_parts
from generator.site.index import PaperIndex
from generator.site.pages import Page, Renderer, bibtex_entries, render_site
from generator.site.safety import sanitize_html

log = logging.getLogger("mkdocs.plugins.atlas")


class AtlasPlugin(BasePlugin[AtlasConfig]):
    """Generates the atlas's pages from ``content/`` with the templates in ``site_templates/``."""

    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.problems = []
        self.edit_links: dict[str, str] = {}
        self.dates: dict[str, str] = {}
        self.date = "1970-01-01"
        self.watched: list[Path] = []
        self.search_meta: dict[str, dict] = {}
        self.search_index: search.SearchIndex | None = None
        self.command = "build"
        self.dirty = False
        self.records = preview.RecordCache()
        self.built = preview.BuiltPages()
        self.memo = preview.PageMemo()
        self.renderer: Renderer | None = None
        self.skipped_in_nav: list = []
        self.basis = None
        self.indexer = search.BackgroundIndexer()
        self.search_source = search.SearchSource()
        self.outputs: dict[str, str] = {}
        self.converter = SharedConverter()
        self.theme_parts = theme_parts.PartCache()

    def on_startup(self, *, command, dirty):
        # Having on_startup keeps this object (and its memories) across the rebuilds of one serve.
        self.command, self.dirty = command, dirty
        if command == "serve" and dirty:
            preview.allow_dirty_builds()

    def on_config(self, config):
        # Loading and rendering make millions of objects: the garbage collector is held off
        # meanwhile, runs once after, and what is kept until the build ends (records, index,
        # pages) is then left out of its passes (gc.freeze), which spares it scanning them again
        # for every page built. At 10,000 records: one pass of 0.65 s instead of about 3 s of
        # passes while loading and rendering.
        gc.unfreeze()  # what an earlier rebuild of the same serve kept may now be garbage
        gc.disable()
        try:
            prepare(self, config)
        finally:
            gc.collect()  # the templates leave reference cycles (about 80 MB at 10,000 records)
            gc.freeze()
            gc.enable()

    def on_files(self, files, config):
        added = add_files(files, config, self.pages.values())
        self.outputs = {path: file.dest_uri for path, file in added.items()}
        if self.command == "serve" and self.dirty:
            self.skipped_in_nav = preview.skip_unchanged(files, config.site_dir, self.basis, self.pages.values(),
                                                         self.built)
            preview.remove_stale(config.site_dir, self.built.stale_outputs(config.site_dir, self.outputs))
        return files

    def on_nav(self, nav, config, files):
        preview.read_titles(self.skipped_in_nav, config)
        return nav

    def on_env(self, env, config, files):
        self.theme_parts.forget()
        theme_parts.install(env, self.theme_parts)
        return env

    def on_pre_page(self, page, config, files):
        # Dates from the content, not the clock, so that two builds (and sitemap.xml.gz) are identical.
        page.update_date = self.dates.get(page.file.src_uri, self.date)
        if page.file.src_uri in self.pages:
            use_shared_converter(page, self.converter)
        return page

    def on_page_content(self, html, page, config, files):
        return sanitize_html(html) if page.file.src_uri in self.pages else html

    def on_page_context(self, context, page, config, nav):
        if page.file.src_uri in self.pages:
            page.edit_url = self.edit_links.get(page.file.src_uri)
            if page.file.src_uri in self.search_meta:
                page.meta["atlas_search"] = self.search_meta[page.file.src_uri]
        return context

    def on_post_page(self, output, page, config):
        if page.file.src_uri in self.search_meta:
            self.search_source.add(page.file.dest_uri, output)
        return output

    def on_post_build(self, config):
        self.converter.forget()
        self.theme_parts.forget()
        if self.command == "serve":
            # The preview shows at once; its search catches up a few seconds later.
            self.built.remember(config.site_dir, self.basis, self.pages.values(), self.outputs)
            self.search_source.keep_only({self.outputs[path] for path in self.search_meta})
            self.indexer.start(self.search_source, Path(config.site_dir))
            return
        try:
            self.search_index = search.index_site(self.search_source, Path(config.site_dir))
            search.write_bibtex_shards(Path(config.site_dir))
        except AtlasError as exc:
            raise PluginError(f"atlas: {exc}") from exc
        finally:
            self.search_source.remove()

    def on_build_error(self, error):
        self.converter.forget()
        self.theme_parts.forget()
        self.built.forget()
        if self.command != "serve":
            self.search_source.remove()

    def on_shutdown(self):
        self.indexer.stop()
        self.search_source.remove()

    def on_serve(self, server, config, builder):
        for path in self.watched:
            server.watch(str(path))
        return server


def prepare(plugin: AtlasPlugin, config) -> None:
    """Load and check the content (records, then duplicates), render every page, and work out
    edit links and page dates."""
    options: AtlasConfig = plugin.config
    root = Path(config.config_file_path).resolve().parent
    content_dir = resolve(options, options.content, root)
    templates = resolve(options, options.templates, root)
    plugin.watched = [content_dir, templates]
    info = site_info(options, config.site_name, config.site_url)
    memo = make = None
    if plugin.command == "serve":
        memo = plugin.memo
        templates_stamp = preview.folder_stamp(templates)
        memo.start((templates_stamp, file_stamp(content_dir / "taxonomy.yaml"), info))
        plugin.basis = (templates_stamp, file_stamp(Path(config.config_file_path)))

        def make(paper, rules):
            return memo.per_paper.get("duplicate check", paper, lambda: make_record(paper, rules), rules)
    try:
        content = plugin.records.load(content_dir)
    except ContentError as exc:
        content = None
        plugin.problems = exc.problems
    except AtlasError as exc:
        raise PluginError(f"atlas: {exc}") from exc
    if content is not None:
        plugin.problems = content.problems or duplicate_problems(content, make=make)
    if plugin.problems:
        for problem in plugin.problems:
            log.error(str(problem))
        raise PluginError(f"atlas: {len(plugin.problems)} problem(s) in {content_dir}; nothing was built")
    if plugin.renderer is None or plugin.renderer.site != info or plugin.renderer.templates != templates:
        plugin.renderer = Renderer(templates, info)  # kept across serve rebuilds: templates compile once
    renderer = plugin.renderer
    try:
        index = PaperIndex(content, related_limit=renderer.site.related)
        bibtex = bibtex_entries(index, memo.per_paper if memo else None)
        plugin.pages = pages = {page.path: page for page in render_site(content, renderer, index, memo, bibtex)}
    except AtlasError as exc:
        raise PluginError(f"atlas: {exc}") from exc
    base = edit_base(options, config.repo_url, config.edit_uri, Path(config.docs_dir).name)
    plugin.edit_links = edit_links = {}
    folders: dict[Path, Path] = {}
    for page in pages.values():
        if page.source and base:
            try:
                edit_links[page.path] = base + _resolved(Path(page.source), folders).relative_to(root).as_posix()
            except ValueError:
                pass  # content outside the repository has nothing to edit online
    plugin.search_meta = {f"papers/{p.id}.md": search.search_meta(p, index, bibtex[p.id]) for p in content.papers}
    plugin.search_source.expected_pages = len(plugin.search_meta)
    plugin.dates = {f"papers/{p.id}.md": p.added for p in content.papers if p.added}
    plugin.date = max(plugin.dates.values(), default=plugin.date)


def _resolved(path: Path, folders: dict[Path, Path]) -> Path:
    """``path.resolve()``, resolving each folder once (``folders`` keeps them): thousands of
    records share one folder."""
    if path.is_symlink():
        return path.resolve()
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    return folder / path.name


def add_files(files, config, pages) -> dict[str, File]:
    """Add pages as generated files (papers and facet values stay out of the navigation); the
    added files by page path."""
    known = files.src_uris  # page paths are already what MkDocs calls source URIs
    added = {}
    for page in pages:
        if page.path in known:
            raise PluginError(f"atlas: {page.path} is generated; remove it from {config.docs_dir}")
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        added[page.path] = file = File.generated(config, page.path, content=page.markdown, inclusion=inclusion)
        files.append(file)
    return added

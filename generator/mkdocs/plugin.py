"""The MkDocs plugin ``atlas``: adds the pages of :func:`generator.site.build.build_pages` as virtual files.

Event methods only hand over: the pages are built when the config is read, with the settings
made from the plugin's options (problems fail the build with their ``file:line`` messages);
they are added as generated files holding only their front matter (nothing is written into the
docs folder), and once their links are checked, each page's HTML, sanitized, takes the place of
what MkDocs made of that (``on_page_content``) with its table of contents; each page's own date,
edit path and search data go to the theme. ``mkdocs serve`` watches the content and templates.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from generator.mkdocs.config import AtlasConfig, settings_of
from generator.dedupe.matching import make_record
from generator.errors import AtlasError, ContentError
from generator.fsutil import file_stamp
from generator.mkdocs import preview
from generator.site import search
from generator.site.build import EPOCH, build_pages, site_info
from generator.site.exports import ExportFolder
from generator.site.html import broken_links, check_links
from generator.mkdocs import theme_parts
from generator.site.pages import Page, Renderer
from generator.site.settings import Settings
from generator.site.safety import sanitize_html

log = logging.getLogger("mkdocs.plugins.atlas")

FULL_PASS_EVERY = 20
"""Every how many builds of one process the garbage collector's pass covers what earlier builds kept."""


class AtlasPlugin(BasePlugin[AtlasConfig]):
    """Generates the atlas's pages from ``content/`` with the templates in ``site_templates/``."""

    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.problems = []
        self.settings = Settings()
        self.date = EPOCH
        self.watched: list[Path] = []
        self.search_index: search.SearchIndex | None = None
        self.command = "build"
        self.dirty = False
        self.records = preview.RecordCache()
        self.built = preview.BuiltPages()
        self.memo = preview.PageMemo()
        self.links = preview.CheckedLinks()
        self.renderer: Renderer | None = None
        self.dirty_files: preview.DirtyFiles | None = None
        self.basis = None
        self.indexer = search.BackgroundIndexer()
        self.search_source = search.SearchSource()
        self.export_folder: ExportFolder | None = None  # a build's exports, until MkDocs copies them
        self.outputs: dict[str, str] = {}
        self.theme_parts = theme_parts.PartCache()
        self.rebuilds = 0

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
        # A rebuild of a serve leaves what earlier builds kept out of its pass too (a full pass is
        # 0.7 s at 5,000 records): of that, only what is garbage in cycles stays unfreed (about 80
        # objects a rebuild, measured), until every FULL_PASS_EVERY-th rebuild frees it.
        self.indexer.stop()  # an indexing of the previous build would take the cores from this one
        self.dirty_files = None  # the previous build's files and pages: garbage, and not to be frozen
        if self.renderer is None or self.rebuilds % FULL_PASS_EVERY == 0:
            gc.unfreeze()  # what an earlier rebuild of the same serve kept may now be garbage
        self.rebuilds += 1
        gc.disable()
        try:
            prepare(self, config)
        finally:
            gc.collect()  # the templates leave reference cycles (about 80 MB at 10,000 records)
            gc.freeze()
            gc.enable()

    def on_files(self, files, config):
        plan = self.dirty_files = None
        pages = list(self.pages.values())
        if self.command == "serve" and self.dirty:
            plan = self.dirty_files = preview.plan_dirty_build(files, config, self.basis, pages, self.built)
            pages = [page for page in pages if page.path not in plan.left_out]
        added = add_files(files, config, pages)
        try:
            check_links(self.pages.values(), (file.src_uri for file in files if file.src_uri not in self.pages),
                        self.links.broken if self.command == "serve" else broken_links)
        except AtlasError as exc:
            raise PluginError(f"atlas: {exc}") from exc
        self.outputs = {path: file.dest_uri for path, file in added.items()}
        if plan is not None:
            self.outputs.update((path, self.built.outputs[path]) for path in plan.left_out)  # as the last build made them
            files = preview.mark_unchanged(files, config, plan, added)
            preview.remove_stale(config.site_dir, self.built.stale_outputs(config.site_dir, self.outputs))
        return files

    def on_env(self, env, config, files):
        self.theme_parts.forget()
        self.theme_parts.verify = theme_parts.verify_requested()
        theme_parts.install(env, self.theme_parts)
        return env

    def on_nav(self, nav, config, files):
        if self.dirty_files is not None:
            preview.read_titles(self.dirty_files.in_nav, config)
        return nav

    def on_post_template(self, output_content, template_name, config):
        if template_name == "sitemap.xml" and self.dirty_files is not None and any(
                path.endswith(".md") for path in self.dirty_files.left_out):
            return ""  # MkDocs then keeps the sitemap of the last build, which lists every page
        return output_content

    def on_pre_page(self, page, config, files):
        # Dates from the content, not the clock, so that two builds (and sitemap.xml.gz) are identical.
        generated = self.pages.get(page.file.src_uri)
        page.update_date = generated.date if generated is not None and generated.date else self.date
        return page

    def on_page_content(self, html, page, config, files):
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html
        # The page's Markdown was its front matter only: its HTML is the atlas's own, and so
        # are the headings the theme's table of contents lists.
        html = sanitize_html(generated.html)
        toc = generated.toc()
        page.toc = get_toc(toc)
        page.present_anchor_ids = set(_ids(toc))  # what links from other pages may point at
        return html

    def on_page_context(self, context, page, config, nav):
        generated = self.pages.get(page.file.src_uri)
        if generated is not None:
            base = self.settings.edit_url
            page.edit_url = base + generated.edit_path if base and generated.edit_path else None
            if generated.search is not None:
                page.meta["atlas_search"] = generated.search
        return context

    def on_post_page(self, output, page, config):
        generated = self.pages.get(page.file.src_uri)
        if generated is not None and generated.search is not None:
            self.search_source.add(page.file.dest_uri, output)
        return output

    def on_post_build(self, config):
        self.theme_parts.forget()
        if self.command == "serve":
            # The preview shows at once; its search catches up a few seconds later.
            self.built.remember(config.site_dir, self.basis, self.pages.values(), self.outputs)
            self.search_source.keep_only({self.outputs[path] for path, page in self.pages.items() if page.search is not None})
            self.indexer.start(self.search_source, Path(config.site_dir))
            return
        self.remove_exports()  # MkDocs has copied them into the site
        try:
            self.search_index = search.index_site(self.search_source, Path(config.site_dir))
            search.write_bibtex_shards(Path(config.site_dir))
        except AtlasError as exc:
            raise PluginError(f"atlas: {exc}") from exc
        finally:
            self.search_source.remove()

    def on_build_error(self, error):
        self.theme_parts.forget()
        self.built.forget()
        self.remove_exports()
        if self.command != "serve":
            self.search_source.remove()

    def on_shutdown(self):
        self.indexer.stop()
        self.search_source.remove()
        self.remove_exports()

    def on_serve(self, server, config, builder):
        for path in self.watched:
            server.watch(str(path))
        return server

    def remove_exports(self) -> None:
        """Delete the folder that this build wrote its exports into, if any."""
        if self.export_folder is not None:
            self.export_folder.remove()
            self.export_folder = None


def prepare(plugin: AtlasPlugin, config) -> None:
    """Build the pages (:func:`generator.site.build.build_pages`: content loaded and checked,
    then rendered) with the settings of this MkDocs config; problems fail the build."""
    plugin.settings = settings = settings_of(plugin.config, config)
    plugin.watched = [settings.content_dir, settings.templates_dir]
    memo = make = None
    if plugin.command == "serve":
        memo = plugin.memo
        templates_stamp = preview.folder_stamp(settings.templates_dir)
        memo.start((templates_stamp, file_stamp(settings.content_dir / "taxonomy.yaml"), site_info(settings)))
        plugin.basis = (templates_stamp, file_stamp(Path(config.config_file_path)))

        def make(paper, rules):
            return memo.per_paper.get("duplicate check", paper, lambda: make_record(paper, rules), rules)
    # A build writes each export to disk as it is made (MkDocs copies them into the site) rather
    # than holding them all; a live preview keeps them, to compare them between rebuilds.
    plugin.remove_exports()
    plugin.export_folder = ExportFolder() if plugin.command != "serve" else None
    try:
        built = build_pages(settings, load=plugin.records.load, make_record=make, renderer=plugin.renderer,
                            memo=memo, exports_to=plugin.export_folder)
    except ContentError as exc:
        plugin.problems = exc.problems
        for problem in plugin.problems:
            log.error(str(problem))
        raise PluginError(f"atlas: {len(plugin.problems)} problem(s) in {settings.content_dir}; nothing was built")
    except AtlasError as exc:
        raise PluginError(f"atlas: {exc}") from exc
    plugin.problems = []
    plugin.renderer = built.renderer  # kept across serve rebuilds: templates compile once
    plugin.date = built.date
    plugin.pages = {page.path: page for page in built.pages}
    plugin.search_source.expected_pages = sum(1 for page in built.pages if page.search is not None)


def _ids(tokens):
    for token in tokens:
        yield token["id"]
        yield from _ids(token["children"])


def add_files(files, config, pages) -> dict[str, File]:
    """Add pages as generated files (papers and facet values stay out of the navigation; a page
    written to disk, ``file``, is added by its path); the added files by page path."""
    known = files.src_uris  # page paths are already what MkDocs calls source URIs
    added = {}
    for page in pages:
        if page.path in known:
            raise PluginError(f"atlas: {page.path} is generated; remove it from {config.docs_dir}")
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        if page.file is not None:  # an export written to disk as it was made: MkDocs copies it
            file = File.generated(config, page.path, abs_src_path=page.file, inclusion=inclusion)
        else:
            content = page.front_matter if page.path.endswith(".md") else page.markdown
            file = File.generated(config, page.path, content=content, inclusion=inclusion)
        added[page.path] = file
        files.append(file)
    return added

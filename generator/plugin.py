"""The MkDocs plugin ``atlas``: adds the pages of :func:`generator.render.render_site` as virtual files.

Event methods only hand over to the functions below: content is loaded and checked when the
config is read (problems fail the build with their ``file:line`` messages), pages are added as
generated files (nothing is written into the docs folder), their HTML is sanitized, paper pages
get an edit link to their YAML file, and ``mkdocs serve`` watches the content and templates.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from .config import AtlasConfig, edit_base, resolve, site_info
from .dedupe import duplicate_problems
from .errors import AtlasError, ContentError
from .records import load_content
from .render import Page, Renderer, render_site
from .render_safety import sanitize_html

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

    def on_config(self, config):
        prepare(self, config)

    def on_files(self, files, config):
        return add_files(files, config, self.pages.values())

    def on_pre_page(self, page, config, files):
        # Dates from the content, not the clock, so that two builds (and sitemap.xml.gz) are identical.
        page.update_date = self.dates.get(page.file.src_uri, self.date)
        return page

    def on_page_content(self, html, page, config, files):
        return sanitize_html(html) if page.file.src_uri in self.pages else html

    def on_page_context(self, context, page, config, nav):
        if page.file.src_uri in self.pages:
            page.edit_url = self.edit_links.get(page.file.src_uri)
        return context

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
    try:
        content = load_content(content_dir)
    except ContentError as exc:
        content = None
        plugin.problems = exc.problems
    except AtlasError as exc:
        raise PluginError(f"atlas: {exc}") from exc
    if content is not None:
        plugin.problems = content.problems or duplicate_problems(content)
    if plugin.problems:
        for problem in plugin.problems:
            log.error(str(problem))
        raise PluginError(f"atlas: {len(plugin.problems)} problem(s) in {content_dir}; nothing was built")
    renderer = Renderer(templates, site_info(options, config.site_name, config.site_url))
    try:
        plugin.pages = pages = {page.path: page for page in render_site(content, renderer)}
    except AtlasError as exc:
        raise PluginError(f"atlas: {exc}") from exc
    base = edit_base(options, config.repo_url, config.edit_uri, Path(config.docs_dir).name)
    plugin.edit_links = edit_links = {}
    for page in pages.values():
        if page.source and base:
            try:
                edit_links[page.path] = base + Path(page.source).resolve().relative_to(root).as_posix()
            except ValueError:
                pass  # content outside the repository has nothing to edit online
    plugin.dates = {f"papers/{p.id}.md": p.added for p in content.papers if p.added}
    plugin.date = max(plugin.dates.values(), default=plugin.date)


def add_files(files, config, pages) -> object:
    """Add pages as generated files; papers and facet values stay out of the navigation."""
    for page in pages:
        if files.get_file_from_path(page.path) is not None:
            raise PluginError(f"atlas: {page.path} is generated; remove it from {config.docs_dir}")
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.path, content=page.markdown, inclusion=inclusion))
    return files

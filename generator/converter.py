"""One Markdown converter for the generated pages of a build, instead of one per page.

MkDocs sets up a new ``markdown.Markdown`` with every extension for each page it renders. Setting
one up and its first conversion cost about 1.2 ms more than a conversion by a converter that is
reset between pages (measured on a paper page: 5.6 ms against 4.4 ms), so about 16 s of CPU for
the 13,500 pages of an atlas of 10,000 papers. Generated pages are therefore rendered by
:class:`SharedConverterPage`, which does what ``Page.render`` does (MkDocs' own preprocessor and
tree processors record anchors, make links relative and find the title) with one converter that
:class:`SharedConverter` keeps for the build. Extensions reset their state in ``Markdown.reset``;
a test builds the same site both ways and compares every page.

The MkDocs parts used are private; if a release of MkDocs renames them, :func:`available` is false
and pages are rendered by MkDocs as usual.
"""

from __future__ import annotations

import functools
import logging

import markdown
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.pages import Page

_MKDOCS_PARTS = ("_RawHTMLPreprocessor", "_ExtractAnchorsTreeprocessor", "_RelativePathTreeprocessor",
                 "_ExtractTitleTreeprocessor", "get_toc")


@functools.cache
def available() -> bool:
    """Whether this MkDocs has the parts a shared conversion needs."""
    return all(hasattr(mkdocs_pages, name) for name in _MKDOCS_PARTS)


class SharedConverter:
    """A Markdown converter for one build's config, made at the first page that needs it."""

    def __init__(self):
        self.config = None
        self.markdown: markdown.Markdown | None = None

    def for_config(self, config) -> markdown.Markdown:
        if self.markdown is None or self.config is not config:
            self.config = config
            self.markdown = markdown.Markdown(extensions=config["markdown_extensions"],
                                              extension_configs=config["mdx_configs"] or {})
        return self.markdown

    def forget(self) -> None:
        """Let go of the converter (it holds the last page's files) at the end of a build."""
        self.config = self.markdown = None


class SharedConverterPage(Page):
    """A page whose Markdown is converted by a :class:`SharedConverter` (``shared``)."""

    shared: SharedConverter

    def render(self, config, files) -> None:
        if self.markdown is None:
            raise RuntimeError(f"{self.file.src_uri}: the page's Markdown has not been read")
        md = self.shared.for_config(config)
        md.reset()
        # MkDocs' per-page helpers, made fresh for this page; registering one under a name
        # already used replaces the helper of the page before.
        raw_html = mkdocs_pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(self.file, files, config)
        anchors._register(md)
        links = mkdocs_pages._RelativePathTreeprocessor(self.file, files, config)
        links._register(md)
        title = mkdocs_pages._ExtractTitleTreeprocessor()
        title._register(md)

        self.content = md.convert(self.markdown)
        self.toc = mkdocs_pages.get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = title.title
        self.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        # MkDocs keeps these only when its log shows more than debug messages; so does this.
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = links.links_to_anchors


def use_shared_converter(page: Page, shared: SharedConverter) -> None:
    """Have ``page`` rendered by ``shared`` (a no-op where this MkDocs lacks the parts)."""
    if available() and type(page) is Page:
        page.__class__ = SharedConverterPage
        page.shared = shared

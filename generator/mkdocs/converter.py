"""One Markdown converter for the generated pages of a build, instead of one per page.

MkDocs sets up a new ``markdown.Markdown`` with every extension for each page it renders; a
converter reset between pages does the same work for about 0.5 ms less a page (MkDocs' rendering
of the 1,486 pages of an atlas of 1,000 papers: 7.1-7.5 s against 6.5-6.9 s CPU, three builds
each). Generated pages are therefore rendered by
:class:`SharedConverterPage`, which does what ``Page.render`` does (MkDocs' own preprocessor and
tree processors record anchors, make links relative and find the title) with one converter that
:class:`SharedConverter` keeps for the build. Extensions reset their state in ``Markdown.reset``.
The page a link leads to is also looked up once per folder (:class:`_Links`), which halves the
time MkDocs spends making links relative (0.7 to 0.35 s at 1,000 papers). Tests render pages
both ways, and build the same site both ways and compare every file.

The MkDocs parts used are private; if a release of MkDocs renames them, :func:`available` is false
and pages are rendered by MkDocs as usual.
"""

from __future__ import annotations

import functools
import logging
import posixpath
from urllib.parse import unquote, urlsplit, urlunsplit

import markdown
from markdown.util import AMP_SUBSTITUTE
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

_UNSEEN = object()
"""A link not looked up yet (None is a link left to MkDocs)."""

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
        self.targets: dict[tuple[str, str], tuple | None] = {}
        """What links lead to, by folder of the linking page and link (see :class:`_Links`)."""

    def for_config(self, config) -> markdown.Markdown:
        if self.markdown is None or self.config is not config:
            self.config = config
            self.markdown = markdown.Markdown(extensions=config["markdown_extensions"],
                                              extension_configs=config["mdx_configs"] or {})
            self.targets = {}
        return self.markdown

    def forget(self) -> None:
        """Let go of the converter and the links' targets (they hold the build's files) at the end
        of a build."""
        self.config = self.markdown = None
        self.targets = {}


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
        links = _Links(self.file, files, config, self.shared.targets)
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


class _Links(mkdocs_pages._RelativePathTreeprocessor if available() else object):
    """MkDocs' rewriting of links to pages into relative URLs, with the page each link leads to
    looked up once per folder instead of once per page: a listing page links to hundreds of
    papers, and every paper page links to the same facet pages.

    Only a link MkDocs would rewrite without a message is remembered (a relative path to a file
    in the build); anything else (external, absolute, anchor only, missing or excluded target)
    goes to MkDocs' own ``path_to_url`` every time, with its checks and messages.
    """

    def __init__(self, file, files, config, targets: dict):
        super().__init__(file, files, config)
        self.targets = targets
        self.folder = posixpath.dirname(file.src_uri)

    def path_to_url(self, url: str) -> str:
        key = (self.folder, url)
        found = self.targets.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self.targets[key] = self._plain_target(url)
        if found is None:
            return super().path_to_url(url)
        target, query, anchor = found
        if anchor:  # the anchor is checked against the target page after the build, as MkDocs does
            self.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
        return urlunsplit(("", "", get_relative_url(target.url, self.file.url), query, anchor))

    def _plain_target(self, url: str) -> tuple | None:
        """The file ``url`` leads to, its query and anchor; None where MkDocs has more to do."""
        scheme, netloc, path, query, anchor = urlsplit(url)
        if scheme or netloc or not path or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url:
            return None
        target = self.files.get_file_from_path(self._target_uri(self.file.src_uri, unquote(path)))
        if target is None or target.inclusion.is_excluded():
            return None
        return target, query, anchor


def use_shared_converter(page: Page, shared: SharedConverter) -> None:
    """Have ``page`` rendered by ``shared`` (a no-op where this MkDocs lacks the parts)."""
    if available() and type(page) is Page:
        page.__class__ = SharedConverterPage
        page.shared = shared

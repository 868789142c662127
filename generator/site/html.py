"""What generated pages need to be HTML of their own: their URLs and the links between them,
heading ids, the table of contents read back from a page, and a check of every internal link.

Pages have directory URLs: ``papers/x.md`` is served at ``papers/x/``, ``index.md`` at the
site's root, ``types/index.md`` at ``types/``; any other file (``data/papers.bib``) at its path.
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from markupsafe import Markup, escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import BibTeXLexer

from generator.errors import AtlasError
from generator.text import one_line


@lru_cache(maxsize=1 << 16)
def paper_path(paper_id: str) -> str:
    """The path of a paper's page."""
    return f"papers/{paper_id}.md"


def page_url(path: str) -> str:
    """The URL (from the site's root, "" for the root) of the page or file at ``path``."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


@lru_cache(maxsize=1 << 16)
def relative_url(here: str, there: str) -> str:
    """The link from the page at URL ``here`` to URL ``there`` (both as :func:`page_url` gives them)."""
    base = here.split("/")[:-1]  # a page URL ends with "/"; "" is the root
    parts = there.split("/")
    shared = 0
    while shared < len(base) and shared < len(parts) - 1 and base[shared] == parts[shared]:
        shared += 1
    return "../" * (len(base) - shared) + "/".join(parts[shared:]) or "./"


def link(from_path: str, target: str) -> str:
    """The link from the page at ``from_path`` to the page or file at ``target``, both paths from
    the site's root (``papers/x.md``, ``data/papers.bib``)."""
    return relative_url(page_url(from_path), rooted(target))


@lru_cache(maxsize=1 << 12)
def up_to_root(path: str) -> str:
    """What leads from the page at ``path`` up to the site's root: "../" per folder of its URL
    (``papers/x.md``, served at ``papers/x/``: "../../"), "" at the root."""
    return "../" * page_url(path).count("/")


ROOT_MARK = "<atlas:root>"
"""Starts each link of HTML made once for pages at any depth (the ``remember`` blocks of the
templates): each page replaces it with its way up to the root (:func:`up_to_root`), which gives
links down from the root (``../../methods/dpo/``) instead of the shortest ones (``../dpo/``).
Text from records cannot forge it: every record field is escaped, and escaped text has no ``<``."""


def rooted(target: str) -> str:
    """The URL of ``target`` from the site's root (:func:`page_url`), once checked to be a path
    from the root."""
    if target.startswith("/") or ".." in target.split("/"):
        raise AtlasError(f"link target must be a path from the site root, got {target!r}")
    return page_url(target)


def from_root_mark(markup: str, path: str) -> str:
    """``markup`` with each :data:`ROOT_MARK` replaced by the way up to the root from ``path``."""
    return markup.replace(ROOT_MARK, up_to_root(path))


_CODE = '<div class="highlight"><pre><span></span><code>{}</code></pre></div>'
"""A block of code as MkDocs' highlighting (pymdownx.highlight) writes one: the theme gives it a copy button."""


def code_block(text: str, bibtex: bool = False) -> Markup:
    """A block of code showing ``text`` as written; with ``bibtex``, coloured as BibTeX by
    Pygments, as the theme colours a fenced ``bibtex`` block."""
    body = highlight(text, _bibtex_lexer(), _formatter()) if bibtex else str(escape(text))
    return Markup(_CODE.format(body))


@lru_cache(maxsize=1)
def _bibtex_lexer() -> BibTeXLexer:
    return BibTeXLexer()


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter:
    return HtmlFormatter(nowrap=True)


_NOT_WORD = re.compile(r"[^\w\s-]")
_SPACES = re.compile(r"[-\s]+")


def slug(text: str) -> str:
    """A heading's id made from its text, as Python-Markdown's table of contents makes it."""
    value = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return _SPACES.sub("-", _NOT_WORD.sub("", value).strip().lower())


def heading(ids: set, level: int, title, anchor: str | None = None) -> Markup:
    """A heading with its id (``anchor``, else made from ``title``, unique on the page: ``ids``
    holds those taken) and the link to itself that the theme shows beside it."""
    base = anchor or slug(title) or "_"
    anchor, n = base, 0
    while anchor in ids:
        n += 1
        anchor = f"{base}_{n}"
    ids.add(anchor)
    anchor = html.escape(anchor, quote=True)
    return Markup(f'<h{level} id="{anchor}">{html.escape(one_line(str(title)), quote=False)}'
                  f'<a class="headerlink" href="#{anchor}" title="Permanent link">¶</a></h{level}>')


_HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)<a class="headerlink"')


def headings(markup: str) -> list[tuple[int, str, str]]:
    """The headings of a page written by :func:`heading`: (level, id, title as HTML), in order."""
    return [(int(level), anchor, title) for level, anchor, title in _HEADING.findall(markup)]


def toc_tokens(found: Iterable[tuple[int, str, str]]) -> list[dict]:
    """Headings (as :func:`headings` gives them) nested as Python-Markdown's ``toc_tokens``:
    each a dict of level, id, name and children."""
    top: list[dict] = []
    open_: list[dict] = []
    for level, anchor, title in found:
        token = {"level": level, "id": html.unescape(anchor), "name": title, "children": []}
        while open_ and open_[-1]["level"] >= level:
            open_.pop()
        (open_[-1]["children"] if open_ else top).append(token)
        open_.append(token)
    return top


_HREF = re.compile(r'href="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def page_links(page) -> list[tuple[str, str, str]]:
    """The internal links of a generated ``.md`` page, in order: (href as written, URL from the
    site's root of the page or file it leads to, anchor or "")."""
    here = page_url(page.path)
    links, seen = [], {}
    for href in _HREF.findall(page.markdown):
        target = html.unescape(href)
        if _SCHEME.match(target) or target.startswith("/"):
            continue
        link = seen.get(target)
        if link is None:
            path, _, anchor = target.partition("#")
            resolved = posixpath.normpath(posixpath.join(here, path.split("?", 1)[0]))
            link = seen[target] = ("" if resolved == "." else resolved, anchor)
        links.append((href, *link))
    return links


class LinkTargets:
    """What links of generated pages may lead to: the pages (``.md`` pages and other files made)
    and files of ``others`` (paths of files the build makes besides, such as hand-written pages),
    and the headings of generated ``.md`` pages."""

    def __init__(self, pages: list, others: Iterable[str] = ()):
        self.known = {page_url(p.path).rstrip("/") for p in pages} | {page_url(path).rstrip("/") for path in others}
        self.generated = {page_url(p.path).rstrip("/"): p for p in pages if p.path.endswith(".md")}
        self._anchors: dict[str, set[str]] = {}

    def broken(self, links: list[tuple[str, str, str]]) -> list[str]:
        """The hrefs of ``links`` (as :func:`page_links` gives them) that lead to no page or
        file, or to a heading that a generated page does not have."""
        out = []
        for href, resolved, anchor in links:
            ok = resolved in self.known
            if ok and anchor and resolved in self.generated:
                if resolved not in self._anchors:
                    self._anchors[resolved] = {a for _, a, _ in self.generated[resolved].headings}
                ok = anchor in self._anchors[resolved]
            if not ok:
                out.append(href)
        return out


def broken_links(pages: Iterable, others: Iterable[str] = ()) -> list[str]:
    """Every internal link of the generated pages (``.md`` pages; ``others``: paths of the other
    files the build makes, such as hand-written pages) that leads to no page or file, or to a
    heading that a generated page does not have, as ``"<page>: <link>"``."""
    pages = list(pages)
    targets = LinkTargets(pages, others)
    return [f"{page.path}: {href}" for page in pages if page.path.endswith(".md")
            for href in targets.broken(page_links(page))]


def check_links(pages: Iterable, others: Iterable[str] = (), broken=broken_links) -> None:
    """Raise :class:`AtlasError` naming each generated page with a link that leads nowhere
    (:func:`broken_links`, or ``broken`` called the same way)."""
    problems = broken(pages, others)
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise AtlasError(f"{len(problems)} link(s) of generated pages lead to no page or file: {shown}")

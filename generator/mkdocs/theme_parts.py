"""Parts of the theme rendered once per folder for pages outside the navigation.

Material renders its sidebar navigation (``partials/nav.html``), its tabs
(``partials/tabs.html``), its footer (``partials/footer.html``) and the settings its scripts
read (``base.html``'s ``config`` block) again for every page: at 1,000 papers that is about a
tenth of MkDocs' work. For a page that is not in the navigation (a paper, a facet value) nothing
in them is active and the footer has no previous or next page, so they differ from one such page
to the next only by their links, which MkDocs writes relative to the page's folder. Pages whose
folders have the same parent get the same relative links, unless a link points into one of
those folders; such a page is keyed by its own folder.

The plugin (:func:`install`, from ``on_env``) puts a template in front of each of the partials
that calls :meth:`PartCache.once` with the partial as the theme's loader finds it
(``site_templates/overrides/`` first, then the theme), reached under ``atlas-theme/<name>``;
``once`` renders it at most once per key and build. ``site_templates/overrides/main.html`` wraps
the ``config`` block the same way when the plugin is there. Pages in the navigation, and anything
rendered without a page, always render the part. Without the plugin the theme is untouched.

That holds only while the partials depend on nothing else of the page. With ``verify``
(``ATLAS_CHECK_THEME_PARTS=1`` in the environment, which the tests set for every build), each
part is rendered for every page as well and compared with the kept one: any difference fails the
build with :class:`ThemePartsChanged`, naming the partial and the page, so that a theme release
(or an override in ``site_templates/overrides/``) whose partials read the page shows at once.
"""

from __future__ import annotations

import os
import posixpath

import jinja2

from generator.errors import AtlasError

PREFIX = "atlas-theme"

CHECK_VARIABLE = "ATLAS_CHECK_THEME_PARTS"
"""The environment variable that turns the check on (value ``1``)."""


class ThemePartsChanged(AtlasError):
    """A theme part renders differently for two pages that were to share it."""


def verify_requested() -> bool:
    """Whether the environment asks for every kept part to be checked (:data:`CHECK_VARIABLE`)."""
    return os.environ.get(CHECK_VARIABLE) == "1"


class PartCache:
    """What the theme's partials rendered, per partial and folder, for one build."""

    def __init__(self, verify: bool = False):
        self.verify = verify
        """Whether each kept part is rendered for every page too and compared."""
        self.checked = 0
        """How many renderings were compared with a kept part in this build."""
        self.parts: dict[tuple, str] = {}
        self._nav = None
        self._nav_sources: frozenset[str] = frozenset()
        self._targets: tuple[str, ...] = ()

    def forget(self) -> None:
        self.parts.clear()
        self.checked = 0
        self._nav, self._nav_sources, self._targets = None, frozenset(), ()

    def key(self, page, nav, config) -> tuple | None:
        """The folder whose pages share this page's rendering of the partials, or None."""
        if page is None or nav is None:
            return None
        if nav is not self._nav:
            self._learn(nav, config)
        if page.file.src_uri in self._nav_sources:
            return None
        folder = _link_base(page.url)
        inside = folder.rstrip("/") + "/"
        if folder and not any(target.startswith(inside) for target in self._targets):
            return ("parent", posixpath.dirname(folder.rstrip("/")))
        return ("folder", folder)

    def _learn(self, nav, config) -> None:
        self._nav = nav
        self.parts.clear()
        self._nav_sources = frozenset(page.file.src_uri for page in nav.pages)
        targets = [item.url for item in _walk(nav.items) if getattr(item, "url", None)]
        theme = config.get("theme")
        extra = config.get("extra") or {}
        targets += [value for value in (extra.get("homepage"), theme and theme.get("logo")) if value]
        # A target is compared as a path from the site's root, like MkDocs' relative links.
        self._targets = tuple(posixpath.normpath("/" + str(t)).lstrip("/") + "/" for t in targets)

    @jinja2.pass_context
    def once(self, context, name: str, caller) -> str:
        """``caller()`` (the theme's partial) rendered at most once per key and build; with
        :attr:`verify`, rendered every time and compared with the kept one."""
        page = context.get("page")
        key = self.key(page, context.get("nav"), context.get("config"))
        if key is None:
            return caller()
        key = (name, *key)
        html = self.parts.get(key)
        if html is None:
            html = self.parts[key] = caller()
        elif self.verify:
            own = caller()
            self.checked += 1
            if own != html:
                raise ThemePartsChanged(
                    f"the theme's {name} renders differently for {page.file.src_uri} than for the other pages "
                    f"of its folder; generator/mkdocs/theme_parts.py cannot share it (remove {name} from PARTS, "
                    f"or the cache)")
        return html


def _link_base(url: str) -> str:
    """The folder MkDocs' ``get_relative_url`` writes a page's links from."""
    head, tail = posixpath.split(url)
    return head if "." in tail else url


def _walk(items):
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or ())


PARTS = ("partials/nav.html", "partials/tabs.html", "partials/footer.html")
_WRAPPER = '{%% call atlas_once("%s") %%}{%% include "%s/%s" %%}{%% endcall %%}'


def install(env: jinja2.Environment, cache: PartCache) -> None:
    """Put :data:`PARTS` behind ``cache.once``; the partials themselves stay reachable as ``atlas-theme/<name>``."""
    theme = env.loader
    wrappers = jinja2.DictLoader({name: _WRAPPER % (name, PREFIX, name) for name in PARTS})
    env.loader = jinja2.ChoiceLoader([wrappers, theme, jinja2.PrefixLoader({PREFIX: theme})])
    env.globals["atlas_once"] = cache.once

"""The theme's navigation and tabs are rendered once per folder for pages outside the navigation
(generator/mkdocs/theme_parts.py): the site must come out byte for byte as when every page renders
them, and every build the tests make checks it (tests/conftest.py sets ATLAS_CHECK_THEME_PARTS)."""

from __future__ import annotations

import os
from types import SimpleNamespace as NS

import pytest

from site_fixtures import ROOT, build_fixture, built_site, differing_files, project  # noqa: F401  (fixtures)
from generator.mkdocs import theme_parts
from generator.site.search import stable_files


def _page(src_uri: str, url: str):
    return NS(file=NS(src_uri=src_uri), url=url)


def _nav(*urls: str):
    pages = [_page(url.rstrip("/") + ".md", url) for url in urls]
    return NS(pages=pages, items=[NS(title="Section", url=None, children=pages)])


CONFIG = {"theme": {"logo": None}, "extra": {}}


def test_pages_outside_the_navigation_share_a_key_with_their_folders_siblings():
    nav = _nav("", "types/llm/", "methods/")
    cache = theme_parts.PartCache()
    a, b = cache.key(_page("papers/a.md", "papers/a/"), nav, CONFIG), cache.key(_page("papers/b.md", "papers/b/"), nav, CONFIG)
    assert a == b == ("parent", "papers")
    # A facet value whose folder holds a navigation target (methods/ is in the navigation, but
    # not inside methods/dpo/) shares with its siblings too; the facet index itself is in the nav.
    assert cache.key(_page("methods/dpo.md", "methods/dpo/"), nav, CONFIG) == ("parent", "methods")
    assert cache.key(_page("methods.md", "methods/"), nav, CONFIG) is None
    assert cache.key(_page("types/llm.md", "types/llm/"), nav, CONFIG) is None
    assert cache.key(None, nav, CONFIG) is None and cache.key(_page("x.md", "x/"), None, CONFIG) is None


def test_a_page_whose_folder_holds_a_navigation_target_is_keyed_by_its_own_folder():
    nav = _nav("", "papers/a/notes/")
    cache = theme_parts.PartCache()
    # From papers/a/ the link to papers/a/notes/ is "notes/", from papers/b/ it is "../a/notes/".
    assert cache.key(_page("papers/a.md", "papers/a/"), nav, CONFIG) == ("folder", "papers/a/")
    assert cache.key(_page("papers/b.md", "papers/b/"), nav, CONFIG) == ("parent", "papers")


def test_a_logo_inside_a_pages_folder_counts_as_a_target():
    cache = theme_parts.PartCache()
    config = {"theme": {"logo": "papers/a/logo.png"}, "extra": {}}
    assert cache.key(_page("papers/a.md", "papers/a/"), _nav(""), config) == ("folder", "papers/a/")


def test_pages_without_directory_urls_are_keyed_by_the_folder_their_links_start_from():
    nav = _nav("index.html", "methods/index.html")
    nav.pages[0].url, nav.pages[1].url = "index.html", "methods/index.html"
    cache = theme_parts.PartCache()
    assert cache.key(_page("papers/a.md", "papers/a.html"), nav, CONFIG) == ("parent", "")
    # methods/index.html is reached as "index.html" from methods/, as "../methods/..." from papers/.
    assert cache.key(_page("methods/dpo.md", "methods/dpo.html"), nav, CONFIG) == ("folder", "methods")


def test_a_new_navigation_empties_the_cache():
    cache = theme_parts.PartCache()
    nav = _nav("")
    cache.key(_page("papers/a.md", "papers/a/"), nav, CONFIG)
    cache.parts[("partials/nav.html", "parent", "papers")] = "<nav>old</nav>"
    cache.key(_page("papers/a.md", "papers/a/"), _nav("", "tags/"), CONFIG)
    assert cache.parts == {}


def test_the_site_is_the_same_as_with_the_partials_rendered_for_every_page(built_site, tmp_path, monkeypatch):
    calls = {"cached": 0, "rendered": 0}
    names = set()
    once = theme_parts.PartCache.once

    def counted(self, context, name, caller):
        def counting_caller():
            calls["rendered"] += 1
            return caller()
        calls["cached"] += 1
        names.add(name)
        return once(self, context, name, counting_caller)

    monkeypatch.setattr(theme_parts.PartCache, "once", theme_parts.jinja2.pass_context(counted))
    monkeypatch.delenv(theme_parts.CHECK_VARIABLE)  # the check renders every part: count the sharing alone
    cached = tmp_path / "cached"
    assert build_fixture(cached) == 0
    # Three partials and the theme's settings on every page; at most half as many renderings as
    # calls (the fixture's papers, tags and methods share folders; each A-Z page and sub-group
    # listing of its few papers sits in a folder of its own).
    assert names == {*theme_parts.PARTS, "block config"}
    assert calls["cached"] > 120 and calls["rendered"] <= calls["cached"] / 2

    monkeypatch.setattr(theme_parts.PartCache, "key", lambda self, page, nav, config: None)
    stock = tmp_path / "stock"
    assert build_fixture(stock) == 0
    assert differing_files(cached, stock) == []
    files = stable_files(stock)
    assert files == stable_files(built_site)
    # The comparison covers what differs between pages: an active tab on a type page, none on a paper.
    paper = next(p for p in files if p.startswith("papers/") and p.endswith("/index.html"))
    assert "md-tabs__item--active" not in (stock / paper).read_text("utf-8")
    assert "md-tabs__item--active" in (stock / "types/llm-alignment/index.html").read_text("utf-8")


def test_every_build_of_the_tests_checks_the_kept_parts():
    assert os.environ.get(theme_parts.CHECK_VARIABLE) == "1" and theme_parts.verify_requested()
    import jinja2

    from generator.mkdocs.plugin import AtlasPlugin

    plugin = AtlasPlugin()
    plugin.on_env(jinja2.Environment(loader=jinja2.DictLoader({})), config=None, files=None)
    assert plugin.theme_parts.verify


def test_the_check_fails_when_a_part_differs_between_pages_that_share_it():
    nav = _nav("")
    cache = theme_parts.PartCache(verify=True)

    def context(src_uri, url):
        return {"page": _page(src_uri, url), "nav": nav, "config": CONFIG}

    render = theme_parts.PartCache.once  # jinja2.pass_context only marks the method
    assert render(cache, context("papers/a.md", "papers/a/"), "partials/nav.html", lambda: "<nav>same</nav>") == \
        "<nav>same</nav>"
    assert render(cache, context("papers/b.md", "papers/b/"), "partials/nav.html", lambda: "<nav>same</nav>") == \
        "<nav>same</nav>"
    assert cache.checked == 1
    with pytest.raises(theme_parts.ThemePartsChanged, match=r"partials/nav\.html .*papers/c\.md"):
        render(cache, context("papers/c.md", "papers/c/"), "partials/nav.html", lambda: "<nav>papers/c/</nav>")
    unchecked = theme_parts.PartCache()
    render(unchecked, context("papers/a.md", "papers/a/"), "partials/nav.html", lambda: "<nav>a</nav>")
    assert render(unchecked, context("papers/b.md", "papers/b/"), "partials/nav.html", lambda: "<nav>b</nav>") == \
        "<nav>a</nav>" and unchecked.checked == 0


def test_an_override_of_the_navigation_that_reads_the_page_fails_the_checked_build(project, tmp_path, capsys):
    from generator.cli import main

    folder = project()
    partials = folder / "site_templates/overrides/partials"
    partials.mkdir(parents=True, exist_ok=True)
    (partials / "nav.html").write_text('<nav class="curated-nav">{{ page.url }}</nav>', "utf-8")
    site = tmp_path / "site"
    assert main(["build", "--content", str(folder / "content"), "--site-dir", str(site),
                 "--config-file", str(folder / "mkdocs.yml")]) != 0
    assert "partials/nav.html renders differently" in capsys.readouterr().err
    assert not (site / "index.html").exists()


def test_the_theme_builds_without_the_plugin(tmp_path):
    # The build benchmark's "MkDocs alone" uses mkdocs.yml and its theme folder without the plugin.
    import yaml
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "atlas" in p)]
    config.pop("nav")
    config.update(docs_dir=str(ROOT / "docs"), site_dir=str(tmp_path / "site"), strict=False,
                  validation={"links": {"not_found": "info", "unrecognized_links": "info"}},
                  theme={**config["theme"], "custom_dir": str(ROOT / "site_templates/overrides")})
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    build(load_config(str(tmp_path / "mkdocs.yml")))
    page = (tmp_path / "site/add-a-paper/index.html").read_text("utf-8")
    assert 'class="md-nav md-nav--primary' in page and 'class="md-tabs"' in page

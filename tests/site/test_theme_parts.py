"""The theme's navigation and tabs are rendered once per folder for pages outside the navigation
(generator/mkdocs/theme_parts.py): the site must come out byte for byte as when every page renders them."""

from __future__ import annotations

from types import SimpleNamespace as NS

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


def test_an_override_of_the_navigation_in_the_projects_theme_folder_still_applies(project, tmp_path):
    from generator.cli import main

    folder = project()
    partials = folder / "site_templates/overrides/partials"
    partials.mkdir(parents=True, exist_ok=True)
    (partials / "nav.html").write_text('<nav class="curated-nav">{{ page.url }}</nav>', "utf-8")
    site = tmp_path / "site"
    assert main(["build", "--content", str(folder / "content"), "--site-dir", str(site),
                 "--config-file", str(folder / "mkdocs.yml")]) == 0
    # Redirect pages (a record's former address) are not theme pages.
    papers = [p for p in sorted(site.glob("papers/*/index.html")) if "http-equiv=\"refresh\"" not in p.read_text("utf-8")]
    assert len(papers) > 2
    # The override is rendered (once for all papers: the first paper's address on every one).
    navs = {p.read_text("utf-8").split('<nav class="curated-nav">')[1].split("</nav>")[0] for p in papers}
    assert len(navs) == 1 and navs.pop().startswith("papers/")
    assert '<nav class="curated-nav">types/llm-alignment/</nav>' in (site / "types/llm-alignment/index.html").read_text("utf-8")


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

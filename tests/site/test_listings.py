"""Long listings on a generated corpus: newest first, A-Z pages, pages of a set size with stable
addresses, light pages, every paper three clicks from the home page, and a complete sitemap."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from benchmarks.local_http import serve

import pytest
from site_fixtures import CHROMIUM, PageLinks, browser, checked_page, copy_project, screenshot  # noqa: F401  (fixtures)

from benchmarks.make_corpus import make_corpus
from generator.content.records import load_content
from generator.site.index import PaperIndex, paper_order, title_order
from generator.site.listings import A_Z, NEWEST, Listing
from generator.site.pages import SiteInfo, group_listings

PAPERS = 240
PAGE_SIZE = 5
GROUP_NEWEST = 3
SITE_URL = "https://atlas.example.org/"
ITEM_BYTES = 1000
"""The most HTML one paper's line in a listing takes (title, authors and year, type, method and
task links: 360 to 470 bytes on this corpus)."""
LEAST_ITEM_BYTES = 300
"""The least HTML one paper's line takes."""


def _strip(field: str, papers: list[Path]) -> None:
    """Take ``field`` out of the records ``papers``."""
    for path in papers:
        lines = path.read_text("utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith(f"{field}:")), "utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated corpus in which some papers have no year and some no date added."""
    content = make_corpus(tmp_path_factory.mktemp("corpus") / "content", PAPERS, seed=7)
    papers = sorted((content / "papers").glob("*.yaml"))
    _strip("year", papers[::9])
    _strip("added", papers[3::11])
    return content


@pytest.fixture(scope="module")
def index(corpus) -> PaperIndex:
    content = load_content(corpus)
    assert content.problems == []
    return PaperIndex(content)


@pytest.fixture(scope="module")
def site(corpus, tmp_path_factory) -> Path:
    """The corpus built with ``atlas build --strict``, pages of PAGE_SIZE papers and a site URL."""
    from generator.cli import main

    project = copy_project(tmp_path_factory.mktemp("listings") / "project", corpus)
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "      templates: site_templates\n" in text
    text = text.replace("      templates: site_templates\n", "      templates: site_templates\n"
                        f"      page_size: {PAGE_SIZE}\n      group_newest: {GROUP_NEWEST}\n")
    config.write_text(f"site_url: {SITE_URL}\n" + text, "utf-8")
    site = project / "site"
    assert main(["build", "--content", str(project / "content"), "--site-dir", str(site), "--strict",
                 "--config-file", str(config)]) == 0
    return site


def listings(index: PaperIndex) -> list[Listing]:
    """Every listing of the site: the sub-groups of each type and every method, task and tag."""
    out = [listing for type_id in index.taxonomy.types for _, listing in group_listings(index, type_id, PAGE_SIZE)]
    out += [Listing(f"{facet.kind}/{value.slug}", tuple(value.papers), PAGE_SIZE)
            for facet in index.facets for value in facet.values.values()]
    return out


def page_file(site: Path, markdown_path: str) -> Path:
    """The HTML file MkDocs writes for a generated page (``tags/x/page/2.md`` -> ``tags/x/page/2/index.html``)."""
    return site / markdown_path.removesuffix(".md") / "index.html"


def listed_papers(page: Path) -> list[str]:
    """The ids of the papers a listing page lists, in order (the title link of each item)."""
    html = page.read_text("utf-8")
    body = html[html.index('<article'):html.index('</article>')]
    return re.findall(r'<li><a href="(?:\.\./)+papers/([a-z0-9-]+)/">', body)


def test_the_corpus_has_long_listings_and_papers_without_a_year(index):
    longest = max(listings(index), key=lambda listing: len(listing.papers))
    assert longest.count >= 5  # long enough that pages matter (previous, next, several numbers)
    assert any(p.year is None for p in index.papers) and any(p.added is None for p in index.papers)


def test_listing_order_is_newest_first_with_missing_years_last():
    from dataclasses import replace

    from generator.content.models import Paper

    base = Paper(id="a", title="B", type="llm-alignment", source="x")
    papers = [replace(base, id="old", year=2019, added="2026-01-01"),
              replace(base, id="undated", title="A", year=None, added="2026-06-01"),
              replace(base, id="new-late", year=2024, added="2026-05-01"),
              replace(base, id="new-early", year=2024, added="2025-01-01"),
              replace(base, id="new-unadded", title="A", year=2024, added=None)]
    assert [p.id for p in sorted(papers, key=paper_order)] == ["new-late", "new-early", "new-unadded", "old", "undated"]
    assert [p.id for p in sorted(papers, key=title_order)][:2] == ["new-unadded", "undated"]


def test_pages_together_hold_each_paper_of_the_listing_once_in_its_order(site, index):
    for listing in listings(index):
        for order, key in ((NEWEST, paper_order), (A_Z, title_order)):
            if order not in listing.orders:
                assert len(listing.papers) == 1 and not page_file(site, listing.base + "/a-z.md").exists()
                continue
            ids = []
            for number in range(1, listing.count + 1):
                page = page_file(site, listing.path(order, number))
                found = listed_papers(page)
                assert 0 < len(found) <= PAGE_SIZE, page
                ids += found
            expected = [p.id for p in sorted(listing.papers, key=key)]
            assert ids == expected, f"{listing.base} ({order})"
            # Stable addresses: page n at .../page/n/, and no page after the last.
            assert not page_file(site, f"{listing.base}{'/a-z' if order == A_Z else ''}/page/{listing.count + 1}.md").exists()


def test_a_long_listing_reads_newest_first_and_missing_years_come_last(site, index):
    by_id = index.by_id
    for listing in listings(index):
        ids = [i for n in range(1, listing.count + 1) for i in listed_papers(page_file(site, listing.path(NEWEST, n)))]
        years = [by_id[i].year for i in ids]
        dated = [y for y in years if y is not None]
        assert dated == sorted(dated, reverse=True)
        assert years == dated + [None] * (len(years) - len(dated))


def test_pages_link_their_neighbours_every_page_number_and_the_other_order(site, index):
    listing = max(listings(index), key=lambda listing: len(listing.papers))
    page = page_file(site, listing.path(NEWEST, 2))
    html = page.read_text("utf-8")
    pager = html[html.index('class="atlas-pager"'):]
    pager = pager[:pager.index("</nav>")]
    hrefs = re.findall(r'href="([^"]+)"', pager)
    targets = {urljoin(f"{SITE_URL}{page.parent.relative_to(site).as_posix()}/", h) for h in hrefs}
    url = {f"{SITE_URL}{listing.path(NEWEST, n).removesuffix('.md')}/" for n in range(1, listing.count + 1)}
    assert url - {f"{SITE_URL}{listing.path(NEWEST, 2).removesuffix('.md')}/"} <= targets  # every other page
    assert f"{SITE_URL}{listing.path(A_Z, 1).removesuffix('.md')}/" in targets
    assert ">Previous<" in pager and ">Next<" in pager and "Page 2 of" in pager


def test_a_type_page_shows_each_sub_groups_newest_papers_and_links_all_their_pages(site, index):
    for type_id in index.taxonomy.types:
        html = (site / "types" / type_id / "index.html").read_text("utf-8")
        shown = listed_papers(site / "types" / type_id / "index.html")
        groups = group_listings(index, type_id, PAGE_SIZE)
        assert shown == [p.id for _, listing in groups for p in listing.newest[:GROUP_NEWEST]]
        for _, listing in groups:
            for n in range(1, listing.count + 1):
                target = listing.path(NEWEST, n).removesuffix(".md").removeprefix(f"types/{type_id}/")
                assert f'href="{target}/"' in html, (type_id, target)


def test_no_page_is_heavier_than_its_page_size_allows(site, index):
    # The theme's own weight with one paper: the lightest listing page. A listing page may add
    # PAGE_SIZE papers' lines and its links to the other pages; a type page, each sub-group's
    # GROUP_NEWEST newest papers and page links. At 10,000 papers and 100 a page, that stays far
    # under 300 KB (BENCHMARKS.md).
    pages = {part.path: page_file(site, part.path).stat().st_size for listing in listings(index)
             for part in listing.all_pages()}
    theme = min(pages.values())
    limit = theme + PAGE_SIZE * ITEM_BYTES + 3000
    longest = max(listings(index), key=lambda listing: len(listing.papers))
    assert theme + len(longest.papers) * LEAST_ITEM_BYTES > limit  # on one page, the longest would not fit
    heavy = {path: size for path, size in pages.items() if size > limit}
    for type_id in index.taxonomy.types:
        groups = group_listings(index, type_id, PAGE_SIZE)
        size = (site / "types" / type_id / "index.html").stat().st_size
        if size > theme + len(groups) * (GROUP_NEWEST * ITEM_BYTES + 1500) + 3000:
            heavy[type_id] = size
    assert heavy == {}
    assert max(p.stat().st_size for p in site.rglob("*.html")) < 300_000


def site_links(site: Path, page: Path) -> set[Path]:
    """The pages of the site that a page links to (files, anchors dropped)."""
    parser = PageLinks()
    parser.feed(page.read_text("utf-8"))
    out = set()
    for link in parser.links:
        parts = urlsplit(link)
        if parts.scheme or link.startswith(("//", "#", "mailto:", "javascript:")) or not parts.path:
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            out.add(target)
    return out


def test_every_paper_is_at_most_three_clicks_from_the_home_page(site, index):
    home = (site / "index.html").resolve()
    depth = {home: 0}
    queue = deque([home])
    while queue:
        page = queue.popleft()
        if depth[page] == 3:
            continue
        for target in site_links(site, page):
            if target not in depth:
                depth[target] = depth[page] + 1
                queue.append(target)
    papers = {(site / "papers" / p.id / "index.html").resolve() for p in index.papers}
    assert len(papers) == PAPERS
    assert sorted(p.parent.name for p in papers if p not in depth) == []
    assert any(depth[p] == 3 for p in papers)  # the check reaches its limit: some papers need all three


def test_the_sitemap_lists_every_page(site):
    tree = ET.parse(site / "sitemap.xml")
    listed = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = set()
    for page in site.rglob("index.html"):
        if 'http-equiv="refresh"' in page.read_text("utf-8"):
            continue  # a redirect of an old id, not a page
        folder = page.parent.relative_to(site).as_posix()
        pages.add(SITE_URL + ("" if folder == "." else folder + "/"))
    assert any("/page/2/" in url for url in pages) and any(url.endswith("/a-z/") for url in pages)
    assert pages - listed == set()
    assert listed - pages == set()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_a_reader_pages_through_a_listing_and_switches_to_a_z(site, index, browser):
    listing = max(listings(index), key=lambda listing: len(listing.papers))
    first = f"{listing.path(NEWEST, 1).removesuffix('.md')}/"
    with serve(site) as url, checked_page(browser, url) as page:
        page.goto(url + "types/llm-alignment/")
        screenshot(page, "listing-type-page", full_page=True)
        page.goto(url + first)
        pager = page.locator("nav.atlas-pager").first
        pager.get_by_role("link", name="Next").click()
        page.wait_for_url(url + listing.path(NEWEST, 2).removesuffix(".md") + "/")
        assert "Page 2 of" in pager.inner_text()
        titles = page.locator(".md-content article li > a:first-child").all_inner_texts()
        assert titles[:PAGE_SIZE] == [p.title for p in listing.newest[PAGE_SIZE:2 * PAGE_SIZE]]
        screenshot(page, "listing-page-2", full_page=True)
        pager.get_by_role("link", name="A-Z").click()
        page.wait_for_url(url + listing.path(A_Z, 1).removesuffix(".md") + "/")
        titles = page.locator(".md-content article li > a:first-child").all_inner_texts()
        assert titles[:PAGE_SIZE] == [p.title for p in listing.a_z[:PAGE_SIZE]]


def test_bibtex_shards_hold_every_indexed_paper_once_with_its_entry(site):
    import gzip
    import json

    from generator.site.search import read_fragments

    index = json.loads(gzip.decompress((site / "data/bibtex/index.gzjson").read_bytes()))
    ids = [i for shard in index["shards"] for i in shard]
    fragments = {path.stem for path in (site / "pagefind/fragment").glob("*.pf_fragment")}
    assert sorted(ids) == sorted(fragments) and len(ids) == PAPERS
    entries = {}
    for n, shard in enumerate(index["shards"]):
        data = (site / f"data/bibtex/{n}.gzjson").read_bytes()
        assert len(data) == index["bytes"][n]
        entries.update(zip(shard, json.loads(gzip.decompress(data))))
    by_url = {f["url"]: json.loads(f["meta"]["bibtex"]) for f in read_fragments(site)}
    assert sorted(entries.values()) == sorted(by_url.values())


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_explore_downloads_every_papers_bibtex_from_the_shards(site, browser):
    with serve(site) as url, checked_page(browser, url) as page:
        fetched = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(url + "explore/")
        page.wait_for_function(f"document.querySelector('.atlas-explore__count').textContent === '{PAPERS} papers'")
        page.wait_for_load_state("networkidle")
        before = len(fetched)
        with page.expect_download(timeout=30000) as info:
            page.locator(".atlas-explore__bibtex").click()
        text = Path(info.value.path()).read_text("utf-8")
        page.wait_for_load_state("networkidle")
    entries = [e.strip() for e in re.split(r"\n(?=@)", text) if e.strip()]
    published = [e.strip() for e in re.split(r"\n(?=@)", (site / "data/papers.bib").read_text("utf-8")) if e.strip()]
    assert len(entries) == PAPERS and sorted(entries) == sorted(published)
    after = fetched[before:]
    assert any("/data/bibtex/" in u for u in after) and not any("/pagefind/fragment/" in u for u in after)


def test_page_addresses_depend_only_on_the_listing_order_and_number(index):
    papers = tuple(index.papers[:7])
    listing = Listing("tags/x", papers, 3)
    assert [listing.path(NEWEST, n) for n in (1, 2, 3)] == ["tags/x.md", "tags/x/page/2.md", "tags/x/page/3.md"]
    assert [listing.path(A_Z, n) for n in (1, 3)] == ["tags/x/a-z.md", "tags/x/a-z/page/3.md"]
    with pytest.raises(ValueError):
        listing.path(NEWEST, 4)
    assert [len(part.papers) for part in listing.pages(NEWEST)] == [3, 3, 1]
    single = Listing("tags/y", papers[:1], 3)
    assert single.orders == (NEWEST,) and [p.path for p in single.all_pages()] == ["tags/y.md"]
    assert Listing("tags/z", (), 3).count == 1


@pytest.mark.parametrize("value", [0, -3, "ten", True])
def test_page_size_must_be_a_whole_number_of_at_least_one(value):
    from generator.mkdocs.config import AtlasConfig

    def validated(options):
        config = AtlasConfig()
        config.load_dict(options)
        errors, _warnings = config.validate()
        return config, errors

    _config, errors = validated({"page_size": value})
    assert [name for name, _error in errors] == ["page_size"]
    config, errors = validated({})
    assert errors == [] and config.page_size == 100 and config.group_newest == 10
    assert SiteInfo().page_size == 100

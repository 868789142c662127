"""Search in a real browser (Debian's chromium through Playwright): the header box and Explore."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
from site_fixtures import CHROMIUM, FIXTURE, browser, built_site, checked_page, screenshot, site_url  # noqa: E402,F401  (fixtures)

PAPERS = len(list((FIXTURE / "papers").glob("*.yaml")))

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


@pytest.fixture
def page(browser, site_url):
    with checked_page(browser, site_url) as page:
        yield page


def test_header_search_finds_a_paper_by_its_method(page, site_url):
    page.goto(site_url + "types/llm-alignment/")
    page.locator("input.atlas-search__input").click()
    page.keyboard.type("PCGrad", delay=30)
    result = page.locator(".atlas-search__results a.atlas-result__title", has_text="Gradient Surgery for Multi-Task Learning")
    result.wait_for(timeout=20000)
    assert "PCGrad" in page.locator(".atlas-search__results .atlas-result__facts").first.inner_text()
    screenshot(page, "search-header")
    result.click()
    page.wait_for_url("**/papers/gradient-surgery-for-multi-task-learning/")
    assert "Gradient Surgery for Multi-Task Learning" in page.locator(".md-content h1").inner_text()


def test_header_search_shows_a_hostile_title_as_text(page, site_url):
    page.goto(site_url)
    page.locator("input.atlas-search__input").click()
    page.keyboard.type("Hitchhiker", delay=30)
    result = page.locator(".atlas-search__results a.atlas-result__title").first
    result.wait_for(timeout=20000)
    assert "*PO" in result.inner_text()
    assert page.locator(".atlas-search__results script, .atlas-search__results [onmouseover]").count() == 0


def test_explore_facets_narrow_the_papers(page, site_url):
    page.goto(site_url + "explore/")
    count = page.locator(".atlas-explore__count")
    page.wait_for_function(f"document.querySelector('.atlas-explore__count').textContent === '{PAPERS} papers'")
    facet = page.locator(".atlas-facet__value", has_text="Biological sequence alignment")
    assert facet.locator(".atlas-facet__count").inner_text() == "2"
    facet.locator("input").check()
    page.wait_for_function("document.querySelector('.atlas-explore__count').textContent === '2 papers'")
    titles = page.locator(".atlas-explore__list .atlas-result__title").all_inner_texts()
    assert sorted(titles) == ["Aligning sequence reads, clone sequences and assembly contigs with BWA-MEM",
                              "Minimap2: pairwise alignment for nucleotide sequences"]
    assert all("Biological sequence alignment" in facts
               for facts in page.locator(".atlas-explore__list .atlas-result__facts").all_inner_texts())
    assert "type=Biological+sequence+alignment" in page.url
    # The other types stay offered with their counts, to widen the selection.
    assert page.locator(".atlas-facet__value", has_text="Language-model alignment").locator(".atlas-facet__count").inner_text() == "3"
    page.locator(".atlas-facet__value", has_text="2018").locator("input").check()
    page.wait_for_function("document.querySelector('.atlas-explore__count').textContent === '1 paper'")
    assert "minimap2" in page.locator(".atlas-explore__list .atlas-result__facts").inner_text()
    screenshot(page, "search-explore")
    assert count.inner_text() == "1 paper"


def test_explore_link_with_a_query(page, site_url):
    page.goto(site_url + "explore/?q=CTC")
    page.locator(".atlas-explore__list .atlas-result__title", has_text="Connectionist").wait_for(timeout=20000)
    assert page.locator(".atlas-explore__query").input_value() == "CTC"


def test_related_papers_are_not_searched_as_page_text(page, site_url):
    # The DPO page lists Gradient Surgery among its related papers; only the paper itself is found.
    page.goto(site_url)
    page.locator("input.atlas-search__input").click()
    page.keyboard.type("Surgery", delay=30)
    page.locator(".atlas-search__results a.atlas-result__title").first.wait_for(timeout=20000)
    page.wait_for_load_state("networkidle")
    titles = page.locator(".atlas-search__results a.atlas-result__title").all_inner_texts()
    assert titles == ["Gradient Surgery for Multi-Task Learning"]


def test_excerpts_leave_out_the_word_every_paper_page_ends_with(page, site_url):
    # Minimap2's abstract ends with "better accuracy."; the page's hidden word follows it.
    page.goto(site_url)
    page.locator("input.atlas-search__input").click()
    page.keyboard.type("accuracy", delay=30)
    page.locator(".atlas-search__results a.atlas-result__title", has_text="Minimap2").wait_for(timeout=20000)
    excerpts = page.locator(".atlas-search__results .atlas-result__excerpt").all_inner_texts()
    assert any("accuracy" in text for text in excerpts)
    assert not any("atlaspaper" in text for text in excerpts)


def bib_entries(text: str) -> list[str]:
    """The entries of a BibTeX text, each from its ``@`` to the line before the next one, stripped."""
    starts = [m.start() for m in re.finditer(r"(?m)^@", text)]
    return [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]


def download_selection(page) -> str:
    """Click Explore's BibTeX button and return the downloaded file's text."""
    with page.expect_download(timeout=20000) as info:
        page.locator(".atlas-explore__bibtex").click()
    download = info.value
    assert download.suggested_filename == "atlas-selection.bib"
    return Path(download.path()).read_text("utf-8")


def test_explore_downloads_the_bibtex_of_every_paper_found(page, site_url, built_site):
    page.goto(site_url + "explore/")
    page.wait_for_function(f"document.querySelector('.atlas-explore__count').textContent === '{PAPERS} papers'")
    entries = bib_entries(download_selection(page))
    # The entries the site publishes for every paper, each once (data/papers.bib holds the same ones).
    assert sorted(entries) == sorted(bib_entries((built_site / "data/papers.bib").read_text("utf-8")))
    assert len(entries) == PAPERS
    page.wait_for_function(f"document.querySelector('.atlas-explore__status').textContent === '{PAPERS} entries downloaded'")
    screenshot(page, "explore-bibtex")


def test_explore_downloads_one_entry_for_a_one_paper_query(page, site_url):
    page.goto(site_url + "explore/?q=PCGrad")
    page.wait_for_function("document.querySelector('.atlas-explore__count').textContent === '1 paper'")
    entries = bib_entries(download_selection(page))
    assert len(entries) == 1
    assert "Gradient Surgery for Multi-Task Learning" in entries[0]
    assert "\n  " in entries[0]  # line breaks and indentation kept through the search index


def test_explore_copies_the_bibtex_of_the_selection(browser, site_url):
    with checked_page(browser, site_url, permissions=("clipboard-read", "clipboard-write")) as page:
        page.goto(site_url + "explore/?type=Biological+sequence+alignment")
        page.wait_for_function("document.querySelector('.atlas-explore__count').textContent === '2 papers'")
        page.locator(".atlas-explore__copy").click()
        page.wait_for_function("document.querySelector('.atlas-explore__status').textContent === '2 entries copied'")
        copied = bib_entries(page.evaluate("navigator.clipboard.readText()"))
    assert len(copied) == 2
    assert any("Minimap2" in entry for entry in copied) and any("BWA-MEM" in entry for entry in copied)


def shown_years(page) -> list[int]:
    facts = page.locator(".atlas-explore__list .atlas-result__facts").all_inner_texts()
    return [int(re.findall(r"\b(?:19|20)\d\d\b", text)[-1]) for text in facts]


def shown_titles(page) -> list[str]:
    return page.locator(".atlas-explore__list .atlas-result__title").all_inner_texts()


def test_explore_orders_by_year_by_date_added_and_by_title(page, site_url):
    from generator.content.records import load_content

    papers = load_content(FIXTURE).papers
    page.goto(site_url + "explore/")
    page.wait_for_function(f"document.querySelector('.atlas-explore__count').textContent === '{PAPERS} papers'")
    assert page.locator(".atlas-explore__sort").input_value() == "newest"
    years = shown_years(page)
    assert len(years) == PAPERS and years == sorted(years, reverse=True)
    # Relevance is offered once there are words to be relevant to.
    assert page.locator(".atlas-explore__sort option[value=relevance]").is_disabled()
    by_added = [p.title for p in sorted(papers, key=lambda p: p.added, reverse=True)]
    assert by_added != shown_titles(page)  # the fixture's two orders differ, so the switch shows
    page.locator(".atlas-explore__sort").select_option("added")
    page.wait_for_url("**sort=added")
    page.wait_for_function(f"document.querySelectorAll('.atlas-explore__list .atlas-result__title').length === {PAPERS}")
    assert shown_titles(page) == by_added
    page.locator(".atlas-explore__sort").select_option("title")
    page.wait_for_url("**sort=title")
    by_title = sorted((p.title for p in papers), key=str.casefold)
    page.wait_for_function(f"document.querySelector('.atlas-explore__list .atlas-result__title').textContent === {by_title[0]!r}")
    assert shown_titles(page) == by_title

"""The built fixture site in a real browser (Debian's chromium through Playwright).

Opens the home page, follows a type to a paper to a tag, finds a paper by its method name with
the header search, and saves screenshots to tests/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from site_fixtures import CHROMIUM, checked_page, browser, built_site, serve  # noqa: F401  (fixtures)

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    with checked_page(browser, site_url, permissions=("clipboard-read", "clipboard-write")) as page:
        yield page


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_home_type_paper_tag(page, site_url):
    page.goto(site_url)
    assert page.title() == "Alignment Atlas"
    assert page.locator("svg.atlas-chart").count() == 2
    assert page.locator("svg.atlas-chart text", has_text="Language-model alignment").count() == 1
    shot(page, "1-home")

    page.locator(".md-content a", has_text="Biological sequence alignment").first.click()
    page.wait_for_url("**/types/sequence-alignment/")
    assert page.locator(".md-content h1").inner_text().rstrip("¶") == "Biological sequence alignment"
    shot(page, "2-type")

    page.locator(".md-content a", has_text="Minimap2: pairwise alignment for nucleotide sequences").click()
    page.wait_for_url("**/papers/minimap2/")
    assert page.locator("a.md-button", has_text="Code").get_attribute("href") == "https://github.com/lh3/minimap2"
    assert page.locator(".md-content a[href$='bwa-mem/']", has_text="BWA-MEM").count() >= 1  # Mentions
    copy = page.locator(".md-content .highlight button[title='Copy to clipboard']").first  # the theme's copy button
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()").startswith("@misc{minimap2,\n  title = {{Minimap2:")
    edit = page.locator("a.md-content__button[title='Edit this page']").get_attribute("href")
    assert edit.endswith("tests/site/fixture_content/papers/minimap2.yaml")
    shot(page, "3-paper")

    page.locator(".md-content a", has_text="Genomics").first.click()
    page.wait_for_url("**/tags/genomics/")
    assert page.locator(".md-content h1").inner_text().rstrip("¶") == "Tag: Genomics"
    assert page.locator(".md-content li a", has_text="BWA-MEM").count() >= 1
    shot(page, "4-tag")


def test_search_finds_a_paper_by_its_method(page, site_url):
    page.goto(site_url)
    page.locator("input.atlas-search__input").click()
    page.keyboard.type("PCGrad", delay=50)
    result = page.locator("a.atlas-result__title", has_text="Gradient Surgery for Multi-Task Learning").first
    result.wait_for(timeout=20000)
    shot(page, "5-search")
    result.click()
    page.wait_for_url("**/papers/gradient-surgery-for-multi-task-learning/**")
    assert "Gradient Surgery for Multi-Task Learning" in page.locator(".md-content h1").inner_text()
    assert page.locator(".md-content a.md-button", has_text="arXiv").count() == 1


def test_escaped_title_shows_as_written(page, site_url):
    page.goto(site_url + "papers/hitchhikers-guide-to-human-alignment/")
    assert page.locator(".md-content h1").inner_text().rstrip("¶") == "The Hitchhiker's Guide to Human Alignment with *PO"
    assert page.title() == "The Hitchhiker's Guide to Human Alignment with *PO - Alignment Atlas"
    assert "{{ curly braces }} and <b>angle brackets</b>" in page.locator(".md-content").inner_text()
    shot(page, "6-escaped-title")

"""The built fixture site in a real browser (Debian's chromium through Playwright).

Opens the home page, follows a type to a paper to a tag, finds a paper by its method name with
the header search, and saves screenshots to tests/screenshots/.
"""

from __future__ import annotations

import pytest
from site_fixtures import CHROMIUM, browser, built_site, checked_page, screenshot, site_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


@pytest.fixture
def page(browser, site_url):
    with checked_page(browser, site_url, permissions=("clipboard-read", "clipboard-write")) as page:
        yield page


def test_home_type_paper_tag(page, site_url):
    page.goto(site_url)
    assert page.title() == "Alignment Atlas"
    assert page.locator("svg.atlas-chart").count() == 2
    assert page.locator("svg.atlas-chart text", has_text="Language-model alignment").count() == 1
    screenshot(page, "1-home", full_page=True)

    page.locator(".md-content a", has_text="Biological sequence alignment").first.click()
    page.wait_for_url("**/types/sequence-alignment/")
    assert page.locator(".md-content h1").inner_text().rstrip("¶") == "Biological sequence alignment"
    screenshot(page, "2-type", full_page=True)

    page.locator(".md-content a", has_text="Minimap2: pairwise alignment for nucleotide sequences").click()
    page.wait_for_url("**/papers/minimap2/")
    assert page.locator("a.md-button", has_text="Code").get_attribute("href") == "https://github.com/lh3/minimap2"
    assert page.locator(".md-content a[href$='bwa-mem/']", has_text="BWA-MEM").count() >= 1  # Mentions
    copy = page.locator(".md-content .highlight button[title='Copy to clipboard']").first  # the theme's copy button
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()").startswith(
        "@article{li2018minimap2,\n  author = {Heng Li},\n  title = {{Minimap2:")
    page.locator(".md-content .atlas-reference button[title='Copy to clipboard']").click()
    assert page.evaluate("navigator.clipboard.readText()").strip() == (
        "Heng Li (2018). Minimap2: pairwise alignment for nucleotide sequences. Bioinformatics 34(18), 3094-3100. "
        "https://arxiv.org/abs/1708.01492")
    assert page.locator("a.md-button", has_text="PDF").get_attribute("href") == "https://arxiv.org/pdf/1708.01492"
    edit = page.locator("a.md-content__button[title='Edit this page']").get_attribute("href")
    assert edit.endswith("tests/site/fixture_content/papers/minimap2.yaml")
    screenshot(page, "3-paper", full_page=True)

    page.locator(".md-content a", has_text="Genomics").first.click()
    page.wait_for_url("**/tags/genomics/")
    assert page.locator(".md-content h1").inner_text().rstrip("¶") == "Tag: Genomics"
    assert page.locator(".md-content li a", has_text="BWA-MEM").count() >= 1
    # The tag's slice, fetched as a reader's browser would from the page's download line.
    for label, count in (("BibTeX", "(text.match(/^@/gm) || []).length"), ("JSON", "JSON.parse(text).length"),
                         ("CSV", "text.trim().split('\\n').length - 1"), ("Atom", "(text.match(/<entry>/g) || []).length")):
        href = page.locator(".md-content a", has_text=label).first.get_attribute("href")
        assert page.evaluate(f"fetch({href!r}).then(r => r.text()).then(text => {count})") == 2, label
    screenshot(page, "4-tag", full_page=True)


def test_search_finds_a_paper_by_its_method(page, site_url):
    page.goto(site_url)
    page.locator("input.atlas-search__input").click()
    page.keyboard.type("PCGrad", delay=50)
    result = page.locator("a.atlas-result__title", has_text="Gradient Surgery for Multi-Task Learning").first
    result.wait_for(timeout=20000)
    screenshot(page, "5-search", full_page=True)
    result.click()
    page.wait_for_url("**/papers/gradient-surgery-for-multi-task-learning/**")
    assert "Gradient Surgery for Multi-Task Learning" in page.locator(".md-content h1").inner_text()
    assert page.locator(".md-content a.md-button", has_text="arXiv").count() == 1


def test_escaped_title_shows_as_written(page, site_url):
    page.goto(site_url + "papers/hitchhikers-guide-to-human-alignment/")
    assert page.locator(".md-content h1").inner_text().rstrip("¶") == "The Hitchhiker's Guide to Human Alignment with *PO"
    assert page.title() == "The Hitchhiker's Guide to Human Alignment with *PO - Alignment Atlas"
    assert "{{ curly braces }} and <b>angle brackets</b>" in page.locator(".md-content").inner_text()
    screenshot(page, "6-escaped-title", full_page=True)

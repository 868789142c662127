"""Golden HTML of each page kind of the built fixture site: the content area and the table of
contents the theme shows, as MkDocs and Material made them, so that a theme upgrade, an engine
switch or a change of how pages reach the theme is a reviewed diff of tests/site/golden/html/.

``ATLAS_UPDATE_GOLDEN=1`` rewrites the files.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser

import pytest
from site_fixtures import GOLDEN, built_site  # noqa: F401  (fixture)

PAGE_KINDS = {
    "home": "index.html",
    "type": "types/llm-alignment/index.html",
    "paper": "papers/direct-preference-optimization/index.html",
    "redirect": "papers/dpo-2023/index.html",
    "facet-index": "methods/index.html",
    "facet-value": "methods/dpo/index.html",
    "tag-value": "tags/genomics/index.html",
    "explore": "explore/index.html",
    "hand-written": "add-a-paper/index.html",
}
"""One page of each kind, by the kind's name."""

PARTS = (("article", "md-content__inner"), ("nav", "md-nav--secondary"))
"""The content area and the page's table of contents, as (tag, one of its classes)."""

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Part(HTMLParser):
    """The source text of the first element with ``tag`` and ``css_class``, start to end tag."""

    def __init__(self, tag: str, css_class: str):
        super().__init__(convert_charrefs=False)
        self.tag, self.css_class = tag, css_class
        self.start = self.end = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if self.end is not None:
            return
        if self.start is None:
            if tag == self.tag and self.css_class in (dict(attrs).get("class") or "").split():
                self.start, self.depth = self.getpos(), 1
        elif tag == self.tag and tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.start is not None and self.end is None and tag == self.tag:
            self.depth -= 1
            if self.depth == 0:
                line, column = self.getpos()
                self.end = (line, column + len(f"</{tag}>"))


def offset(text: str, position: tuple[int, int]) -> int:
    line, column = position
    return sum(len(row) for row in text.splitlines(keepends=True)[: line - 1]) + column


def golden_text(page: str) -> str:
    """The parts of a themed page (its content area, its table of contents), or a whole page
    that has no theme (a redirect)."""
    found = []
    for tag, css_class in PARTS:
        parser = Part(tag, css_class)
        parser.feed(page)
        if parser.end is not None:
            found.append(page[offset(page, parser.start): offset(page, parser.end)])
    return "\n\n".join(found) + "\n" if found else page


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_page_kind_matches_golden_html(built_site, kind):  # noqa: F811
    text = golden_text((built_site / PAGE_KINDS[kind]).read_text("utf-8"))
    golden = GOLDEN / "html" / f"{kind}.html"
    if os.environ.get("ATLAS_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, "utf-8", newline="\n")
    assert golden.exists(), f"no golden file {golden.name}; run with ATLAS_UPDATE_GOLDEN=1"
    assert text == golden.read_text("utf-8"), f"{PAGE_KINDS[kind]} differs from {golden}"


def test_the_parts_are_found():
    page = ('<html><nav class="md-nav md-nav--primary"><nav class="x"></nav></nav><article class="md-content__inner '
            'md-typeset"><p>a<br>b</p><article class="md-content__inner">in</article></article>'
            '<nav class="md-nav md-nav--secondary"><nav>t</nav></nav></html>')
    assert golden_text(page) == ('<article class="md-content__inner md-typeset"><p>a<br>b</p><article class='
                                 '"md-content__inner">in</article></article>\n\n<nav class="md-nav md-nav--secondary">'
                                 '<nav>t</nav></nav>\n')
    assert golden_text("<meta http-equiv=refresh>") == "<meta http-equiv=refresh>"

"""Rendering records to pages as data: golden pages of each kind, escaping, the paper index."""

from __future__ import annotations

import os
from pathlib import Path

import html
from html.parser import HTMLParser

import pytest

from generator.site.index import PaperIndex
from generator.content.records import load_content
from generator.site.pages import Renderer, group_listings, render_site
from generator.errors import AtlasError
from generator.site.html import check_links, heading, link, toc_tokens
from generator.site.pages import Page
from generator.site.safety import html_paragraphs, sanitize_html

HERE = Path(__file__).resolve().parent
ROOT, FIXTURE, GOLDEN = HERE.parents[1], HERE / "fixture_content", HERE / "golden"
RECORD = {
    "title": "A paper", "type": "llm-alignment", "abstract": "A short abstract.", "method": "DPO",
    "task": "preference alignment", "tags": ["dpo", "preference-optimization"], "year": 2023,
}

GOLDEN_PAGES = (
    "index.md",
    "types/llm-alignment.md",
    "types/entity-alignment.md",
    "types/llm-alignment/preference-optimization.md",
    "papers/direct-preference-optimization.md",
    "papers/hitchhikers-guide-to-human-alignment.md",
    "papers/minimap2.md",
    "papers/dpo-2023/index.html",
    "methods/index.md",
    "methods/dpo.md",
    "tasks/index.md",
    "tasks/read-alignment.md",
    "tags/index.md",
    "tags/genomics.md",
    "tags/genomics/papers.bib",
    "tags/genomics/feed.xml",
    "tags/genomics/a-z.md",
    "data/papers.json",
    "data/papers.csv",
    "data/papers.bib",
    "feed.xml",
)
"""One or two pages of each kind, compared with tests/site/golden (ATLAS_UPDATE_GOLDEN=1 rewrites them)."""


def fixture_pages() -> dict:
    content = load_content(FIXTURE)
    assert content.problems == []
    return {page.path: page for page in render_site(content, Renderer(ROOT / "site_templates"))}


@pytest.mark.parametrize("path", GOLDEN_PAGES)
def test_page_matches_golden(path):
    page = fixture_pages()[path]
    golden = GOLDEN / (path.replace("/", "__"))
    if os.environ.get("ATLAS_UPDATE_GOLDEN"):
        golden.write_text(page.markdown, "utf-8", newline="\n")
    assert golden.exists(), f"no golden file {golden.name}; run with ATLAS_UPDATE_GOLDEN=1"
    assert page.markdown == golden.read_text("utf-8")


def test_every_page_kind_is_rendered_and_papers_stay_out_of_the_navigation():
    pages = fixture_pages()
    ids = sorted(p.stem for p in (FIXTURE / "papers").glob("*.yaml"))
    assert sorted(p[len("papers/"):-3] for p in pages if p.startswith("papers/") and p.endswith(".md")) == ids
    assert all(not pages[f"papers/{i}.md"].in_nav for i in ids)
    assert pages["papers/bwa-mem.md"].source.endswith("fixture_content/papers/bwa-mem.yaml")
    assert {p for p in pages if p.startswith("types/") and p.endswith(".md") and p.count("/") == 1} == {f"types/{t}.md" for t in (
        "llm-alignment", "multimodal-alignment", "sequence-alignment", "entity-alignment",
        "cross-lingual-alignment", "speech-alignment", "gradient-alignment", "adjacent")}
    assert pages["types/llm-alignment.md"].in_nav and not pages["types/llm-alignment/preference-optimization.md"].in_nav
    assert pages["methods/index.md"].in_nav and not pages["methods/dpo.md"].in_nav


def test_rendering_twice_gives_the_same_pages():
    assert fixture_pages() == fixture_pages()


class Elements(HTMLParser):
    """The start tags of an HTML text and the text of each element with an ``id``."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.text_by_id, self._open = [], {}, []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        anchor = dict(attrs).get("id")
        if anchor:
            self.text_by_id[anchor] = ""
            self._open.append(anchor)

    def handle_endtag(self, tag):
        if tag in ("h1", "h2") and self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open and not self.tags[-1] == "a":
            self.text_by_id[self._open[-1]] += data


HOSTILE = [
    "The Hitchhiker's Guide to Human Alignment with *PO",
    "{{ config }} and {% raw %}",
    "<script>alert(1)</script>",
    "<!-- material/tags -->",
    "[click](javascript:alert(1))",
    "# not a heading",
    "--- title: x ---",
    "a | b ~~c~~ _d_ `e` \\f &amp; <b>g</b> {: .cls } 1. x",
    "- item", "+ item", "1. first", "2) second", "> quote", "=== x", "--- x", "C# and F#", "![img](x.png)",
    "x <http://a.example> y", "**bold** and __bold__", "a\\", "&copy; &#42;", '"quoted" <a href="x">',
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_title_shows_exactly_as_written_and_adds_no_element(make_content, value):
    root = make_content({"a.yaml": {**RECORD, "title": value}})
    page = {p.path: p for p in render_site(load_content(root), Renderer(ROOT / "site_templates"))}["papers/a.md"]
    assert page.front_matter.count("\n") == 3  # ---, the title, ---: the title cannot add lines
    body = sanitize_html(page.html)
    found = Elements(body)
    (anchor, title), = [(i, t) for i, t in found.text_by_id.items() if found.tags[found.tags.index("h1")] == "h1"][:1]
    assert title == value
    assert "script" not in found.tags and "img" not in found.tags and "b" not in found.tags
    assert found.tags.count("h1") == 1


def test_paragraphs_cannot_add_headings_or_rules():
    text = "---\ntitle: pwned\n---\n\n# Heading\n\n<h2>x</h2>\n\n    code\n\n> quote\n\n- item"
    out = sanitize_html(html_paragraphs(text))
    assert set(Elements(out).tags) == {"p"}
    assert "title: pwned" in out and "# Heading" in out and "- item" in out and "&lt;h2&gt;" in out


def test_links_are_relative_urls_between_directory_pages():
    assert link("papers/a.md", "types/llm.md") == "../../types/llm/"
    assert link("papers/a.md", "papers/b.md") == "../b/"
    assert link("papers/a.md", "papers/a.md") == "./"
    assert link("index.md", "methods/index.md") == "methods/"
    assert link("types/llm.md", "types/llm/papers.bib") == "papers.bib"
    assert link("types/llm.md", "types/llm/group/a-z.md") == "group/a-z/"
    assert link("tags/x/a-z.md", "feed.xml") == "../../../feed.xml"
    with pytest.raises(AtlasError):
        link("index.md", "../outside.md")


def test_headings_get_unique_ids_and_nest_as_the_table_of_contents():
    ids = set()
    parts = [heading(ids, 1, "Summary"), heading(ids, 2, "Summary"), heading(ids, 2, "<b>Ça</b> & co", "x"),
             heading(ids, 2, "Related papers")]
    assert 'id="summary"' in parts[0] and 'id="summary_1"' in parts[1] and "&lt;b&gt;Ça&lt;/b&gt; &amp; co" in parts[2]
    page = Page("p.md", "---\ntitle: t\n---\n" + "\n".join(parts))
    assert page.toc() == toc_tokens([(1, "summary", "Summary"), (2, "summary_1", "Summary"),
                                     (2, "x", "&lt;b&gt;Ça&lt;/b&gt; &amp; co"), (2, "related-papers", "Related papers")])
    (top,) = page.toc()
    assert top["id"] == "summary" and [c["id"] for c in top["children"]] == ["summary_1", "x", "related-papers"]


def test_a_link_to_no_page_fails_naming_the_page():
    pages = [Page("index.md", '<a href="papers/a/">a</a> <a href="add-a-paper/">add</a> <a href="https://x.org/">x</a>'),
             Page("papers/a.md", '<a href="../../feed.xml#top">feed</a> <a href="../b/">b</a>'), Page("feed.xml", "")]
    with pytest.raises(AtlasError, match=r"papers/a\.md: \.\./b/") as error:
        check_links(pages, ["add-a-paper.md"])
    assert "index.md" not in str(error.value)
    check_links(pages[:1] + pages[2:] + [Page("papers/a.md", '<a href="../../feed.xml">feed</a>')], ["add-a-paper.md"])
    with pytest.raises(AtlasError, match="add-a-paper"):
        check_links(pages[:1], [])
    # An anchor must be a heading of the generated page it points into.
    target = Page("types/t.md", heading(set(), 2, "Group", "group"))
    check_links([target, Page("index.md", '<a href="types/t/#group">g</a> <a href="#">top</a>')])
    with pytest.raises(AtlasError, match=r"index\.md: types/t/#other"):
        check_links([target, Page("index.md", '<a href="types/t/#other">g</a>')])
    with pytest.raises(AtlasError, match=r"types/t\.md: #missing"):
        check_links([Page("types/t.md", str(heading(set(), 2, "Group", "group")) + '<a href="#missing">m</a>')])


def test_every_link_of_the_fixture_pages_leads_to_a_page_or_file():
    hand_written = [p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()]
    check_links(fixture_pages().values(), hand_written)


def test_sanitizer_removes_scripts_handlers_frames_and_javascript_links():
    out = sanitize_html('<p onclick="x()">a<script>alert(1)</script><img src=x onerror=alert(1)>'
                        '<iframe src="https://e.example"></iframe><a href="javascript:alert(1)">j</a>'
                        '<a href="../ok/">k</a><a href="https://arxiv.org/abs/1">l</a></p>')
    assert "script" not in out and "onerror" not in out and "onclick" not in out
    assert "iframe" not in out and "javascript" not in out
    assert 'href="../ok/"' in out and 'href="https://arxiv.org/abs/1"' in out


def test_related_papers_give_their_reasons_and_are_bounded(make_content):
    base = RECORD
    papers = {f"p{i}.yaml": {**base, "title": f"Paper {i}", "method": f"M{i}"} for i in range(12)}
    papers["p0.yaml"]["method"] = "Shared"
    papers["p1.yaml"]["method"] = "shared"
    index = PaperIndex(load_content(make_content(papers)), related_limit=3)
    related = index.related["p0"]
    assert len(related) == 3
    assert related[0].paper.id == "p1"
    assert related[0].reasons[0] == "same method: Shared"
    assert "same task: preference alignment" in related[0].reasons
    assert related[1].reasons == ("same task: preference alignment", "shared tags: DPO, Preference optimization")


def test_values_that_slug_alike_get_distinct_pages(make_content):
    papers = {"a.yaml": {**RECORD, "method": "C++"}, "b.yaml": {**RECORD, "method": "C"},
              "c.yaml": {**RECORD, "method": "dpo"}, "d.yaml": {**RECORD, "method": "DPO"}}
    index = PaperIndex(load_content(make_content(papers)))
    assert index.methods.slug_of("C") == "c"
    assert index.methods.slug_of("C++") == "c-2"
    assert index.methods.slug_of("dpo") == index.methods.slug_of("DPO") == "dpo"
    assert [p.id for p in index.methods.values["dpo"].papers] == ["c", "d"]


def test_mentions_match_whole_words_and_skip_generic_names(make_content):
    papers = {
        "dpo.yaml": {**RECORD, "method": "DPO", "abstract": "Our method."},
        "uses.yaml": {**RECORD, "method": "KTO", "abstract": "We compare with DPO and a transformer."},
        "near.yaml": {**RECORD, "method": "ORPO", "abstract": "IPDPO and dpo are different words."},
        "generic.yaml": {**RECORD, "method": "transformer", "abstract": "Nothing."},
    }
    index = PaperIndex(load_content(make_content(papers)))
    assert [p.id for p in index.mentions["uses"]] == ["dpo"]
    assert [p.id for p in index.mentioned_by["dpo"]] == ["uses"]
    assert "near" not in index.mentions and "generic" not in index.mentioned_by


def test_paper_items_show_the_papers_of_each_build_not_of_an_earlier_one(make_content):
    root = make_content({"a.yaml": {**RECORD, "title": "First title"}, "b.yaml": {**RECORD, "title": "Another"}})
    renderer = Renderer(ROOT / "site_templates")  # one renderer across builds, as under mkdocs serve
    before = {page.path: page.markdown for page in render_site(load_content(root), renderer)}
    record = root / "papers" / "a.yaml"
    record.write_text(record.read_text("utf-8").replace("First title", "Second title"), "utf-8")
    after = {page.path: page.markdown for page in render_site(load_content(root), renderer)}
    listings = ("types/llm-alignment.md", "methods/dpo.md", "tasks/preference-alignment.md", "tags/dpo.md")
    for path in listings:
        assert "/\">First title</a>" in before[path], path
        assert "/\">Second title</a>" in after[path] and "First title" not in after[path], path


def test_a_paper_item_is_made_once_and_links_from_each_page(make_content):
    mentioning = {**RECORD, "title": "B paper", "method": "KTO", "abstract": "Unlike DPO."}
    pages = {page.path: page.markdown for page in render_site(
        load_content(make_content({"a.yaml": RECORD, "b.yaml": mentioning})), Renderer(ROOT / "site_templates"))}
    method, task = "methods/dpo.md", "tasks/preference-alignment.md"
    item = ('<li><a href="../../papers/a/">A paper</a><br><span class="atlas-meta">2023 · {}method '
            '<a href="{}">DPO</a> · task <a href="{}">preference alignment</a></span></li>')
    typed = '<a href="../../types/llm-alignment/">Language-model alignment</a> · '
    assert item.format("", "../../methods/dpo/", "../../tasks/preference-alignment/") in pages["types/llm-alignment.md"]
    # made once for every page, its links go up to the root and down again, even within a folder
    assert item.format(typed, "../../methods/dpo/", "../../tasks/preference-alignment/") in pages[method]
    assert item.format(typed, "../../methods/dpo/", "../../tasks/preference-alignment/") in pages[task]
    assert item.format(typed, "../../methods/dpo/", "../../tasks/preference-alignment/") in pages["tags/dpo.md"]
    # b is listed on a's page (it names DPO), from the papers folder, and from types/ as well
    assert ('<li><a href="../../papers/b/">B paper</a><br><span class="atlas-meta">2023 · method <a href="../../methods/kto/">KTO</a> · '
            'task <a href="../../tasks/preference-alignment/">preference alignment</a></span></li>') in pages["papers/a.md"]
    assert '<li><a href="../../papers/b/">B paper</a><br>' in pages["types/llm-alignment.md"]
    # a deeper page (the A-Z order of a listing) gets the same item with one more step up
    deeper = item.format(typed.replace("../../", "../../../"), "../../../methods/dpo/", "../../../tasks/preference-alignment/")
    assert deeper.replace('"../../papers/a/"', '"../../../papers/a/"') in pages["tags/dpo/a-z.md"]


def test_templates_render_outside_a_site_build(make_content):
    index = PaperIndex(load_content(make_content({"a.yaml": RECORD})))
    renderer = Renderer(ROOT / "site_templates")
    text = renderer.render("type", "types/llm-alignment.md", type=index.taxonomy.types["llm-alignment"],
                           papers=index.by_type["llm-alignment"], groups=group_listings(index, "llm-alignment", 100),
                           index=index, taxonomy=index.taxonomy)
    assert '<li><a href="../../papers/a/">A paper</a><br>' in text


def test_a_record_cannot_forge_the_mark_links_of_remembered_blocks_start_with(make_content):
    forged = {**RECORD, "title": "<atlas:root>x", "method": "<atlas:root>", "task": "<atlas:root>y"}
    pages = render_site(load_content(make_content({"a.yaml": forged})), Renderer(ROOT / "site_templates"))
    listing = {page.path: page.markdown for page in pages}["tags/dpo.md"]
    assert "&lt;atlas:root&gt;x" in listing
    assert not any("<atlas:root>" in page.markdown for page in pages if page.path.endswith(".md"))

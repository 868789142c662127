"""Rendering records to pages as data: golden pages of each kind, escaping, the paper index."""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import pytest

from generator.site.index import PaperIndex
from generator.content.records import load_content
from generator.site.pages import Renderer, group_listings, render_site
from generator.site.safety import markdown_paragraphs, markdown_text, sanitize_html

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


def render_html(text: str) -> str:
    return sanitize_html(markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables", "toc"]))


@pytest.mark.parametrize("value", [
    "The Hitchhiker's Guide to Human Alignment with *PO",
    "{{ config }} and {% raw %}",
    "<script>alert(1)</script>",
    "<!-- material/tags -->",
    "[click](javascript:alert(1))",
    "# not a heading",
    "--- title: x ---",
    "a | b ~~c~~ _d_ `e` \\f &amp; <b>g</b> {: .cls } 1. x",
    "- item", "+ item", "1. first", "2) second", "> quote", "=== x", "--- x", "C# and F#", "![img](x.png)",
    "x <http://a.example> y", "**bold** and __bold__", "a\\", "&copy; &#42;",
])
def test_markdown_text_renders_exactly_as_written(value):
    out = render_html(markdown_text(value))
    assert out.startswith("<p>") and out.endswith("</p>")
    import html

    assert html.unescape(out[3:-4]) == value


def test_paragraphs_cannot_add_front_matter_headings_or_rules():
    text = "---\ntitle: pwned\n---\n\n# Heading\n\n===\n\n    code\n\n> quote\n\n- item"
    out = render_html(markdown_paragraphs(text))
    for tag in ("<h1", "<hr", "<pre", "<blockquote", "<ul", "<li"):
        assert tag not in out
    assert "title: pwned" in out and "# Heading" in out and "- item" in out


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
        assert "[First title](" in before[path], path
        assert "[Second title](" in after[path] and "First title" not in after[path], path


def test_a_paper_item_links_from_the_folder_of_its_page(make_content):
    mentioning = {**RECORD, "title": "B paper", "method": "KTO", "abstract": "Unlike DPO."}
    pages = {page.path: page.markdown for page in render_site(
        load_content(make_content({"a.yaml": RECORD, "b.yaml": mentioning})), Renderer(ROOT / "site_templates"))}
    method, task = "methods/dpo.md", "tasks/preference-alignment.md"
    item = "- [A paper](../papers/a.md)<br><span class=\"atlas-meta\">2023 · {}method [DPO]({}) · task [preference alignment]({})</span>"
    typed = "[Language-model alignment](../types/llm-alignment.md) · "
    assert item.format("", "../" + method, "../" + task) in pages["types/llm-alignment.md"]
    assert item.format(typed, "dpo.md", "../" + task) in pages[method]
    assert item.format(typed, "../" + method, "preference-alignment.md") in pages[task]
    assert item.format(typed, "../" + method, "../" + task) in pages["tags/dpo.md"]
    assert item.format(typed, "../" + method, "../" + task) in pages["tags/preference-optimization.md"]
    # b is listed on a's page (it names DPO), from the papers folder, and from types/ as well
    assert ("- [B paper](b.md)<br><span class=\"atlas-meta\">2023 · method [KTO](../methods/kto.md) · "
            "task [preference alignment](../tasks/preference-alignment.md)</span>") in pages["papers/a.md"]
    assert "- [B paper](../papers/b.md)<br>" in pages["types/llm-alignment.md"]
    assert "](a.md)" not in pages["tags/dpo.md"] and "](b.md)" not in pages["tags/dpo.md"]


def test_templates_render_outside_a_site_build(make_content):
    index = PaperIndex(load_content(make_content({"a.yaml": RECORD})))
    renderer = Renderer(ROOT / "site_templates")
    text = renderer.render("type", "types/llm-alignment.md", type=index.taxonomy.types["llm-alignment"],
                           papers=index.by_type["llm-alignment"], groups=group_listings(index, "llm-alignment", 100),
                           index=index, taxonomy=index.taxonomy)
    assert "- [A paper](../papers/a.md)<br>" in text

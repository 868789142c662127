"""Generated pages are converted by one Markdown converter per build (generator/mkdocs/converter.py):
the pages must come out exactly as MkDocs' own ``Page.render`` makes them, page after page."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from site_fixtures import ROOT, build_fixture, built_site, differing_files  # noqa: F401  (fixture)
from generator.mkdocs import converter

# Markdown that exercises the state a converter keeps between pages: heading ids (the second page's
# "Summary" must not become "summary_1"), fenced code (superfences' stash), raw HTML with ids,
# md_in_html, links with anchors to other pages and to the page itself, tables and admonitions,
# a link reference defined on one page only (the next page must not resolve it), and links that
# MkDocs rewrites (to the page itself, to another page of the folder, quoted, with a query) or
# leaves alone (external, absolute, to a missing page): links are looked up once per folder.
SOURCES = {
    "papers/a.md": (
        "---\ntitle: A\n---\n\n# Paper A\n\n## Summary\n\nSee [B](b.md#abstract) and [here](#summary).\n\n"
        "```bibtex\n@article{a, title={A}}\n```\n\n<div id=\"raw-a\" markdown>\n\n- *one*\n- two\n\n</div>\n\n"
        "| x | y |\n|---|---|\n| 1 | 2 |\n\n!!! note \"Careful\"\n    Text.\n\n[Type](../types/t.md) and [ref].\n\n"
        "[itself](a.md), [quoted](../types/%74.md), [B again](b.md?x=1#abstract), [out](https://example.org/b), "
        "[top](/index.md).\n\n"
        "[ref]: https://example.org/a\n"
    ),
    "papers/b.md": (
        "# Paper B\n\n## Summary\n\n## Summary\n\n## Abstract\n\nBack to [A](a.md) and [missing](a.md#nowhere).\n\n"
        "[No page](c.md), [itself](b.md).\n\n"
        "```\nplain fence\n```\n\n<span id=\"raw-b\">x</span> and [ref], defined on page A only.\n"
    ),
    "types/t.md": "Text before any heading, [a paper](../papers/b.md), [not here](a.md).\n\n## Listed\n\n- [A](../papers/a.md)\n",
}


def _render(docs: Path, pages_class_shared: bool) -> list[dict]:
    for path, text in SOURCES.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, "utf-8")
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir="/nonexistent")
    files = Files([File(path, str(docs), "/nonexistent", config.use_directory_urls) for path in SOURCES])
    shared = converter.SharedConverter()
    out = []
    for file in files:
        page = Page(None, file, config)
        if pages_class_shared:
            converter.use_shared_converter(page, shared)
            assert type(page) is converter.SharedConverterPage
        page.read_source(config)
        page.render(config, files)
        out.append({
            "content": page.content,
            "toc": [(item.id, item.title, [(c.id, c.title) for c in item.children]) for item in page.toc],
            "title": page.title,
            "anchors": page.present_anchor_ids,
            "links": {target.src_uri: links for target, links in (page.links_to_anchors or {}).items()},
        })
    return out


def test_a_shared_converter_renders_pages_as_mkdocs_does(tmp_path):
    assert converter.available()
    stock, shared = _render(tmp_path, False), _render(tmp_path, True)
    assert shared == stock
    # What the comparison covers did happen: ids made unique within a page only, a fence
    # highlighted, an anchor link to another page recorded.
    assert [t[0] for t in stock[1]["toc"][0][2]] == ["summary", "summary_1", "abstract"]
    assert "highlight" in stock[0]["content"] and "raw-a" in stock[0]["anchors"]
    assert 'href="https://example.org/a"' in stock[0]["content"] and "example.org/a" not in stock[1]["content"]
    assert '<a href="./">itself</a>' in stock[0]["content"] and '<a href="../a/">A</a>' in stock[1]["content"]
    assert '<a href="../../types/t/">quoted</a>' in stock[0]["content"]
    assert stock[0]["links"] == {"papers/b.md": {"abstract": "b.md#abstract"},
                                "papers/a.md": {"paper-a": "#paper-a", "summary": "#summary"}}


def test_pages_keep_mkdocs_rendering_when_its_parts_are_missing(monkeypatch):
    monkeypatch.setattr(converter, "available", lambda: False)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir="/nonexistent")
    page = Page(None, File("index.md", str(ROOT / "docs"), "/nonexistent", True), config)
    converter.use_shared_converter(page, converter.SharedConverter())
    assert type(page) is Page


def test_a_converter_is_made_again_for_a_new_config():
    shared = converter.SharedConverter()
    first = load_config(str(ROOT / "mkdocs.yml"), site_dir="/nonexistent")
    second = load_config(str(ROOT / "mkdocs.yml"), site_dir="/nonexistent")
    md = shared.for_config(first)
    assert shared.for_config(first) is md
    assert shared.for_config(second) is not md
    shared.forget()
    assert shared.markdown is None and shared.config is None


def test_the_site_is_the_same_as_with_one_converter_per_page(built_site, tmp_path, monkeypatch):
    from generator.mkdocs import plugin

    used = []
    monkeypatch.setattr(plugin, "use_shared_converter", lambda page, shared: used.append(page))
    stock = tmp_path / "site"
    assert build_fixture(stock) == 0
    assert len(used) > 10  # the plugin would have handed every generated page over
    assert differing_files(built_site, stock) == []

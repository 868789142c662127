"""What the live preview updates instead of recomputing equals what a build without memory makes."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.mkdocs import preview
from generator.site.html import broken_links, heading
from generator.site.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_fixtures import copy_project  # noqa: E402
from test_preview import kinds_of_edit, served  # noqa: E402,F401  (served: a fixture)


def _page(path: str, *parts: str) -> Page:
    return Page(path, "---\ntitle: x\n---\n" + "".join(parts))


def test_checked_links_equal_a_check_without_memory_after_each_edit():
    section = str(heading(set(), 2, "Section", "section"))
    other = str(heading(set(), 2, "Other", "other"))
    site = {
        "index.md": _page("index.md", '<a href="papers/a/">a</a> <a href="papers/b/#section">b</a> <a href="#">top</a>'),
        "papers/a.md": _page("papers/a.md", section, '<a href="../b/">b</a> <a href="../../data/papers.json">j</a>'),
        "papers/b.md": _page("papers/b.md", section, '<a href="../a/#section">a</a> <a href="../../about/">about</a>'),
        "data/papers.json": Page("data/papers.json", "[]"),
    }
    others = ["about.md"]
    edits = [
        lambda: None,  # nothing changed
        lambda: site.update({"papers/b.md": _page("papers/b.md", other, '<a href="../a/#section">a</a>')}),  # heading gone
        lambda: site.update({"papers/b.md": _page("papers/b.md", section, '<a href="../a/#section">a</a> '
                                                  '<a href="../../about/">about</a>')}),
        lambda: site.pop("papers/a.md"),  # a link target is removed
        lambda: site.update({"papers/a.md": _page("papers/a.md", section, '<a href="../c/">c</a> '
                                                  '<a href="../../data/papers.json">j</a>')}),  # a new broken link
        lambda: site.update({"papers/c.md": _page("papers/c.md", section)}),  # which a new page mends
        lambda: site.pop("data/papers.json"),  # a file that a page links to is gone
        lambda: others.clear(),  # a hand-written page is gone
        lambda: others.append("about.md"),
    ]
    checked = preview.CheckedLinks()
    found = []
    for number, edit in enumerate(edits):
        edit()
        pages = [site[path] for path in sorted(site)]
        found.append(checked.broken(pages, others))
        assert found[-1] == broken_links(pages, others), number
    assert found[0] == [] and found[-1] == found[6]
    assert found[1] == ["index.md: papers/b/#section"]
    assert found[3] == ["index.md: papers/a/", "papers/b.md: ../a/#section"]
    assert found[4] == ["papers/a.md: ../c/"] and found[5] == []
    assert found[6] == ["papers/a.md: ../../data/papers.json"]
    assert found[7] == ["papers/a.md: ../../data/papers.json", "papers/b.md: ../../about/"]


def test_unchanged_pages_are_not_read_again_for_their_links(monkeypatch):
    from generator.site import html

    read = []
    real = html.page_links
    monkeypatch.setattr(html, "page_links", lambda page: read.append(page.path) or real(page))
    pages = [_page("index.md", '<a href="a/">a</a>'), _page("a.md", '<a href="../">home</a>')]
    checked = preview.CheckedLinks()
    checked.broken(pages)
    assert sorted(read) == ["a.md", "index.md"]
    read.clear()
    checked.broken([pages[0], _page("a.md", '<a href="../">home</a> <a href="../">again</a>')])
    assert read == ["a.md"]


def _relations(index) -> tuple:
    """The relations of an index as plain data, with each named paper checked to be the index's own."""
    def named(paper):
        assert paper is index.by_id[paper.id]
        return paper.id

    related = {pid: [(named(r.paper), r.score, r.reasons) for r in rels] for pid, rels in index.related.items()}
    mentions = [{pid: [named(p) for p in papers] for pid, papers in lists.items()}
                for lists in (index.mentions, index.mentioned_by)]
    return related, *mentions


def test_remembered_relations_are_those_an_index_without_memory_makes(tmp_path, monkeypatch):
    from generator.content.records import load_content
    from generator.site.index import PaperIndex

    project = copy_project(tmp_path / "project")
    edits = [lambda: None, *kinds_of_edit(project / "content/papers")]
    made = []
    real = PaperIndex.relations
    monkeypatch.setattr(PaperIndex, "relations", lambda index, limit: made.append(limit) or real(index, limit))
    cache, memo = preview.RecordCache(), preview.RelationMemo()
    computed = []
    for number, edit in enumerate(edits):
        edit()
        content = cache.load(project / "content")
        assert not content.problems, content.problems
        made.clear()
        remembered = PaperIndex(content, relations=memo)
        computed.append(len(made))
        fresh = PaperIndex(load_content(project / "content"))
        assert _relations(remembered) == _relations(fresh), number
    # Made again only when a method, task, tags or abstract changed, or a record came or went;
    # not for a new title, year or type.
    assert computed == [1, 0, 1, 1, 1, 0, 0, 1, 1, 0]
    mentioned = _relations(remembered)[2]
    assert mentioned  # the last index has mentions to compare


def test_pages_left_out_of_a_dirty_build_keep_the_sitemap_true(served):
    from test_preview import edit_title

    project, site, rebuild = served
    rebuild()
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nsite_url: http://127.0.0.1:8000/\n", "utf-8")
    plugin = rebuild()  # a whole rebuild: mkdocs.yml changed
    sitemap = site / "sitemap.xml"
    first = sitemap.read_text("utf-8")
    assert "papers/minimap2/" in first and "papers/bwa-mem/" in first

    edit_title(project / "content/papers/minimap2.yaml", "pairwise alignment", "fast pairwise alignment")
    rebuild()
    untouched = "papers/connectionist-temporal-classification"
    assert untouched + ".md" in plugin.dirty_files.left_out  # not handed to MkDocs at all
    assert untouched + "/index.html" in plugin.outputs.values()
    assert sitemap.read_text("utf-8") == first

    (project / "content/papers/minimap2.yaml").unlink()
    rebuild()
    assert not any(path.endswith(".md") for path in plugin.dirty_files.left_out)  # the pages changed
    now = sitemap.read_text("utf-8")
    assert "papers/minimap2/" not in now and "papers/bwa-mem/" in now

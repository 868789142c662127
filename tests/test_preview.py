"""Live preview under ``mkdocs serve --dirty``: an edit rebuilds what it touches and nothing else."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
from site_fixtures import copy_project  # noqa: E402

from generator.mkdocs import preview  # noqa: E402


@pytest.fixture
def served(tmp_path, monkeypatch):
    """Builds a copy of the fixture project as ``mkdocs serve --dirty`` does, one rebuild per call."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project = copy_project(tmp_path / "project")
    site = tmp_path / "served"
    first = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=True)
    configs = [first]

    def rebuild():
        config = configs.pop() if configs else load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        return config.plugins["atlas"]

    yield project, site, rebuild
    first.plugins.on_shutdown()


def edit_title(record: Path, old: str, new: str) -> None:
    text = record.read_text("utf-8")
    assert old in text
    record.write_text(text.replace(old, new), "utf-8")


def test_an_edit_rebuilds_the_pages_it_touches_and_no_other(served):
    project, site, rebuild = served
    plugin = rebuild()
    paper = site / "papers/minimap2/index.html"
    lister = site / "types/sequence-alignment/index.html"
    tag_page = site / "tags/genomics/index.html"
    untouched = site / "papers/connectionist-temporal-classification/index.html"
    before = {p: p.stat().st_mtime_ns for p in (paper, lister, tag_page, untouched)}

    edit_title(project / "content/papers/minimap2.yaml", "pairwise alignment", "fast pairwise alignment")
    assert rebuild() is plugin  # one plugin object, with its memories, across rebuilds
    for page in (paper, lister, tag_page):
        assert "fast pairwise alignment" in page.read_text("utf-8"), page
        assert page.stat().st_mtime_ns != before[page]
    assert untouched.stat().st_mtime_ns == before[untouched]
    # Skipped navigation pages are still read, so every page's navigation keeps their titles.
    assert ">Speech-text alignment<" in paper.read_text("utf-8").replace("\n", "").replace("  ", "")


def test_a_theme_override_change_rebuilds_every_page(served):
    project, site, rebuild = served
    rebuild()
    untouched = site / "papers/connectionist-temporal-classification/index.html"
    main = project / "site_templates/overrides/main.html"
    main.write_text(main.read_text("utf-8").replace("{% block header %}", "{% block header %}<!-- changed -->"), "utf-8")
    rebuild()
    assert "<!-- changed -->" in untouched.read_text("utf-8")


def test_records_are_read_again_only_when_changed(tmp_path):
    project = copy_project(tmp_path / "project")
    cache = preview.RecordCache()
    first = {p.id: p for p in cache.load(project / "content").papers}
    edit_title(project / "content/papers/minimap2.yaml", "pairwise alignment", "fast pairwise alignment")
    second = {p.id: p for p in cache.load(project / "content").papers}
    assert second["minimap2"].title.startswith("Minimap2: fast pairwise")
    assert second["bwa-mem"] is first["bwa-mem"]
    assert second["minimap2"] is not first["minimap2"]
    taxonomy = project / "content/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text("utf-8") + "\n", "utf-8")
    third = {p.id: p for p in cache.load(project / "content").papers}
    assert third["bwa-mem"] is not second["bwa-mem"]  # records are checked against the taxonomy


def test_a_failed_rebuild_makes_the_next_one_complete(served):
    project, site, rebuild = served
    plugin = rebuild()
    untouched = site / "papers/connectionist-temporal-classification/index.html"
    before = untouched.stat().st_mtime_ns
    record = project / "content/papers/minimap2.yaml"
    good = record.read_text("utf-8")
    record.write_text(good.replace("year: 2018", "year: twenty"), "utf-8")
    with pytest.raises(Exception):
        rebuild()
    record.write_text(good, "utf-8")
    rebuild()
    assert untouched.stat().st_mtime_ns != before
    assert plugin.built.markdown


def test_dirty_notice_is_dropped_only_when_asked():
    logger = logging.getLogger("mkdocs.commands.build")
    preview.allow_dirty_builds()
    preview.allow_dirty_builds()
    filters = [f for f in logger.filters if not f.filter(logging.makeLogRecord({"msg": preview.DIRTY_NOTICE + ", x"}))]
    assert len(filters) == 1
    assert all(f.filter(logging.makeLogRecord({"msg": "Doc file 'x.md' contains a link"})) for f in logger.filters)


def test_a_deleted_record_leaves_the_preview_and_its_search(served):
    project, site, rebuild = served
    plugin = rebuild()
    gone = site / "papers/minimap2/index.html"
    kept = site / "papers/bwa-mem/index.html"
    assert gone.is_file()
    assert (plugin.search_source.folder / "papers/minimap2/index.html").is_file()

    (project / "content/papers/minimap2.yaml").unlink()
    rebuild()
    assert not gone.exists() and not gone.parent.exists()
    assert kept.is_file()
    assert not (plugin.search_source.folder / "papers/minimap2/index.html").exists()
    assert (plugin.search_source.folder / "papers/bwa-mem/index.html").is_file()
    assert "minimap2" not in (site / "types/sequence-alignment/index.html").read_text("utf-8")


def test_stale_outputs_are_only_those_no_page_writes_now():
    built = preview.BuiltPages()
    built.remember("/site", None, [], {"papers/a.md": "papers/a/index.html", "papers/b.md": "papers/b/index.html",
                                        "papers/c/index.html": "papers/c/index.html"})
    now = {"papers/a.md": "papers/a/index.html", "papers/c.md": "papers/c/index.html"}
    assert built.stale_outputs("/site", now) == ["papers/b/index.html"]  # c/index.html is still written
    assert built.stale_outputs("/elsewhere", now) == []


def test_removing_stale_outputs_stays_inside_the_site(tmp_path):
    site = tmp_path / "site"
    (site / "papers/b").mkdir(parents=True)
    (site / "papers/b/index.html").write_text("b")
    (site / "papers/a").mkdir()
    (site / "papers/a/index.html").write_text("a")
    outside = tmp_path / "outside.html"
    outside.write_text("keep")
    preview.remove_stale(str(site), ["papers/b/index.html", "../outside.html"])
    assert not (site / "papers/b").exists()
    assert (site / "papers/a/index.html").is_file()
    assert outside.read_text() == "keep"


def fresh_pages(project: Path, plugin) -> dict[str, str]:
    """Every generated page's Markdown as a build with no memory makes it."""
    from generator.content.records import load_content
    from generator.site.pages import Renderer, render_site

    renderer = Renderer(project / "site_templates", plugin.renderer.site)
    return {page.path: page.markdown for page in render_site(load_content(project / "content"), renderer)}


def set_field(record: Path, line_start: str, new_line: str | None) -> None:
    """Replace (or with None, drop) the line of a record starting with ``line_start``."""
    lines = record.read_text("utf-8").splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if line.startswith(line_start)]
    assert len(found) == 1, line_start
    lines[found[0]:found[0] + 1] = [] if new_line is None else [new_line + "\n"]
    record.write_text("".join(lines), "utf-8")


def kinds_of_edit(papers: Path) -> list:
    """Edits of the fixture's records, one of each kind, to apply in order."""
    return [
        lambda: edit_title(papers / "minimap2.yaml", "pairwise alignment", "fast pairwise alignment"),
        lambda: set_field(papers / "minimap2.yaml", "method:", "method: BWA-MEM"),  # joins another method's page
        lambda: set_field(papers / "bwa-mem.yaml", "task:", "task: sequence mapping"),
        lambda: set_field(papers / "minimap2.yaml", "tags:", "tags: [genomics, survey]"),
        lambda: set_field(papers / "minimap2.yaml", "year:", "year: 2019"),
        lambda: set_field(papers / "minimap2.yaml", "type:", "type: speech-alignment"),
        lambda: (papers / "word-translation-without-parallel-data.yaml").unlink(),
        lambda: (papers / "a-new-paper.yaml").write_text(
            "title: A new paper on minimap2 and speech\ntype: speech-alignment\nmethod: minimap2\n"
            "tags: [genomics]\nabstract: It uses minimap2 for speech.\n", "utf-8"),
        lambda: edit_title(papers / "a-new-paper.yaml", "A new paper", "Another paper"),
    ]


def test_remembered_pages_are_those_a_build_without_memory_makes(served):
    project, _site, rebuild = served
    edits = kinds_of_edit(project / "content/papers")
    plugin = rebuild()
    for number, edit in enumerate(edits):
        edit()
        assert rebuild() is plugin
        remembered = {path: page.markdown for path, page in plugin.pages.items()}
        fresh = fresh_pages(project, plugin)
        assert remembered.keys() == fresh.keys(), number
        differing = [path for path in fresh if remembered[path] != fresh[path]]
        assert not differing, (number, differing)


def test_an_edit_makes_again_only_the_edited_records_duplicate_check_form(served, monkeypatch):
    from generator.mkdocs import plugin as plugin_module

    made = []
    real = plugin_module.make_record
    monkeypatch.setattr(plugin_module, "make_record", lambda paper, rules: made.append(paper.id) or real(paper, rules))
    project, _site, rebuild = served
    rebuild()
    assert len(made) == len(list((project / "content/papers").glob("*.yaml")))
    made.clear()
    edit_title(project / "content/papers/minimap2.yaml", "pairwise alignment", "fast pairwise alignment")
    rebuild()
    assert made == ["minimap2"]


def test_the_garbage_collector_is_on_after_a_build_and_after_a_failed_one(served):
    import gc

    project, _site, rebuild = served
    rebuild()
    assert gc.isenabled()
    record = project / "content/papers/minimap2.yaml"
    record.write_text(record.read_text("utf-8").replace("year: 2018", "year: twenty"), "utf-8")
    with pytest.raises(Exception):
        rebuild()
    assert gc.isenabled()


def test_a_build_after_a_serve_in_one_process_indexes_its_search(served, tmp_path):
    # MkDocs keeps plugin objects across builds of one process: the plugin a serve started must
    # learn that the next `atlas build` is a build, which indexes the search before it ends.
    from generator.mkdocs.engine import build_site

    project, _site, rebuild = served
    rebuild()
    built = tmp_path / "built"
    build_site(project / "mkdocs.yml", built)
    assert (built / "pagefind" / "pagefind-entry.json").is_file()

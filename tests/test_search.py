"""Search with Pagefind in the built fixture site: filters on paper pages, the index, the Explore page."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
from site_fixtures import FIXTURE, built_site  # noqa: E402,F401  (fixtures)

from generator.site.index import PaperIndex, paper_order  # noqa: E402
from generator.content.records import load_content  # noqa: E402
from generator.site.search import meta_text, pagefind_command, read_fragments, search_meta  # noqa: E402


def filters_of(page_html: str) -> dict[str, list[str]]:
    """The Pagefind filters written on a page, by name."""
    found: dict[str, list[str]] = {}
    for name, value in re.findall(r'<span data-pagefind-filter="([^"]+)">([^<]*)</span>', page_html):
        found.setdefault(name, []).append(html.unescape(value))
    return found


def test_search_meta_uses_the_values_readers_see():
    index = PaperIndex(load_content(FIXTURE))
    meta = search_meta(index.by_id["gradient-surgery-for-multi-task-learning"], index)
    assert meta["filters"]["type"] == ["Gradient alignment"]
    assert meta["filters"]["method"] == ["PCGrad"]
    assert meta["filters"]["task"] == ["multi-task learning"]
    assert meta["filters"]["year"] == ["2020"]
    assert meta["sort"] == {"newest": "2020|2026-11-07", "added": "2026-11-07",
                            "title": "gradient surgery for multi-task learning"}
    assert meta["title"] == "Gradient Surgery for Multi-Task Learning"
    assert "bibtex" not in meta


def test_every_paper_has_every_sort_key_in_the_order_of_the_listings():
    # Pagefind leaves a page without the sort key out of results sorted by it: none may lack one.
    from dataclasses import replace

    index = PaperIndex(load_content(FIXTURE))
    papers = list(index.papers) + [replace(index.papers[0], id="undated", year=None, added=None),
                                   replace(index.papers[0], id="unadded", added=None)]
    keys = {p.id: search_meta(p, index)["sort"] for p in papers}
    assert all(set(k) == {"newest", "added", "title"} for k in keys.values())
    assert keys["undated"]["newest"] == "0000|0000-00-00" and keys["undated"]["added"] == "0000-00-00"
    by_key = sorted(papers, key=lambda p: keys[p.id]["newest"], reverse=True)
    by_year_added = [(p.year, p.added) for p in sorted(papers, key=paper_order)]
    assert [(p.year, p.added) for p in by_key] == by_year_added
    assert by_key[-1].id == "undated"


def test_bibtex_meta_keeps_its_layout_through_pagefind(tmp_path):
    # Pagefind makes every run of whitespace in a meta value one space; the JSON form has none.
    entry = '@misc{a,\n  title = {{A \\"b\\" \u00e9t\u00e9}},\n\tyear = {2023}\n}\n'
    encoded = meta_text(entry)
    assert json.loads(encoded) == entry
    assert not re.search(r"\s\s|[\n\t]", encoded) and encoded.isascii()
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(
        f'<html lang="en"><body><span data-pagefind-meta="bibtex">{html.escape(encoded)}</span>'
        '<div data-pagefind-body>words</div></body></html>', "utf-8")
    subprocess.run(pagefind_command() + ["--site", str(site), "--silent"], check=True)
    assert json.loads(read_fragments(site)[0]["meta"]["bibtex"]) == entry


def test_paper_pages_carry_filters_and_mark_their_content(built_site):
    page = (built_site / "papers/gradient-surgery-for-multi-task-learning/index.html").read_text("utf-8")
    filters = filters_of(page)
    assert filters["type"] == ["Gradient alignment"]
    assert filters["method"] == ["PCGrad"]
    assert filters["task"] == ["multi-task learning"]
    assert filters["year"] == ["2020"]
    assert "tag" not in filters  # the record has no tags
    dpo = (built_site / "papers/direct-preference-optimization/index.html").read_text("utf-8")
    assert filters_of(dpo)["tag"] == ["DPO", "Preference optimization", "RLHF"]
    assert page.count("data-pagefind-body") == 1
    body = page.split("data-pagefind-body", 1)[1]
    assert "Gradient Surgery for Multi-Task Learning" in body
    assert "data-pagefind-filter" not in body  # filter values are not searched as text


def test_a_hostile_record_is_inert_in_filters(built_site):
    page = (built_site / "papers/hitchhikers-guide-to-human-alignment/index.html").read_text("utf-8")
    assert filters_of(page)["method"] == ["*PO"]
    title = re.search(r'<span data-pagefind-meta="title">([^<]*)</span>', page).group(1)
    assert html.unescape(title) == "The Hitchhiker's Guide to Human Alignment with *PO"  # escaped once
    spans = "".join(re.findall(r"<span data-pagefind-[^>]*>[^<]*</span>", page))
    assert spans and "<script" not in spans.replace("<span", "")


def test_only_paper_pages_are_indexed(built_site):
    papers = sorted(p.stem for p in (FIXTURE / "papers").glob("*.yaml"))
    for path in built_site.rglob("*.html"):
        marked = "data-pagefind-body" in path.read_text("utf-8")
        is_paper = path.parent.parent.name == "papers" and path.parent.name in papers
        assert marked == is_paper, path
    entry = json.loads((built_site / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert sum(language["page_count"] for language in entry["languages"].values()) == len(papers)
    assert (built_site / "pagefind/pagefind.js").is_file()


def test_no_whole_site_search_index(built_site):
    assert not (built_site / "search/search_index.json").exists()


def test_explore_page_is_built(built_site):
    page = (built_site / "explore/index.html").read_text("utf-8")
    assert 'id="atlas-explore"' in page
    assert "assets/atlas/search.js" in page
    assert "<noscript>" in page
    assert (built_site / "assets/atlas/search.js").is_file()


def test_every_page_has_the_header_search_box(built_site):
    for path in (built_site / "index.html", built_site / "papers/bwa-mem/index.html"):
        assert 'class="atlas-search"' in path.read_text("utf-8")


def test_a_missing_pagefind_is_a_clear_error(monkeypatch):
    from generator.site import search
    from generator.errors import AtlasError

    monkeypatch.setitem(sys.modules, "pagefind_bin", None)
    with pytest.raises(AtlasError, match="pagefind"):
        search.pagefind_command()


def test_the_searched_part_leaves_out_the_theme_around_it():
    from generator.site.search import SEARCH_BEGIN, SEARCH_END, searched_part

    page = ('<!DOCTYPE html>\n<html lang="de" class="no-js"><head><title>T</title></head><body><nav>menu</nav>'
            + SEARCH_BEGIN + '<div data-pagefind-body>words</div>' + SEARCH_END + "<footer>foot</footer></body></html>")
    part = searched_part(page)
    assert '<html lang="de" class="no-js">' in part  # Pagefind picks its stemmer by the page's language
    assert '<div data-pagefind-body>words</div>' in part
    assert "menu" not in part and "foot" not in part
    with_around = page.replace("words</div>", 'words<div class="atlas-around"><pre>@misc{x}</pre></div>'
                               '<span hidden>atlaspaper</span></div>')
    part = searched_part(with_around)
    assert "words" in part and "@misc" not in part and "atlas-around" not in part
    assert part.count("<div") == part.count("</div>") and "<span hidden>atlaspaper</span>" in part
    whole = "<html><body><div data-pagefind-body>no comments</div></body></html>"
    assert searched_part(whole) == whole  # a theme override without the comments: the page is read whole


def test_the_index_holds_what_indexing_whole_pages_gives(built_site, tmp_path):
    """Indexing the searched parts loses nothing: Pagefind run on the whole built pages finds the
    same text, filters and meta for every page."""
    import shutil
    import subprocess

    from generator.site.search import index_command, read_fragments

    whole = tmp_path / "whole"
    shutil.copytree(built_site, whole, ignore=shutil.ignore_patterns("pagefind"))
    command = index_command(whole, whole)
    subprocess.run(command, check=True, capture_output=True)

    def by_url(site):
        return {f["url"]: f for f in read_fragments(site)}

    expected, indexed = by_url(whole), by_url(built_site)
    assert len(indexed) == len(list((FIXTURE / "papers").glob("*.yaml")))
    assert indexed == expected


@pytest.mark.parametrize("memory", [True, False], ids=["in memory", "on disk"])
def test_a_build_leaves_no_scratch_folder(tmp_path, monkeypatch, memory):
    import tempfile

    from generator import fsutil
    from generator.cli import main

    disk, ram = tmp_path / "tmp", tmp_path / "shm"
    disk.mkdir()
    if memory:
        ram.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(disk))
    monkeypatch.setattr(fsutil, "MEMORY_FOLDER", ram)
    monkeypatch.delenv("TMPDIR", raising=False)
    made = []
    mkdtemp = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda *a, **k: made.append(mkdtemp(*a, **k)) or made[-1])
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = tmp_path / "site"
    assert main(["build", "--content", str(FIXTURE), "--site-dir", str(site),
                 "--config-file", str(Path(__file__).resolve().parent.parent / "mkdocs.yml")]) == 0
    assert (site / "pagefind/pagefind-entry.json").is_file()
    searched = [Path(folder) for folder in made if Path(folder).name.startswith("atlas-search-")]
    assert len(searched) == 1 and searched[0].parent == (ram if memory else disk)
    assert list(disk.iterdir()) == [] and (not memory or list(ram.iterdir()) == [])


def test_a_scratch_folder_goes_in_memory_only_where_it_fits(tmp_path, monkeypatch):
    import shutil

    from generator import fsutil

    ram = tmp_path / "shm"
    ram.mkdir()
    monkeypatch.setattr(fsutil, "MEMORY_FOLDER", ram)
    monkeypatch.delenv("TMPDIR", raising=False)
    free = shutil.disk_usage(ram).free
    if free < 256 << 20:
        pytest.skip("less than 256 MB free for the test's folders")
    made = [fsutil.scratch_folder("t-", free // 8), fsutil.scratch_folder("t-", free // 2)]
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    made.append(fsutil.scratch_folder("t-", 1))  # TMPDIR names another place
    monkeypatch.delenv("TMPDIR")
    monkeypatch.setattr(fsutil, "MEMORY_FOLDER", tmp_path / "missing")
    made.append(fsutil.scratch_folder("t-", 1))
    for folder in made:
        folder.rmdir()
    # Four times the need must be free; otherwise, and with TMPDIR set, the usual temporary folder.
    assert [folder.parent == ram for folder in made] == [True, False, False, False]
    assert all(folder.parent != tmp_path / "missing" for folder in made)


def test_an_atlas_without_papers_builds_without_a_search_index(tmp_path, monkeypatch):
    import shutil

    from generator.cli import main

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    for record in (content / "papers").glob("*.yaml"):
        record.unlink()
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--site-dir", str(site),
                 "--config-file", str(Path(__file__).resolve().parent.parent / "mkdocs.yml")]) == 0
    assert (site / "index.html").is_file()
    assert not (site / "pagefind").exists()


def test_every_indexed_paper_carries_its_published_bibtex_entry(built_site):
    published = (built_site / "data/papers.bib").read_text("utf-8")
    entries = [json.loads(fragment["meta"]["bibtex"]) for fragment in read_fragments(built_site)]
    assert len(entries) == len(list((FIXTURE / "papers").glob("*.yaml")))
    assert "\n".join(sorted(entries)) == "\n".join(sorted(e if e.endswith("\n") else e + "\n"
                                                         for e in re.split(r"\n(?=@)", published)))


def test_a_newer_preview_build_stops_the_indexing_still_running(tmp_path):
    import signal

    from generator.site.search import SEARCH_BEGIN, SEARCH_END, BackgroundIndexer, SearchSource

    source = SearchSource()
    for n in range(400):
        source.add(f"papers/p{n}/index.html", f'<html lang="en"><body>{SEARCH_BEGIN}<div data-pagefind-body>'
                                              f"<h1>Paper {n}</h1><p>{' '.join(f'word{n}x{k}' for k in range(200))}</p>"
                                              f"</div>{SEARCH_END}</body></html>")
    indexer = BackgroundIndexer()
    try:
        indexer.start(source, tmp_path / "site")
        first = indexer.process
        indexer.start(source, tmp_path / "site")
        assert first.returncode == -signal.SIGTERM  # ended while it was still indexing
        assert indexer.process.wait(timeout=120) == 0
        assert len(list((tmp_path / "site" / "pagefind" / "fragment").glob("*.pf_fragment"))) == 400
    finally:
        indexer.stop()
        source.remove()

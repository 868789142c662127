"""The whole site built with ``atlas build``: strict, every internal link resolves, safe, deterministic."""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_fixtures import PageLinks, built_site, project  # noqa: F401  (fixtures)

from generator.site.search import stable_files

HERE = Path(__file__).resolve().parent
ROOT, FIXTURE = HERE.parents[1], HERE / "fixture_content"
PAPER_IDS = sorted(p.stem for p in (FIXTURE / "papers").glob("*.yaml"))


def parse(path: Path) -> PageLinks:
    parser = PageLinks()
    parser.feed(path.read_text("utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every internal href/src of every HTML file that does not resolve to a file (or anchor) of the site."""
    broken, parsed = [], {}
    for page in sorted(site.rglob("*.html")):
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "javascript:void(0)", "mailto:")):
                continue
            if not parts.path:
                target = page
            elif parts.path.startswith("/"):  # 404.html links from the site root
                target = site / unquote(parts.path).lstrip("/")
            else:
                target = page.parent / unquote(parts.path)
            if target.is_dir() or parts.path.endswith("/"):
                target = target / "index.html"
            target = target.resolve()
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)}: {link}")
                continue
            fragment = parts.fragment
            if fragment and not fragment.startswith("__") and target.suffix == ".html":
                ids = parsed.setdefault(target, parse(target).ids)
                if unquote(fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    return broken


def test_strict_build_writes_every_page_kind(built_site):
    for path in ["index.html", "types/llm-alignment/index.html", "types/entity-alignment/index.html",
                 "methods/index.html", "methods/dpo/index.html", "tasks/index.html", "tags/index.html",
                 "tags/genomics/index.html", "add-a-paper/index.html", "papers/dpo-2023/index.html",
                 "data/papers.json", "data/papers.csv", "data/papers.bib", "feed.xml", "explore/index.html", "pagefind/pagefind.js"]:
        assert (built_site / path).is_file(), path
    for paper_id in PAPER_IDS:
        assert (built_site / "papers" / paper_id / "index.html").is_file()


def test_every_internal_link_resolves(built_site):
    assert broken_links(built_site) == []
    assert len(parse(built_site / "papers/direct-preference-optimization/index.html").links) > 20


def test_crawler_reports_a_broken_link(tmp_path):
    (tmp_path / "index.html").write_text('<a href="missing/">x</a><a href="#nope">y</a><a href="https://e.org/">z</a>')
    assert broken_links(tmp_path) == ["index.html: missing/", "index.html: #nope (no such anchor)"]


def test_navigation_lists_index_pages_never_papers(built_site):
    page = (built_site / "types/llm-alignment/index.html").read_text("utf-8")
    nav = re.findall(r'<a href="([^"]*)" class="md-(?:nav|tabs)__link', page)
    assert "../../methods/" in nav and "../../add-a-paper/" in nav and "../sequence-alignment/" in nav
    assert not [link for link in nav if "papers/" in link or re.search(r"(tags|methods|tasks)/[^/]+/$", link)]
    assert page.count("papers/") > 0  # the page itself lists papers, outside the navigation


def test_paper_page_shows_facts_links_bibtex_related_and_edit_link(built_site):
    page = (built_site / "papers/direct-preference-optimization/index.html").read_text("utf-8")
    assert "<title>Direct Preference Optimization: Your Language Model is Secretly a Reward Model - Alignment Atlas</title>" in page
    assert 'href="../../methods/dpo/"' in page and 'href="../../tags/rlhf/"' in page
    assert 'href="../../tasks/preference-alignment/"' in page and 'href="../../types/llm-alignment/"' in page
    assert '<a class="md-button" href="https://arxiv.org/abs/2305.18290">arXiv</a>' in page
    assert "@inproceedings{rafailov2023direct," in html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "same task: preference alignment" in page and "Mentioned by" in page
    assert ('href="https://github.com/OWNER/alignment-atlas/edit/main/tests/site/fixture_content/papers/'
            'direct-preference-optimization.yaml"') in page


def test_old_ids_redirect_to_the_paper(built_site):
    page = (built_site / "papers/dpo-2023/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../direct-preference-optimization/">' in page
    assert '<link rel="canonical" href="../direct-preference-optimization/">' in page


def test_exports_parse_and_hold_every_paper(built_site):
    data = json.loads((built_site / "data/papers.json").read_text("utf-8"))
    assert [d["id"] for d in data] == PAPER_IDS
    assert all("notes" not in d for d in data)
    rows = list(csv.DictReader(io.StringIO((built_site / "data/papers.csv").read_text("utf-8"))))
    assert [r["id"] for r in rows] == PAPER_IDS
    import bibtexparser

    library = bibtexparser.parse_string((built_site / "data/papers.bib").read_text("utf-8"))
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [d["citation_key"] for d in data]  # sorted by id, as the records
    feed = ET.fromstring((built_site / "feed.xml").read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}updated").text == "2026-11-22T00:00:00Z"
    updated = [e.find(f"{atom}updated").text for e in feed.findall(f"{atom}entry")]
    assert updated == sorted(updated, reverse=True) and len(updated) == len(PAPER_IDS)


def test_two_builds_are_byte_identical(built_site, tmp_path, atlas):
    second = tmp_path / "again"
    result = atlas("build", "--content", str(FIXTURE), "--site-dir", str(second), "--strict")
    assert result.returncode == 0, result.stderr
    # Pagefind's filter chunks and their manifest vary between runs (see search.UNSTABLE_FILES).
    first_files, second_files = stable_files(built_site), stable_files(second)
    assert first_files == second_files
    assert len(list(built_site.rglob("*"))) == len(list(second.rglob("*")))
    different = [p for p in first_files if (built_site / p).read_bytes() != (second / p).read_bytes()]
    assert different == []
    assert any(p.startswith("pagefind/fragment/") for p in first_files)
    # The sitemap's gzip header holds the newest page date from the content, not the clock.
    import datetime as dt

    mtime = int.from_bytes((built_site / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert dt.datetime.fromtimestamp(mtime, dt.timezone.utc).date().isoformat() == "2026-11-22"
    assert gzip.decompress((built_site / "sitemap.xml.gz").read_bytes()) == (built_site / "sitemap.xml").read_bytes()


HOSTILE = {
    "title": "<script>alert('t')</script> {{ 7*7 }} <!-- material/tags --> *PO",
    "type": "llm-alignment",
    "abstract": (
        "---\ntitle: pwned\n---\n\n# Not a heading\n\n"
        "<script>alert(1)</script> <img src=x onerror=alert(2)> [click me](javascript:alert(3)) "
        "<iframe src=\"https://evil.example/\"></iframe> {{ config.site_name }} {% raw %} "
        "<a href=\"javascript:alert(4)\">link</a> <!-- material/tags -->"
    ),
    "summary": "<svg onload=alert(5)> [x](javascript:alert(6))",
    "method": "<b onmouseover=alert(7)>M</b>",
    "task": "`code` | pipe",
    "tags": ["dpo"],
    "authors": ["<i>A</i>"],
    "venue": "{: .evil onclick=alert(8) }",
    "links": {"code": "https://example.org/a?b=1&c=2"},
    "year": 2024,
    "added": "2026-11-23",
}


class _Elements(HTMLParser):
    """Tags, attribute names, classes and hrefs of a piece of HTML."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.classes, self.hrefs = set(), set(), set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add(name)
            if name == "class":
                self.classes.update((value or "").split())
            if name == "href":
                self.hrefs.append(value or "")


def test_hostile_record_renders_as_inert_text(project, atlas, make_content, tmp_path):
    content = make_content({"hostile.yaml": HOSTILE, "other.yaml": {**HOSTILE, "title": "Other", "method": "DPO"}})
    folder = project(content)
    site = tmp_path / "hostile-site"
    result = atlas("build", "--content", str(folder / "content"), "--site-dir", str(site), "--strict",
                   "--config-file", str(folder / "mkdocs.yml"))
    if result.returncode != 0:
        # the record is refused with a clear message, which is also acceptable for a field
        pytest.fail(result.stderr)
    page = (site / "papers/hostile/index.html").read_text("utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    elements = _Elements()
    elements.feed(article)
    assert elements.tags & {"script", "iframe", "img", "object", "embed", "style", "b", "i"} == set()
    assert article.count("<h1") == 1  # the title; the abstract's "# Not a heading" stays text
    assert [a for a in elements.attributes if a.startswith("on")] == []
    assert [h for h in elements.hrefs if not h.startswith(("http://", "https://", "../", "#"))] == []
    assert "evil" not in elements.classes and "<!-- material/tags -->" not in article
    head = page[:page.index("<body")]
    assert "<script>alert" not in head
    text = html.unescape(re.sub(r"<[^>]+>", "", article))
    for shown in ("{{ 7*7 }}", "{{ config.site_name }}", "{% raw %}", "<script>alert(1)</script>",
                  "[click me](javascript:alert(3))", "# Not a heading", "title: pwned", "*PO",
                  "<b onmouseover=alert(7)>M</b>", "`code` | pipe", "{: .evil onclick=alert(8) }"):
        assert shown in text, shown
    assert 'href="https://example.org/a?b=1&amp;c=2"' in article
    for other in site.rglob("*.html"):
        assert "<script>alert" not in other.read_text("utf-8"), other
    search_values = re.findall(r'<span data-pagefind-(?:meta|filter|sort)="[a-z]+">([^<]*)</span>', page)
    assert search_values and len(search_values) == page.count("<span data-pagefind-")  # all text, no tag


def test_failed_build_keeps_the_previous_site(built_site, project, atlas, tmp_path):
    folder = project()
    site = tmp_path / "site"
    assert atlas("build", "--content", str(folder / "content"), "--site-dir", str(site),
                 "--config-file", str(folder / "mkdocs.yml")).returncode == 0
    before = (site / "index.html").read_bytes()
    (folder / "content/papers/bwa-mem.yaml").write_text("title: X\ntype: llm-alignment\nyear: twenty\n", "utf-8")
    (folder / "content/papers/minimap2.yaml").write_text("title: Y\ntype: nonsense\n", "utf-8")
    result = atlas("build", "--content", str(folder / "content"), "--site-dir", str(site),
                   "--config-file", str(folder / "mkdocs.yml"))
    assert result.returncode == 1
    assert re.search(r"bwa-mem\.yaml:3: year: expected an integer", result.stderr), result.stderr
    assert re.search(r"minimap2\.yaml:2: type: unknown type 'nonsense'", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_build_refuses_a_missing_content_folder(atlas, tmp_path):
    result = atlas("build", "--content", str(tmp_path / "none"), "--site-dir", str(tmp_path / "s"))
    assert result.returncode == 2 and "no content folder" in result.stderr


def test_generate_writes_the_same_pages_to_disk(atlas, tmp_path):
    out = tmp_path / "pages"
    result = atlas("generate", "--content", str(FIXTURE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    from generator.content.records import load_content
    from generator.site.pages import Renderer, render_site

    pages = render_site(load_content(FIXTURE), Renderer(ROOT / "site_templates"))
    for page in pages:
        assert (out / page.path).read_text("utf-8") == page.markdown


def test_generate_refuses_paths_outside_its_folder(tmp_path):
    from generator.cli.generate import write_pages
    from generator.errors import AtlasError
    from generator.site.pages import Page

    with pytest.raises(AtlasError, match="outside"):
        write_pages([Page("ok.md", "x"), Page("../escape.md", "y")], tmp_path / "out")
    assert not (tmp_path / "escape.md").exists() and not (tmp_path / "out" / "ok.md").exists()


def test_plugin_gives_generated_pages_their_sanitized_html_and_table_of_contents():
    from types import SimpleNamespace

    from generator.mkdocs.plugin import AtlasPlugin
    from generator.site.pages import Page

    plugin = AtlasPlugin()
    raw = '<p>a<script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">b</a></p>'
    heading = '<h2 id="s">S<a class="headerlink" href="#s" title="Permanent link">¶</a></h2>'
    plugin.pages = {"papers/x.md": Page("papers/x.md", "---\ntitle: X\n---\n" + heading + raw, None, in_nav=False)}
    generated = SimpleNamespace(file=SimpleNamespace(src_uri="papers/x.md"), toc=None)
    handwritten = SimpleNamespace(file=SimpleNamespace(src_uri="add-a-paper.md"), toc=None)
    assert plugin.on_page_content("<p>what MkDocs made</p>", page=generated, config=None, files=None) == \
        heading + "<p>a<a>b</a></p>"
    assert [(item.id, item.title, item.level) for item in generated.toc] == [("s", "S", 2)]
    assert generated.present_anchor_ids == {"s"}
    assert plugin.on_page_content(raw, page=handwritten, config=None, files=None) == raw
    assert handwritten.toc is None


@pytest.mark.parametrize("repo_url, edit_uri, option, expected", [
    (None, "https://github.com/o/r/edit/main/docs/", None, "https://github.com/o/r/edit/main/"),
    ("https://github.com/o/r", "edit/main/docs/", None, "https://github.com/o/r/edit/main/"),
    ("https://github.com/o/r", "blob/main/", None, "https://github.com/o/r/blob/main/"),
    ("https://github.com/o/r", "", None, None),
    (None, None, "https://gitlab.example/o/r/-/edit/main", "https://gitlab.example/o/r/-/edit/main/"),
])
def test_edit_links_point_at_the_repository_root(repo_url, edit_uri, option, expected):
    from generator.mkdocs.config import edit_base
    from generator.site.settings import Settings

    assert edit_base(Settings(edit_url=option), repo_url, edit_uri, "docs") == expected


def test_a_broken_template_is_one_line_naming_it(atlas, tmp_path):
    templates = tmp_path / "templates"
    import shutil

    shutil.copytree(ROOT / "site_templates", templates)
    (templates / "paper.html").write_text("{% if paper.title %}\nunclosed\n", "utf-8")
    result = atlas("generate", "--content", str(FIXTURE), "--out", str(tmp_path / "out"), "--templates", str(templates))
    assert result.returncode == 1
    assert "paper.html" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_mkdocs_build_reports_record_problems_without_a_traceback(project, tmp_path):
    import os
    import subprocess
    import sys

    folder = project()
    (folder / "content/papers/bad.yaml").write_text("title: X\ntype: llm-alignment\nyear: twenty\n", "utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(folder / "mkdocs.yml"),
                             "-d", str(tmp_path / "out")], cwd=folder, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert result.returncode == 1
    assert "content/papers/bad.yaml:3: year: expected an integer, got 'twenty'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_duplicate_record_fails_the_build(project, atlas, tmp_path):
    folder = project()
    papers = folder / "content" / "papers"
    original = next(p for p in sorted(papers.glob("*.yaml")))
    import yaml

    data = yaml.safe_load(original.read_text("utf-8"))
    copy = {"title": data["title"].upper(), "type": data["type"]}
    (papers / "again.yaml").write_text(yaml.safe_dump(copy), "utf-8")
    site = tmp_path / "site"
    result = atlas("build", "--content", str(folder / "content"), "--site-dir", str(site),
                   "--config-file", str(folder / "mkdocs.yml"))
    assert result.returncode == 1
    assert re.search(r"again\.yaml:\d+: title: duplicates .*" + re.escape(original.name), result.stderr), result.stderr
    assert not site.exists()


def test_a_docs_page_at_a_generated_path_fails_the_build(project, atlas, tmp_path):
    folder = project()
    (folder / "docs/types").mkdir(parents=True, exist_ok=True)
    (folder / "docs/types/llm-alignment.md").write_text("# Mine\n", "utf-8")
    site = tmp_path / "site"
    result = atlas("build", "--content", str(folder / "content"), "--site-dir", str(site),
                   "--config-file", str(folder / "mkdocs.yml"))
    assert result.returncode == 1
    assert "types/llm-alignment.md is generated; remove it from" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists()


def test_record_paths_resolve_as_path_resolve_does(tmp_path):
    from generator.site.build import resolved as _resolved

    (tmp_path / "real/papers").mkdir(parents=True)
    (tmp_path / "real/papers/a.yaml").write_text("x", "utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/b.yaml").write_text("x", "utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "real/papers/b.yaml").symlink_to(tmp_path / "elsewhere/b.yaml")
    folders = {}
    for path in (tmp_path / "linked/papers/a.yaml", tmp_path / "linked/papers/b.yaml",
                 tmp_path / "real/papers/../papers/a.yaml", Path("relative.yaml")):
        assert _resolved(path, folders) == path.resolve(), path
    assert _resolved(tmp_path / "linked/papers/b.yaml", folders) == tmp_path / "elsewhere/b.yaml"

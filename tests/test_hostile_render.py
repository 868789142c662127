"""Every ``render`` case of the hostile corpus, built into one site with ``atlas build --strict``.

Every HTML page of that site (papers, types, facet pages, the home page's recent list, related
lists) must hold no script but the theme's own, no event handler, frame, embedded object or
content style, and no link whose scheme is not http(s); each record's fields must show on its
pages as written, and the exports (JSON, CSV, BibTeX, Atom feed) must give them back unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from generator.cli import main
from generator.site.search import read_fragments
from generator.text import one_line

from hostile.corpus import ROOT, cases, install

RENDERED = [case for case in cases() if case.outcome == "render"]

CLEAN = {
    "title": "A Clean Record", "type": "llm-alignment", "abstract": "Plain words.", "summary": "Plain.",
    "method": "DPO", "task": "preference alignment", "tags": ["dpo"], "authors": ["Ann Author"],
    "venue": "NeurIPS", "year": 2023, "links": {"arxiv": "https://arxiv.org/abs/2305.18290"},
    "added": "2026-11-01",
}
"""A record with every field set, so that a site holding it (and :data:`SECOND_CLEAN`) has every page kind."""

SECOND_CLEAN = {**CLEAN, "title": "A Second Clean Record", "added": "2026-11-02"}
"""Another clean record in the same lists, so that the clean site has their A-Z pages too."""

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "background", "cite",
                  "xlink:href", "ping", "manifest", "codebase", "archive", "longdesc", "lowsrc", "dynsrc"}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "img", "svg",
                  "math", "marquee", "link", "meta", "style", "script", "template"}
"""Tags that content must never add (those the theme uses are compared with a clean page)."""


class ParsedPage(HTMLParser):
    """A page's elements, its scripts and styles, its visible text and its first heading."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[tuple[tuple, str]] = []
        self.text: list[str] = []
        self.h1: list[str] | None = None
        self._raw: tuple[str, tuple] | None = None
        self._raw_text: list[str] = []
        self._in_body = self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        if tag in ("script", "style"):
            self._raw, self._raw_text = (tag, tuple(sorted((k, v or "") for k, v in attrs))), []
        elif tag == "body":
            self._in_body = True
        elif tag == "h1" and self.h1 is None:
            self.h1, self._in_h1 = [], True
        self.text.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))
        self.text.append(" ")

    def handle_endtag(self, tag):
        if self._raw and tag == self._raw[0]:
            self.scripts.append((self._raw, "".join(self._raw_text)))
            self._raw = None
        if tag == "h1":
            self._in_h1 = False
        self.text.append(" ")

    def handle_data(self, data):
        if self._raw:
            self._raw_text.append(data)
        elif self._in_body:
            self.text.append(data)
            if self._in_h1:
                self.h1.append(data)

    @property
    def visible(self) -> str:
        return " ".join("".join(self.text).split())

    @property
    def heading(self) -> str:
        return " ".join("".join(self.h1 or []).split()).removesuffix("¶").strip()


def parse(markup: str) -> ParsedPage:
    page = ParsedPage()
    page.feed(markup)
    page.close()
    return page


def words(value) -> str:
    """A field's text with whitespace normalized, as a reader sees it."""
    return " ".join(str(value).split())


def build(content: Path, site: Path) -> Path:
    status = main(["build", "--content", str(content), "--site-dir", str(site), "--strict",
                   "--config-file", str(ROOT / "mkdocs.yml")])
    assert status == 0
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """(the hostile site, a clean site holding two ordinary records), each built once."""
    root = tmp_path_factory.mktemp("hostile-render")
    for case in RENDERED:
        install(case, root / "hostile")
    (root / "hostile/papers/a-clean-record.yaml").write_text(yaml.safe_dump(CLEAN), "utf-8")
    (root / "clean/papers").mkdir(parents=True)
    (root / "clean/taxonomy.yaml").write_bytes((ROOT / "content/taxonomy.yaml").read_bytes())
    (root / "clean/papers/a-clean-record.yaml").write_text(yaml.safe_dump(CLEAN), "utf-8")
    (root / "clean/papers/a-second-clean-record.yaml").write_text(yaml.safe_dump(SECOND_CLEAN), "utf-8")
    return build(root / "hostile", root / "hostile-site"), build(root / "clean", root / "clean-site")


@pytest.fixture(scope="module")
def hostile_pages(sites) -> dict[str, ParsedPage]:
    site = sites[0]
    return {p.relative_to(site).as_posix(): parse(p.read_text("utf-8")) for p in sorted(site.rglob("*.html"))}


def theme_parts(site: Path) -> tuple[set, set]:
    """The scripts and styles (by page depth) and the tags of every page of a clean site."""
    scripts, tags = set(), set()
    for path in site.rglob("*.html"):
        page = parse(path.read_text("utf-8"))
        depth = len(path.relative_to(site).parts) - 1
        scripts.update((depth, attrs, text) for attrs, text in page.scripts)
        tags.update(tag for tag, _ in page.elements)
    return scripts, tags


def page_id(case) -> str:
    return case.file.removesuffix(".yaml")


def test_every_render_case_is_built(sites):
    assert len(RENDERED) >= 17
    for case in RENDERED:
        assert (sites[0] / "papers" / page_id(case) / "index.html").is_file(), case.name


def unsafe_parts(path: str, page: ParsedPage, theme_scripts: set, theme_tags: set) -> list[str]:
    """What a page holds that no clean page holds: scripts, handlers, frames, styles, unsafe links."""
    problems, depth = [], path.count("/")
    for attrs, text in page.scripts:
        if (depth, attrs, text) not in theme_scripts:
            problems.append(f"{path}: script or style not in a clean page: {attrs} {text[:60]!r}")
    for tag, attrs in page.elements:
        if tag in FORBIDDEN_TAGS and tag not in theme_tags:
            problems.append(f"{path}: <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                problems.append(f"{path}: <{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                if urlsplit(value.strip()).scheme.lower() not in ("", "http", "https"):
                    problems.append(f"{path}: <{tag} {name}={value!r}>")
    return problems


def test_the_check_reports_scripts_handlers_frames_and_unsafe_links(sites):
    theme_scripts, theme_tags = theme_parts(sites[1])
    assert any(dict(raw[1]).get("src", "").endswith(".min.js") for _, raw, _ in theme_scripts)
    bad = parse('<body><script>alert(1)</script><p onclick="x()">a</p><iframe src="https://e.org/"></iframe>'
                '<a href=" JavaScript:alert(1)">b</a><a href="data:text/html,x">c</a><div style="x">d</div></body>')
    assert len(unsafe_parts("index.html", bad, theme_scripts, theme_tags)) == 6
    clean = sites[1] / "papers/a-clean-record/index.html"
    assert unsafe_parts("papers/a-clean-record/index.html", parse(clean.read_text("utf-8")), theme_scripts,
                        theme_tags) == []


def test_no_page_holds_a_script_handler_frame_style_or_unsafe_link(sites, hostile_pages):
    theme_scripts, theme_tags = theme_parts(sites[1])
    problems = [problem for path, page in hostile_pages.items()
                for problem in unsafe_parts(path, page, theme_scripts, theme_tags)]
    assert problems == []
    assert len(hostile_pages) > 30


def test_paper_pages_show_every_field_as_written(sites, hostile_pages):
    site = sites[0]
    problems = []
    for case in RENDERED:
        path = f"papers/{page_id(case)}/index.html"
        page, fields = hostile_pages[path], case.fields
        title_tag = (site / path).read_text("utf-8").split("<title>", 1)[1].split("</title>", 1)[0]
        if page.heading != words(fields["title"]):
            problems.append(f"{case.name}: heading {page.heading!r}")
        if parse(f"<body>{title_tag}</body>").visible != words(fields["title"]) + " - Alignment Atlas":
            problems.append(f"{case.name}: <title>{title_tag}")
        shown = [fields.get(k) for k in ("abstract", "summary", "method", "task", "venue", "year")]
        for value in [*shown, *fields.get("authors", [])]:
            if value is not None and words(value) not in page.visible:
                problems.append(f"{case.name}: {value!r} not shown as written")
        hrefs = {urljoin(f"/{path}", value or "") for tag, attrs in page.elements if tag == "a"
                 for name, value in attrs if name == "href"}
        expected = {f"/types/{fields['type']}/", *(f"/tags/{tag}/" for tag in fields.get("tags", [])),
                    *fields.get("links", {}).values()}
        if expected - hrefs:
            problems.append(f"{case.name}: no link to {sorted(expected - hrefs)}")
    assert problems == []


def test_every_page_listing_a_record_shows_its_title_as_written(hostile_pages):
    titles = {page_id(case): words(case.fields["title"]) for case in RENDERED}
    listed_on: dict[str, set[str]] = {paper: set() for paper in titles}
    problems = []
    for path, page in hostile_pages.items():
        for tag, attrs in page.elements:
            href = dict(attrs).get("href") if tag == "a" else None
            target = urljoin(f"/{path}", href or "").split("/")
            if len(target) == 4 and target[1] == "papers" and target[2] in titles and target[2] not in path:
                listed_on[target[2]].add(path)
                if titles[target[2]] not in page.visible:
                    problems.append(f"{path}: title of {target[2]} not shown as written")
    assert problems == []
    for case in RENDERED:
        kinds = {path.split("/")[0] for path in listed_on[page_id(case)]}
        assert {"types"} <= kinds, case.name
        if case.fields.get("method"):
            assert "methods" in kinds, case.name
    assert any("index.html" in pages for pages in listed_on.values())  # the home page's recent list
    assert any(path.startswith("papers/") for pages in listed_on.values() for path in pages)  # related lists
    assert any(path.startswith("tags/") for pages in listed_on.values() for path in pages)


def test_facet_and_type_pages_show_method_and_task_as_written(hostile_pages):
    headings = {page.heading for page in hostile_pages.values()}
    for case in RENDERED:
        # The type page and the pages listing its sub-groups (a type page shows each one's newest only).
        type_page = " ".join(page.visible for path, page in hostile_pages.items()
                             if path.startswith(f"types/{case.fields['type']}/"))
        for facet, field in (("Method", "method"), ("Task", "task")):
            if case.fields.get(field):
                assert f"{facet}: {words(case.fields[field])}" in headings, (case.name, field)
                assert f"{field} {words(case.fields[field])}" in type_page, (case.name, field)


def test_search_index_holds_records_as_written(sites):
    # Pagefind indexes the text of the built pages: a record's markup that had become a tag would
    # be missing from it; markup that stayed text is there as written (and is shown as text).
    fragments = {fragment["url"]: fragment for fragment in read_fragments(sites[0])}
    assert len(fragments) > 17
    for case in RENDERED:
        fragment = fragments[f"/papers/{page_id(case)}/"]
        assert words(fragment["meta"]["title"]) == words(case.fields["title"]), case.name
        assert words(case.fields["title"]) in fragment["content"], case.name


def test_json_and_csv_exports_give_the_fields_back_unchanged(sites):
    data = {d["id"]: d for d in json.loads((sites[0] / "data/papers.json").read_text("utf-8"))}
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((sites[0] / "data/papers.csv").read_text("utf-8")))}
    for case in RENDERED:
        record, row = data[page_id(case)], rows[page_id(case)]
        for field, value in case.fields.items():
            if field == "notes":
                assert "notes" not in record and value not in row.values()
                continue
            assert record[field] == value, (case.name, field)
            if field != "links":
                cell = "; ".join(value) if isinstance(value, list) else str(value)
                assert row[field] in (cell, "'" + cell), (case.name, field)
        for kind, url in case.fields.get("links", {}).items():
            assert row[f"link_{kind}"] == url


def test_feed_and_bibtex_give_the_titles_back(sites):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring((sites[0] / "feed.xml").read_bytes())
    entries = {e.find(f"{atom}link").get("href").split("/")[1]: e for e in feed.findall(f"{atom}entry")}
    import bibtexparser
    from pylatexenc.latex2text import LatexNodes2Text

    library = bibtexparser.parse_string((sites[0] / "data/papers.bib").read_text("utf-8"))
    assert not library.failed_blocks
    bib = {entry.key: entry for entry in library.entries}
    decode = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True).latex_to_text
    for case in RENDERED:
        fields = case.fields
        if page_id(case) in entries:
            entry = entries[page_id(case)]
            assert entry.find(f"{atom}title").text == fields["title"], case.name
            text = fields.get("summary") or fields.get("abstract")
            if text:
                assert entry.find(f"{atom}summary").text == one_line(text), case.name
        # pylatexenc writes a straight double quote as LaTeX's closing quote ('') and reads it back as ”.
        title = decode(bib[page_id(case)]["title"][1:-1]).replace("\u201d", '"')
        assert title == one_line(fields["title"]), case.name
    dated = {page_id(case) for case in RENDERED if case.fields.get("added")}
    assert dated and dated <= set(entries)

"""Every ``render`` case of the hostile corpus, built into one site with ``atlas build --strict``.

Every HTML page of that site (papers, types, facet pages, the home page's recent list, related
lists) must hold no script but the theme's own, no event handler, frame, embedded object or
content style, and no link whose scheme is not http(s); each record's fields must show on its
pages as written, and the exports (JSON, CSV, BibTeX, Atom feed) must give them back unchanged.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from generator.cli import main
from generator.site.search import read_fragments
from generator.text import one_line

from exports_read import ATOM, DC, PRISM, bibtex_names, listing_folders, listing_papers, read_exports
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
        shown = [fields.get(k) for k in ("abstract", "summary", "method", "task", "venue", "volume", "issue", "pages",
                                         "year")]
        for value in [*shown, *fields.get("authors", [])]:
            if value is not None and words(value) not in page.visible:
                problems.append(f"{case.name}: {value!r} not shown as written")
        hrefs = {urljoin(f"/{path}", value or "") for tag, attrs in page.elements if tag == "a"
                 for name, value in attrs if name == "href"}
        expected = {f"/types/{fields['type']}/", *(f"/tags/{tag}/" for tag in fields.get("tags", [])),
                    *fields.get("links", {}).values()}
        if "arxiv" in fields.get("links", {}):  # the PDF, from the arXiv link
            expected.add(fields["links"]["arxiv"].replace("/abs/", "/pdf/"))
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


@pytest.fixture(scope="module")
def export_sets(sites) -> dict:
    """The atlas's exports ("") and every listing's slice of the hostile site, read back, by folder."""
    return {folder: read_exports(sites[0], folder) for folder in ["", *listing_folders(sites[0])]}


def test_every_listing_of_a_record_has_it_in_its_slice(sites, export_sets):
    assert len(export_sets) > 10
    for folder, part in export_sets.items():
        if folder:
            assert part.ids == sorted(listing_papers(sites[0], folder)), folder  # exactly the papers listed
    for case in RENDERED:
        holding = {folder for folder, part in export_sets.items() if page_id(case) in part.json}
        expected = {"", f"types/{case.fields['type']}/", *(f"tags/{tag}/" for tag in case.fields.get("tags", []))}
        assert expected <= holding, case.name
        kinds = [folder.split("/")[0] for folder in holding if folder]
        assert kinds.count("methods") == (1 if case.fields.get("method") else 0), case.name
        assert kinds.count("tasks") == (1 if case.fields.get("task") else 0), case.name


def test_json_and_csv_exports_give_the_fields_back_unchanged(export_sets):
    problems = []
    for folder, part in export_sets.items():
        for case in RENDERED:
            if page_id(case) not in part.json:
                continue
            record, row = part.json[page_id(case)], part.csv[page_id(case)]
            for field, value in case.fields.items():
                if field == "notes":
                    if "notes" in record or value in row.values():
                        problems.append(f"{folder}: {case.name}: notes published")
                    continue
                if record[field] != value:
                    problems.append(f"{folder}: {case.name}: JSON {field}")
                if field != "links":
                    cell = "; ".join(value) if isinstance(value, list) else str(value)
                    if row[field] not in (cell, "'" + cell):
                        problems.append(f"{folder}: {case.name}: CSV {field}")
            for kind, url in case.fields.get("links", {}).items():
                if row[f"link_{kind}"] != url:
                    problems.append(f"{folder}: {case.name}: CSV link_{kind}")
            if row["citation_key"] != record["citation_key"]:
                problems.append(f"{folder}: {case.name}: citation key")
    assert problems == []


BIBTEX_FIELDS = {"title": "title", "year": "year", "volume": "volume", "issue": "number", "pages": "pages"}
"""Record fields and the BibTeX fields holding them (the venue is in journal, booktitle or howpublished)."""


def test_bibtex_gives_the_fields_back(export_sets):
    from pylatexenc.latex2text import LatexNodes2Text

    decode = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True).latex_to_text

    def text(value: str) -> str:
        # pylatexenc writes a straight double quote as LaTeX's closing quote ('') and reads it back as ”.
        return decode(value).replace("\u201d", '"')

    problems = []
    for folder, part in export_sets.items():
        for case in RENDERED:
            fields = case.fields
            if page_id(case) not in part.json:
                continue
            entry = part.bib[part.json[page_id(case)]["citation_key"]]
            values = {f.key: f.value for f in entry.fields}
            for field, name in BIBTEX_FIELDS.items():
                if field in fields and text(values[name].removeprefix("{").removesuffix("}")
                                            if name == "title" else values[name]) != one_line(str(fields[field])):
                    problems.append(f"{folder}: {case.name}: {name} {values.get(name)!r}")
            if "venue" in fields:
                venue = values.get("journal") or values.get("booktitle") or values.get("howpublished")
                if text(venue) != one_line(fields["venue"]):
                    problems.append(f"{folder}: {case.name}: venue {venue!r}")
            names = [text(name) for name in bibtex_names(values.get("author", ""))]
            if names != [one_line(a) for a in fields.get("authors", [])]:
                problems.append(f"{folder}: {case.name}: authors {names!r}")
    assert problems == []


def test_feeds_give_the_fields_back(export_sets):
    problems = []
    for folder, part in export_sets.items():
        dated = [case for case in RENDERED if case.fields.get("added") and page_id(case) in part.json]
        assert {page_id(case) for case in dated} <= set(part.entries), folder
        for case in dated:
            fields, entry = case.fields, part.entries[page_id(case)]
            shown = {
                "title": entry.find(f"{ATOM}title").text,
                "summary": getattr(entry.find(f"{ATOM}summary"), "text", None),
                "authors": [a.find(f"{ATOM}name").text for a in entry.findall(f"{ATOM}author")],
                "venue": getattr(entry.find(f"{PRISM}publicationName"), "text", None),
                "volume": getattr(entry.find(f"{PRISM}volume"), "text", None),
                "issue": getattr(entry.find(f"{PRISM}number"), "text", None),
                "pages": getattr(entry.find(f"{PRISM}pageRange"), "text", None),
                "year": getattr(entry.find(f"{DC}date"), "text", None),
            }
            text = fields.get("summary") or fields.get("abstract")
            expected = {
                "title": fields["title"], "summary": one_line(text) if text else None,
                "authors": fields.get("authors", []), "venue": fields.get("venue"), "volume": fields.get("volume"),
                "issue": fields.get("issue"), "pages": fields.get("pages"),
                "year": str(fields["year"]) if fields.get("year") else None,
            }
            for name in expected:
                if shown[name] != expected[name]:
                    problems.append(f"{folder}: {case.name}: {name} {shown[name]!r}")
    assert problems == []

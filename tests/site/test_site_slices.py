"""The slice of every listing in the built fixture site: each type, method, task and tag page has
papers.bib, papers.json, papers.csv and feed.xml in its folder, linked from the page, holding
exactly the papers the page lists, written by the same writers as the atlas's own exports."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from exports_read import ATLAS, ATOM, SLICE_FILES, listing_folders, listing_papers, read_exports
from site_fixtures import FIXTURE, built_site, project  # noqa: F401  (fixtures)

RECORDS = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted((FIXTURE / "papers").glob("*.yaml"))}


def test_every_listing_page_has_its_four_files_linked_by_one_download_line(built_site):
    folders = listing_folders(built_site)
    assert len([f for f in folders if f.startswith("types/")]) == 8
    assert {"methods/dpo/", "tasks/read-alignment/", "tags/genomics/"} <= set(folders)
    for folder in folders:
        for name in SLICE_FILES:
            assert (built_site / folder / name).is_file(), folder + name
        page = (built_site / folder / "index.html").read_text("utf-8")
        line = ('Download: <a href="papers.bib">BibTeX</a> · <a href="papers.json">JSON</a> · '
                '<a href="papers.csv">CSV</a> · <a href="feed.xml">Atom</a>')
        assert page.count(line) == 1, folder


def test_each_slice_holds_exactly_the_papers_its_page_lists(built_site):
    atlas = read_exports(built_site)
    empty = read_exports(built_site, "types/adjacent/")  # a type without papers has an empty slice
    assert (empty.ids, empty.bib_text, empty.entries) == ([], "", {})
    keys = {paper_id: record["citation_key"] for paper_id, record in atlas.json.items()}
    for folder in listing_folders(built_site):
        listed = listing_papers(built_site, folder)
        part = read_exports(built_site, folder)
        assert part.ids == sorted(listed), folder  # every listed paper, no other, sorted by id
        assert sorted(part.csv) == sorted(listed), folder
        assert sorted(part.bib) == sorted(keys[i] for i in listed), folder
        assert set(part.entries) == {i for i in listed if RECORDS[i].get("added")}, folder


def test_slices_follow_the_records_fields(built_site):
    # From the records themselves, not from the index that made the pages.
    for paper_id, record in RECORDS.items():
        assert paper_id in read_exports(built_site, f"types/{record['type']}/").json
        for tag in record.get("tags", []):
            assert paper_id in read_exports(built_site, f"tags/{tag}/").json
    assert read_exports(built_site, "tags/genomics/").ids == ["bwa-mem", "minimap2"]
    assert read_exports(built_site, "methods/dpo/").ids == ["direct-preference-optimization"]
    members = sum(len(read_exports(built_site, f).ids) for f in listing_folders(built_site) if f.startswith("types/"))
    assert members == len(RECORDS)  # each paper in its one type


def test_a_slice_is_written_by_the_atlas_writers(built_site):
    atlas = read_exports(built_site)
    whole = [entry.strip() for entry in atlas.bib_text.split("\n\n")]
    for folder in listing_folders(built_site):
        part = read_exports(built_site, folder)
        for paper_id, record in part.json.items():
            assert record == atlas.json[paper_id], (folder, paper_id)
            assert part.csv[paper_id] == atlas.csv[paper_id], (folder, paper_id)
        for entry in filter(None, part.bib_text.split("\n\n")):
            assert entry.strip() in whole, folder
        for paper_id, entry in part.entries.items():
            assert ET_text(entry) == ET_text(atlas.entries[paper_id]), (folder, paper_id)


def ET_text(entry) -> str:
    """An entry as XML, without the white space after it (which differs for a feed's last entry)."""
    import xml.etree.ElementTree as ET

    return ET.tostring(entry, encoding="unicode").strip()


def test_a_slice_feed_names_its_page_and_links_resolve_from_its_folder(built_site):
    part = read_exports(built_site, "tags/genomics/")
    assert part.feed.find(f"{ATOM}title").text == "Alignment Atlas: Tag: Genomics"
    assert part.feed.find(f"{ATOM}updated").text == "2026-11-02T00:00:00Z"
    links = {link.get("rel"): link.get("href") for link in part.feed.findall(f"{ATOM}link")}
    assert links == {"self": "tags/genomics/feed.xml", None: "tags/genomics/"}
    assert part.feed.get("{http://www.w3.org/XML/1998/namespace}base") == "../../"
    assert list(part.entries) == ["minimap2", "bwa-mem"]  # newest added first
    for paper_id in part.entries:
        assert (built_site / "papers" / paper_id / "index.html").is_file()
    assert part.entries["minimap2"].find(f"{ATLAS}citationKey").text == "li2018minimap2"
    atlas_feed = read_exports(built_site).feed
    assert atlas_feed.find(f"{ATOM}id").text != part.feed.find(f"{ATOM}id").text


def test_the_exports_carry_identifiers_and_where_a_paper_appeared(built_site):
    atlas = read_exports(built_site)
    record = atlas.json["minimap2"]
    assert (record["volume"], record["issue"], record["pages"]) == ("34", "18", "3094-3100")
    assert (record["citation_key"], record["arxiv_id"], record["doi"]) == (
        "li2018minimap2", "1708.01492", "10.1093/bioinformatics/bty191")
    row = atlas.csv["minimap2"]
    assert (row["citation_key"], row["volume"], row["issue"], row["pages"], row["arxiv_id"], row["doi"]) == (
        "li2018minimap2", "34", "18", "3094-3100", "1708.01492", "10.1093/bioinformatics/bty191")
    assert atlas.csv["connectionist-temporal-classification"]["arxiv_id"] == ""
    entry = atlas.entries["minimap2"]
    prism = "{http://prismstandard.org/namespaces/basic/2.0/}"
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert [entry.find(prism + name).text for name in ("publicationName", "volume", "number", "pageRange", "doi")] == [
        "Bioinformatics", "34", "18", "3094-3100", "10.1093/bioinformatics/bty191"]
    assert (entry.find(dc + "date").text, entry.find(dc + "identifier").text) == ("2018", "arXiv:1708.01492")
    bib = atlas.bib["li2018minimap2"]
    assert bib.entry_type == "article"
    assert {f.key: f.value for f in bib.fields} == {
        "author": "Heng Li", "title": "{Minimap2: pairwise alignment for nucleotide sequences}",
        "journal": "Bioinformatics", "year": "2018", "volume": "34", "number": "18", "pages": "3094-3100",
        "doi": "10.1093/bioinformatics/bty191", "eprint": "1708.01492", "archivePrefix": "arXiv",
        "url": "https://arxiv.org/abs/1708.01492"}
    assert {e.key: e.entry_type for e in atlas.bib.values()} == {
        "li2013aligning": "misc", "graves2006connectionist": "inproceedings", "rafailov2023direct": "inproceedings",
        "yu2020gradient": "inproceedings", "hitchhikers2024guide": "misc", "radford2021learning": "inproceedings",
        "li2018minimap2": "article", "ouyang2022training": "inproceedings", "conneau2018word": "inproceedings"}


def test_paper_page_shows_facts_buttons_and_cite_this(built_site):
    page = (built_site / "papers/direct-preference-optimization/index.html").read_text("utf-8")
    assert ('<li><strong>Authors:</strong> Rafael Rafailov, Archit Sharma, Eric Mitchell <details class="atlas-authors">'
            '<summary>et al. (6 authors)</summary>Rafael Rafailov, Archit Sharma, Eric Mitchell, Stefano Ermon, '
            'Christopher D. Manning, Chelsea Finn</details></li>') in page
    assert "<li><strong>Year:</strong> 2023</li>" in page and "<li><strong>Venue:</strong> NeurIPS</li>" in page
    assert ('<a class="md-button" href="https://arxiv.org/abs/2305.18290">arXiv</a> '
            '<a class="md-button" href="https://arxiv.org/pdf/2305.18290">PDF</a>') in page
    text = re.sub(r"<[^>]+>", "", page)
    assert "@inproceedings{rafailov2023direct," in text
    assert ("Rafael Rafailov, Archit Sharma, Eric Mitchell, Stefano Ermon, Christopher D. Manning and Chelsea Finn "
            "(2023). Direct Preference Optimization: Your Language Model is Secretly a Reward Model. NeurIPS. "
            "https://arxiv.org/abs/2305.18290") in text
    cite = page[page.index('id="cite-this-paper"'):page.index('id="related-papers"')]
    assert cite.count('<div class="highlight">') == 2  # two code blocks, each with the theme's copy button
    minimap = (built_site / "papers/minimap2/index.html").read_text("utf-8")
    assert "<li><strong>Author:</strong> Heng Li</li>" in minimap and "<details" not in minimap
    assert "<li><strong>Venue:</strong> Bioinformatics 34(18), 3094-3100</li>" in minimap
    assert '<a class="md-button" href="https://doi.org/10.1093/bioinformatics/bty191">DOI</a>' in minimap
    no_arxiv = (built_site / "papers/hitchhikers-guide-to-human-alignment/index.html").read_text("utf-8")
    assert "md-button" not in no_arxiv and "arxiv.org/pdf" not in no_arxiv


def test_the_home_page_charts_the_years(built_site):
    page = (built_site / "index.html").read_text("utf-8")
    chart = page[page.index('aria-label="Papers per year of publication"'):]
    chart = chart[:chart.index("</svg>")]
    labels = re.findall(r'<text class="atlas-chart__label"[^>]*>(\d{4})</text>', chart)
    assert labels == [str(year) for year in range(2006, 2025)]
    assert "<title>2018: 2</title>" in chart and "<title>2007: 0</title>" in chart


def test_slices_can_be_switched_off(project, atlas, tmp_path):
    folder = project()
    config = folder / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      templates: site_templates\n",
                                                        "      templates: site_templates\n      slices: false\n"), "utf-8")
    site = tmp_path / "site"
    result = atlas("build", "--content", str(folder / "content"), "--site-dir", str(site), "--strict",
                   "--config-file", str(config))
    assert result.returncode == 0, result.stderr
    assert (site / "data/papers.bib").is_file() and (site / "feed.xml").is_file()
    assert not list(site.glob("*/*/papers.*")) and not list(site.glob("*/*/feed.xml"))
    assert "Download:" not in (site / "types/llm-alignment/index.html").read_text("utf-8")
    assert Path(site / "types/llm-alignment/index.html").is_file()


def test_the_live_preview_makes_the_same_exports_and_follows_a_changed_key(make_content):
    from generator.content.records import load_content
    from generator.mkdocs.preview import PageMemo, RecordCache
    from generator.site.pages import Renderer, render_site

    renderer, memo, records = Renderer(FIXTURE.parents[2] / "site_templates"), PageMemo(), RecordCache()
    dpo = RECORDS["direct-preference-optimization"]
    root = make_content({"dpo.yaml": {k: v for k, v in dpo.items() if k != "aliases"}})
    for _ in range(2):
        memo.start("basis")
        remembered = {p.path: p.markdown for p in render_site(records.load(root), renderer, memo=memo)}
        assert remembered == {p.path: p.markdown for p in render_site(load_content(root), renderer)}
    def text(page: str) -> str:  # a page's text without its tags (the BibTeX is coloured)
        return re.sub(r"<[^>]+>", "", page)

    assert "rafailov2023direct," in text(remembered["papers/dpo.md"])
    # A second paper with the same key: both get a letter, the first one's page and slices too.
    (root / "papers/dpo-again.yaml").write_text(yaml.safe_dump({**dpo, "aliases": [], "title": "Direct DPO",
                                                                "method": "Other"}), "utf-8")
    memo.start("basis")
    after = {p.path: p.markdown for p in render_site(records.load(root), renderer, memo=memo)}
    assert "@inproceedings{rafailov2023directa," in text(after["papers/dpo.md"])  # ids in order: dpo, dpo-again
    assert "@inproceedings{rafailov2023directb," in text(after["papers/dpo-again.md"])
    assert "rafailov2023directa" in after["methods/dpo/papers.bib"] and "rafailov2023direct," not in after["data/papers.bib"]

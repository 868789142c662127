"""Citing papers: citation keys (readable, stable, unique over the atlas), BibTeX entry types and
fields, the plain reference, and the word lists in taxonomy.yaml they are made with."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.models import Paper
from generator.content.records import load_content
from generator.content.taxonomy import CitationWords, load_taxonomy
from generator.errors import ContentError
from generator.site import cite

ROOT = Path(__file__).resolve().parents[2]
WORDS = load_taxonomy(ROOT / "content").citations


def paper(paper_id="p", title="Direct Preference Optimization", **fields) -> Paper:
    fields.setdefault("type", "llm-alignment")
    for name in ("authors", "tags"):
        if name in fields:
            fields[name] = tuple(fields[name])
    return Paper(id=paper_id, title=title, **fields)


@pytest.mark.parametrize("record, key", [
    (paper(authors=["Rafael Rafailov", "Archit Sharma"], year=2023), "rafailov2023direct"),
    (paper(title="The Hitchhiker's Guide to Human Alignment", authors=["Kian Ahrabian"], year=2024),
     "ahrabian2024hitchhikers"),
    (paper(title="Attention Is All You Need", authors=["Ashish Vaswani"], year=2017), "vaswani2017attention"),
    (paper(title="On the Opportunities of Models", authors=["Li, Heng"], year=2018), "li2018opportunities"),
    (paper(title="On the Opportunities of Models", authors=["Li H."], year=2018), "li2018opportunities"),
    (paper(authors=["Lewis G. F.", "Adeli K."], year=2008), "lewis2008direct"),
    (paper(authors=["Vincent van Gogh"], year=1888), "gogh1888direct"),
    (paper(authors=["van Gogh, Vincent"], year=1888), "gogh1888direct"),  # particles stay out of the key either way round
    (paper(authors=["Team GLM"], year=2024), "glm2024direct"),  # three capitals are a name, not initials
    (paper(authors=["Martin Luther King Jr."], year=1963), "king1963direct"),
    (paper(authors=["Jürgen Schmidhuber"], year=1997), "schmidhuber1997direct"),
    (paper(authors=["Christopher D. Manning"]), "manningdirect"),  # no year
    (paper(year=2024), "direct2024preference"),  # no authors: the title's first words
    (paper(title="The Guide"), "guide"),  # neither authors nor year
    (paper(paper_id="zh-paper", title="大型语言模型对齐", authors=["张三"]), "zh-paper"),  # nothing Latin: the id
])
def test_citation_key_from_family_name_year_and_first_significant_title_word(record, key):
    assert cite.citation_keys([record], WORDS) == {record.id: key}


def test_clashing_keys_get_letters_in_id_order_over_the_whole_atlas():
    same = dict(title="Direct Preference Optimization", authors=["Rafael Rafailov"], year=2023)
    papers = [paper("zeta", **same), paper("alpha", **same), paper("mid", **same),
              paper("other", title="Direct Preference Optimization", authors=["Ann Other"], year=2023)]
    keys = cite.citation_keys(papers, WORDS)
    assert keys == {"alpha": "rafailov2023directa", "mid": "rafailov2023directb", "zeta": "rafailov2023directc",
                    "other": "other2023direct"}
    assert cite.citation_keys(list(reversed(papers)), WORDS) == keys  # the order of the input does not matter


def test_a_suffix_never_takes_a_key_another_paper_has():
    # "li2018minimapa" is the base key of a paper whose title begins with "Minimapa".
    papers = [paper("a", title="Minimap", authors=["Heng Li"], year=2018),
              paper("b", title="Minimap", authors=["Heng Li"], year=2018),
              paper("c", title="Minimapa", authors=["Heng Li"], year=2018)]
    assert cite.citation_keys(papers, WORDS) == {"a": "li2018minimapb", "b": "li2018minimapc", "c": "li2018minimapa"}


def test_suffixes_go_on_after_z():
    papers = [paper(f"p{i:02d}", authors=["A Li"], year=2020) for i in range(28)]
    keys = cite.citation_keys(papers, WORDS)
    assert (keys["p00"], keys["p25"], keys["p26"], keys["p27"]) == (
        "li2020directa", "li2020directz", "li2020directaa", "li2020directab")
    assert len(set(keys.values())) == 28


@pytest.mark.parametrize("venue, volume, kind", [
    ("NeurIPS", None, "inproceedings"),
    ("Proceedings of the 61st Annual Meeting of the ACL", "1", "inproceedings"),
    ("Workshop on Alignment", None, "inproceedings"),
    ("Bioinformatics", "34", "article"),
    ("Nature Methods", "12", "article"),
    ("Bioinformatics", None, "misc"),  # no volume: the record does not say it is a journal
    ("arXiv preprint", "abs/2305.18290", "misc"),
    (None, "3", "misc"),
    ("  ", None, "misc"),
])
def test_entry_type_from_the_venue_and_its_volume(venue, volume, kind):
    assert cite.entry_type(paper(venue=venue, volume=volume), WORDS) == kind


def test_entry_types_follow_the_word_lists_of_the_taxonomy():
    record = paper(venue="Journal of Meetings", volume="2")
    assert cite.entry_type(record, WORDS) == "article"  # "meetings" is not "meeting": whole words only
    assert cite.entry_type(paper(venue="Annual Meeting", volume="2"), WORDS) == "inproceedings"
    assert cite.entry_type(paper(venue="Annual Meeting", volume="2"), CitationWords()) == "article"


def test_a_complete_bibtex_entry():
    record = paper("minimap2", title="Minimap2: pairwise alignment for nucleotide sequences", authors=["Heng Li"],
                   year=2018, venue="Bioinformatics", volume="34", issue="18", pages="3094-3100",
                   links={"arxiv": "https://arxiv.org/abs/1708.01492v3",
                          "doi": "https://doi.org/10.1093/bioinformatics/bty191"})
    assert cite.bibtex_entry(record, "li2018minimap2", WORDS) == (
        "@article{li2018minimap2,\n"
        "  author = {Heng Li},\n"
        "  title = {{Minimap2: pairwise alignment for nucleotide sequences}},\n"
        "  journal = {Bioinformatics},\n"
        "  year = {2018},\n"
        "  volume = {34},\n"
        "  number = {18},\n"
        "  pages = {3094-3100},\n"
        "  doi = {10.1093/bioinformatics/bty191},\n"
        "  eprint = {1708.01492},\n"
        "  archivePrefix = {arXiv},\n"
        "  url = {https://arxiv.org/abs/1708.01492v3}\n"
        "}\n")


def test_bibtex_braces_accents_and_names_holding_and():
    record = paper(authors=["Jürgen Schmidhuber", "Research and Development Team"], venue="ICML", year=1997)
    entry = cite.bibtex_entry(record, "k", WORDS)
    assert entry.startswith("@inproceedings{k,\n  author = {J{\\\"u}rgen Schmidhuber and {Research and Development Team}},\n")
    assert "  booktitle = {ICML},\n" in entry
    assert cite.bibtex_entry(paper(venue="Bioinformatics"), "k", WORDS) == (
        "@misc{k,\n  title = {{Direct Preference Optimization}},\n  howpublished = {Bioinformatics}\n}\n")


@pytest.mark.parametrize("record, text", [
    (paper(title="Minimap2: pairwise alignment", authors=["Heng Li"], year=2018, venue="Bioinformatics",
           volume="34", issue="18", pages="3094-3100", links={"doi": "https://doi.org/10.1093/bioinformatics/bty191"}),
     "Heng Li (2018). Minimap2: pairwise alignment. Bioinformatics 34(18), 3094-3100. "
     "https://doi.org/10.1093/bioinformatics/bty191"),
    (paper(authors=["A One", "B Two", "C Three"], year=2023, venue="NeurIPS",
           links={"arxiv": "https://arxiv.org/abs/2305.18290", "paper": "https://proceedings.example/dpo"}),
     "A One, B Two and C Three (2023). Direct Preference Optimization. NeurIPS. https://proceedings.example/dpo"),
    (paper(title="Why?", venue="Workshop", issue="2", pages="7"), "Why? Workshop no. 2, 7."),
    (paper(title="A Guide", year=2024), "A Guide (2024)."),
])
def test_plain_reference(record, text):
    assert cite.plain_reference(record) == text


@pytest.mark.parametrize("url, pdf", [
    ("https://arxiv.org/abs/2305.18290", "https://arxiv.org/pdf/2305.18290"),
    ("https://arxiv.org/abs/2305.18290v3", "https://arxiv.org/pdf/2305.18290"),
    ("https://arxiv.org/abs/hep-th/9901001", "https://arxiv.org/pdf/hep-th/9901001"),
    ("https://arxiv.org/abs/math.GT/0309136", "https://arxiv.org/pdf/math.GT/0309136"),
    ("https://example.org/abs/2305.18290", None),
    (None, None),
])
def test_the_pdf_comes_from_the_arxiv_link_only(url, pdf):
    assert cite.arxiv_pdf(url) == pdf


def test_the_citations_section_is_checked(make_content):
    root = make_content({"a.yaml": {"title": "A", "type": "adjacent"}})
    taxonomy = root / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text("utf-8") + "  prefixes: [x]\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(root)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 1 and "citations.prefixes: unknown key" in messages[0], messages


def test_a_taxonomy_without_citations_still_cites(make_content):
    root = make_content({"a.yaml": {"title": "A", "type": "adjacent"}})
    taxonomy = root / "taxonomy.yaml"
    text = taxonomy.read_text("utf-8")
    taxonomy.write_text(text[:text.index("\ncitations:")] + "\n", "utf-8")
    content = load_content(root)
    assert content.taxonomy.citations == CitationWords()
    assert cite.citation_keys(content.papers, content.taxonomy.citations) == {"a": "a"}

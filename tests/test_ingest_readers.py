"""The importer's readers: listing text, BibTeX and arXiv Atom, with their edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ingest.extraction import load_rules
from generator.ingest.readers import SourceError, detect_format, read_atom, read_bibtex, read_listing, read_source

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "ingest"
SEED = ROOT / "content" / "sources" / "000_b97b4739e75d05be.txt"

ABSTRACT_A = ("We propose AlphaAlign, which aligns chat models with human preferences. It needs no reward "
              "model and beats RLHF on two benchmarks.")
ABSTRACT_B = ("Entity alignment finds entities that denote the same thing in two knowledge graphs. We "
              "introduce BetaEA, which compares names and attributes.")


@pytest.fixture(scope="module")
def rules():
    return load_rules(ROOT / "content")


def titles(result):
    return [p.title for p in result.papers]


def test_seed_listing_gives_49_papers_without_chrome(rules):
    form, result = read_source(SEED, rules)
    assert form == "listing"
    assert len(result.papers) == 49
    assert result.warnings == []
    assert result.papers[0].title == "Efficient Alignment of Large Language Models via Data Sampling"
    assert result.papers[-1].title.startswith("Tradeoffs Between Alignment and Helpfulness")
    for paper in result.papers:
        assert paper.abstract and len(paper.abstract) > 200
        assert paper.title not in {"new", "Subscribe", "Jul 25"}


def test_crlf_trailing_spaces_blank_lines_and_date_headers(rules):
    text = (f"new\r\n\r\nSubscribe  \r\n\r\nJul 25\r\n\r\nAlphaAlign: Reward-Free Alignment   \r\n\r\n\r\n\r\n"
            f"{ABSTRACT_A}   \r\n\r\nJul 24, 2024\r\n\r\nBetaEA: Names and Attributes\r\n\r\n{ABSTRACT_B}\r\n")
    result = read_listing(text, "x.txt", rules)
    assert titles(result) == ["AlphaAlign: Reward-Free Alignment", "BetaEA: Names and Attributes"]
    assert result.papers[0].abstract == ABSTRACT_A
    assert result.papers[1].abstract == ABSTRACT_B
    assert result.papers[1].origin == "x.txt:15"
    assert result.warnings == []


def test_cut_off_listing_skips_the_last_title_with_a_warning(rules):
    result = read_listing(f"AlphaAlign: Reward-Free Alignment\n\n{ABSTRACT_A}\n\nA Title Cut Off Here\n", "x.txt", rules)
    assert titles(result) == ["AlphaAlign: Reward-Free Alignment"]
    assert result.papers[0].abstract == ABSTRACT_A
    assert result.warnings == ["x.txt:5: title 'A Title Cut Off Here' has no abstract (the listing ends); skipped"]


def test_title_without_abstract_in_the_middle_is_never_joined_to_a_neighbour(rules):
    text = f"Lonely Title Without Abstract\n\nAlphaAlign: Reward-Free Alignment\n\n{ABSTRACT_A}\n"
    result = read_listing(text, "x.txt", rules)
    assert titles(result) == ["AlphaAlign: Reward-Free Alignment"]
    assert result.papers[0].abstract == ABSTRACT_A
    assert "Lonely Title Without Abstract" in result.warnings[0]


def test_abstract_without_title_is_skipped(rules):
    result = read_listing(f"{ABSTRACT_A}\n\nBetaEA: Names\n\n{ABSTRACT_B}\n", "x.txt", rules)
    assert titles(result) == ["BetaEA: Names"]
    assert result.warnings[0].startswith("x.txt:1: a paragraph with no title before it")


def test_title_and_abstract_without_blank_line_and_wrapped_abstract(rules):
    wrapped = "We propose AlphaAlign, which aligns chat models with\nhuman preferences. It needs no reward model and\nbeats RLHF on two benchmarks."
    result = read_listing(f"AlphaAlign: Reward-Free Alignment\n{wrapped}\n", "x.txt", rules)
    assert titles(result) == ["AlphaAlign: Reward-Free Alignment"]
    assert result.papers[0].abstract == wrapped.replace("\n", " ")


def test_question_titles_and_one_sentence_abstracts(rules):
    text = "Mix Data or Merge Models? Balancing Two Goals\n\nWe compare data mixing with model merging.\n"
    result = read_listing(text, "x.txt", rules)
    assert titles(result) == ["Mix Data or Merge Models? Balancing Two Goals"]
    assert result.papers[0].abstract == "We compare data mixing with model merging."


def test_bibtex_fields_accents_braces_and_latex_url_leftovers(rules):
    form, result = read_source(DATA / "sample.bib", rules)
    assert form == "bibtex"
    first, second = result.papers
    assert first.title == "PrefMix: Preference Optimization for Large Language Models with Müller's Trick"
    assert first.authors == ["Jörg Müller", "Ana García"]
    assert first.year == 2024 and first.venue == "Journal of Example Studies"
    assert first.urls == ["https://doi.org/10.5555/example.2024.7", "https://arxiv.org/abs/2401.99999"]
    assert "by 5% with 50% less data" in first.abstract
    assert first.abstract.endswith("Code: https://github.com/example/prefmix.")
    assert second.title == "Entity Alignment Across Knowledge Graphs with Étude Embeddings"
    assert second.venue == "Proceedings of the Example Conference" and second.year == 2023
    assert second.urls == ["http://www.example.org/papers/etude"]
    assert result.warnings == [f"{DATA.relative_to(ROOT) / 'sample.bib'}:22: entry 'notitle2022' has no title; skipped"]


def test_atom_ids_lose_their_version_and_fields_are_read(rules):
    form, result = read_source(DATA / "arxiv.xml", rules)
    assert form == "arxiv"
    first, second = result.papers
    assert first.title == "CTCBoost: Sharper Frame Alignments for Streaming Speech Recognition"
    assert first.urls == ["https://arxiv.org/abs/2402.99998", "https://doi.org/10.5555/example.ctc"]
    assert first.authors == ["Ana Example", "Bo Sample"] and first.year == 2024
    assert "We propose CTCBoost" in first.abstract
    assert second.urls == ["https://arxiv.org/abs/hep-th/9901001"]


def test_atom_with_entity_declarations_is_refused(rules):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol2;</title></entry></feed>')
    with pytest.raises(SourceError, match="DOCTYPE or ENTITY"):
        read_atom(bomb, "bomb.xml", rules)


def test_broken_xml_and_wrong_root_are_source_errors(rules):
    with pytest.raises(SourceError, match="not well-formed"):
        read_atom("<feed><entry>", "x.xml", rules)
    with pytest.raises(SourceError, match="not an Atom feed"):
        read_atom("<html></html>", "x.xml", rules)


def test_detect_format_by_extension_and_content():
    assert detect_format("anything", Path("refs.bib")) == "bibtex"
    assert detect_format("anything", Path("feed.xml")) == "arxiv"
    assert detect_format("\ufeff<?xml version='1.0'?><feed/>", Path("x.txt")) == "arxiv"
    assert detect_format("% comment\n@article{k, title={T}}", Path("x.txt")) == "bibtex"
    assert detect_format("A Title\n\nAn abstract.", Path("x.txt")) == "listing"


def test_unreadable_sources_raise_source_error(rules, tmp_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(SourceError, match="not UTF-8"):
        read_source(binary, rules)
    with pytest.raises(SourceError, match="cannot read"):
        read_source(tmp_path / "missing.txt", rules)


def test_bibtex_parse_failure_is_a_warning(rules):
    result = read_bibtex("@article{k1, title = {Good One}, abstract={We study things.}}\n@article{broken, title = {unclosed\n", "b.bib", rules)
    assert titles(result) == ["Good One"]
    assert any("b.bib" in w for w in result.warnings)


def test_seed_listing_reads_the_same_when_wrapped_joined_and_crlf(rules):
    import textwrap

    text = SEED.read_text("utf-8")
    expected = [(p.title, p.abstract) for p in read_listing(text, "x", rules).papers]

    def wrap(block):
        return textwrap.fill(block, 78, break_on_hyphens=False, break_long_words=False) if len(block) > 250 else block

    joined: list[str] = []
    for block in text.split("\n\n"):
        if len(block) > 250 and joined and len(joined[-1]) < 250:
            joined[-1] += "\n" + wrap(block)
        else:
            joined.append(block)
    variants = ["\n\n".join(wrap(b) for b in text.split("\n\n")), "\r\n\r\n\r\n".join(joined).replace("\n", "\r\n")]
    for variant in variants:
        result = read_listing(variant, "x", rules)
        assert [(p.title, " ".join(p.abstract.split())) for p in result.papers] == [(t, " ".join(a.split())) for t, a in expected]
        assert result.warnings == []


def test_title_with_a_closing_full_stop_before_an_abstract(rules):
    text = f"Attention Is Not All You Need.\n\n{ABSTRACT_A}\n\nBetaEA: Names\n\n{ABSTRACT_B}\n"
    result = read_listing(text, "x.txt", rules)
    assert titles(result) == ["Attention Is Not All You Need.", "BetaEA: Names"]
    assert result.papers[0].abstract == ABSTRACT_A and result.warnings == []


def test_short_abstract_of_a_pending_title_stays_its_abstract(rules):
    text = f"AlphaAlign: Reward-Free Alignment\n\nWe align chat models.\n\n{ABSTRACT_B}\n"
    result = read_listing(text, "x.txt", rules)
    assert [(p.title, p.abstract) for p in result.papers] == [("AlphaAlign: Reward-Free Alignment", "We align chat models.")]
    assert result.warnings[0].startswith("x.txt:5: a paragraph with no title before it")

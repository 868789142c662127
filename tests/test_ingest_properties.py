"""Property-based tests of the listing reader (``generator.ingest.readers.read_listing``): no text crashes
it, it gives only papers and warnings, each title is one line, and it invents no words.

Examples are derandomized and the example database is off, so every run checks the same inputs.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest.extraction import load_rules
from generator.ingest.readers import RawPaper, SourceRead, read_listing

from conftest import ROOT, examples

RULES = load_rules(ROOT / "content")
MODEST = settings(max_examples=examples(150))

TITLES = ["AlphaAlign: Reward-Free Alignment", "Entity Alignment with Names", "Why Align?", "DPO",
          "A Title Cut Off Here", "Qwen2 Technical Report", "<script>alert(1)</script> Align", "Ünïcödé Titles"]
TITLE_CASED = [title for title in TITLES if "<" not in title]
"""Titles that read as titles even with their abstract on the next line (no blank line between)."""
ABSTRACTS = ["We propose AlphaAlign, which aligns chat models with human preferences. It beats RLHF.",
             "Entity alignment finds entities that denote the same thing in two knowledge graphs.",
             "One sentence abstract.", "short words here"]
BREAKS = ["\n\n", "\n\n", "\n", "\r\n\r\n", "\n \n", "\u2028", "\x85", "\x0b", "\x0c", "\x1c", " ", "\r",
          "\nSubscribe\n", "\nNov 24\n"]
"""What separates pieces of a listing: blank lines, line breaks of every kind, chrome and dates."""
OTHER = [" ", "\t", "\r", "\r\n", "\n", "\u2028", "\x0b", "\x0c", "\x1c", "\x85", "\ufeff", "Subscribe", "new",
         "Nov 24", "Jan 1", "---", "# heading", "1.", "https://github.com/a/b", "arXiv:2305.18290", "\x00", "é"]


def check(text: str) -> SourceRead:
    result = read_listing(text, "listing.txt", RULES)
    assert isinstance(result, SourceRead)
    assert all(isinstance(paper, RawPaper) for paper in result.papers)
    for warning in result.warnings:  # printed one a line
        assert warning.startswith("listing.txt:") and len(warning.splitlines()) == 1, repr(warning)
    source_words = " ".join(text.split())
    for paper in result.papers:
        assert paper.title and paper.title == paper.title.strip()
        assert len(paper.title.splitlines()) == 1, repr(paper.title)
        assert paper.origin.startswith("listing.txt:")
        assert " ".join(paper.title.split()) in source_words  # nothing invented, nothing reordered
        assert paper.abstract and " ".join(paper.abstract.split()) in source_words
    return result


@MODEST
@given(st.text(max_size=600))
def test_random_text_gives_only_papers_and_warnings(text):
    check(text)


@MODEST
@given(st.lists(st.tuples(st.sampled_from(TITLES + ABSTRACTS + TITLES + ABSTRACTS + OTHER), st.sampled_from(BREAKS)),
                max_size=30).map(lambda parts: "".join(piece + gap for piece, gap in parts)))
def test_listing_like_text_gives_one_line_titles_from_the_text(text):
    check(text)


@MODEST
@given(st.lists(st.tuples(st.sampled_from(TITLE_CASED), st.sampled_from(ABSTRACTS[:3]), st.sampled_from(["\n", "\n\n", "\r\n\r\n"])),
                min_size=1, max_size=8))
def test_titles_each_followed_by_its_abstract_give_every_paper_in_order(entries):
    text = "\n\n".join(f"{title}{gap}{abstract}" for title, abstract, gap in entries)
    result = check(text)
    assert [(paper.title, paper.abstract) for paper in result.papers] == [(t, a) for t, a, _ in entries]
    assert result.warnings == []

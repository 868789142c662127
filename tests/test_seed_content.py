"""The shipped seed content: the 49 curated records agree with the listing they came from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.content.links import canonical_url
from generator.content.records import load_content
from generator.content.taxonomy import TYPE_IDS
from generator.text import one_line, slug

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LISTING = CONTENT / "sources" / "000_b97b4739e75d05be.txt"
PAGE_CHROME = {"new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community"}
DATE_HEADER = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}$")
URL = re.compile(r"https?://\S+")


def listing_papers() -> list[tuple[str, str]]:
    """(title, abstract) pairs of the seed listing: blocks between blank lines, chrome and dates dropped."""
    text = LISTING.read_text("utf-8").replace("\r\n", "\n")
    blocks = [one_line(b) for b in re.split(r"\n\s*\n", text)]
    blocks = [b for b in blocks if b and b not in PAGE_CHROME and not DATE_HEADER.match(b)]
    assert len(blocks) % 2 == 0, "the listing should alternate title and abstract"
    return list(zip(blocks[0::2], blocks[1::2]))


def cleaned_url(url: str) -> str:
    """A URL as found in the listing, cleaned as a curator would, in canonical form."""
    repeated = re.fullmatch(r"(https?://[^{}]+)\{\1\}", url)
    if repeated:
        url = repeated.group(1)
    url = url.rstrip(".")
    if url.endswith(".git"):
        url = url[: -len(".git")]
    return canonical_url(url)


@pytest.fixture(scope="module")
def content():
    loaded = load_content(CONTENT)
    assert not loaded.problems, "\n".join(str(p) for p in loaded.problems)
    return loaded


@pytest.fixture(scope="module")
def papers_by_id(content):
    return {p.id: p for p in content.papers}


def test_url_cleaning_handles_the_listing_traps():
    assert cleaned_url("https://github.com/yeruimeng/WTS.git.") == "https://github.com/yeruimeng/WTS"
    assert cleaned_url("https://github.com/a/b{https://github.com/a/b}") == "https://github.com/a/b"
    assert cleaned_url("https://huggingface.co/THUDM.") == "https://huggingface.co/THUDM"


def test_listing_has_49_papers_and_14_urls():
    papers = listing_papers()
    assert len(papers) == 49
    assert len(URL.findall(LISTING.read_text("utf-8"))) == 14


def test_one_record_per_listed_paper(papers_by_id):
    assert len(list((CONTENT / "papers").glob("*.yaml"))) == 49
    assert set(papers_by_id) == {slug(title) for title, _ in listing_papers()}


def test_titles_and_abstracts_are_the_listing_text(papers_by_id):
    for title, abstract in listing_papers():
        paper = papers_by_id[slug(title)]
        assert paper.title == title
        assert one_line(paper.abstract or "") == abstract, paper.id


def test_validate_and_fmt_check_pass(atlas):
    validated = atlas("validate", "--content", str(CONTENT))
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "ok: 49 record(s) valid" in validated.stdout
    formatted = atlas("fmt", "--check", "--content", str(CONTENT))
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_every_listing_url_is_in_its_papers_links(papers_by_id):
    for title, abstract in listing_papers():
        links = set(papers_by_id[slug(title)].links.values())
        for url in URL.findall(abstract):
            assert cleaned_url(url) in links, (slug(title), url)


def test_no_record_has_a_link_the_listing_does_not_give(content):
    """Besides the listing's own links, a record has only its arXiv page, whose source its notes name."""
    given = {cleaned_url(u) for u in URL.findall(LISTING.read_text("utf-8"))}
    for paper in content.papers:
        for kind, url in paper.links.items():
            if kind == "arxiv":
                continue
            assert url in given, f"{paper.id}: links.{kind} {url} is not in the listing"


ARXIV_ABS = re.compile(r"^https://arxiv\.org/abs/(?P<id>(?P<yymm>\d{4})\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})$")


def test_every_record_links_its_arxiv_page_once(content):
    """arXiv links are well formed (no version), unique, and the notes name the page they came from."""
    seen = {}
    for paper in content.papers:
        url = paper.links.get("arxiv")
        assert url, f"{paper.id}: no arXiv link"
        match = ARXIV_ABS.match(url)
        assert match, f"{paper.id}: {url} is not https://arxiv.org/abs/ID without a version"
        assert url not in seen, f"{paper.id} and {seen.get(url)} both link {url}"
        seen[url] = paper.id
        assert match.group("id") in (paper.notes or ""), f"{paper.id}: notes do not name the page of {url}"


def test_every_record_has_authors_and_the_year_of_its_first_version(content):
    """The year is the first arXiv version's: a new-style id starts with that year's last two digits
    (or, for a paper submitted at the turn of a year, the notes say why it differs)."""
    for paper in content.papers:
        assert paper.authors and all(a.strip() for a in paper.authors), f"{paper.id}: no authors"
        assert isinstance(paper.year, int) and 1990 <= paper.year <= 2026, f"{paper.id}: year {paper.year!r}"
        notes = (paper.notes or "").casefold()
        assert "author" in notes and "year" in notes, f"{paper.id}: notes do not name the source of authors and year"
        if paper.venue:
            assert "venue" in notes or paper.venue.casefold() in notes, f"{paper.id}: notes do not name the source of the venue"
        match = ARXIV_ABS.match(paper.links.get("arxiv", ""))
        if match and match.group("yymm"):
            assert paper.year == 2000 + int(match.group("yymm")[:2]), f"{paper.id}: year {paper.year} but arXiv id {match.group('id')}"


def test_links_are_classified_by_kind(content):
    expected_kind = [
        (re.compile(r"^https://arxiv\.org/abs/"), "arxiv"),
        (re.compile(r"^https://(github\.com|gitlab\.com|anonymous\.4open\.science)/"), "code"),
        (re.compile(r"^https://huggingface\.co/datasets/"), "dataset"),
        (re.compile(r"^https://huggingface\.co/spaces/"), "demo"),
        (re.compile(r"^https://huggingface\.co/"), "model"),
    ]
    for paper in content.papers:
        for kind, url in paper.links.items():
            wanted = next(k for pattern, k in expected_kind if pattern.match(url))
            assert kind == wanted, f"{paper.id}: {url} filed as {kind}, expected {wanted}"


def test_types_are_the_eight_and_the_seeds_span_them(content):
    used = {p.type for p in content.papers}
    assert used <= set(TYPE_IDS)
    assert used == set(TYPE_IDS), f"no seed paper of type {set(TYPE_IDS) - used}"


@pytest.mark.parametrize(
    "title_start, expected_type",
    [
        ("Embed-Search-Align", "sequence-alignment"),
        ("LLM-Align", "entity-alignment"),
        ("Exploring Optimal Transport-Based", "multimodal-alignment"),
        ("Dynamic Gradient Alignment", "gradient-alignment"),
        ("Align With Purpose", "speech-alignment"),
        ("Diverse Beam Search", "adjacent"),
        ("CHIME", "adjacent"),
        ("Science Hierarchography", "adjacent"),
        ("Varco Arena", "adjacent"),
        ("Read, Highlight and Summarize", "adjacent"),
        ("The Unlocking Spell on Base LLMs", "llm-alignment"),
    ],
)
def test_papers_that_share_the_word_get_their_own_sense(content, title_start, expected_type):
    matches = [p for p in content.papers if p.title.startswith(title_start)]
    assert len(matches) == 1, title_start
    assert matches[0].type == expected_type


def test_every_record_has_a_summary_task_and_known_tags(content):
    tasks = {t.title for t in content.taxonomy.tasks.values()}
    for paper in content.papers:
        assert paper.summary and len(paper.summary) <= 600, paper.id
        assert paper.summary not in (paper.abstract or ""), paper.id
        assert paper.task in tasks, f"{paper.id}: task {paper.task!r} is not in the vocabulary"
        assert paper.tags and set(paper.tags) <= set(content.taxonomy.tags), paper.id
        assert paper.added == "2026-11-24", paper.id

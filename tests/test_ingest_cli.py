"""`atlas ingest` and `atlas new --from` through the real command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "ingest"
SEED = ROOT / "content" / "sources" / "000_b97b4739e75d05be.txt"


@pytest.fixture
def content(make_content):
    """A content folder with the shipped taxonomy and reading rules, and no papers."""
    root = make_content({})
    shutil.copy(ROOT / "content" / "extraction.yaml", root / "extraction.yaml")
    return root


def records(root: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted((root / "papers").glob("*.yaml"))}


def test_ingest_seed_listing_writes_valid_canonical_records(atlas, content):
    done = atlas("ingest", str(SEED), "--content", str(content))
    assert done.returncode == 0, done.stderr
    assert "49 record(s) created, 0 skipped as already present, 0 could not be read" in done.stdout
    assert len(records(content)) == 49
    assert atlas("validate", "--content", str(content)).returncode == 0
    check = atlas("fmt", "--check", "--content", str(content))
    assert check.returncode == 0, check.stdout + check.stderr


def test_reingest_skips_and_never_touches_an_edited_record(atlas, content):
    source = DATA / "listing_crlf.txt"
    assert atlas("ingest", str(source), "--content", str(content)).returncode == 0
    path = content / "papers" / "gradmatch-domain-weights-from-gradient-alignment.yaml"
    edited = path.read_text("utf-8").replace("type: gradient-alignment", "type: adjacent") + "summary: Edited by hand.\n"
    path.write_text(edited, "utf-8")
    before = records(content)
    again = atlas("ingest", str(source), "--content", str(content))
    assert again.returncode == 0
    assert "is already gradmatch-domain-weights-from-gradient-alignment" in again.stdout
    assert "0 record(s) created, 2 skipped as already present" in again.stdout
    assert records(content) == before
    assert path.read_text("utf-8") == edited


def test_dry_run_writes_nothing_and_explain_shows_cues(atlas, content):
    done = atlas("ingest", str(DATA / "arxiv.xml"), "--content", str(content), "--dry-run", "--explain")
    assert done.returncode == 0, done.stderr
    assert records(content) == {}
    assert "would create" in done.stdout and "ctcboost-sharper-frame-alignments" in done.stdout
    assert "type speech-alignment: speech-alignment" in done.stdout
    assert "method CTCBoost: title prefix before ':'" in done.stdout
    assert "2 record(s) would be created" in done.stdout


def test_duplicates_within_one_import_are_skipped(atlas, content, tmp_path):
    source = tmp_path / "twice.txt"
    entry = "AlphaAlign: Reward-Free Alignment\n\nWe propose AlphaAlign, which aligns chat models with human preferences.\n\n"
    source.write_text(entry + entry.replace("AlphaAlign: Reward-Free", "alphaalign -- reward free"), "utf-8")
    done = atlas("ingest", str(source), "--content", str(content))
    assert "1 record(s) created, 1 skipped as already present" in done.stdout
    assert "is already alphaalign-reward-free-alignment" in done.stdout


def test_exit_codes_and_unreadable_sources(atlas, content, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><feed/>', "utf-8")
    only_bad = atlas("ingest", str(bad), str(tmp_path / "missing.txt"), "--content", str(content))
    assert only_bad.returncode == 1
    assert "could not read" in only_bad.stderr and "DOCTYPE" in only_bad.stderr
    assert "nothing could be read" in only_bad.stderr
    mixed = atlas("ingest", str(bad), str(DATA / "sample.bib"), "--content", str(content))
    assert mixed.returncode == 0
    assert "2 record(s) created" in mixed.stdout and "1 could not be read" in mixed.stdout
    assert "warning:" in mixed.stderr and "notitle2022" in mixed.stderr
    assert atlas("ingest", "--content", str(content)).returncode == 2
    assert atlas("ingest", str(SEED), "--format", "rss", "--content", str(content)).returncode == 2


def test_forced_format(atlas, content, tmp_path):
    source = tmp_path / "refs.txt"
    source.write_text((DATA / "sample.bib").read_text("utf-8"), "utf-8")
    done = atlas("ingest", str(source), "--format", "bibtex", "--dry-run", "--content", str(content))
    assert "2 paper(s) read as bibtex" in done.stdout


def test_missing_rules_file_is_reported(atlas, make_content):
    root = make_content({}, name="norules")
    done = atlas("ingest", str(SEED), "--content", str(root))
    assert done.returncode == 1
    assert "extraction.yaml:1: missing" in done.stderr


def test_new_from_fills_the_record_for_review(atlas, content, tmp_path):
    abstract = tmp_path / "abstract.txt"
    abstract.write_text("We propose SeqMap, a read aligner that maps DNA sequencing reads to a reference genome. "
                        "Code: https://github.com/example/seqmap.git.\r\n", "utf-8")
    done = atlas("new", "SeqMap: Fast Read Alignment", "--from", str(abstract), "--content", str(content))
    assert done.returncode == 0, done.stderr
    text = (content / "papers" / "seqmap-fast-read-alignment.yaml").read_text("utf-8")
    assert "type: sequence-alignment" in text and "method: SeqMap" in text and "task: read alignment" in text
    assert "code: https://github.com/example/seqmap\n" in text
    assert "notes: imported by atlas new --from; review method, task, type and tags" in text
    assert atlas("validate", "--content", str(content)).returncode == 0
    again = atlas("new", "SeqMap: fast read alignment", "--from", str(abstract), "--content", str(content))
    assert again.returncode == 1 and "already in the atlas as seqmap-fast-read-alignment" in again.stderr


def test_new_from_a_listing_entry_and_bibtex(atlas, content):
    listing = atlas("new", "GradMatch: Domain Weights from Gradient Alignment", "--from", str(DATA / "listing_crlf.txt"), "--content", str(content))
    assert listing.returncode == 0, listing.stderr
    record = yaml.safe_load((content / "papers" / "gradmatch-domain-weights-from-gradient-alignment.yaml").read_text("utf-8"))
    assert record["abstract"].startswith("We propose GradMatch, which sets data mixing weights")
    assert record["method"] == "GradMatch" and record["type"] == "gradient-alignment"
    bib = atlas("new", "Entity Alignment Across Knowledge Graphs with Étude Embeddings", "--from", str(DATA / "sample.bib"), "--content", str(content))
    assert bib.returncode == 0, bib.stderr
    assert "type: entity-alignment" in (content / "papers" / "entity-alignment-across-knowledge-graphs-with-etude-embeddings.yaml").read_text("utf-8")


def test_new_from_refuses_a_record_that_would_not_validate(atlas, content, tmp_path):
    abstract = tmp_path / "long.txt"
    abstract.write_text("We propose LongThing. " * 1500, "utf-8")
    done = atlas("new", "LongThing: Too Long", "--from", str(abstract), "--content", str(content))
    assert done.returncode == 1
    assert "abstract:" in done.stderr
    assert records(content) == {}


def test_a_title_variant_of_a_known_paper_is_skipped_naming_it(atlas, content, tmp_path):
    assert atlas("ingest", str(SEED), "--content", str(content)).returncode == 0
    before = records(content)
    variant = tmp_path / "variant.txt"
    variant.write_text(
        "Efficient alignment of large language models via data-sampling\n\n"
        "LLM alignment ensures that large language models behave safely. We study how alignment "
        "performance scales with data and propose an information-theoretic subset selection.\n",
        "utf-8",
    )
    done = atlas("ingest", str(variant), "--content", str(content))
    assert done.returncode == 0, done.stderr
    assert "is already efficient-alignment-of-large-language-models-via-data-sampling (score" in done.stdout
    assert "0 record(s) created, 1 skipped as already present" in done.stdout
    assert records(content) == before

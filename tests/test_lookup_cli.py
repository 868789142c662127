"""`atlas new IDENTIFIER` and `atlas enrich` through the real command line, against recorded
arXiv and Crossref answers served on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import GOOD
from lookup_server import ATOM, BIG, HANG, JSON, TEXT, recorded, serve
from test_lookup import closed_port_url, offline  # noqa: F401 - offline: both endpoints on a closed port in every test

ROOT = Path(__file__).resolve().parent.parent
DPO = "/api/query?id_list=2305.18290"
CAI = "/api/query?id_list=2212.08073"
MINIMAP_DOI = "/works/10.1093/bioinformatics/bty191"
RECORDED = {
    DPO: [(200, ATOM, recorded("arxiv_2305.18290.xml"))],
    CAI: [(200, ATOM, recorded("arxiv_2212.08073.xml"))],
    MINIMAP_DOI: [(200, JSON, recorded("crossref_10.1093_bioinformatics_bty191.json"))],
}


@pytest.fixture
def content(make_content):
    """A content folder with the shipped taxonomy and reading rules, and no papers."""
    root = make_content({})
    shutil.copy(ROOT / "content" / "extraction.yaml", root / "extraction.yaml")
    return root


@pytest.fixture
def run(atlas):
    """``run(routes, *args)``: the atlas command with both endpoints on a recorded-answer server
    (routes None: on a closed port, so no default endpoint can ever be reached)."""

    def call(routes, *args):
        if routes is None:
            dead = closed_port_url()
            return atlas(*args, env={"ATLAS_ARXIV_API": dead + "/api/query", "ATLAS_CROSSREF_API": dead}), None
        with serve(routes) as server:
            done = atlas(*args, env={"ATLAS_ARXIV_API": server.url + "/api/query", "ATLAS_CROSSREF_API": server.url,
                                     "ATLAS_MAILTO": "curator@example.org"})
            return done, server

    return call


def files(root: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted((root / "papers").glob("*.yaml"))}


@pytest.mark.parametrize("identifier, name, expected", [
    ("2305.18290", "direct-preference-optimization-your-language-model-is-secretly-a-reward-model.yaml",
     {"year": 2023, "authors": ["Rafael Rafailov", "Archit Sharma", "Eric Mitchell", "Stefano Ermon",
                                "Christopher D. Manning", "Chelsea Finn"],
      "links": {"arxiv": "https://arxiv.org/abs/2305.18290"}, "type": "llm-alignment"}),
    ("https://arxiv.org/abs/2212.08073v1", "constitutional-ai-harmlessness-from-ai-feedback.yaml",
     {"year": 2022, "links": {"arxiv": "https://arxiv.org/abs/2212.08073"}, "type": "llm-alignment"}),
    ("10.1093/bioinformatics/bty191", "minimap2-pairwise-alignment-for-nucleotide-sequences.yaml",
     {"year": 2018, "authors": ["Heng Li"], "venue": "Bioinformatics", "volume": "34", "issue": "18", "pages": "3094-3100",
      "type": "sequence-alignment"}),
])
def test_new_by_identifier_writes_a_complete_valid_record(run, atlas, content, identifier, name, expected):
    done, server = run(RECORDED, "new", identifier, "--content", str(content))
    assert done.returncode == 0, done.stderr
    assert list(files(content)) == [name]
    record = yaml.safe_load(files(content)[name])
    for key, value in expected.items():
        assert record[key] == value, key
    assert record["abstract"] and record["tags"] and record["added"]
    assert "review method, task, type and tags" in record["notes"]
    assert ("from the arXiv API entry" if "arxiv" in record["links"] else "from Crossref 10.1093/bioinformatics/bty191") in record["notes"]
    assert len(server.requests) == 1
    check = atlas("validate", "--content", str(content))
    assert check.returncode == 0, check.stdout + check.stderr
    assert atlas("fmt", "--check", "--content", str(content)).returncode == 0


def test_a_doi_record_links_the_doi_and_the_publishers_page(run, content):
    done, _ = run(RECORDED, "new", "https://doi.org/10.1093/bioinformatics/bty191", "--content", str(content))
    assert done.returncode == 0, done.stderr
    record = yaml.safe_load(next(iter(files(content).values())))
    assert record["links"]["doi"] == "https://doi.org/10.1093/bioinformatics/bty191"
    assert record["links"]["paper"] == "https://academic.oup.com/bioinformatics/article/34/18/3094/4994778"
    assert "Motivation: Long reads" in record["abstract"] and "<" not in record["abstract"]


@pytest.mark.parametrize("routes, identifier, message", [
    ({DPO: [(200, ATOM, recorded("arxiv_empty.xml"))]}, "2305.18290", "unknown arXiv id (no entry)"),
    ({"/api/query?id_list=1234.5678": [(400, ATOM, recorded("arxiv_error.xml"))]}, "1234.5678",
     "unknown arXiv id (incorrect id format for 1234.5678)"),
    ({MINIMAP_DOI: [(404, TEXT, recorded("crossref_404.txt"))]}, "10.1093/bioinformatics/bty191",
     "unknown DOI (Crossref: Resource not found.)"),
    ({MINIMAP_DOI: [(500, TEXT, b"Internal Server Error")]}, "10.1093/bioinformatics/bty191", "the server answered HTTP 500"),
    ({DPO: [(429, {"Retry-After": "1"}, b"")]}, "2305.18290", "HTTP 429 (busy) 4 times; try again later"),
    ({DPO: [(200, ATOM, recorded("arxiv_entities.xml"))]}, "2305.18290", "refusing XML with a DOCTYPE or ENTITY declaration"),
    ({DPO: [(200, {"Content-Type": "text/html"}, b"<html><body>Down for maintenance</body></html>")]}, "2305.18290", "not an Atom feed"),
    ({MINIMAP_DOI: [(200, JSON, b"Service Unavailable")]}, "10.1093/bioinformatics/bty191", "the answer is not JSON"),
    ({MINIMAP_DOI: [BIG]}, "10.1093/bioinformatics/bty191", "over the 5 MB limit; refused"),
    (None, "2305.18290", "refused the connection"),
])
def test_every_failure_is_one_line_exit_1_and_nothing_written(run, content, routes, identifier, message):
    done, _ = run(routes, "new", identifier, "--content", str(content))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("atlas new: error: "), done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert files(content) == {}


def test_a_429_then_an_answer_is_retried(run, content):
    routes = {DPO: [(429, {"Retry-After": "1"}, b""), *RECORDED[DPO]]}
    done, server = run(routes, "new", "2305.18290", "--content", str(content))
    assert done.returncode == 0, done.stderr
    assert len(server.requests) == 2 and len(files(content)) == 1


def test_a_server_that_never_answers_is_given_up_on_after_the_request_timeout(run, content):
    done, _ = run({DPO: [HANG]}, "new", "2305.18290", "--content", str(content))
    assert done.returncode == 1
    assert done.stderr.strip().endswith("within 10 s") and "no answer from 127.0.0.1" in done.stderr
    assert files(content) == {}


def test_a_paper_already_in_the_atlas_is_named_and_not_written(run, content):
    (content / "papers" / "dpo.yaml").write_text(yaml.safe_dump(GOOD, sort_keys=False), "utf-8")
    before = files(content)
    done, server = run(RECORDED, "new", "https://arxiv.org/pdf/2305.18290v2", "--content", str(content))
    assert done.returncode == 1
    assert "arXiv 2305.18290 is already in the atlas as dpo (" in done.stderr and done.stderr.count("\n") == 1
    assert server.requests == []  # known by its identifier: no request at all
    assert files(content) == before


def test_a_duplicate_by_title_is_found_after_the_look_up(run, content):
    title_only = {"title": "Direct Preference Optimization: Your Language Model Is Secretly a Reward Model",
                  "type": "llm-alignment"}
    (content / "papers" / "dpo-title.yaml").write_text(yaml.safe_dump(title_only, sort_keys=False), "utf-8")
    before = files(content)
    done, server = run(RECORDED, "new", "2305.18290", "--content", str(content))
    assert done.returncode == 1
    assert "is already in the atlas as dpo-title" in done.stderr
    assert len(server.requests) == 1 and files(content) == before


def test_a_title_still_makes_a_blank_record_without_any_request(run, content):
    done, _ = run(None, "new", "Minimap2: pairwise alignment for nucleotide sequences", "--content", str(content))
    assert done.returncode == 0, done.stderr
    assert list(files(content)) == ["minimap2-pairwise-alignment-for-nucleotide-sequences.yaml"]


def _preprint(tmp: dict | None = None) -> dict:
    """A record of the Minimap2 preprint as a person wrote it: a title of their own, no year."""
    return {"title": "Minimap2: fast pairwise alignment for long nucleotide sequences", "type": "sequence-alignment",
            "summary": "Written by a person.", "links": {"doi": "https://doi.org/10.1093/bioinformatics/bty191"},
            **(tmp or {})}


def test_enrich_lists_additions_and_differences_and_changes_nothing(run, content):
    (content / "papers" / "minimap2.yaml").write_text(yaml.safe_dump(_preprint(), sort_keys=False), "utf-8")
    before = files(content)
    done, _ = run(RECORDED, "enrich", "--content", str(content))
    assert done.returncode == 0, done.stderr
    assert "would add year: 2018" in done.stdout
    assert "would add venue: 'Bioinformatics'" in done.stdout and "would add pages: '3094-3100'" in done.stdout
    assert "differs title: the record has 'Minimap2: fast pairwise alignment for long nucleotide sequences', " \
           "DOI 10.1093/bioinformatics/bty191 gives 'Minimap2: pairwise alignment for nucleotide sequences'" in done.stdout
    assert "nothing changed (run with --apply" in done.stdout
    assert files(content) == before


def test_enrich_apply_adds_missing_fields_only_and_keeps_what_a_person_wrote(run, atlas, content):
    (content / "papers" / "minimap2.yaml").write_text(yaml.safe_dump(_preprint({"year": 2017}), sort_keys=False), "utf-8")
    done, _ = run(RECORDED, "enrich", "--apply", "--content", str(content))
    assert done.returncode == 0, done.stderr
    record = yaml.safe_load(files(content)["minimap2.yaml"])
    assert record["title"] == "Minimap2: fast pairwise alignment for long nucleotide sequences"
    assert record["year"] == 2017 and record["summary"] == "Written by a person."
    assert (record["venue"], record["volume"], record["issue"], record["pages"]) == ("Bioinformatics", "34", "18", "3094-3100")
    assert record["authors"] == ["Heng Li"]
    assert record["links"]["paper"].startswith("https://academic.oup.com/")
    assert "added by atlas enrich on" in record["notes"] and "from Crossref 10.1093/bioinformatics/bty191" in record["notes"]
    assert "differs year: the record has 2017, DOI 10.1093/bioinformatics/bty191 gives 2018" in done.stdout
    assert "1 record(s) changed" in done.stdout
    assert atlas("validate", "--content", str(content)).returncode == 0
    again, _ = run(RECORDED, "enrich", "--apply", "--content", str(content))
    assert "0 record(s) changed" in again.stdout and "\n  adds " not in again.stdout


def test_enrich_leaves_a_record_with_comments_and_reports_failures(run, content):
    text = yaml.safe_dump(_preprint(), sort_keys=False) + "# keep this comment\n"
    (content / "papers" / "minimap2.yaml").write_text(text, "utf-8")
    other = dict(GOOD, links={"arxiv": "https://arxiv.org/abs/2212.08073"}, title="Constitutional AI: Harmlessness from AI Feedback")
    (content / "papers" / "cai.yaml").write_text(yaml.safe_dump(other, sort_keys=False), "utf-8")
    before = files(content)
    done, _ = run({MINIMAP_DOI: RECORDED[MINIMAP_DOI], CAI: [(503, {"Retry-After": "120"}, b"")]},
                  "enrich", "--apply", "--content", str(content))
    assert done.returncode == 1
    assert "not changed: left as it is: has a comment that fmt would drop" in done.stdout
    assert "cai.yaml: arXiv API, 2212.08073: the server answered HTTP 503 and asks to wait 120 s" in done.stdout
    assert "1 failed" in done.stdout
    assert files(content) == before

"""Looking papers up by identifier, offline: recorded arXiv and Crossref answers served on 127.0.0.1."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from lookup_server import ATOM, BIG, BIG_BYTES, DRIP, HANG, JSON, TEXT, recorded, serve
from generator.content.taxonomy import load_taxonomy
from generator.errors import LookupFailed, NotFound, UsageError
from generator.ingest import http, lookup
from generator.ingest.drafts import record_problems
from generator.ingest.extraction import load_rules
from generator.ingest.identifiers import Identifier, parse_identifier
from generator.ingest.lookup import look_up, record_for
from generator.ingest.normalize import normalize
from generator.ingest.readers import journal_ref_parts, read_atom, read_bibtex
from generator.ingest.untrusted import plain_text

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
DPO = "/api/query?id_list=2305.18290"
MINIMAP_DOI = "/works/10.1093/bioinformatics/bty191"


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class FakeTime:
    """A monotonic clock and a sleep that only advances it."""

    def __init__(self):
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """No test reaches a real API: both endpoints point at a closed local port unless a test
    points them at its own server. The arXiv limiter runs on a fake clock: it never sleeps."""
    dead = closed_port_url()
    monkeypatch.setenv("ATLAS_ARXIV_API", dead + "/api/query")
    monkeypatch.setenv("ATLAS_CROSSREF_API", dead)
    fake = FakeTime()
    monkeypatch.setattr(lookup, "ARXIV_LIMITER", http.RateLimiter(lookup.ARXIV_INTERVAL, clock=fake.clock, sleep=fake.sleep))
    return fake


@pytest.fixture
def api(monkeypatch):
    """``api(routes)`` starts a recorded-answer server and points both endpoints at it."""
    servers = []

    def start(routes: dict):
        context = serve(routes)
        server = context.__enter__()
        servers.append(context)
        monkeypatch.setenv("ATLAS_ARXIV_API", server.url + "/api/query")
        monkeypatch.setenv("ATLAS_CROSSREF_API", server.url)
        return server

    yield start
    for context in servers:
        context.__exit__(None, None, None)


@pytest.mark.parametrize("text, kind, value", [
    ("2305.18290", "arxiv", "2305.18290"),
    ("2305.18290v3", "arxiv", "2305.18290"),
    ("hep-th/9901001", "arxiv", "hep-th/9901001"),
    ("arXiv:2212.08073", "arxiv", "2212.08073"),
    ("https://arxiv.org/abs/2212.08073v1", "arxiv", "2212.08073"),
    ("https://arxiv.org/pdf/2305.18290v2.pdf", "arxiv", "2305.18290"),
    ("http://export.arxiv.org/pdf/2305.18290", "arxiv", "2305.18290"),
    ("arxiv.org/abs/hep-th/9901001v2", "arxiv", "hep-th/9901001"),
    ("10.1093/bioinformatics/bty191", "doi", "10.1093/bioinformatics/bty191"),
    ("doi:10.1093/Bioinformatics/bty191", "doi", "10.1093/bioinformatics/bty191"),
    ("https://doi.org/10.1093/bioinformatics/bty191", "doi", "10.1093/bioinformatics/bty191"),
    ("http://dx.doi.org/10.1093/bioinformatics/bty191", "doi", "10.1093/bioinformatics/bty191"),
    ("https://doi.org/10.48550/arXiv.2305.18290", "arxiv", "2305.18290"),
])
def test_identifiers_are_read_in_every_usual_spelling(text, kind, value):
    assert parse_identifier(text) == Identifier(kind, value)


def test_links_name_arxiv_ids_and_dois_as_the_importer_and_the_duplicate_check_read_them():
    from generator.content.links import arxiv_ids_and_dois
    from generator.dedupe.forms import make_record
    from generator.dedupe.rules import default_rules

    links = {"arxiv": "https://arxiv.org/abs/2305.18290", "doi": "https://doi.org/10.48550/arXiv.2212.08073",
             "paper": "https://doi.org/10.1002%2F0470841559.ch1", "other": "https://doi.org/10.1101/2020.01.01.123456"}
    arxivs, dois = arxiv_ids_and_dois(links.values())
    assert arxivs == {"2305.18290", "2212.08073"}
    assert dois == {"10.1002/0470841559.ch1", "10.1101/2020.01.01.123456"}
    record = make_record(type("P", (), {"id": "x", "title": "A title", "links": links})(), default_rules())
    assert record.arxiv == arxivs and record.dois == {"10.1002/0470841559.ch1"}  # bioRxiv's prefix is a preprint's


@pytest.mark.parametrize("text", ["Direct Preference Optimization", "DPO", "https://github.com/lh3/minimap2",
                                  "javascript:alert(1)", "2305.18290 and more", ""])
def test_titles_and_other_text_are_not_identifiers(text):
    assert parse_identifier(text) is None


@pytest.mark.parametrize("text", ["https://arxiv.org/abs/", "https://doi.org/10.1000/a%20b", "https://arxiv.org/list/cs.LG",
                                  "https://doi.org/10.1000/../../admin"])
def test_an_arxiv_or_doi_url_without_a_readable_identifier_is_a_usage_error(text):
    with pytest.raises(UsageError, match="cannot read an arXiv id or a DOI"):
        parse_identifier(text)


def test_journal_refs_give_volume_issue_and_pages_only_when_they_read_as_a_citation():
    assert journal_ref_parts("Bioinformatics 34(18):3094-3100 (2018)") == {
        "venue": "Bioinformatics", "volume": "34", "issue": "18", "pages": "3094-3100"}
    assert journal_ref_parts("Phys. Rev. D 76, 013009 (2007)") == {"venue": "Phys. Rev. D", "volume": "76", "pages": "013009"}
    assert journal_ref_parts("NeurIPS 2023") == {"venue": "NeurIPS 2023"}
    assert journal_ref_parts("J. High Energy Phys. 0510 (2005) 045") == {"venue": "J. High Energy Phys. 0510 (2005) 045"}


def test_atom_reader_takes_doi_journal_ref_and_the_first_versions_year():
    feed = recorded("arxiv_1708.01492.xml").decode().replace(
        "<arxiv:doi", "<arxiv:journal_ref xmlns:arxiv=\"http://arxiv.org/schemas/atom\">Bioinformatics 34(18):3094-3100 (2018)</arxiv:journal_ref><arxiv:doi")
    paper = read_atom(feed, "feed", None).papers[0]
    assert paper.year == 2017
    assert paper.urls == ["https://arxiv.org/abs/1708.01492", "https://doi.org/10.1093/bioinformatics/bty191"]
    assert (paper.venue, paper.volume, paper.issue, paper.pages) == ("Bioinformatics", "34", "18", "3094-3100")


def test_atom_reader_reports_the_arxiv_error_entry():
    read = read_atom(recorded("arxiv_error.xml").decode(), "feed", None)
    assert read.papers == []
    assert read.warnings == ["feed: entry 1: the arXiv API answered with an error: incorrect id format for 1234.5678"]


def test_bibtex_volume_number_pages_reach_the_record():
    bib = "@article{li2018, title={Minimap2: pairwise alignment for nucleotide sequences}, author={Li, Heng},\n" \
          " journal={Bioinformatics}, volume={34}, number={18}, pages={3094--3100}, year={2018}}\n"
    paper = read_bibtex(bib, "x.bib", None).papers[0]
    assert (paper.volume, paper.issue, paper.pages) == ("34", "18", "3094-3100")
    record = normalize(paper, load_taxonomy(CONTENT), load_rules(CONTENT)).record
    assert (record["volume"], record["issue"], record["pages"]) == ("34", "18", "3094-3100")


def test_rate_limiter_spaces_requests_three_seconds_apart_on_a_monotonic_clock():
    fake = FakeTime()
    limiter = http.RateLimiter(3.0, clock=fake.clock, sleep=fake.sleep)
    limiter.wait()
    fake.now += 1.0
    limiter.wait()
    fake.now += 5.0
    limiter.wait()
    assert fake.slept == [2.0]


def test_arxiv_requests_go_through_the_three_second_limiter(api, offline):
    api({DPO: [(200, ATOM, recorded("arxiv_2305.18290.xml"))]})
    look_up(parse_identifier("2305.18290"))
    look_up(parse_identifier("2305.18290"))
    assert offline.slept == [3.0]


def test_retry_after_reads_seconds_and_http_dates():
    assert http.retry_after("7") == 7.0
    assert http.retry_after("Wed, 02 Dec 2026 03:00:10 GMT", now=lambda: 1796180400.0) == 10.0
    assert http.retry_after("soon") is None and http.retry_after(None) is None


def test_requests_name_the_atlas_and_its_contact(api, monkeypatch):
    monkeypatch.setenv("ATLAS_MAILTO", "curator@example.org")
    server = api({DPO: [(200, ATOM, recorded("arxiv_2305.18290.xml"))]})
    look_up(parse_identifier("2305.18290v3"))
    path, headers = server.requests[0]
    assert path == DPO
    assert headers["User-Agent"].startswith("alignment-atlas/") and "mailto:curator@example.org" in headers["User-Agent"]


def test_429_then_success_waits_as_retry_after_asks(api):
    server = api({MINIMAP_DOI: [(429, {"Retry-After": "2"}, b""), (200, JSON, recorded("crossref_10.1093_bioinformatics_bty191.json"))]})
    fake = FakeTime()
    found = look_up(parse_identifier("10.1093/bioinformatics/bty191"), http.Session(clock=fake.clock, sleep=fake.sleep))
    assert found.paper.title == "Minimap2: pairwise alignment for nucleotide sequences"
    assert fake.slept == [2.0] and len(server.requests) == 2


def test_429_forever_gives_up_after_its_retries(api):
    server = api({MINIMAP_DOI: [(429, {"Retry-After": "1"}, b"")]})
    fake = FakeTime()
    with pytest.raises(LookupFailed, match=r"HTTP 429 \(busy\) 4 times; try again later"):
        look_up(parse_identifier("10.1093/bioinformatics/bty191"), http.Session(clock=fake.clock, sleep=fake.sleep))
    assert len(server.requests) == http.MAX_ATTEMPTS and fake.slept == [1.0, 1.0, 1.0]


def test_a_retry_after_beyond_the_budget_is_not_waited_for(api):
    api({MINIMAP_DOI: [(503, {"Retry-After": "120"}, b"")]})
    fake = FakeTime()
    with pytest.raises(LookupFailed, match="asks to wait 120 s, beyond the 30 s a look-up may take"):
        look_up(parse_identifier("10.1093/bioinformatics/bty191"), http.Session(clock=fake.clock, sleep=fake.sleep))
    assert fake.slept == []


def test_a_server_that_never_answers_is_given_up_on(api):
    api({DPO: [HANG]})
    started = time.monotonic()
    with pytest.raises(LookupFailed, match=r"no answer from 127\.0\.0\.1:\d+ within 0.5 s"):
        look_up(parse_identifier("2305.18290"), http.Session(timeout=0.5, budget=2))
    assert time.monotonic() - started < 3


def test_a_50_mb_body_is_refused_while_it_streams(api):
    server = api({MINIMAP_DOI: [BIG]})
    with pytest.raises(LookupFailed, match="over the 5 MB limit; refused"):
        look_up(parse_identifier("10.1093/bioinformatics/bty191"))
    time.sleep(0.2)
    assert server.sent_bytes < BIG_BYTES


def test_a_body_announced_over_5_mb_is_refused_before_it_is_read(api):
    api({MINIMAP_DOI: [(200, {**JSON, "Content-Length": str(60 * 1024 * 1024)}, b"{}")]})
    with pytest.raises(LookupFailed, match="the answer is 62,914,560 bytes, over the 5 MB limit"):
        look_up(parse_identifier("10.1093/bioinformatics/bty191"))


def test_an_answer_that_trickles_in_is_given_up_on_when_the_budget_ends(api):
    api({MINIMAP_DOI: [DRIP]})
    started = time.monotonic()
    with pytest.raises(LookupFailed, match=r"gave up after 1 s \(the answer was still arriving\)"):
        look_up(parse_identifier("10.1093/bioinformatics/bty191"), http.Session(timeout=0.5, budget=1))
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("route, answer, message", [
    (DPO, (200, ATOM, recorded("arxiv_empty.xml")), NotFound),
    (DPO, (200, ATOM, recorded("arxiv_entities.xml")), "refusing XML with a DOCTYPE or ENTITY declaration"),
    (DPO, (200, {"Content-Type": "text/html"}, b"<html><body>Maintenance</body></html>"), "not an Atom feed"),
    (DPO, (200, TEXT, b"Service moved"), "the answer is not Atom XML"),
    (DPO, (500, TEXT, b"oops"), "the server answered HTTP 500"),
])
def test_arxiv_failures_are_one_clear_error(api, route, answer, message):
    api({route: [answer]})
    expected = message if isinstance(message, type) else LookupFailed
    with pytest.raises(expected) as caught:
        look_up(parse_identifier("2305.18290"))
    assert "\n" not in str(caught.value)
    if isinstance(message, str):
        assert message in str(caught.value)


@pytest.mark.parametrize("answer, error, message", [
    ((404, TEXT, recorded("crossref_404.txt")), NotFound, "unknown DOI (Crossref: Resource not found.)"),
    ((200, JSON, b"<html>not json</html>"), LookupFailed, "the answer is not JSON"),
    ((200, JSON, b"[1, 2]"), LookupFailed, "not a Crossref work record"),
    ((200, JSON, b"[" * 100000), LookupFailed, "the answer is not JSON"),
    ((502, TEXT, b"bad gateway"), LookupFailed, "the server answered HTTP 502"),
])
def test_crossref_failures_are_one_clear_error(api, answer, error, message):
    api({MINIMAP_DOI: [answer]})
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        look_up(parse_identifier("10.1093/bioinformatics/bty191"))


def test_no_network_is_one_clear_error(monkeypatch):
    with pytest.raises(LookupFailed, match=r"127\.0\.0\.1:\d+ refused the connection"):
        look_up(parse_identifier("2305.18290"))
    monkeypatch.setenv("ATLAS_CROSSREF_API", "http://no-such-host.invalid")
    with pytest.raises(LookupFailed, match="cannot find the host no-such-host.invalid"):
        look_up(parse_identifier("10.1093/bioinformatics/bty191"))


def test_an_arxiv_entry_naming_a_doi_takes_venue_volume_and_pages_from_crossref(api):
    api({"/api/query?id_list=1708.01492": [(200, ATOM, recorded("arxiv_1708.01492.xml"))],
         MINIMAP_DOI: [(200, JSON, recorded("crossref_10.1093_bioinformatics_bty191.json"))]})
    found = look_up(parse_identifier("https://arxiv.org/abs/1708.01492"))
    record = record_for(found, CONTENT, load_taxonomy(CONTENT), load_rules(CONTENT))
    assert (record["year"], record["venue"], record["volume"], record["issue"], record["pages"]) == (2017, "Bioinformatics", "34", "18", "3094-3100")
    assert record["links"] == {"paper": "https://academic.oup.com/bioinformatics/article/34/18/3094/4994778",
                               "arxiv": "https://arxiv.org/abs/1708.01492", "doi": "https://doi.org/10.1093/bioinformatics/bty191"}
    assert "title, abstract, authors, year from the arXiv API entry 1708.01492; venue, volume, issue, pages, publisher page from Crossref 10.1093/bioinformatics/bty191" in record["notes"]


def test_enrich_compares_the_looked_up_fields_without_guessing_type_method_task_or_tags(api):
    from generator.ingest.lookup import fields_for

    api({"/api/query?id_list=1708.01492": [(200, ATOM, recorded("arxiv_1708.01492.xml"))],
         MINIMAP_DOI: [(200, JSON, recorded("crossref_10.1093_bioinformatics_bty191.json"))]})
    found = look_up(parse_identifier("1708.01492"))
    taxonomy = load_taxonomy(CONTENT)
    fields = fields_for(found, CONTENT, taxonomy, "sequence-alignment")
    record = record_for(found, CONTENT, taxonomy, load_rules(CONTENT))
    assert fields["type"] == "sequence-alignment" and not {"method", "task", "tags", "notes", "added"} & set(fields)
    same = ("title", "abstract", "authors", "year", "venue", "volume", "issue", "pages", "links")
    assert {k: fields[k] for k in same} == {k: record[k] for k in same}


def test_a_doi_crossref_does_not_know_leaves_the_arxiv_fields_and_says_so(api):
    api({"/api/query?id_list=1708.01492": [(200, ATOM, recorded("arxiv_1708.01492.xml"))],
         MINIMAP_DOI: [(404, TEXT, recorded("crossref_404.txt"))]})
    found = look_up(parse_identifier("1708.01492"))
    assert found.paper.venue is None
    assert "Crossref does not know the DOI 10.1093/bioinformatics/bty191" in found.note()


@pytest.mark.parametrize("route, name, identifier", [
    (DPO, "arxiv_hostile.xml", "2305.18290"),
    (MINIMAP_DOI, "crossref_hostile.json", "10.1093/bioinformatics/bty191"),
])
def test_hostile_answers_become_inert_valid_records(api, route, name, identifier):
    api({route: [(200, JSON if name.endswith(".json") else ATOM, recorded(name))]})
    taxonomy = load_taxonomy(CONTENT)
    record = record_for(look_up(parse_identifier(identifier)), CONTENT, taxonomy, load_rules(CONTENT))
    text = repr(record).lower()
    for needle in ("<", "script", "onerror", "onload", "onclick", "onmouseover", "javascript", "data:", "alert", "\u202e", "\u200b", "evil.example"):
        assert needle not in text, needle
    assert record_problems(CONTENT, "hostile", record, taxonomy) == []
    assert "removed U+202E from the title" in record["notes"]
    assert set(record["links"]) <= {"arxiv", "doi"}


def test_plain_text_strips_markup_resolves_entities_and_latex():
    assert plain_text("<jats:p>A &amp; B</jats:p><jats:p>C&#8211;D</jats:p>", paragraphs=True) == ("A & B\n\nC\u2013D", [])
    assert plain_text(r"Caf\'e \textbf{bold}") == ("Café bold", [])
    assert plain_text("x < y and 50% of it") == ("x < y and 50% of it", [])


def test_the_doi_a_record_links_is_asked_when_the_arxiv_entry_names_none(api):
    entry = recorded("arxiv_1708.01492.xml").decode()
    entry = entry.replace('<arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1093/bioinformatics/bty191</arxiv:doi>', "")
    api({"/api/query?id_list=1708.01492": [(200, ATOM, entry.encode())],
         MINIMAP_DOI: [(200, JSON, recorded("crossref_10.1093_bioinformatics_bty191.json"))]})
    assert look_up(parse_identifier("1708.01492")).paper.venue is None
    found = look_up(parse_identifier("1708.01492"), doi_hint="10.1093/bioinformatics/bty191")
    assert (found.paper.venue, found.paper.pages) == ("Bioinformatics", "3094-3100")
    assert "https://doi.org/10.1093/bioinformatics/bty191" in found.paper.urls


def test_the_identifier_index_names_the_first_record_linking_an_id_or_doi():
    from types import SimpleNamespace

    from generator.ingest.lookup import IdentifierIndex

    papers = [SimpleNamespace(id="a", links={"code": "https://github.com/x/y"}),
              SimpleNamespace(id="b", links={"doi": "https://doi.org/10.1000/B"}),
              SimpleNamespace(id="c", links={"arxiv": "https://arxiv.org/abs/2305.18290v2", "doi": "https://doi.org/10.1000/b"})]
    index = IdentifierIndex(papers)
    assert index.already_present({"2305.18290"}, set()).id == "c"
    assert index.already_present({"2305.18290"}, {"10.1000/b"}).id == "b"
    assert index.already_present({"2212.08073"}, {"10.1000/c"}) is None

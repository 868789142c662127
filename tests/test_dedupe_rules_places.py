"""Recurring titles (columns, editorials, errata) and the place of a paper in its venue: volume,
issue and pages. Invented trap records, with exact verdicts and reasons."""

from __future__ import annotations

from generator.content.models import Paper
from generator.dedupe.matching import DuplicateGroup, DuplicateIndex, Match, compare_papers, find_duplicates

from benchmarks.dedupe_record import DedupeRecord as P

MISQ = "MIS Quarterly"
REFUSED = "a title the venue prints again, without the same DOI or place"
SAME_PLACE = "same normalized title; a title the venue prints again, in the same place"


def column(record_id, year, volume, issue=None, pages=None, doi=None, venue=MISQ, title="Editor's Comments"):
    links = {"doi": f"https://doi.org/{doi}"} if doi else {}
    return P(record_id, title, links=links, year=year, authors=("Arun Rai",), venue=venue,
             volume=volume, issue=issue, pages=pages)


def test_editors_comments_of_two_volumes_are_two_papers():
    assert compare_papers(column("v12", 2012, "12"), column("v13", 2013, "13")) == (100.0, "different volumes (12 / 13)", False)
    # Without volumes, a year apart (within the tolerance of other papers) is another column.
    assert compare_papers(column("v12", 2012, None), column("v13", 2013, None)) == (
        100.0, f"{REFUSED} (years 2012 and 2013)", False)
    # The same first page in each volume (a column opens every issue) does not make them one.
    score, reason, same = compare_papers(column("v12", 2012, "12", pages="iii-v"), column("v13", 2012, "13", pages="iii-vi"))
    assert (reason, same) == (f"{REFUSED} (volumes 12 and 13)", False)


def test_editors_comments_join_with_the_same_doi():
    with_doi = column("v12", 2012, "12", doi="10.5555/misq.2012.12.1")
    same_doi = column("v12-copy", 2012, None, doi="10.5555/MISQ.2012.12.1")
    assert compare_papers(with_doi, same_doi) == (100.0, "same DOI 10.5555/misq.2012.12.1; titles agree (100.0)", True)
    # Two DOIs, two items; and a DOI shared by two volumes names no single item, so the
    # volumes still keep them apart.
    other = column("v13", 2013, "13", doi="10.5555/misq.2013.13.1")
    assert compare_papers(with_doi, other)[2] is False
    shared = column("v13", 2013, "13", doi="10.5555/misq.2012.12.1")
    assert compare_papers(column("v12", 2013, "12", doi="10.5555/misq.2012.12.1"), shared) == (
        100.0, "different volumes (12 / 13)", False)


def test_a_recurring_title_joins_in_the_same_place():
    first = column("a", 2012, "36", issue="1", pages="iii-viii")
    copy = column("b", 2012, "36", issue="1", pages="iii", venue="MIS Q.")
    assert compare_papers(first, copy) == (100.0, SAME_PLACE, True)
    next_issue = column("c", 2012, "36", issue="2", pages="iii-viii")
    assert compare_papers(first, next_issue) == (100.0, f"{REFUSED} (issues 1 and 2)", False)
    other_page = column("d", 2012, "36", issue="1", pages="ix")
    assert compare_papers(first, other_page) == (100.0, "different pages (iii / ix)", False)


def test_a_recurring_title_without_a_place_held_by_both_is_refused():
    a, b = column("a", 2012, None), column("b", 2012, "36")
    assert compare_papers(a, b) == (100.0, f"{REFUSED} (no volume, issue or page held by both)", False)


def test_the_word_list_covers_erratum_reply_preface_and_special_issue_introductions():
    for title in ("Erratum", "Reply to the comments of Smith and Jones", "Preface",
                  "Introduction to the Special Issue on Digital Platforms", "Book Reviews", "Remarks from the Editor"):
        a, b = column("a", 2020, None, title=title), column("b", 2021, None, title=title)
        assert compare_papers(a, b)[1] == f"{REFUSED} (years 2020 and 2021)", title
        assert compare_papers(P("a", title, year=2020), P("b", title, year=2021))[1] == f"{REFUSED} (years 2020 and 2021)"


def test_titles_the_content_shows_in_several_volumes_of_one_venue_recur():
    title = "A Note from the Track Chairs"  # in no word list
    r10 = P("r10", title, year=2019, venue="Journal of Examples", volume="10", issue="2")
    r11 = P("r11", title, year=2020, venue="Journal of Examples", volume="11", issue="2")
    bare = P("bare", title, year=2020, venue="Journal of Examples")
    r11_copy = P("r11-copy", title, year=2020, venue="Journal of Examples", volume="11", issue="2", pages="5-6")
    # Alone, the bare record and r11 look like one paper ...
    assert compare_papers(bare, r11) == (100.0, "same normalized title", True)
    # ... but with r10 in the content the title recurs, and only the same place joins.
    assert find_duplicates([r10, r11, bare, r11_copy]) == [DuplicateGroup(("r11", "r11-copy"), 100.0, SAME_PLACE)]


def test_an_imported_record_meets_the_recurrence_of_the_index():
    title = "A Note from the Track Chairs"
    index = DuplicateIndex([P("r10", title, year=2019, venue="Journal of Examples", volume="10", issue="2")])
    assert index.match(P("new", title, year=2020, venue="Journal of Examples", volume="11")) is None
    assert index.match(P("new", title, year=2020, venue="Journal of Examples")) is None
    again = P("new", title, year=2019, venue="Journal of Examples", volume="10", issue="2")
    assert index.match(again) == Match("r10", 100.0, "same normalized title")
    index.add(P("r11", title, year=2020, venue="Journal of Examples", volume="11", issue="2"))
    assert ("journal of examples", "note from the track chairs") in index.recurring
    assert index.match(again) == Match("r10", 100.0, SAME_PLACE)


def test_issues_keep_apart_two_papers_and_tolerate_numbers_moved_between_fields():
    title = "Platform Governance and Complementor Exit"
    a = P("a", title, year=2021, venue="Information Systems Research", volume="32", issue="1", pages="1-20")
    b = P("b", title, year=2021, venue="Information Systems Research", volume="32", issue="3")
    assert compare_papers(a, b) == (100.0, "different issues (1 / 3)", False)
    # "18 (8)" holds the issue in the volume; the issue field then holds the article number.
    c = P("c", title, year=2017, venue="Int J Mol Sci", volume="18", issue="8")
    d = P("d", title, year=2017, venue="Int J Mol Sci", volume="18 (8) (no pagination)", issue="1704")
    assert compare_papers(c, d) == (100.0, "same normalized title", True)


def test_the_record_model_feeds_volume_issue_and_pages():
    def paper(paper_id, issue):
        return Paper(id=paper_id, title="Editor's Comments", type="adjacent", year=2012, venue=MISQ,
                     volume="36", issue=issue, pages="iii-vi")
    assert compare_papers(paper("a", "1"), paper("b", "2")) == (100.0, f"{REFUSED} (issues 1 and 2)", False)
    assert compare_papers(paper("a", "1"), paper("b", "1")) == (100.0, SAME_PLACE, True)


def test_the_same_place_does_not_lift_the_other_vetoes():
    first = column("a", 2012, "36", issue="1", pages="iii")
    other_author = P("b", "Editor's Comments", year=2012, authors=("Ana Example",), venue=MISQ, volume="36", issue="1", pages="iii")
    assert compare_papers(first, other_author) == (100.0, "no author in common", False)

"""A subtitle one source drops, and translations written in brackets: invented trap records,
with exact verdicts and reasons."""

from __future__ import annotations

import pytest

from generator.dedupe.matching import DuplicateGroup, DuplicateIndex, Match, compare_papers, find_duplicates
from generator.dedupe.rules import default_rules, normalize_title
from generator.dedupe.titles import main_title, translations

from benchmarks.dedupe_record import DedupeRecord as P

MAIN = "Algorithmic Management in the Gig Economy"
FULL = MAIN + ": Control and Autonomy of Platform Workers"
ISJ = "Information Systems Journal"
DROPPED = "one source drops the subtitle; same first author (mohlmann) and year (2021)"
CONTAINED = "a short title is contained in a longer, different one"


def long_record(**fields):
    values = {"year": 2021, "venue": ISJ, "authors": ("Mareike Möhlmann", "Lior Zalmanson")} | fields
    return P("long", values.pop("title", FULL), **values)


@pytest.mark.parametrize("title", [FULL, MAIN + " - Control and Autonomy of Platform Workers",
                                   MAIN + " \u2014 Control and Autonomy of Platform Workers",
                                   MAIN + "\u2013Control and Autonomy of Platform Workers"])
def test_dropped_subtitle_with_the_same_first_author_and_year_is_one_paper(title):
    short = P("short", MAIN, year=2021, venue="Inf. Syst. J.", authors=("Möhlmann, M.", "Zalmanson, L."))
    score, reason, same = compare_papers(long_record(title=title), short)
    assert (reason, same) == (DROPPED, True) and score < 80


@pytest.mark.parametrize("short, why", [
    (P("s", MAIN, year=2021, venue=ISJ, authors=("Ana Example", "Mareike Möhlmann")), "another first author"),
    (P("s", MAIN, year=2020, venue=ISJ, authors=("Möhlmann M.",)), "another year"),
    (P("s", MAIN, year=2021, venue="Americas Conference on Information Systems", authors=("Möhlmann M.",)), "another venue"),
    (P("s", MAIN, year=2021), "no author to compare"),
    (P("s", MAIN, authors=("Möhlmann M.",)), "no year to compare"),
])
def test_dropped_subtitle_without_the_same_author_year_and_venue_stays_apart(short, why):
    assert compare_papers(long_record(), short)[1:] == (CONTAINED, False), why


def test_dropped_subtitle_joins_with_the_same_doi_whoever_the_authors():
    doi = {"doi": "https://doi.org/10.5555/isj.2021.77"}
    short = P("s", MAIN, links=doi, year=2021, authors=("Ana Example",))
    assert compare_papers(long_record(links=doi), short)[1:] == (
        "same DOI 10.5555/isj.2021.77; one title is the other's main title (66.7)", True)


def test_the_short_title_veto_stays_for_everything_else():
    author = {"year": 2021, "authors": ("M. Möhlmann",)}
    # Not a main title before a subtitle: a longer, different title.
    assert compare_papers(P("a", "Deep Learning for Code Search", **author),
                          P("b", "Deep Learning for Code", **author))[1:] == (CONTAINED, False)
    # A main title of fewer than subtitle_min_words (3) words.
    assert compare_papers(P("a", "Gig Economy: Control and Autonomy", **author),
                          P("b", "Gig Economy", **author))[1:] == (CONTAINED, False)
    # A recurring title (an editorial) with a subtitle is another editorial.
    assert compare_papers(P("a", "Editor's Comments: The Future of Publishing in Information Systems", **author),
                          P("b", "Editor's Comments", **author))[1:] == (CONTAINED, False)
    # A veto word in the dropped part keeps them apart as before.
    assert compare_papers(P("a", FULL + ": a survey", **author), P("b", FULL, **author))[1:] == ("'survey' on one side only", False)


def test_dropped_subtitles_are_found_by_find_duplicates_and_the_index():
    short = P("short", MAIN, year=2021, authors=("Möhlmann, Mareike",))
    other = P("other", MAIN, year=2021, authors=("Ana Example",))
    assert find_duplicates([long_record(), short, other]) == [DuplicateGroup(("long", "short"), 66.7, DROPPED)]
    assert DuplicateIndex([long_record()]).match(short) == Match("long", 66.7, DROPPED)
    assert DuplicateIndex([long_record()]).match(other) is None


def test_main_title_splits_at_a_colon_question_mark_spaced_hyphen_or_dash():
    rules = default_rules()
    assert main_title("Mix Data or Merge Models? Balancing Two Goals", rules) == ("mix", "data", "or", "merge", "models")
    assert main_title("Self-Supervised Learning - A Primer", rules) == ("self", "supervised", "learning")
    assert main_title("Trends 1990\u20132000 in Alignment", rules) == ("trends", "1990", "2000", "in", "alignment")


# --- translations in brackets ----------------------------------------------------------------

ENGLISH = "Digital Transformation of Small Firms"
GERMAN = "Digitale Transformation kleiner Unternehmen"
BRACKETS = "(a title in brackets taken as the title)"


def test_translations_are_read_from_trailing_brackets_of_three_words_or_more():
    rules = default_rules()
    assert translations(f"{ENGLISH} [{GERMAN}]", rules) == ("digitale transformation kleiner unternehmen",)
    assert translations(f"{ENGLISH} [{GERMAN}]. [German]", rules) == ("digitale transformation kleiner unternehmen",)
    assert translations("Cardiovascular effects of DPP-4 inhibitors. [French]", rules) == ()
    assert translations(f"[{ENGLISH}]", rules) == ()  # a whole title in brackets is the title
    assert normalize_title(f"{ENGLISH} [{GERMAN}]. [German]") == "digital transformation of small firms"


@pytest.mark.parametrize("first, second, reason", [
    (f"{ENGLISH} [{GERMAN}]", GERMAN, f"same normalized title {BRACKETS}"),
    (f"{ENGLISH} [{GERMAN}]", ENGLISH, "same normalized title"),
    (f"{GERMAN} [{ENGLISH}]", ENGLISH, f"same normalized title {BRACKETS}"),
    (f"{GERMAN} [{ENGLISH}]", f"{ENGLISH} [{GERMAN}]", f"same normalized title {BRACKETS}"),
    (f"[{ENGLISH}]. [German]", f"{GERMAN} [{ENGLISH}]", f"same normalized title {BRACKETS}"),
])
def test_a_bracketed_translation_matches_either_part(first, second, reason):
    assert compare_papers(P("a", first, year=2019), P("b", second, year=2019)) == (100.0, reason, True)


def test_translations_keep_their_vetoes_and_are_found_by_blocking():
    assert compare_papers(P("a", ENGLISH, year=2019), P("b", GERMAN, year=2019))[2] is None
    assert compare_papers(P("a", f"{ENGLISH} [{GERMAN}]", year=2012), P("b", GERMAN, year=2019))[1:] == (
        f"years 2012 and 2019 are more than one apart {BRACKETS}", False)
    records = [P("a", f"{ENGLISH} [{GERMAN}]"), P("b", GERMAN), P("c", "Platform Ecosystems of Small Firms")]
    assert find_duplicates(records) == [DuplicateGroup(("a", "b"), 100.0, f"same normalized title {BRACKETS}")]
    assert DuplicateIndex(records[1:]).match(records[0]) == Match("b", 100.0, f"same normalized title {BRACKETS}")

"""The checks of ``dedupe.yaml`` (clear errors at the offending line) and the splitting of
people's names."""

from __future__ import annotations

import pytest

from generator.dedupe.names import families_agree, family_name, person_key, split_bibtex_names
from generator.dedupe.rules import SHIPPED_CONTENT, load_rules
from generator.errors import ContentError


def problems_of(tmp_path, text: str) -> list[str]:
    (tmp_path / "dedupe.yaml").write_text(text, "utf-8")
    with pytest.raises(ContentError) as caught:
        load_rules(tmp_path)
    return [str(p) for p in caught.value.problems]


def where_and_what(found: list[str]) -> list[str]:
    """The problems without the folder: line, key and message."""
    return [f.split("dedupe.yaml", 1)[1] for f in found]


def test_out_of_range_and_wrong_types_are_named_with_their_line(tmp_path):
    found = problems_of(tmp_path, "title_threshold: 95\nsubtitle_min_words: 0\nidentifier_title_threshold: 120\n"
                                  "translation_min_words: three\nrecurring_titles: editorial\nveto_words: {not: 1}\n")
    # dedupe.yaml is checked against dedupe.schema.json, in the records' words ("a number from
    # 1900 to 2100", "an integer", "a mapping")
    assert where_and_what(found) == [
        ":2: subtitle_min_words: expected a number from 1 to 50, got 0",
        ":3: identifier_title_threshold: expected a number from 0 to 100, got 120",
        ":4: translation_min_words: expected an integer, got 'three'",
        ":5: recurring_titles: expected a list, got 'editorial'",
        ":6: veto_words: expected a list, got a mapping",
    ]
    assert all(f.split(":", 1)[0].endswith(f"{tmp_path.name}/dedupe.yaml") for f in found)


def test_bad_entries_of_a_list_are_named_at_their_own_line(tmp_path):
    found = problems_of(tmp_path, "recurring_titles:\n  - editorial\n  - 12\nrecurring_title_starts:\n  - erratum\n  - '!!!'\n"
                                  "veto_words:\n  - not\n  - ''\n")
    # each entry is named by its index, at its own line
    assert where_and_what(found) == [
        ":3: recurring_titles[1]: expected text, got the number 12",
        ":9: veto_words[1]: must not be blank, got ''",
    ]
    found = problems_of(tmp_path, "recurring_title_starts:\n  - erratum\n  - '!!!'\n")
    assert where_and_what(found) == [":3: recurring_title_starts: '!!!' has no words left once normalized"]


def test_a_fraction_where_a_whole_number_is_expected_and_a_boolean_are_refused(tmp_path):
    found = problems_of(tmp_path, "subtitle_min_words: 2.5\ntitle_threshold: true\n")
    # a curator's file reads 2.5 as a number (as an editor checking it against the schema does)
    assert where_and_what(found) == [
        ":1: subtitle_min_words: expected an integer, got the number 2.5",
        ":2: title_threshold: expected a number, got 'true'",
    ]


def test_unknown_keys_are_named_with_the_closest_known_one_and_blank_words_are_refused(tmp_path):
    found = problems_of(tmp_path, "title_threshold: 95\nveto_word: [x]\nspellings:\n  ' ': x\nreplacements:\n  x: 1\n")
    assert where_and_what(found) == [
        ":2: veto_word: unknown key 'veto_word' (did you mean 'veto_words'?)",
        ":4: spellings: the key ' ' is blank; write the word it rewrites",
        ":6: replacements.x: expected text, got the number 1",
    ]
    found = problems_of(tmp_path, "colour: blue\n")
    assert where_and_what(found)[0].startswith(":1: colour: unknown key 'colour' (expected one of: title_threshold, identifier_title_threshold,")


def test_the_shipped_rules_load_with_their_phrases_normalized():
    rules = load_rules(SHIPPED_CONTENT)
    assert "editor s comments" in rules.recurring_titles and ("introduction", "to", "the", "special", "issue") in rules.recurring_title_starts
    assert rules.subtitle_min_words == 3 and rules.translation_min_words == 3


# --- names ------------------------------------------------------------------------------------

def test_bibtex_names_are_split_the_way_bibtex_does():
    assert split_bibtex_names("M{\\\"u}ller, J{\\\"o}rg and {Barnes and Noble} and van der Berg, Jan and "
                              "Smith, Jr, John and Ana García AND others") == [
        'J{\\"o}rg M{\\"u}ller', "{Barnes and Noble}", "Jan van der Berg", "John Smith Jr", "Ana García"]
    assert split_bibtex_names("") == [] and split_bibtex_names("others") == []


@pytest.mark.parametrize("name, family, key", [
    ("Jörg Müller", "muller", ("muller", "j")),
    ("Müller, Jörg", "muller", ("muller", "j")),
    ("Müller J.", "muller", ("muller", "j")),
    ("Lewis G. F.", "lewis", ("lewis", "g")),
    ("van der Berg, Jan", "berg", ("berg", "j")),
    ("Jan van der Berg", "berg", ("berg", "j")),
    ("Y. LeCun", "lecun", ("lecun", "y")),
    ("García Márquez, Gabriel", "garcia marquez", ("garcia marquez", "g")),
    ("{The Unicode Consortium}", "the unicode consortium", ("the unicode consortium", "")),
    ("", "", ("", "")),
])
def test_family_names_whichever_way_round(name, family, key):
    assert family_name(name) == family and person_key(name) == key


def test_family_names_agree_when_one_is_part_of_the_other():
    assert families_agree("garcia", "garcia marquez") and families_agree("lecun", "lecun")
    assert not families_agree("lecun", "bengio") and not families_agree("", "")


def test_the_bibtex_importer_splits_authors_with_these_names():
    from generator.ingest.extraction import load_rules as load_extraction_rules
    from generator.ingest.readers import read_bibtex

    text = ("@article{k, title = {A Title}, year = {2020},\n"
            "  author = {van der Berg, Jan and {Barnes and Noble} and Smith, Jr, John and M{\\\"u}ller, J{\\\"o}rg and others}}\n")
    (paper,) = read_bibtex(text, "x.bib", load_extraction_rules(SHIPPED_CONTENT)).papers
    assert paper.authors == ["Jan van der Berg", "Barnes and Noble", "John Smith Jr", "Jörg Müller"]

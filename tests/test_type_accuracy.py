"""The type benchmark computes its figures: accuracy, confusion, recall per type and method."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from generator.content.records import load_content
from generator.ingest.extraction import load_rules

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "type_accuracy.py"

GENOME = ("We map short sequencing reads against a reference genome with a seed index over the "
          "chromosome, finding variants in maize and wheat cultivars with banded dynamic programming.")
SPEECH = ("We propose CTCAlign, which aligns audio frames of speech with transcripts through "
          "connectionist temporal classification for speech recognition.")


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("type_accuracy", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["type_accuracy"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tiny(make_content):
    root = make_content({
        "maize-reads.yaml": {"title": "Maize Reads", "type": "sequence-alignment", "abstract": GENOME},
        "ctcalign.yaml": {"title": "CTCAlign: Frames to Text", "type": "speech-alignment", "abstract": SPEECH,
                          "method": "CTCAlign"},
    })
    shutil.copy(ROOT / "content" / "extraction.yaml", root / "extraction.yaml")
    return root


def test_shared_split_figures_on_known_answers(bench, tiny, tmp_path):
    shared = tmp_path / "papers.yaml"
    shared.write_text(yaml.safe_dump([
        {"title": "Wheat Reads", "abstract": "Short sequencing reads of wheat are mapped to a reference genome.",
         "type": ["sequence-alignment"], "method": [], "split": "tune"},
        {"title": "FrameCTC: Speech Alignment", "abstract": "We align speech audio with CTC for speech recognition.",
         "type": ["speech-alignment"], "method": ["framectc"], "split": "tune"},
        {"title": "Face Alignment in the Wild", "abstract": "We locate facial landmarks in photographs.",
         "type": ["entity-alignment"], "method": ["Wild"], "split": "tune"},
        {"title": "Never Read", "abstract": "Held out.", "type": ["adjacent"], "method": [], "split": "heldout"},
    ]), "utf-8")
    content, rules = load_content(tiny), load_rules(tiny)
    report = bench.shared_split(content, rules, shared, "tune")
    assert report.total == 3 and report.right == 2
    assert report.confusion == {("sequence-alignment", "sequence-alignment"): 1,
                                ("speech-alignment", "speech-alignment"): 1,
                                ("entity-alignment", "adjacent"): 1}
    assert report.recall() == {"sequence-alignment": (1, 1), "entity-alignment": (0, 1), "speech-alignment": (1, 1)}
    assert (report.method_right, report.method_total) == (2, 3)  # "FrameCTC" matches "framectc" without case
    assert (report.method_named_right, report.method_named) == (2, 3)  # each title gives its name
    text = bench.render(report, show_misses=True)
    assert "== tune: type 2/3 (66.7%)" in text
    assert "entity-alignment 0/1 (0%)" in text and "method 2/3 (66.7%); where the title or abstract gives the name" in text
    assert "got adjacent, expected entity-alignment" in text


def test_leave_one_out_classifies_each_record_from_the_others(bench, tiny):
    content, rules = load_content(tiny), load_rules(tiny)
    seen = []
    report = bench.evaluate("probe", bench.shipped_items(content.papers), content.taxonomy, rules,
                            lambda item: seen.append(item.ident) or bench.CuratedEvidence(
                                p for p in content.papers if p.id != item.ident))
    assert seen == ["ctcalign", "maize-reads"]
    loo = bench.leave_one_out(content, rules)
    assert (loo.total, loo.right) == (report.total, report.right) == (2, 2)
    assert (loo.method_right, loo.method_total) == (2, 2)


def test_method_right_compares_without_case(bench):
    assert bench.method_right(["PRO", "Preference Ranking Optimization"], "pro")
    assert bench.method_right([], None) and not bench.method_right([], "X")


def test_method_named_asks_whether_the_text_gives_an_accepted_name(bench):
    item = bench.Item("Matching records", "Quokka reads pairs of records.", ["entity-alignment"], ["Quokka", "QK"])
    assert bench.method_named(item)
    assert not bench.method_named(bench.Item("Matching records", "A model reads pairs.", ["entity-alignment"], ["Quokka"]))
    assert not bench.method_named(bench.Item("Matching records", "Quokkas read pairs.", ["entity-alignment"], ["Quokka"]))
    assert bench.method_named(bench.Item("A study", "We compare models.", ["adjacent"], []))


def test_help_describes_the_sets(bench, capsys):
    with pytest.raises(SystemExit):
        bench.main(["--help"])
    out = capsys.readouterr().out
    assert "--sets" in out and "heldout" in out and "speed" in out


def held_out_titles(bench, name: str, fields: set[str], optional: set[str] = frozenset()) -> set[str]:
    """Check the in-repository set ``name``: 40 items, five per type, the given fields, its own
    split, abstracts of 50-140 words, no title among the shipped records or the shared set."""
    path = bench.IN_REPOSITORY[name]
    items = yaml.safe_load(path.read_text("utf-8"))
    content = load_content(ROOT / "content")
    assert len(items) == 40
    primary = [item["type"][0] for item in items]
    assert {kind: primary.count(kind) for kind in set(primary)} == {kind: 5 for kind in content.taxonomy.types}
    for item in items:
        assert fields <= set(item) <= fields | optional, item["title"]
        assert item["split"] == name and isinstance(item["method"], list) and item["task"]
        assert set(item["type"]) <= set(content.taxonomy.types), item["title"]
        assert 50 <= len(item["abstract"].split()) <= 140, item["title"]
    titles = {item["title"].casefold() for item in items}
    assert len(titles) == 40
    assert not titles & {p.title.casefold() for p in content.papers}
    if bench.SHARED.is_file():
        assert not titles & {d["title"].casefold() for d in yaml.safe_load(bench.SHARED.read_text("utf-8"))}
    assert len(bench.shared_items(path, name)) == 40
    return titles


def test_second_heldout_set_is_forty_real_papers_five_per_type_not_seen_elsewhere(bench):
    held_out_titles(bench, "heldout2", {"title", "abstract", "type", "method", "task", "split"})


def test_third_heldout_set_is_forty_papers_with_sources_none_in_the_second(bench):
    fields = {"title", "year", "source", "abstract", "type", "method", "task", "split"}
    titles = held_out_titles(bench, "heldout3", fields, optional={"note"})
    items = yaml.safe_load(bench.HELDOUT3.read_text("utf-8"))
    assert all(2014 <= item["year"] <= 2025 and item["source"] for item in items)
    assert not titles & held_out_titles(bench, "heldout2", {"title", "abstract", "type", "method", "task", "split"})


def test_fourth_heldout_set_is_forty_papers_with_sources_none_in_the_earlier_sets(bench):
    base = {"title", "abstract", "type", "method", "task", "split"}
    titles = held_out_titles(bench, "heldout4", base | {"year", "source"}, optional={"note"})
    items = yaml.safe_load(bench.HELDOUT4.read_text("utf-8"))
    assert all(2014 <= item["year"] <= 2025 and item["source"] for item in items)
    assert not titles & held_out_titles(bench, "heldout2", base)
    assert not titles & held_out_titles(bench, "heldout3", base | {"year", "source"}, optional={"note"})


def test_fifth_heldout_set_is_forty_papers_with_sources_none_in_the_earlier_sets(bench):
    base = {"title", "abstract", "type", "method", "task", "split"}
    sourced = base | {"year", "source"}
    titles = held_out_titles(bench, "heldout5", sourced, optional={"note"})
    items = yaml.safe_load(bench.HELDOUT5.read_text("utf-8"))
    assert all(2012 <= item["year"] <= 2025 and item["source"] for item in items)
    assert not titles & held_out_titles(bench, "heldout2", base)
    for name in ("heldout3", "heldout4"):
        assert not titles & held_out_titles(bench, name, sourced, optional={"note"})


@pytest.mark.parametrize("name", ["heldout3", "heldout4", "heldout5"])
def test_held_out_sets_are_read_by_name_from_the_command_line(bench, tmp_path, capsys, name):
    missing = tmp_path / "absent.yaml"
    assert bench.main(["--sets", name, f"--{name}", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err

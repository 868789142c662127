"""The importer keeps its measured accuracy on the labelled benchmark sets (a regression guard)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from generator.ingest.extraction import load_rules
from generator.content.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "ingest_accuracy.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("ingest_accuracy", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name, floors", [
    ("labelled.yaml", {"type": 0.95, "method": 0.95, "task": 0.8, "tags": 0.8, "links": 1.0}),
    ("heldout.yaml", {"type": 0.85, "method": 0.9, "task": 0.7, "tags": 0.45, "links": 1.0}),
])
def test_accuracy_does_not_fall_below_what_was_measured(bench, name, floors):
    items = yaml.safe_load((ROOT / "benchmarks" / "ingest" / name).read_text("utf-8"))
    taxonomy, rules = load_taxonomy(ROOT / "content"), load_rules(ROOT / "content")
    records = bench.imported_records(items, taxonomy, rules)
    assert all(record is not None for record in records)
    for field, floor in floors.items():
        right = sum(bench.field_right(field, item["expect"].get(field), record) for item, record in zip(items, records))
        assert right / len(items) >= floor, f"{field}: {right}/{len(items)}"


def test_labelled_set_covers_every_type_and_has_40_papers():
    items = yaml.safe_load((ROOT / "benchmarks" / "ingest" / "labelled.yaml").read_text("utf-8"))
    assert len(items) >= 40
    assert {item["expect"]["type"] for item in items} == set(load_taxonomy(ROOT / "content").types)


def test_field_right_rules(bench):
    assert bench.field_right("method", [], {"method": None}) is True
    assert bench.field_right("method", [], {"method": "X"}) is False
    assert bench.field_right("method", ["PRO", "Preference Ranking Optimization"], {"method": "pro"}) is True
    assert bench.field_right("tags", ["a", "b"], {"tags": ["b", "a"]}) is True
    assert bench.field_right("links", {"code": "u"}, {"links": {"code": "u", "other": "v"}}) is False
    assert bench.field_right("type", "adjacent", None) is False

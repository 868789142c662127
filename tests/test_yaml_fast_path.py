"""libyaml's parser (the fast path of generator.yamlio) reads records exactly as the Python parser does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import yamlio

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted([*ROOT.glob("content/papers/*.yaml"), *ROOT.glob("tests/hostile/*.yaml"),
                  *ROOT.glob("tests/site/fixture_content/papers/*.yaml"), ROOT / "content/taxonomy.yaml"])


def convert(loader_class, text: str):
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    lines: dict = {}
    problems: list = []
    data = None if node is None else yamlio._convert(node, (), lines, problems, "x")
    return data, lines, [str(p) for p in problems]


@pytest.mark.skipif(yamlio._CParser is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_both_parsers_read_the_same(path):
    text = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
    try:
        slow = convert(yamlio._Loader, text)
    except yaml.YAMLError:
        slow = None
    try:
        fast = convert(yamlio._FastLoader, text)
    except yaml.YAMLError:
        fast = None
    if fast is not None and "\t" not in text:
        assert fast == slow  # whatever libyaml accepts here, the Python parser reads the same way
    assert len(SAMPLES) > 50

"""libyaml's parser (the fast path of generator.content.yamlio) reads records exactly as the Python parser does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content import yamlio

from conftest import examples

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


PIECES = [
    "title", "type", "tags", "links", "year", "code", "dpo", ":", ": ", " ", "  ", "\n", "\n  ", "- ", "-",
    "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!x ", "! ", "!!python/object:os.system ", "'", '"', "\\",
    "#", " # c", "---", "...", "? ", "|", ">", "|-", ">+", "%YAML 1.1\n", "012", "no", "~", "null", "<<: ",
    "\r\n", "é", "https://a.org", "x" * 3,
]


if yamlio._CParser is not None:
    class ComposedByPyYAML(yamlio._StrictComposer, yamlio._CParser, yaml.resolver.BaseResolver):
        """libyaml's events through PyYAML's own composer and resolver, with the strict checks:
        what the fast composer must build, node for node."""

        def __init__(self, stream):
            yamlio._CParser.__init__(self, stream)
            yamlio._StrictComposer.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)

        def compose_scalar_node(self, anchor):
            node = super().compose_scalar_node(anchor)
            node.style = node.style or None
            return node


def shape(node):
    """Everything a node holds, as nested tuples."""
    if node is None:
        return None
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("sequence", node.tag, node.flow_style, marks, [shape(item) for item in node.value])
    return ("mapping", node.tag, node.flow_style, marks, [(shape(k), shape(v)) for k, v in node.value])


def compose(loader_class, text: str):
    loader = loader_class(text)
    try:
        return shape(loader.get_single_node())
    except yaml.YAMLError:
        return "refused"
    finally:
        loader.dispose()


@pytest.mark.skipif(yamlio._CParser is None, reason="PyYAML without libyaml")
@settings(max_examples=examples(1500))
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_the_fast_composer_builds_what_pyyaml_builds(text):
    assert compose(yamlio._FastLoader, text) == compose(ComposedByPyYAML, text)


@pytest.mark.skipif(yamlio._CParser is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_fast_composer_builds_what_pyyaml_builds_for_every_sample(path):
    text = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
    assert compose(yamlio._FastLoader, text) == compose(ComposedByPyYAML, text)


@pytest.mark.skipif(yamlio._CParser is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", ["a: &x 1\nb: 2\n", "a: *x\n", "a: !!str 1\n", "a: !x 1\n", "[" * 21 + "]" * 21,
                                  "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 22)) + "  " * 22 + "v\n"])
def test_the_fast_composer_refuses_what_the_strict_one_refuses(text):
    with pytest.raises(yamlio._Refused):
        convert(yamlio._Loader, text)
    with pytest.raises(yaml.YAMLError):
        convert(yamlio._FastLoader, text)


def test_refused_characters_are_those_yaml_refuses_and_the_line_separators():
    def allowed(code: int) -> bool:
        return (code in (0x09, 0x0A, 0x0D) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
                or 0xE000 <= code <= 0xFFFD or code >= 0x10000) and code not in (0x2028, 0x2029)

    wrong = [code for code in range(0x110000) if (yamlio._REFUSED_CHARACTER.match(chr(code)) is None) != allowed(code)]
    assert wrong == []


@pytest.mark.parametrize("header", ["|#", ">-#", "|2#", "|+#", ">2-#"])
def test_a_block_header_with_a_comment_glued_to_it_is_refused_as_the_python_parser_does(header):
    text = f"title: A\nabstract: {header} note\n  Text.\n"
    with pytest.raises(yaml.YAMLError):
        yamlio._Loader(text).get_single_node()
    if yamlio._CParser is not None:  # libyaml alone would accept it
        assert yamlio._FastLoader(text).get_single_node() is not None
    with pytest.raises(yamlio.YamlError) as refused:
        yamlio.parse_text(text, "x.yaml")
    assert refused.value.problems[0].line == 2
    # With a space before the comment, both accept it.
    spaced = text.replace("#", " #")
    assert yamlio.parse_text(spaced, "x.yaml").data["abstract"] == yaml.safe_load(spaced)["abstract"]

"""Loading and validating records: each kind of bad record gets its exact message."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.content.records import load_content, require_valid

from conftest import GOOD


def messages(content_dir: Path) -> list[str]:
    """Problems as printed, with the content folder's path cut off."""
    content = load_content(content_dir)
    return [str(p).replace(str(content_dir / "papers") + "/", "") for p in content.problems]


def test_valid_record_loads_with_every_field(make_content):
    root = make_content({"dpo.yaml": GOOD})
    content = require_valid(load_content(root))
    (paper,) = content.papers
    assert paper.id == "dpo"
    assert paper.tags == ("dpo", "preference-optimization")
    assert paper.links == {"arxiv": "https://arxiv.org/abs/2305.18290"}
    assert paper.year == 2023
    assert paper.line("year") == 11


def test_scalars_stay_text(make_content):
    root = make_content({"x.yaml": "title: no\ntype: adjacent\nvenue: 1:30\nsummary: 2024-01-02\n"})
    (paper,) = require_valid(load_content(root)).papers
    assert paper.title == "no"
    assert paper.venue == "1:30"
    assert paper.summary == "2024-01-02"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("title: A\ntitle: B\ntype: adjacent\n", ["x.yaml:2: title: duplicate key (first written on line 1)"]),
        ("title: A\ntype: adjacent\nyear: twenty\n", ["x.yaml:3: year: expected an integer, got 'twenty'"]),
        ("title: A\ntype: adjacent\nyear: 012\n", ["x.yaml:3: year: expected an integer, got '012'"]),
        ("title: 2024\ntype: adjacent\n", ["x.yaml:1: title: expected text, got the number 2024"]),
        ("title: A\ntype: adjacent\ntags: rlhf\n", ["x.yaml:3: tags: expected a list, got 'rlhf'"]),
        ("title: A\ntype: adjacent\nlinks: [https://a.org]\n", ["x.yaml:3: links: expected a mapping, got a list"]),
        ("title: A\ntype: adjacent\ncolour: red\n", ["x.yaml:3: colour: unknown key 'colour'"]),
        ("title: A\ntype: adjacent\nabstrct: text\n", ["x.yaml:3: abstrct: unknown key 'abstrct' (did you mean 'abstract'?)"]),
        ("title: A\ntype: llm-alignmnet\n", ["x.yaml:2: type: unknown type 'llm-alignmnet' (did you mean 'llm-alignment'?)"]),
        ("title: A\ntype:\n", ["x.yaml:2: type: is empty; expected a type id from taxonomy.yaml, such as llm-alignment"]),
        ("type: adjacent\n", ["x.yaml:1: title: required field is missing"]),
        ("title: A\ntype: adjacent\ntags: [dpoo]\n", ["x.yaml:3: tags[0]: unknown tag 'dpoo' (did you mean 'dpo'?)"]),
        ("title: A\ntype: adjacent\ntags:\n  - reinforcement-learning-from-human-feedback\n",
         ["x.yaml:4: tags[0]: unknown tag 'reinforcement-learning-from-human-feedback' (did you mean 'rlhf'?)"]),
        ("title: A\ntype: adjacent\nlinks:\n  code: javascript:alert(1)\n",
         ["x.yaml:4: links.code: must be one http:// or https:// URL, got 'javascript:alert(1)'"]),
        ("title: A\ntype: adjacent\nlinks:\n  paper: data:text/html,x\n",
         ["x.yaml:4: links.paper: must be one http:// or https:// URL, got 'data:text/html,x'"]),
        ("title: A\ntype: adjacent\nlinks:\n  github: https://github.com/a/b\n",
         ["x.yaml:4: links.github: unknown link kind 'github' (expected one of: paper, arxiv, doi, code, project, model, dataset, demo, other)"]),
        ("title: A\ntype: adjacent\nadded: 2024-13-01\n", ["x.yaml:3: added: not a real date: '2024-13-01'"]),
        ("title: A\ntype: adjacent\nadded: yesterday\n", ["x.yaml:3: added: must be a date written YYYY-MM-DD, got 'yesterday'"]),
        ("title: \"A\\nB\"\ntype: adjacent\n", ["x.yaml:1: title: must be one line of text, got 'A\\nB'"]),
        ("title: |\n  A\ntype: adjacent\n", ["x.yaml:1: title: must be one line of text, got 'A\\n'"]),
        ("title: A\ntype: adjacent\nadded: \"2024-01-02\\n\"\n",
         ["x.yaml:3: added: must be a date written YYYY-MM-DD, got '2024-01-02\\n'"]),
        ("title: A\ntype: adjacent\nyear: 1066\n", ["x.yaml:3: year: expected a number from 1900 to 2100, got 1066"]),
        ("title: A\ntype: adjacent\naliases: [../etc]\n", ["x.yaml:3: aliases[0]: must be a record id: lowercase letters, digits and hyphens, got '../etc'"]),
        ("title: A\ntype: adjacent\ntags: [dpo, dpo]\n", ["x.yaml:3: tags: lists the same value twice"]),
        ("- title: A\n", ["x.yaml:1: expected a mapping of fields (title, type, ...), got a list"]),
        ("", ["x.yaml:1: expected a mapping of fields (title, type, ...), got an empty file"]),
        ("base: &b {title: A}\n", ["x.yaml:1: YAML anchor '&b' is not allowed in records; write the value out"]),
        ("title: A\ntype: adjacent\nsummary: !!python/object:os.system x\n", ["x.yaml:3: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed in records"]),
        ("title: A\ntype: adjacent\nabstract: |\n  x\n\ty\n",
         ["x.yaml:5: YAML syntax error: while scanning for the next token, found character '\\t' that cannot start any token (YAML is indented with spaces, never tabs)"]),
        ("title: [unclosed\ntype: adjacent\n", ["x.yaml:2: YAML syntax error: while parsing a flow sequence, expected ',' or ']', but got ':'"]),
    ],
)
def test_bad_record_messages(make_content, text, expected):
    assert messages(make_content({"x.yaml": text})) == expected


def test_alias_refused_before_expansion(make_content):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("bcdefgh", "cdefghi")
    )
    assert messages(make_content({"x.yaml": bomb})) == ["x.yaml:1: YAML anchor '&a' is not allowed in records; write the value out"]


def test_bytes_problems(make_content):
    root = make_content({
        "latin.yaml": "title: caf\xe9\ntype: adjacent\n".encode("latin-1"),
        "bom.yaml": "\ufefftitle: A\ntype: adjacent\n".encode("utf-8"),
        "big.yaml": b"title: A\ntype: adjacent\nabstract: " + b"x" * 70000 + b"\n",
    })
    assert messages(root) == [
        "big.yaml:1: file is 70035 bytes; the limit is 65536 bytes",
        "latin.yaml:1: not UTF-8 text (byte 0xe9 at offset 10)",
    ]


def test_file_names_and_folder_entries(make_content, tmp_path):
    root = make_content({"Bad_Name.yaml": {"title": "A", "type": "adjacent"}, "notes.txt": "x"})
    (root / "papers" / "sub").mkdir()
    (root / "papers" / "link.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert messages(root) == [
        "Bad_Name.yaml:1: file name must be <id>.yaml with an id of lowercase letters, digits and hyphens, got 'Bad_Name'",
        "link.yaml:1: is a symbolic link; records must be plain files inside the papers folder",
        "notes.txt:1: is not a record: records are files named <id>.yaml",
        "sub:1: is a folder; records are files named <id>.yaml directly in the papers folder",
    ]


def test_every_problem_of_every_file_is_reported(make_content):
    root = make_content({
        "a.yaml": "title: A\ntype: nope-type\nyear: x\n",
        "b.yaml": "title: B\ntype: adjacent\ntags: [zzzzzz]\n",
    })
    assert messages(root) == [
        "a.yaml:2: type: unknown type 'nope-type' (expected one of: llm-alignment, multimodal-alignment, sequence-alignment, entity-alignment, cross-lingual-alignment, speech-alignment, gradient-alignment, adjacent)",
        "a.yaml:3: year: expected an integer, got 'x'",
        "b.yaml:3: tags[0]: unknown tag 'zzzzzz' (see the tags in taxonomy.yaml)",
    ]
    with pytest.raises(ContentError) as caught:
        require_valid(load_content(root))
    assert len(caught.value.problems) == 3


def test_cross_record_checks(make_content):
    root = make_content({
        "a.yaml": {"title": "A", "type": "adjacent", "aliases": ["b", "old"]},
        "b.yaml": {"title": "B", "type": "adjacent", "aliases": ["old"], "not_duplicates": ["ghost", "a"]},
        "c.yaml": {"title": "C", "type": "adjacent", "not_duplicates": ["c"]},
    })
    assert messages(root) == [
        "a.yaml:4: aliases[0]: 'b' is the id of b.yaml",
        "b.yaml:4: aliases[0]: 'old' is already an alias of a.yaml",
        "b.yaml:6: not_duplicates[0]: no record has the id 'ghost'",
        "c.yaml:3: not_duplicates: lists the record's own id 'c'",
    ]


def test_taxonomy_problems_are_reported_with_lines(make_content):
    taxonomy = "types:\n  - id: llm-alignment\n    title: T\n    short: s\n    description: d\n    colour: x\ntags: []\ntasks: []\n"
    with pytest.raises(ContentError) as caught:
        load_content(make_content({}, taxonomy=taxonomy))
    text = [str(p).split("taxonomy.yaml")[1] for p in caught.value.problems]
    # taxonomy.yaml is checked against its schema like a record: the unknown key is named and
    # the known ones are listed in the schema's order
    assert text == [":6: types[0].colour: unknown key 'colour' (expected one of: id, title, short, description, groups, cues, needs)"]


def test_shipped_taxonomy_has_the_eight_types():
    from generator.content.taxonomy import TYPE_IDS, load_taxonomy

    from conftest import ROOT

    taxonomy = load_taxonomy(ROOT / "content")
    assert tuple(taxonomy.types) == TYPE_IDS
    assert taxonomy.tag_for("Reinforcement Learning from Human Feedback") == "rlhf"
    assert all(t.description for t in taxonomy.types.values())

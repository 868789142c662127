"""The curated files (taxonomy.yaml, extraction.yaml, dedupe.yaml) and their JSON Schemas: the
shipped files point editors at their schema and satisfy it, and their problems read like a
record's (file, line, field, what was expected)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.content.schemas import ID_FORM, checker, load_schema
from generator.content.taxonomy import load_taxonomy
from generator.dedupe.rules import load_rules as load_dedupe
from generator.ingest.extraction import load_rules as load_extraction
from generator.content.yamlio import read_curated, read_file
from generator.errors import ContentError

from conftest import ROOT

CURATED = ["taxonomy", "extraction", "dedupe"]


@pytest.mark.parametrize("name", CURATED)
def test_each_curated_file_names_its_schema_on_its_first_line(name):
    path = ROOT / "content" / f"{name}.yaml"
    first = path.read_text("utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../generator/schemas/{name}.schema.json"
    schema = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert schema == ROOT / "generator" / "schemas" / f"{name}.schema.json"
    assert json.loads(schema.read_text("utf-8")) == load_schema(name)


@pytest.mark.parametrize("name", CURATED)
def test_the_shipped_file_satisfies_its_schema_by_plain_jsonschema(name):
    jsonschema.Draft202012Validator.check_schema(load_schema(name))
    doc, _ = read_curated(ROOT / "content" / f"{name}.yaml", "a mapping")
    assert [e.message for e in jsonschema.Draft202012Validator(load_schema(name)).iter_errors(doc.data)] == []


def _patterns(schema):
    if isinstance(schema, dict):
        if "pattern" in schema and "[a-z0-9-]" in schema["pattern"]:
            yield schema["pattern"]
        for value in schema.values():
            yield from _patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _patterns(value)


@pytest.mark.parametrize("name", ["paper", "taxonomy"])
def test_every_id_pattern_is_the_one_id_form(name):
    """So an id with a look-alike letter is named the same way in a record and in the taxonomy."""
    found = set(_patterns(load_schema(name)))
    assert found == {ID_FORM}


TAXONOMY = (ROOT / "content" / "taxonomy.yaml").read_text("utf-8")


def taxonomy_problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "taxonomy.yaml").write_text(text, "utf-8")
    with pytest.raises(ContentError) as caught:
        load_taxonomy(tmp_path)
    return [str(p).split("taxonomy.yaml", 1)[1] for p in caught.value.problems]


def line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def test_a_wrong_type_a_missing_key_and_a_misspelt_key_in_the_taxonomy(tmp_path):
    text = (TAXONOMY.replace("  - id: rlhf\n    title: RLHF\n", "  - id: rlhf\n    titel: RLHF\n", 1)
            .replace("    types: [llm-alignment]\n", "    types: llm-alignment\n", 1))
    rlhf = line_of(text, "  - id: rlhf")
    assert taxonomy_problems(tmp_path, text) == [
        f":{rlhf}: tags[0].title: required field is missing",
        f":{rlhf + 1}: tags[0].titel: unknown key 'titel' (did you mean 'title'?)",
        f":{rlhf + 3}: tags[0].types: expected a list, got 'llm-alignment'",
    ]


def test_ids_empty_values_and_cue_weights_in_the_taxonomy(tmp_path):
    text = (TAXONOMY.replace("  - id: dpo\n", "  - id: DPO\n", 1)
            .replace("      rlhf: 5\n", "      rlhf: five\n", 1)
            .replace("    short: Steering language models", "    short:\n    shortened: Steering language models", 1))
    short = line_of(text, "    short:")
    assert taxonomy_problems(tmp_path, text) == [
        f":{short}: types[0].short: is empty; expected text",
        f":{short + 1}: types[0].shortened: unknown key 'shortened' (did you mean 'short'?)",
        f":{line_of(text, '      rlhf: five')}: types[0].cues.rlhf: expected an integer, got 'five'",
        f":{line_of(text, '  - id: DPO')}: tags[1].id: must be an id: lowercase letters, digits and hyphens, got 'DPO'",
    ]


def test_what_only_the_whole_file_can_say(tmp_path):
    """Cross-section checks stay in code: the fixed type ids, ids written twice, a tag's types
    naming types of the file, and a group's tags naming tags of the file (with a suggestion)."""
    text = (TAXONOMY.replace("  - id: dpo\n", "  - id: rlhf\n", 1)
            .replace("    types: [llm-alignment]\n", "    types: [llm-alignment, dna-alignment]\n", 1))
    assert taxonomy_problems(tmp_path, text) == [
        f":{line_of(text, '    types: [llm-alignment, dna-alignment]')}: tags[0].types[1]: unknown type 'dna-alignment' "
        "(expected one of: llm-alignment, multimodal-alignment, sequence-alignment, entity-alignment, "
        "cross-lingual-alignment, speech-alignment, gradient-alignment, adjacent)",
        f":{line_of(text, '  - id: rlhf') + 4}: tags[1].id: duplicate id 'rlhf'",
    ]
    text = TAXONOMY.replace("  - id: adjacent\n", "  - id: unrelated\n", 1)
    problems = taxonomy_problems(tmp_path, text)
    assert problems[0] == (
        f":{line_of(text, '  - id: unrelated')}: types[7].id: unknown type id 'unrelated' (the ids are fixed: "
        "llm-alignment, multimodal-alignment, sequence-alignment, entity-alignment, cross-lingual-alignment, "
        "speech-alignment, gradient-alignment, adjacent)")
    assert problems[1:] and all("unknown type 'adjacent' (expected one of: llm-alignment," in p for p in problems[1:])
    text = TAXONOMY.replace("        tags: [rlhf, dpo, preference-optimization", "        tags: [rlhf, dop, preference-optimization", 1)
    assert taxonomy_problems(tmp_path, text) == [
        f":{line_of(text, '        tags: [rlhf, dop, preference-optimization, reward-modeling]')}: "
        "types[0].groups[0].tags[1]: unknown tag 'dop' (did you mean 'dpo'?)",
    ]


def test_a_curated_file_reads_negative_and_decimal_numbers_and_a_record_does_not(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("a: -2\nb: 0.5\nc: '0.5'\nd: 1.2.3\ne: 007\nf: [3, -0.25]\n", "utf-8")
    doc, _ = read_curated(path, "a mapping")
    assert doc.data == {"a": -2, "b": 0.5, "c": "0.5", "d": "1.2.3", "e": "007", "f": [3, -0.25]}
    assert read_file(path).data == {"a": "-2", "b": "0.5", "c": "0.5", "d": "1.2.3", "e": "007", "f": [3, "-0.25"]}


def _trimmed(value, top=True):
    """Every section of a document, with the first keys of each mapping and items of each list."""
    if isinstance(value, dict):
        return {k: _trimmed(v, False) for k, v in (value.items() if top else list(value.items())[:4])}
    if isinstance(value, list):
        return [_trimmed(v, False) for v in value[:2]]
    return value


def _broken_copies(data):
    """The document with one value at a time replaced by values of other kinds."""
    def paths(value, at=()):
        yield at
        if isinstance(value, dict):
            for key, item in value.items():
                yield from paths(item, at + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from paths(item, at + (i,))

    for at in list(paths(data))[1:]:
        for other in (None, " ", "x", -1, 0.5, 200, [], {"x": 1}):
            copy = json.loads(json.dumps(data))
            target = copy
            for part in at[:-1]:
                target = target[part]
            target[at[-1]] = other
            yield copy


@pytest.mark.parametrize("name", CURATED)
def test_the_compiled_check_agrees_with_jsonschema_on_the_curated_files(name):
    check = checker(name)
    doc, _ = read_curated(ROOT / "content" / f"{name}.yaml", "a mapping")
    small = _trimmed(doc.data)
    copies = list(_broken_copies(small))
    assert len(copies) > 200
    assert [check.fast(d) for d in copies] == [check.validator.is_valid(d) for d in copies]
    assert check.fast(small) and not all(check.fast(d) for d in copies)


@pytest.mark.parametrize("name", CURATED)
def test_a_broken_curated_file_is_a_list_of_problems_never_a_traceback(name, tmp_path):
    load = {"taxonomy": load_taxonomy, "extraction": load_extraction, "dedupe": load_dedupe}[name]
    doc, _ = read_curated(ROOT / "content" / f"{name}.yaml", "a mapping")
    refused = 0
    for i, copy in enumerate(_broken_copies(_trimmed(doc.data))):
        folder = tmp_path / str(i)
        folder.mkdir()
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(copy, allow_unicode=True), "utf-8")
        try:
            load(folder)
        except ContentError as exc:
            refused += 1
            assert exc.problems and all(str(p).startswith(str(folder)) or f"{name}.yaml:" in str(p) for p in exc.problems)
    assert refused > 100

"""``atlas dedupe`` (report, --json, --apply) and the duplicate check of ``atlas validate``."""

from __future__ import annotations

import json

import yaml

from conftest import GOOD

DPO_VARIANT = {
    "title": "Direct preference optimisation - your language model is secretly a reward model",
    "type": "llm-alignment",
    "abstract": "A different abstract written by another contributor.",
    "summary": "DPO fits a policy to preferences without a reward model.",
    "tags": ["dpo", "rlhf"],
    "links": {"arxiv": "https://arxiv.org/abs/2305.18290v3", "code": "https://github.com/eric-mitchell/direct-preference-optimization"},
    "authors": ["Eric Mitchell"],
    "aliases": ["dpo-old"],
    "added": "2026-11-25",
    "notes": "Checked against the NeurIPS version.",
}
QWEN2 = {"title": "Qwen2 Technical Report", "type": "llm-alignment", "year": 2024}
QWEN25 = {"title": "Qwen2.5 Technical Report", "type": "llm-alignment", "year": 2024}


def test_json_output_has_exactly_the_promised_shape(make_content, atlas):
    content = make_content({"dpo.yaml": GOOD, "dpo-again.yaml": DPO_VARIANT, "qwen2.yaml": QWEN2, "qwen2-5.yaml": QWEN25})
    before = sorted((p.name, p.read_bytes()) for p in (content / "papers").iterdir())
    result = atlas("dedupe", "--content", str(content), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"groups": [{
        "ids": ["dpo", "dpo-again"], "score": 100.0,
        "reason": "same arXiv id 2305.18290; titles agree (100.0)",
    }]}
    assert result.stdout.count("\n") == 1
    assert sorted((p.name, p.read_bytes()) for p in (content / "papers").iterdir()) == before


def test_report_names_files_and_changes_nothing(make_content, atlas):
    content = make_content({"dpo.yaml": GOOD, "dpo-again.yaml": DPO_VARIANT})
    result = atlas("dedupe", "--content", str(content))
    assert result.returncode == 0, result.stderr
    assert "dpo-again.yaml" in result.stdout and "dpo.yaml" in result.stdout
    assert "1 group(s) of duplicates in 2 record(s)" in result.stdout
    assert (content / "papers" / "dpo-again.yaml").exists() and not (content / "merged").exists()


def test_empty_json_when_no_duplicates(make_content, atlas):
    content = make_content({"qwen2.yaml": QWEN2, "qwen2-5.yaml": QWEN25})
    result = atlas("dedupe", "--content", str(content), "--json")
    assert json.loads(result.stdout) == {"groups": []}


def test_apply_merges_without_losing_anything(make_content, atlas):
    content = make_content({"dpo.yaml": GOOD, "dpo-again.yaml": DPO_VARIANT, "qwen2.yaml": QWEN2})
    removed_text = (content / "papers" / "dpo-again.yaml").read_text("utf-8")
    result = atlas("dedupe", "--content", str(content), "--apply")
    assert result.returncode == 0, result.stderr
    # Both say as much; GOOD was added first, so it survives. The other file is kept byte for byte.
    assert not (content / "papers" / "dpo-again.yaml").exists()
    assert (content / "merged" / "dpo-again.yaml").read_text("utf-8") == removed_text
    merged = yaml.safe_load((content / "papers" / "dpo.yaml").read_text("utf-8"))
    assert merged["links"] == {"arxiv": "https://arxiv.org/abs/2305.18290",
                               "code": "https://github.com/eric-mitchell/direct-preference-optimization"}
    assert merged["tags"] == ["dpo", "preference-optimization", "rlhf"]
    assert merged["authors"] == ["Rafael Rafailov", "Archit Sharma", "Eric Mitchell"]
    assert merged["aliases"] == ["dpo-again", "dpo-old"]
    assert merged["summary"] == DPO_VARIANT["summary"]
    assert merged["abstract"] == GOOD["abstract"] and merged["year"] == 2023
    assert DPO_VARIANT["notes"] in merged["notes"]
    assert "merged/dpo-again.yaml" in merged["notes"] and "abstract" in merged["notes"]
    out = result.stdout
    assert "links.code: added https://github.com/eric-mitchell/direct-preference-optimization from dpo-again" in out
    assert "aliases: added 'dpo-again' from dpo-again" in out
    assert "summary: taken from dpo-again" in out
    for field in ("abstract", "title", "added"):
        assert f"CONFLICT dpo: {field}:" in out
    assert (content / "papers" / "qwen2.yaml").exists()
    validated = atlas("validate", "--content", str(content))
    assert validated.returncode == 0, validated.stderr
    again = atlas("dedupe", "--content", str(content), "--json")
    assert json.loads(again.stdout) == {"groups": []}


def test_apply_lists_conflicting_links(make_content, atlas):
    other_code = dict(DPO_VARIANT, links={"arxiv": "https://arxiv.org/abs/2305.18290", "code": "https://github.com/b/dpo"})
    mine = dict(GOOD, links={"arxiv": "https://arxiv.org/abs/2305.18290", "code": "https://github.com/a/dpo"})
    content = make_content({"dpo.yaml": mine, "dpo-again.yaml": other_code})
    result = atlas("dedupe", "--content", str(content), "--apply")
    assert "CONFLICT dpo: links.code: kept https://github.com/a/dpo; dpo-again has https://github.com/b/dpo" in result.stdout
    merged = yaml.safe_load((content / "papers" / "dpo.yaml").read_text("utf-8"))
    assert merged["links"]["code"] == "https://github.com/a/dpo"


def test_apply_refuses_when_a_merged_copy_exists(make_content, atlas):
    content = make_content({"dpo.yaml": GOOD, "dpo-again.yaml": DPO_VARIANT})
    (content / "merged").mkdir()
    (content / "merged" / "dpo-again.yaml").write_text("kept: earlier\n", "utf-8")
    result = atlas("dedupe", "--content", str(content), "--apply")
    assert result.returncode == 1 and "already exists" in result.stderr
    assert (content / "papers" / "dpo-again.yaml").exists()
    assert (content / "merged" / "dpo-again.yaml").read_text("utf-8") == "kept: earlier\n"


def test_validate_fails_a_record_that_re_adds_a_known_paper(make_content, atlas):
    variant = {"title": "Direct Preference Optimisation: Your Language Model Is Secretly a Reward Model",
               "type": "llm-alignment", "year": 2023}
    content = make_content({"dpo.yaml": GOOD, "new-dpo.yaml": variant, "qwen2.yaml": QWEN2})
    new_file = content / "papers" / "new-dpo.yaml"
    result = atlas("validate", "--content", str(content), str(new_file))
    assert result.returncode == 1
    lines = [l for l in result.stderr.splitlines() if "new-dpo.yaml:1: title:" in l]
    assert len(lines) == 1, result.stderr
    assert "duplicates " in lines[0] and "papers/dpo.yaml" in lines[0]
    assert "(score 100.0: same normalized title)" in lines[0]
    everything = atlas("validate", "--content", str(content))
    assert everything.returncode == 1 and "dpo.yaml:1: title: duplicates" in everything.stderr


def test_validate_accepts_pairs_listed_in_not_duplicates(make_content, atlas):
    first = {"title": "Attention is not Explanation", "type": "adjacent", "year": 2019}
    second = {"title": "Attention is not Explanation", "type": "adjacent", "year": 2019, "not_duplicates": ["first"]}
    content = make_content({"first.yaml": first, "second.yaml": second})
    assert atlas("validate", "--content", str(content)).returncode == 0
    del second["not_duplicates"]
    content = make_content({"first.yaml": first, "second.yaml": second}, name="other")
    assert atlas("validate", "--content", str(content)).returncode == 1


def test_survivor_has_most_information_then_earliest_added_then_smallest_id():
    from generator.dedupe.merge import choose_survivor
    from generator.content.models import Paper

    rich = Paper(id="z-rich", title="T", type="adjacent", abstract="A", tags=("dpo",), added="2026-12-01")
    poor = Paper(id="a-poor", title="T", type="adjacent", added="2026-01-01")
    assert choose_survivor([poor, rich]).id == "z-rich"
    older = Paper(id="m", title="T", type="adjacent", added="2025-01-01")
    newer = Paper(id="b", title="T", type="adjacent", added="2026-01-01")
    undated = Paper(id="a", title="T", type="adjacent")
    assert choose_survivor([newer, undated, older]).id == "m"
    assert choose_survivor([Paper(id="y", title="T", type="adjacent"), Paper(id="x", title="T", type="adjacent")]).id == "x"


def test_apply_merges_a_group_of_three_into_one(make_content, atlas):
    title = "Proximal Policy Optimization Algorithms"
    records = {
        "ppo.yaml": {"title": title, "type": "llm-alignment", "links": {"arxiv": "https://arxiv.org/abs/1707.06347"},
                     "tags": ["rlhf"], "added": "2026-01-01"},
        "ppo-2.yaml": {"title": title + ".", "type": "llm-alignment", "links": {"arxiv": "https://arxiv.org/abs/1707.06347v2"}},
        "ppo-3.yaml": {"title": "Proximal policy optimisation algorithms", "type": "llm-alignment", "year": 2017},
    }
    content = make_content(records)
    result = atlas("dedupe", "--content", str(content), "--apply")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (content / "papers").iterdir()) == ["ppo.yaml"]
    assert sorted(p.name for p in (content / "merged").iterdir()) == ["ppo-2.yaml", "ppo-3.yaml"]
    merged = yaml.safe_load((content / "papers" / "ppo.yaml").read_text("utf-8"))
    assert merged["aliases"] == ["ppo-2", "ppo-3"] and merged["year"] == 2017

"""Normalization of imported papers: text, links, type, method, task, tags, and the rules file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.ingest.classify import choose_type
from generator.ingest.method import choose_method
from generator.errors import ContentError
from generator.ingest.extraction import load_rules
from generator.ingest.readers import RawPaper
from generator.content.links import assign_links, clean_url, find_urls
from generator.ingest.normalize import normalize, title_key
from generator.content.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rules():
    return load_rules(ROOT / "content")


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(ROOT / "content")


@pytest.mark.parametrize("raw, expected", [
    ("https://github.com/a/b.", "https://github.com/a/b"),
    ("https://github.com/a/b.git.", "https://github.com/a/b"),
    ("https://github.com/a/b),", "https://github.com/a/b"),
    ("https://github.com/a/b{https://github.com/a/b}", "https://github.com/a/b"),
    ("https://github.com/a/bhttps://github.com/a/b", "https://github.com/a/b"),
    ("http://arxiv.org/abs/2401.01234v3.", "https://arxiv.org/abs/2401.01234"),
    ("https://example.org/x/", "https://example.org/x"),
    ("https://en.wikipedia.org/wiki/A_(b)", "https://en.wikipedia.org/wiki/A_(b)"),
])
def test_clean_url(raw, expected):
    assert clean_url(raw) == expected


def test_find_urls_in_text_once_each_in_order():
    text = ("Code is at https://github.com/x/y. Data: https://huggingface.co/datasets/x/d, and again "
            "https://github.com/x/y{https://github.com/x/y}; demo (https://huggingface.co/spaces/x/s).")
    assert find_urls(text) == ["https://github.com/x/y", "https://huggingface.co/datasets/x/d", "https://huggingface.co/spaces/x/s"]


def test_assign_links_one_kind_per_url_and_nothing_dropped_silently():
    links, notes = assign_links(["https://github.com/a/one", "https://huggingface.co/org/model",
                                 "https://github.com/a/two", "https://github.com/a/three"])
    assert links == {"code": "https://github.com/a/one", "model": "https://huggingface.co/org/model",
                     "other": "https://github.com/a/two"}
    assert notes == ["https://github.com/a/two is a second code link; kept as other",
                     "https://github.com/a/three (code) not kept: code and other are taken"]


def test_normalize_keeps_abstract_words_and_notes_the_extra_links(rules, taxonomy):
    abstract = ("We propose  PairRank, a preference optimization method\nthat needs no reward model.  "
                "Code: https://github.com/a/one, https://github.com/a/two and https://github.com/a/three.")
    raw = RawPaper(title="PairRank:\n Listwise   Preference\tOptimization", abstract=abstract,
                   urls=["https://arxiv.org/abs/2401.00001"])
    out = normalize(raw, taxonomy, rules, today=dt.date(2025, 1, 2))
    record = out.record
    assert record["title"] == "PairRank: Listwise Preference Optimization"
    assert record["abstract"].split() == abstract.split()
    assert record["links"] == {"arxiv": "https://arxiv.org/abs/2401.00001", "code": "https://github.com/a/one",
                               "other": "https://github.com/a/two"}
    assert "https://github.com/a/three (code) not kept" in record["notes"]
    assert record["added"] == "2025-01-02"
    assert record["method"] == "PairRank" and record["type"] == "llm-alignment"
    assert any(line.startswith("links: https://github.com/a/three") for line in out.explain)
    assert list(record) == ["title", "type", "abstract", "method", "task", "tags", "links", "added", "notes"]


def test_tags_keep_the_strongest_up_to_the_limit(rules, taxonomy):
    from generator.ingest.classify import choose_tags

    abstract = ("We study RLHF and DPO for safety, with a survey of distillation, retrieval and translation. "
                "Safety matters: safety again.")
    chosen = choose_tags("Safety Tuning with DPO", abstract, taxonomy, rules).value
    assert rules.max_tags == 3
    # safety 6 and dpo 4 (title hits), then the first of the one-mention tags in vocabulary order
    assert chosen == ("rlhf", "dpo", "safety")


def test_title_nfc_and_key(rules, taxonomy):
    record = normalize(RawPaper(title="Cafe\u0301 Alignment", abstract="We study it."), taxonomy, rules).record
    assert record["title"] == "Café Alignment"
    assert title_key("Café:  Alignment!") == title_key("cafe alignment")


@pytest.mark.parametrize("title, abstract, method", [
    ("LongPO: Long Context Self-Evolution", "We study context.", "LongPO"),
    ("Efficient Alignment via Data Sampling", "Further, we propose an information theory-based methodology for alignment.", None),
    ("Aligning Multimodal LLM with Human Preference: A Survey", "We propose a taxonomy, called MAP.", None),
    ("Balancing Speciality and Versatility: a Coarse to Fine Framework", "Here we propose CoFiTune, a coarse to fine framework.", "CoFiTune"),
    ("Preference Ranking Optimization for Human Alignment", "We propose Preference Ranking Optimization (PRO) as an alternative to PPO.", "PRO"),
    ("Rethinking Without Colon", "We introduce a simple method, URIAL. We build a set named JUST-EVAL.", "URIAL"),
    ("Align Better", "We introduce a novel technique termed Mixture-of-Instructions (MoI), which helps.", "MoI"),
    ("Large Language Models Are Aligned", "Large language models (LLMs) trained with RLHF improve.", None),
    ("Qwen9 Alignment Technical Report", "We describe the alignment of our model.", "Qwen9 Alignment"),
    ("Distilling Preferences", "We first try X. We then propose Advantage-Guided Distillation (AGD), which helps.", "AGD"),
    ("Three Stages", "We propose a paradigm of three stages: Pre-training using Extensive Monolingual Data, and more.", None),
    ("Good Data", "We present deita (short for Data-Efficient Instruction Tuning), a model series.", "deita"),
    ("Frameworks Align", "We propose an LLM-based framework, GuideBot, for safer answers.", "GuideBot"),
    ("Classifiers Align", "We propose a new algorithm, Binary Classifier Optimization, that integrates ideas.", "Binary Classifier Optimization"),
])
def test_choose_method(rules, title, abstract, method):
    assert choose_method(title, abstract, rules).value == method


@pytest.mark.parametrize("title, abstract, kind", [
    ("Read, Highlight and Summarize: A Hierarchical Encoder", "We propose an extractive summarization model for news articles.", "adjacent"),
    ("Dynamic Gradient Alignment for Online Data Mixing", "We set domain weights by gradient alignment.", "gradient-alignment"),
    ("VisPref: Preference Alignment of Vision-Language Models", "We tune multimodal LLMs with direct preference optimization on image captions.", "multimodal-alignment"),
    ("Tuning Language Models with Human Feedback", "We apply RLHF with a reward model to large language models.", "llm-alignment"),
    ("A Benchmark of Many Things", "We benchmark models on a leaderboard.", "adjacent"),
    ("Response Generation for Fine-Tuning Large Language Models", "Large language models (LLMs) are fine-tuned; we pick LLM outputs to train LLMs.", "adjacent"),
])
def test_choose_type(rules, taxonomy, title, abstract, kind):
    assert choose_type(title, abstract, taxonomy, rules).value == kind


def test_explain_names_the_cues(rules, taxonomy):
    choice = choose_type("Entity Alignment in Knowledge Graphs", "Entity alignment matches entities.", taxonomy, rules)
    assert choice.value == "entity-alignment"
    assert "entity alignment +" in choice.because and "(title)" in choice.because


def test_rules_file_is_checked_strictly(tmp_path):
    (tmp_path / "extraction.yaml").write_text(
        "listing:\n  chrome: [new]\n  date_headers: ['(unclosed']\n  bogus: 1\n"
        "type:\n  min_alignment: -3\n  generic: [not-a-type]\ntask:\n  default_task: {nope: x}\nextra: {}\ntags:\n  max_tags: many\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        load_rules(tmp_path)
    # checked against extraction.schema.json with the records' wording (a range is "from 0 to
    # 1" as a record's year is, a whole number is "an integer"), the regular expression and the
    # type ids in code; every problem at once, in the order of the lines
    assert [str(p).split("extraction.yaml", 1)[1] for p in caught.value.problems] == [
        ":3: listing.date_headers[0]: not a regular expression: missing ), unterminated subpattern at position 0",
        ":4: listing.bogus: unknown key 'bogus' (expected one of: chrome, date_headers, title_max_words, title_max_chars)",
        ":6: type.min_alignment: expected a number from 0 to 1, got -3",
        ":7: type.generic[0]: unknown type id 'not-a-type'",
        ":9: task.default_task.nope: unknown type id 'nope'",
        ":10: extra: unknown section 'extra' (expected one of: listing, method, type, task, tags)",
        ":12: tags.max_tags: expected an integer, got 'many'",
    ]


def test_missing_rules_file_is_a_content_error(tmp_path):
    with pytest.raises(ContentError) as caught:
        load_rules(tmp_path)
    assert "extraction.yaml:1: missing: the importer needs its reading rules" in str(caught.value.problems[0])

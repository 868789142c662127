"""The voices behind an imported paper's type: cues, tags, curated neighbours, and the decision."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.content.models import Paper
from generator.content.taxonomy import load_taxonomy
from generator.errors import ContentError
from generator.ingest.classify import choose_type, tag_hits, tag_scores, type_cue_scores
from generator.ingest.extraction import load_rules
from generator.ingest.voices import REVIEW_MARK, CuratedEvidence, Voice, cue_voice, decide, neighbour_voice, tag_voice

ROOT = Path(__file__).resolve().parent.parent

GENOME = ("We map short sequencing reads against a reference genome with a seed index over the "
          "chromosome, finding variants in maize and wheat cultivars with banded dynamic programming.")
PREFERENCE = ("We collect pairwise comparisons from annotators and fit a reward model, then optimise "
              "the chat policy against it so its answers follow what annotators prefer.")


@pytest.fixture(scope="module")
def rules():
    return load_rules(ROOT / "content")


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(ROOT / "content")


def paper(ident: str, kind: str, abstract: str, notes: str | None = None) -> Paper:
    return Paper(id=ident, title=ident.replace("-", " "), type=kind, abstract=abstract, notes=notes)


def test_cue_voice_shares_by_score_and_ignores_context_words(rules, taxonomy):
    voice = cue_voice(type_cue_scores("Entity Alignment across Knowledge Graphs", "We align entities.", taxonomy, rules), rules)
    assert voice.name == "cues" and voice.weight == rules.voice("cues")[0]
    assert max(voice.shares, key=voice.shares.get) == "entity-alignment"
    assert abs(sum(voice.shares.values()) - 1.0) < 1e-9  # a strong voice gives out all its weight
    assert "entity-alignment" in voice.named
    context = cue_voice(type_cue_scores("Large Language Models", "LLMs are large language models.", taxonomy, rules), rules)
    assert context.shares.get("llm-alignment", 0) == 0
    assert any("context only" in line for line in context.evidence)


def test_weak_cues_speak_softly(rules, taxonomy):
    voice = cue_voice(type_cue_scores("A study", "The gradients of two tasks.", taxonomy, rules), rules)
    assert 0 < voice.shares["gradient-alignment"] < 1.0
    assert voice.shares["gradient-alignment"] == pytest.approx(3 / rules.voice("cues")[1])


def test_tag_voice_votes_for_linked_types_and_shares_among_them(rules, taxonomy):
    assert taxonomy.tags["dpo"].types == ("llm-alignment",)
    hits = {"dpo": {"*po": 4}, "decoding": {"best-of-n": 2}, "survey": {"survey": 5}}
    voice = tag_voice(hits, taxonomy, rules)
    full = rules.voice("tags")[1]
    total = max(4 + 2, full)
    assert voice.shares["llm-alignment"] == pytest.approx((4 + 1) / total)
    assert voice.shares["adjacent"] == pytest.approx(1 / total)
    assert not any(line.startswith("survey") for line in voice.evidence)  # a tag without types does not vote
    found = tag_hits("Direct Preference Optimization for Chat", "We use DPO.", taxonomy, rules)
    assert found["dpo"] == {"direct preference optimization": rules.title_weight, "dpo": 1}
    assert tag_scores("Direct Preference Optimization for Chat", "We use DPO.", taxonomy, rules)["dpo"] == rules.title_weight + 1


def test_tag_voice_does_not_count_a_phrase_the_cues_voice_counted(rules, taxonomy):
    """"multilingual" is a cue of cross-lingual alignment and a synonym of the translation tag:
    the cues voice hears it, the tags voice does not hear it again."""
    assert any(phrase == "multilingual" for phrase, _ in taxonomy.types["cross-lingual-alignment"].cues)
    voice = tag_voice({"translation": {"multilingual": 3}}, taxonomy, rules)
    assert voice.shares == {}
    assert voice.evidence == ["translation 0 -> cross-lingual-alignment (multilingual counted as cues)"]
    mixed = tag_voice({"dpo": {"dpo": 1, "*po": 2}}, taxonomy, rules)  # "dpo" is a cue, "*po" is not
    assert mixed.shares["llm-alignment"] == pytest.approx(2 / max(2, rules.voice("tags")[1]))


def test_a_tie_with_adjacent_work_goes_to_adjacent(rules, taxonomy):
    """A decoding paper whose only evidence is the decoding tag (linked to adjacent work and to
    language-model alignment) is adjacent: the sense needs evidence of its own."""
    decision = choose_type("Sampling Many Paths for Better Answers",
                           "We replace greedy decoding by sampling several paths and voting.", taxonomy, rules)
    assert decision.totals["adjacent"] > 0
    assert decision.totals["adjacent"] == pytest.approx(decision.totals["llm-alignment"])
    assert decision.value == "adjacent"


def test_neighbour_voice_votes_with_the_most_similar_curated_papers(rules):
    curated = CuratedEvidence([
        paper("maize-reads", "sequence-alignment", GENOME),
        paper("chat-rewards", "llm-alignment", PREFERENCE),
        paper("unreviewed", "adjacent", GENOME, notes="imported by atlas ingest; " + REVIEW_MARK),
    ])
    assert len(curated) == 2  # the importer's own unreviewed guesses are no evidence
    voice = neighbour_voice("Short sequencing reads of wheat cultivars are mapped to a reference genome index.", curated, rules)
    assert set(voice.shares) == {"sequence-alignment"}
    assert voice.evidence[0].startswith("maize-reads ")
    silent = neighbour_voice("Completely unrelated words about cooking pasta.", curated, rules)
    assert silent.shares == {} and "no curated abstract of 2 is similar" in silent.evidence[0]


def test_curated_neighbours_change_the_vote_and_zero_records_still_work(rules, taxonomy):
    title, abstract = "Mapping Wheat Cultivars", "Short sequencing reads of wheat cultivars are mapped with a seed index over the chromosome."
    alone = choose_type(title, abstract, taxonomy, rules)
    empty = choose_type(title, abstract, taxonomy, rules, CuratedEvidence([]))
    assert [v.name for v in alone.voices] == ["cues", "tags"] == [v.name for v in empty.voices]
    with_records = choose_type(title, abstract, taxonomy, rules, CuratedEvidence([paper("maize-reads", "sequence-alignment", GENOME)]))
    assert [v.name for v in with_records.voices] == ["cues", "tags", "neighbours"]
    assert with_records.value == "sequence-alignment"
    assert with_records.totals["sequence-alignment"] > alone.totals["sequence-alignment"]


def test_adjacent_by_evidence_not_by_a_weak_score(rules, taxonomy):
    weak = choose_type("Learning Invariances", "We average the gradients of examples.", taxonomy, rules)
    assert weak.value == "gradient-alignment" and weak.uncertain  # weak, unopposed: the type, flagged
    nothing = choose_type("Fine-Tuning Large Language Models", "We fine-tune LLMs on outputs of LLMs.", taxonomy, rules)
    assert nothing.value == "adjacent" and nothing.reason.startswith("no alignment sense")
    explicit = choose_type("Face Alignment with Cascaded Networks", "We locate facial landmarks in images.", taxonomy, rules)
    assert explicit.value == "adjacent" and explicit.reason == "adjacent scores highest"


def test_a_close_decision_is_flagged_with_both_totals(rules, taxonomy):
    voices = [Voice("cues", 1.0, {"llm-alignment": 0.41, "adjacent": 0.38})]
    decision = decide(voices, taxonomy, rules)
    assert decision.value == "llm-alignment"
    assert decision.uncertain == "type uncertain: llm-alignment 0.41 against adjacent 0.38"
    clear = decide([Voice("cues", 1.0, {"llm-alignment": 0.9, "adjacent": 0.1})], taxonomy, rules)
    assert clear.uncertain is None


def test_a_generic_type_gives_way_to_a_type_named_in_the_title(rules, taxonomy):
    voices = [Voice("cues", 1.0, {"llm-alignment": 0.6, "multimodal-alignment": 0.4}, named=frozenset({"multimodal-alignment"}))]
    assert decide(voices, taxonomy, rules).value == "multimodal-alignment"
    voices[0].named = frozenset()
    assert decide(voices, taxonomy, rules).value == "llm-alignment"
    assert decide(voices, taxonomy, replace(rules, generic=frozenset())).value == "llm-alignment"


def test_a_topic_type_gives_way_to_an_alignment_type_named_in_the_title(rules, taxonomy):
    voices = [Voice("cues", 1.0, {"adjacent": 0.6, "llm-alignment": 0.4}, named=frozenset({"llm-alignment"}))]
    decision = decide(voices, taxonomy, rules)
    assert decision.value == "llm-alignment" and "names a subject, not a sense" in decision.reason
    assert decide(voices, taxonomy, replace(rules, topic=frozenset())).value == "adjacent"
    weak = [Voice("cues", 1.0, {"adjacent": 0.8, "llm-alignment": 0.2}, named=frozenset({"llm-alignment"}))]
    assert decide(weak, taxonomy, rules).value == "adjacent"  # below specific_share of the best
    summary = choose_type("Learning to summarize from human feedback",
                       "We fit a reward model to human preferences and train a summarization policy "
                       "with reinforcement learning from human feedback.", taxonomy, rules)
    assert summary.value == "llm-alignment"


def test_voice_weights_are_read_from_the_rules(rules, taxonomy):
    title, abstract = "Forced Alignment of Phonemes", "We find phoneme boundaries with forced alignment."
    muted = replace(rules, voices={**rules.voices, "cues": (0.0, 12.0)})
    decision = choose_type(title, abstract, taxonomy, muted)
    assert decision.voices[0].weight == 0.0 and decision.voices[1].shares == {}
    assert decision.totals["speech-alignment"] == 0 and decision.value == "adjacent"
    assert choose_type(title, abstract, taxonomy, rules).value == "speech-alignment"


def test_voice_settings_are_checked(tmp_path):
    (tmp_path / "extraction.yaml").write_text(
        "type:\n  voices:\n    cues: {weight: lots}\n    echo: {weight: 1}\n    tags: {full: 0}\n"
        "  uncertain: {margin: 2}\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        load_rules(tmp_path)
    # the schema's wording: a word where a number belongs is a wrong type, a share is from 0 to 1
    assert [str(p).split("extraction.yaml", 1)[1] for p in caught.value.problems] == [
        ":3: type.voices.cues.weight: expected a number, got 'lots'",
        ":4: type.voices.echo: unknown voice 'echo' (expected one of: cues, tags, neighbours)",
        ":5: type.voices.tags.full: expected a number above 0",
        ":6: type.uncertain.margin: expected a number from 0 to 1, got 2",
    ]


def test_tag_type_links_are_checked_with_file_and_line(tmp_path):
    text = (ROOT / "content" / "taxonomy.yaml").read_text("utf-8")
    assert "    types: [llm-alignment]\n" in text
    broken = text.replace("    types: [llm-alignment]\n", "    types: [llm-alignment, llm-alignemnt]\n", 1)
    line = broken.splitlines().index("    types: [llm-alignment, llm-alignemnt]") + 1
    messages = taxonomy_problems(tmp_path, broken)
    assert len(messages) == 1
    assert messages[0].startswith(f":{line}: tags[0].types[1]: unknown type 'llm-alignemnt' (expected one of: llm-alignment,")
    shutil.copy(ROOT / "content" / "taxonomy.yaml", tmp_path / "taxonomy.yaml")
    assert load_taxonomy(tmp_path).tags["genomics"].types == ("sequence-alignment",)


def test_explain_prints_every_voice_with_its_weight(atlas, make_content, tmp_path):
    root = make_content({"maize-reads.yaml": {"title": "Maize Reads", "type": "sequence-alignment", "abstract": GENOME}})
    shutil.copy(ROOT / "content" / "extraction.yaml", root / "extraction.yaml")
    source = tmp_path / "listing.txt"
    source.write_text("Mapping Wheat Cultivars\n\nShort sequencing reads of wheat cultivars are mapped "
                      "with a seed index over the chromosome.\n", "utf-8")
    done = atlas("ingest", str(source), "--content", str(root), "--dry-run", "--explain")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "type sequence-alignment: sequence-alignment scores highest; totals: sequence-alignment" in out
    for voice in ("cues (weight 1)", "tags (weight 1)", "neighbours (weight 1)"):
        assert voice in out
    assert re.search(r"neighbours \(weight 1\): sequence-alignment \d\.\d\d \[maize-reads \d\.\d\d sequence-alignment\]", out)
    made = atlas("new", "Mapping Wheat Cultivars", "--from", str(source), "--content", str(root), "--explain")
    assert made.returncode == 0, made.stderr
    assert "neighbours (weight 1)" in made.stdout and "cues (weight 1)" in made.stdout


def test_an_uncertain_type_is_named_in_the_record_notes(atlas, make_content, tmp_path):
    root = make_content({})
    shutil.copy(ROOT / "content" / "extraction.yaml", root / "extraction.yaml")
    source = tmp_path / "listing.txt"
    source.write_text("Learning Invariances\n\nWe average the gradients of examples.\n", "utf-8")
    assert atlas("ingest", str(source), "--content", str(root)).returncode == 0
    text = (root / "papers" / "learning-invariances.yaml").read_text("utf-8")
    assert "type: gradient-alignment" in text
    assert "type uncertain: gradient-alignment 0." in text and "against" in text


def test_a_type_that_needs_two_modalities_gets_nothing_from_one(rules, taxonomy):
    """Multimodal alignment needs two kinds of evidence named (taxonomy.yaml's ``needs``): images
    alone (a homography between two photos) give it no share; images and captions do, and so does
    one word of ``joint`` that names both ("vision-language")."""
    kind = taxonomy.types["multimodal-alignment"]
    assert kind.needs_at_least == 2 and len(kind.needs) >= 2
    alone = cue_voice(type_cue_scores("Homography between Images", "A network maps the pixels of one image to another image.",
                                      taxonomy, rules), rules)
    assert alone.shares.get("multimodal-alignment", 0) == 0 and "multimodal-alignment" not in alone.named
    assert any(line.startswith("multimodal-alignment") and "not counted: names 1 of the 2 kinds it needs" in line
               for line in alone.evidence)
    paired = cue_voice(type_cue_scores("Matching Images and Captions", "Each image is matched with its caption.",
                                       taxonomy, rules), rules)
    assert paired.shares["multimodal-alignment"] > 0
    assert "vision-language" in kind.needs_joint and not any("vision-language" in group for group in kind.needs)
    joint = cue_voice(type_cue_scores("A Vision-Language Model", "A vision-language model.", taxonomy, rules), rules)
    assert joint.shares["multimodal-alignment"] > 0


def test_a_geometric_translation_is_not_cross_lingual(rules, taxonomy):
    """Cross-lingual alignment needs languages or text named: "translation" among rotations is geometry."""
    spatial = choose_type("Warping Networks", "The module learns invariance to translation, scale and rotation of objects.",
                          taxonomy, rules)
    assert spatial.totals["cross-lingual-alignment"] == 0 and spatial.value == "adjacent"
    words = choose_type("Warping Sentences", "We study translation of sentences between languages.", taxonomy, rules)
    assert words.value == "cross-lingual-alignment"
    # "language models" name no language: a model that calls a translation system is no cross-lingual work
    tools = choose_type("Models that call tools", "Language models learn to call a calculator, a search engine and a "
                        "translation system, which improves their language modeling.", taxonomy, rules)
    assert tools.totals["cross-lingual-alignment"] == 0


def test_context_cues_count_when_the_title_says_alignment(rules, taxonomy):
    """Context words ("large language models") name a field, not a sense; in a paper whose title
    says alignment, the field is the sense it means."""
    abstract = "We teach large language models to reason over written safety rules before they answer."
    plain = choose_type("Reasoning Makes Safer Language Models", abstract, taxonomy, rules)
    assert plain.value == "adjacent"
    said = choose_type("Deliberate Alignment: Reasoning Makes Safer Language Models", abstract, taxonomy, rules)
    assert said.value == "llm-alignment"
    assert not any("context only" in line for line in said.voices[0].evidence)


def test_a_setting_type_gives_way_to_the_sense_named_in_the_title(rules, taxonomy):
    """Cross-lingual is a setting other senses borrow (``generic``): entity alignment between
    knowledge graphs in two languages is entity alignment."""
    assert "cross-lingual-alignment" in rules.generic
    decision = choose_type("Multilingual Knowledge Graph Embeddings for Cross-lingual Knowledge Alignment",
                           "Embeddings of knowledge graphs in several languages align entities across the "
                           "multilingual graphs, with translation between languages.", taxonomy, rules)
    assert decision.value == "entity-alignment"


def test_needs_are_checked_with_file_and_line(tmp_path):
    text = (ROOT / "content" / "taxonomy.yaml").read_text("utf-8")
    assert "    needs:\n      at_least: 2\n" in text
    broken = text.replace("    needs:\n      at_least: 2\n", "    needs:\n      at_least: 9\n", 1)
    line = broken.splitlines().index("      at_least: 9") + 1
    assert taxonomy_problems(tmp_path, broken) == [f":{line}: types[1].needs.at_least: expected at most 4, the number of groups"]
    empty = text.replace("    needs:\n      at_least: 2\n      groups:\n", "    needs:\n      at_least: 2\n      groups:\n        - []\n", 1)
    line = empty.splitlines().index("        - []") + 1
    assert taxonomy_problems(tmp_path, empty) == [f":{line}: types[1].needs.groups[0]: expected at least one word"]


def taxonomy_problems(folder: Path, text: str) -> list[str]:
    """The problems ``load_taxonomy`` reports for ``text`` as the taxonomy, each from its line number on."""
    (folder / "taxonomy.yaml").write_text(text, "utf-8")
    with pytest.raises(ContentError) as caught:
        load_taxonomy(folder)
    return [str(p).split("taxonomy.yaml", 1)[1] for p in caught.value.problems]

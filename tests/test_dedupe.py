"""Matching rules and vetoes of the de-duplicator, each with pairs of real titles."""

from __future__ import annotations

import pytest

from generator.dedupe.matching import (DuplicateGroup, DuplicateIndex, Match, compare_papers, find_duplicates,
                              normalize_title)
from generator.dedupe.rules import SHIPPED_CONTENT, load_rules, title_numbers
from generator.errors import ContentError

from benchmarks.dedupe_record import DedupeRecord as P  # a paper with only what the matcher reads


def verdict(a: P, b: P):
    return compare_papers(a, b)


# --- normalization ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("Attention Is All You Need", "attention is all you need"),
    ("Direct Preference Optimisation: Your Language Model is Secretly a Reward Model",
     "direct preference optimization your language model is secretly a reward model"),
    ("Modelling Behaviour with Labelled Data", "modeling behavior with labeled data"),
    ("Régularisation — of  TNF-α   signalling", "regularization of tnf alpha signaling"),
    ("Qwen2.5-VL Technical Report.", "qwen2.5 vl technical report"),
    ("{BERT}: Pre-training of Deep Bidirectional Transformers", "bert pre training of deep bidirectional transformers"),
    (r"\emph{Über} die {\"A}hnlichkeit", "uber die ahnlichkeit"),
    ("ＦＵＬＬＷＩＤＴＨ text", "fullwidth text"),
    ("Part II of type II diabetes", "part 2 of type 2 diabetes"),
    ("Comparative characteristics of hyperlipidemia models. [Russian]", "comparative characteristics of hyperlipidemia models"),
])
def test_normalize_title(raw, expected):
    assert normalize_title(raw) == expected


def test_numbers_keep_version_dots():
    assert title_numbers(normalize_title("Qwen2.5 Technical Report")) == ("2.5",)
    assert title_numbers(normalize_title("BLIP-2")) == ("2",)


# --- matching rules --------------------------------------------------------------------------

def test_same_title_in_other_spelling_and_case_matches():
    score, reason, same = verdict(P("a", "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"),
                                  P("b", "Direct preference optimisation - your language model is secretly a reward model."))
    assert same is True and score == 100.0 and reason == "same normalized title"


def test_typo_matches_with_fuzzy_score():
    score, reason, same = verdict(P("a", "Training language models to follow instructions with human feedback"),
                                  P("b", "Training language models to follow instructions with human feedbak"))
    assert same is True and 95 <= score < 100 and "alike" in reason


def test_arxiv_preprint_and_published_version_are_one_paper():
    preprint = P("a", "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
                 links={"arxiv": "https://arxiv.org/abs/2305.18290v2"}, year=2023, venue="arXiv")
    published = P("b", "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
                  links={"arxiv": "http://arxiv.org/pdf/2305.18290v3.pdf", "paper": "https://proceedings.neurips.cc/x"},
                  year=2024, venue="Advances in Neural Information Processing Systems")
    score, reason, same = verdict(preprint, published)
    assert same is True and reason.startswith("same arXiv id 2305.18290")


def test_arxiv_doi_counts_as_the_arxiv_id():
    a = P("a", "Constitutional AI: Harmlessness from AI Feedback", links={"arxiv": "https://arxiv.org/abs/2212.08073"})
    b = P("b", "Constitutional AI: Harmlessness from AI Feedback.", links={"doi": "https://doi.org/10.48550/arXiv.2212.08073"})
    assert verdict(a, b)[1].startswith("same arXiv id 2212.08073")


def test_doi_case_and_prefix_ignored_and_subtitle_dropped():
    a = P("a", "Deep Residual Learning for Image Recognition", links={"doi": "https://doi.org/10.1109/CVPR.2016.90"})
    b = P("b", "Deep Residual Learning for Image Recognition: supplementary material",
          links={"doi": "http://dx.doi.org/10.1109/cvpr.2016.90"})
    score, reason, same = verdict(a, b)
    # "supplementary" on one side only is a veto even with the same DOI.
    assert same is False and "supplementary" in reason
    c = P("c", "BERT", links={"doi": "https://doi.org/10.18653/V1/N19-1423"})
    d = P("d", "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
          links={"doi": "https://doi.org/10.18653/v1/n19-1423"})
    score, reason, same = verdict(c, d)
    assert same is True and "main title" in reason and "10.18653/v1/n19-1423" in reason


def test_shared_supplement_doi_with_different_titles_is_not_a_match():
    supplement = {"doi": "https://doi.org/10.2337/db15-386741"}
    a = P("a", "Liraglutide prevents the progression of macrophage-driven atherosclerosis", links=supplement)
    b = P("b", "Teneligliptin suppressed abdominal aortic aneurysm formation in mice", links=supplement)
    score, reason, same = verdict(a, b)
    assert same is False and "but the titles differ" in reason


def test_same_code_repository_matches_when_titles_agree():
    a = P("a", "LoRA: Low-Rank Adaptation of Large Language Models", links={"code": "https://github.com/microsoft/LoRA"})
    b = P("b", "LoRA: Low Rank Adaptation of Large Language Models", links={"code": "https://github.com/Microsoft/LoRA.git"})
    assert verdict(a, b)[1].startswith("same code repository github.com/microsoft/lora")
    c = P("c", "QLoRA: Efficient Finetuning of Quantized LLMs", links={"code": "https://github.com/microsoft/LoRA"})
    assert verdict(a, c)[2] is False


# --- vetoes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("first, second", [
    ("Qwen2 Technical Report", "Qwen2.5 Technical Report"),
    ("Qwen Technical Report", "Qwen2 Technical Report"),
    ("GPT-4 Technical Report", "GPT-3 Technical Report"),
    ("BLIP: Bootstrapping Language-Image Pre-training for Unified Vision-Language Understanding and Generation",
     "BLIP-2: Bootstrapping Language-Image Pre-training for Unified Vision-Language Understanding and Generation"),
    ("Gemma: Open Models Based on Gemini Research and Technology",
     "Gemma 2: Open Models Based on Gemini Research and Technology"),
    ("Llama 2: Open Foundation and Fine-Tuned Chat Models", "Llama 3: Open Foundation and Fine-Tuned Chat Models"),
])
def test_version_numbers_veto(first, second):
    score, reason, same = verdict(P("a", first), P("b", second))
    assert same is False and reason.startswith("different numbers in the titles")


@pytest.mark.parametrize("first, second, word", [
    ("Attention is not Explanation", "Attention is not not Explanation", "not"),
    ("Attention is Explanation", "Attention is not Explanation", "not"),
    ("Deep Reinforcement Learning from Human Preferences",
     "Comment on Deep Reinforcement Learning from Human Preferences", "comment"),
    ("Language Models are Unsupervised Multitask Learners",
     "Reply: Language Models are Unsupervised Multitask Learners", "reply"),
    ("Proximal Policy Optimization Algorithms", "Improved Proximal Policy Optimization Algorithms", "improved"),
    ("Scaling Laws for Neural Language Models", "Erratum: Scaling Laws for Neural Language Models", "erratum"),
    ("Scaling Laws for Neural Language Models", "Correction to: Scaling Laws for Neural Language Models", "correction"),
    ("Learning to Summarize from Human Feedback, Part One", "Learning to Summarize from Human Feedback, One", "part"),
])
def test_words_on_one_side_only_veto(first, second, word):
    score, reason, same = verdict(P("a", first), P("b", second))
    assert same is False and f"'{word}'" in reason


def test_conflicting_identifiers_veto_even_with_equal_titles():
    title = "Introduction to the Minitrack on Crowdsourcing and Digital Workforce in the Gig Economy"
    a = P("a", title, links={"doi": "https://doi.org/10.24251/HICSS.2021.510"})
    b = P("b", title, links={"doi": "https://doi.org/10.24251/HICSS.2022.544"})
    assert verdict(a, b)[2] is False and verdict(a, b)[1].startswith("different DOIs")
    c = P("c", "Deep Reinforcement Learning from Human Preferences", links={"arxiv": "https://arxiv.org/abs/1706.03741"})
    d = P("d", "Deep Reinforcement Learning from Human Preferences", links={"arxiv": "https://arxiv.org/abs/1706.03742"})
    assert verdict(c, d)[1] == "different arXiv ids (1706.03741 / 1706.03742)"


def test_preprint_doi_does_not_conflict_with_the_published_doi():
    title = "Highly accurate protein structure prediction with AlphaFold"
    a = P("a", title, links={"doi": "https://doi.org/10.1101/2020.01.01.000001"})
    b = P("b", title, links={"doi": "https://doi.org/10.1038/s41586-021-03819-2"})
    assert verdict(a, b)[2] is True


def test_years_more_than_one_apart_veto():
    title = "Making the Most of Virtual Expertise in Telemedicine and Telehealth Environments"
    assert verdict(P("a", title, year=2011), P("b", title, year=2014))[1] == "years 2011 and 2014 are more than one apart"
    assert verdict(P("a", title, year=2013), P("b", title, year=2014))[2] is True


def test_conference_and_journal_versions_a_year_apart_are_different():
    title = "Cultural Universality Versus Particularity in CMC"
    conference = P("a", title, year=2003, venue="Americas Conference on Information Systems")
    journal = P("b", title, year=2004, venue="Journal of Global Information Technology Management")
    assert verdict(conference, journal)[1].startswith("different venues")
    preprint = P("c", title, year=2003, venue="arXiv")
    assert verdict(preprint, journal)[2] is True


def test_short_title_inside_a_longer_one_vetoes():
    score, reason, same = verdict(P("a", "Language Models are Few-Shot Learners"),
                                  P("b", "Large Language Models are Few-Shot Learners"))
    assert same is False and reason == "a short title is contained in a longer, different one"


def test_token_reordering_is_not_a_match():
    score, reason, same = verdict(P("a", "A Survey of Large Language Models"), P("b", "Large Language Models: A Survey"))
    assert same is not True


def test_not_duplicates_vetoes_in_either_direction():
    title = "Training language models to follow instructions with human feedback"
    a, b = P("a", title, not_duplicates=("b",)), P("b", title)
    assert verdict(a, b)[1] == "listed in not_duplicates" and verdict(b, a)[2] is False
    assert find_duplicates([a, b]) == []


def test_no_author_in_common_vetoes_a_title_only_match():
    title = "Deep learning"
    a = P("a", title, authors=("Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"), year=2015)
    b = P("b", title, authors=("Ian Goodfellow", "Aaron Courville"), year=2016)
    assert verdict(a, b)[1] == "no author in common"


# --- grouping, index -------------------------------------------------------------------------

def test_chain_of_weak_links_cannot_join_a_vetoed_pair():
    a = P("a", "Reward modeling for alignment of language models with human values", year=2022)
    bridge = P("b", "Reward modelling for alignment of language model with human values", year=2023)
    c = P("c", "Reward modeling for alignment of language model with human values", year=2024)
    assert verdict(a, bridge)[2] is True and verdict(bridge, c)[2] is True
    assert verdict(a, c)[2] is False
    groups = find_duplicates([a, bridge, c])
    assert len(groups) == 1 and len(groups[0].ids) == 2
    assert set(groups[0].ids) != {"a", "c"}


def test_find_duplicates_groups_are_sorted_with_score_and_reason():
    papers = [
        P("z-dpo", "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"),
        P("a-dpo", "Direct preference optimisation: your language model is secretly a reward model"),
        P("m-ppo", "Proximal Policy Optimization Algorithms", links={"arxiv": "https://arxiv.org/abs/1707.06347"}),
        P("b-ppo", "Proximal policy optimization algorithms.", links={"arxiv": "https://arxiv.org/abs/1707.06347v2"}),
        P("other", "Qwen2 Technical Report"),
        P("other2", "Qwen2.5 Technical Report"),
    ]
    groups = find_duplicates(papers)
    assert groups == [
        DuplicateGroup(("a-dpo", "z-dpo"), 100.0, "same normalized title"),
        DuplicateGroup(("b-ppo", "m-ppo"), 100.0, "same arXiv id 1707.06347; titles agree (100.0)"),
    ]


def test_index_match_returns_the_existing_record():
    index = DuplicateIndex([P("dpo", "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"),
                            P("qwen2", "Qwen2 Technical Report")], load_rules(None))
    found = index.match(P("new", "Direct Preference Optimisation - Your Language Model is Secretly a Reward Model"))
    assert found == Match("dpo", 100.0, "same normalized title")
    assert index.match(P("new", "Qwen2.5 Technical Report")) is None
    assert index.match(P("dpo", "Direct Preference Optimization: Your Language Model is Secretly a Reward Model")) is None


def test_rules_file_is_strict(tmp_path):
    (tmp_path / "dedupe.yaml").write_text("title_threshold: 95\ntitle_threshold: 90\nveto_word: [x]\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        load_rules(tmp_path)
    messages = [str(p) for p in caught.value.problems]
    assert any("duplicate key" in m for m in messages) and any("unknown key" in m for m in messages)


def test_rules_come_from_the_content_folder(tmp_path):
    (tmp_path / "dedupe.yaml").write_text("title_threshold: 99\nveto_words: [sequel]\n", "utf-8")
    rules = load_rules(tmp_path)
    a, b = P("a", "Reward modeling for alignment"), P("b", "Reward modeling for alignment sequel")
    assert rules.title_threshold == 99.0 and "sequel" in rules.veto_words
    assert compare_papers(a, b, rules)[1] == "'sequel' on one side only"


def test_subtitle_added_in_another_arxiv_version_is_the_same_paper():
    a = P("a", "Large Language Models", links={"arxiv": "https://arxiv.org/abs/2303.18223v1"})
    b = P("b", "Large Language Models: A Survey", links={"arxiv": "https://arxiv.org/abs/2303.18223v16"})
    assert verdict(a, b)[2] is True
    assert verdict(P("c", a.title), P("d", b.title))[2] is False


def test_leading_article_is_ignored():
    assert normalize_title("The Effects of Incretin on Artery Lesions") == normalize_title("Effects of incretin on artery lesions")
    assert normalize_title("A") == "a"


def test_index_add_makes_later_candidates_meet_the_new_paper():
    index = DuplicateIndex([P("qwen2", "Qwen2 Technical Report")])
    assert index.match(P("x", "Proximal Policy Optimization Algorithms")) is None
    index.add(P("ppo", "Proximal Policy Optimization Algorithms"))
    assert index.match(P("y", "Proximal policy optimisation algorithms.")) == Match("ppo", 100.0, "same normalized title")


def test_rules_are_read_again_after_their_file_changes(tmp_path):
    rules = tmp_path / "dedupe.yaml"
    shipped = (SHIPPED_CONTENT / "dedupe.yaml").read_text("utf-8")
    rules.write_text(shipped, "utf-8")
    first = load_rules(tmp_path)
    assert first.title_threshold == 95 and load_rules(tmp_path) is first  # read once while unchanged
    rules.write_text(shipped.replace("title_threshold: 95", "title_threshold: 97", 1), "utf-8")
    assert load_rules(tmp_path).title_threshold == 97  # e.g. under a live preview

"""How the importer names what a paper proposes: coined short names, quoted coinages,
appositives and lowercase coinages that repeat the title (rules in extraction.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ingest.method import choose_method, short_name
from generator.ingest.extraction import load_rules

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rules():
    return load_rules(ROOT / "content")


@pytest.mark.parametrize("title, abstract, method", [
    # a spelled-out title prefix gives way to the short name the abstract coins for it
    ("Careful Gradient Weighting: Better Multi-Task Training",
     "We introduce a careful gradient weighting method, namely CaGW, for multi-task training.", "CaGW"),
    ("Stream-Merge-Sort: Faster Joins", "Our system SMS-Join merges sorted streams.", "SMS-Join"),
    # ... unless the abstract writes the long name with the short one in brackets after it
    ("Careful Gradient Weighting: Better Multi-Task Training",
     "We propose Careful Gradient Weighting (CGW), which weights gradients.", "Careful Gradient Weighting"),
    # a name coined in quotes after "new"
    ("Better bilingual lexicons from rotations",
     'A new "mirrored softmax" picks translation pairs.', "mirrored softmax"),
    # a name set off by commas after "approach"
    ("Seeing entities across graphs", "Their approach, VISTA, fuses images with structure.", "VISTA"),
    # a lowercase coinage that repeats the title's words
    ("Backward Attention in Sequence Models for Speech",
     "The authors introduce backward attention, which moves monotonically.", "backward attention"),
    # ... but not when a head noun makes it a description
    ("Noise-aware Learning from Web Images",
     "We propose a noise-aware learning framework that ignores noisy pairs.", None),
    # architecture acronyms are not names
    ("Labelling sequences", "This paper presents a system built purely from RNNs that labels frames.", None),
    # a dash ends the title's opening name as a colon does
    ("Quokka \u2013 a fast aligner for long reads", "Long reads are aligned quickly.", "Quokka"),
    ("PELICAN\u2014The Protein Embedding Lookup", "Proteins are looked up by embedding.", "PELICAN"),
    # a leading article is no part of the name
    ("The Tilburg Lexicon Mapper: Mapping Words", "Words are mapped across languages.", "Tilburg Lexicon Mapper"),
    # third-person propose phrases and "the resulting"
    ("Aligning chat models to intent", "The resulting HelpLM models are preferred by raters.", "HelpLM"),
    ("Bargaining over gradients", "They present the resulting procedure, Barter-MTL, and prove it converges.", "Barter-MTL"),
    # a name opening a sentence: a coined name the abstract repeats ...
    ("Using language models for graph matching",
     "Graphs are hard to match. GraphChat brings language models in. GraphChat also reasons in steps.", "GraphChat"),
    # ... a name a sentence-case title holds after its first word ...
    ("Faster spliced mapping with Heron 3", "Reads grow longer. Heron 3 joins an index with dynamic programming.", "Heron 3"),
    # ... or a name its sentence defines
    ("Ultrafast mapping of short reads", "Kestrel is an alignment program for short reads. Kestrel is open source.", "Kestrel"),
    # but not a name the title holds as what the paper builds on, nor a pronoun
    ("Sentence Embeddings from BERT", "BERT works well for embeddings. BERT is a strong encoder.", None),
    ("Ultrafast mapping of short reads", "This is a program that maps reads.", None),
    # the short name of a subtitle when the title opens with a phrase
    ("Fighting Label Noise: A Robust Graph Matching Framework",
     "Seeds are noisy. RGM-F is a robust graph matching framework that filters them.", "RGM-F"),
    # a lowercase title opening that the abstract repeats
    ("Weight stews: averaging many fine-tuned models", "We call the averaged models weight stews.", "Weight stews"),
    # an acronym the abstract spells out with the title's own words
    ("Spatial Loop-Agreement Learning", "A network is trained with spatial loop agreement (SLA) across images.", "SLA"),
    ("Preference Distillation for Small Language Models", "Small language models (SLMs) learn from teachers.", None),
    # a lowercase coinage after a naming word that repeats the title
    ("Vote-Sampling Improves Reasoning", "We propose a decoding strategy called vote-sampling to replace greedy decoding.", "vote-sampling"),
    # comparisons are studies
    ("A Comparison of Forced Aligners", "We compare the Montreal Forced Aligner (MFA) with others. MFA is a tool.", None),
    # a version number belongs to the title's opening name
    ("Quick Speech 3: Recognition in Welsh and Basque", "One deep network recognises speech in both languages.", "Quick Speech 3"),
    # a coined name opening the abstract wins over a phrase named later ...
    ("Bridging molecules and words", "ChemT7 is a pretrained framework. Two tasks, together called translation between "
     "molecules and words, are studied; ChemT7 models do well.", "ChemT7"),
    # ... but a plain word opening it names nothing
    ("Better reasoners", "Reasoning is a process. We introduce Calibrated Tuning (CAT) for reasoners.", "CAT"),
    # a short title holding a coined name, or one the abstract repeats as it is written, is the name
    ("PDB Encoder", "A protein model reads many structures at once.", "PDB Encoder"),
    ("Hear, Think and Write", "Hear, Think and Write (HTW) turns speech into characters.", "Hear, Think and Write"),
    ("Deep Image Warping Estimation", "A network estimates the warp between two images.", None),
    # a plain capitalized word that opens two sentences and is never written in lowercase is a name ...
    ("Record matching with pretrained encoders", "Quokka reads pairs of records as text. Quokka beats the rules "
     "by far on product data.", "Quokka"),
    # ... but not one the text also writes in lowercase, nor an adjective before "results"
    ("Record matching with pretrained encoders", "Matching is hard. Matching records needs care; matching "
     "pairs helps.", None),
    ("Record matching with pretrained encoders", "Experimental results are good. Experimental results hold "
     "on two sets.", None),
    # a coined name defined by a comma and an article, where the title does not hold it ...
    ("Graph embeddings for linking facts across languages", "Linking facts is costly. TransLink, a "
     "translation-based model, embeds each graph on its own.", "TransLink"),
    # ... and not what the title names (the paper builds on it)
    ("Matching records with BERT", "We fine-tune BERT, a pretrained encoder, on pairs.", None),
    # a plain word after a propose phrase that a comma and an article define
    ("Better dialogue agents from rater judgements", "The paper introduces Wren, a dialogue agent trained with "
     "rules.", "Wren"),
    # a short name that a sentence opens with and defines
    ("Just flip it: training many losses at once", "Loss Sign Masking (LSMask) is a layer that keeps gradient "
     "signs.", "LSMask"),
])
def test_method_names(rules, title, abstract, method):
    assert choose_method(title, abstract, rules).value == method


def test_short_name_needs_capitals_that_abbreviate_the_words_in_order(rules):
    assert short_name("Preference-Oriented Supervised Fine-Tuning", "namely PoFT, which", rules) == "PoFT"
    assert short_name("Preference-Oriented Supervised Fine-Tuning", "we compare with SFT and DPO", rules) is None
    assert short_name("Two Words", "TW is short", rules) is None  # fewer than three words
    # the name's own words are no short name for it
    assert short_name("Reward-Augmented Decoding", "Reward-Augmented decoding steers text; RAD is fast.", rules) == "RAD"
    assert short_name("Non-Attentive Tacotron", "Non-Attentive synthesis replaces attention.", rules) is None
    assert short_name("Glow-TTS", "GT is short", rules) is None  # the title name is a coined name already

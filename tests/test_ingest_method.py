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

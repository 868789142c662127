"""Abstract similarity, shared by the paper index and the importer's neighbours voice."""

from __future__ import annotations

import pytest

from generator.content.similarity import SIMILAR_WORDS, AbstractSimilarity

A = "maize wheat barley sorghum cultivars genome reads"
B = "maize wheat barley sorghum cultivars chromosome index"
C = "pasta tomato basil garlic olive cooking dinner"


def test_members_are_similar_by_their_shared_rare_words():
    index = AbstractSimilarity([A, B, C])
    found = index.similar(0, threshold=0.0)
    assert set(found) == {0, 1}  # itself and B; C shares nothing
    assert found[0] == pytest.approx(1.0)
    assert found[1] == pytest.approx(1.0)  # a word only one member holds is no key word (min_df 2)
    assert index.keys[0] == sorted(["barley", "cultivars", "maize", "sorghum", "wheat"])


def test_a_new_abstract_is_compared_with_every_word_of_the_members():
    index = AbstractSimilarity([A, B, C], min_df=1, whole=True)
    found = index.similar_to("maize wheat barley sorghum genome", threshold=0.0)
    assert set(found) == {0, 1}
    assert found[0] > found[1]  # A also holds "genome"
    assert index.similar_to("maize wheat", threshold=0.0) == {}  # fewer than SIMILAR_WORDS shared
    assert SIMILAR_WORDS == 3
    assert index.similar_to("maize wheat barley sorghum genome", threshold=0.99) == {0: pytest.approx(1.0)}


def test_an_empty_list_finds_nothing():
    assert AbstractSimilarity([], min_df=1, whole=True).similar_to(A) == {}

"""How similar two abstracts are: the share of a paper's rarest words that another abstract holds.

The paper index relates papers by it, and the importer lets the most similar curated papers
vote for a new paper's type. The work per paper is bounded: a paper stands for its
``KEY_WORDS`` rarest words, and words found in more than ``WORD_CAP`` abstracts are ignored.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from itertools import chain, filterfalse
from typing import Sequence

SIMILAR_ABSTRACT = 0.2
"""Share of a paper's key words (weighted by rarity) another abstract must hold to count as similar."""

KEY_WORDS = 15
"""How many of its rarest abstract words stand for a paper when looking for similar abstracts."""

WORD_CAP = 100
"""A word found in more abstracts than this is too common to find similar abstracts by."""

SIMILAR_WORDS = 3
"""How many uncommon words two abstracts must share to count as similar."""

_APART = bytes(c if chr(c).isascii() and chr(c).isalnum() else ord(" ") for c in range(256))
"""A byte table keeping ASCII letters and digits and making every other byte a space."""

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_SHORT = frozenset(a + b for a in _ALNUM for b in ["", *_ALNUM])
"""Every lowercase word of one or two letters or digits."""
_STOP = frozenset(
    "the and for with that this from are was were our their which these those into over under "
    "than then they them its also can has have had not but via using use used based between "
    "both each such more most other some all any new show shows we paper propose proposed "
    "approach method methods results model models task tasks data large language".split()
)


@lru_cache(maxsize=50_000)
def abstract_tokens(text: str | None) -> frozenset[str]:
    """The content words of an abstract, lowercased, for a cheap similarity measure: words of
    three or more letters and digits, not all digits, that are not stop words.

    Remembered by text, so the rebuilds of a live preview split only the abstracts that changed."""
    words = set(ascii_words((text or "").lower())).difference(_SHORT, _STOP)
    return frozenset(filterfalse(str.isdigit, words))


def ascii_words(text: str) -> list[str]:
    """The runs of ASCII letters and digits in ``text``, in order (as ``re.findall("[A-Za-z0-9]+", text)``)."""
    return text.encode("ascii", "replace").translate(_APART).decode("ascii").split()


def in_at_least(count: int, sets: list[int]) -> int:
    """The members of at least ``count`` of ``sets`` (sets of small numbers as bits of an int)."""
    at_least = [0] * (count + 1)  # at_least[k]: members of k or more of the sets seen so far
    for members in sets:
        for k in range(count, 1, -1):
            at_least[k] |= at_least[k - 1] & members
        at_least[1] |= members
    return at_least[count]


def bits(number: int):
    """The positions of the set bits of a non-negative int, lowest first."""
    while number:
        lowest = number & -number
        yield lowest.bit_length() - 1
        number ^= lowest


class AbstractSimilarity:
    """The abstracts of a fixed list of papers, ready to find the ones similar to an abstract.

    A word weighs by its rarity (``log(n / df) + 1``) and counts when ``min_df`` to ``WORD_CAP``
    abstracts hold it; each paper stands for its ``KEY_WORDS`` rarest counted words. The
    similarity of abstract A to paper B is the weight of A's key words that are key words of B,
    over the weight of all A's key words, when they share at least ``SIMILAR_WORDS`` of them.
    With ``whole``, every counted word of B is one of its key words (B is matched by all its
    words; A still stands for its rarest ones), which suits comparing new abstracts with the list.
    """

    def __init__(self, abstracts: Sequence[str | None], min_df: int = 2, whole: bool = False):
        self.tokens = [abstract_tokens(text) for text in abstracts]
        self.doc_freq = Counter(chain.from_iterable(self.tokens))
        self.size = len(self.tokens)
        n = max(self.size, 1)
        self.idf = {tok: math.log(n / df) + 1.0 for tok, df in self.doc_freq.items() if min_df <= df <= WORD_CAP}
        self.whole = whole
        self.holders: dict[str, int] = {}  # by key word, the papers having it, as bits
        self.postings: dict[str, list[int]] = {}  # with ``whole``: by word, the papers having it
        if whole:
            for position, toks in enumerate(self.tokens):
                for tok in toks:
                    if tok in self.idf:
                        self.postings.setdefault(tok, []).append(position)
            return
        self.keys = [self._key_words(toks, self.idf) for toks in self.tokens]
        self.key_sets = [set(words) for words in self.keys]
        for bit, words in enumerate(self.keys):
            for tok in words:
                self.holders[tok] = self.holders.get(tok, 0) | 1 << bit

    @staticmethod
    def _key_words(tokens: frozenset[str], idf: dict[str, float]) -> list[str]:
        return sorted(idf.keys() & tokens, key=lambda t: (-idf[t], t))[:KEY_WORDS]

    def _scores(self, own: list[str], idf: dict[str, float], threshold: float) -> dict[int, float]:
        own_weight = sum(idf[t] for t in own) or 1.0
        similar = {}
        for bit in bits(in_at_least(SIMILAR_WORDS, [self.holders.get(t, 0) for t in own])):
            other_words, overlap = self.key_sets[bit], 0.0
            for tok in own:  # in the paper's key-word order, so that the sum is always the same float
                if tok in other_words:
                    overlap += idf[tok]
            if overlap / own_weight >= threshold:
                similar[bit] = overlap / own_weight
        return similar

    def _whole_scores(self, own: list[str], idf: dict[str, float], threshold: float) -> dict[int, float]:
        own_weight = sum(idf[t] for t in own) or 1.0
        shared: dict[int, int] = {}
        overlap: dict[int, float] = {}
        for tok in own:  # in the paper's key-word order, so that each sum is always the same float
            for position in self.postings.get(tok, ()):
                shared[position] = shared.get(position, 0) + 1
                overlap[position] = overlap.get(position, 0.0) + idf[tok]
        return {position: value / own_weight for position, value in overlap.items()
                if shared[position] >= SIMILAR_WORDS and value / own_weight >= threshold}

    def similar(self, index: int, threshold: float = SIMILAR_ABSTRACT) -> dict[int, float]:
        """The papers (by position) whose abstracts are similar to paper ``index``'s, itself included
        (for a list built without ``whole``)."""
        return self._scores(self.keys[index], self.idf, threshold)

    def similar_to(self, abstract: str | None, threshold: float = SIMILAR_ABSTRACT) -> dict[int, float]:
        """The papers (by position) similar to an abstract that is not among them: its words
        weigh as if it were one more abstract of the list."""
        tokens = abstract_tokens(abstract)
        n = self.size + 1
        idf = {tok: math.log(n / (self.doc_freq[tok] + 1)) + 1.0 for tok in tokens
               if 1 <= self.doc_freq.get(tok, 0) < WORD_CAP}
        scores = self._whole_scores if self.whole else self._scores
        return scores(self._key_words(tokens, idf), idf, threshold)

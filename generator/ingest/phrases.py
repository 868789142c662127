"""Finding a curator's phrases in a paper's title and abstract, and the choices made from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Choice:
    """A chosen value and the evidence for it, in words."""

    value: str | tuple[str, ...] | None
    because: str


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern:
    """A pattern finding ``phrase`` as whole words in lowercase text."""
    return re.compile(r"(?<!\w)" + re.escape(phrase.casefold()) + r"(?!\w)")


@lru_cache(maxsize=4096)
def _folded(phrase: str) -> str:
    return phrase.casefold()


def count(phrase: str, text: str) -> int:
    """How often a phrase occurs in lowercase ``text`` as whole words."""
    if not phrase or _folded(phrase) not in text:
        return 0
    return len(phrase_pattern(phrase).findall(text))


def names_any(phrases, *texts: str) -> bool:
    """Whether one of ``phrases`` occurs as whole words in one of the lowercase ``texts``."""
    return any(count(phrase, text) for phrase in phrases for text in texts)


def fold(text: str | None) -> str:
    """Text in lowercase with its whitespace collapsed, as phrases are looked for in it."""
    return " ".join((text or "").casefold().split())


def weighed_phrases(phrases, title: str, abstract: str, title_weight: int) -> tuple[int, list[str], int]:
    """Score of weighted phrases (a title hit counts ``title_weight`` times, abstract hits up to
    3), the phrases that hit, and the largest weight among them."""
    total, hits, strongest = 0, [], 0
    for phrase, weight in phrases:
        folded = _folded(phrase)
        if folded not in title and folded not in abstract:
            continue  # the cheap test first: most phrases occur nowhere
        in_title = count(phrase, title) > 0
        in_abstract = min(count(phrase, abstract), 3)
        score = weight * (title_weight * in_title + in_abstract)
        if score:
            total += score
            strongest = max(strongest, weight)
            hits.append(f"{phrase} {score:+d}" + (" (title)" if in_title else ""))
    return total, hits, strongest


def phrase_score(phrases, title: str, abstract: str, title_weight: int) -> tuple[int, list[str]]:
    """Score of weighted phrases: a title hit counts ``title_weight`` times, abstract hits up to 3."""
    total, hits, _ = weighed_phrases(phrases, title, abstract, title_weight)
    return total, hits

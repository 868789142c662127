"""The parts of a person's name as records and sources write it, whichever way round.

Reads ``Given Family``, ``Family, Given`` (and BibTeX's ``Family, Jr, Given``), family names
with particles (``Vincent van Gogh``, ``de la Vallée Poussin, Charles``: as BibTeX does, the
lowercase words before the family name are its particles) and the ``Family I. J.`` form of
citation databases, where initials after a name mean the family name came first (``Li H.``,
``Lewis G. F.``, ``Lewis GF``). Only that last form is read here; every other name is split by
bibtexparser's ``parse_single_name_into_parts``, as BibTeX splits it.
A part in braces (``{The Unicode Consortium}``) is one word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bibtexparser.middlewares.names import parse_single_name_into_parts

_INITIALS = re.compile(r"(?:[A-Z]\.-?){1,3}|[A-Z]{1,2}")
"""One word of initials: ``K.``, ``G.F.``, ``J.-P.``, and without dots at most two letters
(``GF``), so that ``Team GLM`` stays a team."""
_WORDS = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}?\S*|\S+")
"""Words of a name, a part in braces (one level of nested braces inside it) counting as one."""


@dataclass(frozen=True)
class PersonName:
    """A name in its parts, each as written (braces around a part taken off)."""

    given: str = ""
    """The given names or their initials (``Heng``, ``H.``, ``Christopher D.``)."""
    particles: str = ""
    """Lowercase words that belong before the family name (``van``, ``de la``)."""
    family: str = ""
    """The family name without its particles and without a suffix such as Jr."""

    @property
    def surname(self) -> str:
        """The family name with its particles, as a reference shows it (``van Gogh``)."""
        return " ".join(p for p in (self.particles, self.family) if p)


@lru_cache(maxsize=1 << 16)  # a name recurs in citations, listings and the duplicate check
def person_name(name: str, suffixes=frozenset()) -> PersonName:
    """The parts of one person's name. ``suffixes`` are the lowercase words, without dots, that
    may end a name and are no part of the family name (``jr``, ``iii``: the ``citations``
    section of ``content/taxonomy.yaml``), a tuple or frozenset, since answers are remembered.
    Names with a comma, and names with no initials after them, are split as BibTeX splits them
    (bibtexparser's ``parse_single_name_into_parts``)."""
    if "," not in name:
        words = _words(name)
        while len(words) > 1 and _plain_word(words[-1]) in suffixes:
            words.pop()
        initials: list[str] = []
        while len(words) > 1 and _INITIALS.fullmatch(words[-1]) and not _INITIALS.fullmatch(words[0]):
            initials.insert(0, words.pop())
        if initials:
            particles, family = _split_particles(words)
            return _named(" ".join(initials), particles, family)
        name = " ".join(words)
    parts = parse_single_name_into_parts(name, strict=False)
    return _named(" ".join(parts.first), parts.von, parts.last)


def _named(given: str, particles: list[str], family: list[str]) -> PersonName:
    family_text = " ".join(_unbraced(w) for w in family)
    if not family_text and not particles:
        return PersonName(family=_unbraced(given))  # a name of one part: ", Plato" is Plato
    return PersonName(_unbraced(given), " ".join(particles), family_text)


def _split_particles(words: list[str]) -> tuple[list[str], list[str]]:
    """The particles leading a family name's words, and the family name's own words (the last
    word is always one of them)."""
    end = 0
    for i, word in enumerate(words[:-1]):
        if _is_particle(word):
            end = i + 1
    return words[:end], words[end:]


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


def _is_particle(word: str) -> bool:
    """A word starting with a lowercase letter (``van``, ``d'``), not a part in braces."""
    if word.startswith("{"):
        return False
    letter = next((c for c in word if c.isalpha()), "")
    return letter.islower()


def _plain_word(word: str) -> str:
    return "".join(c for c in word if c.isalnum()).casefold()


def _unbraced(text: str) -> str:
    if text.startswith("{") and text.endswith("}") and text.count("{") == 1:
        return text[1:-1].strip()
    return text

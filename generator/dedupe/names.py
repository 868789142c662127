"""People's names as sources write them: BibTeX author lists split the way BibTeX does, and the
family name of one author whichever way round a source wrote it.

Splitting a list comes from bibtexparser's name functions (``bibtexparser.middlewares.names``),
so ``{Foo and Sons}`` stays one name; the parts of one name from
:func:`generator.content.names.person_name`, so ``van der Berg, Jan`` has the family name
``Berg``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from generator.content.names import person_name

_LETTERS = re.compile(r"[^\W\d_]+")


def split_bibtex_names(value: str) -> list[str]:
    """The names of a BibTeX name list (``and`` outside braces), each first name first
    (``Last, First`` and ``von Last, Jr, First`` turned round); "others" is dropped. Braces and
    LaTeX are left for the caller to resolve."""
    names = []
    for name in split_multiple_persons_names(value or ""):
        if name.strip().casefold() == "others":
            continue
        parts = parse_single_name_into_parts(name, strict=False)
        merged = " ".join(parts.merge_first_name_first.split())
        if merged:
            names.append(merged)
    return names


def family_name(name: str) -> str:
    """The family name of one person, casefolded, without accents or punctuation ("" if none).

    Reads ``First von Last``, ``von Last, First`` and the ``Last F. G.`` form of citation
    databases (a name ending in initials is written family name first)."""
    return _parts(name)[0]


def person_key(name: str) -> tuple[str, str]:
    """Who a name names, for comparing author lists: the family name and the first initial
    (``Jörg Müller``, ``Müller, Jörg`` and ``Müller J.`` give ``("muller", "j")``)."""
    family, given = _parts(name)
    return family, given[:1]


@lru_cache(maxsize=65536)
def _parts(name: str) -> tuple[str, str]:
    """The family name (without particles) and the given names of one person, in plain
    lower-case letters."""
    person = person_name(name)
    return _plain(person.family), _plain(person.given)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("{", "").replace("}", "").casefold())
    return " ".join(_LETTERS.findall("".join(c for c in text if not unicodedata.combining(c))))


def families_agree(a: str, b: str) -> bool:
    """Whether two family names (from :func:`family_name`) can be one person's: equal, or one
    a part of the other (``garcia`` / ``garcia marquez``)."""
    if not a or not b:
        return False
    return a == b or bool(set(a.split()) & set(b.split()))

"""The forms of one title that the matcher compares besides the whole title: its main title
before a subtitle, the translations written in brackets after it, and whether it is a title
that a venue prints again and again (columns, editorials, errata), from ``dedupe.yaml``."""

from __future__ import annotations

import re
from functools import cache

from generator.dedupe.rules import Rules, normalize_title, strip_notes

_SUBTITLE = re.compile(r"[:?]|\s-\s|(?<!\d)\s*[\u2013\u2014]\s*(?!\d)")
"""Where a subtitle starts: a colon, a question mark, a spaced hyphen or a dash (not one between
two numbers, as in ``1990\u20132000``)."""


def main_title(title: str, rules: Rules) -> tuple:
    """The normalized words of a title before its subtitle (the whole title when it has none)."""
    head = _SUBTITLE.split(strip_notes(title or "")[0], maxsplit=1)[0]
    return tuple(normalize_title(head, rules).split())


def translations(title: str, rules: Rules) -> tuple[str, ...]:
    """Normalized titles written in brackets after a title (``English title [Original title]``),
    at least ``translation_min_words`` words long, so that a note such as ``[Russian]`` is none."""
    if "]" not in (title or ""):
        return ()
    found = []
    for note in strip_notes(title)[1]:
        norm = normalize_title(note, rules)
        if len(norm.split()) >= rules.translation_min_words:
            found.append(norm)
    return tuple(found)


def is_recurring(norm: str, tokens: tuple, rules: Rules) -> bool:
    """Whether a normalized title (and its words) is one of the titles a venue prints in many
    issues (``recurring_titles``) or starts like one (``recurring_title_starts``)."""
    if not tokens:
        return False
    if norm in rules.recurring_titles:
        return True
    return any(tokens[:len(start)] == start for start in _starts_by_word(rules).get(tokens[0], ()))


@cache
def _starts_by_word(rules: Rules) -> dict:
    by_word: dict = {}
    for start in rules.recurring_title_starts:
        by_word.setdefault(start[0], []).append(start)
    return by_word

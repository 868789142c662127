"""Record text as inert Markdown, for the plain Material site that ``build_speed.py`` builds as
its second reference (one short Markdown page per paper): a value renders exactly as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator.text import one_line

_BACKSLASHED = set("\\`*_{}[]#")
"""Characters that mean something anywhere in a line, escaped with a backslash (Python-Markdown
un-escapes them). ``(``, ``)`` and ``!`` only act next to ``[`` or ``]``, which are escaped."""

_ENTITIES = {"&": "&amp;", "<": "&lt;", "|": "&#124;", "~": "&#126;"}
"""Characters written as entities: HTML syntax, table cells and strike-through marks."""

_ESCAPE_ORDER = (("\\", "\\\\"), *((c, "\\" + c) for c in sorted(_BACKSLASHED - {"\\"})), ("&", "&amp;"),
                 *((c, e) for c, e in _ENTITIES.items() if c != "&"))
"""Each character to escape with its escape, in an order where no escape is escaped again: the
backslash first, then ``#`` before the entities (which hold ``#``), ``&`` before the other entities."""

_LINE_START = re.compile(r"^(?:([-+>=!])|(\d+)([.)]))")
"""What makes a line a list item, a quote, a heading underline or an admonition (``!!!``) when it
starts the line."""


def markdown_text(value) -> str:
    """A value as one line of inert Markdown text: it renders exactly as written.

    Only the characters that can act are escaped (most text stays readable in the Markdown);
    ``-``, ``+``, ``>``, ``=``, ``!`` and ``1.`` are escaped where they would start a line.
    """
    if value is None:
        return ""
    return _remembered_line(str(value))


@lru_cache(maxsize=1 << 16)
def _remembered_line(text: str) -> str:
    """:func:`markdown_text` of a string, remembered: pages repeat short fields (a title shows on
    its paper's page and in every list the paper is in; names, labels)."""
    return _escaped_line(one_line(text))


def _escaped_line(line: str) -> str:
    """A line (as :func:`generator.text.one_line` gives it) with what can act escaped."""
    for char, escaped in _ESCAPE_ORDER:
        if char in line:
            line = line.replace(char, escaped)
    return _LINE_START.sub(_escape_line_start, line, count=1)


def _escape_line_start(match: re.Match) -> str:
    if match.group(1):
        return "&#" + str(ord(match.group(1))) + ";"
    return match.group(2) + "\\" + match.group(3)

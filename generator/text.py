"""Plain-text normalization shared by the importer and the formatter."""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _slugify

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


_ASCII_BREAKS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
"""The ASCII characters other than the space that ``str.split`` takes for whitespace."""


def one_line(text: str) -> str:
    """NFC text with every run of whitespace, line breaks included, made one space."""
    text = unicodedata.normalize("NFC", text)
    if (text.isascii() and "  " not in text and text[:1] != " " and text[-1:] != " "
            and not any(c in text for c in _ASCII_BREAKS)):
        return text  # one line already, as most are: no need to split it into words
    return " ".join(text.split())


def paragraphs(text: str) -> str:
    """NFC text with whitespace collapsed inside paragraphs and one blank line between them.

    Words are kept exactly; only spacing changes.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n\s*\n", text)
    return "\n\n".join(b for b in (one_line(block) for block in blocks) if b)


def slug(text: str, max_length: int = 80) -> str:
    """A URL- and file-safe id for a title or a facet value (ASCII, lowercase, hyphens).

    Uses python-slugify, which transliterates accents and other scripts to ASCII, so that
    look-alike Unicode can never produce two ids that read the same.
    """
    value = _slugify(text or "", max_length=max_length, word_boundary=True, save_order=True)
    return value or "untitled"

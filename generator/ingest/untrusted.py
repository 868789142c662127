"""Text from web API responses made plain: markup stripped, entities and LaTeX resolved, and
the characters the loader refuses (controls, bidirectional overrides, zero-width spaces) taken
out and counted, so a record built from a response passes ``atlas validate``."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from generator.ingest.readers import latex_text

_DROPPED = {"script", "style", "noscript", "template"}
"""Elements whose text is code, not prose (the parser reads script and style to their end tag)."""
_BLOCKS = {"p", "jats:p", "div", "sec", "jats:sec", "br", "li", "jats:list-item", "h1", "h2", "h3", "h4"}
_TITLES = {"title", "jats:title"}
"""Section titles (``Motivation``, ``Results``) start their paragraph: ``Results: ...``."""
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")
_LATEX_HINT = re.compile(r"\\[A-Za-z]|\$[^$]+\$|\{\\|\\['\"`^~]")


class _TextOnly(HTMLParser):
    """Collects the text of an HTML or JATS fragment; drops scripts, styles and their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.after_title = False
        self.title_start = 0

    def _break(self) -> None:
        if not self.after_title:
            self.out.append("\n\n")

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self.skip += 1
        elif tag in _BLOCKS or tag in _TITLES:
            self._break()
            self.title_start = len(self.out)

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in _TITLES:
            if "".join(self.out[self.title_start:]).strip().casefold() == "abstract":
                del self.out[self.title_start:]  # the heading of the whole abstract says nothing
            else:
                self.out.append(": ")
                self.after_title = True
            return
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data):
        if not self.skip:
            if data.strip():
                self.after_title = False
            self.out.append(data)


def strip_markup(text: str) -> str:
    """The text of an HTML or JATS XML fragment: tags gone, entities resolved, paragraphs kept
    as blank-line-separated blocks. Scripts and styles lose their text too."""
    if "<" not in text and "&" not in text:
        return text
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return "".join(parser.out)


def drop_invisible(text: str, keep_breaks: bool = False) -> tuple[str, list[str]]:
    """``text`` without control and invisible characters; returns it and the code points removed
    (``U+202E``). With ``keep_breaks``, line breaks and tabs stay (for abstracts)."""
    removed: list[str] = []

    def cut(match: re.Match) -> str:
        removed.append(f"U+{ord(match.group()):04X}")
        return ""

    if keep_breaks:
        text = _INVISIBLE.sub(cut, text)
    else:
        text = _INVISIBLE.sub(cut, text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
    return text, removed


def plain_text(text: str | None, paragraphs: bool = False) -> tuple[str, list[str]]:
    """A response field as plain text: markup stripped, LaTeX resolved (with pylatexenc, as the
    BibTeX reader does) when the text has LaTeX commands or math, invisible characters removed.

    Returns the text (one line, or paragraphs when ``paragraphs``) and the characters removed.
    """
    if not text:
        return "", []
    text = unicodedata.normalize("NFC", strip_markup(text))
    if _LATEX_HINT.search(text):
        text = "\n\n".join(latex_text(block) for block in re.split(r"\n\s*\n", text))
    text, removed = drop_invisible(text, keep_breaks=paragraphs)
    if paragraphs:
        blocks = (" ".join(b.split()) for b in re.split(r"\n\s*\n", text))
        return "\n\n".join(b for b in blocks if b), removed
    return " ".join(text.split()), removed


class FieldCleaner:
    """Makes the fields of one answer plain text (:func:`plain_text`), noting for the record's
    notes what it removed from each."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        """One note per field that lost characters: ``removed U+202E from the title``."""

    def __call__(self, name: str, value, paragraphs: bool = False) -> str:
        """The field ``name`` as plain text; a value that is not a string gives ""."""
        out, removed = plain_text(value if isinstance(value, str) else "", paragraphs)
        if removed:
            self.notes.append(f"removed {', '.join(sorted(set(removed)))} from the {name}")
        return out

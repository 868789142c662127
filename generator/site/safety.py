"""Making record text inert: escaping for HTML (and Markdown), and sanitizing rendered HTML.

Records are untrusted. Every field reaches a generated page escaped: by the templates'
autoescaping, or through :func:`html_text`, :func:`html_paragraphs`, :func:`safe_url` and
:func:`front_matter_string`, so that a field shows as written and can add no heading, front
matter, tag, script or link. The HTML of generated pages then passes :func:`sanitize_html` as a
second line of defence. :func:`markdown_text` makes a value inert Markdown, for pages written
as Markdown.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

import nh3

from generator.text import one_line, paragraphs

_BACKSLASHED = set("\\`*_{}[]#")
"""Characters that mean something anywhere in a line, escaped with a backslash (Python-Markdown
un-escapes them). ``(``, ``)`` and ``!`` only act next to ``[`` or ``]``, which are escaped."""

_ENTITIES = {"&": "&amp;", "<": "&lt;", "|": "&#124;", "~": "&#126;"}
"""Characters written as entities: HTML syntax, table cells and strike-through marks."""

_ESCAPE_ORDER = (("\\", "\\\\"), *((c, "\\" + c) for c in sorted(_BACKSLASHED - {"\\"})), ("&", "&amp;"),
                 *((c, e) for c, e in _ENTITIES.items() if c != "&"))
"""Each character to escape with its escape, in an order where no escape is escaped again: the
backslash first, then ``#`` before the entities (which hold ``#``), ``&`` before the other entities."""

_WHITESPACE = re.compile(r"\s")
"""Any character ``str.isspace`` calls whitespace."""

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


def html_text(value) -> str:
    """A value as HTML text (also safe inside a double-quoted attribute)."""
    return html.escape(one_line(str(value or "")), quote=True)


def html_paragraphs(value) -> str:
    """A multi-paragraph value as HTML paragraphs (``<p>`` elements, one a line)."""
    if not value:
        return ""
    return "\n".join(f"<p>{html.escape(block, quote=False)}</p>" for block in paragraphs(str(value)).split("\n\n"))


def safe_url(value) -> str:
    """An http(s) URL escaped for an attribute, or an empty string for anything else."""
    text = str(value or "").strip()
    if not text.lower().startswith(("http://", "https://")) or _WHITESPACE.search(text):
        return ""
    return html.escape(text, quote=True)


def front_matter_string(value) -> str:
    """A YAML double-quoted scalar holding the HTML-escaped value (themes insert titles raw)."""
    return json.dumps(html_text(value), ensure_ascii=True)


_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "li", "ol", "p", "pre", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul", "figure", "figcaption", "nav", "details", "summary",
    "svg", "g", "rect", "line", "text", "title", "desc",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "role", "aria-label", "aria-hidden", "aria-labelledby", "lang"},
    "a": {"href"},
    "svg": {"viewBox", "width", "height", "xmlns", "focusable", "preserveAspectRatio"},
    "rect": {"x", "y", "width", "height", "rx"},
    "line": {"x1", "y1", "x2", "y2"},
    "text": {"x", "y", "dx", "dy", "text-anchor", "dominant-baseline"},
    "g": {"transform"},
    "th": {"align"},
    "td": {"align"},
}


def sanitize_html(markup: str) -> str:
    """HTML with only the tags and attributes the theme and our pages use; links only http(s) or relative."""
    return _cleaner().clean(markup)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """The sanitizer, set up once: every generated page of a build passes it."""
    return nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https"}, link_rel=None,
                       strip_comments=True)

"""Making record text inert: escaping for HTML, and sanitizing rendered HTML.

Records are untrusted. Every field reaches a generated page escaped: by the templates'
autoescaping, or through :func:`html_text`, :func:`html_paragraphs`, :func:`safe_url` and
:func:`front_matter_string`, so that a field shows as written and can add no heading, front
matter, tag, script or link. The HTML of generated pages then passes :func:`sanitize_html` as a
second line of defence.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

import nh3

from generator.text import one_line, paragraphs

_WHITESPACE = re.compile(r"\s")
"""Any character ``str.isspace`` calls whitespace."""


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

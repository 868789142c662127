"""The rules of duplicate detection, read from ``content/dedupe.yaml``, and title normalization."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from generator.errors import AtlasError, ContentError, Problem
from generator.fsutil import file_stamp
from generator.content.schemas import CuratedFile

RULES_FILE = "dedupe.yaml"
_REWRITES = ("numerals", "replacements", "spellings", "suffixes")
"""The mappings of the rules file, from a word (or character) to what it becomes."""
SHIPPED_CONTENT = Path(__file__).resolve().parents[2] / "content"
"""The content folder shipped with the code, whose rules apply when a folder has none."""

_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d_/-]")
_LATEX_COMMAND = re.compile(r"\\[a-zA-Z]+\*?|\\.")
_PUNCT = re.compile(r"(?:(?<!\d)\.|\.(?!\d)|[^\w\s.])+")
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
_TRAILING_NOTE = re.compile(r"(?<=\S)[\s.]*\[([^\[\]]*)\][\s.]*$")


@dataclass(frozen=True, eq=False)
class Rules:
    """Thresholds, veto words and spelling data of the matcher; the defaults are those of a
    rules file that leaves an entry out."""

    title_threshold: float = 95.0
    identifier_title_threshold: float = 80.0
    repository_title_threshold: float = 90.0
    veto_words: frozenset = frozenset()
    leading_articles: frozenset = frozenset()
    numerals: tuple = ()
    replacements: tuple = ()
    spellings: tuple = ()
    suffixes: tuple = ()
    preprint_venues: tuple = ()
    preprint_doi_prefixes: tuple = ()
    recurring_titles: frozenset = frozenset()
    recurring_title_starts: tuple = ()
    subtitle_min_words: int = 3
    translation_min_words: int = 3
    source: str = ""

    @property
    def word_map(self) -> dict:
        """Whole-word rewrites: British spellings and Roman numerals."""
        return _word_map(self)


@cache
def _word_map(rules: Rules) -> dict:
    return {**dict(rules.spellings), **dict(rules.numerals)}


def rules_path(content_dir: Path | str | None) -> Path:
    """The rules file of a content folder, or the shipped one when the folder has none."""
    if content_dir is not None:
        own = Path(content_dir) / RULES_FILE
        if own.is_file():
            return own
    return SHIPPED_CONTENT / RULES_FILE


def load_rules(content_dir: Path | str | None = None) -> Rules:
    """Read the matcher's rules (strict YAML, checked against ``dedupe.schema.json``); problems
    are raised as :class:`ContentError`."""
    path = rules_path(content_dir)
    if not path.is_file():
        raise AtlasError(f"no {RULES_FILE} in {content_dir} nor in {SHIPPED_CONTENT}")
    return _load_rules(path.resolve(), file_stamp(path))


@cache
def _load_rules(path: Path, _stamp) -> Rules:
    """The rules in ``path``, read once for each modification time and size of the file (a
    live preview reads them again after an edit)."""
    checked = CuratedFile(path, "a mapping of rules", "dedupe")
    doc, label, data = checked.doc, checked.label, checked.doc.data
    checked.problems += [Problem(label, doc.line((key, where)), key, f"the key {where!r} is blank; write the word it rewrites")
                         for key in _REWRITES if isinstance(data.get(key), dict) for where in data[key] if not where.strip()]
    checked.raise_problems()

    def words(key):
        return {k.casefold(): v.casefold() for k, v in data.get(key, {}).items()}

    default = Rules()
    rules = Rules(
        title_threshold=float(data.get("title_threshold", default.title_threshold)),
        identifier_title_threshold=float(data.get("identifier_title_threshold", default.identifier_title_threshold)),
        repository_title_threshold=float(data.get("repository_title_threshold", default.repository_title_threshold)),
        veto_words=frozenset(w.casefold() for w in data.get("veto_words", [])),
        leading_articles=frozenset(w.casefold() for w in data.get("leading_articles", [])),
        numerals=tuple(sorted(words("numerals").items())),
        replacements=tuple(sorted(data.get("replacements", {}).items())),
        spellings=tuple(sorted(words("spellings").items())),
        suffixes=tuple(sorted(words("suffixes").items(), key=lambda kv: -len(kv[0]))),
        preprint_venues=tuple(v.casefold() for v in data.get("preprint_venues", [])),
        preprint_doi_prefixes=tuple(v.casefold() for v in data.get("preprint_doi_prefixes", [])),
        subtitle_min_words=int(data.get("subtitle_min_words", default.subtitle_min_words)),
        translation_min_words=int(data.get("translation_min_words", default.translation_min_words)),
        source=label,
    )
    # Phrases are compared in the form titles take, so they are normalized by these same rules.
    phrases = {}
    for key in ("recurring_titles", "recurring_title_starts"):
        phrases[key] = [normalize_title(t, rules) for t in data.get(key, [])]
        checked.problems += [Problem(label, doc.line((key, i)), key, f"{data[key][i]!r} has no words left once normalized")
                             for i, t in enumerate(phrases[key]) if not t]
    if checked.problems:
        raise ContentError(checked.problems)
    return replace(rules, recurring_titles=frozenset(phrases["recurring_titles"]),
                   recurring_title_starts=tuple(sorted({tuple(t.split()) for t in phrases["recurring_title_starts"]})))


def _strip_latex(text: str) -> str:
    if "\\" in text:
        text = _LATEX_COMMAND.sub(lambda m: "" if m.group(0)[1:].isalpha() else m.group(0)[1:], text)
    return text.replace("{", "").replace("}", "").replace("$", "")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def normalize_title(text: str, rules: Rules | None = None) -> str:
    """A title in the form titles are compared in.

    Unicode NFKC, LaTeX commands and braces removed, characters written out (Greek letters),
    casefolded, accents stripped, dashes and punctuation made spaces (a dot inside a number
    such as ``2.5`` is kept), British spellings made American, Roman numerals made digits,
    a leading article dropped, and whitespace collapsed.
    """
    rules = rules or default_rules()
    text = text or ""
    plain = text.isascii()
    if not plain:
        text = unicodedata.normalize("NFKC", text)
    if "]" in text:
        text = strip_notes(text)[0]
    if "\\" in text or "{" in text or "$" in text:
        text = _strip_latex(text)
    for old, new in rules.replacements:
        if (not plain or not old.isalpha()) and old in text:
            spaced = not old.isalpha() or "GREEK" in unicodedata.name(old[0], "")
            text = text.replace(old, f" {new} " if spaced else new)
    text = text.casefold()
    if not text.isascii():
        text = _strip_accents(text)
    text = _DASHES.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    word_map = rules.word_map
    endings = tuple(old for old, _ in rules.suffixes)
    out = []
    for word in text.split():
        word = word_map.get(word, word)
        if endings and word.endswith(endings):
            for old, new in rules.suffixes:
                if word.endswith(old):
                    word = word[: -len(old)] + new
                    break
        out.append(word)
    if len(out) > 1 and out[0] in rules.leading_articles:
        del out[0]
    return " ".join(out)


def strip_notes(title: str) -> tuple[str, list[str]]:
    """A title without the bracketed notes at its end (``Title [Original title]. [German]``),
    and the notes, last first. A title that is all one bracket keeps it."""
    notes = []
    while (found := _TRAILING_NOTE.search(title)) and found.start() > 0:
        notes.append(found.group(1))
        title = title[:found.start()]
    return title, notes


def title_numbers(normalized: str) -> tuple[str, ...]:
    """The numbers written in a normalized title (``qwen2.5`` gives ``2.5``), sorted."""
    return tuple(sorted(_NUMBER.findall(normalized)))


@cache
def default_rules() -> Rules:
    """The rules shipped in the code's own content folder."""
    return load_rules(None)

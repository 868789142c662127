"""The importer's reading rules, read and checked from ``content/extraction.yaml``.

Page furniture, date headers, the phrases that introduce a method's name, the markers of papers
that propose no named thing, and the thresholds of type choice are data a curator edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError, Problem, display_path
from generator.content.taxonomy import TYPE_IDS
from generator.content.yamlio import dotted, read_curated

_SECTIONS = {
    "listing": {"chrome", "date_headers", "title_max_words", "title_max_chars"},
    "method": {"propose", "naming", "expansions", "window", "not_names", "no_method", "report_suffixes", "generic_prefixes",
               "quoted_after", "appositive", "skip_words", "heads"},
    "type": {"title_weight", "voices", "min_alignment", "uncertain", "generic", "topic", "specific_share"},
    "task": {"min_score", "tasks_by_type", "default_task"},
    "tags": {"min_score", "max_tags"},
}


_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")

VOICE_KEYS = {
    "cues": {"weight", "full", "min_cue_weight"},
    "tags": {"weight", "full"},
    "neighbours": {"weight", "full", "count", "min_similarity"},
}
"""The voices of type choice and the keys each takes in ``extraction.yaml``."""


@dataclass(frozen=True)
class Rules:
    """Everything ``extraction.yaml`` says, ready to use."""

    chrome: frozenset[str] = frozenset()
    date_headers: tuple[re.Pattern, ...] = ()
    title_max_words: int = 40
    title_max_chars: int = 300
    propose: tuple[str, ...] = ()
    naming: tuple[str, ...] = ()
    expansions: tuple[str, ...] = ()
    window: int = 14
    not_names: frozenset[str] = frozenset()
    no_method: tuple[str, ...] = ()
    report_suffixes: tuple[str, ...] = ()
    generic_prefixes: frozenset[str] = frozenset()
    quoted_after: tuple[str, ...] = ()
    appositive: tuple[str, ...] = ()
    skip_words: frozenset[str] = frozenset()
    heads: frozenset[str] = frozenset()
    title_weight: int = 3
    voices: dict[str, tuple[float, float]] = field(default_factory=dict)
    min_cue_weight: int = 2
    generic: frozenset[str] = frozenset()
    topic: frozenset[str] = frozenset()
    specific_share: float = 0.5
    neighbours: int = 5
    min_similarity: float = 0.1
    min_alignment: float = 0.2
    uncertain_margin: float = 0.1
    uncertain_below: float = 0.4
    task_min_score: int = 1
    tasks_by_type: dict[str, tuple[str, ...]] = field(default_factory=dict)
    default_task: dict[str, str] = field(default_factory=dict)
    tag_min_score: int = 1
    max_tags: int = 0

    def voice(self, name: str) -> tuple[float, float]:
        """A voice's weight and the raw score at which it speaks in full (silent when not configured)."""
        return self.voices.get(name, (0.0, 1.0))

    def is_chrome(self, line: str) -> bool:
        """Whether a line is page furniture of a listing."""
        return " ".join(line.split()).casefold() in self.chrome

    def is_date_header(self, line: str) -> bool:
        """Whether a line is a date header between listing entries."""
        text = line.strip()
        return any(p.fullmatch(text) for p in self.date_headers)


class _Checker:
    def __init__(self, doc, label: str):
        self.doc, self.label = doc, label
        self.problems: list[Problem] = list(doc.problems)

    def fail(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.label, self.doc.line(path), dotted(path), message))

    def phrases(self, value, path: tuple) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "expected a list of phrases")
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(path + (i,), "expected a phrase")
                continue
            out.append(" ".join(item.split()))
        return out

    def number(self, value, path: tuple, default: int) -> int:
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.fail(path, "expected a whole number, 0 or more")
            return default
        return value

    def fraction(self, value, path: tuple, default: float, top: float | None = None) -> float:
        """A decimal number such as ``0.25`` (the strict reader leaves it as text)."""
        if value is None:
            return default
        if isinstance(value, str) and _DECIMAL.fullmatch(value):
            value = float(value)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0 or (top is not None and value > top):
            self.fail(path, "expected a number, 0 or more" + (f" and at most {top:g}" if top is not None else ""))
            return default
        return float(value)

    def mapping(self, value, path: tuple, keys: set[str]) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, "expected a mapping")
            return {}
        for key in value:
            if key not in keys:
                self.fail(path + (key,), f"unknown key (expected one of: {', '.join(sorted(keys))})")
        return value

    def voices(self, value, path: tuple) -> dict[str, tuple[float, float]]:
        """Each voice's ``weight`` and ``full`` score; the neighbours voice also has ``count`` and ``min_similarity``."""
        out = {}
        for name, entry in self.mapping(value, path, set(VOICE_KEYS)).items():
            if name not in VOICE_KEYS:
                continue
            entry = self.mapping(entry, path + (name,), VOICE_KEYS[name])
            full = self.fraction(entry.get("full"), path + (name, "full"), 1.0)
            if full <= 0:
                self.fail(path + (name, "full"), "expected a number above 0")
            out[name] = (self.fraction(entry.get("weight"), path + (name, "weight"), 1.0), full or 1.0)
        return out

    def patterns(self, value, path: tuple) -> list[re.Pattern]:
        out = []
        for i, text in enumerate(self.phrases(value, path)):
            try:
                out.append(re.compile(text, re.IGNORECASE))
            except re.error as exc:
                self.fail(path + (i,), f"not a regular expression: {exc}")
        return out

    def type_ids(self, value, path: tuple) -> list[str]:
        out = []
        for i, ident in enumerate(self.phrases(value, path)):
            if ident not in TYPE_IDS:
                self.fail(path + (i,), f"unknown type id '{ident}'")
            out.append(ident)
        return out

    def by_type(self, value, path: tuple, many: bool) -> dict:
        """A mapping of type id to a task phrase (or to a list of them)."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, "expected a mapping of type id to " + ("a list of tasks" if many else "a task"))
            return {}
        out = {}
        for key, task in value.items():
            if key not in TYPE_IDS:
                self.fail(path + (key,), f"unknown type id '{key}'")
            elif many:
                out[key] = tuple(self.phrases(task, path + (key,)))
            elif not isinstance(task, str) or not task.strip():
                self.fail(path + (key,), "expected a task phrase")
            else:
                out[key] = " ".join(task.split())
        return out


def load_rules(content_dir: Path) -> Rules:
    """Read and check ``extraction.yaml``; raises :class:`ContentError` listing every problem."""
    path = Path(content_dir) / "extraction.yaml"
    label = display_path(path)
    if not path.is_file():
        raise ContentError([Problem(label, 1, None, "missing: the importer needs its reading rules (copy content/extraction.yaml)")])
    doc, label = read_curated(path, "a mapping with listing, method, type, task and tags")
    check = _Checker(doc, label)
    sections = {}
    for name, value in doc.data.items():
        if name not in _SECTIONS:
            check.fail((name,), f"unknown section (expected one of: {', '.join(_SECTIONS)})")
            continue
        if not isinstance(value, dict):
            check.fail((name,), "expected a mapping")
            continue
        for key in value:
            if key not in _SECTIONS[name]:
                check.fail((name, key), f"unknown key (expected one of: {', '.join(sorted(_SECTIONS[name]))})")
        sections[name] = value
    listing, method = sections.get("listing", {}), sections.get("method", {})
    kind, task, tags = sections.get("type", {}), sections.get("task", {}), sections.get("tags", {})
    voices = kind.get("voices") if isinstance(kind.get("voices"), dict) else {}
    near = voices.get("neighbours") if isinstance(voices.get("neighbours"), dict) else {}
    cues = voices.get("cues") if isinstance(voices.get("cues"), dict) else {}
    uncertain = check.mapping(kind.get("uncertain"), ("type", "uncertain"), {"margin", "below"})
    rules = Rules(
        chrome=frozenset(p.casefold() for p in check.phrases(listing.get("chrome"), ("listing", "chrome"))),
        date_headers=tuple(check.patterns(listing.get("date_headers"), ("listing", "date_headers"))),
        title_max_words=check.number(listing.get("title_max_words"), ("listing", "title_max_words"), 40),
        title_max_chars=check.number(listing.get("title_max_chars"), ("listing", "title_max_chars"), 300),
        propose=tuple(p.casefold() for p in check.phrases(method.get("propose"), ("method", "propose"))),
        naming=tuple(p.casefold() for p in check.phrases(method.get("naming"), ("method", "naming"))),
        expansions=tuple(p.casefold() for p in check.phrases(method.get("expansions"), ("method", "expansions"))),
        window=check.number(method.get("window"), ("method", "window"), 14),
        not_names=frozenset(check.phrases(method.get("not_names"), ("method", "not_names"))),
        no_method=tuple(p.casefold() for p in check.phrases(method.get("no_method"), ("method", "no_method"))),
        report_suffixes=tuple(p.casefold() for p in check.phrases(method.get("report_suffixes"), ("method", "report_suffixes"))),
        generic_prefixes=frozenset(p.casefold() for p in check.phrases(method.get("generic_prefixes"), ("method", "generic_prefixes"))),
        quoted_after=tuple(p.casefold() for p in check.phrases(method.get("quoted_after"), ("method", "quoted_after"))),
        appositive=tuple(p.casefold() for p in check.phrases(method.get("appositive"), ("method", "appositive"))),
        skip_words=frozenset(p.casefold() for p in check.phrases(method.get("skip_words"), ("method", "skip_words"))),
        heads=frozenset(p.casefold() for p in check.phrases(method.get("heads"), ("method", "heads"))),
        title_weight=check.number(kind.get("title_weight"), ("type", "title_weight"), 3),
        voices=check.voices(kind.get("voices"), ("type", "voices")),
        min_cue_weight=check.number(cues.get("min_cue_weight"), ("type", "voices", "cues", "min_cue_weight"), 2),
        neighbours=check.number(near.get("count"), ("type", "voices", "neighbours", "count"), 5),
        min_similarity=check.fraction(near.get("min_similarity"), ("type", "voices", "neighbours", "min_similarity"), 0.1, 1.0),
        generic=frozenset(check.type_ids(kind.get("generic"), ("type", "generic"))),
        topic=frozenset(check.type_ids(kind.get("topic"), ("type", "topic"))),
        specific_share=check.fraction(kind.get("specific_share"), ("type", "specific_share"), 0.5, 1.0),
        min_alignment=check.fraction(kind.get("min_alignment"), ("type", "min_alignment"), 0.2, 1.0),
        uncertain_margin=check.fraction(uncertain.get("margin"), ("type", "uncertain", "margin"), 0.1, 1.0),
        uncertain_below=check.fraction(uncertain.get("below"), ("type", "uncertain", "below"), 0.4, 1.0),
        task_min_score=check.number(task.get("min_score"), ("task", "min_score"), 1),
        tasks_by_type=check.by_type(task.get("tasks_by_type"), ("task", "tasks_by_type"), many=True),
        default_task=check.by_type(task.get("default_task"), ("task", "default_task"), many=False),
        tag_min_score=check.number(tags.get("min_score"), ("tags", "min_score"), 1),
        max_tags=check.number(tags.get("max_tags"), ("tags", "max_tags"), 0),
    )
    if check.problems:
        raise ContentError(check.problems)
    return rules

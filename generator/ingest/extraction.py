"""The importer's reading rules, read and checked from ``content/extraction.yaml``.

Page furniture, date headers, the phrases that introduce a method's name, the markers of papers
that propose no named thing, and the thresholds of type choice are data a curator edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError, Problem, display_path
from generator.content.schemas import CuratedFile
from generator.content.taxonomy import TYPE_IDS

VOICES = ("cues", "tags", "neighbours")
"""The voices that speak for a type, in the order they are explained (``extraction.schema.json``
says the keys each takes)."""


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
    title_separators: tuple[str, ...] = (":",)
    quoted_after: tuple[str, ...] = ()
    appositive: tuple[str, ...] = ()
    skip_words: frozenset[str] = frozenset()
    heads: frozenset[str] = frozenset()
    not_subjects: frozenset[str] = frozenset()
    title_weight: int = 3
    voices: dict[str, tuple[float, float]] = field(default_factory=dict)
    min_cue_weight: int = 2
    generic: frozenset[str] = frozenset()
    topic: frozenset[str] = frozenset()
    specific_share: float = 0.5
    neighbours: int = 5
    min_similarity: float = 0.1
    min_alignment: float = 0.2
    alignment_words: tuple[str, ...] = ()
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


def _phrases(value) -> list[str]:
    return [" ".join(item.split()) for item in value or []]


def _cross_check(data: dict, fail) -> None:
    """What the schema cannot say: date headers are regular expressions, type ids name one of
    the eight types, and a voice's ``full`` score is above 0."""
    def section(*path, kind=dict):
        """The value at ``path`` when it has the expected kind (the schema reports the others)."""
        value = data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        return value if isinstance(value, kind) else kind()

    for i, text in enumerate(section("listing", "date_headers", kind=list)):
        if isinstance(text, str):
            try:
                re.compile(text)
            except re.error as exc:
                fail(("listing", "date_headers", i), f"not a regular expression: {exc}")
    for key in ("generic", "topic"):
        for i, ident in enumerate(section("type", key, kind=list)):
            if isinstance(ident, str) and ident not in TYPE_IDS:
                fail(("type", key, i), f"unknown type id '{ident}'")
    for key in ("tasks_by_type", "default_task"):
        for ident in section("task", key):
            if ident not in TYPE_IDS:
                fail(("task", key, ident), f"unknown type id '{ident}'")
    for name in VOICES:
        full = section("type", "voices", name).get("full")
        if isinstance(full, (int, float)) and not isinstance(full, bool) and full <= 0:
            fail(("type", "voices", name, "full"), "expected a number above 0")


def _build(data: dict) -> Rules:
    """The rules of a file the schema and :func:`_cross_check` found valid; what it leaves out
    keeps its default."""
    listing, method = data.get("listing", {}), data.get("method", {})
    kind, task, tags = data.get("type", {}), data.get("task", {}), data.get("tags", {})
    voices = kind.get("voices", {})
    near, cues, uncertain = voices.get("neighbours", {}), voices.get("cues", {}), kind.get("uncertain", {})
    known = {key: value for key, value in {
        "title_max_words": listing.get("title_max_words"), "title_max_chars": listing.get("title_max_chars"),
        "window": method.get("window"), "title_weight": kind.get("title_weight"),
        "min_cue_weight": cues.get("min_cue_weight"), "neighbours": near.get("count"),
        "min_similarity": near.get("min_similarity"), "specific_share": kind.get("specific_share"),
        "min_alignment": kind.get("min_alignment"), "uncertain_margin": uncertain.get("margin"),
        "uncertain_below": uncertain.get("below"), "task_min_score": task.get("min_score"),
        "tag_min_score": tags.get("min_score"), "max_tags": tags.get("max_tags"),
    }.items() if value is not None}
    ints = {field.name for field in Rules.__dataclass_fields__.values() if field.type == "int"}
    known = {key: int(value) if key in ints else float(value) for key, value in known.items()}

    def lower(value) -> list[str]:
        return [p.casefold() for p in _phrases(value)]

    return Rules(
        chrome=frozenset(lower(listing.get("chrome"))),
        date_headers=tuple(re.compile(p, re.IGNORECASE) for p in _phrases(listing.get("date_headers"))),
        propose=tuple(lower(method.get("propose"))),
        naming=tuple(lower(method.get("naming"))),
        expansions=tuple(lower(method.get("expansions"))),
        not_names=frozenset(_phrases(method.get("not_names"))),
        no_method=tuple(lower(method.get("no_method"))),
        report_suffixes=tuple(lower(method.get("report_suffixes"))),
        generic_prefixes=frozenset(lower(method.get("generic_prefixes"))),
        title_separators=tuple(_phrases(method.get("title_separators", [":"]))),
        quoted_after=tuple(lower(method.get("quoted_after"))),
        appositive=tuple(lower(method.get("appositive"))),
        skip_words=frozenset(lower(method.get("skip_words"))),
        heads=frozenset(lower(method.get("heads"))),
        not_subjects=frozenset(lower(method.get("not_subjects"))),
        voices={name: (float(entry.get("weight", 1.0)), float(entry.get("full", 1.0))) for name, entry in voices.items()},
        generic=frozenset(_phrases(kind.get("generic"))),
        topic=frozenset(_phrases(kind.get("topic"))),
        alignment_words=tuple(lower(kind.get("alignment_words"))),
        tasks_by_type={key: tuple(_phrases(value)) for key, value in task.get("tasks_by_type", {}).items()},
        default_task={key: " ".join(value.split()) for key, value in task.get("default_task", {}).items()},
        **known,
    )


def load_rules(content_dir: Path) -> Rules:
    """Read and check ``extraction.yaml`` against ``extraction.schema.json``; raises
    :class:`ContentError` listing every problem."""
    path = Path(content_dir) / "extraction.yaml"
    label = display_path(path)
    if not path.is_file():
        raise ContentError([Problem(label, 1, None, "missing: the importer needs its reading rules (copy content/extraction.yaml)")])
    checked = CuratedFile(path, "a mapping with listing, method, type, task and tags", "extraction")
    _cross_check(checked.doc.data, checked.fail)
    checked.raise_problems()
    return _build(checked.doc.data)

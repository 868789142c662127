"""The curated vocabulary: alignment types, tags and tasks, read from ``content/taxonomy.yaml``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError
from generator.content.schema_check import schema_regex
from generator.content.schemas import ID_FORM, CuratedFile

TYPE_IDS = (
    "llm-alignment",
    "multimodal-alignment",
    "sequence-alignment",
    "entity-alignment",
    "cross-lingual-alignment",
    "speech-alignment",
    "gradient-alignment",
    "adjacent",
)
"""The eight alignment types. The ids are part of the site's URLs, so they are fixed."""

ID_PATTERN = schema_regex(ID_FORM)


@dataclass(frozen=True)
class Group:
    """A sub-group of a type: the papers of that type carrying one of its tags."""

    id: str
    title: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class AlignmentType:
    """One sense of "alignment"."""

    id: str
    title: str
    short: str
    description: str
    groups: tuple[Group, ...] = ()
    cues: tuple[tuple[str, int], ...] = ()
    needs: tuple[tuple[str, ...], ...] = ()
    """Groups of words (each a kind of evidence, such as a modality) of which a paper must name
    at least :attr:`needs_at_least` before its cues count for this type."""
    needs_at_least: int = 0
    needs_joint: tuple[str, ...] = ()
    """Words that name enough of :attr:`needs` at once ("vision-language"): one of them meets the need."""


@dataclass(frozen=True)
class Term:
    """A tag or a task of the vocabulary."""

    id: str
    title: str
    synonyms: tuple[str, ...] = ()
    description: str = ""
    types: tuple[str, ...] = ()
    """For a tag: the types whose papers it marks, a voice in the importer's choice of type."""


@dataclass(frozen=True)
class CitationWords:
    """The word lists citations are made with (the ``citations`` section), lowercase."""

    proceedings: tuple[str, ...] = ()
    """Venue words of conferences and workshops (an entry of @inproceedings)."""
    preprints: tuple[str, ...] = ()
    """Venue words of preprint servers (an entry of @misc)."""
    key_skip_words: tuple[str, ...] = ()
    """Title words a citation key passes over."""
    name_suffixes: tuple[str, ...] = ()
    """Last words of a name that are not the family name."""


@dataclass
class Taxonomy:
    """Types, tags and tasks, with look-ups by id and by synonym, and the citations' word lists."""

    types: dict[str, AlignmentType]
    tags: dict[str, Term]
    tasks: dict[str, Term]
    path: str = "content/taxonomy.yaml"
    citations: CitationWords = CitationWords()
    _tag_synonyms: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for tag in self.tags.values():
            for phrase in (tag.id, tag.id.replace("-", " "), tag.title, *tag.synonyms):
                self._tag_synonyms.setdefault(_norm(phrase), tag.id)

    def tag_for(self, phrase: str) -> str | None:
        """The tag id a phrase names, by id, title or synonym."""
        return self._tag_synonyms.get(_norm(phrase))

    def suggest_type(self, value: str) -> str | None:
        """The closest type id to a misspelled one."""
        return _closest(value, self.types)

    def suggest_tag(self, value: str) -> str | None:
        """The tag a misspelled tag or a synonym most likely means."""
        return self.tag_for(value) or self.tag_for(value.replace("-", " ")) or _closest(value, self.tags)

    def task_title(self, value: str) -> str:
        """The vocabulary's phrase for a task, when the value is one of its synonyms."""
        key = _norm(value)
        for task in self.tasks.values():
            if key in {_norm(task.title), _norm(task.id), *(_norm(s) for s in task.synonyms)}:
                return task.title
        return value


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def _closest(value: str, choices) -> str | None:
    found = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def _entries(data: dict, section: str) -> list[tuple[int, dict]]:
    """The entries of a section that are mappings, with their index (the schema reports the rest)."""
    value = data.get(section)
    return [(i, e) for i, e in enumerate(value) if isinstance(e, dict)] if isinstance(value, list) else []


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _ids_once(data: dict, section: str, fail) -> None:
    """An id written twice in one section."""
    seen = set()
    for i, entry in _entries(data, section):
        ident = entry.get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            fail((section, i, "id"), f"duplicate id '{ident}'")
        seen.add(ident)


def _cross_check(data: dict, fail) -> None:
    """What the schema cannot say: the types are the eight fixed ones, ids are written once, and
    a tag's ``types`` name types of the file."""
    for i, entry in _entries(data, "types"):
        ident = entry.get("id")
        if isinstance(ident, str) and ID_PATTERN.match(ident) and ident not in TYPE_IDS:
            fail(("types", i, "id"), f"unknown type id '{ident}' (the ids are fixed: {', '.join(TYPE_IDS)})")
        needs = entry.get("needs")
        groups = needs.get("groups") if isinstance(needs, dict) else None
        for k, group in enumerate(groups if isinstance(groups, list) else []):
            if group == []:
                fail(("types", i, "needs", "groups", k), "expected at least one word")
        if isinstance(groups, list) and isinstance(needs.get("at_least"), int) and needs["at_least"] > len(groups):
            fail(("types", i, "needs", "at_least"), f"expected at most {len(groups)}, the number of groups")
    for section in ("types", "tags", "tasks"):
        _ids_once(data, section, fail)
    defined = [e.get("id") for _, e in _entries(data, "types") if e.get("id") in TYPE_IDS]
    for i, entry in _entries(data, "tags"):
        links = entry.get("types")
        for k, ident in enumerate(links if isinstance(links, list) else []):
            if isinstance(ident, str) and ID_PATTERN.match(ident) and ident not in defined:
                fail(("tags", i, "types", k), f"unknown type '{ident}' (expected one of: {', '.join(defined)})")


def _build(data: dict, label: str) -> Taxonomy:
    """The taxonomy of a file the schema and :func:`_cross_check` found valid."""
    def term(entry: dict) -> Term:
        return Term(entry["id"], _text(entry["title"]), tuple(_text(s) for s in entry.get("synonyms", [])),
                    _text(entry.get("description")), tuple(entry.get("types", [])))

    types = {}
    for _, entry in _entries(data, "types"):
        groups = tuple(Group(g["id"], _text(g["title"]), tuple(g["tags"])) for g in entry.get("groups", []))
        cues = tuple((_norm(phrase), int(weight)) for phrase, weight in entry.get("cues", {}).items())
        needs = entry.get("needs", {})
        groups_needed = tuple(tuple(_norm(w) for w in group) for group in needs.get("groups", []))
        types[entry["id"]] = AlignmentType(entry["id"], _text(entry["title"]), _text(entry["short"]),
                                           _text(entry["description"]), groups, cues, groups_needed,
                                           int(needs.get("at_least", len(groups_needed))),
                                           tuple(_norm(w) for w in needs.get("joint", [])))
    citations = CitationWords(**{key: tuple(_text(w).lower() for w in words) for key, words in data.get("citations", {}).items()})
    return Taxonomy({t: types[t] for t in TYPE_IDS if t in types}, {e["id"]: term(e) for _, e in _entries(data, "tags")},
                    {e["id"]: term(e) for _, e in _entries(data, "tasks")}, label, citations)


def load_taxonomy(content_dir: Path) -> Taxonomy:
    """Read and check ``taxonomy.yaml`` against ``taxonomy.schema.json`` and across its
    sections; raises :class:`ContentError` listing every problem."""
    checked = CuratedFile(Path(content_dir) / "taxonomy.yaml", "a mapping with types, tags and tasks", "taxonomy")
    doc, fail, problems = checked.doc, checked.fail, checked.problems
    _cross_check(doc.data, fail)
    checked.raise_problems()
    taxonomy = _build(doc.data, checked.label)
    missing = [t for t in TYPE_IDS if t not in taxonomy.types]
    if missing:
        fail(("types",), f"missing types: {', '.join(missing)}")
    for i, entry in _entries(doc.data, "types"):
        for j, group in enumerate(entry.get("groups", [])):
            for k, tag in enumerate(group["tags"]):
                if tag not in taxonomy.tags:
                    hint = taxonomy.suggest_tag(tag)
                    fail(("types", i, "groups", j, "tags", k), f"unknown tag '{tag}'" + (f" (did you mean '{hint}'?)" if hint else ""))
    if problems:
        raise ContentError(problems)
    return taxonomy

"""The curated vocabulary: alignment types, tags and tasks, read from ``content/taxonomy.yaml``."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError, Problem
from generator.content.schema_check import schema_regex
from generator.content.yamlio import read_curated

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

ID_FORM = r"^[a-z0-9][a-z0-9-]*$"
"""What an id must look like (a record's, a type's or a tag's): the record schema's pattern for ids."""

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


CITATION_LISTS = tuple(CitationWords.__dataclass_fields__)
"""The keys of the ``citations`` section."""


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


class _Reader:
    """Checks the shape of taxonomy.yaml, collecting every problem with its line."""

    def __init__(self, doc, label: str):
        self.doc = doc
        self.label = label
        self.problems: list[Problem] = []

    def fail(self, path: tuple, message: str) -> None:
        from generator.content.yamlio import dotted

        self.problems.append(Problem(self.label, self.doc.line(path), dotted(path), message))

    def text(self, value, path: tuple, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "expected text")
            return ""
        return " ".join(value.split())

    def items(self, value, path: tuple) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "expected a list")
            return []
        return value

    def entry(self, value, path: tuple, allowed: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.fail(path, "expected a mapping")
            return None
        for key in value:
            if key not in allowed:
                self.fail(path + (key,), f"unknown key (expected one of: {', '.join(sorted(allowed))})")
        ident = value.get("id")
        if not isinstance(ident, str) or not ID_PATTERN.match(ident):
            self.fail(path + ("id",), "expected an id of lowercase letters, digits and hyphens")
            return None
        return value

    def type_links(self, value, path: tuple) -> tuple[str, ...]:
        """A tag's ``types``: type ids, each one of the eight."""
        out = []
        for k, ident in enumerate(self.items(value, path)):
            if ident not in TYPE_IDS:
                self.fail(path + (k,), f"unknown type '{ident}' (expected one of: {', '.join(TYPE_IDS)})")
            elif ident in out:
                self.fail(path + (k,), f"type '{ident}' listed twice")
            else:
                out.append(ident)
        return tuple(out)

    def terms(self, section: str) -> dict[str, Term]:
        out: dict[str, Term] = {}
        keys = {"id", "title", "synonyms", "description"} | ({"types"} if section == "tags" else set())
        for i, raw in enumerate(self.items(self.doc.data.get(section), (section,))):
            path = (section, i)
            entry = self.entry(raw, path, keys)
            if entry is None:
                continue
            if entry["id"] in out:
                self.fail(path + ("id",), f"duplicate id '{entry['id']}'")
                continue
            synonyms = []
            for j, s in enumerate(self.items(entry.get("synonyms"), path + ("synonyms",))):
                synonyms.append(self.text(s, path + ("synonyms", j)))
            out[entry["id"]] = Term(
                entry["id"], self.text(entry.get("title"), path + ("title",)), tuple(synonyms),
                self.text(entry.get("description"), path + ("description",), required=False),
                self.type_links(entry.get("types"), path + ("types",)),
            )
        return out

    def citations(self) -> CitationWords:
        raw = self.doc.data.get("citations")
        if raw is None:
            return CitationWords()
        if not isinstance(raw, dict):
            self.fail(("citations",), "expected a mapping of word lists")
            return CitationWords()
        lists = {}
        for key, words in raw.items():
            if key not in CITATION_LISTS:
                self.fail(("citations", key), f"unknown key (expected one of: {', '.join(CITATION_LISTS)})")
                continue
            path = ("citations", key)
            lists[key] = tuple(self.text(w, path + (i,)).lower() for i, w in enumerate(self.items(words, path)))
        return CitationWords(**lists)

    def types(self) -> dict[str, AlignmentType]:
        out: dict[str, AlignmentType] = {}
        allowed = {"id", "title", "short", "description", "groups", "cues"}
        for i, raw in enumerate(self.items(self.doc.data.get("types"), ("types",))):
            path = ("types", i)
            entry = self.entry(raw, path, allowed)
            if entry is None:
                continue
            ident = entry["id"]
            if ident not in TYPE_IDS:
                self.fail(path + ("id",), f"unknown type id '{ident}' (the ids are fixed: {', '.join(TYPE_IDS)})")
                continue
            groups = []
            for j, g in enumerate(self.items(entry.get("groups"), path + ("groups",))):
                gpath = path + ("groups", j)
                g = self.entry(g, gpath, {"id", "title", "tags"})
                if g is None:
                    continue
                gtags = tuple(self.text(t, gpath + ("tags", k)) for k, t in enumerate(self.items(g.get("tags"), gpath + ("tags",))))
                groups.append(Group(g["id"], self.text(g.get("title"), gpath + ("title",)), gtags))
            cues = entry.get("cues") or {}
            if not isinstance(cues, dict):
                self.fail(path + ("cues",), "expected a mapping of phrase to weight")
                cues = {}
            for phrase, weight in cues.items():
                if not isinstance(weight, int) and not (isinstance(weight, str) and re.fullmatch(r"-[1-9][0-9]*", weight)):
                    self.fail(path + ("cues", phrase), "expected an integer weight")
            out[ident] = AlignmentType(
                ident,
                self.text(entry.get("title"), path + ("title",)),
                self.text(entry.get("short"), path + ("short",)),
                self.text(entry.get("description"), path + ("description",)),
                tuple(groups),
                tuple((_norm(p), int(w)) for p, w in cues.items() if isinstance(w, int) or re.fullmatch(r"-[1-9][0-9]*", str(w))),
            )
        missing = [t for t in TYPE_IDS if t not in out]
        if missing and not self.problems:
            self.fail(("types",), f"missing types: {', '.join(missing)}")
        return {t: out[t] for t in TYPE_IDS if t in out}


def load_taxonomy(content_dir: Path) -> Taxonomy:
    """Read and check ``taxonomy.yaml``; raises :class:`ContentError` listing every problem."""
    doc, label = read_curated(Path(content_dir) / "taxonomy.yaml", "a mapping with types, tags and tasks")
    reader = _Reader(doc, label)
    reader.problems.extend(doc.problems)
    for key in doc.data:
        if key not in {"types", "tags", "tasks", "citations"}:
            reader.fail((key,), "unknown section (expected types, tags, tasks or citations)")
    types = reader.types()
    tags = reader.terms("tags")
    tasks = reader.terms("tasks")
    citations = reader.citations()
    for t in types.values():
        for g in t.groups:
            for tag in g.tags:
                if tag and tag not in tags:
                    reader.problems.append(Problem(label, doc.line(("types",)), f"types.{t.id}.groups.{g.id}", f"unknown tag '{tag}'"))
    if reader.problems:
        raise ContentError(reader.problems)
    return Taxonomy(types, tags, tasks, label, citations)

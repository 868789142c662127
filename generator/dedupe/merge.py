"""Merging a group of duplicate records into one, losing nothing.

The survivor is the record with the most information (ties: the earliest ``added``, then the
smallest id). It gains the others' links, tags, authors, aliases, ``not_duplicates`` and any
field it lacks; every removed id becomes one of its aliases, so old pages redirect. A field both
records fill differently is a conflict: the survivor's value stays, and the conflict is listed
for a human (printed, and named in the survivor's ``notes``). Each removed record's file is kept
byte for byte in ``<content>/merged/<id>.yaml``, a folder the loader never reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import AtlasError, ContentError
from generator.content.fmt import canonical_data, format_record, schema_line
from generator.fsutil import inside, replace_atomic, write_new
from generator.content.links import canonical_url
from generator.content.models import Content, Paper, record_schema
from generator.content.records import papers_dir
from generator.content.yamlio import read_file
from generator.content.yamlwrite import dump
from generator.dedupe.names import person_key

MERGED_DIR = "merged"
"""Folder of a content folder holding the full text of records removed by a merge."""

_SCALARS = ("title", "type", "abstract", "summary", "method", "task", "year", "venue", "volume", "issue", "pages", "added")


@dataclass
class MergePlan:
    """What merging one group will do: the survivor's new data, and every change and conflict."""

    survivor: Paper
    removed: list[Paper]
    data: dict
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def information(paper: Paper) -> int:
    """How much a record says: its filled fields, counting each link, tag and author."""
    total = 0
    for value in paper.to_dict().values():
        total += len(value) if isinstance(value, (list, dict)) else 1
    return total


def choose_survivor(papers: list[Paper]) -> Paper:
    """The record to keep: most information, then the earliest ``added``, then the smallest id."""
    return min(papers, key=lambda p: (-information(p), p.added is None, p.added or "", p.id))


def plan_merge(papers: list[Paper], content_dir: Path) -> MergePlan:
    """Plan the merge of one group (nothing is written)."""
    survivor = choose_survivor(papers)
    removed = sorted((p for p in papers if p is not survivor), key=lambda p: p.id)
    doc = read_file(papers_dir(content_dir) / f"{survivor.id}.yaml", survivor.source)
    data = dict(doc.data)
    plan = MergePlan(survivor, removed, data)
    limits = record_schema()["properties"]
    for other in removed:
        _merge_links(plan, other)
        _merge_list(plan, other, "tags", other.tags, limits["tags"].get("maxItems"), key_of=str)
        _merge_list(plan, other, "authors", other.authors, limits["authors"].get("maxItems"), key_of=person_key)
        _merge_list(plan, other, "aliases", (other.id,) + other.aliases, None, key_of=str)
        group_ids = {p.id for p in papers}
        _merge_list(plan, other, "not_duplicates", tuple(i for i in other.not_duplicates if i not in group_ids), None, key_of=str)
        for key in _SCALARS:
            value = getattr(other, key)
            if value in (None, ""):
                continue
            mine = data.get(key)
            if mine in (None, ""):
                data[key] = value
                plan.changes.append(f"{key}: taken from {other.id}")
            elif mine != value:
                plan.conflicts.append(f"{key}: kept {survivor.id}'s {_short(mine)}; {other.id} has {_short(value)}")
        if other.notes and other.notes not in (data.get("notes") or ""):
            _add_note(plan, f"Notes of {other.id}: {other.notes}", f"notes of {other.id}")
    _add_note(plan, _merge_note(plan), "a line naming the merged records and their conflicts")
    return plan


def _add_note(plan: MergePlan, text: str, what: str) -> None:
    """Append a paragraph to the survivor's notes, or list it as a conflict when it does not fit."""
    notes = plan.data.get("notes") or ""
    combined = f"{notes}\n\n{text}" if notes else text
    if len(combined) <= record_schema()["properties"]["notes"]["maxLength"]:
        plan.data["notes"] = combined
        plan.changes.append(f"notes: added {what}")
    else:
        plan.conflicts.append(f"notes: no room for {what}; the merged files keep everything")


def _short(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 70 else text[:67] + "...")


def _merged_label(record_id: str) -> str:
    """Where a removed record is kept, relative to the content folder."""
    return f"{MERGED_DIR}/{record_id}.yaml"


def _merge_note(plan: MergePlan) -> str:
    kept = ", ".join(_merged_label(p.id) for p in plan.removed)
    fields = sorted({c.split(":", 1)[0] for c in plan.conflicts})
    text = f"Merged duplicates {', '.join(p.id for p in plan.removed)} into this record; their full records are kept in the content folder as {kept}."
    if fields:
        text += f" Fields that differed (this record's values were kept): {', '.join(fields)}."
    return text


def _merge_links(plan: MergePlan, other: Paper) -> None:
    links = dict(plan.data.get("links") or {})
    for kind, url in sorted(other.links.items()):
        mine = links.get(kind)
        if mine is None:
            links[kind] = url
            plan.changes.append(f"links.{kind}: added {url} from {other.id}")
        elif canonical_url(mine) != canonical_url(url):
            plan.conflicts.append(f"links.{kind}: kept {mine}; {other.id} has {url}")
    if links:
        plan.data["links"] = links


def _merge_list(plan: MergePlan, other: Paper, key: str, values, limit, key_of) -> None:
    current = list(plan.data.get(key) or [])
    seen = {key_of(v) for v in current} | ({plan.survivor.id} if key == "aliases" else set())
    for value in values:
        if key_of(value) in seen:
            continue
        if limit is not None and len(current) >= limit:
            plan.conflicts.append(f"{key}: no room for {value!r} from {other.id} (limit {limit})")
            continue
        current.append(value)
        seen.add(key_of(value))
        plan.changes.append(f"{key}: added {value!r} from {other.id}")
    if current:
        plan.data[key] = current


def apply_merges(content: Content, groups) -> list[MergePlan]:
    """Merge every group; checks everything first, so a refusal changes nothing."""
    by_id = content.by_id()
    folder = papers_dir(content.root)
    merged_dir = Path(content.root) / MERGED_DIR
    plans, problems = [], []
    for group in groups:
        plan = plan_merge([by_id[i] for i in group.ids], content.root)
        path = folder / f"{plan.survivor.id}.yaml"
        _text, found = format_record(path)
        problems.extend(found)
        for other in plan.removed:
            target = merged_dir / f"{other.id}.yaml"
            if target.exists() or not inside(Path(content.root), target):
                raise AtlasError(f"{target} already exists; move it away before merging {other.id}")
        plans.append(plan)
    if problems:
        raise ContentError(problems)
    for plan in plans:
        for other in plan.removed:
            write_new(merged_dir / f"{other.id}.yaml", (folder / f"{other.id}.yaml").read_text("utf-8"))
        path = folder / f"{plan.survivor.id}.yaml"
        replace_atomic(path, dump(canonical_data(plan.data), header=schema_line(path)))
        for other in plan.removed:
            (folder / f"{other.id}.yaml").unlink()
    return plans

"""The records a branch changes, read from git.

``changed_records(content_dir, ref)`` compares the point where the current branch left ``ref``
(their merge base, as in ``git diff REF...HEAD``) with the working tree, so it sees the
branch's commits, staged and unstaged edits, and new files git does not track yet. In a clean
checkout (as in CI) that is exactly what a pull request changes.

Nothing is lost: a record leaves the atlas only by being merged into another one, which keeps
the removed id (and the removed record's aliases) in its own ``aliases`` so the old pages still
redirect. ``redirect_problems`` reports every id the branch stops serving.

Git runs as a subprocess with an argument list (never through a shell); a missing git, a
folder outside a repository or an unknown ref is a :class:`UsageError`.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Problem, UsageError, display_path
from generator.content.models import Paper
from generator.content.records import ID_PATTERN, papers_dir
from generator.content.yamlio import YamlError, parse_text


@dataclass(frozen=True)
class RecordChanges:
    """What a branch did to the records since it left a ref.

    ``changed``: record files added or modified (existing files, under the content folder as
    it was given, so their labels match those of the loaded records). ``removed``: ids of records
    whose file is gone. ``former_aliases``: for each modified or removed record id, the aliases
    it had at the ref.
    """

    changed: tuple[Path, ...]
    removed: tuple[str, ...]
    former_aliases: dict[str, tuple[str, ...]]


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run git; output is text, or bytes when ``stdin`` is given."""
    text = {} if stdin is not None else {"text": True, "encoding": "utf-8", "errors": "surrogateescape"}
    try:
        return subprocess.run(
            ["git", "--literal-pathspecs", *args], cwd=cwd, input=stdin, capture_output=True, timeout=120, **text,
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, and git is not installed") from None


def _lines(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]


def changed_records(content_dir: Path, ref: str) -> RecordChanges:
    """The record files changed since ``ref``, the ids of records removed since then and their former aliases."""
    if not ref or ref.startswith("-"):
        raise UsageError(f"--changed-since needs a git ref such as main or origin/main, got {ref!r}")
    folder = papers_dir(content_dir).resolve()
    if not folder.is_dir():
        raise UsageError(f"no papers folder at {display_path(folder)}")
    found = _git(folder, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise UsageError(f"--changed-since: {display_path(folder)} is not inside a git repository")
    top = Path(found.stdout.strip()).resolve()
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if commit.returncode != 0:
        raise UsageError(f"--changed-since: unknown git ref {ref!r} (fetch it first, e.g. git fetch origin main)")
    base = _git(top, "merge-base", commit.stdout.strip(), "HEAD")
    if base.returncode != 0:
        raise UsageError(f"--changed-since: {ref!r} and HEAD have no commit in common")
    base_commit = base.stdout.strip()
    spec = os.path.relpath(folder, top)

    def names(*args: str) -> list[str]:
        result = _git(top, *args, "--", spec)
        if result.returncode != 0:
            raise UsageError(f"git {args[0]} failed: {result.stderr.strip()}")
        return _lines(result.stdout)

    def records(paths: list[str]) -> list[Path]:
        files = (top / p for p in paths)
        return sorted({f for f in files if f.parent == folder and f.suffix == ".yaml"})

    diff = ("diff", "--name-only", "-z", "--no-renames", "--no-relative", "--no-ext-diff")
    added = records(names(*diff, "--diff-filter=A", base_commit) + names("ls-files", "-z", "--others", "--exclude-standard"))
    modified = [f for f in records(names(*diff, "--diff-filter=M", base_commit)) if f.is_file()]
    removed = [f for f in records(names(*diff, "--diff-filter=D", base_commit)) if not f.exists()]
    former = _aliases_at(top, base_commit, modified + removed)
    return RecordChanges(
        changed=tuple(papers_dir(content_dir) / f.name for f in sorted(set(added + modified))),
        removed=tuple(f.stem for f in removed),
        former_aliases={f.stem: former.get(f, ()) for f in modified + removed},
    )


def _aliases_at(top: Path, commit: str, files: list[Path]) -> dict[Path, tuple[str, ...]]:
    """The aliases each record file had at a commit (files that cannot be read count as none)."""
    files = [f for f in files if ID_PATTERN.match(f.stem)]
    if not files:
        return {}
    request = "".join(f"{commit}:{f.relative_to(top).as_posix()}\n" for f in files)
    output = _git(top, "cat-file", "--batch", stdin=request.encode("utf-8", "surrogateescape")).stdout
    aliases, at = {}, 0
    for path in files:
        end = output.find(b"\n", at)
        header = output[at:end].split()
        if end < 0 or len(header) != 3 or header[1] != b"blob":
            at = end + 1
            continue
        size = int(header[2])
        blob, at = output[end + 1:end + 1 + size], end + 2 + size
        try:
            data = parse_text(blob.decode("utf-8"), display_path(path)).data
        except (UnicodeDecodeError, YamlError):
            continue
        found = data.get("aliases") if isinstance(data, dict) else None
        if isinstance(found, list):
            aliases[path] = tuple(a for a in found if isinstance(a, str))
    return aliases


def redirect_problems(content_dir: Path, changes: RecordChanges, papers: list[Paper]) -> list[Problem]:
    """A problem for each id the changes stop serving: a removed record's id or a dropped alias.

    An id is served while some valid record has it as its id or among its aliases. A modified
    record that is not valid is skipped here: its own problems are reported already.
    """
    served = {paper.id for paper in papers} | {alias for paper in papers for alias in paper.aliases}
    by_id = {paper.id: paper for paper in papers}
    folder = papers_dir(content_dir)
    problems = []
    def fix(name: str) -> str:
        return f"add '{name}' to the aliases of the record that replaces it, so its page still redirects"

    for record_id in changes.removed:
        label = display_path(folder / f"{record_id}.yaml")
        if not ID_PATTERN.match(record_id):
            continue
        if record_id not in served:
            problems.append(Problem(label, 1, None, f"record '{record_id}' was removed but no record lists it in its aliases; {fix(record_id)}"))
        for alias in changes.former_aliases.get(record_id, ()):
            if alias not in served:
                problems.append(Problem(label, 1, None, f"record '{record_id}' was removed with its alias '{alias}', which no record keeps; {fix(alias)}"))
    for record_id, former in changes.former_aliases.items():
        paper = by_id.get(record_id)
        if paper is None:
            continue
        for alias in former:
            if alias not in served:
                problems.append(Problem(paper.source, paper.line("aliases"), "aliases",
                                        f"'{alias}' was an alias of this record and no record keeps it now; keep it, so the old page still redirects"))
    return problems

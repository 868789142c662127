"""The records a branch changes, read from git.

``changed_records(content_dir, ref)`` compares the point where the current branch left ``ref``
(their merge base, as in ``git diff REF...HEAD``) with the working tree, so it sees the
branch's commits, staged and unstaged edits, and new files git does not track yet. In a clean
checkout (as in CI) that is exactly what a pull request changes.

Git runs as a subprocess with an argument list (never through a shell); a missing git, a
folder outside a repository or an unknown ref is a :class:`UsageError`.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, UsageError, display_path
from .models import Paper
from .records import ID_PATTERN, papers_dir


@dataclass(frozen=True)
class RecordChanges:
    """Record files added or modified since a ref (existing files), and ids of removed records."""

    changed: tuple[Path, ...]
    removed: tuple[str, ...]


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            ["git", "--literal-pathspecs", *args], cwd=cwd, capture_output=True, text=True,
            encoding="utf-8", errors="surrogateescape", timeout=120,
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, and git is not installed") from None


def _lines(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]


def changed_records(content_dir: Path, ref: str) -> RecordChanges:
    """The record files changed since ``ref`` and the ids of records removed since then."""
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

    diff = ("diff", "--name-only", "-z", "--no-renames", "--no-relative", "--no-ext-diff")
    changed = names(*diff, "--diff-filter=AM", base_commit)
    changed += names("ls-files", "-z", "--others", "--exclude-standard")
    removed = names(*diff, "--diff-filter=D", base_commit)

    def records(paths: list[str]) -> list[Path]:
        files = (top / p for p in paths)
        return sorted({f for f in files if f.parent == folder and f.suffix == ".yaml"})

    return RecordChanges(
        changed=tuple(f for f in records(changed) if f.is_file()),
        removed=tuple(sorted(f.stem for f in records(removed) if not f.exists())),
    )


def removal_problems(content_dir: Path, removed: tuple[str, ...], papers: list[Paper]) -> list[Problem]:
    """A problem for each removed record whose id no record keeps as an alias.

    A record is removed by merging it into another one: its id goes into that record's
    ``aliases``, so its page keeps redirecting and no link into the atlas breaks.
    """
    kept = {alias for paper in papers for alias in paper.aliases}
    problems = []
    for record_id in removed:
        if record_id in kept or not ID_PATTERN.match(record_id):
            continue
        label = display_path(papers_dir(content_dir) / f"{record_id}.yaml")
        problems.append(Problem(label, 1, None,
                                f"record '{record_id}' was removed but no record lists it in its aliases; "
                                f"add '{record_id}' to the aliases of the record that replaces it, so its page still redirects"))
    return problems

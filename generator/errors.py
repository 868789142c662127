"""The problems and exceptions the atlas reports.

Library code raises these; the command line turns each into one line of text and an exit
status, so a user never sees a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(text: str) -> str:
    """Text with control and invisible characters written as escapes (``\\n``, ``\\x1b``,
    ``\\u202e``), so that a file name or key from a record cannot start a new line of output
    (a CI workflow command), drive a terminal or reorder what is shown."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one content file, at the line of the offending key."""

    path: str
    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:"
        return printable(f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}")

    def annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command."""
        text = printable(f"{self.field}: {self.message}" if self.field else self.message)
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = printable(self.path).replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::error file={path},line={self.line}::{text}"


class AtlasError(Exception):
    """Base class of every error the atlas reports to a user."""

    exit_code = 1


class UsageError(AtlasError):
    """The command was called wrongly (exit status 2)."""

    exit_code = 2


class LookupFailed(AtlasError):
    """A web API gave no usable answer: no network, a timeout, a server error, a refused body."""


class NotFound(LookupFailed):
    """The web API answered that it does not know the identifier."""


class ContentError(AtlasError):
    """The content has problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the content")


def display_path(path: os.PathLike | str) -> str:
    """A path as a user should read it: relative to the working folder when inside it."""
    text = os.fspath(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:
        return text
    return text if rel.startswith("..") else rel

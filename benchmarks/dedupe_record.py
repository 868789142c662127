"""Records for the de-duplicator made outside an atlas: labelled sets, synthetic corpora, tests.

``generator.dedupe.matching`` reads a record's attributes, not its class, so these stand in for a Paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DedupeRecord:
    """A bibliographic record with only what the de-duplicator reads: the attributes of a Paper it
    compares."""

    id: str
    title: str
    links: dict = field(default_factory=dict)
    year: int | None = None
    authors: tuple = ()
    venue: str | None = None
    volume: str | None = None
    pages: str | None = None
    issue: str | None = None
    not_duplicates: tuple = ()

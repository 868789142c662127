"""``atlas ingest``."""

from __future__ import annotations

from ..errors import AtlasError
from . import add_command


def register(subparsers) -> None:
    parser = add_command(subparsers, "ingest", "(not available yet)", "Not available yet.", "atlas ingest")
    parser.set_defaults(run=run)


def run(args) -> int:
    raise AtlasError("'atlas ingest' is not available yet")

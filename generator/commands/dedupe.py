"""``atlas dedupe``."""

from __future__ import annotations

from ..errors import AtlasError
from . import add_command


def register(subparsers) -> None:
    parser = add_command(subparsers, "dedupe", "(not available yet)", "Not available yet.", "atlas dedupe")
    parser.set_defaults(run=run)


def run(args) -> int:
    raise AtlasError("'atlas dedupe' is not available yet")

"""``atlas build``."""

from __future__ import annotations

from ..errors import AtlasError
from . import add_command


def register(subparsers) -> None:
    parser = add_command(subparsers, "build", "(not available yet)", "Not available yet.", "atlas build")
    parser.set_defaults(run=run)


def run(args) -> int:
    raise AtlasError("'atlas build' is not available yet")

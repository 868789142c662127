"""``atlas generate``."""

from __future__ import annotations

from ..errors import AtlasError
from . import add_command


def register(subparsers) -> None:
    parser = add_command(subparsers, "generate", "(not available yet)", "Not available yet.", "atlas generate")
    parser.set_defaults(run=run)


def run(args) -> int:
    raise AtlasError("'atlas generate' is not available yet")

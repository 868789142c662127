"""Canonical YAML writing: block style, keys in the given order, text with line breaks as
literal blocks, and the same bytes whether or not PyYAML was built with libyaml."""

from __future__ import annotations

import yaml


class _Dumper(yaml.SafeDumper):
    """Writes records in block style; text with line breaks as literal blocks."""


_FAST = hasattr(yaml, "CSafeDumper")
"""Whether PyYAML was built with libyaml."""


class _FastDumper(yaml.CSafeDumper if _FAST else yaml.SafeDumper):
    """The same, with libyaml's emitter (about 15 times faster) where PyYAML has it."""


def _represent_str(dumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_none(dumper, _value):
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


for _dumper in (_Dumper, _FastDumper):
    _dumper.add_representer(str, _represent_str)
    _dumper.add_representer(type(None), _represent_none)

_DUMP_OPTIONS = dict(sort_keys=False, allow_unicode=True, default_flow_style=False, width=10**9, indent=2)


def _emitters_agree(value) -> bool:
    """Whether libyaml's emitter writes ``value`` exactly as PyYAML's does: text of printable
    characters of the Basic Multilingual Plane, line breaks and tabs. Beyond that they differ
    (libyaml escapes emoji, the two treat U+0085 and U+2028 differently), and the canonical
    form of a record must not depend on which one is installed."""
    if isinstance(value, str):
        return value.replace("\n", "").replace("\t", "").isprintable() and (not value or max(value) <= "\uffff")
    if isinstance(value, dict):
        return all(_emitters_agree(k) and _emitters_agree(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_emitters_agree(v) for v in value)
    return value is None or isinstance(value, (bool, int))


def dump(data: dict, header: str | None = None) -> str:
    """Write ``data`` as YAML in the given key order, with an optional first comment line."""
    body = None
    if _FAST and _emitters_agree(data):
        body = yaml.dump(data, Dumper=_FastDumper, **_DUMP_OPTIONS)
        if body.endswith("\n...\n"):
            # libyaml ends the document with "..." once any text keeping its final line breaks
            # ("|+") was written; PyYAML only when that text comes last.
            body = None
    if body is None:
        body = yaml.dump(data, Dumper=_Dumper, **_DUMP_OPTIONS)
    if body.strip() == "{}":
        body = ""
    return (header + "\n" if header else "") + body

"""README's table of commands lists every command of ``atlas --help``, and no other, and each
row's options are options that command takes."""

from __future__ import annotations

import re

from conftest import ROOT


def readme_rows() -> dict[str, str]:
    """The rows of the table under "The `atlas` command": command name -> its first cell."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## The `atlas` command", 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        cell = re.match(r"\|\s*`atlas ([a-z-]+)([^`]*)`", line)
        if cell:
            assert cell.group(1) not in rows, f"{cell.group(1)} is listed twice"
            rows[cell.group(1)] = cell.group(2)
    return rows


def help_commands(help_text: str) -> list[str]:
    """The commands ``atlas --help`` lists under its COMMAND heading."""
    block = help_text.split("  COMMAND\n", 1)[1].split("\n\n", 1)[0]
    return [m.group(1) for m in re.finditer(r"^    ([a-z-]+)\s", block, re.M)]


def test_readme_lists_exactly_the_commands_of_help(atlas):
    result = atlas("--help")
    assert result.returncode == 0
    commands = help_commands(result.stdout)
    assert len(commands) >= 7
    assert sorted(readme_rows()) == sorted(commands)


def test_readme_rows_name_only_real_options(atlas):
    for name, usage in readme_rows().items():
        options = set(re.findall(r"--[a-z-]+", usage))
        help_text = atlas(name, "--help").stdout
        for option in options:
            assert re.search(rf"(^|\s){re.escape(option)}\b", help_text), f"atlas {name} has no {option}"

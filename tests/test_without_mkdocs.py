"""Every command but ``build`` works where MkDocs and Material are not installed.

Each command runs in a fresh interpreter whose imports of ``mkdocs`` and ``material`` fail, as
they would on a machine without them (an import hook first on ``sys.meta_path``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "site" / "fixture_content"
SEED = ROOT / "content" / "sources" / "000_b97b4739e75d05be.txt"

WITHOUT_MKDOCS = """
import sys

class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("mkdocs", "material"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
if sys.argv[1] == "--probe":
    import mkdocs  # must fail
    sys.exit(0)
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def without_mkdocs(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``atlas ARGS`` in a new interpreter that cannot import MkDocs or Material."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ATLAS_DEBUG": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-c", WITHOUT_MKDOCS, *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=300)


def test_the_hook_blocks_mkdocs(tmp_path):
    result = without_mkdocs("--probe", cwd=tmp_path)
    assert result.returncode != 0
    assert "No module named 'mkdocs'" in result.stderr


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE, folder)
    for name in ("extraction.yaml", "dedupe.yaml"):
        if not (folder / name).exists() and (ROOT / "content" / name).exists():
            shutil.copy(ROOT / "content" / name, folder / name)
    return folder


@pytest.mark.parametrize("args", [
    ("validate",),
    ("new", "A Paper Written Only To Be Created By The Test"),
    ("fmt",),
    ("ingest", "--dry-run", str(SEED)),
    ("dedupe",),
    ("dedupe", "--json"),
    ("generate", "--templates", str(ROOT / "site_templates"), "--out", "OUT"),
], ids=lambda args: " ".join(a for a in args if "/" not in a))
def test_commands_run_without_mkdocs(content, tmp_path, args):
    out = tmp_path / "out"
    args = tuple(str(out) if a == "OUT" else a for a in args)
    result = without_mkdocs(*args, "--content", str(content), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if args[0] == "generate":
        assert (out / "index.md").is_file()
        assert any((out / "papers").glob("*.md"))
    if args[0] == "new":
        assert any("a-paper-written-only" in p.name for p in (content / "papers").glob("*.yaml"))


def test_build_says_mkdocs_is_missing(content, tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - atlas\n", "utf-8")
    result = without_mkdocs("build", "--content", str(content), "--site-dir", str(tmp_path / "site"), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "atlas build needs MkDocs" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()

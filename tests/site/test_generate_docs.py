"""``atlas generate --docs DIR``: the hand-written pages beside the generated ones, as a whole
docs folder for another engine."""

from __future__ import annotations

import shutil

from site_fixtures import FIXTURE, ROOT


def test_hand_written_pages_are_copied_beside_the_generated_ones(atlas, tmp_path):
    out = tmp_path / "out"
    result = atlas("generate", "--content", str(FIXTURE), "--docs", str(ROOT / "docs"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    for path in (p for p in (ROOT / "docs").rglob("*") if p.is_file()):
        assert (out / path.relative_to(ROOT / "docs")).read_bytes() == path.read_bytes()
    assert (out / "papers" / "bwa-mem.md").is_file() and (out / "index.md").is_file()


def test_a_hand_written_page_at_a_generated_path_is_refused(atlas, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "types").mkdir()
    (docs / "types" / "llm-alignment.md").write_text("# Mine\n", "utf-8")
    out = tmp_path / "out"
    result = atlas("generate", "--content", str(FIXTURE), "--docs", str(docs), "--out", str(out))
    assert result.returncode == 1
    assert "types/llm-alignment.md is generated; remove it from" in result.stderr
    assert not out.exists()


def test_pages_never_go_into_the_docs_folder(atlas, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    before = sorted(p.relative_to(docs) for p in docs.rglob("*"))
    for out in (docs, docs / "generated"):
        result = atlas("generate", "--content", str(FIXTURE), "--docs", str(docs), "--out", str(out))
        assert result.returncode == 2 and "inside --docs" in result.stderr
    assert sorted(p.relative_to(docs) for p in docs.rglob("*")) == before

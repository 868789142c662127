"""A build writes each export to disk as it is made instead of holding every one until MkDocs
writes them: the same bytes as the texts a preview holds, and no folder left behind."""

from __future__ import annotations

import json
from pathlib import Path

from site_fixtures import FIXTURE, ROOT, build_fixture

from generator.site.build import build_pages
from generator.site.exports import SITE_FILES, SLICE_FILES, ExportFolder
from generator.site.settings import Settings

SETTINGS = Settings(content=str(FIXTURE), templates=str(ROOT / "site_templates"))


def test_exports_written_as_they_are_made_hold_the_texts_pages_hold_otherwise():
    held = {page.path: page for page in build_pages(SETTINGS).pages}
    folder = ExportFolder()
    try:
        written = {page.path: page for page in build_pages(SETTINGS, exports_to=folder).pages}
        assert written.keys() == held.keys()
        on_disk = sorted(path for path, page in written.items() if page.file is not None)
        names = set(SLICE_FILES.values())
        assert on_disk == sorted(path for path in held if path in SITE_FILES.values() or path.rpartition("/")[2] in names)
        assert len(on_disk) > len(SITE_FILES)  # the listings' slices too
        for path in on_disk:
            file = Path(written[path].file)
            assert file.parent.is_relative_to(folder.folder) and written[path].markdown == ""
            assert file.read_bytes() == held[path].markdown.encode("utf-8"), path
        assert all(written[path] == held[path] for path in written if path not in on_disk)
    finally:
        folder.remove()
    assert not folder.folder.exists()


def test_a_build_copies_the_written_exports_and_removes_their_folder(tmp_path, monkeypatch):
    removed = []
    remove = ExportFolder.remove

    def noted(self):
        removed.append(self.folder)
        remove(self)

    monkeypatch.setattr(ExportFolder, "remove", noted)
    assert build_fixture(tmp_path / "site") == 0
    assert removed and not any(folder.exists() for folder in removed)
    held = {page.path: page.markdown for page in build_pages(SETTINGS).pages}
    site_json = (tmp_path / "site" / SITE_FILES["json"]).read_text("utf-8")
    assert site_json == held[SITE_FILES["json"]] and len(json.loads(site_json)) == len(list((FIXTURE / "papers").glob("*.yaml")))
    tag_bib = "tags/genomics/" + SLICE_FILES["bibtex"]
    assert (tmp_path / "site" / tag_bib).read_text("utf-8") == held[tag_bib]

"""The atlas's settings: each option and its default, once, in a plain dataclass.

The MkDocs plugin's options (``plugins: - atlas: ...`` in ``mkdocs.yml``) are made from the
fields marked as options (:func:`options`); the others come from the site's own settings
(``site_name``, ``site_url``) or from where the command runs (``root``). Nothing here needs MkDocs,
so ``atlas validate`` and ``atlas generate`` run without it.
"""

from __future__ import annotations

import dataclasses
import os
import typing
from dataclasses import dataclass, field
from pathlib import Path


def _option(default, doc: str, minimum: int | None = None):
    """A field that is an option of the ``atlas`` plugin (a whole number at least ``minimum``, when given)."""
    return field(default=default, metadata={"option": True, "doc": doc, "minimum": minimum})


def _site(default, doc: str):
    """A field that the engine's own settings give (``site_name`` ...), not the plugin options."""
    return field(default=default, metadata={"option": False, "doc": doc})


@dataclass(frozen=True)
class Settings:
    """What a build of the atlas is made from; paths are relative to ``root``."""

    content: str = _option("content", "Folder holding taxonomy.yaml and papers/.")
    templates: str = _option("site_templates", "Folder of the Jinja2 page templates, one per page kind.")
    edit_url: str | None = _option(
        None, "Base URL that a record's path from the repository root is appended to for its edit link, "
              "e.g. https://github.com/OWNER/REPO/edit/main/. By default it is MkDocs' edit_uri (joined to "
              "repo_url when relative) with the docs folder taken off.")
    recent: int = _option(10, "How many recently added papers the home page lists.")
    related: int = _option(5, "How many related papers a paper page lists.")
    page_size: int = _option(100, "How many papers one page of a listing shows (a sub-group of a type, a method, "
                                  "task or tag): longer listings go on to .../page/2/ and on. 100 keeps every page "
                                  "under 300 KB of HTML.", minimum=1)
    group_newest: int = _option(10, "How many of each sub-group's newest papers a type page shows, above the links "
                                    "to the sub-group's whole listing.", minimum=1)
    slices: bool = _option(True, "Whether each type, method, task and tag page has its papers' exports in "
                                 "its folder (papers.bib, papers.json, papers.csv, feed.xml) and links them.")
    site_name: str = _site("Alignment Atlas", "The site's name (MkDocs' site_name), in the feed and page titles.")
    site_url: str | None = _site(None, "The site's public address (MkDocs' site_url), for the feed's links.")
    root: str = _site(".", "The folder the paths are relative to (the folder of mkdocs.yml) and that "
                           "records' edit paths start from.")

    def path(self, value: str) -> Path:
        """A configured path made absolute against :attr:`root`."""
        path = Path(os.path.expanduser(value))
        return path if path.is_absolute() else Path(self.root) / path

    @property
    def content_dir(self) -> Path:
        """The content folder."""
        return self.path(self.content)

    @property
    def templates_dir(self) -> Path:
        """The page templates' folder."""
        return self.path(self.templates)


DEFAULTS = Settings()
"""The settings when nothing is configured."""


def minimum(name: str) -> int | None:
    """The least value a whole-number option takes, or None when any is allowed."""
    return next(f.metadata.get("minimum") for f in dataclasses.fields(Settings) if f.name == name)


def options() -> list[tuple[str, type, object, bool, str]]:
    """The plugin options: ``(name, type, default, optional, doc)`` for each field marked as one,
    where ``optional`` means None is allowed."""
    hints = typing.get_type_hints(Settings)
    found = []
    for item in dataclasses.fields(Settings):
        if not item.metadata.get("option"):
            continue
        kind = hints[item.name]
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        optional = len(args) < len(typing.get_args(kind))
        found.append((item.name, args[0] if optional else kind, item.default, optional, item.metadata["doc"]))
    return found

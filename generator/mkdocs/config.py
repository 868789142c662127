"""The site's settings: one typed config shared by the MkDocs plugin and ``atlas build``/``generate``."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from generator.site.pages import SiteInfo


class PositiveInt(c.Type):
    """A whole number of at least 1."""

    def __init__(self, default: int):
        super().__init__(int, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if isinstance(value, bool) or value < 1:
            raise c.ValidationError(f"expected a whole number of at least 1, got {value!r}")
        return value


class AtlasConfig(base.Config):
    """Options of the ``atlas`` plugin in ``mkdocs.yml``; paths are relative to ``mkdocs.yml``."""

    content = c.Type(str, default="content")
    """Folder holding ``taxonomy.yaml`` and ``papers/``."""

    templates = c.Type(str, default="site_templates")
    """Folder of the Jinja2 page templates, one per page kind."""

    edit_url = c.Optional(c.Type(str))
    """Base URL that a record's path from the repository root is appended to for its edit link,
    e.g. ``https://github.com/OWNER/REPO/edit/main/``. By default it is ``edit_uri`` (joined to
    ``repo_url`` when relative) with the docs folder taken off."""

    recent = c.Type(int, default=10)
    """How many recently added papers the home page lists."""

    related = c.Type(int, default=5)
    """How many related papers a paper page lists."""

    page_size = PositiveInt(default=100)
    """How many papers one page of a listing shows (a sub-group of a type, a method, task or tag):
    longer listings go on to ``.../page/2/`` and on. 100 keeps every page under 300 KB of HTML."""

    group_newest = PositiveInt(default=10)
    """How many of each sub-group's newest papers a type page shows, above the links to the
    sub-group's whole listing."""


def load_atlas_config(options: dict | None = None, config_file: str | None = None) -> AtlasConfig:
    """An :class:`AtlasConfig` from plain options (for commands run without MkDocs)."""
    config = AtlasConfig(config_file_path=config_file)
    config.load_dict(options or {})
    errors, _warnings = config.validate()
    if errors:
        from generator.errors import UsageError

        raise UsageError("; ".join(f"{name}: {error}" for name, error in errors))
    return config


def resolve(config: AtlasConfig, value: str, root: Path) -> Path:
    """A configured path made absolute against ``root`` (the folder of ``mkdocs.yml``)."""
    path = Path(os.path.expanduser(value))
    return path if path.is_absolute() else (root / path)


def site_info(config: AtlasConfig, site_name: str | None = None, site_url: str | None = None) -> SiteInfo:
    """What pages say about the site, from the plugin options and MkDocs' site settings."""
    return SiteInfo(name=site_name or "Alignment Atlas", url=site_url or None,
                    recent=config.recent, related=config.related, page_size=config.page_size,
                    group_newest=config.group_newest)


def edit_base(config: AtlasConfig, repo_url: str | None, edit_uri: str | None, docs_dir_name: str) -> str | None:
    """The URL a record's repository path is appended to for its edit link, or None."""
    if config.edit_url:
        return config.edit_url.rstrip("/") + "/"
    if not edit_uri:
        return None
    if "://" in edit_uri:
        base_url = edit_uri.rstrip("/") + "/"
    elif repo_url:
        base_url = repo_url.rstrip("/") + "/" + edit_uri.strip("/") + "/"
    else:
        return None
    suffix = docs_dir_name.strip("/") + "/"
    return base_url[: -len(suffix)] if base_url.endswith("/" + suffix) else base_url

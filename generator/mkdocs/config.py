"""The ``atlas`` plugin's options in ``mkdocs.yml``, made from :class:`generator.site.settings.Settings`.

Each option, its type and its default are written once, in the settings dataclass; this module
turns them into MkDocs config options and turns a loaded MkDocs config back into settings.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from generator.site.settings import Settings, minimum, options


class AtLeast(c.Type):
    """A whole number of at least ``least``."""

    def __init__(self, least: int, default: int):
        super().__init__(int, default=default)
        self.least = least

    def run_validation(self, value):
        value = super().run_validation(value)
        if isinstance(value, bool) or value < self.least:
            raise c.ValidationError(f"expected a whole number of at least {self.least}, got {value!r}")
        return value


def _config_option(name: str, kind: type, default, optional: bool):
    if optional:
        return c.Optional(c.Type(kind))
    least = minimum(name)
    if least is not None:
        return AtLeast(least, default)
    return c.Type(kind, default=default)


AtlasConfig = type("AtlasConfig", (base.Config,), {
    "__doc__": "Options of the ``atlas`` plugin in ``mkdocs.yml`` (see :class:`Settings`); paths are "
               "relative to ``mkdocs.yml``.",
    "__module__": __name__,
    **{name: _config_option(name, kind, default, optional) for name, kind, default, optional, _doc in options()},
})


def settings_of(plugin_config, config) -> Settings:
    """The settings of a build: the plugin's options, the site's name and address, and the folder
    of ``mkdocs.yml`` as the root; ``edit_url`` is worked out from ``edit_uri`` when not given."""
    values = {name: plugin_config[name] for name, *_rest in options()}
    root = Path(config.config_file_path).resolve().parent
    settings = Settings(**values, site_name=config.site_name or Settings.site_name,
                        site_url=config.site_url or None, root=str(root))
    edit_url = edit_base(settings, config.repo_url, config.edit_uri, Path(config.docs_dir).name)
    return dataclasses.replace(settings, edit_url=edit_url)


def edit_base(settings: Settings, repo_url: str | None, edit_uri: str | None, docs_dir_name: str) -> str | None:
    """The URL a record's repository path is appended to for its edit link, or None."""
    if settings.edit_url:
        return settings.edit_url.rstrip("/") + "/"
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

"""A site built by MkDocs through its public API: ``load_config`` and ``commands.build.build``.

ProperDocs, the maintained fork of MkDocs 1.6, answers to the same imports once installed
(``mkdocs.*`` names lead to it), so this builds with either.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from generator.errors import AtlasError, ContentError, UsageError, display_path


def build_site(config_file: Path, site_dir: Path, content: Path | None = None, strict: bool = False):
    """Build the site of ``config_file`` into ``site_dir`` (with ``content`` instead of the
    plugin's ``content`` option, when given); returns the atlas plugin, which holds the pages and
    the search index's figures. Problems in records are raised as :class:`ContentError`."""
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
    except ConfigurationError as exc:
        raise UsageError(f"{display_path(config_file)}: {exc}") from exc
    plugin = config.plugins.get("atlas")
    if plugin is None:
        raise UsageError(f"{display_path(config_file)} does not use the atlas plugin")
    if content is not None:
        plugin.config.content = str(Path(content).resolve())
    # As `mkdocs build` does: MkDocs keeps plugin instances across builds in one process, so a
    # plugin learns here that this is a build (not a serve) before the build's other events.
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except (Abort, MkDocsException) as exc:
        if plugin.problems:
            raise ContentError(plugin.problems) from None
        raise AtlasError(f"the build failed: {exc}") from None
    finally:
        config.plugins.on_shutdown()
    return plugin

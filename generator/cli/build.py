"""``atlas build``: the whole site with MkDocs, swapped into place only when the build succeeded."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from generator.errors import ContentError, UsageError, display_path
from generator.fsutil import process_alive
from generator.cli.common import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "build", "build the site with MkDocs into a folder, replacing it only on success",
        """
        Build the whole site (MkDocs with the atlas plugin, using mkdocs.yml) from the content
        folder. The site is built in a temporary folder next to the target and moved into place
        only when the build succeeded, so a failed build leaves the previous site as it was;
        what a killed build left beside the site is removed by the next build.
        Problems in records are printed as file:line: field: message.
        """,
        """
        atlas build
        atlas build --content tests/site/fixture_content --site-dir /tmp/site --strict
        """,
    )
    parser.add_argument("--site-dir", default="site", metavar="DIR", help="where the site goes (default: site)")
    parser.add_argument("--config-file", default="mkdocs.yml", metavar="FILE", help="MkDocs configuration (default: mkdocs.yml)")
    parser.add_argument("--strict", action="store_true", help="fail on any MkDocs warning (broken link, ...)")
    parser.set_defaults(run=run)


class _Messages(logging.Handler):
    """Collects MkDocs warnings and errors, to print one line each once the outcome is known."""

    def __init__(self, level):
        super().__init__(level)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")

    def flush_to(self, stream) -> None:
        for line in self.lines:
            print(line, file=stream)
        self.lines.clear()


def build_site(config_file: Path, content: Path, site_dir: Path, strict: bool):
    """Build (and index for search) into a temporary folder beside ``site_dir``, then swap it in;
    returns the atlas plugin, which holds the generated pages and the search index's figures."""
    try:
        from generator.mkdocs import engine
    except ImportError as exc:
        raise UsageError(f"atlas build needs MkDocs ({exc}); install the project with pip install -e .") from None

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_folders(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-{os.getpid()}-", dir=site_dir.parent))
    handler = _Messages(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        plugin = engine.build_site(config_file, staging, content, strict)
    except ContentError:
        shutil.rmtree(staging, ignore_errors=True)
        handler.lines.clear()  # the same problems are reported once, in file order
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(handler)
        handler.flush_to(sys.stderr)
    _swap(staging, site_dir)
    return plugin


def remove_stale_folders(site_dir: Path) -> None:
    """Remove the folders that a killed build left beside ``site_dir``; builds still running are left alone.

    A build names its folders after its process id (``.site.building-<pid>-*``, ``.site.old-<pid>-*``).
    If it was killed between moving the old site aside and moving the new one in, the old site
    is put back.
    """
    if os.name != "posix":
        return  # no process can be asked whether it still runs (fsutil.process_alive)
    for kind in ("building", "old"):
        for folder in sorted(site_dir.parent.glob(f".{site_dir.name}.{kind}-*")):
            if _builder_alive(folder.name.removeprefix(f".{site_dir.name}.{kind}-")):
                continue
            if kind == "old" and not site_dir.exists():
                folder.rename(site_dir)
            else:
                shutil.rmtree(folder, ignore_errors=True)


def _builder_alive(suffix: str) -> bool:
    pid = suffix.split("-", 1)[0]
    return pid.isdigit() and int(pid) != os.getpid() and process_alive(int(pid))


def _swap(staging: Path, site_dir: Path) -> None:
    """Put the new site in place; the old one is removed only after the new one is there."""
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}.old-{staging.name.split('.building-', 1)[1]}")
        site_dir.rename(old)
    staging.chmod(0o755)
    staging.rename(site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def run(args) -> int:
    config_file = Path(args.config_file)
    if not config_file.is_file():
        raise UsageError(f"no MkDocs configuration at {display_path(config_file)} (use --config-file)")
    content = Path(args.content)
    if not content.is_dir():
        raise UsageError(f"no content folder at {display_path(content)}")
    started = time.perf_counter()
    plugin = build_site(config_file, content, Path(args.site_dir), args.strict)
    elapsed = time.perf_counter() - started
    if plugin.search_index is not None:
        print(f"search index: {plugin.search_index.pages} paper page(s) in {plugin.search_index.seconds:.1f} s")
    print(f"built {len(plugin.pages)} generated file(s) into {display_path(args.site_dir)} in {elapsed:.1f} s")
    return 0

"""``atlas generate``: the site's pages written to disk as Markdown, for engines other than MkDocs."""

from __future__ import annotations

from pathlib import Path

from generator.mkdocs.config import load_atlas_config, site_info
from generator.errors import AtlasError, UsageError, display_path
from generator.fsutil import inside
from generator.content.records import load_content, require_valid
from generator.site.pages import Page, Renderer, render_site
from generator.cli.common import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "generate", "write the site's pages as Markdown files into a folder",
        """
        Write every generated page (home, types and their sub-groups, papers, methods, tasks,
        tags; a long listing goes on in .../page/2.md, and reads A to Z in .../a-z.md), the exports
        (data/papers.json, .csv, .bib), the feed and the redirects of old ids into a folder, as
        the MkDocs plugin adds them to a build. Other static site engines can build from it.
        Files already there with the same names are replaced; nothing else is touched.
        """,
        """
        atlas generate --out generated
        atlas generate --content tests/site/fixture_content --out /tmp/pages
        """,
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write the pages into")
    parser.add_argument("--templates", default=None, metavar="DIR",
                        help="page templates (default: site_templates)")
    parser.set_defaults(run=run)


def write_pages(pages: list[Page], out: Path) -> int:
    """Write pages under ``out``, refusing any path that would land outside it."""
    out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        target = out / page.path
        if not inside(out, target):
            raise AtlasError(f"refusing to write {page.path}: outside {display_path(out)}")
    for page in pages:
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, "utf-8", newline="\n")
    return len(pages)


def run(args) -> int:
    options = {"content": args.content}
    if args.templates:
        options["templates"] = args.templates
    config = load_atlas_config(options)
    templates = Path(config.templates)
    if not templates.is_dir():
        raise UsageError(f"no templates folder at {display_path(templates)} (use --templates)")
    content = require_valid(load_content(Path(config.content)))
    pages = render_site(content, Renderer(templates, site_info(config)))
    count = write_pages(pages, Path(args.out))
    print(f"wrote {count} file(s) into {display_path(args.out)}")
    return 0

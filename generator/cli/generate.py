"""``atlas generate``: the site's pages written to disk as Markdown files holding HTML, for engines other than MkDocs."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.errors import AtlasError, UsageError, display_path
from generator.fsutil import inside
from generator.site.build import build_pages
from generator.site.html import check_links
from generator.site.pages import Page
from generator.site.settings import DEFAULTS, Settings
from generator.cli.common import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "generate", "write the site's pages as Markdown files into a folder",
        """
        Write every generated page (home, types and their sub-groups, papers, methods, tasks,
        tags; a long listing goes on in .../page/2.md, and reads A to Z in .../a-z.md), the exports
        (data/papers.json, .csv, .bib), the feed and the redirects of old ids into a folder, as
        the MkDocs plugin adds them to a build. Each page is its front matter (title) and its
        HTML, links written as directory URLs (papers/x/), which Markdown passes through: other
        static site engines can build from it, though they show no table of contents for them.
        Files already there with the same names are replaced; nothing else is touched.
        With --docs, the hand-written pages of that folder are copied too, so that the folder
        is a whole docs folder, and every link of the generated pages is checked against it:
        `make site-mkdocs-plain` and `make site-zensical` build it with plain MkDocs
        (mkdocs-plain.yml) and with Zensical (zensical.yml).
        """,
        """
        atlas generate --out generated
        atlas generate --docs docs --out build/engines/docs
        atlas generate --content tests/site/fixture_content --out /tmp/pages
        """,
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write the pages into")
    parser.add_argument("--templates", default=None, metavar="DIR",
                        help=f"page templates (default: {DEFAULTS.templates})")
    parser.add_argument("--docs", default=None, metavar="DIR",
                        help="also copy the hand-written pages of DIR (the docs_dir of mkdocs.yml)")
    parser.set_defaults(run=run)


def hand_written(docs: Path, pages: list[Page]) -> list[tuple[str, Path]]:
    """The files of ``docs`` by their path under it; a generated path among them is an error,
    as in a build."""
    if not docs.is_dir():
        raise UsageError(f"no docs folder at {display_path(docs)}")
    generated = {page.path for page in pages}
    found = []
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        relative = path.relative_to(docs).as_posix()
        if relative in generated:
            raise AtlasError(f"{relative} is generated; remove it from {display_path(docs)}")
        found.append((relative, path))
    return found


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
        if page.file is not None:
            shutil.copyfile(page.file, target)
        else:
            target.write_text(page.markdown, "utf-8", newline="\n")
    return len(pages)


def run(args) -> int:
    settings = Settings(content=args.content, templates=args.templates or DEFAULTS.templates)
    if not settings.templates_dir.is_dir():
        raise UsageError(f"no templates folder at {display_path(settings.templates_dir)} (use --templates)")
    pages = build_pages(settings).pages
    out = Path(args.out)
    if args.docs and inside(Path(args.docs), out):
        raise UsageError(f"--out {display_path(out)} is inside --docs {display_path(Path(args.docs))}; "
                         "generated pages never go into the docs folder")
    copied = hand_written(Path(args.docs), pages) if args.docs else []
    if args.docs:
        check_links(pages, (relative for relative, _ in copied))
    count = write_pages(pages, out)
    for relative, path in copied:
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / relative)
    count += len(copied)
    print(f"wrote {count} file(s) into {display_path(args.out)}")
    return 0

"""Pagefind's command line against its Python API, indexing the searched parts of a built site.

    python benchmarks/pagefind_api.py --site benchmarks/out/speed-1000/site [--files 1000]

Copies the searched part of each paper page of the site into a folder (as ``atlas build`` does,
:class:`generator.site.search.SearchSource`), then indexes that folder three ways, each in its
own process so that its figures are its own (wall and CPU seconds, peak memory: the largest
resident set of the process and its children, which is Pagefind's):

- ``cli``: the command line the build runs (:func:`generator.site.search.index_command`);
- ``api-dir``: the Python API (``pagefind.index.PagefindIndex``) given the folder
  (``add_directory``), the same exclusions as ``IndexConfig``;
- ``api-files``: the Python API given each page's HTML (``add_html_file``, all sent at once with
  ``asyncio.gather``); with ``--files N``, only the first N pages (0 skips it).

For each it reports the index's size and whether its fragments (each page's URL, text, filters,
meta and sort keys as the browser reads them) and word index are those of the command line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.site import search  # noqa: E402

EXCLUDED = [".headerlink", "pre", ".atlas-around"]
"""What :func:`generator.site.search.index_command` passes as ``--exclude-selectors``."""


async def index_with_api(source: Path, out: Path, files: int | None) -> None:
    """Index ``source`` into ``out`` through the Python API: the folder, or its first ``files`` pages."""
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(exclude_selectors=EXCLUDED, output_path=str(out))
    async with PagefindIndex(config=config) as index:
        if files is None:
            await index.add_directory(str(source))
        else:
            pages = sorted(source.rglob("*.html"))[:files]
            await asyncio.gather(*(index.add_html_file(content=page.read_text("utf-8"),
                                                       source_path=page.relative_to(source).as_posix())
                                   for page in pages))


def run_child(mode: str, source: Path, out: Path, files: int) -> None:
    """One way of indexing, in this (child) process."""
    if mode == "cli":
        subprocess.run(search.index_command(source, out.parent), check=True)
    elif mode == "api-dir":
        asyncio.run(index_with_api(source, out, None))
    else:
        asyncio.run(index_with_api(source, out, files))


def measure(mode: str, source: Path, work: Path, files: int) -> dict:
    """Wall and CPU seconds and peak memory (MB) of one way, run in a child process."""
    out = work / mode / "pagefind"
    shutil.rmtree(out.parent, ignore_errors=True)
    out.parent.mkdir(parents=True)
    argv = [sys.executable, __file__, "--child", mode, "--source", str(source), "--out", str(out),
            "--files", str(files)]
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=source)  # the API resolves paths from the working folder
    _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{mode} failed")
    return {"mode": mode, "wall_s": round(time.perf_counter() - started, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2), "peak_mb": usage.ru_maxrss // 1024,
            "index_mb": round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 2),
            "site": str(out.parent)}


def index_content(site: Path) -> tuple[dict, list[bytes]]:
    """What a search can find in an index: each fragment by URL, and the word index chunks' bytes."""
    fragments = {fragment["url"]: fragment for fragment in search.read_fragments(site)}
    chunks = sorted(p.read_bytes() for p in (site / "pagefind" / "index").glob("*.pf_index"))
    return fragments, chunks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (atlas build)")
    parser.add_argument("--files", type=int, default=1000,
                        help="pages given one by one to add_html_file (default: 1000; 0 leaves it out)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(args.child, args.source, args.out, args.files)
        return 0
    if args.site is None:
        parser.error("--site is required")
    work = ROOT / "benchmarks" / "out" / "pagefind-api"
    source = search.SearchSource.from_site(args.site)
    try:
        rows = [measure(mode, source.folder, work, args.files)
                for mode in ("cli", "api-dir", "api-files") if mode != "api-files" or args.files]
    finally:
        source.remove()
    reference = index_content(Path(rows[0]["site"]))
    for row in rows:
        fragments, chunks = index_content(Path(row.pop("site")))
        row["pages"] = len(fragments)
        if row["mode"] == "api-files" and args.files < len(reference[0]):
            fragments_same = all(reference[0].get(url) == fragment for url, fragment in fragments.items())
            row["same_as_cli"] = f"fragments of its {len(fragments)} pages: {fragments_same}"
        else:
            row["same_as_cli"] = fragments == reference[0] and chunks == reference[1]
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What a reader's browser downloads for search: the first query in the header box, and Explore.

    python benchmarks/search_size.py --site benchmarks/out/speed-10000/site [--index]

Serves a built site on 127.0.0.1, opens it in Chromium (Debian's /usr/bin/chromium through
Playwright), types a method name into the header search box, waits for the paper to be listed,
and adds up the bytes of every response under /pagefind/. Then it opens the Explore page and does
the same for its facets and first results. Sizes are bytes as served (Pagefind's index chunks are
already compressed), so this is what crosses the network without HTTP compression. With
``--index`` it also times Pagefind indexing the site again (wall and CPU seconds, peak memory).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.local_http import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def a_method(site: Path) -> tuple[str, str]:
    """A method name written on a paper page, and that page's title."""
    for page in sorted((site / "papers").glob("*/index.html")):
        html = page.read_text("utf-8")
        method = re.search(r'data-pagefind-filter="method"[^>]*>([^<]+)<', html)
        title = re.search(r'data-pagefind-meta="title"[^>]*>([^<]+)<', html)
        if method and title:
            return _text(method.group(1)), _text(title.group(1))
    raise SystemExit(f"no paper page with a method filter under {site}/papers")


def _text(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", html)).strip()


def measure(site: Path, query: str | None = None) -> dict:
    """Bytes and requests under /pagefind/ for the first header query and for the Explore page."""
    from playwright.sync_api import sync_playwright

    method, title = a_method(site)
    query = query or method
    result = {"query": query, "expected_title": title}
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for name, action in (("header_query", _header_query), ("explore", _explore)):
                page = browser.new_page()
                sizes: list[int] = []
                page.on("requestfinished", lambda request: _count(request, sizes))
                started = time.perf_counter()
                found = action(page, base, query)
                result[name] = {"bytes": sum(sizes), "requests": len(sizes),
                                "seconds": round(time.perf_counter() - started, 2), "shown": found}
                page.close()
        finally:
            browser.close()
    result["header_query"]["finds_paper"] = title in result["header_query"]["shown"]
    return result


def _count(request, sizes: list[int]) -> None:
    if "/pagefind/" in request.url:
        response = request.response()
        sizes.append(len(response.body()) if response else 0)


def _header_query(page, base: str, query: str) -> list[str]:
    page.goto(base)
    page.click("input.atlas-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".atlas-search__results .atlas-result__title", timeout=30000)
    page.wait_for_load_state("networkidle")
    return page.locator(".atlas-search__results .atlas-result__title").all_inner_texts()


def _explore(page, base: str, query: str) -> list[str]:
    page.goto(base + "explore/")
    page.wait_for_selector(".atlas-explore__list .atlas-result__title", timeout=30000)
    page.wait_for_load_state("networkidle")
    return page.locator(".atlas-facet legend").all_inner_texts()


def index_cost(site: Path) -> dict:
    """Index the site again with Pagefind, as the build does (from the searched part of each paper
    page, into a scratch folder): seconds (wall, CPU) and peak memory of Pagefind alone."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_speed import timed_process

    from generator.site.search import SearchSource, index_command

    source = SearchSource.from_site(site)
    scratch = Path(tempfile.mkdtemp(prefix="atlas-index-cost-"))
    try:
        wall, cpu, memory, _ = timed_process(index_command(source.folder, scratch))
    finally:
        source.remove()
        shutil.rmtree(scratch, ignore_errors=True)
    return {"index_wall_s": round(wall, 1), "index_cpu_s": round(cpu, 1), "index_memory_mb": memory}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site (with its pagefind/ folder)")
    parser.add_argument("--query", help="what to type (default: the method of the first paper page)")
    parser.add_argument("--index", action="store_true", help="also time indexing the site again")
    args = parser.parse_args(argv)
    result = measure(args.site, args.query)
    if args.index:
        result.update(index_cost(args.site))
    index = args.site / "pagefind"
    result["index_mb"] = round(sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 1e6, 1)
    print(json.dumps(result, indent=1))
    return 0 if result["header_query"]["finds_paper"] else 1


if __name__ == "__main__":
    sys.exit(main())

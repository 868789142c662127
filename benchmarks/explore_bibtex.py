"""How long Explore's BibTeX download takes, and what it fetches, for a selection of about N papers.

    python benchmarks/explore_bibtex.py --site benchmarks/out/speed-10000/site [--target 500]

Serves a built site on 127.0.0.1, opens Explore in Chromium (Debian's /usr/bin/chromium through
Playwright) narrowed to the year whose paper count (from ``data/papers.json``) is closest to
``--target``, waits for the count, then clicks "BibTeX" and times the click to the finished
download. Bytes are those of every response from the click to the download, as served (Pagefind's
fragments are compressed already, so this is what crosses the network without HTTP compression).
The downloaded file's entries are counted against the selection. What showing the selection
took before the click (seconds and bytes, from opening the page) is reported too: the fragments
of the 20 papers shown are loaded then, and not again for the download.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.local_http import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"

KEEP_ALIVE_SERVER = """
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep connections open, as web servers do
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), functools.partial(Handler, directory=sys.argv[2]))
server.serve_forever()
"""
"""A static server in a process of its own that keeps connections open between requests (Python's
default handler closes each one after its response, which no web server does)."""


def selection(site: Path, target: int) -> tuple[str, int]:
    """The year whose papers number closest to ``target``, and that number."""
    years = Counter(paper["year"] for paper in json.loads((site / "data/papers.json").read_text("utf-8"))
                    if paper.get("year"))
    if not years:
        raise SystemExit(f"no paper of {site} has a year")
    year = min(years, key=lambda y: (abs(years[y] - target), y))
    return str(year), years[year]


@contextlib.contextmanager
def served(site: Path, separate: bool):
    """The site's URL, served from this process (a thread, one connection per request) or from a
    server process of its own keeping connections open (:data:`KEEP_ALIVE_SERVER`)."""
    if not separate:
        with serve(site) as base:
            yield base
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", KEEP_ALIVE_SERVER, str(port), str(site)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def measure(site: Path, target: int, separate: bool = False, chosen: str | None = None) -> dict:
    """Seconds, bytes and requests of one BibTeX download of the selection (``chosen``, the
    Explore address's query such as ``tag=Genomics``, or the year closest to ``target`` papers),
    and its entries."""
    from playwright.sync_api import sync_playwright

    if chosen:
        query, papers = chosen, None
    else:
        year, papers = selection(site, target)
        query = f"year={year}"
    result = {"selection": query, "papers": papers, "server": "process" if separate else "thread"}
    with served(site, separate) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_context(accept_downloads=True).new_page()
            before: list = []  # requests of the Explore page showing the selection
            requests: list = []  # requests from the click to the download
            counting = [False]
            page.on("request", lambda request: (requests if counting[0] else before).append(request))
            started = time.perf_counter()
            page.goto(f"{base}explore/?{query}")
            wanted = f"=== '{papers} papers'" if papers else "!== ''"
            page.wait_for_function(f"document.querySelector('.atlas-explore__count').textContent {wanted}", timeout=60000)
            page.wait_for_load_state("networkidle")
            result["papers"] = int(page.locator(".atlas-explore__count").inner_text().split()[0])
            result["selection_shown_s"] = round(time.perf_counter() - started, 2)
            result["selection_shown_bytes"] = sum(_size(request) for request in before)
            counting[0] = True
            started = time.perf_counter()
            with page.expect_download(timeout=60000) as info:
                page.locator(".atlas-explore__bibtex").click()
            download = info.value
            text = Path(download.path()).read_text("utf-8")
            result["download_s"] = round(time.perf_counter() - started, 2)
            page.wait_for_load_state("networkidle")
            counting[0] = False
            sizes = [_size(request) for request in requests]
            result["bytes"] = sum(sizes)
            result["requests"] = len(sizes)
            result["entries"] = len(re.findall(r"(?m)^@", text))
            result["file_bytes"] = len(text.encode("utf-8"))
        finally:
            browser.close()
    return result


def _size(request) -> int:
    """Bytes of a request's response body, as served."""
    response = request.response()
    return len(response.body()) if response else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site (with its pagefind/ folder)")
    parser.add_argument("--target", type=int, default=500, help="papers to select, about (default: 500)")
    parser.add_argument("--server-process", action="store_true",
                        help="serve the site from a process of its own that keeps connections open")
    parser.add_argument("--selection", help="Explore's query instead, e.g. 'tag=Genomics' or 'q=word&type=...'")
    args = parser.parse_args(argv)
    result = measure(args.site, args.target, args.server_process, args.selection)
    result["meets_target"] = result["download_s"] < 2 and result["bytes"] < 1_000_000
    print(json.dumps(result, indent=1))
    return 0 if result["entries"] == result["papers"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Live-preview latency: seconds from saving a record to ``mkdocs serve`` serving the change.

    python benchmarks/serve_latency.py --size 1000 [--edits 3] [-- --dirty]

Copies a synthetic corpus (benchmarks/make_corpus.py) to a scratch folder, starts
``mkdocs serve`` on a free localhost port with the atlas plugin pointed at it (arguments after
``--`` go to ``mkdocs serve``), waits for the first build, then edits one record's title several
times and polls that paper's page until the new title is served. Prints each latency.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scratch_config(content: Path, folder: Path) -> Path:
    """mkdocs.yml with every path made absolute and the atlas plugin reading ``content``."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))
    config["site_dir"] = str(folder / "site")
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(ROOT / theme["custom_dir"])
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "atlas" in plugin:
            options = plugin["atlas"] or {}
            options["content"] = str(content)
            options["templates"] = str(ROOT / options.get("templates", "site_templates"))
            plugin["atlas"] = options
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return path


def fetch(url: str) -> str | None:
    """The page's text, or None while the server is not answering it."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, marker: str, limit: float, server: subprocess.Popen) -> float:
    """Seconds until ``url`` serves a page containing ``marker``; stops after ``limit`` seconds."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if server.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped (exit {server.returncode}); see its log above")
        text = fetch(url)
        if text is not None and marker in text:
            return time.perf_counter() - started
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show {marker!r} within {limit:.0f} s")


def set_title(record: Path, title: str) -> None:
    """Rewrite a record with a new title, as an editor saving the file would."""
    from generator.content.fmt import canonical_data, schema_line
    from generator.content.yamlio import read_file
    from generator.content.yamlwrite import dump

    data = read_file(record).data
    data["title"] = title
    record.write_text(dump(canonical_data(data), header=schema_line(record)), "utf-8")


def measure(size: int, edits: int, serve_args: list[str]) -> dict:
    """The first build's seconds and each edit's latency in seconds."""
    from make_corpus import make_corpus

    corpus = ROOT / "benchmarks" / "out" / f"corpus-{size}"
    if not corpus.is_dir() or len(list((corpus / "papers").glob("*.yaml"))) != size:
        make_corpus(corpus, size)
    with tempfile.TemporaryDirectory(prefix="atlas-serve-") as scratch:
        folder = Path(scratch)
        content = folder / "content"
        shutil.copytree(corpus, content)
        record = sorted((content / "papers").glob("*.yaml"))[size // 2]
        port = free_port()
        url = f"http://127.0.0.1:{port}/papers/{record.stem}/"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
        command = [str(Path(sys.executable).parent / "mkdocs"), "serve",
                   "-a", f"127.0.0.1:{port}", "-f", str(scratch_config(content, folder)), *serve_args]
        log = open(folder / "serve.log", "w")
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            result = {"papers": size, "serve_args": serve_args,
                      "first_build_s": round(wait_for(url, "</html>", 900, server), 2), "edits_s": []}
            for number in range(edits):
                marker = f"Edited title number {number} {time.time_ns()}"
                time.sleep(1.0)  # let the watcher settle, as between two saves by a person
                started = time.perf_counter()
                set_title(record, marker)
                wait_for(url, marker, 300, server)
                result["edits_s"].append(round(time.perf_counter() - started, 2))
        except SystemExit:
            log.close()
            print((folder / "serve.log").read_text("utf-8")[-3000:], file=sys.stderr)
            raise
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="number of records (default: 1000)")
    parser.add_argument("--edits", type=int, default=3, help="how many edits to time (default: 3)")
    parser.add_argument("serve_args", nargs="*", help="extra arguments for mkdocs serve (after --)")
    args = parser.parse_args(argv)
    result = measure(args.size, args.edits, args.serve_args)
    print(result)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())

"""``mkdocs serve`` watches the content: an edited record shows in the served page within seconds."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from site_fixtures import project  # noqa: F401  (fixtures)

SERVE_TIMEOUT = 90
"""Seconds to wait for the first build and for the rebuild (a shared 2-core machine can be slow)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return True
        time.sleep(0.5)
    return False


def test_edited_record_shows_in_the_served_page(project):
    folder = project()
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
         "-f", str(folder / "mkdocs.yml")],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/papers/minimap2/"
    try:
        assert wait_for(url, "Minimap2: pairwise alignment", time.monotonic() + SERVE_TIMEOUT), "the server never served the page"
        record = folder / "content/papers/minimap2.yaml"
        record.write_text(record.read_text("utf-8").replace(
            "title: \"Minimap2: pairwise alignment for nucleotide sequences\"",
            "title: \"Minimap2: an edited title shows while serving\""), "utf-8")
        assert wait_for(url, "Minimap2: an edited title shows while serving", time.monotonic() + SERVE_TIMEOUT)
        template = folder / "site_templates/paper.html"
        template.write_text(template.read_text("utf-8").replace('heading(2, "Related papers")',
                                                                'heading(2, "Related work in the atlas")'), "utf-8")
        assert wait_for(url, "Related work in the atlas", time.monotonic() + SERVE_TIMEOUT)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        if server.returncode not in (0, -signal.SIGTERM):
            pytest.fail(server.stderr.read().decode("utf-8", "replace")[-2000:])

"""Every rendered hostile record's page in a real browser (Debian's chromium through Playwright).

The site of ``test_hostile_render`` is served on 127.0.0.1; on each paper page no dialog may
fire, no request may leave the server, no error may reach the console, and the title must
show as written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from test_hostile_render import RENDERED, page_id, sites, words  # noqa: F401  (sites is a fixture)

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
from site_fixtures import CHROMIUM, browser, serve  # noqa: E402, F401  (browser is a fixture)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def site_url(sites):
    with serve(sites[0]) as url:
        yield url


@pytest.fixture
def watched(browser, site_url):
    """A new page and the list of what happened on it that must not: dialogs, requests elsewhere, errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    events: list[str] = []

    def dialog(d):
        events.append(f"dialog: {d.type} {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    page.on("request", lambda r: None if r.url.startswith((site_url, "data:", "blob:")) else events.append(f"request: {r.url}"))
    page.on("console", lambda m: events.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: events.append(f"page error: {exc}"))
    yield page, events
    context.close()


def test_the_watch_sees_a_dialog_a_request_elsewhere_and_an_error(watched):
    page, events = watched
    page.set_content('<script>alert("x")</script><img src="https://evil.example/x.png"><script>nope(</script>')
    page.wait_for_timeout(200)
    assert any(e.startswith("dialog: alert x") for e in events)
    assert any(e.startswith("request: https://evil.example/") for e in events)
    assert any(e.startswith("page error") for e in events)
    events.clear()  # the page was made to misbehave: nothing else to check


FIRE_EVENTS = """() => {
  for (const element of document.querySelectorAll(".md-content *")) {
    for (const type of ["mouseover", "mouseenter", "focus", "error", "load", "toggle"]) {
      element.dispatchEvent(new Event(type));
    }
  }
}"""
"""Fires the events of inline handlers (onmouseover, onerror, onload, ...) on every element of
the content, so that a handler that got in would run and be seen."""


@pytest.mark.parametrize("case", RENDERED, ids=[case.name for case in RENDERED])
def test_hostile_page_runs_nothing_and_shows_its_title(watched, site_url, case):
    page, events = watched
    response = page.goto(f"{site_url}papers/{page_id(case)}/", wait_until="load")
    assert response.status == 200
    page.locator(".md-content").hover()
    page.evaluate(FIRE_EVENTS)
    page.wait_for_timeout(100)
    heading = page.locator(".md-content h1").inner_text()
    assert words(heading.removesuffix("¶")) == words(case.fields["title"])
    assert page.title() == words(case.fields["title"]) + " - Alignment Atlas"
    assert page.evaluate("document.querySelectorAll('.md-content script, iframe, object, embed').length") == 0
    assert events == []

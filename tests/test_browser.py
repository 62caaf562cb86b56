"""The built book in a real browser: headless Chromium, served on 127.0.0.1 only.

Every page must load with no console error, no failed request, no request to any
host but this machine, math typeset by the local MathJax, and no traceback text.
A screenshot of each page is saved under _build/screenshots/. Every static
explorer is scrubbed: moving its range input must change the frame shown.

Without /usr/bin/chromium these tests skip, except under CI (CI set), where a
missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import HTML, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = os.environ.get("BPLIB_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "_build" / "screenshots"


def pages() -> list[str]:
    if not HTML.exists():
        return []
    return sorted(str(p.relative_to(HTML)) for p in HTML.rglob("*.html")
                  if not p.relative_to(HTML).parts[0].startswith(("_", "reports")))


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html/index.html is missing: run `make book` first (make test does)")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(HTML))

    class Quiet(handler.func):  # type: ignore[misc,valid-type]
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(Quiet, directory=str(HTML)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(in_ci):
    shutil.rmtree(SHOTS, ignore_errors=True)  # screenshots are of this build only
    if not Path(CHROMIUM).exists():
        if in_ci:
            pytest.fail(f"{CHROMIUM} not found; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


LOCAL = {"127.0.0.1", "localhost"}


def visit(browser, url: str):
    """Open ``url``; return the page and everything that went wrong while loading."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = {"console": [], "failed": [], "remote": []}

    def on_route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith("data:") or host in LOCAL:
            route.continue_()
        else:
            problems["remote"].append(route.request.url)
            route.abort()

    page.route("**/*", on_route)
    page.on("console", lambda m: m.type == "error" and problems["console"].append(m.text))
    page.on("pageerror", lambda e: problems["console"].append(str(e)))
    page.on("requestfailed", lambda r: problems["failed"].append(f"{r.url} {r.failure}"))
    page.goto(url, wait_until="networkidle")
    return context, page, problems


@pytest.mark.parametrize("path", pages() or ["index.html"])
def test_page_loads_offline_with_math_typeset(browser, server, path):
    context, page, problems = visit(browser, f"{server}/{path}")
    try:
        has_math = page.evaluate("document.querySelectorAll('.math, div.math, span.math').length") > 0
        if has_math:
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise",
                                   timeout=15000)
            page.evaluate("MathJax.startup.promise")
            assert page.evaluate("document.querySelectorAll('mjx-container').length") > 0
            assert page.evaluate("document.querySelectorAll('mjx-merror').length") == 0, "a TeX error"
        # the rendered prose and outputs; code listings may legitimately show TeX source
        text = page.evaluate("""() => { const b = document.body.cloneNode(true);
            b.querySelectorAll('pre, code').forEach(e => e.remove());
            document.documentElement.appendChild(b); const t = b.innerText; b.remove(); return t; }""")
        assert "$$" not in text and "\\begin{" not in text and "\\frac" not in text, "raw TeX left"
        assert "Traceback" not in text and "Error" + "Traceback" not in text
        assert not problems["remote"], f"requests to other hosts: {problems['remote']}"
        assert not problems["failed"], f"failed requests: {problems['failed']}"
        assert not problems["console"], f"console errors: {problems['console']}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / (path.replace("/", "__").removesuffix(".html") + ".png")),
                        full_page=True)
    finally:
        context.close()


def explorer_pages() -> list[str]:
    return [p for p in pages() if "bplib-explorer-static" in (HTML / p).read_text()]


@pytest.mark.parametrize("path", explorer_pages() or ["(none built)"])
def test_every_static_explorer_scrubs(browser, server, path):
    if path == "(none built)":
        pytest.fail("no page of the built book has a static explorer")
    context, page, problems = visit(browser, f"{server}/{path}")
    try:
        explorers = page.locator(".bplib-explorer-static")
        assert explorers.count() > 0
        for i in range(explorers.count()):
            ex = explorers.nth(i)
            scrub = ex.locator("input.bplib-scrub")
            img_before = ex.locator("img").get_attribute("src")
            cap_before = ex.locator(".bplib-caption").inner_text()
            # drag to the far end with the keyboard, as a reader would
            scrub.focus()
            page.keyboard.press("End")
            assert ex.locator("img").get_attribute("src") != img_before, f"explorer {i}: frame unchanged"
            assert ex.locator(".bplib-caption").inner_text() != cap_before
            values = json.loads(ex.locator("script.bplib-frames").inner_text())["values"]
            assert scrub.input_value() == scrub.get_attribute("max")
            assert float(ex.locator("output.bplib-value").inner_text()) == values[-1]
        assert not problems["console"], problems["console"]
    finally:
        context.close()

"""The explorers live, in a real client: JupyterLab on 127.0.0.1 driven by headless Chromium.

For two chapters: open the chapter as a notebook, run every cell, move the first
explorer's slider with the keyboard, and check that the explorer's caption (its
numbers) and its image change. This is the path a reader takes with ``make lab``.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import CHAPTERS
from .test_browser import CHROMIUM, FLAGS, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("lab")]

LIVE_CHAPTERS = ["sigmoid", "chain-rule"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory, in_ci):
    if not Path(CHROMIUM).exists():
        if in_ci:
            pytest.fail(f"{CHROMIUM} not found; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not found; live-widget tests skipped")
    import jupytext

    root = tmp_path_factory.mktemp("lab")
    for name in LIVE_CHAPTERS:  # the same notebook jupytext gives JupyterLab for the .md
        jupytext.write(jupytext.read(CHAPTERS / f"{name}.md"), root / f"{name}.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".config"),
           "JUPYTER_RUNTIME_DIR": str(root / ".runtime")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
         "--ServerApp.allow_root=True"],  # CI runs as root
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base, token
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.parametrize("chapter", LIVE_CHAPTERS)
def test_explorer_updates_live_when_its_slider_moves(lab, chapter):
    from playwright.sync_api import sync_playwright

    base, token = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        remote = []
        page.on("request", lambda r: r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:",
                                                        "blob:")) or remote.append(r.url))
        try:
            # a workspace of its own, so JupyterLab does not reopen the other chapter's tab
            _run_and_move_slider(page, f"{base}/lab/workspaces/live-{chapter}/tree/{chapter}.ipynb"
                                       f"?reset&token={token}")
        except Exception:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / f"live-{chapter}-failed.png")
            raise
        finally:
            browser.close()
        assert not remote, f"JupyterLab page requested other hosts: {remote[:5]}"


def _run_and_move_slider(page, url):
    page.goto(url)
    # the kernel is ready when the status bar names it and says Idle
    ready = page.get_by_text("Python 3 (ipykernel) | Idle")
    dialog = page.get_by_role("button", name="Select", exact=True)
    ready.or_(dialog).first.wait_for(timeout=90_000)
    if dialog.is_visible():  # JupyterLab sometimes asks which kernel to start; take the default
        dialog.click()
        ready.wait_for(timeout=90_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()

    explorer = page.locator(".bplib-explorer").first
    explorer.wait_for(state="attached", timeout=180_000)
    # Run All follows the running cell; wait until no cell is queued or running ("[*]")
    page.wait_for_function(
        "() => ![...document.querySelectorAll('.jp-InputPrompt')].some(p => p.innerText.includes('*'))",
        timeout=180_000)
    # JupyterLab skips rendering off-screen cells (content-visibility): bring it into view
    explorer.evaluate("el => el.scrollIntoView({block: 'center'})")
    explorer.wait_for(timeout=30_000)

    caption = explorer.locator(".widget-html-content")
    image = explorer.locator("img")
    before_caption, before_src = caption.inner_text(), image.get_attribute("src")
    handle = explorer.locator(".noUi-handle").first
    handle.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, old]) => el.innerText !== old", arg=[caption.element_handle(), before_caption],
        timeout=20_000)
    assert caption.inner_text() != before_caption, "the explorer's numbers did not change"
    assert image.get_attribute("src") != before_src, "the explorer's figure did not change"

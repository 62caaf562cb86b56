"""The chapters in a real client: JupyterLab (with jupyterlab-myst) on 127.0.0.1, driven by Chromium.

This is the path a reader takes with ``make lab``. For three chapters: open the
chapter as a notebook and check that its Markdown renders as the web book does (no
raw directive or role text, every cross-reference resolved, every display equation
typeset by KaTeX, every solution folded, every hidden solution cell collapsed);
then Run All and check that every code cell ran with no error output, and move every
slider of every explorer with the keyboard: the explorer's caption (its numbers) and
its image change. The toy-model and BPTT chapters (11 sliders) are opened too, but only
their explorer cell is run (each is self-contained), and every slider is moved.

A planted notebook (an unfolded solution, a broken reference, an unknown directive)
proves the rendering check can fail. Constructs that render as innocent-looking text
(a glue role shows its key) are refused in the sources by ``test_jupyterlab_forms.py``.
"""

from __future__ import annotations

import json
import os
import re
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
from .test_strict_build import HEADER

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("lab")]

RENDER_CHAPTERS = ["sigmoid", "chain-rule", "bp-equations"]
LIVE_CHAPTERS = ["sigmoid", "chain-rule", "bp-equations"]   # also move every explorer slider
EXPLORER_CELLS = {"toy-model": "toy_explorer(", "bptt": "bptt_explorer("}  # run this cell alone

# Text that must never be visible in a rendered Markdown cell: MyST syntax left raw,
# jupyterlab-myst's marker for a directive it does not know, TeX that was not typeset.
RAW_MARKUP = [":::{", "```{", "{eq}", "{ref}", "{math}", "{glue", "{literalinclude}", "{numref}",
              ":label:", ":class:", "Unknown Directive", "$$", "\\frac", "\\begin{"]

PLANTED = HEADER + """
# Planted

As {eq}`eq-nowhere` says.

:::{admonition} Solution
An unfolded solution.
:::

```{glue:math} eqn
```

```{code-cell} ipython3
1 + 1
```
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_settings(config_dir: Path) -> None:
    """User settings for the test's JupyterLab: render every cell, no news pop-up."""
    settings = {
        # every cell in the DOM, so the whole chapter can be read at once
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
    }
    for plugin, values in settings.items():
        path = config_dir / "lab" / "user-settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def lab(tmp_path_factory, in_ci):
    if not Path(CHROMIUM).exists():
        if in_ci:
            pytest.fail(f"{CHROMIUM} not found; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not found; JupyterLab tests skipped")
    import jupytext

    root = tmp_path_factory.mktemp("lab")
    for name in RENDER_CHAPTERS + list(EXPLORER_CELLS):  # as jupytext gives JupyterLab the .md
        jupytext.write(jupytext.read(CHAPTERS / f"{name}.md"), root / f"{name}.ipynb")
    jupytext.write(jupytext.reads(PLANTED, fmt="md:myst"), root / "planted.ipynb")
    lab_settings(root / ".config")
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
    yield base, token, root
    proc.terminate()
    proc.wait(timeout=20)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png")


def open_notebook(p, lab, name):
    """A fresh page showing ``name`` in its own workspace, its kernel idle."""
    base, token, _ = lab
    browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    remote = []
    page.on("request", lambda r: r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:",
                                                    "blob:")) or remote.append(r.url))
    # a workspace of its own, so JupyterLab does not reopen another chapter's tab
    page.goto(f"{base}/lab/workspaces/t-{name}/tree/{name}.ipynb?reset&token={token}")
    ready = page.get_by_text("Python 3 (ipykernel) | Idle")
    dialog = page.get_by_role("button", name="Select", exact=True)
    ready.or_(dialog).first.wait_for(timeout=90_000)
    if dialog.is_visible():  # JupyterLab sometimes asks which kernel to start; take the default
        dialog.click()
        ready.wait_for(timeout=90_000)
    return browser, page, remote


def expected(nb) -> dict:
    """What the chapter's source says the rendered notebook must show."""
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return {
        "display_math": md.count("```{math}") + md.count(":::{math}")
                        + len(re.findall(r"\$\$.+?\$\$", md, re.S)),
        "hidden_inputs": sum(1 for c in nb.cells if c.cell_type == "code"
                             and c.metadata.get("jupyter", {}).get("source_hidden")),
        "solutions": len(re.findall(r"^[:`]{3,}\{(?:admonition\} Solution|solution\})", md, re.M)),
        "code_cells": sum(1 for c in nb.cells if c.cell_type == "code"),
    }


def rendering(page) -> dict:
    """What the rendered Markdown cells show (read from the DOM, editors excluded)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-MarkdownCell')].every("
        "c => c.querySelector('.myst') || !c.querySelector('.cm-content')?.innerText.trim())",
        timeout=60_000)
    return page.evaluate("""(raw) => {
        const rendered = [...document.querySelectorAll('.jp-MarkdownCell .myst')];
        const text = rendered.map(e => e.innerText).join('\\n');
        const admonitions = [...document.querySelectorAll('.jp-MarkdownCell .myst .myst-admonition,'
                                                         + '.jp-MarkdownCell .myst details')];
        const solutions = admonitions.filter(a => /^\\s*Solution/.test(
            (a.querySelector('summary, .myst-admonition-header, div') || a).innerText));
        return {
          raw: raw.filter(r => text.includes(r)).map(r => {
              const i = text.indexOf(r); return text.slice(Math.max(0, i - 60), i + 60); }),
          unresolved: [...document.querySelectorAll('.jp-MarkdownCell [title="Cross Reference Not Found"]')]
              .map(e => e.innerText),
          katex_errors: document.querySelectorAll('.jp-MarkdownCell .katex-error').length,
          display_math: document.querySelectorAll('.jp-MarkdownCell .myst .katex-display').length,
          solutions: solutions.length,
          unfolded: solutions.filter(a => a.tagName !== 'DETAILS' || a.open)
              .map(a => a.innerText.slice(0, 80)),
          hidden_inputs: [...document.querySelectorAll('.jp-CodeCell')]
              .filter(c => c.querySelector('.jp-InputPlaceholder')).length,
        }; }""", RAW_MARKUP)


def run_all(page) -> dict:
    # a folded cell shows no prompt: unfold every cell first, so each one's number can be read
    page.get_by_role("menuitem", name="View", exact=True).click()
    page.get_by_text("Expand All Code", exact=True).click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    # Run All stops at the first error: then the error shows; else every code cell gets a number.
    page.wait_for_function(
        "() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];"
        " return p.length && p.every(e => /\\[\\d+\\]/.test(e.textContent)) || document.querySelector("
        "'.jp-OutputArea-output[data-mime-type=\"application/vnd.jupyter.stderr\"]'); }",
        timeout=240_000)
    page.wait_for_function("() => ![...document.querySelectorAll('.jp-InputPrompt')]"
                           ".some(p => p.textContent.includes('*'))", timeout=240_000)
    return page.evaluate("""() => ({
        ran: [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
            .filter(e => /\\[\\d+\\]/.test(e.textContent)).length,
        stderr: [...document.querySelectorAll(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
            .map(e => e.innerText.slice(0, 300)),
        raw_outputs: [...document.querySelectorAll('.jp-OutputArea .myst')].map(e => e.innerText)
            .filter(t => [':::{', '```{', '{eq}', 'Unknown Directive'].some(r => t.includes(r))),
    })""")


@pytest.mark.parametrize("chapter", RENDER_CHAPTERS)
def test_chapter_renders_as_on_the_web_and_runs(lab, chapter):
    import jupytext
    from playwright.sync_api import sync_playwright

    want = expected(jupytext.read(CHAPTERS / f"{chapter}.md"))
    with sync_playwright() as p:
        browser, page, remote = open_notebook(p, lab, chapter)
        try:
            got = rendering(page)
            assert not got["raw"], f"raw MyST or TeX visible in rendered Markdown: {got['raw']}"
            assert not got["unresolved"], f"unresolved references: {got['unresolved']}"
            assert got["katex_errors"] == 0, "a TeX error in a rendered equation"
            assert got["display_math"] == want["display_math"], \
                f"{got['display_math']} display equations typeset, the source has {want['display_math']}"
            assert got["solutions"] == want["solutions"], \
                f"{got['solutions']} solutions rendered, the source has {want['solutions']}"
            assert not got["unfolded"], f"solutions shown unfolded: {got['unfolded']}"
            assert got["hidden_inputs"] == want["hidden_inputs"], \
                f"{got['hidden_inputs']} solution cells folded, the source hides {want['hidden_inputs']}"

            ran = run_all(page)
            assert not ran["stderr"], f"Run All wrote errors or warnings: {ran['stderr'][:2]}"
            assert ran["ran"] == want["code_cells"], \
                f"Run All ran {ran['ran']} of {want['code_cells']} code cells"
            assert not ran["raw_outputs"], f"raw MyST in a Markdown output: {ran['raw_outputs'][:2]}"
            if chapter in LIVE_CHAPTERS:
                explorers = page.locator(".bplib-explorer")
                for i in range(explorers.count()):
                    move_every_slider(page, explorers.nth(i))
            shot(page, f"lab-{chapter}")
        except Exception:
            shot(page, f"lab-{chapter}-failed")
            raise
        finally:
            browser.close()
        assert not remote, f"JupyterLab page requested other hosts: {remote[:5]}"


def test_the_rendering_check_catches_planted_faults(lab):
    """A broken reference, an unfolded solution and an unknown directive are caught."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser, page, _ = open_notebook(p, lab, "planted")
        try:
            got = rendering(page)
        finally:
            browser.close()
    assert any("Unknown Directive" in r for r in got["raw"]), got["raw"]
    assert got["unresolved"] == ["eq-nowhere"], got["unresolved"]
    assert got["unfolded"] and got["unfolded"][0].strip().startswith("Solution"), got["unfolded"]


@pytest.mark.parametrize("chapter", list(EXPLORER_CELLS))
def test_every_slider_of_the_explorer_moves_live(lab, chapter):
    """Run the chapter's explorer cell alone in JupyterLab and move each of its sliders."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with sync_playwright() as p:
        browser, page, remote = open_notebook(p, lab, chapter)
        try:
            cell = page.locator(".jp-CodeCell").filter(
                has=page.locator(".cm-content", has_text=EXPLORER_CELLS[chapter])).first
            cell.scroll_into_view_if_needed()
            cell.locator(".cm-content").click()
            page.keyboard.press("Shift+Enter")
            explorer = cell.locator(".bplib-explorer")
            explorer.wait_for(timeout=120_000)
            sliders = move_every_slider(page, explorer)
            assert sliders == {"toy-model": 8, "bptt": 3}[chapter]
            errors = cell.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
            assert errors.count() == 0, errors.first.inner_text()
        except Exception:
            shot(page, f"lab-{chapter}-failed")
            raise
        finally:
            browser.close()
    assert not remote, f"JupyterLab page requested other hosts: {remote[:5]}"
    print(f"{chapter}: {sliders} sliders moved live in {time.perf_counter() - started:.0f} s")


def move_every_slider(page, explorer) -> int:
    """Move each slider of a live explorer five steps with the keyboard; its readout, the
    caption and the image must change each time. Returns how many sliders moved."""
    explorer.evaluate("el => el.scrollIntoView({block: 'center'})")
    explorer.wait_for(timeout=30_000)
    caption = explorer.locator(".widget-html-content")
    image = explorer.locator("img")
    sliders = explorer.locator(".widget-slider")
    assert sliders.count() > 0, "an explorer without sliders"
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        readout = slider.locator(".widget-readout")
        before = {"caption": caption.inner_text(), "src": image.get_attribute("src"),
                  "readout": readout.inner_text()}
        slider.locator(".noUi-handle").first.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "([el, old]) => el.innerText !== old", arg=[caption.element_handle(), before["caption"]],
            timeout=20_000)
        name = slider.locator(".widget-label").inner_text()
        assert readout.inner_text() != before["readout"], f"{name}: the slider did not move"
        page.wait_for_function("([img, old]) => img.getAttribute('src') !== old",
                               arg=[image.element_handle(), before["src"]], timeout=20_000)
    return sliders.count()

"""The built book in a real browser: headless Chromium, served on 127.0.0.1 only.

Each page is loaded once, cold (a fresh browser context), from the same server
``make serve`` runs (``_ext/serve.py``: text files gzip-compressed). Then, without
reloading, it is looked at 1280 px and 390 px wide in light mode, and at 1280 px in dark
mode (which changes colours, not layout):

* offline: no request to any host but this machine, no failed request, no
  console error, math typeset by the local MathJax with no TeX error, no raw TeX
  or traceback left in the text;
* no clipped maths: no typeset formula reaches outside a box that hides it or
  outside the page; a formula wider than its box scrolls in a box with a visible
  cue (``_static/bplib.css``); every derivation step's reason and check mark is on
  screen;
* accessible: 0 serious or critical axe-core findings (axe-playwright-python,
  axe-core inside the wheel, so offline; experimental rules such as
  label-content-name-mismatch included), in both modes and both widths; maths
  text, which axe is told to skip because MathJax makes one element per glyph
  (4x faster), has its contrast computed here instead; every image has alt text
  that describes it (not missing, not a file path); every theme icon has a glyph;
* light: the bytes of the cold load are under ``CEILING`` (asserted: bytes are
  deterministic); requests and the time until MathJax finished typesetting are
  measured and reported, never asserted;
* every static explorer scrubs: every slider, moved with the keyboard, changes the
  frame (fetched lazily, as a file of the site), the caption and the announced value;
  there are as many static sliders as live ones; explorer text is at least 11 px.

The Korean edition's pages (``ko/``) get the same checks in light mode at both widths
(dark mode changes only colours, from the same stylesheet, checked on the English pages),
and on the same load what is Korean about them (``test_browser_ko.py``): no English prose
left outside code and maths, Korean theme words, a switch to the same English page.

The per-page figures go to ``_build/browser-report.md``; screenshots (1280 px
light, 390 px dark; 390 px light for a Korean page) to ``_build/screenshots/``.
``test_checks_catch_planted_faults`` plants each kind of fault in a page and requires each
check to report it.

Without /usr/bin/chromium these tests skip, except under CI (CI set), where a
missing browser is a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from . import browser_probes as probes
from .conftest import HTML, ROOT

# No xdist group: the page tests spread over the workers (each starts its own browser
# and server); screenshots and report rows are files named per page.
pytestmark = [pytest.mark.browser]

CHROMIUM = os.environ.get("BPLIB_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "_build" / "screenshots"
REPORT = ROOT / "_build" / "browser-report.md"
REPORT_DATA = ROOT / "_build" / "browser-report"  # one JSON file per page
CEILING = 2_500_000  # bytes of a cold page load, as transferred
VIEWS = [("desktop", 1280, 900), ("phone", 390, 844)]
MODES = ["light", "dark"]
LOCAL = {"127.0.0.1", "localhost"}


def pages() -> list[str]:
    if not HTML.exists():
        return []
    # pages of either edition (ko/...), not the theme's template fragments in _static
    return sorted(str(p.relative_to(HTML)) for p in HTML.rglob("*.html")
                  if not any(part.startswith(("_", "reports")) for part in p.relative_to(HTML).parts))


def _serve_module():
    spec = importlib.util.spec_from_file_location("book_serve", ROOT / "_ext" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html/index.html is missing: run `make book` first (make test does)")
    httpd = _serve_module().make_server(HTML, 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(in_ci):
    # screenshots are of this build only: drop those older than it (not the whole folder,
    # which another worker may be writing into)
    built = (HTML / "index.html").stat().st_mtime if (HTML / "index.html").exists() else 0
    for old in SHOTS.glob("*.png") if SHOTS.exists() else []:
        if old.stat().st_mtime < built:
            old.unlink(missing_ok=True)
    if not Path(CHROMIUM).exists():
        if in_ci:
            pytest.fail(f"{CHROMIUM} not found; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def record(path: str, row: dict) -> None:
    """Keep one page's figures (a JSON file per page, tagged with this build), then
    rewrite the report from every page of this build recorded so far. Files, not a
    fixture's memory: the page tests may be spread over several pytest-xdist workers."""
    build = str((HTML / "index.html").stat().st_mtime_ns)
    REPORT_DATA.mkdir(parents=True, exist_ok=True)
    (REPORT_DATA / (path.replace("/", "__") + ".json")).write_text(json.dumps({"build": build, **row}))
    rows = {}
    for f in REPORT_DATA.glob("*.json"):
        stored = json.loads(f.read_text())
        if stored.pop("build") == build:
            rows[stored["path"]] = stored
    write_report(rows, sum(r["seconds"] for r in rows.values()))


def write_report(rows: dict[str, dict], seconds: float) -> None:
    lines = ["# Browser report", "",
             f"Cold load of each page from `_ext/serve.py` (gzip for text), headless Chromium; "
             f"ceiling {CEILING:,} bytes transferred. Typeset: ms from navigation start until "
             f"MathJax finished. {len(rows)} pages, {seconds:.0f} s of page checks.", "",
             "| page | transferred | decoded | requests | typeset ms | display maths | "
             "clipped 1280/390 | axe serious light/dark |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for path, r in sorted(rows.items()):
        seen = r["views"]
        clipped = "/".join(str(max(len(seen[f"{v}-{m}"]["clipped"]) for m in MODES if f"{v}-{m}" in seen))
                           for v, _, _ in VIEWS)
        axe = "/".join(str(sum(len(seen[f"{v}-{m}"]["axe"]) for v, _, _ in VIEWS if f"{v}-{m}" in seen))
                       if f"desktop-{m}" in seen else "-" for m in MODES)
        lines.append(f"| {path} | {r['transfer']:,} | {r['decoded']:,} | {r['requests']} | "
                     f"{r['typeset_ms'] if r['typeset_ms'] is not None else '-'} | {r['display']} | "
                     f"{clipped} | {axe} |")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n")


def open_page(browser, url: str, width: int = 1280, height: int = 900):
    """A cold load of ``url`` in a fresh context; returns the context, page and what went wrong."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(probes.TYPESET_TIMER)
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


def edition_link(page, lang: str) -> str:
    """Where the page's one switch to the edition in ``lang`` leads (an absolute URL)."""
    switch = page.locator(f"a.bplib-lang-switch[hreflang={lang}]")
    try:  # bplib.js adds it once the page has loaded
        switch.first.wait_for(state="attached", timeout=10_000)
    except PlaywrightTimeout:
        pass
    assert switch.count() == 1, f"{switch.count()} switches to the {lang} edition, expected 1"
    return page.evaluate("a => new URL(a.getAttribute('href'), location.href).href", switch.element_handle())


def wait_for_math(page) -> float | None:
    """Wait until MathJax has typeset the page; the time it took (ms), or None if no maths."""
    if not page.evaluate("document.querySelectorAll('.math, .mathjax_process').length"):
        return None
    page.wait_for_function("window.__bplibTypeset !== undefined", timeout=20000)
    page.wait_for_load_state("networkidle")  # the fonts MathJax asked for
    return round(page.evaluate("window.__bplibTypeset"))


def look(page, axe_script: str, modes=MODES) -> dict:
    """Every view of the loaded page: widths x modes, without reloading."""
    page.evaluate(axe_script)
    views = {}
    for name, width, height in VIEWS:
        page.set_viewport_size({"width": width, "height": height})
        # bplib.js re-marks the scroll boxes after a resize, then records the width; a
        # resize event of our own makes that check come after everything loaded
        page.evaluate("() => { delete document.documentElement.dataset.bplibChecked;"
                      " window.dispatchEvent(new Event('resize')); }")
        page.wait_for_function(f"document.documentElement.dataset.bplibChecked === '{width}'")
        for mode in modes:
            if mode != "light" and name != VIEWS[0][0]:
                continue  # dark mode changes colours, not layout: once, at the first width
            probes.set_theme(page, mode)
            math = page.evaluate(probes.CLIPPED_MATH)
            views[f"{name}-{mode}"] = {
                "display": math["display"], "clipped": math["bad"],
                "hidden_marks": page.evaluate(probes.HIDDEN_MARKS)["bad"],
                "contrast": page.evaluate(probes.TEXT_CONTRAST),
                "unreachable": page.evaluate(probes.UNREACHABLE_SCROLLERS),
                # all rules in light mode; dark mode changes only colours
                "axe": probes.axe_serious(page, only_colour=(mode != "light")),
            }
    return views


@pytest.mark.parametrize("path", pages() or ["index.html"])
def test_every_page_reads_well_offline(browser, server, axe_script, path):
    started = time.perf_counter()
    context, page, problems = open_page(browser, f"{server}/{path}")
    try:
        typeset = wait_for_math(page)
        if typeset is not None:
            assert page.evaluate("document.querySelectorAll('mjx-container').length") > 0
            assert page.evaluate("document.querySelectorAll('mjx-merror').length") == 0, "a TeX error"
        # the rendered prose and outputs; code listings may legitimately show TeX source
        text = page.evaluate("""() => { const b = document.body.cloneNode(true);
            b.querySelectorAll('pre, code').forEach(e => e.remove());
            document.documentElement.appendChild(b); const t = b.innerText; b.remove(); return t; }""")
        assert "$$" not in text and "\\begin{" not in text and "\\frac" not in text, "raw TeX left"
        assert "Traceback" not in text and "Error" + "Traceback" not in text
        size = page.evaluate(probes.LOAD_SIZE)
        bad_alt = page.evaluate(probes.BAD_ALT)
        icons = page.evaluate(probes.ICONS)
        SHOTS.mkdir(parents=True, exist_ok=True)
        stem = path.replace("/", "__").removesuffix(".html")
        page.screenshot(path=str(SHOTS / f"{stem}.png"), full_page=True)
        # a Korean page has the English one's stylesheet: its dark mode (colours only) is
        # checked on the English page; what differs is the text, checked at both widths
        korean = path.startswith("ko/") and not path.endswith(("index.html", "search.html", "genindex.html"))
        read = page.evaluate(probes.READER_TEXT) if korean else None
        modes = ["light"] if path.startswith("ko/") else MODES
        views = look(page, axe_script, modes=modes)
        probes.set_theme(page, modes[-1])
        page.screenshot(path=str(SHOTS / f"{stem}--390-{modes[-1]}.png"), full_page=False)
        display = max(v["display"] for v in views.values())
        record(path, {"path": path, "transfer": size["transfer"], "decoded": size["decoded"],
                      "requests": size["requests"], "typeset_ms": typeset, "display": display,
                      "views": views, "seconds": round(time.perf_counter() - started, 1)})

        assert not problems["remote"], f"requests to other hosts: {problems['remote']}"
        assert not problems["failed"], f"failed requests: {problems['failed']}"
        assert not problems["console"], f"console errors: {problems['console']}"
        assert size["transfer"] <= CEILING, (
            f"cold load {size['transfer']:,} bytes > {CEILING:,}; largest: {size['biggest']}")
        assert not bad_alt, f"images without a real description: {bad_alt}"
        assert not icons, f"theme icons with no glyph: {icons}"
        for view, v in views.items():
            assert not v["clipped"], f"{view}: clipped maths {v['clipped'][:3]}"
            assert not v["hidden_marks"], f"{view}: derivation reasons off screen {v['hidden_marks'][:3]}"
            assert not v["contrast"], f"{view}: maths or code below 4.5:1 contrast {v['contrast'][:3]}"
            assert not v["unreachable"], f"{view}: scroll boxes out of keyboard reach {v['unreachable'][:3]}"
            assert not v["axe"], f"{view}: axe serious/critical {v['axe']}"
        if korean:  # what a reader reads is Korean, and the switch leads to the same English page
            assert read["lang"] == "ko"
            left = probes.english_left(read)
            assert not left, f"English on the Korean page: {left[:8]}"
            target = edition_link(page, "en")
            assert target == f"{server}/{path[3:]}", f"the switch leads to {target}"
            assert (HTML / path[3:]).exists()
    finally:
        context.close()


def explorer_pages() -> list[str]:
    return [p for p in pages() if "bplib-explorer-static" in (HTML / p).read_text()]


def live_sliders(path: str) -> dict[str, list[dict]]:
    """The sliders of each live explorer widget on a page (label, min, max), by widget
    model id, read from the widget state that the build's kernel saved in the executed
    notebook: what ipywidgets made, not what the static copy says about itself."""
    if path.startswith("ko/"):  # the Korean edition's own execution
        executed = ROOT / "_build" / "i18n" / "ko" / "_build" / "jupyter_execute"
        ipynb = executed / path[3:].replace(".html", ".ipynb")
    else:
        ipynb = ROOT / "_build" / "jupyter_execute" / path.replace(".html", ".ipynb")
    state = json.loads(ipynb.read_text())["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]
    models = state["state"]
    counts = {}
    for model_id, model in models.items():
        if model["model_name"] == "VBoxModel" and "bplib-explorer" in model["state"].get("_dom_classes", []):
            children = [models[c.removeprefix("IPY_MODEL_")] for c in model["state"]["children"]]
            counts[model_id] = [{"label": c["state"]["description"], "min": c["state"]["min"],
                                 "max": c["state"]["max"]} for c in children
                                if c["model_name"] in ("FloatSliderModel", "IntSliderModel")]
    return counts


# The frame a static explorer shows, its caption and what each slider announces.
EXPLORER_VIEW = """ex => {
  const img = ex.querySelector('img');
  return {src: img.getAttribute('src'), alt: img.alt, loaded: img.complete && img.naturalWidth > 0,
          caption: ex.querySelector('.bplib-caption').textContent,
          status: ex.querySelector('.bplib-status').textContent,
          inputs: [...ex.querySelectorAll('input.bplib-scrub')].map(i => ({
              value: +i.value, text: i.getAttribute('aria-valuetext'),
              shown: i.parentElement.querySelector('output').textContent}))};
}"""

# The smallest text of each explorer image as displayed (CSS px): the figure's smallest
# text in image pixels, scaled by the image's displayed content width.
EXPLORER_TEXT_PX = """() => [...document.querySelectorAll('.bplib-explorer-static img')].map(img => {
  const s = getComputedStyle(img);
  const shown = img.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  return +img.dataset.minTextPx * shown / img.naturalWidth;
})"""


def scrub_every_slider(page, ex, live: list[dict]) -> tuple[int, list[str]]:
    """Move each slider of the static explorer ``ex`` with the keyboard to the end of its
    range farther from its start; return how many moved and what went wrong. ``live``: the
    live widget's sliders, whose labels and ends the static ones must announce."""
    data = json.loads(ex.locator("script.bplib-frames").inner_text())
    inputs = ex.locator("input.bplib-scrub")
    problems = []
    if not inputs.count() == len(live) == len(data["sliders"]):
        problems.append(f"{inputs.count()} static sliders, {len(live)} live ones")
        return 0, problems
    handle = ex.element_handle()
    start_file = f"/{data['files'][0]}.png"
    for i, slider in enumerate(data["sliders"]):
        label = f"slider {slider['label']!r}"
        before = page.evaluate(EXPLORER_VIEW, handle)
        start, last = slider["start"], len(slider["values"]) - 1
        target, key = (0, "Home") if start > last / 2 else (last, "End")
        inputs.nth(i).focus()
        page.keyboard.press(key)
        try:
            page.wait_for_function("([ex, old]) => { const img = ex.querySelector('img');"
                                   " return img.getAttribute('src') !== old && img.complete; }",
                                   arg=[handle, before["src"]], timeout=10_000)
        except PlaywrightTimeout:
            problems.append(f"{label}: the frame did not change")
            continue
        after = page.evaluate(EXPLORER_VIEW, handle)
        if not after["loaded"]:
            problems.append(f"{label}: the frame {after['src']} did not load")
        if after["src"].startswith("data:") or after["src"].endswith(start_file):
            problems.append(f"{label}: still the start frame ({after['src'][:60]})")
        if after["caption"] == before["caption"]:
            problems.append(f"{label}: the caption did not change")
        if after["alt"] == before["alt"] or after["caption"] not in after["alt"]:
            problems.append(f"{label}: the alt text does not say the new caption")
        mine = after["inputs"][i]
        end = live[i]["max"] if key == "End" else live[i]["min"]  # the live slider's own end
        said, value = mine["text"].rpartition(" = ")[::2]
        if mine["value"] != target or mine["shown"] != value:
            problems.append(f"{label}: at {mine['value']} showing {mine['shown']!r}, expected {target}")
        if said != live[i]["label"] or float(value) != end or mine["text"] == before["inputs"][i]["text"]:
            problems.append(f"{label}: announces {mine['text']!r}, expected {live[i]['label']} = {end:g}")
        # sliders moved earlier and not precomputed with this one are back at their start
        together = {j for g in data["groups"] if i in g for j in g}
        back = [j for j, b in enumerate(before["inputs"])
                if j not in together and b["value"] != data["sliders"][j]["start"]]
        for j in back:
            if after["inputs"][j]["value"] != data["sliders"][j]["start"]:
                problems.append(f"{label}: slider {j} stayed off its start")
            if data["sliders"][j]["label"] not in after["status"]:
                problems.append(f"{label}: the status does not say slider {j} went back: {after['status']!r}")
        if not back and after["status"]:
            problems.append(f"{label}: a status with nothing sent back: {after['status']!r}")
    return len(data["sliders"]), problems


@pytest.mark.parametrize("path", explorer_pages() or ["(none built)"])
def test_every_static_slider_scrubs(browser, server, path):
    """Every slider of every static explorer, moved with the keyboard to the far end of its
    range: the frame (a file fetched only then), the caption, the alt text and the
    announced value change; sliders not precomputed with it return to their start, and
    the explorer says so. As many static sliders as the live widget has."""
    if path == "(none built)":
        pytest.fail("no page of the built book has a static explorer")
    context, page, problems = open_page(browser, f"{server}/{path}")
    frames = []
    page.on("requestfinished", lambda r: "/explorer-frames/" in r.url and frames.append(r.url))
    try:
        assert not frames, f"frames fetched before any slider moved: {frames[:3]}"
        live = live_sliders(path)
        explorers = page.locator(".bplib-explorer-static")
        assert explorers.count() == len(live) > 0, "a static explorer per live explorer widget"
        moved, found = 0, []
        for e in range(explorers.count()):
            ex = explorers.nth(e)
            n, bad = scrub_every_slider(page, ex, live[ex.get_attribute("data-widget")])
            moved += n
            found += [f"explorer {e}: {b}" for b in bad]
        assert not found, found
        assert moved == sum(len(v) for v in live.values())
        assert frames, "no frame file was fetched"
        assert not problems["console"], problems["console"]
        assert not problems["failed"], problems["failed"]
        assert not problems["remote"], problems["remote"]
        # legible: every explorer's smallest text at 1280 px; the 2-2-2 network's also at 390 px
        assert min(page.evaluate(EXPLORER_TEXT_PX)) >= 11, page.evaluate(EXPLORER_TEXT_PX)
        if "network-222" in path:
            page.set_viewport_size({"width": 390, "height": 844})
            for mode in MODES:
                probes.set_theme(page, mode)
                sizes = page.evaluate(EXPLORER_TEXT_PX)
                assert min(sizes) >= 11, f"390 px, {mode}: smallest label {sizes} px"
    finally:
        context.close()


def test_the_scrub_check_catches_planted_faults(browser, server):
    """A static explorer whose frames, captions or announcements do not follow its slider,
    or that has fewer sliders than the live one, is refused; the untouched one passes."""
    path = "chapters/sigmoid.html"  # one slider: a light page
    if not (HTML / path).exists():
        pytest.fail(f"{path} is not built")
    live = next(iter(live_sliders(path).values()))
    sabotage = {
        # every setting maps to the start frame's file, and every caption is the same
        "frames": "d => { d.files = d.files.map(() => d.files[0]); }",
        "captions": "d => { d.captions = d.captions.map(() => d.captions[0]); }",
        # the script announces a frame index instead of the value
        "announce": "d => { d.sliders.forEach(s => { s.values = s.values.map((v, i) => String(i)); }); }",
    }
    found = {}
    context, page, _ = open_page(browser, f"{server}/{path}")
    try:
        ex = page.locator(".bplib-explorer-static").first
        pristine = ex.evaluate("""ex => ({data: ex.querySelector('script.bplib-frames').textContent,
                                          html: ex.innerHTML})""")
        for name, change in [("none", "d => {}"), *sabotage.items()]:
            # back to the page as it loaded (the script reads its data again at the next
            # move), with the data changed
            ex.evaluate(f"""(ex, p) => {{ ex.innerHTML = p.html; delete ex.bplibData;
                const s = ex.querySelector('script.bplib-frames'); const d = JSON.parse(p.data);
                ({change})(d); s.textContent = JSON.stringify(d); }}""", pristine)
            found[name] = scrub_every_slider(page, ex, live)[1]
        ex.evaluate("(ex, p) => { ex.innerHTML = p.html; delete ex.bplibData; }", pristine)
        found["count"] = scrub_every_slider(page, ex, live * 2)[1]
    finally:
        context.close()
    assert found["none"] == [], found["none"]
    assert any("still the start frame" in p for p in found["frames"]), found["frames"]
    assert any("caption did not change" in p for p in found["captions"]), found["captions"]
    assert any("announces" in p for p in found["announce"]), found["announce"]
    assert any("static sliders" in p for p in found["count"]), found["count"]


# --- the checks can fail ----------------------------------------------------------------
PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAF"
         "BQIAX8jx0gAAAABJRU5ErkJggg==")  # one grey pixel
WIDE = " + ".join(f"a_{{{i}}} x^{{{i}}}" for i in range(40))
PLANTED = f"""
<div id="planted" style="max-width: 300px">
  <div class="math" id="ok-scrolls">\\[{WIDE}\\]</div>
  <div id="cut" class="mathjax_process" style="overflow: hidden; width: 200px">\\({WIDE}\\)</div>
  <div id="no-cue" class="mathjax_process" style="overflow-x: auto; width: 200px">\\({WIDE}\\)</div>
  <p id="faint" style="color: #8a8a8a; background: #9a9a9a">faint words on grey</p>
  <p id="faint-math" class="mathjax_process" style="color: #777; background: #888">\\(x + y\\)</p>
  <img id="no-alt" src="{PIXEL}">
  <img id="path-alt" alt="../_images/abc123.png" src="{PIXEL}">
  <div class="bplib-derivation" style="overflow: hidden; width: 120px">
   <div class="bplib-steps" style="display: block; width: 900px">
    <div class="bplib-step" style="display: flex"><div class="bplib-expr" style="flex: 0 0 800px">x</div>
    <div class="bplib-why">planted reason <span class="bplib-mark">✓</span></div></div></div></div>
</div>"""


WIDE_CODE = ('<div class="highlight"><pre style="overflow-x: auto; width: 150px">'
             f'planted code {"x" * 200}</pre></div>')


def test_checks_catch_planted_faults(browser, server, axe_script):
    """Each check must report the fault planted for it, and accept the control beside it."""
    context, page, _ = open_page(browser, f"{server}/intro.html", width=390, height=844)
    try:
        page.wait_for_function("window.MathJax && MathJax.typesetPromise && window.__bplibTypeset")
        page.evaluate("""html => { document.querySelector('main').insertAdjacentHTML('afterbegin', html);
                                  return MathJax.typesetPromise([document.getElementById('planted')]); }""",
                      PLANTED)
        page.wait_for_timeout(250)
        clipped = page.evaluate(probes.CLIPPED_MATH)["bad"]
        whys = {c["why"] for c in clipped}
        assert any(w.startswith("cut off") for w in whys), clipped
        assert "scrolls with no visible cue" in whys, clipped
        assert len(clipped) == 2, f"the control (a scroll box with its cue) was refused too: {clipped}"
        assert any("planted reason" in m or "✓" in m for m in page.evaluate(probes.HIDDEN_MARKS)["bad"])
        alts = page.evaluate(probes.BAD_ALT)
        assert any(a.startswith("(no alt)") for a in alts) and "../_images/abc123.png" in alts
        assert any("x+y" in c for c in page.evaluate(probes.TEXT_CONTRAST)), \
            "maths at about 1.3:1 contrast was accepted"
        # a code block too wide for its box: unreachable by keyboard the moment it
        # appears (probed in the same script, before any timer runs), reachable once
        # bplib.js has seen a resize
        unreachable = page.evaluate(f"""() => {{
            document.getElementById('planted').insertAdjacentHTML('beforeend', '{WIDE_CODE}');
            return ({probes.UNREACHABLE_SCROLLERS})(); }}""")
        assert any("planted code" in u for u in unreachable), unreachable
        page.evaluate("() => { delete document.documentElement.dataset.bplibChecked; "
                      "window.dispatchEvent(new Event('resize')); }")
        page.wait_for_function("document.documentElement.dataset.bplibChecked !== undefined")
        assert not any("planted code" in u for u in page.evaluate(probes.UNREACHABLE_SCROLLERS))
        page.evaluate(axe_script)
        findings = probes.axe_serious(page)
        assert any(f.startswith("color-contrast") and "#faint" in f for f in findings), findings
    finally:
        context.close()

"""The static explorers' frames as files of the built site (``_ext/explorer_frames.py``),
and what each chapter page weighs.

The unit tests run the extension's hooks on a made-up build; the book tests read the
real build (``make book``): every frame a page names exists beside it, no page is
heavier than ``PAGE_CEILING`` of HTML, and ``_build/explorer-report.md`` records per
chapter the live and static sliders, the page's HTML size and its frame files.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import re
from types import SimpleNamespace

import pytest

from bplib import explorers
from bplib.explorers import CHAPTER_EXPLORERS, FRAMES_KEY

from .conftest import HTML, NOTEBOOK_CHAPTERS, ROOT
from .explorer_cases import static_copy

PAGE_CEILING = 600 * 1024  # bytes of a chapter page's HTML (the document itself, decoded)
REPORT = ROOT / "_build" / "explorer-report.md"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "_ext" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_build(tmp_path, pages: dict[str, list]):
    """An output folder and executed notebooks holding the given explorer copies."""
    (tmp_path / "jupyter_execute" / "chapters").mkdir(parents=True)
    (tmp_path / "html" / "chapters").mkdir(parents=True)
    for page, copies in pages.items():
        outputs = [{"output_type": "display_data", "metadata": {"bplib": {FRAMES_KEY: c.files_json()}},
                    "data": {"text/html": c.html}} for c in copies]
        nb = {"cells": [{"cell_type": "code", "outputs": outputs}], "metadata": {}}
        (tmp_path / "jupyter_execute" / f"{page}.ipynb").write_text(json.dumps(nb))
        body = "".join(c.html for c in copies)
        (tmp_path / "html" / f"{page}.html").write_text(f"<html>{body}</html>")
    return SimpleNamespace(outdir=str(tmp_path / "html"), builder=SimpleNamespace(format="html"))


def test_frames_are_written_beside_their_page_and_stale_ones_pruned(tmp_path):
    ext = load("explorer_frames")
    copy = static_copy("sigmoid_explorer")
    app = fake_build(tmp_path, {"chapters/sigmoid": [copy]})
    stale = tmp_path / "html" / "chapters" / "explorer-frames" / "0123456789ab"
    stale.mkdir(parents=True)
    ext.write_frames(app, "chapters/sigmoid", "page.html", {}, None)
    folder = tmp_path / "html" / "chapters" / copy.directory
    assert sorted(p.name for p in folder.iterdir()) == sorted(copy.files)
    assert all((folder / name).read_bytes() == data for name, data in copy.files.items())
    ext.check_and_prune(app, None)
    assert folder.is_dir() and not stale.exists()


def test_a_page_naming_a_missing_frame_is_a_warning(tmp_path, monkeypatch):
    ext = load("explorer_frames")
    app = fake_build(tmp_path, {"chapters/sigmoid": [static_copy("sigmoid_explorer")]})
    said = []
    monkeypatch.setattr(ext.logger, "warning", lambda msg, **kw: said.append(msg))
    ext.check_and_prune(app, None)  # nothing written: every frame is missing
    assert said and "explorer frames missing" in said[0]


def test_a_frame_output_cannot_write_outside_its_folder(tmp_path, monkeypatch):
    ext = load("explorer_frames")
    app = fake_build(tmp_path, {})
    nb = {"cells": [{"cell_type": "code", "outputs": [{"data": {}, "metadata": {"bplib": {FRAMES_KEY: {
        "directory": "../../escape", "files": {"0.png": base64.b64encode(b"x").decode()}}}}}]}]}
    (tmp_path / "jupyter_execute" / "chapters" / "evil.ipynb").write_text(json.dumps(nb))
    said = []
    monkeypatch.setattr(ext.logger, "warning", lambda msg, **kw: said.append(msg))
    ext.write_frames(app, "chapters/evil", "page.html", {}, None)
    assert said and "unexpected directory" in said[0] and not (tmp_path / "escape").exists()


def test_downloads_keep_the_first_frame_and_drop_the_frame_files():
    downloads = load("book_downloads")
    copy = static_copy("sigmoid_explorer")
    nb = {"metadata": {}, "cells": [{"cell_type": "code", "source": "", "outputs": [
        {"output_type": "display_data",
         "metadata": {"bplib": {"kind": "explorer", FRAMES_KEY: copy.files_json()}},
         "data": {"text/html": copy.html, "text/plain": "Explorer(z=1)"}}]}]}
    output = downloads.export_notebook(nb)["cells"][1]["outputs"][0]
    out = output["data"]
    assert output["metadata"]["bplib"] == {"kind": "explorer"} and "explorer-frames" not in out["text/html"]
    first = re.search(r'<img src="(data:image/png;base64,[^"]+)"', copy.html).group(1)
    assert first in out["text/html"] and 'class="bplib-caption"' in out["text/html"]
    assert "<script" not in out["text/html"] and "<input" not in out["text/html"]


# --- the built book -------------------------------------------------------------------------
@pytest.mark.book
@pytest.mark.xdist_group("chapters")
def test_built_pages_are_light_and_name_only_frames_that_exist():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html is missing: run `make book` first (make test does)")
    from .test_browser import live_sliders

    ext = load("explorer_frames")
    rows, heavy = [], []
    for chapter in NOTEBOOK_CHAPTERS:
        page = HTML / "chapters" / f"{chapter.stem}.html"
        text = page.read_text(encoding="utf-8")
        size = len(text.encode())
        if size > PAGE_CEILING:
            heavy.append(f"{page.name}: {size:,} bytes")
        copies = ext.referenced(page)
        files = [page.parent / d / f"{n}.png" for d, ns in copies for n in ns]
        missing = [str(f.relative_to(HTML)) for f in files if not f.is_file()]
        assert not missing, f"{page.name} names frames that are not in the build: {missing[:3]}"
        static = len(re.findall(r'<input type="range" class="bplib-scrub"', text))
        live = sum(len(v) for v in live_sliders(f"chapters/{chapter.stem}.html").values())
        assert static == live, f"{page.name}: {static} static sliders, {live} live ones"
        assert len(copies) == len(CHAPTER_EXPLORERS.get(chapter.stem, [])), f"{page.name}: explorers"
        assert text.count("data:image/png;base64,") >= len(copies)  # each explorer's first frame inline
        rows.append((chapter.stem, live, static, size, len(files), sum(f.stat().st_size for f in files)))
    lines = ["# Explorers in the built book", "",
             f"Chapter pages: HTML of the page itself (ceiling {PAGE_CEILING // 1024} KiB); frame files "
             "fetched only when a slider moves.", "",
             "| chapter | live sliders | static sliders | page HTML | frame files | frame bytes |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {c} | {lv} | {st} | {sz / 1024:,.0f} KiB | {n:,} | {b / 1024:,.0f} KiB |"
              for c, lv, st, sz, n, b in rows]
    lines.append(f"| total | {sum(r[1] for r in rows)} | {sum(r[2] for r in rows)} | | "
                 f"{sum(r[4] for r in rows):,} | {sum(r[5] for r in rows) / 1024:,.0f} KiB |")
    REPORT.write_text("\n".join(lines) + "\n")
    assert not heavy, f"pages above {PAGE_CEILING // 1024} KiB of HTML: {heavy}"
    assert sum(r[2] for r in rows) == sum(r[1] for r in rows) > 0


@pytest.mark.book
@pytest.mark.xdist_group("chapters")
def test_built_frames_are_what_a_live_explorer_draws():
    """For each explorer of the built book (except why-backprop's, which draws the build's
    own timings), a live explorer started at the page's start values and moved to the
    last precomputed setting (a grid's far corner) and to a middle one draws the very
    frame file the page fetches, and writes its caption."""
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html is missing: run `make book` first (make test does)")
    checked = 0
    for chapter, names in CHAPTER_EXPLORERS.items():
        page = HTML / "chapters" / f"{chapter}.html"
        blobs = re.findall(r'<script type="application/json" class="bplib-frames">(.*?)</script>',
                           page.read_text(encoding="utf-8"), re.S)
        assert len(blobs) == len(names), chapter
        for name, blob in zip(names, blobs):
            if name == "gradient_cost_explorer":
                continue
            data = json.loads(blob)
            sliders = data["sliders"]
            start = {s["name"]: float(s["values"][s["start"]]) for s in sliders}
            live = getattr(explorers, name)(**start)
            keys = list(data["frames"])
            files = []
            for key in (keys[-1], keys[len(keys) // 2]):
                idx = [int(i) for i in key.split(",")]
                live.set(**{s["name"]: float(s["values"][j]) for s, j in zip(sliders, idx)})
                n = data["frames"][key]
                files.append((page.parent / data["dir"] / f"{data['files'][n]}.png").read_bytes())
                assert live.png() == files[-1], f"{chapter} {name} at {key}: another drawing"
                assert live.caption() == data["captions"][n], f"{chapter} {name} at {key}"
                checked += 1
            assert live.png() != files[0], f"{chapter} {name}: the comparison cannot tell frames apart"
    assert checked >= 14

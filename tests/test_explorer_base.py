"""The explorer framework (bplib.explorers.base): the live widget and the static copy
are one drawing; every slider of the live widget is a slider of the static copy.

Each chapter's state function is tested in its own file (test_explorers_<chapter>.py).
The static copy's script is exercised in a real browser by test_browser.py.
"""

from __future__ import annotations

import base64
import html as htmlmod
import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from bplib.explorers import EXPLORERS, FRAMES_ENV, FRAMES_KEY, sigmoid_explorer, sigmoid_state
from bplib.explorers.base import MAX_STATIC_VALUES, Explorer, Slider

from .explorer_cases import build, static_copy


def frames_json(html: str) -> dict:
    return json.loads(re.search(r'class="bplib-frames">(.*?)</script>', html, re.S).group(1))


def live_sliders(ex):
    import ipywidgets as w

    return [c for c in ex.widget().children if isinstance(c, (w.FloatSlider, w.IntSlider))]


def two_slider_explorer(memory=None, **kw):
    """A small explorer of two interacting sliders: y = a sin(b x). With a ``memory`` list,
    a planted fault: each drawing also depends on how many came before it."""
    grid = np.linspace(0, 6, 61)

    def state(a, b):
        shift = 0.0
        if memory is not None:
            memory.append(1)
            shift = 0.01 * len(memory)
        return {"a": a, "b": b, "y": a * np.sin(b * grid) + shift}

    def setup(fig):
        ax = fig.subplots()
        ax.set(xlim=(0, 6), ylim=(-2.2, 2.2), title="a sin(b x) against x")
        return {"line": ax.plot([], [])[0]}

    def update(art, st):
        art["line"].set_data(grid, st["y"])

    sliders = [Slider("a", -2, 2, 0.1, 1.0, "amplitude a", static_step=0.5),
               Slider("b", 0.5, 3, 0.25, 1.0, "frequency b")]
    return Explorer(state, setup, update, sliders, caption=lambda st: f"a = {st['a']:.1f}, b = {st['b']:.2f}",
                    **kw)


# --- the drawing -------------------------------------------------------------------------
def test_explorer_moves_artists_without_recreating_the_figure():
    ex = sigmoid_explorer(z=0.0)
    fig, artists = ex.fig, ex.artists
    before = ex.png()
    ex.set(z=3.0)
    assert ex.fig is fig and ex.artists is artists
    assert ex.png() != before
    x, y = artists["p2"].get_data()
    assert x[0] == 3.0 and y[0] == pytest.approx(sigmoid_state(3.0)["dsigma"])
    with pytest.raises(ValueError, match="unknown slider"):
        ex.set(w=1.0)


def test_blitted_frames_equal_a_full_redraw():
    """The blitted image is what a full draw of the same state gives: nothing stale (the
    moving parts are drawn last, so a few pixels where the line meets the frame differ)."""
    ex = two_slider_explorer()
    ex.set(a=1.0, b=1.0)
    ex.set(a=-1.5, b=2.5)
    fast = np.asarray(ex.canvas.buffer_rgba()).astype(int)
    full = two_slider_explorer(blit=False)
    full.set(a=-1.5, b=2.5)
    differ = np.abs(fast - np.asarray(full.canvas.buffer_rgba()).astype(int)).max(axis=2) > 1
    assert differ.sum() < 20, differ.sum()
    full.set(a=1.0, b=1.0)  # the control: another state differs in thousands of pixels
    assert (np.abs(fast - np.asarray(full.canvas.buffer_rgba()).astype(int)).max(axis=2) > 1).sum() > 500


# --- static values ----------------------------------------------------------------------
def test_static_values_hold_both_ends_and_the_start_on_the_live_step():
    s = Slider("z", -8.0, 8.0, 0.1, 1.0)
    v = s.static_values()
    assert v[0] == -8.0 and v[-1] == 8.0 and 1.0 in v
    assert len(v) <= 41 and np.allclose(np.round((v + 8) / 0.1), (v + 8) / 0.1)  # on the live grid
    odd = Slider("k", 1, 40, 1, 10, static_step=4)  # 1, 5, ..., 37, 40 and the start 10
    assert odd.static_values().tolist() == [1, 5, 9, 10, 13, 17, 21, 25, 29, 33, 37, 40]
    assert Slider("w", 1, 100, 1, 30, static_step=1).static_values().tolist() == list(range(1, 101))
    with pytest.raises(ValueError, match="static_step must be a whole multiple of step 0.1, got 0.25"):
        Slider("z", 0.0, 1.0, 0.1, 0.5, static_step=0.25)
    with pytest.raises(ValueError, match=f"at most {MAX_STATIC_VALUES}"):
        Slider("z", 0.0, 100.0, 0.1, 0.5, static_step=0.1).static_values()
    with pytest.raises(ValueError, match="max 1.05 must be min 0.0 plus a whole number of steps"):
        Slider("z", 0.0, 1.05, 0.1, 0.5)


def test_static_keys_are_a_sweep_per_slider_and_a_grid_per_pair():
    ex = two_slider_explorer()
    na, nb = (len(v) for v in ex.static_values())
    alone = ex.static_keys()
    assert len(alone) == na + nb - 1 and len(set(alone)) == len(alone)
    start = alone[0]
    assert all(k[0] == start[0] or k[1] == start[1] for k in alone)  # one slider off its start
    both = two_slider_explorer(grids=[("a", "b")]).static_keys()
    assert len(both) == na * nb and both[0] == start
    with pytest.raises(ValueError, match=r"grid \('a', 'c'\) must name distinct sliders"):
        two_slider_explorer(grids=[("a", "c")])


# --- the static copy: the live drawing, frame by frame ----------------------------------------
def frames_unlike_live(ex, live) -> list[str]:
    """Settings whose static frame or caption differs from the live explorer ``live``
    moved to that setting (through the settings in reverse order)."""
    copy = ex.static_copy()
    data = frames_json(copy.html)
    values = ex.static_values()
    unlike = []
    for key, n in reversed(data["frames"].items()):
        idx = [int(i) for i in key.split(",")]
        live.set(**{s.name: values[i][j] for i, (s, j) in enumerate(zip(ex.sliders, idx))})
        if copy.files[f"{data['files'][n]}.png"] != live.png() or data["captions"][n] != live.caption():
            unlike.append(key)
    return unlike


def test_every_static_frame_is_the_live_drawing_of_its_setting():
    ex = two_slider_explorer(grids=[("a", "b")])
    assert frames_unlike_live(ex, two_slider_explorer()) == []
    assert ex.values == {"a": 1.0, "b": 1.0}, "drawing the copy moved the explorer"
    # the check can fail: a drawing that depends on the order of the moves is refused
    planted = frames_unlike_live(two_slider_explorer(memory=[], grids=[("a", "b")]),
                                 two_slider_explorer(memory=[]))
    assert len(planted) > 10


def test_static_html_has_every_live_slider_with_its_label_range_and_announced_value():
    ex = two_slider_explorer(grids=[("a", "b")])
    live = live_sliders(ex)
    copy = ex.static_copy()
    inputs = re.findall(r"<input [^>]*>", copy.html)
    assert len(inputs) == len(live) == len(ex.sliders) == copy.sliders == 2
    data = frames_json(copy.html)
    for tag, widget, s, d in zip(inputs, live, ex.sliders, data["sliders"]):
        assert f'aria-label="{htmlmod.escape(s.label)}"' in tag
        assert widget.description == s.label == d["label"]
        assert float(d["values"][0]) == s.min == widget.min and float(d["values"][-1]) == s.max == widget.max
        assert f'aria-valuetext="{s.label} = {d["values"][d["start"]]}"' in tag
        assert f'max="{len(d["values"]) - 1}"' in tag and f'value="{d["start"]}"' in tag
    assert 'data-widget="' + ex.widget().model_id + '"' in copy.html


def test_static_copy_is_lazy_and_offline():
    copy = static_copy("sigmoid_explorer")
    data = frames_json(copy.html)
    assert copy.html.count("data:image/png;base64,") == 1, "only the first frame is inline"
    assert re.fullmatch(r"explorer-frames/[0-9a-f]{12}", copy.directory)
    assert data["dir"] == copy.directory + "/"
    assert sorted(copy.files) == sorted(f"{n}.png" for n in set(data["files"]))
    assert "http" not in copy.html and "//" not in data["dir"]
    for blob in copy.files.values():
        assert Image.open(io.BytesIO(blob)).format == "PNG"
    first = re.search(r'<img src="data:image/png;base64,([^"]+)"', copy.html).group(1)
    assert base64.b64decode(first) == copy.files[f"{data['files'][0]}.png"]


def test_alt_text_says_what_the_frame_shows():
    ex = sigmoid_explorer(z=1.0)
    html = ex.static_html()
    alt = htmlmod.unescape(re.search(r' alt="([^"]+)"', html).group(1))
    assert alt.startswith(ex.describe()) and "z = 1.0" in alt and ex.caption() in alt
    assert "σ(z)" in ex.describe()


def test_mimebundle_carries_frame_files_only_in_a_book_build(monkeypatch):
    monkeypatch.delenv(FRAMES_ENV, raising=False)
    data, meta = sigmoid_explorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data and FRAMES_KEY not in meta["bplib"]
    assert data["text/html"].startswith('<div class="bplib-explorer-preview"')
    assert meta["bplib"]["kind"] == "explorer" and meta["bplib"]["sliders"] == ["z"]
    monkeypatch.setenv(FRAMES_ENV, "1")
    data, meta = sigmoid_explorer()._repr_mimebundle_()
    files = meta["bplib"][FRAMES_KEY]["files"]
    assert data["text/html"].startswith('<div class="bplib-explorer-static"')
    assert meta["bplib"]["files"] == len(files) and meta["bplib"]["static_sliders"] == 1
    assert all(base64.b64decode(b).startswith(b"\x89PNG") for b in files.values())
    assert set(data) == {"application/vnd.jupyter.widget-view+json", "text/html", "text/plain"}
    json.dumps(meta)  # an output's metadata must be JSON


def test_live_widget_slider_updates_the_image():
    ex = sigmoid_explorer(z=0.0)
    box = ex.widget()
    slider, image = box.children[0], box.children[1]
    before = image.value
    slider.value = 2.5
    assert ex.values["z"] == 2.5 and image.value != before
    assert "2.50" in box.children[2].value


def test_slider_validation():
    with pytest.raises(ValueError, match="outside"):
        Slider("z", 0, 1, 0.1, 2)
    with pytest.raises(ValueError, match="min"):
        Slider("z", 1, 0, 0.1, 0.5)
    with pytest.raises(ValueError, match="sliders must be a non-empty list of Slider, got \\[\\]"):
        Explorer(lambda: {}, lambda fig: {}, lambda a, s: None, [])
    def tiny(fig):
        ax = fig.subplots()
        ax.set_title("a title", fontsize=7)
        return {"t": ax.text(0.5, 0.5, "")}

    with pytest.raises(ValueError, match="explorer text must be at least 11 px .* got 7.8 px"):
        Explorer(lambda z: {}, tiny, lambda a, s: None, [Slider("z", 0, 1, 0.1, 0.5)])
    with pytest.raises(ValueError, match="must say what it shows"):
        Explorer(lambda z: {}, lambda fig: {"t": fig.subplots().text(0, 0, "")}, lambda a, s: None,
                 [Slider("z", 0, 1, 0.1, 0.5)])
    with pytest.raises(ValueError, match="slider names must differ"):
        Explorer(lambda z: {}, lambda fig: {}, lambda a, s: None, [Slider("z", 0, 1, 0.1, 0.5)] * 2)


# --- every explorer of the book ------------------------------------------------------------
@pytest.mark.parametrize("name", EXPLORERS)
def test_every_slider_of_every_explorer_moves_its_frame_and_caption(name):
    """Each slider, moved alone to the end of its static values farther from its start (as
    the browser test moves it), changes the drawing and the caption; the static copy
    stays within its size. (That the built book's frames are these drawings is checked
    against the build in test_explorer_frames.py.)"""
    ex = build(name)
    assert len(live_sliders(ex)) == len(ex.sliders)
    start = dict(ex.values)
    before = ex.png(), ex.caption()
    for s, values in zip(ex.sliders, ex.static_values()):
        far = values[0] if s.start_index(values) > (len(values) - 1) / 2 else values[-1]
        ex.set(**{s.name: float(far)})
        assert ex.png() != before[0], f"{s.name}: the drawing did not change"
        assert ex.caption() != before[1], f"{s.name}: the caption did not change"
        ex.set(**start)
    assert (ex.png(), ex.caption()) == before
    assert ex.static_frame_count() <= 1500


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_explorer_writes_text_of_at_least_11_px(name):
    assert build(name).min_text_px() >= 11.0

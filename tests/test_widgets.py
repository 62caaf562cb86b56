"""The explorer framework (bplib.widgets): both renderings of one explorer, and its checks.

The explorers' state functions are tested apart, in test_explorers.py."""

from __future__ import annotations

import json
import re

import pytest

from bplib.explorers import sigmoid_explorer, sigmoid_state
from bplib.widgets import Explorer, Slider


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


def test_static_html_holds_one_distinct_frame_per_value():
    ex = sigmoid_explorer(z=1.0)
    html = ex.static_html()
    data = json.loads(re.search(r'class="bplib-frames">(.*?)</script>', html, re.S).group(1))
    assert len(data["frames"]) == ex.frames == len(data["values"]) == len(data["captions"])
    assert len(set(data["frames"])) == ex.frames  # every frame differs
    assert data["values"][0] == -8.0 and data["values"][-1] == 8.0
    assert "http" not in html  # self-contained: nothing fetched
    assert ex.values["z"] == 1.0  # rendering the frames leaves the state as it was


def test_mimebundle_offers_live_widget_and_static_fallback():
    data, meta = sigmoid_explorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/html"].startswith('<div class="bplib-explorer-static"')
    assert meta["bplib"]["kind"] == "explorer"


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


@pytest.mark.parametrize("name", __import__("bplib.explorers", fromlist=["EXPLORERS"]).EXPLORERS)
def test_every_explorer_renders_distinct_self_contained_frames(name):
    from bplib import explorers

    ex = getattr(explorers, name)()
    html = ex.static_html()
    data = json.loads(re.search(r'class="bplib-frames">(.*?)</script>', html, re.S).group(1))
    assert len(set(data["frames"])) == ex.frames, "some frames are identical: the slider shows nothing"
    assert "http" not in html

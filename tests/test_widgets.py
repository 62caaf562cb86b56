"""Explorers: the pure state functions, and both renderings of one explorer."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from bplib.explorers import sigmoid_explorer, sigmoid_state
from bplib.widgets import Explorer, Slider


def test_sigmoid_state_against_independent_formulas():
    for z in (-6.0, -0.5, 0.0, 2.0):
        st = sigmoid_state(z)
        s = 1 / (1 + np.exp(-z))
        assert st["sigma"] == pytest.approx(s, rel=1e-14)
        assert st["dsigma"] == pytest.approx(s * (1 - s), rel=1e-12)
        assert st["dsigma_fd"] == pytest.approx(st["dsigma"], rel=1e-7)
        i = int(np.argmin(np.abs(st["grid"] - z)))
        # the tangent touches sigma at z and has slope sigma'(z)
        assert st["tangent"][i] == pytest.approx(s + st["dsigma"] * (st["grid"][i] - z))
    assert sigmoid_state(0.0)["dsigma"] == 0.25


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
    with pytest.raises(ValueError, match="at least one slider"):
        Explorer(lambda: {}, lambda fig: {}, lambda a, s: None, [])


def test_gradient_cost_state_counts_parameters_and_scales_as_stated():
    from bplib.explorers import gradient_cost_state
    from bplib.mlp import MLP

    st = gradient_cost_state(30, forward_seconds=2e-5, bp_seconds=1e-4)
    assert st["params"] == MLP([784, 30, 10], rng=np.random.default_rng(0)).n_params() == 23_860
    assert st["forward_passes"] == 2 * 23_860
    assert st["fd_epoch_h"] == pytest.approx(2 * 23_860 * 2e-5 * 60_000 / 3600)
    assert st["bp_epoch_s"] == pytest.approx(1e-4 * 60_000)
    big = gradient_cost_state(60, forward_seconds=2e-5, bp_seconds=1e-4)
    r = big["params"] / st["params"]
    assert big["fd_example_s"] == pytest.approx(st["fd_example_s"] * r**2)  # quadratic in P
    assert big["bp_example_s"] == pytest.approx(st["bp_example_s"] * r)  # linear in P
    with pytest.raises(ValueError, match="width must be >= 1"):
        gradient_cost_state(0)


def test_chain_rule_state_product_equals_the_derivative():
    from bplib.explorers import chain_rule_state

    for x in (-1.7, -0.3, 0.0, 1.2):
        st = chain_rule_state(x)
        assert st["dy_dx"] == pytest.approx(np.cos(x**2) * 2 * x, abs=1e-15)
        assert st["dy_dx"] == pytest.approx(st["dy_dx_fd"], rel=1e-7, abs=1e-9)


def test_network_state_reproduces_the_published_example():
    from bplib.explorers import network_state

    st = network_state(0.05)  # Mazur's input (0.05, 0.10)
    assert st["E"] == pytest.approx(0.298371109, abs=5e-10)
    assert st["dW2"][0, 0] == pytest.approx(0.082167041, abs=5e-10)
    assert st["dW1"][0, 0] == pytest.approx(0.000438568, abs=5e-10)
    assert network_state(0.5)["E"] != st["E"]


@pytest.mark.parametrize("name", __import__("bplib.explorers", fromlist=["EXPLORERS"]).EXPLORERS)
def test_every_explorer_renders_distinct_self_contained_frames(name):
    from bplib import explorers

    ex = getattr(explorers, name)()
    html = ex.static_html()
    data = json.loads(re.search(r'class="bplib-frames">(.*?)</script>', html, re.S).group(1))
    assert len(set(data["frames"])) == ex.frames, "some frames are identical: the slider shows nothing"
    assert "http" not in html

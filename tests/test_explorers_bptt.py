"""The BPTT chapter's explorer (bplib.explorers.bptt): truncation, vanishing and exploding
gradients, and an x-axis that ends where T's slider ends."""

from __future__ import annotations

import numpy as np
import pytest

from bplib.explorers import bptt_explorer, bptt_state
from bplib.explorers.bptt import T_MAX


def test_bptt_state_truncation_and_the_last_step():
    full = bptt_state(1.5, T=20, k=20)
    assert full["truncation_error"] == 0.0
    cut = bptt_state(1.5, T=20, k=5)
    assert cut["truncation_error"] > 0
    assert np.array_equal(full["grad_s_norm"], cut["grad_s_norm"])
    small = bptt_state(0.3, T=20, k=20)
    # a contracting W_r: the gradient reaching s(1) is a tiny fraction of that at s(T)
    assert small["grad_s_norm"][0] / small["grad_s_norm"][-1] < 1e-6


def test_the_radius_reaches_exploding_gradients():
    ex = bptt_explorer(radius=1.0, T=30, k=10)
    radius = ex.sliders[0]
    assert radius.name == "radius" and radius.max == 8.0
    st = bptt_state(radius.max, T=30, k=30)
    assert st["grad_s_norm"][0] / st["grad_s_norm"][-1] > 1e4  # explodes (tanh, 1.1e5 here)
    assert bptt_state(0.5, T=30, k=30)["grad_s_norm"][0] / bptt_state(0.5, T=30)["grad_s_norm"][-1] < 1e-10


def test_the_x_axis_runs_to_ts_maximum_and_not_beyond():
    ex = bptt_explorer()
    T = next(s for s in ex.sliders if s.name == "T")
    k = next(s for s in ex.sliders if s.name == "k")
    assert T.max == k.max == T_MAX
    for ax in ex.fig.axes:
        lo, hi = ax.get_xlim()
        assert hi == pytest.approx(T.max + 0.5) and lo == pytest.approx(0.5)
    assert len(ex.artists["bars"]) == T_MAX


def test_static_copy_moves_radius_with_t_and_with_k():
    ex = bptt_explorer(radius=1.0, T=30, k=10)
    assert ex.grids == [("radius", "T"), ("radius", "k")]
    values = ex.static_values()
    keys = set(ex.static_keys())
    start = ex.static_keys()[0]
    corner = (len(values[0]) - 1, len(values[1]) - 1, start[2])  # radius 8, T 40, k at its start
    assert corner in keys and (len(values[0]) - 1, start[1], 0) in keys
    assert (start[0], len(values[1]) - 1, 0) not in keys  # T and k do not move together

"""The why-backprop chapter's explorer (bplib.explorers.why_backprop): it reads the
chapter's measurements, interpolating on log-log axes and extrapolating, as its caption
says, with the last segment's slope."""

from __future__ import annotations

import numpy as np
import pytest

from bplib.explorers import gradient_cost_explorer, gradient_cost_state, mlp_param_count
from bplib.mlp import MLP

from .explorer_cases import T_BP, T_FD, WIDTHS


def test_at_a_measured_width_it_shows_the_measurement_as_the_chapter_does():
    st = gradient_cost_state(30, WIDTHS, T_FD, T_BP)
    assert st["kind"] == "measured"
    assert st["params"] == MLP([784, 30, 10], rng=np.random.default_rng(0)).n_params() == 23_860
    assert st["fd_epoch_h"] == T_FD[-1] * 60_000 / 3600 and st["bp_epoch_s"] == T_BP[-1] * 60_000
    ex = gradient_cost_explorer(WIDTHS, T_FD, T_BP, width=30)
    caption = ex.caption()
    # the chapter prints f"{fd_epoch_hours:.1f} hours" and f"{t_fd[-1] / t_bp[-1]:,.0f} times faster"
    assert f"{T_FD[-1] * 60_000 / 3600:.1f} hours" in caption
    assert f"{T_FD[-1] / T_BP[-1]:,.0f} times faster" in caption and "(measured)" in caption
    assert ex.values["width"] == 30 and ex.sliders[0].min == 1 and ex.sliders[0].max == 100


def test_between_measured_widths_it_interpolates_on_log_log_axes():
    # at the geometric mean of two measured widths, the geometric mean of their times
    w = np.sqrt(8 * 16)
    st = gradient_cost_state(round(w), WIDTHS, T_FD, T_BP)
    assert st["kind"] == "interpolated"
    slope = (np.log(T_FD[4]) - np.log(T_FD[3])) / np.log(2)
    expected = np.exp(np.log(T_FD[3]) + slope * np.log(round(w) / 8))
    assert st["fd_example_s"] == pytest.approx(expected, rel=1e-12)
    assert T_FD[3] < st["fd_example_s"] < T_FD[4]


def test_beyond_the_widest_it_extrapolates_with_the_last_slope_and_says_so():
    slope = np.log(T_FD[-1] / T_FD[-2]) / np.log(30 / 16)
    st = gradient_cost_state(100, WIDTHS, T_FD, T_BP)
    assert st["kind"] == "extrapolated" and st["slope_fd"] == pytest.approx(slope, rel=1e-12)
    assert st["fd_example_s"] == pytest.approx(T_FD[-1] * (100 / 30) ** slope, rel=1e-12)
    caption = gradient_cost_explorer(WIDTHS, T_FD, T_BP, width=100).caption()
    assert "extrapolated" in caption and f"{slope:.2f}" in caption
    # the old model (forward time in proportion to P, so central differences ~ P^2) would
    # have claimed about five times more at width 100 for time linear in the width
    linear = np.array([0.02, 0.04, 0.08, 0.16, 0.32, 0.60])
    ours = gradient_cost_state(100, WIDTHS, linear, T_BP)["fd_example_s"]
    old = 0.60 * (mlp_param_count([784, 100, 10]) / mlp_param_count([784, 30, 10])) ** 2
    assert ours == pytest.approx(0.60 * 100 / 30, rel=0.05) and old / ours > 3


def test_measurements_are_checked():
    with pytest.raises(ValueError, match=r"width must be in 1\.\.10000, got 0"):
        gradient_cost_state(0, WIDTHS, T_FD, T_BP)
    with pytest.raises(ValueError, match="widths must be increasing whole numbers"):
        gradient_cost_explorer([1, 4, 2], [1, 2, 3], [1, 2, 3])
    with pytest.raises(ValueError, match="one time per width"):
        gradient_cost_explorer(WIDTHS, T_FD[:-1], T_BP)
    with pytest.raises(ValueError, match="fd_seconds must be > 0"):
        gradient_cost_explorer(WIDTHS, -T_FD, T_BP)
    with pytest.raises(ValueError, match="at least two measured widths"):
        gradient_cost_explorer([30], [1.0], [1e-4])

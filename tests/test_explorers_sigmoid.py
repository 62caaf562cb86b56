"""The sigmoid chapter's explorer (bplib.explorers.sigmoid), against independent formulas."""

from __future__ import annotations

import numpy as np
import pytest

from bplib.explorers import sigmoid_explorer, sigmoid_state


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


def test_sigmoid_explorer_caption_reads_the_state():
    ex = sigmoid_explorer(z=-2.0)
    s = 1 / (1 + np.exp(2.0))
    assert f"σ(z) = {s:.4f}" in ex.caption() and "z = -2.00" in ex.caption()
    assert [s.name for s in ex.sliders] == ["z"] and ex.sliders[0].min == -8 and ex.sliders[0].max == 8

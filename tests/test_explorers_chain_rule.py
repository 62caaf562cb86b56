"""The chain-rule chapter's explorer (bplib.explorers.chain_rule)."""

from __future__ import annotations

import numpy as np
import pytest

from bplib.explorers import chain_rule_explorer, chain_rule_state


def test_chain_rule_state_product_equals_the_derivative():
    for x in (-1.7, -0.3, 0.0, 1.2):
        st = chain_rule_state(x)
        assert st["dy_dx"] == pytest.approx(np.cos(x**2) * 2 * x, abs=1e-15)
        assert st["dy_dx"] == pytest.approx(st["dy_dx_fd"], rel=1e-7, abs=1e-9)
        assert st["du_dx"] * st["dy_du"] == st["dy_dx"]


def test_chain_rule_explorer_tangent_has_the_product_slope():
    ex = chain_rule_explorer(x=0.7)
    x, y = ex.artists["t2"].get_data()
    slope = (y[-1] - y[0]) / (x[-1] - x[0])
    assert slope == pytest.approx(np.cos(0.49) * 1.4, rel=1e-12)

"""The explorers' pure state functions (bplib.explorers), against independent routes:
formulas written out here, SymPy, finite differences and published numbers."""

from __future__ import annotations

import numpy as np
import pytest

from bplib.explorers import sigmoid_state
from bplib.gradcheck import rel_error


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
    with pytest.raises(ValueError, match=r"width must be in 1\.\.10000, got 0"):
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


def test_deltas_state_bp4_matches_finite_differences_and_saturation_shrinks_delta():
    from bplib.explorers import deltas_state

    st = deltas_state(1.0)
    assert rel_error(st["dw_bp"], st["dw_fd"]) < 1e-6
    big, small = deltas_state(8.0), deltas_state(0.2)
    # large weights saturate the sigmoids: sigma' falls in every hidden layer
    assert np.all(big["sigma_prime"][:-1] < st["sigma_prime"][:-1])
    # small weights: each step back multiplies by about scale * sigma' < 1, so delta vanishes
    assert np.all(np.diff(small["delta_norm"]) > 0)
    assert small["delta_norm"][0] / small["delta_norm"][-1] < 1e-4
    with pytest.raises(ValueError, match="scale must be > 0, got 0"):
        deltas_state(0.0)


def test_toy_state_gradients_agree_with_finite_differences_and_sympy():
    import sympy as sp

    from bplib.explorers import toy_state
    from bplib.toy import TOY_BETA, TOY_OMEGA, Toy

    st = toy_state(0.3)
    assert np.max(rel_error(st["domega"], st["domega_fd"])) < 1e-7
    assert np.max(rel_error(st["dbeta"], st["dbeta_fd"])) < 1e-7
    toy = Toy(TOY_BETA, [0.3, *TOY_OMEGA[1:]])
    sx, sy, beta, omega = toy.symbols()
    loss = sum(toy.sym_loss().subs({sx: xi, sy: yi}) for xi, yi in zip(st["x"], st["y"]))
    subs = dict(zip(beta, toy.beta)) | dict(zip(omega, toy.omega))
    assert st["domega"][0] == pytest.approx(float(sp.diff(loss, omega[0]).subs(subs)), rel=1e-10)


def test_bptt_state_truncation_and_the_last_step():
    from bplib.explorers import bptt_state

    full = bptt_state(1.5, T=20, k=20)
    assert full["truncation_error"] == 0.0
    cut = bptt_state(1.5, T=20, k=5)
    assert cut["truncation_error"] > 0
    assert np.array_equal(full["grad_s_norm"], cut["grad_s_norm"])
    small = bptt_state(0.3, T=20, k=20)
    # a contracting W_r: the gradient reaching s(1) is a tiny fraction of that at s(T)
    assert small["grad_s_norm"][0] / small["grad_s_norm"][-1] < 1e-6


def test_graph_state_engine_adjoints_equal_the_hand_written_backward_pass():
    from bplib.explorers import graph_state
    from bplib.toy import TOY_BETA, TOY_OMEGA, Toy

    st = graph_state(0.7)
    assert np.max(rel_error(st["adjoints"], st["hand"])) < 1e-12
    assert st["values"][-1] == pytest.approx(Toy(TOY_BETA, TOY_OMEGA).loss(0.7, 2.0), rel=1e-14)
    assert st["names"] == ["f0", "h1", "f1", "h2", "f2", "h3", "f3", "loss"]

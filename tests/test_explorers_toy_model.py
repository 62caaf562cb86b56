"""The toy-model chapter's explorer (bplib.explorers.toy_model): all eight parameters."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from bplib.explorers import toy_explorer, toy_state
from bplib.gradcheck import rel_error
from bplib.toy import TOY_BETA, TOY_OMEGA, Toy


def test_toy_state_gradients_agree_with_finite_differences_and_sympy():
    st = toy_state(0.3, beta2=-2.5, omega3=2.0)
    assert np.max(rel_error(st["domega"], st["domega_fd"])) < 1e-7
    assert np.max(rel_error(st["dbeta"], st["dbeta_fd"])) < 1e-7
    beta = [TOY_BETA[0], TOY_BETA[1], -2.5, TOY_BETA[3]]
    omega = [0.3, TOY_OMEGA[1], TOY_OMEGA[2], 2.0]
    toy = Toy(beta, omega)
    sx, sy, b, w = toy.symbols()
    loss = sum(toy.sym_loss().subs({sx: xi, sy: yi}) for xi, yi in zip(st["x"], st["y"]))
    subs = dict(zip(b, beta)) | dict(zip(w, omega))
    for k in range(4):
        assert st["domega"][k] == pytest.approx(float(sp.diff(loss, w[k]).subs(subs)), rel=1e-10)
        assert st["dbeta"][k] == pytest.approx(float(sp.diff(loss, b[k]).subs(subs)), rel=1e-10)


def test_toy_explorer_has_a_slider_per_parameter_starting_at_the_chapters_values():
    ex = toy_explorer()
    assert [s.name for s in ex.sliders] == ["omega0", "beta0", "omega1", "beta1", "omega2", "beta2",
                                            "omega3", "beta3"]
    assert [ex.values[f"omega{k}"] for k in range(4)] == list(TOY_OMEGA)
    assert [ex.values[f"beta{k}"] for k in range(4)] == list(TOY_BETA)
    ex.set(beta3=1.0)
    assert ex.state["loss"] == pytest.approx(toy_state(TOY_OMEGA[0], beta3=1.0)["loss"], rel=0)
    with pytest.raises(ValueError, match=r"unknown toy parameter\(s\) \['gamma'\]"):
        toy_explorer(gamma=1.0)

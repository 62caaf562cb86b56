"""Prince's toy model: the modular backward pass against SymPy's closed form."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bplib.functions import FUNCTIONS
from bplib.gradcheck import check_gradients
from bplib.toy import ReLUNet, Toy

from .strategies import exact, seeds

FUNCS = st.tuples(*[st.sampled_from(sorted(FUNCTIONS))] * 3)


@given(seed=seeds, funcs=FUNCS)
@settings(max_examples=25, deadline=None)
def test_backward_equals_sympy_closed_form(seed, funcs):
    rng = np.random.default_rng(seed)
    toy = Toy(rng.uniform(-1, 1, 4), rng.uniform(-1, 1, 4), funcs=funcs)
    x, y = float(rng.uniform(-1, 1)), float(rng.uniform(-1, 1))
    got = toy.backward(x, y)
    sx, sy, beta, omega = toy.symbols()
    subs = {sx: x, sy: y, **dict(zip(beta, toy.beta)), **dict(zip(omega, toy.omega))}
    sym = toy.sym_gradients()
    for k in range(4):
        assert got.dbeta[k] == pytest.approx(exact(sym["beta"][k], subs), rel=1e-9, abs=1e-12)
        assert got.domega[k] == pytest.approx(exact(sym["omega"][k], subs), rel=1e-9, abs=1e-12)
    assert toy.loss(x, y) == pytest.approx(exact(toy.sym_loss(), subs), rel=1e-12)


def test_sym_forward_is_the_numeric_forward_pass():
    rng = np.random.default_rng(3)
    toy = Toy(rng.uniform(-1, 1, 4), rng.uniform(-1, 1, 4), funcs=("tanh", "sin", "exp"))
    x, y = 0.7, -0.2
    fwd = toy.forward(x, y)
    sx, sy, beta, omega = toy.symbols()
    subs = {sx: x, **dict(zip(beta, toy.beta)), **dict(zip(omega, toy.omega))}
    f, h = toy.sym_forward()
    assert len(f) == len(h) == 4 and h[0] == sx
    for k in range(4):
        assert fwd.f[k][0] == pytest.approx(exact(f[k], subs), rel=1e-13)
        assert fwd.h[k][0] == pytest.approx(exact(h[k], subs), rel=1e-13)
    assert toy.sym_loss() == (f[3] - sy) ** 2


def test_intermediate_derivatives_are_the_chain_of_local_factors():
    """dl/dh_k = omega_k dl/df_k and dl/df_{k-1} = g'(f_{k-1}) dl/dh_k, checked against
    SymPy by treating each f_k as a variable of the remaining expression."""
    rng = np.random.default_rng(7)
    toy = Toy(rng.uniform(-1, 1, 4), rng.uniform(-1, 1, 4))
    x, y = 0.3, 0.2
    fwd, bwd = toy.forward(x, y), toy.backward(x, y)
    u = sp.Symbol("u", real=True)
    # the loss as a function of f_k alone: push u through the remaining modules
    for k in range(4):
        rest = u
        for j in range(k, 3):
            rest = toy.beta[j + 1] + toy.omega[j + 1] * toy.funcs[j].sym(rest)
        dl_dfk = sp.diff((rest - y) ** 2, u)
        assert bwd.dl_df[k][0] == pytest.approx(exact(dl_dfk, {u: fwd.f[k][0]}), rel=1e-10)


def test_batch_gradients_are_sums_and_match_central_differences():
    rng = np.random.default_rng(1)
    toy = Toy(rng.uniform(-1, 1, 4), rng.uniform(-1, 1, 4))
    x, y = rng.uniform(-1, 1, 6), rng.uniform(-1, 1, 6)
    check_gradients(lambda: toy.loss(x, y), toy.params(), toy.gradients(x, y))
    one = [toy.gradients(x[i], y[i])["omega"] for i in range(6)]
    np.testing.assert_allclose(np.sum(one, axis=0), toy.gradients(x, y)["omega"], rtol=1e-12)


@given(seed=seeds, depth=st.integers(0, 3), width=st.integers(1, 5), m=st.integers(1, 7))
@settings(max_examples=40, deadline=None)
def test_relu_net_diagonal_equals_mask_and_finite_differences(seed, depth, width, m):
    rng = np.random.default_rng(seed)
    sizes = [rng.integers(1, 5)] + [width] * depth + [rng.integers(1, 4)]
    net = ReLUNet([int(s) for s in sizes], rng=rng)
    x, y = rng.normal(size=(sizes[0], m)), rng.normal(size=(sizes[-1], m))
    f = net.forward(x, y).f
    if any(np.min(np.abs(fk)) < 1e-3 for fk in f[:-1]):
        return  # too close to a kink for central differences; the case carries no information
    mask, diag = net.backward(x, y, "mask"), net.backward(x, y, "diagonal")
    for name in mask:
        np.testing.assert_allclose(diag[name], mask[name], rtol=1e-13, atol=1e-15)
    check_gradients(lambda: net.loss(x, y), net.params(), mask, allow_unresolved=True)


def test_omega_gradient_is_outer_product():
    rng = np.random.default_rng(2)
    net = ReLUNet([3, 4, 2], rng=rng)
    x, y = rng.normal(size=(3, 1)), rng.normal(size=(2, 1))
    fwd = net.forward(x, y)
    f, h = fwd.f, fwd.h
    g = net.backward(x, y)
    dl_df1 = 2 * (f[1] - y)
    np.testing.assert_allclose(g["Omega[1]"], dl_df1 @ h[1].T)


def test_bad_input():
    with pytest.raises(ValueError, match=r"beta must have shape \(4,\), got \(3,\)"):
        Toy(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="one of cos, exp, identity, relu, sigmoid, sin, tanh; got 'relu6'"):
        Toy(np.zeros(4), np.zeros(4), funcs=("sin", "relu6", "cos"))
    with pytest.raises(ValueError, match=r"y must have the shape of x \(3,\), got \(2,\)"):
        Toy(np.zeros(4), np.zeros(4)).loss(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="NaN"):
        Toy(np.zeros(4), np.zeros(4)).loss(np.nan, 0.0)
    with pytest.raises(ValueError, match="relu_as"):
        ReLUNet([2, 2], rng=np.random.default_rng(0)).backward(np.zeros((2, 1)), np.zeros((2, 1)), "dense")

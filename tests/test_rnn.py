"""BPTT against central differences and against SymPy's derivative of the unrolled network."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bplib.gradcheck import check_gradients
from bplib.rnn import RNN

from .strategies import exact, seeds


@given(seed=seeds, T=st.integers(1, 12), act=st.sampled_from(["tanh", "sigmoid"]),
       bias=st.booleans(), n_h=st.integers(1, 4), m=st.integers(1, 4))
@settings(max_examples=40, deadline=None)
def test_bptt_matches_central_differences(seed, T, act, bias, n_h, m):
    rng = np.random.default_rng(seed)
    net = RNN(2, n_h, 2, rng, activation=act, bias=bias)
    xs, y = rng.normal(size=(T, 2, m)), rng.normal(size=(2, m))
    check_gradients(lambda: net.loss(xs, y), net.params(), net.gradients(xs, y), allow_unresolved=True)


@pytest.mark.parametrize("T", [1, 2, 3])
@pytest.mark.parametrize("act", ["tanh", "sigmoid"])
def test_bptt_equals_sympys_derivative_of_the_unrolled_network(T, act):
    n_x, n_h = 1, 2
    rng = np.random.default_rng(T)
    net = RNN(n_x, n_h, 1, rng, activation=act)
    sigma = {"tanh": sp.tanh, "sigmoid": lambda t: 1 / (1 + sp.exp(-t))}[act]
    Wr = sp.Matrix(n_h, n_h, lambda i, p: sp.Symbol(f"r{i}{p}", real=True))
    Wx = sp.Matrix(n_h, n_x, lambda i, q: sp.Symbol(f"x{i}{q}", real=True))
    Wy = sp.Matrix(1, n_h, lambda _, i: sp.Symbol(f"y{i}", real=True))
    xs = rng.normal(size=(T, n_x, 1))
    target = 0.3
    s = sp.zeros(n_h, 1)
    for t in range(T):  # unrolled: s(t) = sigma(W_r s(t-1) + W_x x(t))
        s = (Wr * s + Wx * sp.Matrix(xs[t])).applyfunc(sigma)
    L = sp.Rational(1, 2) * ((Wy * s)[0] - target) ** 2
    subs = {}
    for sym, value in ((Wr, net.W_r), (Wx, net.W_x), (Wy, net.W_y)):
        subs.update({sym[i]: v for i, v in enumerate(value.flat)})
    got = net.bptt(xs, np.array([[target]]))
    for i in range(n_h):
        for p in range(n_h):
            assert got.dW_r[i, p] == pytest.approx(exact(sp.diff(L, Wr[i, p]), subs), rel=1e-9, abs=1e-13)
        assert got.dW_x[i, 0] == pytest.approx(exact(sp.diff(L, Wx[i, 0]), subs), rel=1e-9, abs=1e-13)
        assert got.dW_y[0, i] == pytest.approx(exact(sp.diff(L, Wy[0, i]), subs), rel=1e-9, abs=1e-13)


def test_contributions_sum_to_gradient_and_truncation():
    rng = np.random.default_rng(3)
    net = RNN(3, 4, 2, rng)
    xs, y = rng.normal(size=(8, 3, 5)), rng.normal(size=(2, 5))
    full = net.bptt(xs, y)
    np.testing.assert_allclose(full.contrib_r.sum(axis=0), full.dW_r, rtol=1e-14)
    np.testing.assert_allclose(full.contrib_x.sum(axis=0), full.dW_x, rtol=1e-14)
    for k in (8, 9, 100):
        assert np.array_equal(net.bptt(xs, y, k=k).dW_r, full.dW_r)
    for k in (1, 3, 7):
        trunc = net.bptt(xs, y, k=k)
        np.testing.assert_allclose(trunc.dW_r, full.contrib_r[-k:].sum(axis=0), rtol=1e-14)
        assert not np.allclose(trunc.dW_x, full.dW_x)
        assert np.array_equal(trunc.dW_y, full.dW_y)
    # step 1 adds dL/dz(1) s(0)^T = 0 to dL/dW_r, since s(0) = 0: dropping it changes nothing
    assert not full.contrib_r[0].any()
    np.testing.assert_allclose(net.bptt(xs, y, k=7).dW_r, full.dW_r, rtol=1e-14)
    assert not np.allclose(net.bptt(xs, y, k=6).dW_r, full.dW_r)


def test_truncated_bptt_stops_early_and_reads_only_the_latest_states():
    """Truncation after k steps does k steps of backward work: the states before
    s(T-k) are never read, and nothing is sent back to the steps it does not reach."""
    rng = np.random.default_rng(6)
    net = RNN(3, 4, 2, rng, bias=True)
    xs, y = rng.normal(size=(9, 3, 2)), rng.normal(size=(2, 2))
    T = xs.shape[0]
    full = net.bptt(xs, y)
    for k in (1, 4, 8):
        fwd = net.forward(xs, y)
        fwd.s[:T - k] = [None] * (T - k)  # what truncated BPTT must not need
        fwd.z[:T - k] = [None] * (T - k)
        cut = net.backprop(xs, y, fwd, k)
        assert np.count_nonzero(cut.grad_s_norm) == k and not cut.grad_s_norm[:T - k].any()
        np.testing.assert_array_equal(cut.grad_s_norm[T - k:], full.grad_s_norm[T - k:])
        np.testing.assert_allclose(cut.dW_r, full.contrib_r[T - k:].sum(axis=0), rtol=1e-14)
        assert not cut.contrib_x[:T - k].any()
    with pytest.raises((AttributeError, TypeError)):  # full BPTT does need the early states
        fwd = net.forward(xs, y)
        fwd.s[0] = None
        net.backprop(xs, y, fwd, T)


def test_contribution_of_step_t_is_a_product_of_jacobians():
    """dL/ds(t) = (prod of W_r^T diag(sigma'(z)) from T down to t+1) dL/ds(T)."""
    rng = np.random.default_rng(4)
    net = RNN(2, 3, 1, rng)
    xs, y = rng.normal(size=(5, 2, 1)), rng.normal(size=(1, 1))
    fwd, r = net.forward(xs, y), net.bptt(xs, y)
    g = net.W_y.T @ (fwd.y_hat - y)
    for t in range(5, 0, -1):
        assert np.linalg.norm(g) == pytest.approx(r.grad_s_norm[t - 1], rel=1e-12)
        J = np.diag(1 - np.tanh(fwd.z[t - 1][:, 0]) ** 2)  # ds(t)/dz(t)
        g = net.W_r.T @ (J @ g)


def test_vanishing_and_exploding_norms():
    rng = np.random.default_rng(5)
    xs, y = rng.normal(size=(30, 2, 1)), rng.normal(size=(1, 1))
    small = RNN(2, 8, 1, np.random.default_rng(0), activation="tanh", scale=0.3).bptt(xs, y)
    big = RNN(2, 8, 1, np.random.default_rng(0), activation="identity", scale=2.0).bptt(xs, y)
    assert small.grad_s_norm[0] < 1e-6 * small.grad_s_norm[-1]  # vanishes going back in time
    assert big.grad_s_norm[0] > 1e3 * big.grad_s_norm[-1]  # explodes


def test_bad_input():
    net = RNN(2, 3, 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"xs must have shape \(T, 2, m\), got \(4, 2\)"):
        net.bptt(np.zeros((4, 2)), np.zeros((1, 1)))
    with pytest.raises(ValueError, match=r"xs must have shape \(T, 2, m\), got \(4, 3, 1\)"):
        net.bptt(np.zeros((4, 3, 1)), np.zeros((1, 1)))
    with pytest.raises(ValueError, match=r"y must have shape \(1, 5\), got \(1, 4\)"):
        net.bptt(np.zeros((4, 2, 5)), np.zeros((1, 4)))
    with pytest.raises(ValueError, match="k must be >= 1"):
        net.bptt(np.zeros((4, 2, 1)), np.zeros((1, 1)), k=0)
    with pytest.raises(ValueError, match="activation must be elementwise for the hidden state, got softmax"):
        RNN(2, 3, 1, np.random.default_rng(0), activation="softmax")

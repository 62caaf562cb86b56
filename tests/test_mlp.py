"""The MLP: BP1-BP4 against central differences and against SymPy."""

import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings

from bplib import mlp
from bplib.gradcheck import check_gradients
from bplib.layers import Layers
from bplib.mlp import MLP

from .strategies import exact, min_abs_preactivation, mlp_cases


@given(case=mlp_cases())
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
def test_backprop_matches_central_differences(case):
    net, x, y = case
    if "relu" in (net.activation.name, net.output_activation.name):
        assume(min_abs_preactivation(net, x) > 1e-3)  # keep h = 1e-5 away from the kink
    grads = net.backward(x, y)
    # entries below the rounding noise (a dead ReLU, a saturated unit) are reported, not judged
    check_gradients(lambda: net.cost(x, y), net.params(), grads.as_dict(), tol=1e-7, allow_unresolved=True)


@given(case=mlp_cases())
@settings(max_examples=60, deadline=None)
def test_per_example_loop_equals_matrix_version(case):
    net, x, y = case
    a, b = net.backward(x, y), net.backward_loop(x, y)
    for l in net.W.layers():
        np.testing.assert_allclose(b.dW[l], a.dW[l], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(b.db[l], a.db[l], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(b.delta[l], a.delta[l], rtol=1e-10, atol=1e-14)


def symbolic_network(sizes):
    """A sigmoid network with symbolic weights: returns (W, b, x, y, C) in SymPy."""
    W = {l: sp.Matrix(sizes[l], sizes[l - 1], lambda j, k, l=l: sp.Symbol(f"w{l}_{j}{k}", real=True))
         for l in range(1, len(sizes))}
    b = {l: sp.Matrix(sizes[l], 1, lambda j, _, l=l: sp.Symbol(f"b{l}_{j}", real=True)) for l in W}
    x = sp.Matrix(sp.symbols(f"x0:{sizes[0]}", real=True))
    y = sp.Matrix(sp.symbols(f"y0:{sizes[-1]}", real=True))
    a = x
    for l in sorted(W):
        a = (W[l] * a + b[l]).applyfunc(lambda t: 1 / (1 + sp.exp(-t)))
    C = sp.Rational(1, 2) * sum((a[j] - y[j]) ** 2 for j in range(sizes[-1]))
    return W, b, x, y, C


@pytest.mark.parametrize("sizes", [[2, 2, 2], [1, 3, 2], [3, 2, 1, 2]])
def test_bp1_to_bp4_equal_sympys_derivative_of_the_cost(sizes):
    W, b, x, y, C = symbolic_network(sizes)
    rng = np.random.default_rng(sum(sizes))
    net = MLP(sizes, rng=rng)
    xv, yv = rng.normal(size=(sizes[0], 1)), rng.uniform(size=(sizes[-1], 1))
    subs = {**dict(zip(x, xv[:, 0])), **dict(zip(y, yv[:, 0]))}
    for l in W:
        subs.update({W[l][j, k]: net.W[l][j, k] for j in range(sizes[l]) for k in range(sizes[l - 1])})
        subs.update({b[l][j]: net.b[l][j, 0] for j in range(sizes[l])})
    grads = net.backward(xv, yv)
    for l in W:
        for j in range(sizes[l]):
            assert grads.db[l][j, 0] == pytest.approx(exact(sp.diff(C, b[l][j]), subs), rel=1e-9, abs=1e-14)
            for k in range(sizes[l - 1]):
                want = exact(sp.diff(C, W[l][j, k]), subs)
                assert grads.dW[l][j, k] == pytest.approx(want, rel=1e-9, abs=1e-14)


def test_each_equation_can_be_called_on_its_own():
    rng = np.random.default_rng(0)
    net = MLP([3, 4, 2], rng=rng)
    x, y = rng.normal(size=(3, 5)), rng.uniform(size=(2, 5))
    c = net.forward(x)
    sig = net.activation
    delta2 = mlp.bp1(c.a[2] - y, sig.df(c.z[2]))
    delta1 = mlp.bp2(net.W[2], delta2, sig.df(c.z[1]))
    g = net.backward(x, y)
    np.testing.assert_allclose(delta2, g.delta[2])
    np.testing.assert_allclose(delta1, g.delta[1])
    np.testing.assert_allclose(mlp.bp3(delta1), g.db[1])
    np.testing.assert_allclose(mlp.bp4(delta1, c.a[0]), g.dW[1])
    # BP4 in index form: dC/dw_jk = mean over examples of a_k^{l-1} delta_j^l
    j, k = 2, 1
    assert g.dW[1][j, k] == pytest.approx(np.mean(c.a[0][k] * delta1[j]))


def test_weights_set_by_hand_and_a_descent_step_lowers_the_cost():
    net = MLP([2, 2, 2], rng=None)
    net.W[1] = [[0.1, 0.2], [0.3, 0.4]]
    net.b[1] = [[0.5], [0.5]]
    net.W[2] = [[0.5, 0.6], [0.7, 0.8]]
    net.b[2] = [[0.5], [0.5]]
    x, y = np.array([[0.1], [0.2]]), np.array([[0.4], [0.6]])
    before = net.cost(x, y)
    net.step(net.backward(x, y), lr=0.5)
    assert net.cost(x, y) < before
    with pytest.raises(ValueError, match=r"W\[1\] must have shape \(2, 2\), got \(3, 2\)"):
        net.W[1] = np.zeros((3, 2))


def test_layers_are_numbered_from_one():
    net = MLP([2, 3, 4], rng=np.random.default_rng(0))
    assert net.W[1].shape == (3, 2) and net.W[2].shape == (4, 3) and net.W[-1] is net.W[2]
    assert net.b[1].shape == (3, 1) and net.L == 2 and net.n_params() == 3 * 2 + 3 + 4 * 3 + 4
    with pytest.raises(IndexError, match="layer 0 is the input"):
        net.W[0]
    with pytest.raises(IndexError, match="run from 1 to 2"):
        net.b[3]
    cache = net.forward(np.zeros((2, 1)))
    assert cache.a[0].shape == (2, 1) and isinstance(cache.z, Layers)


@pytest.mark.parametrize("sizes, exc, msg", [
    ([2, 0, 1], ValueError, r"sizes\[1\] must be >= 1, got 0"),
    ([2, -3, 1], ValueError, r"sizes\[1\] must be >= 1"),
    ([2], ValueError, "at least an input and an output"),
    ([2, 2.5], TypeError, "must be an integer"),
    ("2,3", TypeError, "list of layer widths"),
])
def test_bad_sizes(sizes, exc, msg):
    with pytest.raises(exc, match=msg):
        MLP(sizes, rng=np.random.default_rng(0))


def test_bad_inputs_name_expected_and_actual_shapes():
    net = MLP([3, 4, 2], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"x must have shape \(3, m\), got \(4, 5\)"):
        net.forward(np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"examples as columns, got \(3,\)"):
        net.forward(np.zeros(3))
    with pytest.raises(ValueError, match=r"y must have shape \(2, 5\), got \(5, 2\)"):
        net.backward(np.zeros((3, 5)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="x contains NaN"):
        net.forward(np.full((3, 1), np.nan))
    net.W[2][0, 0] = np.inf
    with pytest.raises(ValueError, match=r"parameter W\[2\] contains NaN or Inf"):
        net.forward(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="valid names"):
        MLP([2, 2], activation="gelu", rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="valid names"):
        MLP([2, 2], cost="mae", rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="output_activation='softmax'"):
        MLP([2, 2], cost="log_likelihood", rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        MLP([2, 2], rng=42)


@pytest.mark.parametrize("where", ["x", "W[1]", "b[1]", "W[2]", "b[2]"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_any_non_finite_input_or_parameter_is_named(where, bad):
    """Finiteness is checked through z^l (cheap); the message still names the culprit,
    also when the bad weight meets a zero activation (Inf * 0 = NaN)."""
    net = MLP([3, 4, 2], activation="relu", rng=np.random.default_rng(0))
    x = np.zeros((3, 2))  # zero inputs: a bad W[1] entry only ever meets 0
    if where == "x":
        x[1, 0] = bad
        expected = "x contains"
    else:
        block = net.params()[where]
        block[0, 0] = bad
        expected = re.escape(f"parameter {where} contains NaN or Inf")
    with pytest.raises(ValueError, match=expected):
        net.backward(x, np.zeros((2, 2)))
    with pytest.raises(ValueError, match=expected):
        net.forward(x)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("pairing", [("sigmoid", "quadratic"), ("sigmoid", "cross_entropy"),
                                     ("softmax", "log_likelihood"), ("identity", "quadratic")])
def test_non_finite_targets_are_named(bad, pairing):
    out, cost = pairing
    net = MLP([3, 2], cost=cost, output_activation=out, rng=np.random.default_rng(0))
    y = np.full((2, 4), 0.5)
    y[1, 2] = bad
    with pytest.raises(ValueError, match="y contains"):
        net.backward(np.ones((3, 4)), y)
    with pytest.raises(ValueError, match="y contains"):
        net.cost(np.ones((3, 4)), y)

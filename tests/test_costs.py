"""Costs: value and gradient against SymPy and central differences."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bplib import activations, costs
from bplib.gradcheck import check_gradients, rel_error

from .strategies import column_batches, exact, one_hot, probabilities


def _targets_for(name, data, n, m):
    if name == "log_likelihood":
        return data.draw(one_hot(n, m))
    if name == "cross_entropy":
        return data.draw(probabilities(n, m))
    return data.draw(column_batches(n=n, m=m))


def _outputs_for(name, data, n, m):
    if name in ("cross_entropy", "log_likelihood"):
        return data.draw(probabilities(n, m))
    return data.draw(column_batches(n=n, m=m))


@pytest.mark.parametrize("name", costs.names())
@given(data=st.data(), n=st.integers(1, 4), m=st.integers(1, 5))
@settings(max_examples=30, deadline=None)
def test_value_and_gradient_match_sympy(name, data, n, m):
    cost = costs.get(name)
    a, y = _outputs_for(name, data, n, m), _targets_for(name, data, n, m)
    a_sym = sp.Matrix(sp.symbols(f"a0:{n}", positive=True))
    y_sym = sp.Matrix(sp.symbols(f"y0:{n}", real=True))
    C = cost.sym(a_sym, y_sym)
    grad = cost.grad(a, y)
    per = cost.per_example(a, y)
    for x in range(m):
        subs = {**dict(zip(a_sym, a[:, x])), **dict(zip(y_sym, y[:, x]))}
        assert rel_error(per[x], exact(C, subs), tiny=1e-12) < 1e-10
        for j in range(n):
            expected = exact(sp.diff(C, a_sym[j]), subs)
            assert rel_error(grad[j, x], expected, tiny=1e-12) < 1e-10
    assert cost.value(a, y) == pytest.approx(per.mean(), rel=1e-15)


@pytest.mark.parametrize("name", costs.names())
def test_gradient_matches_central_differences(name):
    rng = np.random.default_rng(0)
    n, m = 3, 4
    a = rng.uniform(0.1, 0.9, size=(n, m))
    if name == "log_likelihood":
        y = np.eye(n)[:, rng.integers(0, n, m)]
    else:
        y = rng.uniform(0, 1, size=(n, m))
    cost = costs.get(name)
    # grad holds per-example gradients; the batch cost is their mean, hence / m
    check_gradients(lambda: cost.value(a, y), {"a": a}, {"a": cost.grad(a, y) / m}, tol=1e-7)


@pytest.mark.parametrize("cost_name, act_name", [("cross_entropy", "sigmoid"),
                                                 ("log_likelihood", "softmax")])
def test_shortcut_output_delta_equals_a_minus_y(cost_name, act_name):
    """The shortcut delta^L = a - y is the full chain rule, checked with SymPy."""
    cost, act = costs.get(cost_name), activations.get(act_name)
    n = 3
    z = sp.Matrix(sp.symbols(f"z0:{n}", real=True))
    y = sp.Matrix(sp.symbols(f"y0:{n}", real=True))
    if act.elementwise:
        a = z.applyfunc(act.sym)
    else:
        a = act.sym(z)
    C = cost.sym(a, y)
    if cost_name == "log_likelihood":  # one-hot targets sum to 1
        C = C.subs(y[-1], 1 - sum(y[:-1]))
        y = sp.Matrix([*y[:-1], 1 - sum(y[:-1])])
    for j in range(n):
        assert sp.simplify(sp.diff(C, z[j]) - (a[j] - y[j])) == 0
    assert cost.output_delta_shortcut(act_name)
    assert not costs.quadratic.output_delta_shortcut("sigmoid")


def test_logs_never_see_zero():
    a = np.array([[0.0, 1.0], [1.0, 0.0]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    with np.errstate(all="raise"):
        for name in ("cross_entropy", "log_likelihood"):
            value = costs.get(name).value(a, y)
            grad = costs.get(name).grad(a, y)
            assert np.isfinite(value) and value > 100  # a confident wrong answer costs a lot
            assert np.all(np.isfinite(grad))


def test_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"shape of the output a \(2, 3\), got \(3, 2\)"):
        costs.quadratic.value(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="2 dimension"):
        costs.quadratic.value(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="NaN"):
        costs.quadratic.grad(np.array([[np.nan]]), np.array([[0.0]]))


def test_unknown_cost_lists_valid_names():
    with pytest.raises(ValueError, match="valid names: cross_entropy, log_likelihood, quadratic"):
        costs.get("hinge")


@pytest.mark.parametrize("cost_name, act_name", [("cross_entropy", "sigmoid"),
                                                 ("log_likelihood", "softmax")])
def test_cost_from_z_equals_cost_from_a_and_keeps_its_digits(cost_name, act_name):
    cost, act = costs.get(cost_name), activations.get(act_name)
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 6))
    y = np.eye(3)[:, rng.integers(0, 3, 6)] if cost_name == "log_likelihood" else rng.uniform(size=(3, 6))
    np.testing.assert_allclose(cost.per_example_from_z(z, y), cost.per_example(act.f(z), y), rtol=1e-12)
    # far out, where a rounds: the exact value from SymPy at 30 digits
    z_far = np.array([[9.0], [-30.0], [12.0]])
    one_hot_col, soft_col = np.array([[0.0], [0.0], [1.0]]), np.array([[0.3], [0.9], [0.5]])
    y_far = one_hot_col if cost_name == "log_likelihood" else soft_col
    zs = sp.Matrix(sp.symbols("z0:3", real=True))
    a_sym = act.sym(zs) if not act.elementwise else zs.applyfunc(act.sym)
    expected = exact(cost.sym(a_sym, list(y_far[:, 0])), dict(zip(zs, z_far[:, 0])))
    assert cost.per_example_from_z(z_far, y_far)[0] == pytest.approx(expected, rel=1e-14)
    with pytest.raises(ValueError, match="no formula in terms of z"):
        costs.quadratic.per_example_from_z(z, y)

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


PAIRINGS = [("quadratic", "sigmoid"), ("quadratic", "tanh"), ("quadratic", "identity"), ("quadratic", "relu"),
            ("quadratic", "softmax"), ("cross_entropy", "sigmoid"), ("log_likelihood", "softmax")]


@pytest.mark.parametrize("cost_name, act_name", PAIRINGS)
def test_each_cost_owns_its_output_error_delta_L(cost_name, act_name):
    """cost.delta(z, a, y, sigma) = dC_x/dz^L, against SymPy's derivative of C_x(sigma(z)) at
    random points: the full chain rule for the quadratic cost (a Jacobian for softmax), the
    cancelled a - y for cross-entropy and log-likelihood."""
    cost, act = costs.get(cost_name), activations.get(act_name)
    n, rng = 3, np.random.default_rng(len(cost_name) + len(act_name))
    zs = sp.Matrix(sp.symbols(f"z0:{n}", real=True))
    ys = sp.Matrix(sp.symbols(f"y0:{n}", real=True))
    a_sym = act.sym(zs) if not act.elementwise else zs.applyfunc(act.sym)
    C = cost.sym(a_sym, ys)
    for _ in range(3):
        z = rng.uniform(-2, 2, (n, 1))
        z[np.abs(z) < 0.05] = 0.5  # away from ReLU's kink
        y = rng.dirichlet(np.ones(n))[:, None] if cost.target == "distribution" else rng.uniform(0, 1, (n, 1))
        a = act.f(z)
        got = cost.delta(z, a, y, act.core)
        subs = {**dict(zip(zs, z[:, 0])), **dict(zip(ys, y[:, 0]))}
        for j in range(n):
            assert got[j, 0] == pytest.approx(exact(sp.diff(C, zs[j]), subs), rel=1e-10, abs=1e-14)


def test_log_likelihood_delta_needs_targets_summing_to_one_and_the_checks_refuse_others():
    """Planted: a target column summing to 2. Then a - y is not dC/dz (SymPy says a*sum(y) - y),
    which is why MLP and the cost's checked methods refuse such targets."""
    from bplib import MLP

    z, y = np.array([[0.3], [-0.2], [1.0]]), np.array([[1.0], [1.0], [0.0]])
    a = activations.softmax.f(z)
    wrong = costs.log_likelihood.delta(z, a, y, activations.softmax.core)
    right = a * y.sum() - y
    assert not np.allclose(wrong, right)
    net = MLP([2, 3], cost="log_likelihood", output_activation="softmax", rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="y must have columns summing to 1 for the log_likelihood cost"):
        net.backward(np.ones((2, 1)), y)
    with pytest.raises(ValueError, match="got column 0 summing to 2"):
        costs.log_likelihood.grad(a, y)


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
    with pytest.raises(ValueError, match="cost must be one of cross_entropy, log_likelihood, quadratic"):
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
    with pytest.raises(ValueError, match="formula in terms of z to use per_example_from_z, got quad"):
        costs.quadratic.per_example_from_z(z, y)

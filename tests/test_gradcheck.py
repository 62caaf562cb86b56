"""Finite differences: exact on known functions; planted wrong gradients refused, right ones
accepted, including saturated blocks, tiny entries and kinks.

Every planted case is asserted: a wrong gradient must fail or be reported unresolved
(never pass); a right one must pass (kinks skipped and counted, never failed).
"""

import numpy as np
import pytest
from hypothesis import given, settings

from bplib.gradcheck import (
    CountingFunction,
    GradientCheckError,
    central_difference,
    check_derivative,
    check_gradients,
    numerical_gradient,
    rel_error,
)

from .strategies import arrays


@given(x=arrays((4,)))
@settings(max_examples=30, deadline=None)
def test_central_difference_of_a_cubic_is_exact_up_to_rounding(x):
    # f = sum x^3 + x0 x1: the O(h^2) error term of a cubic is h^2 * f'''/6 = h^2 per entry
    f = lambda v: float(np.sum(v**3) + v[0] * v[1])  # noqa: E731
    expected = 3 * x**2 + np.array([x[1], x[0], 0, 0])
    got = central_difference(f, x, h=1e-5)
    assert np.allclose(got, expected, atol=1e-8)


def test_central_difference_costs_two_evaluations_per_entry_and_leaves_x_alone():
    x = np.arange(6.0).reshape(2, 3)
    f = CountingFunction(lambda v: float(np.sum(np.sin(v))))
    g = central_difference(f, x)
    assert f.calls == 12
    assert np.array_equal(x, np.arange(6.0).reshape(2, 3))
    assert np.allclose(g, np.cos(x), atol=1e-9)


def test_numerical_gradient_over_dict_and_list_restores_parameters_in_any_layout():
    W, b = np.asfortranarray([[1.0, -2.0], [0.5, 3.0]]), np.array([[0.1], [0.2]])
    x = np.array([[1.0], [2.0]])
    f = lambda: float(np.sum((W @ x + b) ** 2) / 2)  # noqa: E731
    r = W @ x + b
    as_dict = numerical_gradient(f, {"W": W, "b": b})
    as_list = numerical_gradient(f, [None, W, b])
    assert np.allclose(as_dict["W"], r @ x.T, atol=1e-8)
    assert np.allclose(as_dict["b"], r, atol=1e-8)
    assert as_list[0] is None and np.allclose(as_list[1], r @ x.T, atol=1e-8)
    assert np.array_equal(W, [[1.0, -2.0], [0.5, 3.0]])
    view = np.arange(12.0).reshape(3, 4)[:, ::2]  # a strided view: perturbed in place too
    g = numerical_gradient(lambda: float(np.sum(view**2)), [view])[0]
    assert np.allclose(g, 2 * view, atol=1e-6)


def test_rel_error_definition():
    assert rel_error(1.0, 1.1) == pytest.approx(0.1 / 1.1)
    assert rel_error(0.0, 0.0) == 0.0
    assert rel_error(1e-9, 2e-9, tiny=1e-3) == pytest.approx(1e-9 / 1e-3)
    assert rel_error(1e-12, 2e-12) == pytest.approx(0.5)
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))


# --- a small network: the book's kind of check -----------------------------------------------
def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))  # never overflows


def two_layer(scale1=1.0, seed=3):
    """C = 1/2 ||sigma(W2 sigma(W1 x)) - y||^2 (quadratic, sigmoid), and its gradient by hand.

    With scale1 large, the first layer saturates: its gradient entries are ~1e-12 and
    below the rounding noise of C (about 1e-16 / h)."""
    rng = np.random.default_rng(seed)
    W1 = rng.normal(size=(3, 2)) if scale1 == 1 else scale1 + 0.1 * rng.normal(size=(3, 2))
    W2 = rng.normal(size=(2, 3))
    x = rng.normal(size=(2, 1)) if scale1 == 1 else np.ones((2, 1))  # saturated: z^1 near 2 scale1
    y = rng.uniform(size=(2, 1))

    def cost():
        return float(0.5 * np.sum((sigmoid(W2 @ sigmoid(W1 @ x)) - y) ** 2))

    a1 = sigmoid(W1 @ x)
    a2 = sigmoid(W2 @ a1)
    d2 = (a2 - y) * a2 * (1 - a2)
    d1 = (W2.T @ d2) * a1 * (1 - a1)
    return {"W1": W1, "W2": W2}, {"W1": d1 @ x.T, "W2": d2 @ a1.T}, cost


def test_a_right_gradient_passes_and_evaluations_are_counted():
    params, grads, cost = two_layer()
    report = check_gradients(cost, params, grads)
    assert report.passed and report.max_rel_error < 1e-7 and report.kinks == report.unresolved == 0
    assert report.evaluations >= 2 * 12 + 1  # two per entry, one at theta, more where needed


PLANTED = {
    "doubled W2": lambda g: {**g, "W2": 2 * g["W2"]},
    "zeroed W2": lambda g: {**g, "W2": 0 * g["W2"]},
    "sign flip W1": lambda g: {**g, "W1": -g["W1"]},
    "one entry 1% off": lambda g: {**g, "W2": g["W2"] + np.eye(2, 3) * 0.01 * g["W2"]},
    "one entry 1e-4 relative off": lambda g: {**g, "W1": g["W1"] * (1 + 1e-4 * np.eye(3, 2))},
    "transposed (square part)": lambda g: {**g, "W2": g["W2"][:, [1, 0, 2]]},
    "scaled by 1.001": lambda g: {k: 1.001 * v for k, v in g.items()},
    "a missing factor in one row": lambda g: {**g, "W1": g["W1"] * np.array([[1.0], [0.25], [1.0]])},
}


@pytest.mark.parametrize("plant", PLANTED, ids=list(PLANTED))
def test_planted_wrong_gradients_fail_naming_block_and_index(plant):
    params, grads, cost = two_layer()
    with pytest.raises(GradientCheckError, match=r"gradient of block W[12] at index \(\d, \d\)"):
        check_gradients(cost, params, PLANTED[plant](grads))


@pytest.mark.parametrize("plant", ["doubled W1", "zeroed W1", "sign flip W1", "right W1"])
def test_a_saturated_block_is_unresolved_never_passed(plant):
    params, grads, cost = two_layer(scale1=13.5)
    assert np.max(np.abs(grads["W1"])) < 1e-10 < np.max(np.abs(grads["W2"]))  # saturated indeed
    change = {"doubled W1": 2.0, "zeroed W1": 0.0, "sign flip W1": -1.0, "right W1": 1.0}[plant]
    planted = {**grads, "W1": change * grads["W1"]}
    with pytest.raises(GradientCheckError, match=r"cannot resolve entries of W1 \(6 of 6\)"):
        check_gradients(cost, params, planted)
    report = check_gradients(cost, params, planted, allow_unresolved=True)
    assert not report.passed and report.unresolved == 6
    assert [r.status for r in report.rows] == ["unresolved", "passed"]
    assert "unresolved" in report._repr_html_()


def test_a_block_of_small_entries_is_judged_at_its_own_scale():
    # a cost of about 15 whose gradient blocks differ 1000-fold in size: the small block is
    # still checked entry by entry (1e-3 is well above the rounding noise, about 3e-9)
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(3, 3)), rng.normal(size=(2, 2))
    f = lambda: float(10 + 0.5 * np.sum(A**2) + 0.5e-3 * np.sum(B**2))  # noqa: E731
    right = {"A": A.copy(), "B": 1e-3 * B}
    assert check_gradients(f, {"A": A, "B": B}, right).passed
    for wrong in (2e-3 * B, 1e-3 * B * (1 + 1e-3 * np.eye(2))):
        with pytest.raises(GradientCheckError, match="block B"):
            check_gradients(f, {"A": A, "B": B}, {**right, "B": wrong})


def test_a_kink_within_h_is_skipped_and_counted_not_failed():
    # ReLU network whose pre-activation of one unit sits 3e-6 from 0 along w[0, 0]
    x = np.array([[1.0], [0.5]])
    w = np.array([[0.2, -0.4], [0.7, 0.3]])
    w[0, 0] = -w[0, 1] * x[1, 0] / x[0, 0] + 3e-6  # z_0 = 3e-6 > 0, within h = 1e-5 of the kink
    v = np.array([[1.5, -2.0]])

    def f():
        return float((v @ np.maximum(w @ x, 0.0))[0, 0] ** 2)

    z = w @ x
    out = float((v @ np.maximum(z, 0))[0, 0])
    right = {"w": (2 * out * v.T * (z > 0)) @ x.T, "v": 2 * out * np.maximum(z, 0).T}
    report = check_gradients(f, {"w": w, "v": v}, right)
    assert report.passed and report.kinks >= 1
    wrong = {**right, "w": 2 * right["w"]}
    with pytest.raises(GradientCheckError):
        check_gradients(f, {"w": w, "v": v}, wrong)


def test_every_block_must_be_checked():
    params, grads, cost = two_layer()
    with pytest.raises(ValueError, match=r"missing gradients: \['W2'\]"):
        check_gradients(cost, params, {"W1": grads["W1"]})
    with pytest.raises(ValueError, match=r"missing gradients: \['W2'\]"):
        check_gradients(cost, params, {"W1": grads["W1"], "W2": None})
    with pytest.raises(ValueError, match=r"gradients with no block: \['V'\]"):
        check_gradients(cost, params, {**grads, "V": grads["W1"]})
    with pytest.raises(ValueError, match=r"block W1 must have shape \(3, 2\), got \(2, 3\)"):
        check_gradients(cost, params, {**grads, "W1": grads["W1"].T})
    with pytest.raises(ValueError, match="params is empty"):
        check_gradients(cost, {}, {})


@pytest.mark.parametrize("kwargs, match", [
    ({"tol": float("nan")}, "tol must be a finite number"),
    ({"tol": float("inf")}, "tol must be a finite number"),
    ({"tol": 0.0}, "tol must be a finite number"),
    ({"h": 0.0}, "h must be a finite number"),
    ({"h": -1e-5}, "h must be a finite number"),
    ({"floor": 5.0}, "floor must be a finite number"),
    ({"tol": "1e-7"}, "tol must be a number"),
])
def test_absurd_settings_are_refused(kwargs, match):
    params, grads, cost = two_layer()
    with pytest.raises((ValueError, TypeError), match=match):
        check_gradients(cost, params, grads, **kwargs)


def test_check_gradients_rejects_wrong_types():
    params, grads, cost = two_layer()
    with pytest.raises(TypeError, match="float64 numpy array"):
        check_gradients(cost, {"W": [[1.0]]}, {"W": grads["W1"]})
    with pytest.raises(ValueError, match="contains NaN"):
        check_gradients(cost, params, {**grads, "W1": grads["W1"] * np.nan})
    with pytest.raises(TypeError, match="f must be callable"):
        check_gradients(3.0, params, grads)


def test_check_derivative_judges_every_point_at_its_own_scale():
    z = np.linspace(-5, 20, 26)

    def wrong(t):  # sigma' thirty times too large at z = -5 only
        d = sigmoid(t) * (1 - sigmoid(t))
        return np.where(t == -5, 30 * d, d)

    with pytest.raises(GradientCheckError, match="at z = -5"):
        check_derivative(sigmoid, wrong, z, allow_unresolved=True)
    report = check_derivative(sigmoid, lambda t: sigmoid(t) * (1 - sigmoid(t)), np.linspace(-8, 8, 41))
    assert report.passed
    with pytest.raises(GradientCheckError, match="at z ="):
        check_derivative(np.sin, lambda t: np.cos(t) + 1e-6, np.linspace(-1, 1, 5))


def test_check_derivative_reports_unresolved_points_and_kinks():
    # tanh'(20) ~ 1.7e-17 is far below the rounding noise of tanh near 1
    with pytest.raises(GradientCheckError, match="cannot resolve"):
        check_derivative(np.tanh, lambda t: 1 / np.cosh(t) ** 2, np.array([20.0, 21.0]))
    r = check_derivative(np.tanh, lambda t: 1 / np.cosh(t) ** 2, np.array([20.0, 21.0]),
                         allow_unresolved=True)
    assert r.unresolved == 2 and not r.passed
    # beside a point where tanh' is 0.79, the same value is judged at that scale, absolutely
    assert check_derivative(np.tanh, lambda t: 1 / np.cosh(t) ** 2, np.array([0.5, 20.0])).passed
    # an exact zero of the derivative (2x cos x^2 at x = 0) is compared absolutely
    assert check_derivative(lambda t: np.sin(t**2), lambda t: 2 * t * np.cos(t**2),
                            np.linspace(-2, 2, 41)).passed
    # ReLU within h of its kink: skipped and counted, not failed
    r = check_derivative(lambda t: np.maximum(t, 0.0), lambda t: (t > 0).astype(float),
                         np.array([-1.0, 3e-6, 1.0]))
    assert r.passed and r.kinks == 1


def test_functions_that_return_nan_complex_or_an_array_are_reported():
    with pytest.raises(ValueError, match="finite"):
        central_difference(lambda v: float("nan"), np.zeros(2))
    with pytest.raises(ValueError, match="scalar"):
        central_difference(lambda v: v, np.zeros(2))
    with pytest.raises(TypeError, match="real number"):
        central_difference(lambda v: complex(1, 1), np.zeros(2))
    with pytest.raises(ValueError, match="h must be"):
        central_difference(lambda v: 1.0, np.zeros(2), h=0)

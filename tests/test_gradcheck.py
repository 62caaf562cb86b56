"""Finite differences: exact on known functions, and catching planted errors."""

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


def test_numerical_gradient_over_dict_and_list_restores_parameters():
    W, b = np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[0.1], [0.2]])
    x = np.array([[1.0], [2.0]])
    f = lambda: float(np.sum((W @ x + b) ** 2) / 2)  # noqa: E731
    r = W @ x + b
    as_dict = numerical_gradient(f, {"W": W, "b": b})
    as_list = numerical_gradient(f, [None, W, b])
    assert np.allclose(as_dict["W"], r @ x.T, atol=1e-8)
    assert np.allclose(as_dict["b"], r, atol=1e-8)
    assert as_list[0] is None and np.allclose(as_list[1], r @ x.T, atol=1e-8)
    assert np.array_equal(W, [[1.0, -2.0], [0.5, 3.0]])


def test_rel_error_definition():
    assert rel_error(1.0, 1.1) == pytest.approx(0.1 / 1.1)
    assert rel_error(0.0, 0.0) == 0.0
    assert rel_error(1e-9, 2e-9, tiny=1e-3) == pytest.approx(1e-9 / 1e-3)
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))


def _quadratic_model():
    rng = np.random.default_rng(3)
    W, x = rng.normal(size=(3, 2)), rng.normal(size=(2, 1))
    f = lambda: float(0.5 * np.sum(np.tanh(W @ x) ** 2))  # noqa: E731
    t = np.tanh(W @ x)
    grad = (t * (1 - t**2)) @ x.T
    return W, f, grad


def test_check_gradients_passes_a_right_gradient_and_counts_evaluations():
    W, f, grad = _quadratic_model()
    report = check_gradients(f, {"W": W}, {"W": grad})
    assert report.passed and report.max_rel_error < 1e-7
    assert report.evaluations == 2 * W.size + 1  # one more, at params, for the noise floor


def test_check_gradients_names_block_and_index_of_a_planted_error():
    W, f, grad = _quadratic_model()
    wrong = grad.copy()
    wrong[2, 1] *= 1.001  # a 0.1% error in one entry
    with pytest.raises(GradientCheckError, match=r"block W at index \(2, 1\).*relative error"):
        check_gradients(f, {"W": W}, {"W": wrong})


def test_check_gradients_rejects_mismatched_blocks_and_shapes():
    W, f, grad = _quadratic_model()
    with pytest.raises(ValueError, match="same blocks"):
        check_gradients(f, {"W": W}, {"V": grad})
    with pytest.raises(ValueError, match=r"block W must have shape \(3, 2\), got \(2, 3\)"):
        check_gradients(f, {"W": W}, {"W": grad.T})
    with pytest.raises(TypeError, match="float64 numpy array"):
        check_gradients(f, {"W": [[1.0]]}, {"W": grad})


def test_check_derivative_catches_a_wrong_derivative():
    with pytest.raises(GradientCheckError, match="at z ="):
        check_derivative(np.sin, lambda z: np.cos(z) + 1e-6, np.linspace(-1, 1, 5))


def test_function_that_returns_nan_or_an_array_is_reported():
    with pytest.raises(ValueError, match="finite"):
        central_difference(lambda v: float("nan"), np.zeros(2))
    with pytest.raises(ValueError, match="scalar"):
        central_difference(lambda v: v, np.zeros(2))


def test_noise_floor_scales_with_the_size_of_f_and_still_catches_small_errors():
    from bplib.gradcheck import noise_floor

    assert noise_floor(0.0) == 1e-3 and noise_floor(1.0) == pytest.approx(30 * 2.22e-16 / 1e-12, rel=1e-2)
    assert noise_floor(100.0) == pytest.approx(100 * noise_floor(1.0))
    # a large cost whose gradient has small entries: noise is not mistaken for an error ...
    rng = np.random.default_rng(0)
    W, x = rng.normal(size=(4, 3)), rng.normal(size=(3, 50))
    f = lambda: float(500 + 0.5 * np.sum((W @ x) ** 2) * 1e-4)  # noqa: E731
    grad = 1e-4 * (W @ x) @ x.T
    check_gradients(f, {"W": W}, {"W": grad})
    # ... but a 1 % error in one entry still is
    wrong = grad.copy()
    wrong[1, 2] *= 1.01
    with pytest.raises(GradientCheckError, match=r"index \(1, 2\)"):
        check_gradients(f, {"W": W}, {"W": wrong})

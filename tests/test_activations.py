"""Activations: derivative against SymPy's diff and against central differences."""

import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bplib import activations
from bplib.gradcheck import central_difference, check_derivative, rel_error

from .strategies import away_from, column_batches, exact, moderate

ELEMENTWISE = [n for n in activations.names() if activations.get(n).elementwise]
z_sym = sp.Symbol("z", real=True)


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(z=st.data())
@settings(max_examples=40, deadline=None)
def test_derivative_matches_sympy_diff(name, z):
    act = activations.get(name)
    value = z.draw(away_from(act.kinks))
    expected = exact(sp.diff(act.sym(z_sym), z_sym), {z_sym: value})
    got = float(act.df(np.array(value)))
    assert rel_error(got, expected, tiny=1e-12) < 1e-12


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(z=st.data())
@settings(max_examples=40, deadline=None)
def test_function_matches_sympy_expression(name, z):
    act = activations.get(name)
    value = z.draw(moderate)
    expected = exact(act.sym(z_sym), {z_sym: value})
    assert rel_error(float(act.f(np.array(value))), expected, tiny=1e-12) < 1e-12


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_differences(name):
    act = activations.get(name)
    zs = np.linspace(-5, 5, 101)
    zs = zs[np.abs(zs) > 1e-2]  # away from ReLU's kink
    report = check_derivative(act.f, act.df, zs, tol=1e-7)
    assert report.passed and report.evaluations == 3 * zs.size


def test_relu_derivative_at_zero_is_the_stated_convention():
    assert activations.relu.df(np.array([0.0]))[0] == 0.0
    assert activations.relu.kinks == (0.0,)


@given(z=column_batches())
@settings(max_examples=40, deadline=None)
def test_softmax_matches_sympy_and_sums_to_one(z):
    a = activations.softmax.f(z)
    assert np.allclose(a.sum(axis=0), 1.0)
    col = sp.Matrix(sp.symbols(f"z0:{z.shape[0]}", real=True))
    expr = activations.softmax.sym(col)
    subs = dict(zip(col, z[:, 0]))
    assert np.allclose([exact(e, subs) for e in expr], a[:, 0], rtol=1e-12)


@given(z=column_batches(), g=st.data())
@settings(max_examples=40, deadline=None)
def test_softmax_backward_is_the_jacobian_transpose_product(z, g):
    grad_a = g.draw(column_batches(n=z.shape[0], m=z.shape[1]))
    got = activations.softmax.backward(z, grad_a)
    for j in range(z.shape[1]):
        # Jacobian by central differences, column j alone
        jac = np.column_stack([
            central_difference(lambda t, i=i: activations.softmax.f(t[:, None])[i, 0], z[:, j])
            for i in range(z.shape[0])
        ]).T  # jac[i, k] = d a_i / d z_k
        assert np.allclose(jac.T @ grad_a[:, j], got[:, j], atol=1e-8)
        assert np.allclose(activations.softmax.jacobian(z[:, j]), jac, atol=1e-8)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_is_hadamard_product_for_elementwise(name):
    act = activations.get(name)
    rng = np.random.default_rng(1)
    z, g = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    assert np.array_equal(act.backward(z, g), g * act.df(z))
    assert np.array_equal(act.jacobian(z[:, 0]), np.diag(act.df(z[:, 0])))


def test_sigmoid_is_stable_at_extremes():
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            s = activations.sigmoid.f(z)
            ds = activations.sigmoid.df(z)
            sm = activations.softmax.f(np.array([[1000.0], [-1000.0], [0.0]]))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert np.all(np.isfinite(ds)) and ds[2] == 0.25
    assert np.allclose(sm[:, 0], [1.0, 0.0, 0.0])
    # the exact value far out on the left tail: e^{-50} / (1 + e^{-50})
    assert rel_error(s[1], np.exp(-50) / (1 + np.exp(-50)), tiny=0) < 1e-15


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="one of identity, relu, sigmoid, softmax, tanh; got 'swish'"):
        activations.get("swish")
    with pytest.raises(TypeError, match="must be a name"):
        activations.get(3)


@pytest.mark.parametrize("bad, exc, msg", [
    (np.array([1.0, np.nan]), ValueError, "NaN"),
    (np.array([np.inf]), ValueError, "Inf"),
    ("1.0", TypeError, "numeric"),
    (np.array(["a"]), TypeError, "dtype"),
    (None, TypeError, "numeric"),
])
def test_bad_input_is_rejected_clearly(bad, exc, msg):
    with pytest.raises(exc, match=msg):
        activations.sigmoid.f(bad)


def test_softmax_rejects_wrong_dimensions_and_has_no_elementwise_derivative():
    with pytest.raises(ValueError, match=r"shape \(n, m\)"):
        activations.softmax.f(np.zeros(3))
    with pytest.raises(ValueError, match="Jacobian"):
        activations.softmax.df(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="shape of z"):
        activations.sigmoid.backward(np.zeros((3, 2)), np.zeros((2, 3)))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_from_the_value_equals_the_derivative(name):
    act = activations.get(name)
    z = np.linspace(-4, 4, 41)
    z = z[np.abs(z) > 1e-2]
    np.testing.assert_allclose(act.df_from_a(act.f(z)), act.df(z), rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="in terms of its value"):
        activations.softmax.df_from_a(np.zeros((2, 1)))

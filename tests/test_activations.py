"""Activations: derivative against SymPy's diff and against central differences."""


import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bplib import activations
from bplib.gradcheck import central_difference

from .strategies import column_batches, exact

ELEMENTWISE = [n for n in activations.names() if activations.get(n).elementwise]
z_sym = sp.Symbol("z", real=True)


def test_elementwise_activations_are_the_entries_of_the_one_table():
    """Their value, derivative and SymPy form are tested once, in test_functions.py."""
    from bplib import functions

    for name in ELEMENTWISE:
        assert activations.get(name).core is functions.get(name)


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

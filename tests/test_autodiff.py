"""The autodiff engine against finite differences and against the hand-written backprop."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bplib import MLP
from bplib.autodiff import Value, mlp_forward, stored_bytes, toy_forward
from bplib.functions import FUNCTIONS
from bplib.gradcheck import check_gradients, rel_error
from bplib.toy import Toy

from .strategies import min_abs_preactivation, mlp_cases, seeds

TOL = 1e-7  # central differences, h = 1e-5, float64


def _leaves(arrays: dict) -> dict:
    return {k: Value(v.copy(), name=k) for k, v in arrays.items()}


def _check_against_fd(build, arrays: dict):
    """build(values) -> scalar Value; its backward must match central differences."""
    leaves = _leaves(arrays)
    build(leaves).backward()
    params = {k: v.data for k, v in leaves.items()}
    check_gradients(lambda: float(build(leaves).data), params, {k: v.grad for k, v in leaves.items()},
                    tol=TOL)


@pytest.mark.parametrize("op", ["sin", "cos", "exp", "tanh", "sigmoid", "relu", "square", "recip"])
def test_each_elementwise_rule_matches_finite_differences(op):
    rng = np.random.default_rng(1)
    u = rng.uniform(0.2, 1.5, (3, 2)) * rng.choice([-1, 1], (3, 2))  # away from relu's kink
    if op == "recip":
        u = np.abs(u) + 0.5
    weights = rng.normal(size=(3, 2))

    def build(v):
        x = v["u"]
        y = {"square": lambda: x**2, "recip": lambda: x**-1}.get(op, lambda: getattr(x, op)())()
        return (y * Value(weights)).sum()

    _check_against_fd(build, {"u": u})


def test_matmul_add_broadcast_and_mean_match_finite_differences():
    rng = np.random.default_rng(2)
    arrays = {"W": rng.normal(size=(3, 4)), "a": rng.normal(size=(4, 5)), "b": rng.normal(size=(3, 1))}
    _check_against_fd(lambda v: ((v["W"] @ v["a"] + v["b"]).tanh() - 0.3).mean(), arrays)


def test_a_node_used_twice_gets_both_contributions():
    x = Value(np.array(1.7))
    (x * x + x.sin()).backward()  # d/dx (x^2 + sin x) = 2x + cos x
    assert float(x.grad) == pytest.approx(2 * 1.7 + np.cos(1.7), rel=1e-15)


def test_backward_twice_gives_the_same_gradient():
    x = Value(np.array([0.5, -0.2]))
    y = (x.exp() * 3.0).sum()
    y.backward()
    first = x.grad.copy()
    y.backward()
    assert np.array_equal(first, x.grad)


@given(seed=seeds, funcs=st.tuples(*[st.sampled_from(sorted(FUNCTIONS))] * 3))
@settings(max_examples=25, deadline=None)
def test_reproduces_the_toy_models_hand_written_backward(seed, funcs):
    rng = np.random.default_rng(seed)
    toy = Toy(rng.uniform(-1, 1, 4), rng.uniform(-1, 1, 4), funcs=funcs)
    x, y = rng.uniform(-1, 1, 5), rng.uniform(-1, 1, 5)
    beta = [Value(toy.beta[k]) for k in range(4)]
    omega = [Value(toy.omega[k]) for k in range(4)]
    loss = toy_forward(beta, omega, x, y, funcs)
    loss.backward()
    hand = toy.backward(x, y)
    assert float(loss.data) == pytest.approx(toy.loss(x, y), rel=1e-14)
    for k in range(4):  # same operations in the same order: agreement to rounding
        assert rel_error(float(beta[k].grad), hand.dbeta[k]) < 1e-12
        assert rel_error(float(omega[k].grad), hand.domega[k]) < 1e-12


@given(mlp_cases())
@settings(max_examples=25, deadline=None)
def test_reproduces_bp1_to_bp4_on_random_networks(case):
    net, x, y = case
    if net.cost.name != "quadratic" or net.output_activation.name != net.activation.name \
            or net.activation.name not in ("sigmoid", "tanh", "relu"):
        net = MLP(net.sizes, activation="sigmoid", rng=np.random.default_rng(0))
    if net.activation.name == "relu" and min_abs_preactivation(net, x) < 1e-6:
        return  # at a kink both conventions agree on 0, but FD would not; skip the draw
    W = {l: Value(net.W[l]) for l in range(1, net.L + 1)}
    b = {l: Value(net.b[l]) for l in range(1, net.L + 1)}
    C = mlp_forward(W, b, x, y, net.activation.name)
    C.backward()
    g = net.backward(x, y)
    assert float(C.data) == pytest.approx(net.loss(x, y), rel=1e-12)
    for l in range(1, net.L + 1):
        assert np.max(rel_error(W[l].grad, g.dW[l])) < 1e-9, l
        assert np.max(rel_error(b[l].grad, g.db[l])) < 1e-9, l


def test_stored_bytes_counts_intermediates_not_leaves():
    W = Value(np.ones((30, 784)))
    x = Value(np.ones((784, 10)))
    out = (W @ x).sigmoid().sum()
    order = out.topological_order()
    assert stored_bytes(order) == 30 * 10 * 8 * 2 + 8  # z, a and the scalar sum


def test_long_chains_need_no_recursion():
    x = Value(np.array(0.1))
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    assert float(x.grad) == pytest.approx(1.0001**5000, rel=1e-10)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"\(2, 3\) @ \(2, 3\)"):
        Value(np.ones((2, 3))) @ Value(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"do not broadcast"):
        Value(np.ones((2, 3))) + Value(np.ones((3, 2)))
    with pytest.raises(ValueError, match="scalar output"):
        Value(np.ones(3)).exp().backward()
    with pytest.raises(ValueError, match="must be finite, got NaN"):
        Value(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="result of exp must be finite, got Inf"):
        Value(np.array(1000.0)).exp()
    with pytest.raises(TypeError):
        Value("abc")
    with pytest.raises(TypeError, match=r"exponent p in u \*\* p must be a real number"):
        Value(np.ones(2)) ** np.ones(2)

"""Bad input, as a new user would try it, at every public entry point of bplib.

One table. Each case calls one checked entry point with one mistake and asserts that it
raises the expected exception type **and** that the message names the argument, what
was expected and what arrived. A case that returns instead (a silent result) or takes
longer than ``TIME_LIMIT`` seconds (a hang) fails. The counts are printed at the end of
the run (``pytest_terminal_summary`` in conftest.py) and asserted: at least 300 cases,
0 silent, 0 hangs.

Out of scope by design: the unchecked cores (``bplib.functions``, ``Cost.delta``,
``MLP.feedforward`` / ``backprop`` and the other models' ``feedforward`` / ``backprop``),
which trust their input, and ``bplib.gradcheck`` / ``bplib.derive`` (the checker issue).
Right answers that must be *accepted* (np.float32 learning rates, Fortran-ordered
arrays, lists, whole-number floats from sliders) are at the end.
"""

from __future__ import annotations

import signal
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from bplib import activations, costs, exercises, explorers
from bplib.autodiff import MLPModel, ToyModel, Value, mlp_forward, toy_forward
from bplib.data import digits, one_hot, two_moons
from bplib.explorers.base import Explorer, Slider
from bplib.mlp import MLP
from bplib.rnn import RNN
from bplib.toy import ReLUNet, Toy
from bplib.train import gradient_descent, updates_per_epoch

TIME_LIMIT = 20  # seconds; a case that needs longer counts as a hang
RESULTS: Counter = Counter()


@dataclass(frozen=True)
class Case:
    id: str
    call: Any  # () -> anything; must raise
    exc: type
    says: tuple[str, ...]  # (the argument, the expected, the actual): each must be in the message


def rng():
    return np.random.default_rng(0)


# --- bad values for an array argument, as a new user would pass them -------------------------------
def bad_arrays(good: np.ndarray) -> list[tuple[str, Any, type, str, str]]:
    """(label, value, exception, expected text, actual text) for a good array ``good``."""
    def with_entry(value):
        a = np.array(good, dtype=float, copy=True)
        a.reshape(-1)[0] = value
        return a

    return [
        ("str", "0.5", TypeError, "real numeric array", "str"),
        ("None", None, TypeError, "real numeric array", "NoneType"),
        ("bool", True, TypeError, "real numeric array", "boolean"),
        ("dict", {"a": 1}, TypeError, "real numeric array", "dict"),
        ("complex", good * (1 + 1j), TypeError, "real numeric array", "complex"),
        ("strings", np.full(good.shape, "a"), TypeError, "real numeric array", "dtype <U1"),
        ("objects", np.array([object()]), TypeError, "real numeric array", "dtype object"),
        ("ragged", [[1.0, 2.0], [3.0]], ValueError, "rectangular", "ragged"),
        ("nan", with_entry(np.nan), ValueError, "must be finite", "NaN"),
        ("inf", with_entry(np.inf), ValueError, "must be finite", "Inf"),
        ("-inf", with_entry(-np.inf), ValueError, "must be finite", "-Inf"),
    ]


def array_cases(prefix: str, name: str, good: np.ndarray, make_call) -> list[Case]:
    """``make_call(value) -> callable``: the entry point with ``value`` in place of ``good``."""
    return [Case(f"{prefix}:{name}={label}", make_call(value), exc, (name, expected, actual))
            for label, value, exc, expected, actual in bad_arrays(good)]


def scalar_cases(prefix: str, name: str, bad: list[tuple], make_call) -> list[Case]:
    """bad: (label, value, exception, expected text, actual text)."""
    return [Case(f"{prefix}:{name}={label}", make_call(value), exc, (name, expected, actual))
            for label, value, exc, expected, actual in bad]


BAD_REAL = [("nan", np.nan, ValueError, "finite", "nan"), ("inf", np.inf, ValueError, "finite", "inf"),
            ("str", "0.1", TypeError, "real number", "str"), ("None", None, TypeError, "real number", "NoneType"),
            ("bool", True, TypeError, "real number", "boolean"),
            ("complex", 0.1 + 1j, TypeError, "real number", "complex"),
            ("array", np.array([0.1, 0.2]), TypeError, "real number", "shape (2,)")]
BAD_LR = BAD_REAL + [("zero", 0, ValueError, "> 0", "got 0"), ("negative", -0.5, ValueError, "> 0", "-0.5")]
BAD_COUNT = [("zero", 0, ValueError, ">= 1", "got 0"), ("negative", -3, ValueError, ">= 1", "-3"),
             ("float", 2.5, TypeError, "integer", "float"), ("bool", True, TypeError, "integer", "boolean"),
             ("str", "3", TypeError, "integer", "str"), ("None", None, TypeError, "integer", "NoneType")]
BAD_RNG = [("int", 42, TypeError, "numpy.random.Generator", "int 42"),
           ("None", None, TypeError, "numpy.random.Generator", "NoneType"),
           ("RandomState", np.random.RandomState(0), TypeError, "numpy.random.Generator", "RandomState")]
BAD_NAME = [("unknown", "gelu", ValueError, "must be one of", "'gelu'"),
            ("int", 3, TypeError, "must be a name", "int"), ("None", None, TypeError, "must be a name", "NoneType")]
BAD_OPTIONAL_NAME = BAD_NAME[:2]  # None means "the default" there
BAD_OPTIONAL_COUNT = BAD_COUNT[:5]  # None means "all" there


def table() -> list[Case]:
    cases: list[Case] = []
    add = cases.extend
    z = np.array([[0.5, -1.0], [2.0, 0.0]])

    # --- activations -----------------------------------------------------------------------
    for act in (activations.sigmoid, activations.tanh, activations.relu, activations.identity,
                activations.softmax):
        add(array_cases(f"{act.name}.f", "z", z, lambda v, f=act.f: lambda: f(v)))
        add(array_cases(f"{act.name}.backward", "z", z, lambda v, f=act.backward: lambda: f(v, z)))
        add(array_cases(f"{act.name}.backward", "grad_a", z, lambda v, f=act.backward: lambda: f(z, v)))
    for act in (activations.sigmoid, activations.tanh):
        add(array_cases(f"{act.name}.df", "z", z, lambda v, f=act.df: lambda: f(v)))
        add(array_cases(f"{act.name}.df_from_a", "a", z, lambda v, f=act.df_from_a: lambda: f(v)))
    add(array_cases("tanh.jacobian", "z", z[:, 0], lambda v: lambda: activations.tanh.jacobian(v)))
    add(scalar_cases("activations.get", "activation", BAD_NAME, lambda v: lambda: activations.get(v)))
    add([Case("softmax.f:z=1-D", lambda: activations.softmax.f(np.zeros(3)), ValueError, ("z", "(n, m)", "(3,)")),
         Case("softmax.df", lambda: activations.softmax.df(z), ValueError, ("softmax", "elementwise", "Jacobian")),
         Case("sigmoid.backward:shapes", lambda: activations.sigmoid.backward(z, z[:, :1]), ValueError,
              ("grad_a", "(2, 2)", "(2, 1)")),
         Case("tanh.jacobian:matrix", lambda: activations.tanh.jacobian(np.zeros((2, 2))), ValueError,
              ("z", "(n,)", "(2, 2)"))])

    # --- costs -----------------------------------------------------------------------------
    a, yq = np.array([[0.2, 0.7], [0.6, 0.1]]), np.array([[0.0, 1.0], [1.0, 0.0]])
    for cost in (costs.quadratic, costs.cross_entropy, costs.log_likelihood):
        add(array_cases(f"{cost.name}.value", "a", a, lambda v, c=cost: lambda: c.value(v, yq)))
        add(array_cases(f"{cost.name}.value", "y", yq, lambda v, c=cost: lambda: c.value(a, v)))
        add(array_cases(f"{cost.name}.grad", "a", a, lambda v, c=cost: lambda: c.grad(v, yq)))
        add(array_cases(f"{cost.name}.grad", "y", yq, lambda v, c=cost: lambda: c.grad(a, v)))
        add([Case(f"{cost.name}.value:empty", lambda c=cost: c.value(np.zeros((2, 0)), np.zeros((2, 0))),
                  ValueError, ("a", "at least one example", "(2, 0)")),
             Case(f"{cost.name}.value:shapes", lambda c=cost: c.value(a, yq.T[:1]), ValueError,
                  ("y", "(2, 2)", "(1, 2)")),
             Case(f"{cost.name}.per_example:1-D", lambda c=cost: c.per_example(a[0], yq[0]), ValueError,
                  ("a", "2 dimensions", "(2,)"))])
    add(array_cases("cross_entropy.per_example_from_z", "z", z,
                    lambda v: lambda: costs.cross_entropy.per_example_from_z(v, yq)))
    add(scalar_cases("costs.get", "cost", BAD_NAME, lambda v: lambda: costs.get(v)))
    add([Case("log_likelihood:y sums to 2", lambda: costs.log_likelihood.grad(a, np.ones((2, 2))), ValueError,
              ("y", "summing to 1", "summing to 2")),
         Case("log_likelihood:y negative", lambda: costs.log_likelihood.value(a, -yq), ValueError,
              ("y", "[0, 1]", "-1")),
         Case("cross_entropy:y > 1", lambda: costs.cross_entropy.value(a, 3 * yq), ValueError, ("y", "[0, 1]", "3")),
         Case("cross_entropy:a > 1", lambda: costs.cross_entropy.value(a + 1, yq), ValueError,
              ("a", "[0, 1]", "1.7")),
         Case("quadratic.per_example_from_z", lambda: costs.quadratic.per_example_from_z(z, yq), ValueError,
              ("cost", "formula in terms of z", "quadratic"))])

    # --- MLP ---------------------------------------------------------------------------------
    def net(**kw):
        return MLP([2, 3, 2], rng=rng(), **kw)

    x, y = np.array([[0.1, 0.5, -0.3], [0.2, -0.1, 0.4]]), np.array([[0.1, 0.9, 0.5], [0.3, 0.2, 0.8]])
    add(array_cases("MLP.forward", "x", x, lambda v: lambda: net().forward(v)))
    add(array_cases("MLP.predict", "x", x, lambda v: lambda: net().predict(v)))
    add(array_cases("MLP.backward", "x", x, lambda v: lambda: net().backward(v, y)))
    add(array_cases("MLP.backward", "y", y, lambda v: lambda: net().backward(x, v)))
    add(array_cases("MLP.loss", "x", x, lambda v: lambda: net().loss(v, y)))
    add(array_cases("MLP.loss", "y", y, lambda v: lambda: net().loss(x, v)))
    add(array_cases("MLP.gradients", "y", y, lambda v: lambda: net().gradients(x, v)))
    add(array_cases("MLP.backward_loop", "x", x, lambda v: lambda: net().backward_loop(v, y)))

    def set_weight(v):
        n = net()
        n.W[1] = v

    add(array_cases("MLP.W[1]=", "W[1]", np.zeros((3, 2)), lambda v: lambda: set_weight(v)))
    W0, b0 = {1: np.zeros((3, 2)), 2: np.zeros((2, 3))}, {1: np.zeros((3, 1)), 2: np.zeros((2, 1))}
    add(array_cases("MLP.from_weights", "W[1]", W0[1], lambda v: lambda: MLP.from_weights({1: v, 2: W0[2]}, b0)))
    add(array_cases("MLP.from_weights", "b[2]", b0[2], lambda v: lambda: MLP.from_weights(W0, {1: b0[1], 2: v})))
    add(scalar_cases("MLP", "sizes[1]", BAD_COUNT, lambda v: lambda: MLP([2, v, 1], rng=rng())))
    add(scalar_cases("MLP", "rng", BAD_RNG, lambda v: lambda: MLP([2, 2], rng=v)))
    add(scalar_cases("MLP", "activation", BAD_NAME, lambda v: lambda: MLP([2, 2], activation=v, rng=rng())))
    add(scalar_cases("MLP", "output_activation", BAD_OPTIONAL_NAME,
                     lambda v: lambda: MLP([2, 2], output_activation=v, rng=rng())))
    add(scalar_cases("MLP", "cost", BAD_NAME, lambda v: lambda: MLP([2, 2], cost=v, rng=rng())))
    add(scalar_cases("MLP.step", "lr", BAD_LR, lambda v: lambda: (lambda n: n.step(n.backward(x, y), v))(net())))
    other = MLP([2, 4, 2], rng=rng())

    def stale(n=None):
        n = net()
        n.backward(x, y, cache=n.forward(x[:, :2]))

    add([Case("MLP:sizes str", lambda: MLP("2,3", rng=rng()), TypeError, ("sizes", "list of layer widths", "str")),
         Case("MLP:sizes one", lambda: MLP([2], rng=rng()), ValueError, ("sizes", "input and an output", "[2]")),
         Case("MLP:softmax hidden", lambda: MLP([2, 2, 2], activation="softmax", output_activation="sigmoid",
                                                rng=rng()), ValueError, ("activation", "elementwise", "softmax")),
         Case("MLP:log_likelihood sigmoid", lambda: MLP([2, 2], cost="log_likelihood", rng=rng()), ValueError,
              ("output_activation", "'softmax'", "'sigmoid'")),
         Case("MLP:cross_entropy tanh", lambda: MLP([2, 2], activation="tanh", cost="cross_entropy", rng=rng()),
              ValueError, ("output_activation", "'sigmoid'", "'tanh'")),
         Case("MLP.forward:x 1-D", lambda: net().forward(x[:, 0]), ValueError, ("x", "(2, m)", "(2,)")),
         Case("MLP.forward:x transposed", lambda: net().forward(x.T), ValueError, ("x", "(2, m)", "(3, 2)")),
         Case("MLP.forward:no examples", lambda: net().forward(np.zeros((2, 0))), ValueError,
              ("x", "at least one example", "(2, 0)")),
         Case("MLP.backward:y shape", lambda: net().backward(x, y[:, :2]), ValueError, ("y", "(2, 3)", "(2, 2)")),
         Case("MLP.backward:cache of another x", stale, ValueError, ("cache", "forward(x) of this x", "another")),
         Case("MLP.backward:cache dict", lambda: net().backward(x, y, cache={}), TypeError,
              ("cache", "Cache", "dict")),
         Case("MLP.backward:cache of another network", lambda: net().backward(x, y, cache=other.forward(x)),
              ValueError, ("cache", "this network", "z shapes")),
         Case("MLP.step:grads of another network", lambda: net().step(other.backward(x, y), 0.1), ValueError,
              ("grads", "this one's sizes [2, 3, 2]", "[2, 4, 2]")),
         Case("MLP.step:grads dict", lambda: net().step(net().gradients(x, y), 0.1), TypeError,
              ("grads", "Grads", "dict")),
         Case("MLP.W[0]", lambda: net().W[0], IndexError, ("W[0]", "1..2", "layer 0 is the input")),
         Case("MLP.W[3]", lambda: net().W[3], IndexError, ("W[3]", "1..2", "got 3")),
         Case("MLP.W['1']", lambda: net().W["1"], TypeError, ("W[...]", "layer number", "str")),
         Case("MLP.W[1.0]", lambda: net().W[1.0], TypeError, ("W[...]", "layer number", "float")),
         Case("MLP.W[True]", lambda: net().W[True], TypeError, ("W[...]", "layer number", "bool")),
         Case("MLP.W[1]=shape", lambda: set_weight(np.zeros((2, 3))), ValueError, ("W[1]", "(3, 2)", "(2, 3)")),
         Case("MLP.from_weights:W str", lambda: MLP.from_weights("W", b0), TypeError, ("W", "dict", "str")),
         Case("MLP.from_weights:W keys", lambda: MLP.from_weights({0: W0[1], 1: W0[2]}, b0), ValueError,
              ("W", "layers 1..L", "[0, 1]")),
         Case("MLP.from_weights:b count", lambda: MLP.from_weights(W0, {1: b0[1]}), ValueError,
              ("b", "one entry per layer of W (2)", "got 1")),
         Case("MLP.from_weights:W chain", lambda: MLP.from_weights({1: W0[1], 2: np.zeros((2, 4))}, b0), ValueError,
              ("W[2]", "(2, 3)", "(2, 4)")),
         Case("MLP.from_weights:b shape", lambda: MLP.from_weights(W0, {1: np.zeros((3, 2)), 2: b0[2]}),
              ValueError, ("b[1]", "(3, 1)", "(3, 2)")),
         Case("MLP.loss:log_likelihood labels", lambda: MLP([2, 3], cost="log_likelihood", output_activation="softmax",
                                                        rng=rng()).loss(x, np.array([[0.0, 1, 2]] * 3)),
              ValueError, ("y", "[0, 1]", "2"))])

    # --- Toy and ReLUNet -----------------------------------------------------------------------
    beta, omega, xt, yt = np.zeros(4), np.full(4, 0.5), np.array([0.1, 0.4]), np.array([0.3, -0.2])
    add(array_cases("Toy", "beta", beta, lambda v: lambda: Toy(v, omega)))
    add(array_cases("Toy", "omega", omega, lambda v: lambda: Toy(beta, v)))
    add(array_cases("Toy.loss", "x", xt, lambda v: lambda: Toy(beta, omega).loss(v, yt)))
    add(array_cases("Toy.loss", "y", yt, lambda v: lambda: Toy(beta, omega).loss(xt, v)))
    add(array_cases("Toy.gradients", "x", xt, lambda v: lambda: Toy(beta, omega).gradients(v, yt)))
    add(array_cases("Toy.backward", "y", yt, lambda v: lambda: Toy(beta, omega).backward(xt, v)))

    def toy_with_nan():
        toy = Toy(beta, omega)
        toy.beta[0] = np.nan
        return toy.loss(xt, yt)

    add([Case("Toy:funcs str", lambda: Toy(beta, omega, funcs="sin"), TypeError, ("funcs", "3 function names", "str")),
         Case("Toy:funcs two", lambda: Toy(beta, omega, funcs=("sin", "exp")), ValueError, ("funcs", "3", "2")),
         Case("Toy:funcs unknown", lambda: Toy(beta, omega, funcs=("sin", "relu6", "cos")), ValueError,
              ("function", "one of", "'relu6'")),
         Case("Toy:beta (3,)", lambda: Toy(np.zeros(3), omega), ValueError, ("beta", "(4,)", "(3,)")),
         Case("Toy:omega 2-D", lambda: Toy(beta, np.zeros((2, 2))), ValueError, ("omega", "1 dimension", "(2, 2)")),
         Case("Toy.loss:x 2-D", lambda: Toy(beta, omega).loss(np.zeros((2, 2)), np.zeros((2, 2))), ValueError,
              ("x", "1-D", "(2, 2)")),
         Case("Toy.loss:x empty", lambda: Toy(beta, omega).loss(np.zeros(0), np.zeros(0)), ValueError,
              ("x", "non-empty", "(0,)")),
         Case("Toy.loss:y shape", lambda: Toy(beta, omega).loss(xt, np.zeros(3)), ValueError, ("y", "(2,)", "(3,)")),
         Case("Toy.loss:beta set to NaN", toy_with_nan, ValueError, ("beta", "finite", "NaN")),
         Case("Toy.loss:overflow", lambda: Toy(beta, np.full(4, 800.0), funcs=("exp",) * 3).loss(xt, yt), ValueError,
              ("loss", "finite", "overflowed"))])
    X, Y = np.zeros((3, 2)) + 0.3, np.zeros((2, 2))
    add(array_cases("ReLUNet.loss", "x", X, lambda v: lambda: ReLUNet([3, 4, 2], rng=rng()).loss(v, Y)))
    add(array_cases("ReLUNet.loss", "y", Y, lambda v: lambda: ReLUNet([3, 4, 2], rng=rng()).loss(X, v)))
    add(array_cases("ReLUNet.gradients", "x", X, lambda v: lambda: ReLUNet([3, 4, 2], rng=rng()).gradients(v, Y)))
    add(scalar_cases("ReLUNet", "rng", BAD_RNG, lambda v: lambda: ReLUNet([3, 2], rng=v)))
    add(scalar_cases("ReLUNet", "sizes[0]", BAD_COUNT, lambda v: lambda: ReLUNet([v, 2], rng=rng())))

    def relu_with_inf():
        r = ReLUNet([3, 4, 2], rng=rng())
        r.Omega[0][0, 0] = np.inf
        return r.loss(X, Y)

    add([Case("ReLUNet.backward:relu_as", lambda: ReLUNet([3, 2], rng=rng()).backward(X, Y, "dense"), ValueError,
              ("relu_as", "'mask' or 'diagonal'", "'dense'")),
         Case("ReLUNet.loss:x shape", lambda: ReLUNet([3, 2], rng=rng()).loss(X.T, Y), ValueError,
              ("x", "(3, m)", "(2, 3)")),
         Case("ReLUNet.loss:y shape", lambda: ReLUNet([3, 2], rng=rng()).loss(X, Y[:, :1]), ValueError,
              ("y", "(2, 2)", "(2, 1)")),
         Case("ReLUNet.loss:Omega set to Inf", relu_with_inf, ValueError, ("Omega[0]", "finite", "Inf")),
         Case("ReLUNet:sizes str", lambda: ReLUNet("3,2", rng=rng()), TypeError, ("sizes", "list", "str"))])

    # --- RNN -------------------------------------------------------------------------------------
    xs, yr = np.zeros((4, 2, 3)) + 0.1, np.zeros((1, 3))

    def rnn(**kw):
        return RNN(2, 3, 1, rng(), **kw)

    add(array_cases("RNN.loss", "xs", xs, lambda v: lambda: rnn().loss(v, yr)))
    add(array_cases("RNN.loss", "y", yr, lambda v: lambda: rnn().loss(xs, v)))
    add(array_cases("RNN.bptt", "xs", xs, lambda v: lambda: rnn().bptt(v, yr)))
    add(array_cases("RNN.gradients", "y", yr, lambda v: lambda: rnn().gradients(xs, v)))
    add(scalar_cases("RNN.bptt", "k", BAD_OPTIONAL_COUNT, lambda v: lambda: rnn().bptt(xs, yr, k=v)))
    add(scalar_cases("RNN", "n_h", BAD_COUNT, lambda v: lambda: RNN(2, v, 1, rng())))
    add(scalar_cases("RNN", "rng", BAD_RNG, lambda v: lambda: RNN(2, 3, 1, v)))
    add(scalar_cases("RNN", "scale", BAD_REAL, lambda v: lambda: rnn(scale=v)))

    def rnn_with_nan():
        r = rnn()
        r.W_r[0, 0] = np.nan
        return r.loss(xs, yr)

    add([Case("RNN.bptt:xs 2-D", lambda: rnn().bptt(xs[0], yr), ValueError, ("xs", "(T, 2, m)", "(2, 3)")),
         Case("RNN.bptt:xs n_x", lambda: rnn().bptt(np.zeros((4, 3, 3)), yr), ValueError,
              ("xs", "(T, 2, m)", "(4, 3, 3)")),
         Case("RNN.bptt:T = 0", lambda: rnn().bptt(np.zeros((0, 2, 3)), yr), ValueError,
              ("xs", "at least one time step", "(0, 2, 3)")),
         Case("RNN.bptt:y shape", lambda: rnn().bptt(xs, np.zeros((1, 4))), ValueError, ("y", "(1, 3)", "(1, 4)")),
         Case("RNN.loss:W_r set to NaN", rnn_with_nan, ValueError, ("W_r", "finite", "NaN")),
         Case("RNN:softmax", lambda: rnn(activation="softmax"), ValueError, ("activation", "elementwise", "softmax")),
         Case("RNN:bias str", lambda: rnn(bias="yes"), TypeError, ("bias", "True or False", "str")),
         Case("RNN.loss:overflow", lambda: RNN(2, 3, 1, rng(), activation="identity", scale=1e200).loss(xs + 1e100, yr),
              ValueError, ("loss", "finite", "overflowed"))])

    # --- autodiff ---------------------------------------------------------------------------------
    add(array_cases("Value", "data", z, lambda v: lambda: Value(v)))
    add(array_cases("toy_forward", "x", xt, lambda v: lambda: toy_forward([Value(0.1)] * 4, [Value(0.5)] * 4, v, yt)))
    Wv, bv = {1: Value(np.zeros((3, 2)))}, {1: Value(np.zeros((3, 1)))}
    add(array_cases("mlp_forward", "x", x, lambda v: lambda: mlp_forward(Wv, bv, v, np.zeros((3, 3)))))
    add(array_cases("ToyModel.loss", "x", xt, lambda v: lambda: ToyModel(beta, omega).loss(v, yt)))
    add(array_cases("MLPModel.gradients", "y", y, lambda v: lambda: MLPModel([2, 3, 2], rng=rng()).gradients(x, v)))
    add(scalar_cases("Value.__pow__", "exponent p", BAD_REAL, lambda v: lambda: Value(2.0) ** v))
    add([Case("Value(Value)", lambda: Value(Value(1.0)), TypeError, ("data", "number or an array", "Value")),
         Case("sqrt at 0 backward", lambda: (Value(0.0) ** 0.5).backward(), ValueError,
              ("gradient", "finite", "**0.5")),
         Case("Value / 0", lambda: Value(1.0) / 0, ValueError, ("divisor", "nonzero", "0")),
         Case("Value / str", lambda: Value(1.0) / "2", TypeError, ("divisor", "real number", "str")),
         Case("Value ** Value", lambda: Value(2.0) ** Value(2.0), TypeError, ("exponent p", "constant number",
                                                                              "Value")),
         Case("Value @ shapes", lambda: Value(np.ones((2, 3))) @ Value(np.ones((2, 3))), ValueError,
              ("@", "(n, k) @ (k, m)", "(2, 3) @ (2, 3)")),
         Case("Value + shapes", lambda: Value(np.ones((2, 3))) + Value(np.ones((3, 2))), ValueError,
              ("+", "broadcast", "(2, 3) and (3, 2)")),
         Case("Value.backward non-scalar", lambda: Value(np.ones(3)).exp().backward(), ValueError,
              ("backward()", "scalar output", "(3,)")),
         Case("Value.exp overflow", lambda: Value(1000.0).exp(), ValueError, ("result of exp", "finite", "Inf")),
         Case("Value.apply unknown", lambda: Value(1.0).apply("log"), ValueError, ("function", "one of", "'log'")),
         Case("toy_forward 3 betas", lambda: toy_forward([Value(0.1)] * 3, [Value(0.5)] * 4, xt, yt), TypeError,
              ("beta", "list of 4 Values", "list")),
         Case("mlp_forward W arrays", lambda: mlp_forward({1: np.zeros((3, 2))}, bv, x, y), TypeError,
              ("W", "dict {l: Value}", "dict")),
         Case("MLPModel softmax", lambda: MLPModel([2, 2], activation="softmax", rng=rng()), ValueError,
              ("activation", "elementwise", "softmax"))])

    # --- train and data ------------------------------------------------------------------------------
    add(array_cases("gradient_descent", "x", x, lambda v: lambda: gradient_descent(net(), v, y, lr=0.1, epochs=1)))
    add(array_cases("gradient_descent", "y", y, lambda v: lambda: gradient_descent(net(), x, v, lr=0.1, epochs=1)))
    add(scalar_cases("gradient_descent", "lr", BAD_LR, lambda v: lambda: gradient_descent(net(), x, y, lr=v, epochs=1)))
    add(scalar_cases("gradient_descent", "epochs", BAD_COUNT,
                     lambda v: lambda: gradient_descent(net(), x, y, lr=0.1, epochs=v)))
    add(scalar_cases("gradient_descent", "batch_size", BAD_OPTIONAL_COUNT,
                     lambda v: lambda: gradient_descent(net(), x, y, lr=0.1, epochs=1, batch_size=v, rng=rng())))
    add(scalar_cases("gradient_descent", "rng", BAD_RNG,
                     lambda v: lambda: gradient_descent(net(), x, y, lr=0.1, epochs=1, batch_size=1, rng=v)))
    add(scalar_cases("updates_per_epoch", "n_examples", BAD_COUNT, lambda v: lambda: updates_per_epoch(v, 10)))
    add([Case("gradient_descent:no model", lambda: gradient_descent(object(), x, y, lr=0.1, epochs=1), TypeError,
              ("model", "params(), loss(x, y), gradients(x, y), validate(x, y) and core_gradients(x, y)", "object")),
         Case("gradient_descent:examples", lambda: gradient_descent(net(), x, y[:, :2], lr=0.1, epochs=1), ValueError,
              ("y", "as many examples (last axis) as x (3)", "got 2")),
         Case("gradient_descent:x_test alone", lambda: gradient_descent(net(), x, y, lr=0.1, epochs=1, x_test=x),
              ValueError, ("x_test and y_test", "together", "only one"))])
    add(scalar_cases("one_hot", "n_classes", BAD_COUNT, lambda v: lambda: one_hot(np.array([0, 1]), v)))
    add(scalar_cases("digits", "rng", BAD_RNG, lambda v: lambda: digits(v)))
    add(scalar_cases("digits", "test_fraction", BAD_REAL, lambda v: lambda: digits(rng(), v)))
    add(scalar_cases("two_moons", "m", BAD_COUNT, lambda v: lambda: two_moons(v, rng())))
    add(scalar_cases("two_moons", "noise", BAD_REAL, lambda v: lambda: two_moons(10, rng(), v)))
    add([Case("one_hot:floats", lambda: one_hot(np.array([0.0, 1.0]), 2), ValueError,
              ("labels", "integer array", "float64")),
         Case("one_hot:range", lambda: one_hot(np.array([0, 3]), 3), ValueError, ("labels", "0..2", "0..3")),
         Case("one_hot:str", lambda: one_hot("01", 2), TypeError, ("labels", "integer array", "str")),
         Case("digits:test_fraction 1.5", lambda: digits(rng(), 1.5), ValueError, ("test_fraction", "(0, 1)", "1.5")),
         Case("two_moons:noise -1", lambda: two_moons(10, rng(), -1.0), ValueError, ("noise", ">= 0", "-1"))])

    # --- exercises (the author's side: the reader's side is reported, see test_exercises) --------
    add(array_cases("check_array", "reference", z, lambda v: lambda: exercises.check_array(z, v)))
    add(array_cases("check_function", "points", z, lambda v: lambda: exercises.check_function(np.sin, np.sin, v)))
    add(scalar_cases("check_value", "reference", BAD_REAL, lambda v: lambda: exercises.check_value(0.1, v)))
    add(scalar_cases("check_value", "rtol", BAD_REAL, lambda v: lambda: exercises.check_value(0.1, 0.1, rtol=v)))
    add([Case("check_function:reference 3", lambda: exercises.check_function(np.sin, 3, [0.1]), TypeError,
              ("reference", "function", "int")),
         Case("check_function:no points", lambda: exercises.check_function(np.sin, np.sin, []), ValueError,
              ("points", "at least one point", "(0,)"))])

    # --- explorers and widgets --------------------------------------------------------------------------
    for name, call in (("sigmoid_state", explorers.sigmoid_state), ("chain_rule_state", explorers.chain_rule_state),
                       ("graph_state", explorers.graph_state)):
        arg = "z" if name == "sigmoid_state" else "x"
        add(scalar_cases(name, arg, BAD_REAL, lambda v, call=call: lambda: call(v)))
    add(scalar_cases("network_state", "x1", BAD_REAL, lambda v: lambda: explorers.network_state(v)))
    add(scalar_cases("deltas_state", "scale", BAD_REAL + [("zero", 0.0, ValueError, "> 0", "got 0")],
                     lambda v: lambda: explorers.deltas_state(v)))
    add(scalar_cases("bptt_state", "radius", BAD_REAL, lambda v: lambda: explorers.bptt_state(v)))
    add(scalar_cases("bptt_state", "T", [("1e6", 1e6, ValueError, "1..1000", "1000000"),
                                         ("0", 0, ValueError, "1..1000", "got 0"),
                                         ("nan", np.nan, ValueError, "finite", "nan")],
                     lambda v: lambda: explorers.bptt_state(1.0, T=v)))
    add(scalar_cases("bptt_state", "k", [("0", 0.0, ValueError, "1..1000", "got 0")],
                     lambda v: lambda: explorers.bptt_state(1.0, k=v)))
    measured = ([1, 2, 4, 8, 16, 30], [0.02, 0.04, 0.09, 0.17, 0.35, 0.68], [3e-5, 3e-5, 4e-5, 4e-5, 5e-5, 6e-5])
    add(scalar_cases("gradient_cost_state", "width", [("1e9", 1e9, ValueError, "1..10000", "1000000000"),
                                                      ("0", 0, ValueError, "1..10000", "got 0"),
                                                      ("inf", np.inf, ValueError, "finite", "inf")],
                     lambda v: lambda: explorers.gradient_cost_state(v, *measured)))
    add([Case("gradient_cost_explorer:widths unsorted",
              lambda: explorers.gradient_cost_explorer([1, 4, 2], [1, 2, 3], [1, 2, 3]), ValueError,
              ("widths", "increasing", "[1.0, 4.0, 2.0]")),
         Case("gradient_cost_explorer:fd_seconds nan",
              lambda: explorers.gradient_cost_explorer([1, 2], [1, np.nan], [1, 2]), ValueError,
              ("fd_seconds", "finite", "NaN")),
         Case("gradient_cost_explorer:bp_seconds length",
              lambda: explorers.gradient_cost_explorer([1, 2], [1, 2], [1]), ValueError,
              ("bp_seconds", "one time per width (2)", "got 2 and 1")),
         Case("training_state:step between snapshots", lambda: explorers.training_state(150), ValueError,
              ("step", "multiple of 100", "150")),
         Case("training_state:step beyond", lambda: explorers.training_state(10**6), ValueError,
              ("step", "0..4000", "1000000"))])
    add(scalar_cases("toy_state", "omega0", BAD_REAL[:2], lambda v: lambda: explorers.toy_state(v)))
    add(scalar_cases("Slider", "step", BAD_REAL, lambda v: lambda: Slider("z", 0.0, 1.0, v, 0.5)))
    add(scalar_cases("Slider", "min", BAD_REAL, lambda v: lambda: Slider("z", v, 1.0, 0.1, 0.5)))
    view = (lambda **kw: {}, lambda fig: {}, lambda art, st: None)
    add(scalar_cases("Slider", "static_step", [("0.25 of 0.1", 0.25, ValueError, "whole multiple", "0.25"),
                                               ("0", 0.0, ValueError, "> 0", "got 0"),
                                               ("nan", np.nan, ValueError, "finite", "nan")],
                     lambda v: lambda: Slider("z", 0.0, 1.0, 0.1, 0.5, static_step=v)))
    add([Case("Explorer:grid of one", lambda: Explorer(*view, [Slider("z", 0.0, 1.0, 0.1, 0.5)], grids=[("z",)]),
              ValueError, ("grid", "at least two sliders", "('z',)")),
         Case("Explorer:grids str", lambda: Explorer(*view, [Slider("z", 0.0, 1.0, 0.1, 0.5)], grids="z"),
              TypeError, ("grids", "list of tuples", "str")),
         Case("Explorer:too many frames",
              lambda: Explorer(*view, [Slider(n, 0.0, 10.0, 0.1, 0.5, static_step=0.1) for n in "abc"],
                               grids=[("a", "b", "c")]),
              ValueError, ("static copy", "frames", "at most 1500"))])
    add([Case("Slider:step 0", lambda: Slider("z", 0.0, 1.0, 0.0, 0.5), ValueError, ("step", "> 0", "got 0")),
         Case("Slider:min > max", lambda: Slider("z", 1.0, 0.0, 0.1, 0.5), ValueError, ("min", "< max", "1.0")),
         Case("Slider:value outside", lambda: Slider("z", 0.0, 1.0, 0.1, 2.0), ValueError, ("value", "[0.0, 1.0]", "2")),
         Case("Slider:name", lambda: Slider("1z", 0.0, 1.0, 0.1, 0.5), ValueError, ("slider name", "identifier", "'1z'")),
         Case("Explorer:no sliders", lambda: Explorer(*view, []), ValueError, ("sliders", "non-empty list", "[]")),
         Case("Explorer:sliders str", lambda: Explorer(*view, ["z"]), TypeError, ("sliders", "Slider", "str")),
         Case("Explorer:state 3", lambda: Explorer(3, view[1], view[2], [Slider("z", 0.0, 1.0, 0.1, 0.5)]), TypeError,
              ("state", "function", "int")),
         Case("Explorer.set unknown", lambda: explorers.sigmoid_explorer().set(w=1.0), ValueError,
              ("slider", "sliders: ['z']", "['w']")),
         Case("Explorer.set nan", lambda: explorers.sigmoid_explorer().set(z=np.nan), ValueError,
              ("z", "finite", "nan"))])
    return cases


CASES = table()


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_clearly(case, record_property):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    try:
        try:
            result = case.call()
        except Hang:
            RESULTS["hangs"] += 1
            record_property("bad_input", "hang")
            pytest.fail(f"{case.id}: no answer within {TIME_LIMIT} s (a hang)")
        except Exception as err:  # noqa: BLE001 - the type is asserted just below
            if not isinstance(err, case.exc):
                record_property("bad_input", "wrong type")
                pytest.fail(f"{case.id}: raised {type(err).__name__} ({err}), expected {case.exc.__name__}")
            missing = [s for s in case.says if s not in str(err)]
            record_property("bad_input", "unclear" if missing else "refused")
            assert not missing, f"{case.id}: the message does not say {missing}: {err}"
            return
        record_property("bad_input", "silent")
        pytest.fail(f"{case.id}: returned {result!r} instead of raising {case.exc.__name__} (silent)")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_the_table_is_big_and_covers_every_checked_module():
    assert len(CASES) >= 300, len(CASES)
    assert len({c.id for c in CASES}) == len(CASES), "duplicate case ids"
    prefixes = {c.id.split(":")[0].split(".")[0] for c in CASES}
    for entry in ("MLP", "Toy", "ReLUNet", "RNN", "Value", "ToyModel", "MLPModel", "gradient_descent",
                  "one_hot", "digits", "two_moons", "check_array", "check_value", "Slider", "Explorer",
                  "bptt_state", "sigmoid", "softmax", "quadratic", "log_likelihood"):
        assert entry in prefixes, entry


# --- right answers that must be accepted -------------------------------------------------------------
def test_what_a_user_may_rightly_pass_is_accepted():
    net = MLP([2, 3, 2], rng=rng())
    x = np.asfortranarray(np.array([[0.1, 0.5, -0.3], [0.2, -0.1, 0.4]]))  # F-ordered: fine
    y = [[0.1, 0.9, 0.5], [0.3, 0.2, 0.8]]  # a nested list: fine
    g = net.backward(x, y)
    for lr in (np.float32(0.1), np.float64(0.1), 1, np.array(0.1), 0.1):
        net.step(g, lr)
    assert net.backward(x[:, ::2], np.asarray(y)[:, ::2]).dW[1].shape == (3, 2)  # a strided view
    assert net.forward(np.array([[1, 2], [3, 4]], dtype=np.int32)).a[2].shape == (2, 2)  # integers
    assert explorers.bptt_state(1.0, T=30.0, k=5.0)["T"] == 30  # a slider's whole floats
    assert np.isfinite(activations.sigmoid.f(np.array([-1000.0, 1000.0]))).all()
    for v in (0.0, -0.0, 1e-300, -1e300):
        assert np.isfinite(Value(v).data)
    assert RNN(2, 3, 1, rng(), scale=np.float32(0.5)).loss(np.zeros((2, 2, 1)), np.zeros((1, 1))) >= 0
    assert Toy(np.zeros(4), [0.1, 0.2, 0.3, 0.4], funcs=["tanh", "sigmoid", "relu"]).loss(0.3, 0.1) >= 0

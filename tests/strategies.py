"""Hypothesis strategies shared by the test suite (one place, as in minitorch)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Values where every activation is smooth and far from float64 trouble.
moderate = st.floats(min_value=-6.0, max_value=6.0, allow_nan=False, allow_infinity=False)


def away_from(kinks, margin=1e-2):
    """Moderate floats at least ``margin`` away from each kink (ReLU at 0)."""
    return moderate.filter(lambda v: all(abs(v - k) > margin for k in kinks))


def arrays(shape, elements=moderate):
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def column_batches(draw, n=None, m=None, elements=moderate):
    """An (n, m) float64 array: n rows (units), m columns (examples)."""
    n = draw(st.integers(1, 5)) if n is None else n
    m = draw(st.integers(1, 7)) if m is None else m
    return draw(arrays((n, m), elements))


@st.composite
def probabilities(draw, n, m):
    """(n, m) entries in (0.02, 0.98): valid sigmoid outputs away from 0 and 1."""
    return draw(arrays((n, m), st.floats(0.02, 0.98)))


@st.composite
def one_hot(draw, n, m):
    idx = draw(hnp.arrays(np.int64, (m,), elements=st.integers(0, n - 1)))
    y = np.zeros((n, m))
    y[idx, np.arange(m)] = 1.0
    return y


seeds = st.integers(0, 2**32 - 1)


def exact(expr, subs) -> float:
    """Evaluate a SymPy expression at float inputs taken as exact rationals, to 30 digits.

    Substituting 15-digit Floats would let SymPy repeat the very cancellations the
    NumPy code is meant to avoid, and the reference would be the less accurate side.
    """
    import sympy as sp

    return float(sp.sympify(expr).subs({k: sp.Rational(float(v)) for k, v in subs.items()}).evalf(30))


# --- networks -----------------------------------------------------------------------
HIDDEN = ["sigmoid", "tanh", "relu", "identity"]
# (output activation, cost): every pairing the MLP accepts
OUTPUT_COST = [("sigmoid", "quadratic"), ("sigmoid", "cross_entropy"), ("softmax", "log_likelihood"),
               ("identity", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic")]


@st.composite
def mlp_cases(draw, max_depth=4, max_width=5, max_batch=7):
    """(net, x, y): depths 1-4 (layers with weights), widths 1-5, batches 1-7, any pairing."""
    from bplib.data import one_hot
    from bplib.mlp import MLP

    depth = draw(st.integers(1, max_depth))
    sizes = draw(st.lists(st.integers(1, max_width), min_size=depth + 1, max_size=depth + 1))
    hidden = draw(st.sampled_from(HIDDEN))
    out, cost = draw(st.sampled_from(OUTPUT_COST))
    if out == "softmax" and sizes[-1] == 1:
        sizes[-1] = 2  # a one-class softmax is constant
    m = draw(st.integers(1, max_batch))
    rng = np.random.default_rng(draw(seeds))
    net = MLP(sizes, activation=hidden, cost=cost, output_activation=out, rng=rng)
    x = rng.normal(size=(sizes[0], m))
    if cost == "log_likelihood":
        y = one_hot(rng.integers(0, sizes[-1], m), sizes[-1])
    elif cost == "cross_entropy":
        y = rng.uniform(0, 1, size=(sizes[-1], m))
    else:
        y = rng.normal(size=(sizes[-1], m))
    return net, x, y


def min_abs_preactivation(net, x) -> float:
    """How close any z^l comes to 0 (ReLU's kink)."""
    cache = net.forward(x)
    return min(float(np.min(np.abs(cache.z[l]))) for l in cache.z.layers())

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

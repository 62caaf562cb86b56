"""The input checks at bplib's public boundary.

Bad input fails at the door, with a message of one shape: *what* (the argument's
name) *must be* (the expected) *, got* (the actual). A ``TypeError`` for the wrong
kind of thing (a string, None, a boolean, a complex array), a ``ValueError`` for the
right kind with a wrong value (NaN or Inf, a shape, a range). Nothing passes silently,
and nothing fails deep inside NumPy with a broadcasting error.

These checks run once, where a user's input enters (``MLP.backward``, ``Toy.loss``,
``Activation.f``, ...); the unchecked core behind them (``MLP.backprop``,
:mod:`bplib.functions`) trusts its input, so that it can read as the equations.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["lookup", "as_float_array", "check_finite", "check_shape", "check_positive_int",
           "check_int_in_range", "check_real", "check_learning_rate", "check_rng", "check_callable",
           "describe"]


def describe(value) -> str:
    """A short description of what arrived: its type, and dtype and shape for arrays."""
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


def lookup(table: dict, key, what: str, kind: type):
    """``table[key]`` for a name ``key`` (an object of ``kind`` is passed through), or a
    TypeError / ValueError naming ``what`` and the valid names."""
    if isinstance(key, kind):
        return key
    valid = ", ".join(sorted(table))
    if not isinstance(key, str):
        raise TypeError(f"{what} must be a name (str), one of {valid}; got {type(key).__name__}")
    if key not in table:
        raise ValueError(f"{what} must be one of {valid}; got {key!r}")
    return table[key]


def as_float_array(x, name: str, *, ndim: int | None = None, finite: bool = True) -> np.ndarray:
    """Return ``x`` as a float64 array, or raise naming ``name``, the expected and the actual.

    TypeError for non-numeric input (strings, objects, None, booleans) and for complex
    numbers (their imaginary part would be silently dropped); ValueError for the wrong
    number of dimensions, and for NaN or Inf unless ``finite=False`` (the caller checks
    later, more cheaply). Any memory layout is accepted (C or Fortran order, views).
    """
    if type(x) is np.ndarray and x.dtype == np.float64:  # the common case, checked quickly
        arr = x
    else:
        if x is None or isinstance(x, (str, bytes, dict, set)) or callable(x):
            raise TypeError(f"{name} must be a real numeric array, got {describe(x)}")
        if isinstance(x, (bool, np.bool_)):
            raise TypeError(f"{name} must be a real numeric array, got a boolean {x!r}")
        try:
            arr = np.asarray(x)
        except ValueError as err:  # ragged nested lists
            raise ValueError(f"{name} must be a rectangular numeric array, got ragged {type(x).__name__} "
                             f"({err})") from None
        if np.issubdtype(arr.dtype, np.complexfloating):
            raise TypeError(f"{name} must be a real numeric array, got complex numbers (dtype {arr.dtype}); "
                            "pass x.real if the imaginary part is meant to be dropped")
        if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
        arr = arr.astype(np.float64, copy=False)
    if ndim is not None and arr.ndim != ndim:
        plural = "s" if ndim != 1 else ""
        raise ValueError(f"{name} must have {ndim} dimension{plural}, got shape {arr.shape}")
    if finite:
        check_finite(arr, name)
    return arr


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ValueError if ``arr`` holds NaN or Inf, naming the first such entry.

    One sum decides the usual case: NaN and Inf always make a sum non-finite, so a
    finite sum proves every entry finite. Only when the sum is not finite (a bad
    entry, or finite entries overflowing) are the entries scanned one by one.
    """
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf, or overflow: scan below
        total = float(arr.sum())
    if math.isfinite(total):
        return
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        value = arr[index]
        kind = "NaN" if np.isnan(value) else ("Inf" if value > 0 else "-Inf")
        where = f" at index {index}" if index else ""
        raise ValueError(f"{name} must be finite, got {kind}{where}; it contains NaN or Inf in "
                         f"{int(bad.sum())} of {arr.size} entries")


def check_shape(arr: np.ndarray, expected: tuple, name: str, *, names: tuple | None = None) -> None:
    """Raise ValueError naming both shapes when ``arr.shape != expected``.

    ``None`` in ``expected`` matches any length along that axis and is shown as
    ``m`` (examples), or as the name given at that position in ``names``.
    """
    ok = arr.ndim == len(expected) and all(e is None or e == s for e, s in zip(expected, arr.shape))
    if not ok:
        labels = names or ("m",) * len(expected)
        parts = [str(lab) if e is None else str(e) for e, lab in zip(expected, labels)]
        shown = "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
        raise ValueError(f"{name} must have shape {shown}, got {arr.shape}")


def check_positive_int(value, name: str) -> int:
    """Return ``value`` if it is an integer >= 1, else raise."""
    return check_int_in_range(value, name, 1, None)


def check_int_in_range(value, name: str, low: int, high: int | None, *, whole_floats: bool = False) -> int:
    """Return ``value`` as an int in ``[low, high]`` (``high=None``: no upper bound).

    ``whole_floats=True`` also takes a float with no fractional part (a slider's 30.0).
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, got a boolean {value!r}")
    if whole_floats and isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        if not math.isfinite(value) or value != int(value):
            raise ValueError(f"{name} must be a whole number, got {value!r}")
        value = int(value)
    if not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {describe(value)}")
    value = int(value)
    if value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"in {low}..{high}"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


def check_real(value, name: str, *, low: float | None = None, high: float | None = None,
               low_open: bool = False) -> float:
    """Return ``value`` as a finite float within the bounds, else raise.

    Accepts Python and NumPy reals (``np.float32(0.1)`` included), not booleans,
    strings, complex numbers or arrays of more than one entry.
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number, got a boolean {value!r}")
    if isinstance(value, np.ndarray) and value.size == 1 and np.issubdtype(value.dtype, np.number):
        value = value.reshape(())[()]
    if not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {describe(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low:g}, got {value:g}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high:g}, got {value:g}")
    return value


def check_learning_rate(lr) -> float:
    """A learning rate: a finite real number > 0 (``np.float32(0.1)`` is one; ``True`` is not)."""
    if type(lr) is float and 0.0 < lr < math.inf:  # the common case, checked quickly
        return lr
    return check_real(lr, "lr", low=0.0, low_open=True)


def check_rng(rng) -> np.random.Generator:
    """Insist on an explicit ``numpy.random.Generator`` (no global random state)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator, e.g. np.random.default_rng(0); "
            f"got {describe(rng)}"
        )
    return rng


def check_callable(f, name: str):
    """Return ``f`` if it can be called, else raise TypeError."""
    if not callable(f):
        raise TypeError(f"{name} must be a function, got {describe(f)}")
    return f

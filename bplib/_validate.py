"""Input checks shared by every bplib function.

Bad input should fail at the door with a message that names what was expected
and what arrived, never deep inside NumPy with a broadcasting error.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def as_float_array(x, name: str, *, ndim: int | None = None, finite: bool = True) -> np.ndarray:
    """Return ``x`` as a float64 array, or raise a clear error.

    TypeError for non-numeric input (strings, objects, None, booleans);
    ValueError for NaN or Inf (unless ``finite=False``: the caller checks later)
    and for the wrong number of dimensions.
    """
    if type(x) is np.ndarray and x.dtype == np.float64:  # the common case, checked quickly
        if ndim is not None and x.ndim != ndim:
            raise ValueError(f"{name} must have {ndim} dimension(s), got shape {x.shape}")
        if finite:
            check_finite(x, name)
        return x
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a numeric array, got {type(x).__name__}")
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be a numeric array, got a boolean")
    arr = np.asarray(x)
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.number) and not np.issubdtype(arr.dtype, np.complexfloating)
    ):
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if finite:
        check_finite(arr, name)
    return arr


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ValueError if ``arr`` holds NaN or Inf.

    One sum decides the usual case: NaN and Inf always make a sum non-finite, so a
    finite sum proves every entry finite. Only when the sum is not finite (a bad
    entry, or finite entries overflowing) are the entries scanned one by one.
    """
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf, or overflow: scan below
        total = float(arr.sum())
    if math.isfinite(total):
        return
    if not np.all(np.isfinite(arr)):
        bad = "NaN" if np.any(np.isnan(arr)) else "Inf"
        raise ValueError(f"{name} contains {bad}; every entry must be finite")


def check_shape(arr: np.ndarray, expected: tuple, name: str) -> None:
    """Raise ValueError naming both shapes when ``arr.shape != expected``.

    ``None`` in ``expected`` matches any length along that axis.
    """
    ok = arr.ndim == len(expected) and all(
        e is None or e == s for e, s in zip(expected, arr.shape)
    )
    if not ok:
        parts = ["m" if e is None else str(e) for e in expected]
        shown = "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
        raise ValueError(f"{name} must have shape {shown}, got {arr.shape}")


def check_positive_int(value, name: str) -> int:
    """Return ``value`` if it is an integer >= 1, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def check_rng(rng) -> np.random.Generator:
    """Insist on an explicit ``numpy.random.Generator`` (no global random state)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator, e.g. np.random.default_rng(0); "
            f"got {type(rng).__name__}"
        )
    return rng

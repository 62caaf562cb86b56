"""Checks for the reader's answers to exercises.

A check compares the reader's answer with a reference and says *what* is wrong (not
computed yet, not a number, complex, NaN or Inf, the wrong shape, or the first entry
that differs and by how much), rather than only that something is. It returns an
:class:`ExerciseResult` that renders as a short message; ``result.ok`` is what the
book's build asserts for the published solutions.

The reader's answer never raises (a notebook cell should say what is wrong, not
crash); the *reference* and the tolerances come from the book's author, and a bad one
raises at once, as everywhere in bplib.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from .validate import as_float_array, check_callable, check_real, describe

__all__ = ["ExerciseResult", "check_function", "check_value", "check_array"]


@dataclass(frozen=True)
class ExerciseResult:
    ok: bool
    message: str

    def __repr__(self) -> str:
        return ("✓ " if self.ok else "✗ ") + self.message

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.ok else "#b42318"
        return f'<p style="color:{colour}"><b>{"✓" if self.ok else "✗"}</b> {html.escape(self.message)}</p>'


def _refused(message: str) -> ExerciseResult:
    return ExerciseResult(False, message)


def reader_array(candidate, name: str, what: str = "a number or an array of numbers"):
    """The reader's answer as a finite float64 array, or the :class:`ExerciseResult` saying
    why it is not one (not computed, not numeric, complex, NaN or Inf)."""
    if candidate is None:
        return _refused(f"{name} is not computed yet: replace None with your expression.")
    if isinstance(candidate, (str, bytes)) or callable(candidate):
        return _refused(f"{name} must be {what}, got {describe(candidate)}.")
    try:
        arr = np.asarray(candidate)
    except (TypeError, ValueError) as err:
        return _refused(f"{name} must be {what}, got {type(candidate).__name__} ({err}).")
    if np.issubdtype(arr.dtype, np.complexfloating):
        shown = arr.reshape(-1)[np.argmax(np.abs(arr.imag.reshape(-1)))] if arr.size else arr
        return _refused(f"{name} must be real, got a complex number ({shown}): look for the square root "
                        "or logarithm of a negative number.")
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number):
        return _refused(f"{name} must be {what}, got {describe(candidate)}.")
    arr = arr.astype(np.float64)
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        kind = "NaN" if np.isnan(arr[index]) else "Inf"
        where = f" at {list(index)}" if index else ""
        return _refused(f"{name} must be finite, got {kind}{where}: look for a division by zero or an "
                        "overflow.")
    return arr


def _answer(candidate, want: np.ndarray, name: str, what: str, rtol, atol):
    """(the reader's answer as an array of ``want``'s shape, or the result refusing it; rtol; atol)."""
    rtol, atol = check_real(rtol, "rtol", low=0.0), check_real(atol, "atol", low=0.0)
    got = reader_array(candidate, name, what)
    if isinstance(got, np.ndarray) and got.size == want.size == 1:
        got = got.reshape(want.shape)  # 0.5, [0.5] and np.array([[0.5]]) are one number alike
    if isinstance(got, np.ndarray) and got.shape != want.shape:
        got = _refused(f"{name} must be {what} of shape {want.shape}, got shape {got.shape}.")
    return got, rtol, atol


def check_function(candidate, reference, points, *, name: str = "your function",
                   rtol: float = 1e-9, atol: float = 1e-12) -> ExerciseResult:
    """Compare ``candidate(x)`` with ``reference(x)`` at each of ``points``.

    ``candidate`` may be ``None`` (not attempted yet).
    """
    check_callable(reference, "reference")
    pts = as_float_array(points, "points")
    if pts.size == 0:
        raise ValueError(f"points must hold at least one point, got shape {pts.shape}")
    want = as_float_array(reference(pts.copy()), "reference(points)")
    if candidate is None:
        return _refused(f"{name} is not written yet: replace None with your function.")
    if not callable(candidate):
        return _refused(f"{name} must be a function, got {describe(candidate)}.")
    try:
        got = candidate(pts.copy())
    except Exception as err:  # the reader's code: report, don't crash the page
        return _refused(f"{name} raised {type(err).__name__}: {err}")
    got, rtol, atol = _answer(got, want, f"{name}(x)", "one value per point (elementwise)", rtol, atol)
    if isinstance(got, ExerciseResult):
        return got
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol)
    if np.any(bad):
        i = np.flatnonzero(bad.reshape(-1))[0]
        x = pts.reshape(-1)[i]
        return _refused(f"{name} differs at {x:.4g}: it gives {got.reshape(-1)[i]:.6g}, "
                        f"the right value is {want.reshape(-1)[i]:.6g}.")
    return ExerciseResult(True, f"{name} agrees with the reference at all {pts.size} points.")


def check_value(candidate, reference, *, name: str = "your answer",
                rtol: float = 1e-8, atol: float = 1e-12) -> ExerciseResult:
    """Compare one number with the right one, saying by how much it is off."""
    reference = check_real(reference, "reference")
    got, rtol, atol = _answer(candidate, np.float64(reference), name, "one number", rtol, atol)
    if isinstance(got, ExerciseResult):
        return got
    value = float(got)
    if np.isclose(value, reference, rtol=rtol, atol=atol):
        return ExerciseResult(True, f"{name} = {value:.9g} is right.")
    hint = " (the sign is wrong)" if np.isclose(-value, reference, rtol=rtol, atol=atol) else ""
    return _refused(f"{name} = {value:.9g}, but the right value is {reference:.9g}{hint}.")


def check_array(candidate, reference, *, name: str = "your answer",
                rtol: float = 1e-9, atol: float = 1e-12) -> ExerciseResult:
    """Compare an array with the right one: shape first, then the first wrong entry."""
    want = as_float_array(reference, "reference")
    got, rtol, atol = _answer(candidate, want, name, "a numeric array", rtol, atol)
    if isinstance(got, ExerciseResult):
        return got
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol)
    if np.any(bad):
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        return _refused(f"{name}{list(idx)} = {got[idx]:.6g}, but the right value is "
                        f"{want[idx]:.6g} ({int(bad.sum())} of {bad.size} entries differ).")
    return ExerciseResult(True, f"{name} is right: all {want.size} entries agree.")

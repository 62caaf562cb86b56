"""Checks for the reader's answers to exercises.

A check compares the reader's function with bplib's at sample points and says
*what* is wrong (the first point where they differ, or the wrong shape), rather
than only that something is. It returns an :class:`ExerciseResult` that renders
as a short message; ``result.ok`` is what the book's build asserts for the
published solutions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ExerciseResult", "check_function", "check_value"]


@dataclass(frozen=True)
class ExerciseResult:
    ok: bool
    message: str

    def __repr__(self) -> str:
        return ("✓ " if self.ok else "✗ ") + self.message

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.ok else "#b42318"
        import html

        return f'<p style="color:{colour}"><b>{"✓" if self.ok else "✗"}</b> {html.escape(self.message)}</p>'


def check_function(candidate, reference, points, *, name: str = "your function",
                   rtol: float = 1e-9, atol: float = 1e-12) -> ExerciseResult:
    """Compare ``candidate(x)`` with ``reference(x)`` at each of ``points``.

    ``candidate`` may be ``None`` (not attempted yet).
    """
    if candidate is None:
        return ExerciseResult(False, f"{name} is not written yet: replace None with your function.")
    if not callable(candidate):
        return ExerciseResult(False, f"{name} must be a function, got {type(candidate).__name__}.")
    pts = np.asarray(points, dtype=np.float64)
    try:
        got = np.asarray(candidate(pts), dtype=np.float64)
    except Exception as err:  # the reader's code: report, don't crash the page
        return ExerciseResult(False, f"{name} raised {type(err).__name__}: {err}")
    want = np.asarray(reference(pts), dtype=np.float64)
    if got.shape != want.shape:
        return ExerciseResult(False, f"{name} returned shape {got.shape}; expected {want.shape} "
                                     "(it should work elementwise on an array).")
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol)
    if np.any(bad):
        i = np.flatnonzero(bad.reshape(-1))[0]
        x = pts.reshape(-1)[i]
        return ExerciseResult(False, f"{name} differs at {x:.4g}: it gives {got.reshape(-1)[i]:.6g}, "
                                     f"the right value is {want.reshape(-1)[i]:.6g}.")
    return ExerciseResult(True, f"{name} agrees with bplib at all {pts.size} points.")


def check_value(candidate, reference: float, *, name: str = "your answer",
                rtol: float = 1e-8, atol: float = 1e-12) -> ExerciseResult:
    """Compare one number with the right one, saying by how much it is off."""
    if candidate is None:
        return ExerciseResult(False, f"{name} is not computed yet: replace None with your expression.")
    try:
        value = float(candidate)
    except (TypeError, ValueError):
        return ExerciseResult(False, f"{name} must be a number, got {type(candidate).__name__}.")
    if np.isclose(value, reference, rtol=rtol, atol=atol):
        return ExerciseResult(True, f"{name} = {value:.9g} is right.")
    hint = " (the sign is wrong)" if np.isclose(-value, reference, rtol=rtol, atol=atol) else ""
    return ExerciseResult(False, f"{name} = {value:.9g}, but the right value is {reference:.9g}{hint}.")


def check_array(candidate, reference, *, name: str = "your answer",
                rtol: float = 1e-9, atol: float = 1e-12) -> ExerciseResult:
    """Compare an array with the right one: shape first, then the first wrong entry."""
    if candidate is None:
        return ExerciseResult(False, f"{name} is not computed yet: replace None with your expression.")
    try:
        got = np.asarray(candidate, dtype=np.float64)
    except (TypeError, ValueError):
        return ExerciseResult(False, f"{name} must be a numeric array, got {type(candidate).__name__}.")
    want = np.asarray(reference, dtype=np.float64)
    if got.shape != want.shape:
        return ExerciseResult(False, f"{name} has shape {got.shape}; expected {want.shape}.")
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol)
    if np.any(bad):
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        return ExerciseResult(False, f"{name}{list(idx)} = {got[idx]:.6g}, but the right value is "
                                     f"{want[idx]:.6g} ({int(bad.sum())} of {bad.size} entries differ).")
    return ExerciseResult(True, f"{name} is right: all {want.size} entries agree.")

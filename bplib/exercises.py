"""Checks for the reader's answers to exercises.

A check compares the reader's answer with a reference and says *what* is wrong (not
computed yet, not a number, complex, NaN or Inf, the wrong shape, or the first entry
that differs and by how much), rather than only that something is. It returns an
:class:`ExerciseResult` that renders as a short message; ``result.ok`` is what the
book's build asserts for the published solutions.

The reader's answer never raises (a notebook cell should say what is wrong, not
crash); the *reference* and the tolerances come from the book's author, and a bad one
raises at once, as everywhere in bplib. A reference is always an independent route
(bplib's implementation, SymPy, central differences or a published number), never the
published solution. Every check takes a ``hint``, shown when the answer is not right.

In the static web book there is no kernel: :func:`answer_box` renders an input that
checks a numeric answer in the browser against the value computed when the page was
built, with the same tolerance and hint.
"""

from __future__ import annotations

import html
import itertools
import json
from dataclasses import dataclass, replace

import numpy as np

from .validate import as_float_array, check_callable, check_real, describe

__all__ = ["ExerciseResult", "AnswerBox", "answer_box", "check_function", "check_value", "check_array",
           "check_derivation"]


@dataclass(frozen=True)
class ExerciseResult:
    ok: bool
    message: str
    hint: str = ""

    def __repr__(self) -> str:
        text = ("✓ " if self.ok else "✗ ") + self.message
        return text + (f" Hint: {self.hint}" if self.hint and not self.ok else "")

    def _repr_html_(self) -> str:
        mark = "✓" if self.ok else "✗"
        hint = (f' <span class="bplib-hint">Hint: {html.escape(self.hint)}</span>'
                if self.hint and not self.ok else "")
        return (f'<p class="bplib-check bplib-check-{"ok" if self.ok else "no"}" role="status">'
                f"<b>{mark}</b> {html.escape(self.message)}{hint}</p>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/plain": repr(self), "text/html": self._repr_html_()}
        return data, {"bplib": {"kind": "exercise-check", "ok": self.ok}}


def _with_hint(result: ExerciseResult, hint: str) -> ExerciseResult:
    if not isinstance(hint, str):
        raise TypeError(f"hint must be a str, got {describe(hint)}")
    return replace(result, hint=hint)


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
                   rtol: float = 1e-9, atol: float = 1e-12, hint: str = "") -> ExerciseResult:
    """Compare ``candidate(x)`` with ``reference(x)`` at each of ``points``.

    ``candidate`` may be ``None`` (not attempted yet).
    """
    return _with_hint(_check_function(candidate, reference, points, name, rtol, atol), hint)


def _check_function(candidate, reference, points, name, rtol, atol) -> ExerciseResult:
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
                rtol: float = 1e-8, atol: float = 1e-12, hint: str = "") -> ExerciseResult:
    """Compare one number with the right one, saying by how much it is off."""
    return _with_hint(_check_value(candidate, reference, name, rtol, atol), hint)


def _check_value(candidate, reference, name, rtol, atol) -> ExerciseResult:
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
                rtol: float = 1e-9, atol: float = 1e-12, hint: str = "") -> ExerciseResult:
    """Compare an array with the right one: shape first, then the first wrong entry."""
    return _with_hint(_check_array(candidate, reference, name, rtol, atol), hint)


def _check_array(candidate, reference, name, rtol, atol) -> ExerciseResult:
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


def check_derivation(candidate, lhs, expected, *, where=None, name: str = "your derivation",
                     hint: str = "") -> ExerciseResult:
    """A reader's :class:`~bplib.derive.Derivation` (every step of which was checked as it
    was written) must start from ``lhs`` and end at something equal to ``expected``."""
    from .derive import Derivation
    from .equality import decide

    if candidate is None:
        return _with_hint(_refused(f"{name} is not written yet: build a Derivation."), hint)
    if not isinstance(candidate, Derivation):
        return _with_hint(_refused(f"{name} must be a bplib Derivation, got {describe(candidate)}."), hint)
    start = decide(candidate.lhs, lhs, where=where)
    if not start.holds:
        return _with_hint(_refused(f"{name} starts from {candidate.lhs}, not from {lhs}."), hint)
    end = decide(candidate.result, expected, where=where)
    if not end.holds:
        return _with_hint(_refused(f"{name} ends at {candidate.result}, which is not {expected}: "
                                   f"{end.detail}."), hint)
    return ExerciseResult(True, f"{name}: {len(candidate.steps)} checked steps from {lhs} to {expected}.")


_box_ids = itertools.count()

# The whole of the answer box's script: read the number, compare, say so (no network, no kernel).
_CHECK_JS = (
    "var b=this.closest('.bplib-answer'),d=JSON.parse(b.dataset.answer),"
    "t=b.querySelector('input').value.trim().replace(/\\u2212/g,'-').replace(',','.'),v=Number(t),"
    "o=b.querySelector('output');"
    "if(t===''||!isFinite(v)){o.textContent='Type a number first (for example 0.25 or 1e-3).';return;}"
    "var ok=Math.abs(v-d.value)<=d.atol+d.rtol*Math.abs(d.value);"
    "o.textContent=ok?'\u2713 Right.':'\u2717 Not yet. Hint: '+d.hint;"
    "o.className=ok?'bplib-check-ok':'bplib-check-no';"
)


@dataclass(frozen=True)
class AnswerBox:
    """A numeric answer checked in the browser: the value computed when the page was built."""

    value: float
    rtol: float
    atol: float
    hint: str
    label: str

    def _repr_html_(self) -> str:
        uid = f"bplib-answer-{next(_box_ids)}"
        data = html.escape(json.dumps({"value": self.value, "rtol": self.rtol, "atol": self.atol,
                                       "hint": self.hint}))
        return (f'<div class="bplib-answer" data-answer="{data}" role="group" aria-labelledby="{uid}-l">'
                f'<label id="{uid}-l" for="{uid}">{html.escape(self.label)}</label> '
                f'<input id="{uid}" type="text" inputmode="decimal" autocomplete="off" '
                f'onkeydown="if(event.key===\'Enter\')this.nextElementSibling.click()"> '
                f'<button type="button" onclick="{html.escape(_CHECK_JS)}">Check</button> '
                f'<output role="status" aria-live="polite"></output></div>')

    def __repr__(self) -> str:
        return (f"AnswerBox({self.label!r}): in the web book, type your number here; in a notebook, "
                "use the check cell above.")

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/plain": repr(self), "text/html": self._repr_html_()}
        return data, {"bplib": {"kind": "answer-box", "rtol": self.rtol, "atol": self.atol}}


def answer_box(value, *, rtol: float = 1e-6, atol: float = 0.0, hint: str,
               label: str = "Your answer:") -> AnswerBox:
    """A box for the static page where a reader types a number, checked in the browser
    against ``value`` (computed when the page is built) within ``atol + rtol |value|``."""
    value = check_real(value, "value")
    rtol, atol = check_real(rtol, "rtol", low=0.0), check_real(atol, "atol", low=0.0)
    if rtol == 0 and atol == 0:
        raise ValueError("rtol and atol cannot both be 0: a typed decimal is never exact")
    if not isinstance(hint, str) or not hint.strip():
        raise TypeError(f"hint must be a non-empty str (what to try when the answer is wrong), got "
                        f"{describe(hint)}")
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {describe(label)}")
    return AnswerBox(float(value), rtol, atol, hint, label)

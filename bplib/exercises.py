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

from .i18n import tr
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
        return text + (" " + tr("Hint: {hint}").format(hint=self.hint) if self.hint and not self.ok else "")

    def _repr_html_(self) -> str:
        mark = "✓" if self.ok else "✗"
        label = tr("Hint:")
        hint = (f' <span class="bplib-hint">{html.escape(label)} {html.escape(self.hint)}</span>'
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


# The default names of the reader's answer, in the reader's language when shown.
_DEFAULT_NAMES = {"your function": lambda: tr("your function"), "your answer": lambda: tr("your answer"),
                  "your derivation": lambda: tr("your derivation")}


def _name(name: str) -> str:
    """``name`` as the messages show it: a default name translated, a chapter's own as given."""
    return _DEFAULT_NAMES[name]() if name in _DEFAULT_NAMES else name


def _describe(value) -> str:
    """What the reader gave, for a message: :func:`~bplib.validate.describe`, its array
    case in the reader's language."""
    if isinstance(value, np.ndarray):
        return tr("an array of dtype {dtype} and shape {shape}").format(dtype=value.dtype, shape=value.shape)
    return describe(value)


def reader_array(candidate, name: str, what: str | None = None):
    """The reader's answer as a finite float64 array, or the :class:`ExerciseResult` saying
    why it is not one (not computed, not numeric, complex, NaN or Inf). ``what`` it must
    be: "a number or an array of numbers" when None."""
    if what is None:
        what = tr("a number or an array of numbers")
    if candidate is None:
        return _refused(tr("{name} is not computed yet: replace None with your expression.").format(
            name=name))
    if isinstance(candidate, (str, bytes)) or callable(candidate):
        return _refused(tr("{name} must be {what}, got {got}.").format(name=name, what=what,
                                                                     got=_describe(candidate)))
    try:
        arr = np.asarray(candidate)
    except (TypeError, ValueError) as err:
        return _refused(tr("{name} must be {what}, got {type} ({error}).").format(
            name=name, what=what, type=type(candidate).__name__, error=err))
    if np.issubdtype(arr.dtype, np.complexfloating):
        shown = arr.reshape(-1)[np.argmax(np.abs(arr.imag.reshape(-1)))] if arr.size else arr
        return _refused(tr("{name} must be real, got a complex number ({value}): look for the square root "
                           "or logarithm of a negative number.").format(name=name, value=shown))
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number):
        return _refused(tr("{name} must be {what}, got {got}.").format(name=name, what=what,
                                                                     got=_describe(candidate)))
    arr = arr.astype(np.float64)
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        kind = "NaN" if np.isnan(arr[index]) else "Inf"
        if index:
            text = tr("{name} must be finite, got {kind} at {index}: look for a division by zero or an "
                      "overflow.").format(name=name, kind=kind, index=list(index))
        else:
            text = tr("{name} must be finite, got {kind}: look for a division by zero or an "
                      "overflow.").format(name=name, kind=kind)
        return _refused(text)
    return arr


def _answer(candidate, want: np.ndarray, name: str, what: str, rtol, atol):
    """(the reader's answer as an array of ``want``'s shape, or the result refusing it; rtol; atol)."""
    rtol, atol = check_real(rtol, "rtol", low=0.0), check_real(atol, "atol", low=0.0)
    got = reader_array(candidate, name, what)
    if isinstance(got, np.ndarray) and got.size == want.size == 1:
        got = got.reshape(want.shape)  # 0.5, [0.5] and np.array([[0.5]]) are one number alike
    if isinstance(got, np.ndarray) and got.shape != want.shape:
        got = _refused(tr("{name} must be {what} of shape {shape}, got shape {got}.").format(
            name=name, what=what, shape=want.shape, got=got.shape))
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
    name = _name(name)
    if candidate is None:
        return _refused(tr("{name} is not written yet: replace None with your function.").format(name=name))
    if not callable(candidate):
        return _refused(tr("{name} must be a function, got {got}.").format(
            name=name, got=_describe(candidate)))
    try:
        got = candidate(pts.copy())
    except Exception as err:  # the reader's code: report, don't crash the page
        return _refused(tr("{name} raised {error}: {message}").format(
            name=name, error=type(err).__name__, message=err))
    got, rtol, atol = _answer(got, want, f"{name}(x)", tr("one value per point (elementwise)"), rtol, atol)
    if isinstance(got, ExerciseResult):
        return got
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol)
    if np.any(bad):
        i = np.flatnonzero(bad.reshape(-1))[0]
        x = pts.reshape(-1)[i]
        return _refused(tr("{name} differs at {x:.4g}: it gives {got:.6g}, "
                           "the right value is {want:.6g}.").format(
            name=name, x=x, got=got.reshape(-1)[i], want=want.reshape(-1)[i]))
    return ExerciseResult(True, tr("{name} agrees with the reference at all {n} points.").format(
        name=name, n=pts.size))


def check_value(candidate, reference, *, name: str = "your answer",
                rtol: float = 1e-8, atol: float = 1e-12, hint: str = "") -> ExerciseResult:
    """Compare one number with the right one, saying by how much it is off."""
    return _with_hint(_check_value(candidate, reference, name, rtol, atol), hint)


def _check_value(candidate, reference, name, rtol, atol) -> ExerciseResult:
    reference = check_real(reference, "reference")
    name = _name(name)
    got, rtol, atol = _answer(candidate, np.float64(reference), name, tr("one number"), rtol, atol)
    if isinstance(got, ExerciseResult):
        return got
    value = float(got)
    if np.isclose(value, reference, rtol=rtol, atol=atol):
        return ExerciseResult(True, tr("{name} = {value:.9g} is right.").format(name=name, value=value))
    if np.isclose(-value, reference, rtol=rtol, atol=atol):
        text = tr("{name} = {value:.9g}, but the right value is {reference:.9g} (the sign is wrong).")
    else:
        text = tr("{name} = {value:.9g}, but the right value is {reference:.9g}.")
    return _refused(text.format(name=name, value=value, reference=reference))


def check_array(candidate, reference, *, name: str = "your answer",
                rtol: float = 1e-9, atol: float = 1e-12, hint: str = "") -> ExerciseResult:
    """Compare an array with the right one: shape first, then the first wrong entry."""
    return _with_hint(_check_array(candidate, reference, name, rtol, atol), hint)


def _check_array(candidate, reference, name, rtol, atol) -> ExerciseResult:
    want = as_float_array(reference, "reference")
    name = _name(name)
    got, rtol, atol = _answer(candidate, want, name, tr("a numeric array"), rtol, atol)
    if isinstance(got, ExerciseResult):
        return got
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol)
    if np.any(bad):
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        return _refused(tr("{name}{index} = {got:.6g}, but the right value is {want:.6g} ({bad} of {size} "
                           "entries differ).").format(name=name, index=list(idx), got=got[idx],
                                                      want=want[idx], bad=int(bad.sum()), size=bad.size))
    return ExerciseResult(True, tr("{name} is right: all {n} entries agree.").format(name=name, n=want.size))


def check_derivation(candidate, lhs, expected, *, where=None, name: str = "your derivation",
                     hint: str = "") -> ExerciseResult:
    """A reader's :class:`~bplib.derive.Derivation` (every step of which was checked as it
    was written) must start from ``lhs`` and end at something equal to ``expected``."""
    from .derive import Derivation
    from .equality import decide

    name = _name(name)
    if candidate is None:
        return _with_hint(_refused(tr("{name} is not written yet: build a Derivation.").format(
            name=name)), hint)
    if not isinstance(candidate, Derivation):
        return _with_hint(_refused(tr("{name} must be a bplib Derivation, got {got}.").format(
            name=name, got=_describe(candidate))), hint)
    start = decide(candidate.lhs, lhs, where=where)
    if not start.holds:
        return _with_hint(_refused(tr("{name} starts from {start}, not from {lhs}.").format(
            name=name, start=candidate.lhs, lhs=lhs)), hint)
    end = decide(candidate.result, expected, where=where)
    if not end.holds:
        return _with_hint(_refused(tr("{name} ends at {end}, which is not {expected}: {detail}.").format(
            name=name, end=candidate.result, expected=expected, detail=end.detail)), hint)
    return ExerciseResult(True, tr("{name}: {n} checked steps from {lhs} to {expected}.").format(
        name=name, n=len(candidate.steps), lhs=lhs, expected=expected))


_box_ids = itertools.count()

# The whole of the answer box's script: read the number, compare, say so (no network, no kernel).
# Its messages ({first}, {right}, {wrong}) are filled in, in the reader's language, by _check_js.
_CHECK_JS = (
    "var b=this.closest('.bplib-answer'),d=JSON.parse(b.dataset.answer),"
    "t=b.querySelector('input').value.trim().replace(/\\u2212/g,'-').replace(',','.'),v=Number(t),"
    "o=b.querySelector('output');"
    "if(t===''||!isFinite(v)){o.textContent=@FIRST@;return;}"
    "var ok=Math.abs(v-d.value)<=d.atol+d.rtol*Math.abs(d.value);"
    "o.textContent=ok?@RIGHT@:@WRONG@+d.hint;"
    "o.className=ok?'bplib-check-ok':'bplib-check-no';"
)


def _js_string(text: str) -> str:
    """``text`` as a single-quoted JavaScript string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _check_js() -> str:
    """The answer box's script with its messages in the reader's language."""
    return (_CHECK_JS.replace("@FIRST@", _js_string(tr("Type a number first (for example 0.25 or 1e-3).")))
            .replace("@RIGHT@", _js_string("\u2713 " + tr("Right.")))
            .replace("@WRONG@", _js_string("\u2717 " + tr("Not yet. Hint:") + " ")))


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
        button = tr("Check")
        data = html.escape(json.dumps({"value": self.value, "rtol": self.rtol, "atol": self.atol,
                                       "hint": self.hint}))
        return (f'<div class="bplib-answer" data-answer="{data}" role="group" aria-labelledby="{uid}-l">'
                f'<label id="{uid}-l" for="{uid}">{html.escape(self.label)}</label> '
                f'<input id="{uid}" type="text" inputmode="decimal" autocomplete="off" '
                f'onkeydown="if(event.key===\'Enter\')this.nextElementSibling.click()"> '
                f'<button type="button" onclick="{html.escape(_check_js())}">{html.escape(button)}</button> '
                f'<output role="status" aria-live="polite"></output></div>')

    def __repr__(self) -> str:
        return tr("AnswerBox({label!r}): in the web book, type your number here; in a notebook, use the "
                  "check cell above.").format(label=self.label)

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
    if label == "Your answer:":  # the default label, in the reader's language
        label = tr("Your answer:")
    return AnswerBox(float(value), rtol, atol, hint, label)

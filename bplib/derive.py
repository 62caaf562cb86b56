r"""Executable derivations: every step of a chain of equalities is checked.

Introduced in the chapter *Why backpropagation* (how to read a check); used by every chapter.

A :class:`Derivation` starts from a quantity and an expression equal to it, and
grows by ``.step(expr, why)``. Each new line is compared with the line before it by
:func:`bplib.equality.decide` as soon as it is written, so a notebook cell (and the
book's build) fails on the first wrong step with a :class:`DerivationError` naming
the step, the point where the two lines differ and both values there.

What each mark means
    ✓ (**proved**): SymPy reduced the difference of the two lines to exactly 0.
    ✓ₙ (**checked numerically**): SymPy could not reduce it within its time budget, but
    it is 0 at every sample point; the note under the derivation says how many points
    over which ranges. ≈✓ (**approximate**): the step declared a relative tolerance
    (``tol=``, for rounded published numbers) and the lines agree within it; the line
    shows :math:`\approx`. A step that is refuted, or cannot be decided, stops the
    build. So does a **vacuous** step, one that writes the line before again (the same
    SymPy object, or the same printed formula): it would show "X = X ✓" and check
    nothing. (``strict=False`` records such a step instead, marked as unchecked.)

The displayed LaTeX is printed from the very expressions that are checked. To keep
an intermediate form visible (``(1+e^{-z})^{-1}``, an un-cancelled ``(1 + e^{-z}) - 1``),
build it with ``sympy.evaluate(False)`` or ``sympy.UnevaluatedExpr``. Named
quantities (:math:`E`, :math:`\delta^l_j`, :math:`\sigma`) are symbols or undefined
functions bound to their meaning through ``where``; definitions may refer to each
other, and all are substituted before anything is differentiated.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from .equality import EqualityError, Verdict, as_expression, check_where, decide
from .i18n import tr
from .render import DerivationLine, derivation_html, reason_html

__all__ = ["Derivation", "DerivationError", "Step", "check_sizes", "latex", "product"]


class DerivationError(AssertionError):
    """A step of a derivation is wrong, vacuous, or could not be checked.

    Besides its message (in the reader's language), it says what happened in a form a
    check can test in any language: ``kind`` ("refuted", "undecided", "vacuous", or
    "unchecked" when the step cannot be compared as written), ``step`` (its index, 0
    for the first line), ``why`` (its reason), ``tol`` (its relative tolerance, if it
    declared one) and ``verdict`` (the checker's :class:`~bplib.equality.Verdict`, with
    the ``counterexample`` point of a refutation). All are None when not given.
    """

    def __init__(self, message: str = "", *, kind: str | None = None, step: int | None = None,
                 why: str | None = None, tol: float | None = None, verdict: Verdict | None = None):
        super().__init__(message)
        self.kind, self.step, self.why, self.tol, self.verdict = kind, step, why, tol, verdict


@dataclass(frozen=True)
class Step:
    """One line of a derivation: the expression, the reason, and how it was checked
    (``outcome`` is "proved", "numerical", "approximate" or "vacuous")."""

    expr: object
    why: str
    outcome: str
    detail: str = ""
    points: int = 0
    ranges: str = ""
    tol: float | None = None

    @property
    def relation(self) -> str:
        return r"\approx" if self.outcome == "approximate" else "="


class _Printer(LatexPrinter):
    """SymPy's LaTeX printer, but ``sigma(z)`` rather than ``\\sigma{\\left(z \\right)}``, and
    the Hadamard product as ``\\odot``."""

    def _print_Function(self, expr, exp=None):
        if isinstance(expr, AppliedUndef):
            name = self._deal_with_super_sub(expr.func.__name__)
            s = f"{name}({', '.join(self._print(a) for a in expr.args)})"
            return f"{s}^{{{exp}}}" if exp else s
        return super()._print_Function(expr, exp)

    def _print_HadamardProduct(self, expr):
        """``s \\odot t``, the book's (and Nielsen's) sign (SymPy prints ``s \\circ t``); a product
        factor keeps its brackets, ``(W^T \\delta) \\odot s``."""
        return r" \odot ".join(self.parenthesize(a, PRECEDENCE["Mul"], strict=False) for a in expr.args)


def latex(expr, mul_symbol: str | None = None, partial: bool = False) -> str:
    """LaTeX of ``expr`` with the terms in the order they were written.

    ``partial=True`` prints every derivative with the partial sign: SymPy writes
    d/dw for a derivative of a bare symbol such as E, which stands for a function
    of many variables here.
    """
    text = _Printer({"order": "none", "mul_symbol": mul_symbol}).doprint(expr)
    if partial:
        text = re.sub(r"\\frac\{d(\^\{\d+\})?\}\{d ", r"\\frac{\\partial\1}{\\partial ", text)
    return text


def product(*factors):
    """An unevaluated product that prints factor by factor (``a/b \\cdot c/d``)."""
    return sp.Mul(*(sp.UnevaluatedExpr(f) for f in factors), evaluate=False)


def _text(s: str) -> str:
    table = {"\\": r"\backslash ", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
             "#": r"\#", "_": r"\_", "^": r"\hat{}", "~": r"\sim "}
    return "".join(table.get(c, c) for c in s)


def _reason(why: str) -> str:
    """A reason as LaTeX: plain text, with ``$...$`` spans kept as math."""
    parts = why.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"unbalanced $ in reason {why!r}")
    return "".join(rf"\text{{{_text(p)}}}" if i % 2 == 0 else p
                   for i, p in enumerate(parts) if p)


def _check_why(why) -> str:
    if not isinstance(why, str):
        raise TypeError(f"why must be a str (the reason for the step), got {type(why).__name__}")
    _reason(why)  # an unbalanced $ fails here, at the step, not at display time
    return why


_MARK_TEX = {"proved": r"\checkmark", "numerical": r"\checkmark_{\text{num}}",
             "approximate": r"\approx\checkmark", "vacuous": None}  # vacuous: "(unchecked)", translated


def _mark_tex(outcome: str) -> str:
    return _MARK_TEX[outcome] or r"\text{" + _text(tr("(unchecked)")) + "}"


class Derivation:
    r"""A chain ``lhs = e0 = e1 = ...`` whose every link is checked.

    >>> z = sp.Symbol("z", real=True)
    >>> d = Derivation(sp.Derivative(z**2, z), 2*z, "power rule")
    >>> d = d.step(z + z, "$2z = z + z$")
    >>> d.result, d.proved
    (2*z, True)

    Parameters
    ----------
    lhs
        What is derived (shown on the left of the first line), e.g.
        ``sp.Derivative(sigma(z), z)``.
    start
        The first expression, checked equal to ``lhs``.
    why
        The reason for the first line.
    where
        Definitions that give named symbols or undefined functions their meaning,
        e.g. ``{sigma: sp.Lambda(z, 1/(1 + sp.exp(-z)))}``; substituted before each
        check (all of them, before anything is differentiated), never in the display.
    label
        An optional name (an HTML id, for ``glue`` and cross-references).
    points, seed
        How many sample points a step gets, and the seed they are drawn from.
    strict
        True (the default, and the book's mode): a vacuous step is an error.
    tol
        A relative tolerance for the first line (see :meth:`step`).
    """

    def __init__(self, lhs, start, why: str = "", *, where=None, label: str | None = None,
                 points: int = 40, seed: int = 0, mul_symbol: str | None = None,
                 partial: bool = False, strict: bool = True, tol: float | None = None):
        self.lhs = as_expression(lhs, "lhs")
        self.where = check_where(where)
        if label is not None and not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        if isinstance(points, bool) or not isinstance(points, numbers.Integral) or not 1 <= points <= 10_000:
            raise TypeError(f"points must be an integer from 1 to 10000, got {points!r}")
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
            raise TypeError(f"seed must be a non-negative integer, got {seed!r}")
        if not isinstance(strict, bool):
            raise TypeError(f"strict must be True or False, got {strict!r}")
        self.label, self.points, self.seed, self.strict = label, int(points), int(seed), strict
        self.mul_symbol, self.partial = mul_symbol, partial
        self.sizes: list = []
        self.steps: list[Step] = []
        self._anchor = self.lhs  # the last line established exactly (tolerance steps compare to it)
        self._add(as_expression(start, "start"), _check_why(why), tol)

    # --- checking -------------------------------------------------------------------------
    def _tex(self, expr) -> str:
        return latex(expr, self.mul_symbol, self.partial)

    def _previous(self):
        return self.steps[-1].expr if self.steps else self.lhs

    def _add(self, expr, why: str, tol: float | None) -> None:
        index, previous = len(self.steps), self._previous()
        head = tr("step {index} ({why!r})").format(index=index, why=why)
        facts = {"step": index, "why": why, "tol": tol}
        if expr == previous or self._tex(expr) == self._tex(previous):
            if self.strict:
                raise DerivationError(
                    tr("{head} is vacuous: it writes the line before again ({tex}), so it would show "
                       "'X = X' and check nothing. Show a visible transformation (build it with "
                       "sympy.evaluate(False)), or leave the step out.").format(
                           head=head, tex=self._tex(expr)),
                    kind="vacuous", **facts)
            self.steps.append(Step(expr, why, "vacuous", "the same as the line before"))
            return
        against = self._anchor if tol is not None else previous
        try:
            verdict: Verdict = decide(against, expr, where=self.where, points=self.points,
                                      seed=self.seed + index, tol=tol)
        except EqualityError as err:  # the step is written wrongly: a message for its author
            raise DerivationError(f"step {index} ({why!r}) cannot be checked: {err}",
                                  kind="unchecked", **facts) from None
        if verdict.outcome == "refuted":
            raise DerivationError(
                tr("{head} does not follow:\n  from  {before}\n  to    {after}\n  {detail}").format(
                    head=head, before=against, after=expr, detail=verdict.detail),
                kind="refuted", verdict=verdict, **facts)
        if verdict.outcome == "undecided":
            raise DerivationError(
                tr("{head} could not be decided: {detail}. Simplify the step, split it in two, or give "
                   "its symbols assumptions (real=True, …).").format(head=head, detail=verdict.detail),
                kind="undecided", verdict=verdict, **facts)
        self.steps.append(Step(expr, why, verdict.outcome, verdict.detail, verdict.points,
                               verdict.ranges, tol))
        if verdict.outcome != "approximate":
            self._anchor = expr

    def step(self, expr, why: str, *, tol: float | None = None) -> Derivation:
        """Add ``= expr`` (because ``why``) after checking it equals the line before.

        ``tol`` (a relative tolerance) is only for a rounded number, such as a value
        published to 9 digits: the line is shown with :math:`\\approx` and compared, within
        ``tol``, with the last line that was established exactly, so that tolerances
        never accumulate along a chain.
        """
        self._add(as_expression(expr, "expr"), _check_why(why), tol)
        return self

    @property
    def result(self):
        """The last expression of the chain."""
        return self.steps[-1].expr

    @property
    def proved(self) -> bool:
        """True when SymPy proved every step (none only numerically or approximately)."""
        return all(s.outcome == "proved" for s in self.steps)

    # --- rendering ---------------------------------------------------------------------------
    def latex(self) -> str:
        """The chain as an ``aligned`` block, one reason and check mark per line."""
        lines = []
        for i, s in enumerate(self.steps):
            left = self._tex(self.lhs) if i == 0 else ""
            why = rf"{_reason(s.why)}\;" if s.why else ""
            lines.append(rf"{left} &{s.relation} {self._tex(s.expr)} && {why}{_mark_tex(s.outcome)}")
        body = r" \\ ".join(lines)
        return rf"\begin{{aligned}} {body} \end{{aligned}}"

    def note(self) -> str:
        """One sentence on how the steps were checked (numerical steps with their points)."""
        counts = {k: sum(s.outcome == k for s in self.steps) for k in _MARK_TEX}
        n = len(self.steps)
        if counts["proved"] == n:
            text = tr("All {n} steps proved by SymPy.").format(n=n) if n > 1 else tr("Proved by SymPy.")
        else:
            text = tr("{proved} of {n} steps proved by SymPy.").format(proved=counts["proved"], n=n)
        for i, s in enumerate(self.steps):
            if s.outcome == "numerical" and s.ranges:
                text += " " + tr("Step {i} checked numerically, not proved: {detail} ({ranges}).").format(
                    i=i + 1, detail=s.detail, ranges=s.ranges)
            elif s.outcome == "numerical":
                text += " " + tr("Step {i} checked numerically, not proved: {detail}.").format(
                    i=i + 1, detail=s.detail)
            elif s.outcome == "approximate":
                text += " " + tr("Step {i} is approximate: equal within a relative {tol:g}.").format(
                    i=i + 1, tol=s.tol)
            elif s.outcome == "vacuous":
                text += " " + tr("Step {i} repeats the line before and checks nothing.").format(i=i + 1)
        if self.sizes:
            text += " " + tr("Checked for the sizes {sizes}.").format(
                sizes=", ".join(str(s) for s in self.sizes))
        return text

    def html(self) -> str:
        """The chain as HTML rows (``bplib.render``): reasons beside or under each line."""
        lines = [DerivationLine(self._tex(self.lhs) if i == 0 else "", s.relation, self._tex(s.expr),
                                reason_html(s.why), s.outcome)
                 for i, s in enumerate(self.steps)]
        return derivation_html(lines, self.note(), self.label)

    def _repr_latex_(self) -> str:
        return f"$$ {self.latex()} $$"

    def __repr__(self) -> str:
        lines = [tr("Derivation: {note}").format(note=self.note()), f"  {self.lhs}"]
        lines += [f"  {'≈' if s.outcome == 'approximate' else '='} {s.expr}    [{s.why}; {s.outcome}]"
                  for s in self.steps]
        return "\n".join(lines)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/plain": repr(self), "text/latex": self._repr_latex_(), "text/html": self.html()}
        meta = {"bplib": {"kind": "derivation", "steps": len(self.steps),
                          "outcomes": [s.outcome for s in self.steps], "label": self.label,
                          "sizes": [list(s) if isinstance(s, tuple) else s for s in self.sizes]}}
        return data, meta


def check_sizes(build: Callable[..., Derivation], sizes: Iterable) -> Derivation:
    """Build (and so check) a size-dependent derivation for every size in ``sizes``.

    Index-notation identities such as :math:`\\sum_k w_{kj}\\delta_k = (W^T\\delta)_j`
    can only be checked by SymPy for concrete widths; this runs ``build(*size)``
    (or ``build(size)`` for an int) for each and returns the last derivation, which
    renders with the list of sizes it was checked for. A ``build`` that ignores its
    size (two sizes give the same derivation) is an error: it would check one size
    and claim several.
    """
    if not callable(build):
        raise TypeError(f"build must be callable, got {type(build).__name__}")
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Iterable):
        raise TypeError(f"sizes must be a list of sizes (ints or tuples), got {type(sizes).__name__}")
    sizes = list(sizes)
    if not sizes:
        raise ValueError("sizes must name at least one size")
    seen: dict[str, object] = {}
    last = None
    for size in sizes:
        last = build(*size) if isinstance(size, tuple) else build(size)
        if not isinstance(last, Derivation):
            raise TypeError(f"build must return a Derivation, got {type(last).__name__}")
        content = sp.srepr((last.lhs, *[s.expr for s in last.steps]))
        if content in seen:
            raise DerivationError(f"build ignores its size: sizes {seen[content]} and {size} give the "
                                  "same derivation, so only one size was checked")
        seen[content] = size
    last.sizes = sizes
    return last

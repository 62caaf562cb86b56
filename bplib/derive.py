r"""Executable derivations: every step of a chain of equalities is checked.

Introduced in the chapter *The sigmoid and its derivative*; used by every chapter.

A :class:`Derivation` starts from a quantity and an expression equal to it, and
grows by ``.step(expr, why)``. Each new expression is checked equal to the one
before it as soon as the step is taken, so a notebook cell (and hence the book's
build) fails on the first wrong step with a :class:`DerivationError` naming the
step and showing the difference.

How a step is checked
    1. The difference of the two sides (after substituting ``where`` definitions
       and evaluating unevaluated derivatives) is evaluated at random points. Any
       point where it is not zero proves the step wrong.
    2. Otherwise SymPy tries to simplify the difference to zero: the step is then
       marked **symbolic** (a proof).
    3. If SymPy cannot decide, the step is marked **numerical** ("checked at N
       random points"), and the rendering says so. A step that cannot even be
       evaluated (an undefined function with no definition) raises.

The displayed LaTeX is printed from the very expressions that are checked. To
keep an intermediate form visible (``(1+e^{-z})^{-1}``, an un-cancelled
``(1 + e^{-z}) - 1``), build it with ``sympy.evaluate(False)`` or
``sympy.UnevaluatedExpr``. Named quantities (``\delta^l_j``, ``\sigma``) are
symbols or undefined functions bound to their meaning through ``where``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

__all__ = ["Derivation", "DerivationError", "Step", "check_sizes", "equal", "latex", "product"]


class DerivationError(AssertionError):
    """A step of a derivation is wrong, or could not be checked."""


@dataclass(frozen=True)
class Step:
    """One line of a derivation: the expression, the reason, how it was checked."""

    expr: object
    why: str
    method: str  # "given", "symbolic" or "numerical"
    points: int = 0


def _materialize(expr, where: Mapping):
    """Substitute definitions (repeatedly: they may refer to each other) and evaluate."""
    out = sp.sympify(expr)
    for _ in range(8):
        new = out
        for name, meaning in where.items():
            if isinstance(name, sp.FunctionClass) or isinstance(name, type):
                new = new.replace(name, meaning)
            else:
                new = new.xreplace({name: meaning})
        new = new.doit()
        if new == out:
            break
        out = new
    return out


def _sample_value(sym: sp.Symbol, rng: np.random.Generator) -> float:
    if sym.is_integer:
        lo = 1 if sym.is_positive else (0 if sym.is_nonnegative else -3)
        return float(rng.integers(lo, 4))
    mag = rng.uniform(0.2, 1.8)
    if sym.is_positive or sym.is_nonnegative:
        return mag
    if sym.is_negative:
        return -mag
    return mag if rng.random() < 0.5 else -mag


def _evaluate(expr, point) -> complex | None:
    """The value of ``expr`` at ``point`` as a complex number, or None if it has none there."""
    try:
        v = sp.sympify(expr).subs(point).evalf(30)
        if v.free_symbols or not v.is_number:
            return None
        c = complex(v)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return c if np.isfinite(c.real) and np.isfinite(c.imag) else None


def _simplifies_to_zero(d) -> bool:
    return d == 0 or sp.expand(d) == 0 or sp.simplify(d) == 0


def _difference_message(diffs, point, value) -> str:
    shown = ", ".join(f"{k} = {float(v):.4g}" for k, v in point.items())
    if len(diffs) == 1:
        text = f"the two sides differ by {sp.simplify(diffs[0])}"
    else:
        text = f"the two sides differ entrywise by {[sp.simplify(d) for d in diffs]}"
    where = f"at {shown} " if shown else ""
    return f"{text}; {where}the difference is {value.real:.6g}"


def _entries(expr) -> list:
    if isinstance(expr, sp.MatrixBase):
        return list(expr)
    return [expr]


def equal(a, b, *, where: Mapping | None = None, points: int = 40, seed: int = 0,
          simplify: bool = True) -> tuple[str, int, str]:
    """Decide whether ``a == b``.

    Returns ``(method, points, detail)`` with method ``"symbolic"`` or ``"numerical"``
    when they are equal; raises :class:`DerivationError` with the reason otherwise.
    """
    with sp.evaluate(True):  # the caller may be building steps under evaluate(False)
        return _equal(a, b, dict(where or {}), points, seed, simplify)


def _equal(a, b, where, points, seed, simplify):
    A, B = _materialize(a, where), _materialize(b, where)
    if isinstance(A, sp.MatrixBase) != isinstance(B, sp.MatrixBase):
        raise DerivationError(f"one side is a matrix and the other is not: {A!r} vs {B!r}")
    if isinstance(A, sp.MatrixBase) and A.shape != B.shape:
        raise DerivationError(f"matrix shapes differ: {A.shape} vs {B.shape}")
    diffs = [sp.sympify(x - y) for x, y in zip(_entries(A), _entries(B))]
    scales = [sp.sympify(x) for x in _entries(A)]

    # 1. numerical refutation at random points
    free = sorted(set().union(*(e.free_symbols for e in diffs + scales)), key=str)
    leftover = set().union(*(d.atoms(AppliedUndef) for d in diffs))
    if leftover and simplify and all(_simplifies_to_zero(d) for d in diffs):
        # a proof for every function f, g, ...: nothing to evaluate, nothing to refute
        return "symbolic", 0, "SymPy simplifies the difference to 0 for all functions"
    if leftover:
        raise DerivationError(
            "cannot check: undefined function(s) "
            + ", ".join(sorted(str(f.func) for f in leftover))
            + " have no definition and SymPy could not prove the step for every function;"
            " pass where={f: Lambda(...)}"
        )
    rng = np.random.default_rng(seed)
    evaluated = 0
    for _ in range(points):
        point = {s: sp.Float(_sample_value(s, rng), 30) for s in free}
        values = []
        for d, s in zip(diffs, scales):
            dv, sv = _evaluate(d, point), _evaluate(s, point)
            if dv is None or sv is None:
                break  # a pole or a branch cut at this point: the point does not count
            values.append((dv, sv))
        else:
            for dv, sv in values:
                if abs(dv) > 1e-9 * max(1.0, abs(sv)):
                    raise DerivationError(_difference_message(diffs, point, dv))
            evaluated += 1
    # 2. symbolic proof
    if simplify:
        if all(_simplifies_to_zero(d) for d in diffs):
            return "symbolic", evaluated, "SymPy simplifies the difference to 0"
    if evaluated == 0:
        raise DerivationError("cannot check: SymPy could not simplify the difference to 0 "
                              "and it could not be evaluated at any point")
    if not free:
        return "symbolic", evaluated, "the difference evaluates to 0"
    return "numerical", evaluated, f"zero at {evaluated} random points; SymPy could not simplify it"


class _Printer(LatexPrinter):
    """SymPy's LaTeX printer, but ``sigma(z)`` rather than ``\\sigma{\\left(z \\right)}``."""

    def _print_Function(self, expr, exp=None):
        if isinstance(expr, AppliedUndef):
            name = self._deal_with_super_sub(expr.func.__name__)
            s = f"{name}({', '.join(self._print(a) for a in expr.args)})"
            return f"{s}^{{{exp}}}" if exp else s
        return super()._print_Function(expr, exp)


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


class Derivation:
    r"""A chain ``lhs = e0 = e1 = ...`` whose every link is checked by SymPy.

    >>> z = sp.Symbol("z", real=True)
    >>> d = Derivation(sp.Derivative(z**2, z), 2*z, "power rule")
    >>> d = d.step(z + z, "2z = z + z")
    >>> d.result
    2*z

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
        check, never in the display.
    label
        An optional name (for ``glue`` and cross-references).
    """

    def __init__(self, lhs, start, why: str = "", *, where: Mapping | None = None,
                 label: str | None = None, points: int = 40, seed: int = 0,
                 mul_symbol: str | None = None, partial: bool = False):
        if not isinstance(why, str):
            raise TypeError(f"why must be a str, got {type(why).__name__}")
        self.lhs = sp.sympify(lhs)
        self.where = dict(where or {})
        self.label = label
        self.points = points
        self.seed = seed
        self.mul_symbol = mul_symbol
        self.partial = partial
        self.sizes: list = []
        self.steps: list[Step] = []
        self._add(sp.sympify(start), why, previous=self.lhs, index=0)

    def _add(self, expr, why, *, previous, index):
        _reason(why)  # an unbalanced $ fails here, at the step, not at display time
        try:
            method, n, _ = equal(previous, expr, where=self.where, points=self.points,
                                 seed=self.seed + index)
        except DerivationError as err:
            raise DerivationError(
                f"step {index} ({why!r}) does not follow:\n"
                f"  from  {previous}\n  to    {expr}\n  {err}"
            ) from None
        self.steps.append(Step(expr, why, method, n))

    def step(self, expr, why: str) -> Derivation:
        """Add ``= expr`` (because ``why``) after checking it equals the last expression."""
        if not isinstance(why, str):
            raise TypeError(f"why must be a str, got {type(why).__name__}")
        self._add(sp.sympify(expr), why, previous=self.steps[-1].expr, index=len(self.steps))
        return self

    @property
    def result(self):
        """The last expression of the chain."""
        return self.steps[-1].expr

    @property
    def symbolic(self) -> bool:
        """True when every step was proved symbolically (none only numerically)."""
        return all(s.method == "symbolic" for s in self.steps)

    # --- rendering --------------------------------------------------------------
    def latex(self) -> str:
        """The chain as an ``aligned`` block, one reason and check mark per line."""
        lines = []
        for i, s in enumerate(self.steps):
            left = latex(self.lhs, self.mul_symbol, self.partial) if i == 0 else ""
            mark = r"\checkmark" if s.method == "symbolic" else (
                r"\checkmark_{\text{num}}")
            why = rf"{_reason(s.why)}\;" if s.why else ""
            lines.append(rf"{left} &= {latex(s.expr, self.mul_symbol, self.partial)} && {why}{mark}")
        body = r" \\ ".join(lines)
        return rf"\begin{{aligned}} {body} \end{{aligned}}"

    def _repr_latex_(self) -> str:
        return f"$$ {self.latex()} $$"

    def summary(self) -> str:
        n_num = sum(s.method == "numerical" for s in self.steps)
        text = f"{len(self.steps)} steps checked by SymPy"
        if n_num:
            text += f" ({n_num} only numerically, at random points)"
        if self.sizes:
            text += "; for sizes " + ", ".join(str(s) for s in self.sizes)
        return text

    def __repr__(self) -> str:
        lines = [f"Derivation: {self.summary()}", f"  {self.lhs}"]
        lines += [f"  = {s.expr}    [{s.why}; {s.method}]" for s in self.steps]
        return "\n".join(lines)

    def html(self) -> str:
        """The chain as HTML rows (``bplib.render``): reasons beside or under each line."""
        from .render import DerivationLine, derivation_html, reason_html

        lines = [DerivationLine(latex(self.lhs, self.mul_symbol, self.partial) if i == 0 else "", "=",
                                latex(s.expr, self.mul_symbol, self.partial), reason_html(s.why),
                                "proved" if s.method == "symbolic" else "numerical")
                 for i, s in enumerate(self.steps)]
        return derivation_html(lines, self.summary(), self.label)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/plain": repr(self), "text/latex": self._repr_latex_(), "text/html": self.html()}
        meta = {"bplib": {"kind": "derivation", "steps": len(self.steps),
                          "methods": [s.method for s in self.steps], "label": self.label,
                          "sizes": [list(s) if isinstance(s, tuple) else s for s in self.sizes]}}
        return data, meta


def check_sizes(build: Callable[..., Derivation], sizes: Iterable) -> Derivation:
    """Build (and so check) a size-dependent derivation for every size in ``sizes``.

    Index-notation identities such as :math:`\\sum_k w_{kj}\\delta_k = (W^T\\delta)_j`
    can only be checked by SymPy for concrete widths; this runs ``build(*size)``
    (or ``build(size)`` for an int) for each and returns the last derivation, which
    renders with the list of sizes it was checked for.
    """
    sizes = list(sizes)
    if not sizes:
        raise ValueError("sizes must name at least one size")
    last = None
    for size in sizes:
        last = build(*size) if isinstance(size, tuple) else build(size)
        if not isinstance(last, Derivation):
            raise TypeError(f"build must return a Derivation, got {type(last).__name__}")
    last.sizes = sizes
    return last

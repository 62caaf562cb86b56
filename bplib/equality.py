r"""Deciding whether two expressions are equal: proved, refuted, checked numerically, or undecided.

Introduced in the chapter *Why backpropagation*, where the book explains how to read a
check; every :class:`bplib.derive.Derivation` step goes through
:func:`decide`.

Given two SymPy expressions :math:`A` and :math:`B` (numbers, scalars, matrices,
arrays) and definitions ``where`` that give named symbols and functions their
meaning, :func:`decide` returns a :class:`Verdict` with one of five outcomes:

``proved``
    SymPy reduced every entry of :math:`A - B` to exactly ``0`` (within a time
    budget). Exact numbers compare exactly: :math:`10^9 \ne 10^9 + 1`.
``refuted``
    A point where :math:`A \ne B`: the point, both values and their difference are
    reported (imaginary parts included). Refutations are confirmed by SymPy's own
    arbitrary-precision evaluation at the exact point.
``numerical``
    No proof, but :math:`A - B` is zero at every sample point; the verdict says how
    many points over which ranges. Not a proof, and the page says so.
``approximate``
    The step declared a relative tolerance ``tol`` (for rounded, published numbers)
    and the two sides agree within it; nothing else is ever compared with a
    tolerance.
``undecided``
    Neither refuted nor proved, and too few points could be evaluated (or the time
    budget ran out).

How the sampling respects the maths
    Every sample point honours each symbol's SymPy assumptions (``positive``,
    ``negative``, ``nonpositive``, ``integer``, ``even``, ``prime``, ``nonzero``, …;
    a symbol with no ``real`` assumption is complex in SymPy and is sampled off the
    real line too). Real values are drawn across magnitudes, small
    (:math:`10^{-3}` to :math:`10^{-1}`), unit (:math:`10^{-1}` to :math:`10^{0.5}`) and
    large (:math:`10^{0.5}` to :math:`10^{3}`), so that an identity true only near 1
    (a Taylor polynomial, ``acos(cos z) = z``) is refuted. Integers range up to
    :math:`10^6`, with at least one more point than the degree of a polynomial step.
    Non-commuting symbols become random integer matrices, ``MatrixSymbol`` s random
    matrices of their shape, and undefined functions without a definition random
    smooth functions (only after SymPy failed to prove the step for every function).

How a value is trusted
    Each difference is evaluated in mpmath at 30, 60, 120, … digits. A value that
    stays put as the precision doubles is real; a value that keeps collapsing by the
    added digits is rounding noise around an exact zero (so that
    :math:`\cosh^2(30x) - \sinh^2(30x) = 1` is not refuted by cancellation at
    :math:`x = 1.8`, where both terms are near :math:`10^{46}`).
"""

from __future__ import annotations

import gc
import math
import numbers
import signal
import threading
import time
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp
from sympy.core.assumptions import check_assumptions
from sympy.core.evalf import PrecisionExhausted
from sympy.core.function import AppliedUndef, UndefinedFunction
from sympy.tensor.array import NDimArray

from .i18n import tr

__all__ = ["Verdict", "EqualityError", "decide", "as_expression", "check_where",
           "MAGNITUDES", "PROOF_SECONDS", "NUMERIC_SECONDS"]

# Real sample magnitudes, as powers of ten: small, unit, large.
MAGNITUDES = {"small": (-3.0, -1.0), "unit": (-1.0, 0.5), "large": (0.5, 3.0)}
INTEGER_MAX = 10**6
PRECISIONS = (30, 60, 120, 240, 480)  # mpmath digits, doubled until a value is trusted
PROOF_SECONDS = 4.0  # budget for SymPy's attempts to reduce the difference to 0
NUMERIC_SECONDS = 4.0  # budget for evaluating the sample points
POINT_SECONDS = 0.5  # one point's evaluation at every precision
MIN_POINTS = 12  # evaluated points needed before "numerical" is claimed
MATRIX_SIZE = 3  # the size of the random matrices that stand in for non-commuting symbols


class EqualityError(ValueError):
    """The two expressions cannot be compared as given (unsupported or meaningless input)."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of comparing two expressions, and the evidence behind it."""

    outcome: str  # "proved" | "refuted" | "numerical" | "approximate" | "undecided"
    detail: str
    points: int = 0  # sample points at which the difference was evaluated
    ranges: str = ""  # what was sampled, e.g. "x ∈ ±[1e-3, 1e3] (real)"
    counterexample: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def holds(self) -> bool:
        """True unless the outcome is "refuted" or "undecided"."""
        return self.outcome in ("proved", "numerical", "approximate")


# --- input -----------------------------------------------------------------------------
def as_expression(value, name: str = "expr"):
    """``value`` as a SymPy object, or a TypeError naming what arrived.

    Accepted: SymPy expressions, matrices (explicit or ``MatrixSymbol`` expressions),
    arrays, and Python/NumPy numbers (ints exactly; floats as the binary numbers they
    are). Refused: None, strings (never parsed), booleans, lists and NumPy arrays
    (wrap them in ``sp.Matrix``).
    """
    if isinstance(value, (sp.Basic, sp.MatrixBase, NDimArray)):
        if isinstance(value, sp.logic.boolalg.Boolean) and not isinstance(value, sp.Expr):
            raise TypeError(f"{name} must be an expression, got the condition {value}")
        return value
    if value is None or isinstance(value, (bool, np.bool_, str, bytes)):
        raise TypeError(f"{name} must be a SymPy expression, a Matrix or a number, "
                        f"got {type(value).__name__} {value!r}")
    if isinstance(value, (list, tuple, np.ndarray)):
        raise TypeError(f"{name} must be a SymPy expression; got a {type(value).__name__}: "
                        "wrap a vector or table in sp.Matrix(...)")
    if isinstance(value, numbers.Number):
        if isinstance(value, complex):
            return sp.Float(value.real) + sp.I * sp.Float(value.imag)
        return sp.sympify(value, strict=True)
    raise TypeError(f"{name} must be a SymPy expression, a Matrix or a number, got {type(value).__name__}")


def check_where(where) -> dict:
    """Validate a ``where`` mapping: symbols (or undefined functions) to their meaning."""
    if where is None:
        return {}
    if not isinstance(where, Mapping):
        raise TypeError("where must be a mapping {symbol or undefined function: meaning}, "
                        f"got {type(where).__name__} {where!r}")
    out = {}
    for key, meaning in where.items():
        if isinstance(key, UndefinedFunction):
            if not isinstance(meaning, sp.Lambda):
                raise TypeError(f"where[{key}] must be sp.Lambda(args, body) for the function {key}, "
                                f"got {type(meaning).__name__}")
        elif isinstance(key, (sp.Symbol, sp.MatrixSymbol)):
            meaning = as_expression(meaning, f"where[{key}]")
        else:
            raise TypeError(f"where keys must be symbols or undefined functions, got {key!r} "
                            f"({type(key).__name__})")
        out[key] = meaning
    return out


# --- substitution: complete before anything is differentiated ---------------------------
def _substitute(expr, where: dict):
    """One pass of every definition over ``expr`` (no evaluation of derivatives)."""
    symbols = {k: v for k, v in where.items() if not isinstance(k, UndefinedFunction)}
    out = expr.xreplace(symbols) if symbols else expr
    for f, lam in where.items():
        if isinstance(f, UndefinedFunction):
            try:
                out = out.replace(f, lam)
            except ValueError:  # SymPy cannot differentiate by what f(...) becomes
                out = _by_dummy(out).replace(f, lam)
    return out


def _is_by_application(d) -> bool:
    return isinstance(d, sp.Derivative) and any(not v.is_Symbol for v in d.variables)


def _by_dummy(expr):
    """Every derivative with respect to a function application as a ``Subs`` of a derivative
    by a dummy symbol. SymPy's chain rule writes d C(sigma(z))/dz with a factor
    dC(sigma(z))/d sigma(z); once a definition (or a random stand-in) replaces sigma, that
    variable would become an expression, which SymPy cannot differentiate by."""
    def by_dummy(d):
        apps = [v for v in d.variables if not v.is_Symbol]
        dummies = {v: sp.Dummy() for v in apps}
        body = d.expr.xreplace(dummies)
        counts = [(dummies.get(v, v), n) for v, n in d.variable_count]
        return sp.Subs(sp.Derivative(body, *counts), list(dummies.values()), apps)

    return expr.replace(_is_by_application, by_dummy)


def _resolve(where: dict) -> dict:
    """Substitute the definitions into each other until none refers to another (or to
    itself: that is a cycle, whatever order the mapping lists them in)."""
    resolved = dict(where)
    for _ in range(len(resolved) + 1):
        changed = False
        for key, meaning in resolved.items():
            new = _substitute(meaning, resolved)
            if new != meaning:
                resolved[key] = new
                changed = True
        if not changed:
            break
    cycle = sorted(str(k) for k, v in resolved.items() if _mentions(v, resolved))
    if cycle:
        raise EqualityError(f"the definitions in where refer to each other in a cycle: {', '.join(cycle)}")
    return resolved


def _mentions(expr, where: dict) -> bool:
    for key in where:
        if isinstance(key, UndefinedFunction):
            if any(a.func == key for a in expr.atoms(AppliedUndef)):
                return True
        elif expr.has(key):
            return True
    return False


def _derivatives(expr) -> list:
    return list(expr.atoms(sp.Derivative)) if hasattr(expr, "atoms") else []


def materialize(expr, where: dict):
    """Substitute every definition, check every derivative means something, then evaluate.

    Raises :class:`EqualityError` for a derivative with respect to a defined symbol, and
    for a derivative of bare symbols that do not depend on its variable (``E`` with no
    definition would silently differentiate to 0). A derivative of a real expression
    that happens not to involve the variable is a legitimate 0.
    """
    for d in _derivatives(expr):
        for v in d.variables:
            if v in where:
                raise EqualityError(
                    f"{d} differentiates with respect to {v}, which where defines as {where[v]}; "
                    "differentiate with respect to a free symbol")
    out = _substitute(expr, where)
    for d in _derivatives(out):
        for v in d.variables:
            if not d.expr.has(v) and _only_symbols(d.expr):
                named = sorted(str(s) for s in d.expr.free_symbols)
                raise EqualityError(
                    f"the derivative {d} would be 0 because {d.expr} does not depend on {v}: "
                    f"if {', '.join(named)} stands for a function of {v}, define it in where; "
                    "if the derivative is really 0, write 0")
    return _exact(out.doit())


def _only_symbols(expr) -> bool:
    """True for an expression made of bare symbols and numbers alone (E, E_1 + E_2, a E):
    a derivative of it by another symbol is 0 only because nothing gave it a meaning."""
    return bool(expr.free_symbols) and all(
        isinstance(node, (sp.Symbol, sp.Number, sp.Add, sp.Mul, sp.Pow))
        for node in sp.preorder_traversal(expr))


def _exact(expr):
    """Every Float replaced by the exact rational it stores: SymPy's arithmetic would
    otherwise round an exact number to the Float's precision (1/3 - 0.333... = 0)."""
    if not hasattr(expr, "atoms"):
        return expr
    floats = expr.atoms(sp.Float)
    return expr.xreplace({f: sp.Rational(f) for f in floats}) if floats else expr


# --- a time budget that interrupts SymPy ---------------------------------------------------
class _OutOfTime(Exception):
    pass


@contextmanager
def _deadline(seconds: float):
    """Raise _OutOfTime inside the block after ``seconds`` (main thread only; elsewhere
    the block runs unbounded, so callers keep their work bounded by other means).

    An interrupt must land in the computation, not in code that swallows exceptions:
    automatic garbage collection is paused inside the block (its callbacks would swallow
    the interrupt and report it), and the handler re-arms a short timer before raising,
    so an interrupt that is swallowed all the same comes again 50 ms later. Deadlines
    nest: an outer one keeps its own time."""
    if seconds <= 0:
        raise _OutOfTime()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    start = time.monotonic()

    def on_alarm(signum, frame):
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise _OutOfTime()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    collecting = gc.isenabled()
    gc.disable()
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if collecting:
            gc.enable()
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3))


# --- entries: scalars, matrices, matrix expressions, arrays ------------------------------
def _is_matrix(e) -> bool:
    return isinstance(e, (sp.MatrixBase, sp.MatrixExpr, NDimArray))


def _shape(e):
    return tuple(e.shape) if _is_matrix(e) else ()


def _entries(e) -> list:
    if isinstance(e, NDimArray):
        return list(sp.flatten(e.tolist())) if e.shape else [e[()]]
    if isinstance(e, sp.MatrixBase):
        return list(e)
    return [e]


# --- sampling ------------------------------------------------------------------------------
_PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83,
           89, 97, 101, 103, 107, 109, 113, 7919, 104729]


def _decimal(value: float) -> sp.Rational:
    return sp.Rational(f"{value:.6g}")


def _real_value(sym, rng: np.random.Generator, cls: str) -> sp.Expr:
    """A value for ``sym`` of magnitude class ``cls``, signed as its assumptions allow."""
    if sym.is_integer:
        if sym.is_prime:
            return sp.Integer(int(rng.choice(_PRIMES)))
        mag = int(rng.integers(1, 31)) if cls != "large" else int(rng.integers(31, INTEGER_MAX))
        if sym.is_even:
            mag = 2 * max(1, mag // 2)
        elif sym.is_odd:
            mag = 2 * (mag // 2) + 1
        v = mag
    else:
        lo, hi = MAGNITUDES[cls]
        v = _decimal(10 ** rng.uniform(lo, hi))
    if sym.is_positive or (sym.is_nonnegative and not sym.is_zero):
        sign = 1
    elif sym.is_negative or sym.is_nonpositive:
        sign = -1
    else:
        sign = 1 if rng.random() < 0.5 else -1
    allows_zero = not (sym.is_nonzero or sym.is_positive or sym.is_negative) and sym.is_zero is not False
    if allows_zero and rng.random() < 0.04:
        return sp.Integer(0)
    return sp.Integer(sign * v) if isinstance(v, int) else sign * v


def _value(sym, rng: np.random.Generator, cls: str) -> sp.Expr:
    """A value honouring every assumption of ``sym`` (rejection sampling, then an error)."""
    for _ in range(60):
        if sym.is_real or sym.is_integer or sym.is_extended_real:
            v = _real_value(sym, rng, cls)
        elif sym.is_imaginary:
            v = sp.I * _real_value(sp.Symbol("t", positive=True), rng, cls) * rng.choice([-1, 1])
        else:  # SymPy's default: a complex symbol. Half the points off the real line.
            re = _real_value(sp.Symbol("t", real=True), rng, cls)
            im = _real_value(sp.Symbol("t", real=True), rng, cls) if rng.random() < 0.5 else 0
            v = re + sp.I * im
        if check_assumptions(v, sym) is not False:
            return v
    facts = {k: v for k, v in sym.assumptions0.items() if v is not None}
    raise EqualityError(f"cannot sample a value for {sym} with assumptions {facts}")


def _random_matrix(rng, shape) -> sp.ImmutableMatrix:
    entries = rng.integers(-9, 10, size=shape[0] * shape[1])
    return sp.ImmutableMatrix(*shape, [sp.Integer(int(v)) for v in entries])


def _random_function(rng, f: UndefinedFunction, arity: int) -> sp.Lambda:
    """A smooth random stand-in for an undefined function of ``arity`` arguments."""
    args = sp.symbols(f"u0:{arity}")
    r = lambda: sp.Rational(int(rng.integers(-40, 41)), 10)  # noqa: E731
    body = r() + sum(r() * sp.sin(r() * a + r()) + r() * a for a in args)
    if arity > 1:
        body += r() * sp.Mul(*args)
    return sp.Lambda(args, body)


def _class_schedule(i: int, rng) -> str:
    if i % 3 == 0:
        return "unit"
    return str(rng.choice(list(MAGNITUDES)))


def _describe_ranges(samples: dict) -> str:
    parts = []
    for sym in sorted(samples, key=str):
        vals = samples[sym]
        if isinstance(vals[0], sp.MatrixBase):
            parts.append(tr("{symbol}: random {rows}×{cols} integer matrices").format(
                symbol=sym, rows=vals[0].shape[0], cols=vals[0].shape[1]))
            continue
        mags = [abs(complex(v)) for v in vals if v != 0]
        kind = tr("integer") if sym.is_integer else (tr("real") if sym.is_real else tr("complex"))
        if not mags:
            parts.append(f"{sym} = 0")
            continue
        lo, hi = min(mags), max(mags)
        signs = {np.sign(complex(v).real) for v in vals if complex(v).real != 0}
        pm = "±" if len(signs) > 1 else ("−" if signs == {-1.0} else "")
        parts.append(f"{sym} ∈ {pm}[{lo:.3g}, {hi:.3g}] " + tr("({kind}, {n} values)").format(
            kind=kind, n=len(vals)))
    return "; ".join(parts)


# --- evaluation at a point -------------------------------------------------------------------
def _mp(value):
    """An exact SymPy number as an mpmath number at the working precision."""
    if isinstance(value, sp.Integer):
        return mpmath.mpf(int(value))
    if isinstance(value, sp.Rational):
        return mpmath.mpf(int(value.p)) / int(value.q)
    re, im = sp.re(value), sp.im(value)
    return mpmath.mpc(_mp(re), _mp(im)) if im != 0 else _mp(re)


def _magnitude(v) -> float:
    try:
        return float(abs(v))
    except (TypeError, ValueError, OverflowError):
        return math.inf


def _trusted(seq: list) -> str | None:
    """"zero", "nonzero" or None (not yet), from one difference's values at increasing
    precision ``[(digits, value), ...]``. A real value stays put as digits are added;
    rounding noise around an exact zero collapses by about the digits added, twice running."""
    if len(seq) < 2:
        return None
    mags = [_magnitude(v) for _, v in seq]
    (p1, v1), (_, v2) = seq[-2:]
    if mags[-1] == 0 and mags[-2] == 0:
        return "zero"
    if mags[-1] != 0 and _magnitude(v1 - v2) <= mags[-1] * 10.0 ** (-(p1 // 2)):
        return "nonzero"

    def collapsed(i: int) -> bool:  # from seq[i] to seq[i + 1]
        return mags[i + 1] == 0 or mags[i + 1] <= mags[i] * 10.0 ** (-seq[i][0] / 2)

    if len(seq) >= 3 and collapsed(len(seq) - 2) and collapsed(len(seq) - 3):
        return "zero"
    return None


def _sympy_value(expr, point: dict, digits: int):
    """``expr`` at the exact ``point`` by SymPy's own evalf, as an mpmath number (None if
    undefined there)."""
    try:
        e = expr.xreplace(point) if point else expr
        if isinstance(e, (sp.MatrixBase, sp.MatrixExpr)) or e.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return None
        v = e.evalf(digits)
        if v.free_symbols or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not v.is_number:
            return None
        re, im = v.as_real_imag()
        with mpmath.workdps(digits):
            re_m = mpmath.mpf(sp.Float(re, digits)._mpf_)
            im_m = mpmath.mpf(sp.Float(im, digits)._mpf_)
            return mpmath.mpc(re_m, im_m) if im_m else re_m
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, RecursionError, OverflowError):
        return None


class _Evaluator:
    """The differences at a point, at a given precision: compiled to mpmath (fast), with
    SymPy's evalf as the fallback for anything the compiled code cannot evaluate."""

    def __init__(self, symbols: list, exprs: list):
        self.symbols, self.exprs = symbols, exprs
        try:
            self.fn = sp.lambdify(symbols, exprs, modules="mpmath", cse=len(exprs) > 1)
        except Exception:  # noqa: BLE001 - whatever lambdify cannot print, evalf can try
            self.fn = None

    def __call__(self, point: dict, digits: int) -> list | None:
        if self.fn is not None:
            with mpmath.workdps(digits):
                try:
                    values = self.fn(*[_mp(point[s]) for s in self.symbols])
                except (ZeroDivisionError, ValueError, TypeError, OverflowError, AttributeError,
                        NameError, RecursionError):
                    values = None
            if values is not None and all(isinstance(v, (mpmath.mpf, mpmath.mpc, int, float, complex))
                                          for v in values):
                if all(mpmath.isfinite(v) for v in values):
                    return list(values)
                return None
        out = [_sympy_value(e, point, digits) for e in self.exprs]
        return None if any(v is None for v in out) else out


def _at_point(evaluate, point: dict, n: int) -> list | None:
    """For each of ``n`` differences, ``(state, value)`` with state "zero", "nonzero" or
    "unsettled"; None where a side is undefined at the point."""
    seqs: list[list] = [[] for _ in range(n)]
    states: list = [None] * n
    for digits in PRECISIONS:
        values = evaluate(point, digits)
        if values is None:
            return None
        for i, v in enumerate(values):
            if states[i] is None:
                seqs[i].append((digits, v))
                states[i] = _trusted(seqs[i])
        if all(s is not None for s in states):
            break
    return [(s or "unsettled", seq[-1][1]) for s, seq in zip(states, seqs)]


# --- the proof attempt -----------------------------------------------------------------------
def _is_zero(r) -> bool:
    return r == 0 or bool(getattr(r, "is_ZeroMatrix", False)) or (
        isinstance(r, sp.MatrixBase) and all(e == 0 for e in r))


def _reduces_to_zero(d, seconds: float) -> bool:
    """True when SymPy rewrites ``d`` to exactly 0 within ``seconds`` (never longer)."""
    if _is_zero(d):
        return True
    start = time.perf_counter()
    attempts = (lambda e: e.doit(), sp.expand, sp.cancel,
                lambda e: sp.cancel(sp.expand(e.rewrite(sp.exp))), sp.simplify)
    for attempt in attempts:
        try:
            with _deadline(seconds - (time.perf_counter() - start)):
                if _is_zero(attempt(d)):
                    return True
        except _OutOfTime:
            return False
        except (TypeError, ValueError, NotImplementedError, AttributeError, RecursionError,
                ZeroDivisionError, sp.PolynomialError):
            continue
    return False


# --- the decision ------------------------------------------------------------------------------
def _show(v) -> str:
    c = complex(v)
    if c.imag == 0:
        return f"{c.real:.15g}"
    if c.real == 0:
        return f"{c.imag:.15g}·i"
    return f"{c.real:.15g} {'+' if c.imag >= 0 else '−'} {abs(c.imag):.15g}·i"


def _show_point(point: dict) -> str:
    def show(v):
        return v.tolist() if isinstance(v, sp.MatrixBase) else v
    return ", ".join(f"{k} = {show(v)}" for k, v in sorted(point.items(), key=lambda kv: str(kv[0])))


def _check_number(name, value, lo, hi, *, integer=False):
    ok_type = isinstance(value, numbers.Integral) if integer else isinstance(value, numbers.Real)
    if isinstance(value, bool) or not ok_type:
        kind = "an integer" if integer else "a number"
        raise TypeError(f"{name} must be {kind}, got {type(value).__name__} {value!r}")
    if not (lo <= value <= hi) or (not integer and not math.isfinite(value)):
        raise ValueError(f"{name} must be in [{lo}, {hi}], got {value!r}")


def decide(a, b, *, where=None, points: int = 40, seed: int = 0, tol: float | None = None,
           proof_seconds: float = PROOF_SECONDS, numeric_seconds: float = NUMERIC_SECONDS) -> Verdict:
    """Compare ``a`` and ``b`` (see the module docstring). A mathematical disagreement is
    the ``refuted`` outcome, not an exception; input that cannot be compared raises
    TypeError or :class:`EqualityError`. Bounded in time by the two budgets."""
    start = time.perf_counter()
    a, b = as_expression(a, "the first expression"), as_expression(b, "the second expression")
    where = check_where(where)
    _check_number("points", points, 1, 10_000, integer=True)
    _check_number("seed", seed, 0, 2**63, integer=True)
    if tol is not None:
        _check_number("tol", tol, 0, 1)
        if not 0 < tol < 1:
            raise ValueError(f"tol must be a relative tolerance in (0, 1), got {tol!r}")
    _check_number("proof_seconds", proof_seconds, 0, 600)
    _check_number("numeric_seconds", numeric_seconds, 0, 600)
    with sp.evaluate(True):  # the caller may be building its lines under evaluate(False)
        verdict = _decide(a, b, _resolve(where), points, seed, tol, proof_seconds, numeric_seconds)
    return Verdict(**{**verdict.__dict__, "seconds": time.perf_counter() - start})


def _symbolic_matrix(e) -> bool:
    """A matrix expression still in symbols (``X Y``, ``X^T``); an explicit matrix, even an
    immutable one (which SymPy also counts as a MatrixExpr), is compared entry by entry."""
    return isinstance(e, sp.MatrixExpr) and not isinstance(e, sp.MatrixBase)


def _pairs(A, B) -> tuple[list, list]:
    """The entries of both sides side by side, and their differences."""
    if _symbolic_matrix(A) or _symbolic_matrix(B):
        return [(A, B)], [sp.MatAdd(A, -B).doit()]
    pairs = list(zip(_entries(A), _entries(B)))
    return pairs, [x - y for x, y in pairs]


def _decide(a, b, where, points, seed, tol, proof_seconds, numeric_seconds) -> Verdict:
    A, B = materialize(a, where), materialize(b, where)
    if _is_matrix(A) != _is_matrix(B) or _shape(A) != _shape(B):
        return Verdict("refuted", tr("the shapes differ: {first} vs {second}").format(
            first=_shape(A) or tr("a scalar"), second=_shape(B) or tr("a scalar")))
    pairs, diffs = _pairs(A, B)
    if tol is None and all(_is_zero(d) for d in diffs):
        return Verdict("proved", tr("the two sides are the same after substitution"))
    rng = np.random.default_rng(seed)

    # 1. refute at sample points (undefined functions replaced by random smooth ones)
    undefined = {u.func: len(u.args) for d in diffs for u in d.atoms(AppliedUndef)}
    functions = {f: _random_function(rng, f, n) for f, n in sorted(undefined.items(), key=str)}
    sampled, sampled_pairs = diffs, pairs
    if functions:  # the random functions become definitions, substituted before differentiating
        A_, B_ = materialize(a, where | functions), materialize(b, where | functions)
        sampled_pairs, sampled = _pairs(A_, B_)
    numeric = _sample(sampled, sampled_pairs, rng, points, tol, numeric_seconds, functions)
    if numeric.outcome == "refuted":
        return numeric
    if tol is not None:
        if numeric.outcome != "numerical":
            return numeric
        detail = (tr("equal within a relative tolerance of {tol:g} at {n} sample points")
                  if numeric.points > 1 else tr("equal within a relative tolerance of {tol:g}"))
        return Verdict("approximate", detail.format(tol=tol, n=numeric.points), numeric.points,
                       numeric.ranges)

    # 2. prove (bounded): for every function when undefined functions remain
    t0 = time.perf_counter()
    if all(_reduces_to_zero(d, proof_seconds - (time.perf_counter() - t0)) for d in diffs):
        names = ", ".join(sorted(str(f) for f in functions))
        detail = (tr("SymPy reduces the difference to 0 for every function {names}").format(names=names)
                  if functions else tr("SymPy reduces the difference to 0"))
        return Verdict("proved", detail, numeric.points, numeric.ranges)
    if functions and numeric.outcome == "numerical":
        names = ", ".join(sorted(str(f) for f in functions))
        return Verdict("numerical", tr("{detail}, with random smooth functions for {names}").format(
            detail=numeric.detail, names=names), numeric.points, numeric.ranges)
    return numeric


def _sample(diffs, pairs, rng, points, tol, seconds, functions) -> Verdict:
    free = sorted(set().union(*(d.free_symbols for d in diffs)), key=str)
    matrix_symbols = sorted(set().union(*(d.atoms(sp.MatrixSymbol) for d in diffs)), key=str)
    noncommutative = [s for s in free if not s.is_commutative]
    if matrix_symbols or noncommutative:
        free = [s for s in free if s not in matrix_symbols]
        return _sample_matrices(diffs, free, matrix_symbols, noncommutative, rng, points)
    n_points = points if free else 1
    for s in free:  # enough integer points to refute a polynomial of the step's degree
        if s.is_integer:
            for d in diffs:
                try:
                    n_points = max(n_points, sp.Poly(d, s).degree() + 2)
                except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError):
                    pass
    evaluate = _Evaluator(free, diffs)
    sides = _Evaluator(free, [x for pair in pairs for x in pair]) if tol is not None else None
    samples: dict = {s: [] for s in free}
    evaluated = skipped = 0
    start = time.perf_counter()
    for i in range(5 * n_points):  # extra draws replace points where a side is undefined
        if evaluated >= n_points or time.perf_counter() - start > seconds:
            break
        point = {s: _value(s, rng, _class_schedule(i, rng)) for s in free}
        try:
            with _deadline(min(POINT_SECONDS, seconds)):
                states = _at_point(evaluate, point, len(diffs))
                scale = sides(point, 30) if (sides is not None and states is not None) else None
        except _OutOfTime:
            states = None
        if states is None or any(s == "unsettled" for s, _ in states):
            skipped += 1
            continue
        for k, (state, value) in enumerate(states):
            if tol is not None:
                size = max(_magnitude(v) for v in scale[2 * k:2 * k + 2])
                if _magnitude(value) > tol * size:
                    rel = _magnitude(value) / size if size else float("inf")
                    return _refutation(diffs, pairs, k, point, functions, "; " + tr(
                        "relative to the larger side that is {rel:.2g}, beyond the tolerance {tol:g} "
                        "(relative)").format(rel=rel, tol=tol))
            elif state == "nonzero":
                confirmed = _refutation(diffs, pairs, k, point, functions)
                if confirmed is not None:
                    return confirmed
        evaluated += 1
        for s in free:
            samples[s].append(point[s])
    ranges = _describe_ranges({s: v for s, v in samples.items() if v})
    if not free and evaluated:
        return Verdict("numerical", tr("the two numbers agree to {digits} digits").format(
            digits=PRECISIONS[-1]), 1, "")
    if evaluated >= min(MIN_POINTS, n_points):
        detail = tr("zero at {n} sample points").format(n=evaluated)
        if skipped:
            detail += "; " + tr("{skipped} points where a side is undefined were skipped").format(
                skipped=skipped)
        return Verdict("numerical", detail, evaluated, ranges)
    why = (tr("the time budget ran out") if time.perf_counter() - start > seconds
           else tr("only {evaluated} of {n} sample points could be evaluated").format(
               evaluated=evaluated, n=n_points))
    return Verdict("undecided", tr("not refuted and not proved: {why}").format(why=why), evaluated, ranges)


class _Intervals:
    """mpmath's interval arithmetic under the names lambdify prints (``mpmath.sin``, …),
    with the few functions it lacks built from ones it has (wider intervals, still
    rigorous). A difference whose interval excludes 0 is certainly not 0."""

    def __getattr__(self, name):
        return getattr(mpmath.iv, name)

    @staticmethod
    def cosh(x):
        return (mpmath.iv.exp(x) + mpmath.iv.exp(-x)) / 2

    @staticmethod
    def sinh(x):
        return (mpmath.iv.exp(x) - mpmath.iv.exp(-x)) / 2

    @staticmethod
    def tanh(x):
        return 1 - 2 / (mpmath.iv.exp(2 * x) + 1)

    @staticmethod
    def atan(x):
        return mpmath.iv.atan2(x, 1)

    @staticmethod
    def floor(x):
        lo, hi = mpmath.floor(x.a), mpmath.floor(x.b)
        return mpmath.iv.mpf([lo, hi])

    @staticmethod
    def ceil(x):
        lo, hi = mpmath.ceil(x.a), mpmath.ceil(x.b)
        return mpmath.iv.mpf([lo, hi])


def _iv(value):
    if isinstance(value, sp.Integer):
        return mpmath.iv.mpf(int(value))
    if isinstance(value, sp.Rational):
        return mpmath.iv.mpf(int(value.p)) / int(value.q)
    raise TypeError("intervals are real")


def _certainly_nonzero(expr, point: dict) -> bool:
    """Is ``expr`` at the exact ``point`` provably different from 0? Interval arithmetic
    first (rigorous bounds at 30 to 480 digits), then SymPy's strict evalf (which
    raises rather than return digits it cannot vouch for)."""
    free = sorted(expr.free_symbols, key=str)
    try:
        fn = sp.lambdify(free, expr, modules=[{"mpmath": _Intervals()}, "mpmath"])
        args = [point[s] for s in free]
        for digits in (30, 120, 480):
            with mpmath.iv.workdps(digits):
                box = fn(*[_iv(v) for v in args])
                if isinstance(box, mpmath.ctx_iv.ivmpf) and (box.a > 0 or box.b < 0):
                    return True
    except Exception:  # noqa: BLE001 - complex values, unsupported functions: use evalf below
        pass
    try:
        v = (expr.xreplace(point) if point else expr).evalf(30, strict=True, maxn=500)
    except (PrecisionExhausted, TypeError, ValueError, ZeroDivisionError, AttributeError):
        return False
    return v.is_number and not v.has(sp.nan, sp.zoo) and v != 0


def _refutation(diffs, pairs, k, point, functions, note: str = "") -> Verdict | None:
    """Confirm a disagreement at ``point`` rigorously (None if it cannot be confirmed);
    the verdict shows both sides' values and their difference."""
    try:
        with _deadline(POINT_SECONDS * 4):
            if not note and not _certainly_nonzero(diffs[k], point):
                return None
            diff = _sympy_value(diffs[k], point, 30)
            lhs, rhs = (_sympy_value(x, point, 30) for x in pairs[k])
    except _OutOfTime:
        return None
    if point:
        head = (tr("refuted at {point}, entry {k}") if len(diffs) > 1 else tr("refuted at {point}"))
    else:
        head = (tr("refuted as numbers, entry {k}") if len(diffs) > 1 else tr("refuted as numbers"))
    detail = head.format(point=_show_point(point), k=k)
    if lhs is not None and rhs is not None:
        detail += ": " + tr("the line before is {before}, this line is {this}").format(
            before=_show(lhs), this=_show(rhs))
    if diff is not None:
        detail += "; " + tr("the difference is {difference}").format(difference=_show(diff))
    detail += note
    if functions:  # the last clause ("; " and what stood in for each undefined function)
        detail += "; " + tr("with {functions}").format(
            functions=", ".join(f"{f} = {lam}" for f, lam in functions.items()))
    return Verdict("refuted", detail, counterexample={str(s): v for s, v in point.items()})


def _sample_matrices(diffs, commuting, matrix_symbols, noncommutative, rng, points) -> Verdict:
    """Random integer matrices, in exact arithmetic, for non-commuting symbols and for
    MatrixSymbols (which need a concrete shape)."""
    for m in matrix_symbols:
        if not all(isinstance(n, (int, sp.Integer)) for n in m.shape):
            raise EqualityError(f"the MatrixSymbol {m} has the symbolic shape {m.shape}; "
                                "give it a concrete shape to check the step")
    commuting = [s for s in commuting if s.is_commutative]
    samples: dict = {}
    n = max(3, min(points, 8))
    for _ in range(n):
        point = {s: _random_matrix(rng, (MATRIX_SIZE, MATRIX_SIZE)) for s in noncommutative}
        point |= {m: _random_matrix(rng, tuple(int(d) for d in m.shape)) for m in matrix_symbols}
        point |= {s: _value(s, rng, "unit") for s in commuting}
        for d in diffs:
            try:
                value = d.xreplace(point).doit()
            except (TypeError, ValueError, sp.ShapeError, AttributeError) as err:
                raise EqualityError(f"cannot evaluate {d} with matrices in place of its "
                                    f"non-commuting symbols: {err}") from None
            entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
            if any(_certainly_nonzero(sp.expand(e), {}) for e in entries):
                shown = value.tolist() if isinstance(value, sp.MatrixBase) else value
                return Verdict("refuted", tr("refuted with {point}: the difference is {difference}").format(
                    point=_show_point(point), difference=shown))
        for s, v in point.items():
            samples.setdefault(s, []).append(v)
    return Verdict("numerical", tr("zero for {n} random choices of integer matrices "
                                   "(exact arithmetic)").format(
        n=n), n, _describe_ranges(samples))

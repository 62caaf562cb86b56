r"""Numerical differentiation: the slow, independent route to every gradient.

Introduced in the chapter *Why backpropagation*, with how to read a check. The central
difference

.. math::

   \frac{\partial f}{\partial \theta_i} \approx c_i(h) = \frac{f(\theta + h e_i) - f(\theta - h e_i)}{2h}

costs **two evaluations of f per parameter**; backpropagation gets every partial
derivative for about the cost of two evaluations in total. This module is how the
book checks backprop, and how it counts what the alternative costs. Every perturbation
in bplib goes through one loop, :func:`numerical_gradient` (:func:`central_difference`
is the same loop over a copy of an array).

How an analytic entry :math:`g_i` is judged (:func:`check_gradients`)
    *Its scale* is :math:`s_i = \max(|g_i|, |c_i|, \phi S_B)`, where :math:`S_B` is the
    largest entry of its own block (weights of a saturated first layer are judged
    against each other, not against the cost) and :math:`\phi` = ``floor`` = :math:`10^{-3}`.

    *The rounding noise* of :math:`c_i` is :math:`\rho_i = k u \max|f| / h` with
    :math:`u = 2^{-53}` and :math:`k = 16` roundings. If :math:`\rho_i > 10^{-4} s_i`,
    central differences at this ``h`` cannot resolve the entry: it is reported as
    **unresolved** (counted), never passed. A doubled, zeroed or negated gradient of
    :math:`10^{-12}` against a cost of 1 is therefore not a pass.

    *Agreement*: :math:`|g_i - c_i| \le \mathrm{tol}\, s_i + \rho_i` (``tol`` =
    :math:`10^{-7}`). Otherwise :math:`f(\theta \pm 2h e_i)` is evaluated too: the entry
    still passes if the Richardson extrapolation :math:`(4c_i(h) - c_i(2h))/3` (error
    :math:`O(h^4)`) agrees, is a **kink** if the perturbation crosses a point where
    :math:`f` is not differentiable (the one-sided differences on the two sides differ,
    and :math:`g_i` matches the smooth side: skipped, counted, never failed), and
    **fails** otherwise, naming the block, the index and both values.

Every parameter block must have a gradient and every gradient a block;
:func:`check_model` takes both from a model's own ``params()`` and ``gradients()``, so
no block can be left out (as UDL's notebook 7.2 once left out its output layer).
``tol``, ``h`` and ``floor`` are checked at the door.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .i18n import tr
from .validate import as_float_array

__all__ = [
    "CountingFunction",
    "GradientCheckError",
    "GradCheckReport",
    "BlockResult",
    "central_difference",
    "numerical_gradient",
    "rel_error",
    "check_gradients",
    "check_derivative",
    "check_model",
    "DEFAULT_TOL",
    "DEFAULT_H",
    "DEFAULT_FLOOR",
    "RESOLUTION",
]

DEFAULT_TOL = 1e-7
DEFAULT_H = 1e-5
DEFAULT_FLOOR = 1e-3  # phi: entries below this fraction of their block's largest are judged at that scale
RESOLUTION = 1e-4  # an entry is resolved when the rounding noise is below this fraction of its scale
_ROUNDINGS = 16  # k: roundings inside one evaluation of f that the noise estimate allows for
_U = np.finfo(np.float64).eps / 2
_SMOOTH = 1e-2  # |c(h) - c(2h)| below this fraction of the scale: the function is smooth here
_ONE_SIDED = 1e-4  # a one-sided extrapolation agrees with g within this fraction (kinks)


class GradientCheckError(AssertionError):
    """A gradient disagrees with central differences, or could not be checked."""


class CountingFunction:
    """Wrap a scalar function and count how often it is evaluated (``.calls``)."""

    def __init__(self, f: Callable[..., float]):
        if not callable(f):
            raise TypeError(f"f must be callable, got {type(f).__name__}")
        self.f = f
        self.calls = 0

    def __call__(self, *args, **kwargs) -> float:
        self.calls += 1
        return self.f(*args, **kwargs)


# --- arguments ---------------------------------------------------------------------------
def _positive(name: str, value, upper: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not (math.isfinite(value) and 0 < value < upper):
        raise ValueError(f"{name} must be a finite number in (0, {upper:g}), got {value!r}")
    return value


def _scalar(value, what: str) -> float:
    v = np.asarray(value)
    if v.dtype.kind not in "iuf":
        raise TypeError(f"{what} must return a real number, got {v.dtype} ({type(value).__name__})")
    if v.shape not in ((), (1,)):
        raise ValueError(f"{what} must return a scalar, got an array of shape {v.shape}")
    v = float(v.reshape(()))
    if not np.isfinite(v):
        raise ValueError(f"{what} returned {v}; finite differences need a finite value")
    return v


def _blocks(params, what: str = "params") -> list[tuple[str, object]]:
    """Name the blocks of a dict or a list; ``None`` entries are kept (as None)."""
    if isinstance(params, Mapping):
        items = [(str(k), v) for k, v in params.items()]
    elif isinstance(params, Sequence) and not isinstance(params, (str, bytes)):
        items = [(f"[{i}]", v) for i, v in enumerate(params)]
    else:
        raise TypeError(f"{what} must be a dict or a list of arrays, got {type(params).__name__}")
    return items


def _param_blocks(params) -> list[tuple[str, np.ndarray]]:
    out = []
    for name, v in _blocks(params):
        if v is None:
            continue
        if not isinstance(v, np.ndarray) or v.dtype != np.float64:
            kind = type(v).__name__ + (f" of {v.dtype}" if isinstance(v, np.ndarray) else "")
            raise TypeError(f"parameter block {name} must be a float64 numpy array (perturbed in "
                            f"place), got {kind}")
        out.append((name, v))
    return out


# --- the one finite-difference loop ---------------------------------------------------------
def _values_at(f: Callable[[], float], p: np.ndarray, i: int, offsets) -> list[float]:
    """f() with entry i of p moved by each offset in turn (and restored)."""
    old = p.flat[i]
    out = []
    try:
        for d in offsets:
            p.flat[i] = old + d
            out.append(_scalar(f(), "f"))
    finally:
        p.flat[i] = old
    return out


def numerical_gradient(f: Callable[[], float], params, h: float = DEFAULT_H):
    """Central-difference gradient of ``f()`` with respect to every array in ``params``.

    ``params`` is a dict or list of float64 arrays that ``f`` reads (for example a
    model's weights). Each entry is perturbed **in place** and restored, so ``f``
    takes no arguments; any memory layout works. Returns the same kind of container
    with arrays of the same shapes (``None`` entries of a list stay ``None``).
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    h = _positive("h", h, 1.0)
    grads = {}
    for name, p in _param_blocks(params):
        g = np.empty(p.shape)
        for i in range(p.size):
            f_plus, f_minus = _values_at(f, p, i, (h, -h))
            g.flat[i] = (f_plus - f_minus) / (2 * h)
        grads[name] = g
    if isinstance(params, Mapping):
        return {k: grads[str(k)] for k, v in params.items() if v is not None}
    return [None if v is None else grads[f"[{i}]"] for i, v in enumerate(params)]


def central_difference(f: Callable[[np.ndarray], float], x, h: float = DEFAULT_H) -> np.ndarray:
    """Gradient of the scalar ``f`` at array ``x`` by central differences.

    ``f`` is called ``2 * x.size`` times, each time with a perturbed copy of ``x``;
    ``x`` itself is not modified.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    xc = np.array(as_float_array(x, "x"), dtype=np.float64, copy=True)
    return numerical_gradient(lambda: f(xc), [xc], h)[0]


def rel_error(a, b, tiny: float = 0.0) -> np.ndarray:
    """Elementwise :math:`|a-b| / \\max(|a|, |b|, \\text{tiny})` (0 where both are 0)."""
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), tiny)
    diff = np.abs(a - b)
    return np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)


# --- judging one entry ------------------------------------------------------------------------
@dataclass
class _Entry:
    status: str  # "passed" | "kink" | "unresolved" | "failed"
    rel_error: float
    numeric: float


def _judge(g: float, fp1: float, fm1: float, f0: float, floor: float, h: float, tol: float,
           second: Callable[[], tuple[float, float]]) -> _Entry:
    """Judge the analytic entry g from f(theta + h), f(theta - h), f(theta) (see the module
    docstring); ``second()`` gives f(theta + 2h), f(theta - 2h) when they are needed."""
    c1 = (fp1 - fm1) / (2 * h)
    scale = max(abs(g), abs(c1), floor)
    noise = _ROUNDINGS * _U * max(abs(fp1), abs(fm1), abs(f0)) / h
    if noise > RESOLUTION * scale:
        return _Entry("unresolved", math.nan, c1)
    if abs(g - c1) <= tol * scale + noise:
        return _Entry("passed", abs(g - c1) / scale if scale else 0.0, c1)
    fp2, fm2 = second()
    c2 = (fp2 - fm2) / (4 * h)
    r = (4 * c1 - c2) / 3
    scale = max(scale, abs(r))
    noise = _ROUNDINGS * _U * max(abs(fp1), abs(fm1), abs(f0), abs(fp2), abs(fm2)) / h
    if abs(g - r) <= tol * scale + 2 * noise and abs(c1 - c2) <= _SMOOTH * scale:
        return _Entry("passed", abs(g - r) / scale, r)
    forward = ((fp1 - f0) / h, (fp2 - f0) / (2 * h))
    backward = ((f0 - fm1) / h, (f0 - fm2) / (2 * h))
    sides = []
    for one, two in (forward, backward):
        smooth = abs(one - two) <= _SMOOTH * scale + 4 * noise
        sides.append((smooth, 2 * one - two))  # Richardson on one side: O(h^2)
    if abs(sides[0][1] - sides[1][1]) > 1e-3 * scale:  # the two sides disagree: a kink within 2h
        for smooth, slope in sides:
            if smooth and abs(g - slope) <= _ONE_SIDED * scale + 8 * noise:
                return _Entry("kink", math.nan, slope)
    return _Entry("failed", abs(g - c1) / scale, c1)


# --- the report -------------------------------------------------------------------------------
@dataclass
class BlockResult:
    """How the entries of one parameter block fared."""

    block: str
    shape: tuple
    checked: int = 0
    kinks: int = 0
    unresolved: int = 0
    failed: int = 0
    max_rel_error: float = 0.0

    @property
    def status(self) -> str:
        if self.failed:
            return "failed"
        if self.unresolved:
            return "unresolved"
        return "passed"


@dataclass
class GradCheckReport:
    """What a gradient check compared: one row per parameter block."""

    rows: list[BlockResult] = field(default_factory=list)
    tol: float = DEFAULT_TOL
    h: float = DEFAULT_H
    evaluations: int = 0

    @property
    def max_rel_error(self) -> float:
        return max((r.max_rel_error for r in self.rows), default=0.0)

    @property
    def kinks(self) -> int:
        return sum(r.kinks for r in self.rows)

    @property
    def unresolved(self) -> int:
        return sum(r.unresolved for r in self.rows)

    @property
    def passed(self) -> bool:
        """Every entry resolved and within tolerance (kinks excepted, and counted)."""
        return bool(self.rows) and all(r.status == "passed" for r in self.rows)

    def _notes(self) -> str:
        notes = []
        if self.kinks:
            notes.append(tr("{n} entries skipped: the perturbation crosses a kink").format(n=self.kinks))
        if self.unresolved:
            notes.append(tr("{n} entries unresolved: below the rounding noise of central differences at "
                            "this h").format(n=self.unresolved))
        return "; ".join(notes)

    def _repr_html_(self) -> str:
        mark = {"passed": "✓", "failed": "✗", "unresolved": tr("unresolved")}
        body = "".join(
            f"<tr><td><code>{r.block}</code></td><td>{r.shape}</td><td>{r.checked}</td>"
            f"<td>{r.max_rel_error:.1e}</td><td>{mark[r.status]}"
            + (" (" + tr("{n} at kinks").format(n=r.kinks) + ")" if r.kinks else "")
            + (" (" + tr("{n} of {total}").format(n=r.unresolved, total=r.checked + r.unresolved) + ")"
               if r.unresolved else "")
            + "</td></tr>"
            for r in self.rows
        )
        notes = self._notes()
        caption = tr("Central differences, h = {h:g}, {n} evaluations of the cost; each entry judged at its "
                     "block's own scale").format(h=self.h, n=self.evaluations)
        head = "".join(f"<th>{html.escape(t, quote=False)}</th>" for t in (
            tr("block"), tr("shape"), tr("entries checked"), tr("max relative error")))
        return (
            f'<table class="bplib-gradcheck"><caption>{html.escape(caption, quote=False)}'
            f"{html.escape('; ' + notes, quote=False) if notes else ''}</caption>"
            f"<thead><tr>{head}"
            f"<th>≤ {self.tol:.0e}</th></tr></thead><tbody>{body}</tbody></table>"
        )

    def __repr__(self) -> str:
        status = {"passed": tr("passed"), "failed": tr("failed"), "unresolved": tr("unresolved")}
        lines = [tr("gradient check (central differences, h={h:g}, tol={tol:g}, {n} evaluations)").format(
            h=self.h, tol=self.tol, n=self.evaluations)]
        lines += ["  " + tr("{block:>10} {shape:>10}  {checked:>5} checked  max rel error {error:.2e}  "
                            "{status}").format(block=r.block, shape=str(r.shape), checked=r.checked,
                                               error=r.max_rel_error, status=status[r.status])
                  for r in self.rows]
        if self._notes():
            lines.append("  " + self._notes())
        return "\n".join(lines)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/plain": repr(self), "text/html": self._repr_html_()}
        meta = {"bplib": {"kind": "gradcheck", "passed": self.passed,
                          "max_rel_error": self.max_rel_error, "tol": self.tol,
                          "evaluations": self.evaluations, "blocks": len(self.rows),
                          "kinks": self.kinks, "unresolved": self.unresolved}}
        return data, meta


def _raise_for(report: GradCheckReport, worst: dict, allow_unresolved: bool) -> None:
    if worst:
        b, idx, g, num, err = worst["failed"] if "failed" in worst else (None,) * 5
        if b is not None:
            where = f" at index {idx}" if idx is not None else ""
            raise GradientCheckError(
                f"gradient of block {b}{where}: analytic {g:.10g} vs central difference {num:.10g}, "
                f"relative error {err:.3g} > tol {report.tol:g}")
    if report.unresolved and not allow_unresolved:
        blocks = ", ".join(f"{r.block} ({r.unresolved} of {r.checked + r.unresolved})"
                           for r in report.rows if r.unresolved)
        raise GradientCheckError(
            f"central differences at h = {report.h:g} cannot resolve entries of {blocks}: they are "
            "smaller than the rounding noise of f, so neither a right nor a wrong gradient can be "
            "told apart there. Check where the gradient is larger (a less saturated network), or "
            "pass allow_unresolved=True to report them without a verdict.")


def check_gradients(f: Callable[[], float], params, grads, *, tol: float = DEFAULT_TOL,
                    h: float = DEFAULT_H, floor: float = DEFAULT_FLOOR,
                    allow_unresolved: bool = False) -> GradCheckReport:
    """Compare analytic ``grads`` with central differences of ``f()`` over ``params``.

    ``params`` and ``grads`` are parallel dicts or lists naming the same blocks; every
    block of ``params`` must have its gradient. Returns a :class:`GradCheckReport`
    (a table in a notebook); raises :class:`GradientCheckError` naming the block, the
    index, both values and the relative error at the worst failing entry, or when
    entries cannot be resolved (unless ``allow_unresolved``).
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    tol, h, floor = _positive("tol", tol, 1.0), _positive("h", h, 1.0), _positive("floor", floor, 1.0)
    p_blocks = _param_blocks(params)
    if not p_blocks:
        raise ValueError("params is empty: there is nothing to check")
    g_blocks = dict(_blocks(grads, "grads"))
    names = [n for n, _ in p_blocks]
    missing = [n for n in names if g_blocks.get(n) is None]
    extra = [n for n in g_blocks if n not in names and g_blocks[n] is not None]
    if missing or extra:
        raise ValueError("every parameter block needs its gradient and every gradient a block; "
                         f"missing gradients: {missing}, gradients with no block: {extra}")
    counting = CountingFunction(f)
    f0 = _scalar(counting(), "f")
    report = GradCheckReport(tol=tol, h=h)
    worst: dict = {}
    for name, p in p_blocks:
        g = as_float_array(g_blocks[name], f"gradient block {name}")
        if g.shape != p.shape:
            raise ValueError(f"gradient for block {name} must have shape {p.shape}, got {g.shape}")
        first = [_values_at(counting, p, i, (h, -h)) for i in range(p.size)]
        c1 = np.array([(fp - fm) / (2 * h) for fp, fm in first]).reshape(p.shape)
        block_floor = floor * float(max(np.max(np.abs(g), initial=0.0), np.max(np.abs(c1), initial=0.0)))
        row = BlockResult(name, p.shape)
        for i, (fp1, fm1) in enumerate(first):
            entry = _judge(float(g.flat[i]), fp1, fm1, f0, block_floor, h, tol,
                           lambda i=i, p=p: tuple(_values_at(counting, p, i, (2 * h, -2 * h))))
            _count(row, entry, worst, name, np.unravel_index(i, p.shape) if p.ndim else None,
                   float(g.flat[i]))
        report.rows.append(row)
    report.evaluations = counting.calls
    _raise_for(report, worst, allow_unresolved)
    return report


def check_model(model, x, y, **options) -> GradCheckReport:
    """Check every gradient of a bplib model (``params()``, ``loss(x, y)``,
    ``gradients(x, y)``: MLP, Toy, ReLUNet, RNN, the autodiff models) on the data
    ``x``, ``y``; ``options`` as for :func:`check_gradients`."""
    for method in ("params", "loss", "gradients"):
        if not callable(getattr(model, method, None)):
            raise TypeError(f"model must have params(), loss(x, y) and gradients(x, y); "
                            f"{type(model).__name__} has no {method}()")
    return check_gradients(lambda: model.loss(x, y), model.params(), model.gradients(x, y), **options)


def _count(row: BlockResult, entry: _Entry, worst: dict, name: str, index, g: float) -> None:
    if entry.status == "passed":
        row.checked += 1
        row.max_rel_error = max(row.max_rel_error, entry.rel_error)
    elif entry.status == "kink":
        row.kinks += 1
    elif entry.status == "unresolved":
        row.unresolved += 1
    else:
        row.failed += 1
        row.checked += 1
        row.max_rel_error = max(row.max_rel_error, entry.rel_error)
        idx = None if index is None else tuple(int(k) for k in index)
        if "failed" not in worst or entry.rel_error > worst["failed"][4]:
            worst["failed"] = (name, idx, g, entry.numeric, entry.rel_error)


def check_derivative(f: Callable[[np.ndarray], np.ndarray], df: Callable[[np.ndarray], np.ndarray],
                     points, *, tol: float = DEFAULT_TOL, h: float = DEFAULT_H, name: str = "f'",
                     allow_unresolved: bool = False) -> GradCheckReport:
    r"""Check an elementwise derivative ``df`` against central differences of ``f``, point by point.

    For an elementwise function all central differences are taken at once,
    :math:`(f(z+h) - f(z-h)) / 2h`, and each point is judged at its own scale, with the
    floor :math:`\phi S` of the largest derivative :math:`S` over the points (so that
    a derivative 30 times wrong at one point fails, however large it is elsewhere, and
    an exact zero of :math:`f'` is compared absolutely).
    Raises :class:`GradientCheckError` naming the worst point.
    """
    if not callable(f) or not callable(df):
        raise TypeError("f and df must be callable, got "
                        f"{type(f).__name__} and {type(df).__name__}")
    tol, h = _positive("tol", tol, 1.0), _positive("h", h, 1.0)
    z = as_float_array(points, "points")
    if z.size == 0:
        raise ValueError("points is empty: there is nothing to check")

    def at(t):
        v = as_float_array(f(t), "f(points)")
        if v.shape != z.shape:
            raise ValueError(f"f must work elementwise: f(points) has shape {v.shape}, points {z.shape}")
        return v

    fp1, fm1, f0 = at(z + h), at(z - h), at(z)
    evaluations = 3 * z.size
    wide: list = []  # f(z + 2h), f(z - 2h), computed once, only if some point needs them

    def second(i):
        nonlocal evaluations
        if not wide:
            wide.extend((at(z + 2 * h), at(z - 2 * h)))
            evaluations += 2 * z.size
        return float(wide[0].flat[i]), float(wide[1].flat[i])

    analytic = as_float_array(df(z), "df(points)")
    if analytic.shape != z.shape:
        raise ValueError(f"df(points) must have the shape of points {z.shape}, got {analytic.shape}")
    row = BlockResult(name, z.shape)
    worst: dict = {}
    c1 = (fp1 - fm1) / (2 * h)
    floor = DEFAULT_FLOOR * float(max(np.max(np.abs(analytic)), np.max(np.abs(c1))))
    for i in range(z.size):
        entry = _judge(float(analytic.flat[i]), float(fp1.flat[i]), float(fm1.flat[i]), float(f0.flat[i]),
                       floor, h, tol, lambda i=i: second(i))
        _count(row, entry, worst, f"{name} at z = {z.flat[i]:.6g}", None, float(analytic.flat[i]))
    report = GradCheckReport(rows=[row], tol=tol, h=h, evaluations=evaluations)
    _raise_for(report, worst, allow_unresolved)
    return report

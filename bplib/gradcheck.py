r"""Numerical differentiation: the slow, independent route to every gradient.

Introduced in the chapter *Why backpropagation*. The central difference

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

has error :math:`O(h^2)` from truncation and :math:`O(\varepsilon/h)` from rounding,
and costs **two evaluations of f per parameter**. Backpropagation gets every
partial derivative for about the cost of two evaluations in total; this module
is how the book checks backprop and how it counts what the alternative costs.

Agreement is measured by the relative error

.. math:: r = \frac{|a - b|}{\max(|a|, |b|, \text{tiny})}

in float64. The default tolerance is ``tol = 1e-7`` with step ``h = 1e-5``.

Why ``tiny``: a central difference carries a truncation error of about
:math:`h^2 |f'''|/6` and a rounding error of about :math:`k\,\varepsilon |f| / h`,
where :math:`\varepsilon = 2.2\times10^{-16}` and *k* counts the roundings inside
*f*. A gradient entry much smaller than that noise cannot be checked relatively,
so :func:`check_gradients` uses

.. math:: \text{tiny} = \max\Big(10^{-3},\; \frac{30\,\varepsilon\,|f(\theta)|}{h\,\text{tol}}\Big),

the scale below which entries are compared absolutely, at ``tol * tiny`` (for
``|f| = 1`` that is :math:`6.7\times10^{-3}`, an absolute :math:`6.7\times10^{-10}`).
A wrong formula errs by a sizeable fraction of the gradient itself, far above this
floor; a planted 1 % error in one entry of a large cost is still caught (see tests).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float_array

__all__ = [
    "CountingFunction",
    "GradientCheckError",
    "GradCheckReport",
    "central_difference",
    "numerical_gradient",
    "rel_error",
    "check_gradients",
    "check_derivative",
    "noise_floor",
    "DEFAULT_TOL",
    "DEFAULT_H",
    "DEFAULT_TINY",
]

DEFAULT_TOL = 1e-7
DEFAULT_H = 1e-5
DEFAULT_TINY = 1e-3
_ROUNDINGS = 30  # k above: roundings inside one evaluation of f that the floor allows for


def noise_floor(f_value: float, h: float = DEFAULT_H, tol: float = DEFAULT_TOL,
                tiny: float = DEFAULT_TINY) -> float:
    """The scale below which a gradient entry is compared absolutely (see above)."""
    eps = np.finfo(np.float64).eps
    return max(tiny, _ROUNDINGS * eps * abs(f_value) / (h * tol))


class GradientCheckError(AssertionError):
    """Raised when a gradient disagrees with its finite-difference estimate."""


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


def _scalar(value, what: str) -> float:
    v = np.asarray(value, dtype=np.float64)
    if v.shape not in ((), (1,)):
        raise ValueError(f"{what} must return a scalar, got an array of shape {v.shape}")
    v = float(v.reshape(()))
    if not np.isfinite(v):
        raise ValueError(f"{what} returned {v}; finite differences need a finite value")
    return v


def central_difference(f: Callable[[np.ndarray], float], x, h: float = DEFAULT_H) -> np.ndarray:
    """Gradient of the scalar ``f`` at array ``x`` by central differences.

    ``f`` is called ``2 * x.size`` times, each time with a perturbed copy of ``x``;
    ``x`` itself is not modified.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    if not (isinstance(h, (int, float)) and h > 0):
        raise ValueError(f"h must be a positive number, got {h!r}")
    x = as_float_array(x, "x").copy()
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = _scalar(f(x), "f")
        flat[i] = old - h
        f_minus = _scalar(f(x), "f")
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def _blocks(params) -> list[tuple[str, object]]:
    """Name the parameter blocks of a dict or a list (``None`` entries skipped)."""
    if isinstance(params, Mapping):
        items = [(str(k), v) for k, v in params.items()]
    elif isinstance(params, Sequence) and not isinstance(params, (str, bytes)):
        items = [(f"[{i}]", v) for i, v in enumerate(params)]
    else:
        raise TypeError(f"params must be a dict or a list of arrays, got {type(params).__name__}")
    out = []
    for name, v in items:
        if v is None:
            continue
        if not isinstance(v, np.ndarray) or v.dtype != np.float64:
            raise TypeError(
                f"parameter block {name} must be a float64 numpy array (perturbed in place), "
                f"got {type(v).__name__}{'' if not isinstance(v, np.ndarray) else ' of ' + str(v.dtype)}"
            )
        out.append((name, v))
    return out


def numerical_gradient(f: Callable[[], float], params, h: float = DEFAULT_H):
    """Central-difference gradient of ``f()`` with respect to every array in ``params``.

    ``params`` is a dict or list of float64 arrays that ``f`` reads (for example a
    model's weights). Each entry is perturbed **in place** and restored, so ``f``
    takes no arguments. Returns the same kind of container with arrays of the same
    shapes (``None`` entries of a list stay ``None``).
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    grads = {}
    for name, p in _blocks(params):
        g = np.empty_like(p)
        pflat, gflat = p.reshape(-1), g.reshape(-1)
        if not np.shares_memory(pflat, p):
            raise ValueError(f"parameter block {name} must be contiguous to be perturbed in place")
        for i in range(pflat.size):
            old = pflat[i]
            try:
                pflat[i] = old + h
                f_plus = _scalar(f(), "f")
                pflat[i] = old - h
                f_minus = _scalar(f(), "f")
            finally:
                pflat[i] = old
            gflat[i] = (f_plus - f_minus) / (2 * h)
        grads[name] = g
    if isinstance(params, Mapping):
        return {k: grads[str(k)] for k, v in params.items() if v is not None}
    return [None if v is None else grads[f"[{i}]"] for i, v in enumerate(params)]


def rel_error(a, b, tiny: float = DEFAULT_TINY) -> np.ndarray:
    """Elementwise :math:`|a-b| / \\max(|a|, |b|, \\text{tiny})`."""
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), tiny)


@dataclass
class GradCheckReport:
    """What :func:`check_gradients` compared: one row per parameter block."""

    rows: list[dict] = field(default_factory=list)
    tol: float = DEFAULT_TOL
    h: float = DEFAULT_H
    evaluations: int = 0
    floor: float = DEFAULT_TINY

    @property
    def max_rel_error(self) -> float:
        return max((r["max_rel_error"] for r in self.rows), default=0.0)

    @property
    def passed(self) -> bool:
        return self.max_rel_error <= self.tol

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td><code>{r['block']}</code></td><td>{r['shape']}</td>"
            f"<td>{r['max_rel_error']:.2e}</td><td>{'✓' if r['max_rel_error'] <= self.tol else '✗'}</td></tr>"
            for r in self.rows
        )
        return (
            '<table class="bplib-gradcheck"><thead><tr><th>block</th><th>shape</th>'
            f"<th>max relative error</th><th>≤ {self.tol:.0e}</th></tr></thead><tbody>{body}</tbody>"
            f"<caption>central differences, h = {self.h:g}, {self.evaluations} evaluations; "
            f"entries below {self.floor:.1e} compared absolutely</caption></table>"
        )

    def __repr__(self) -> str:
        lines = [f"gradient check (central differences, h={self.h:g}, tol={self.tol:g}, "
                 f"{self.evaluations} evaluations)"]
        lines += [f"  {r['block']:>10} {str(r['shape']):>10}  max rel error {r['max_rel_error']:.2e}"
                  for r in self.rows]
        return "\n".join(lines)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/plain": repr(self), "text/html": self._repr_html_()}
        meta = {"bplib": {"kind": "gradcheck", "passed": self.passed,
                          "max_rel_error": self.max_rel_error, "tol": self.tol,
                          "evaluations": self.evaluations, "blocks": len(self.rows)}}
        return data, meta


def check_gradients(
    f: Callable[[], float],
    params,
    grads,
    *,
    tol: float = DEFAULT_TOL,
    h: float = DEFAULT_H,
    tiny: float = DEFAULT_TINY,
) -> GradCheckReport:
    """Compare analytic ``grads`` with central differences of ``f()`` over ``params``.

    ``params`` and ``grads`` are parallel dicts or lists. Relative errors use
    :func:`noise_floor` of ``f`` at ``params`` as their ``tiny``. Returns a
    :class:`GradCheckReport` (which renders as a table in a notebook); raises
    :class:`GradientCheckError` naming the block, the index, both values and the
    relative error at the worst entry when any entry exceeds ``tol``.
    """
    counting = CountingFunction(f)
    floor = noise_floor(_scalar(counting(), "f"), h=h, tol=tol, tiny=tiny)
    p_blocks = dict(_blocks(params))
    if isinstance(grads, Mapping):
        g_items = [(str(k), v) for k, v in grads.items() if v is not None]
    elif isinstance(grads, Sequence):
        g_items = [(f"[{i}]", v) for i, v in enumerate(grads) if v is not None]
    else:
        raise TypeError(f"grads must be a dict or a list of arrays, got {type(grads).__name__}")
    g_blocks = dict(g_items)
    if set(p_blocks) != set(g_blocks):
        raise ValueError("params and grads must name the same blocks; "
                         f"params: {sorted(p_blocks)}, grads: {sorted(g_blocks)}")
    numeric = numerical_gradient(counting, params, h=h)
    if isinstance(numeric, Mapping):
        n_blocks = {str(k): v for k, v in numeric.items()}
    else:
        n_blocks = dict(_blocks(numeric))
    report = GradCheckReport(tol=tol, h=h, floor=floor)
    for name, p in p_blocks.items():
        g = as_float_array(g_blocks[name], f"gradient block {name}")
        if g.shape != p.shape:
            raise ValueError(f"gradient for block {name} must have shape {p.shape}, got {g.shape}")
        num = n_blocks[name]
        err = rel_error(g, num, tiny=floor)
        worst = np.unravel_index(int(np.argmax(err)), err.shape) if err.size else ()
        report.rows.append({"block": name, "shape": p.shape,
                            "max_rel_error": float(err[worst]) if err.size else 0.0})
        if err.size and err[worst] > tol:
            raise GradientCheckError(
                f"gradient of block {name} at index {tuple(int(i) for i in worst)}: "
                f"analytic {g[worst]:.10g} vs central difference {num[worst]:.10g}, "
                f"relative error {err[worst]:.3g} > tol {tol:g}"
            )
    report.evaluations = counting.calls
    return report


def check_derivative(f: Callable[[np.ndarray], np.ndarray], df: Callable[[np.ndarray], np.ndarray],
                     points, *, tol: float = DEFAULT_TOL, h: float = DEFAULT_H,
                     tiny: float = DEFAULT_TINY, name: str = "f'") -> GradCheckReport:
    """Check an elementwise derivative ``df`` against central differences of ``f``.

    For an elementwise function the central difference at every point can be taken
    at once, :math:`(f(z+h) - f(z-h)) / 2h`, and each stays at the scale of one
    value of ``f`` (summing first would raise the rounding noise with the sum).
    Raises :class:`GradientCheckError` naming the worst point.
    """
    z = as_float_array(points, "points")
    counting = CountingFunction(lambda t: as_float_array(f(t), "f(points)"))
    numeric = (counting(z + h) - counting(z - h)) / (2 * h)
    analytic = as_float_array(df(z), "df(points)")
    if analytic.shape != z.shape:
        raise ValueError(f"df(points) must have the shape of points {z.shape}, got {analytic.shape}")
    floor = noise_floor(float(np.max(np.abs(counting(z)), initial=0.0)), h=h, tol=tol, tiny=tiny)
    err = rel_error(analytic, numeric, tiny=floor)
    report = GradCheckReport(tol=tol, h=h, evaluations=3 * z.size, floor=floor)
    report.rows.append({"block": name, "shape": z.shape, "max_rel_error": float(err.max(initial=0.0))})
    if err.size and err.max() > tol:
        i = np.unravel_index(int(np.argmax(err)), err.shape)
        raise GradientCheckError(
            f"{name} at z = {z[i]:.6g} (index {tuple(int(k) for k in i)}): analytic {analytic[i]:.10g} "
            f"vs central difference {numeric[i]:.10g}, relative error {err[i]:.3g} > tol {tol:g}"
        )
    return report

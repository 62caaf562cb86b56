r"""Cost functions, each owning its output error :math:`\delta^L` (as in Nielsen's ``network2.py``).

Introduced in the chapter *The four equations of backpropagation* (Nielsen ch. 2 and
3). Examples are columns: ``a`` and ``y`` have shape ``(n_L, m)``.

For one example :math:`x` with output :math:`a = \sigma(z)` and target :math:`y`:

* quadratic: :math:`C_x = \tfrac12 \lVert a - y \rVert^2`, :math:`\nabla_a C_x = a - y`,
  and BP1 in full, :math:`\delta^L = \nabla_a C_x \odot \sigma'(z^L)` (for a softmax
  output, the Jacobian's transpose times :math:`\nabla_a C_x`);
* cross-entropy (sigmoid outputs, :math:`0 \le y_j \le 1`):
  :math:`C_x = -\sum_j [y_j \ln a_j + (1-y_j)\ln(1-a_j)]`,
  :math:`\nabla_a C_x = (a-y) / (a(1-a))`, and :math:`\delta^L = a - y`: the
  :math:`\sigma'` has cancelled (Nielsen ch. 3);
* log-likelihood (softmax outputs, each target column a distribution: entries in
  [0, 1] summing to 1): :math:`C_x = -\sum_j y_j \ln a_j`,
  :math:`\nabla_a C_x = -y / a`, and again :math:`\delta^L = a - y` (which needs
  :math:`\sum_j y_j = 1`; the checks refuse other targets).

Each :class:`Cost` carries its **unchecked core** as plain functions (``C``, ``C_z``,
``dC_da``, ``delta``), which the MLP calls once its own public methods have checked
their input, so that its backward pass never branches on the cost: BP1 is
``cost.delta(z, a, y, sigma)``. The checked methods (``per_example``, ``value``,
``grad``, ``per_example_from_z``) validate what a user passes first.

The batch cost is the mean over the :math:`m` columns, :math:`C = \frac1m \sum_x C_x`.
``grad`` and ``delta`` return per-example columns, exactly as BP1 uses them; the
:math:`1/m` is applied once, where BP3 and BP4 average over the batch.

Logs never see 0: activations are clipped into ``[tiny, 1 - eps/2]`` first. The two
costs with a cancelled :math:`\sigma'` are also best computed from :math:`z^L` (``C_z``):
once :math:`a = \sigma(z)` is rounded, the :math:`1 - a` inside the cross-entropy has lost
digits (for :math:`a = 0.9998`, about four of sixteen), while
:math:`C_x = \sum_j \operatorname{softplus}(z_j) - y_j z_j` keeps them all, and for softmax
:math:`C_x = \sum_j y_j(\operatorname{logsumexp}(z) - z_j)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .validate import as_float_array, check_finite, lookup

__all__ = ["Cost", "get", "names", "quadratic", "cross_entropy", "log_likelihood"]

_TINY = np.finfo(np.float64).tiny
_ONE_MINUS = 1.0 - np.finfo(np.float64).eps / 2  # the largest float below 1
_SUM_TOL = 1e-9  # how far a log-likelihood target column's sum may stray from 1


def clip01(a: np.ndarray) -> np.ndarray:
    """``a`` clipped into [tiny, 1 - eps/2], so that ln a and ln(1 - a) are finite."""
    return np.clip(a, _TINY, _ONE_MINUS)


def logsumexp(z: np.ndarray) -> np.ndarray:
    """log sum_j e^{z_j} down each column, shifted so that nothing overflows."""
    top = np.max(z, axis=0, keepdims=True)
    return top + np.log(np.sum(np.exp(z - top), axis=0, keepdims=True))


@dataclass(frozen=True)
class Cost:
    """A cost: its unchecked core (``C``, ``C_z``, ``dC_da``, ``delta``), SymPy form and checks.

    ``requires`` names the output activation the cost needs (``None``: any);
    ``target`` says what each target column must be: ``"any"`` (finite),
    ``"probability"`` (entries in [0, 1]) or ``"distribution"`` (also summing to 1).
    """

    name: str
    C: Callable[[np.ndarray, np.ndarray], np.ndarray]          # C_x per column, from a
    C_z: Callable[[np.ndarray, np.ndarray], np.ndarray] | None  # C_x per column, from z^L
    dC_da: Callable[[np.ndarray, np.ndarray], np.ndarray]      # nabla_a C_x, per column
    delta: Callable                                             # (z, a, y, sigma) -> delta^L (BP1)
    sym_C: Callable
    requires: str | None = None
    target: str = "any"

    # --- the unchecked core, as the MLP uses it -----------------------------------------
    def output_C(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """C_x per column from the output layer, in the most accurate form this cost has."""
        return self.C(a, y) if self.C_z is None else self.C_z(z, y)

    # --- checks ----------------------------------------------------------------------------
    def check_target(self, y: np.ndarray, name: str = "y") -> None:
        """Raise ValueError unless every column of the finite array ``y`` suits this cost."""
        if self.target == "any" or y.size == 0:
            return
        low, high = float(y.min()), float(y.max())
        if not (np.isfinite(low) and np.isfinite(high)):
            check_finite(y, name)
        if low < 0 or high > 1:
            raise ValueError(f"{name} must lie in [0, 1] for the {self.name} cost (a probability per "
                             f"entry), got entries from {low:g} to {high:g}")
        if self.target == "distribution":
            sums = y.sum(axis=0)
            worst = int(np.argmax(np.abs(sums - 1.0)))
            if abs(sums[worst] - 1.0) > _SUM_TOL:
                raise ValueError(f"{name} must have columns summing to 1 for the {self.name} cost (one-hot "
                                 f"or a distribution), got column {worst} summing to {sums[worst]:.10g}")

    def _check(self, a, y, a_name: str = "a"):
        a = as_float_array(a, a_name, ndim=2)
        y = as_float_array(y, "y", ndim=2)
        if a.shape != y.shape:
            raise ValueError(f"y must have the shape of the output {a_name} {a.shape}, got {y.shape}")
        if a.shape[1] == 0:
            raise ValueError(f"{a_name} must hold at least one example (column), got shape {a.shape}")
        self.check_target(y)
        if a_name == "a" and self.target != "any":
            low, high = float(a.min()), float(a.max())
            if low < 0 or high > 1:
                raise ValueError(f"a must lie in [0, 1] for the {self.name} cost (an output of "
                                 f"{self.requires}), got entries from {low:g} to {high:g}")
        return a, y

    # --- checked, for users ---------------------------------------------------------------
    def per_example(self, a, y) -> np.ndarray:
        """:math:`C_x` for each column, shape ``(m,)``."""
        return self.C(*self._check(a, y))

    def value(self, a, y) -> float:
        """The batch cost :math:`C = \\frac1m \\sum_x C_x` (a float)."""
        return float(np.mean(self.per_example(a, y)))

    __call__ = value

    def per_example_from_z(self, z, y) -> np.ndarray:
        """C_x from the output's weighted input z^L (costs whose sigma' cancels)."""
        if self.C_z is None:
            raise ValueError(f"cost must have a formula in terms of z to use per_example_from_z, "
                             f"got {self.name}, which has none")
        return self.C_z(*self._check(z, y, "z"))

    def grad(self, a, y) -> np.ndarray:
        """:math:`\\nabla_a C_x` for each example, as columns of shape ``(n_L, m)``."""
        return self.dC_da(*self._check(a, y))

    def sym(self, a, y):
        """SymPy :math:`C_x` for one example; ``a`` and ``y`` are column Matrices (or lists)."""
        return self.sym_C(sp.Matrix(a), sp.Matrix(y))

    def __repr__(self) -> str:
        return f"Cost({self.name!r})"


quadratic = Cost(
    "quadratic",
    C=lambda a, y: 0.5 * np.sum((a - y) ** 2, axis=0),
    C_z=None,
    dC_da=lambda a, y: a - y,
    delta=lambda z, a, y, sigma: sigma.vjp(z, a, a - y),  # nabla_a C (.) sigma'(z^L)   (BP1)
    sym_C=lambda a, y: sp.Rational(1, 2) * sum((aj - yj) ** 2 for aj, yj in zip(a, y)),
)


def _xent(a, y):
    a = clip01(a)
    return -np.sum(y * np.log(a) + (1 - y) * np.log1p(-a), axis=0)


def _xent_grad(a, y):
    a = clip01(a)
    return (a - y) / (a * (1 - a))


cross_entropy = Cost(
    "cross_entropy",
    C=_xent,
    # -y ln sigma(z) - (1-y) ln(1 - sigma(z)) = softplus(z) - y z; logaddexp(0, z) = softplus(z)
    C_z=lambda z, y: np.sum(np.logaddexp(0.0, z) - y * z, axis=0),
    dC_da=_xent_grad,
    delta=lambda z, a, y, sigma: a - y,  # sigma'(z^L) has cancelled (Nielsen ch. 3)   (BP1)
    sym_C=lambda a, y: -sum(yj * sp.log(aj) + (1 - yj) * sp.log(1 - aj) for aj, yj in zip(a, y)),
    requires="sigmoid",
    target="probability",
)

log_likelihood = Cost(
    "log_likelihood",
    C=lambda a, y: -np.sum(y * np.log(clip01(a)), axis=0),
    C_z=lambda z, y: np.sum(y * (logsumexp(z) - z), axis=0),
    dC_da=lambda a, y: -y / clip01(a),
    delta=lambda z, a, y, sigma: a - y,  # softmax's Jacobian and -y/a cancel when sum(y) = 1   (BP1)
    sym_C=lambda a, y: -sum(yj * sp.log(aj) for aj, yj in zip(a, y)),
    requires="softmax",
    target="distribution",
)

_COSTS = {c.name: c for c in (quadratic, cross_entropy, log_likelihood)}


def names() -> list[str]:
    """The valid cost names."""
    return sorted(_COSTS)


def get(name) -> Cost:
    """Look a cost up by name (a :class:`Cost` is passed through)."""
    return lookup(_COSTS, name, "cost", Cost)

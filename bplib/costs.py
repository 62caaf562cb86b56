r"""Cost functions: value, gradient with respect to the output, SymPy form.

Introduced in the chapter *The four equations of backpropagation* (Nielsen ch. 2
and 3). Examples are columns: ``a`` and ``y`` have shape ``(n_L, m)``.

For one example :math:`x` with output :math:`a` and target :math:`y`:

* quadratic: :math:`C_x = \tfrac12 \lVert a - y \rVert^2`, :math:`\nabla_a C_x = a - y`;
* cross-entropy (sigmoid outputs):
  :math:`C_x = -\sum_j [y_j \ln a_j + (1-y_j)\ln(1-a_j)]`,
  :math:`\nabla_a C_x = (a-y) / (a(1-a))`;
* log-likelihood (softmax outputs, one-hot :math:`y`):
  :math:`C_x = -\sum_j y_j \ln a_j`, :math:`\nabla_a C_x = -y / a`.

The batch cost is the mean over the :math:`m` columns,
:math:`C = \frac1m \sum_x C_x`. ``grad`` returns the per-example gradients
:math:`\nabla_a C_x` as columns, exactly as BP1 uses them; the :math:`1/m`
is applied once, where BP3 and BP4 average over the batch.

Logs never see 0: activations are clipped into ``[tiny, 1 - eps/2]`` first.
For sigmoid + cross-entropy and softmax + log-likelihood the product
:math:`\nabla_a C_x \odot \sigma'(z)` simplifies to :math:`a - y`
(``output_delta_shortcut``), which stays exact when the output saturates.

For those two pairings the cost is also best computed from :math:`z^L` rather than
from :math:`a^L` (``per_example_from_z``): once :math:`a = \sigma(z)` is rounded, the
:math:`1 - a` inside the cross-entropy has lost digits (for :math:`a = 0.9998`, about
four of sixteen), while :math:`C_x = \sum_j \operatorname{softplus}(z_j) - y_j z_j`
keeps them all, and for softmax :math:`C_x = \sum_j y_j(\operatorname{logsumexp}(z) - z_j)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ._validate import as_float_array

__all__ = ["Cost", "get", "names", "quadratic", "cross_entropy", "log_likelihood"]

_TINY = np.finfo(np.float64).tiny
_ONE_MINUS = 1.0 - np.finfo(np.float64).eps / 2  # the largest float below 1


def _clip01(a: np.ndarray) -> np.ndarray:
    return np.clip(a, _TINY, _ONE_MINUS)


def _logsumexp(z: np.ndarray) -> np.ndarray:
    """log sum_j e^{z_j} down each column, shifted so that nothing overflows."""
    top = np.max(z, axis=0, keepdims=True)
    return top + np.log(np.sum(np.exp(z - top), axis=0, keepdims=True))


@dataclass(frozen=True)
class Cost:
    """A cost function: per-example value, gradient and SymPy form."""

    name: str
    _per_example: Callable[[np.ndarray, np.ndarray], np.ndarray]
    _grad: Callable[[np.ndarray, np.ndarray], np.ndarray]
    _sym: Callable
    shortcut_activation: str | None = None
    description: str = ""
    _from_z: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None

    def _check(self, a, y):
        a = as_float_array(a, "a", ndim=2)
        y = as_float_array(y, "y", ndim=2)
        if a.shape != y.shape:
            raise ValueError(f"y must have the shape of the output a {a.shape}, got {y.shape}")
        return a, y

    def per_example(self, a, y) -> np.ndarray:
        """:math:`C_x` for each column, shape ``(m,)``."""
        return self._per_example(*self._check(a, y))

    def value(self, a, y) -> float:
        """The batch cost :math:`C = \\frac1m \\sum_x C_x` (a float)."""
        return float(np.mean(self.per_example(a, y)))

    __call__ = value

    def per_example_from_z(self, z, y) -> np.ndarray:
        """C_x from the output's weighted input z^L (only with ``shortcut_activation``)."""
        if self._from_z is None:
            raise ValueError(f"{self.name} has no formula in terms of z")
        return self._from_z(*self._check(z, y))

    def grad(self, a, y) -> np.ndarray:
        """:math:`\\nabla_a C_x` for each example, as columns of shape ``(n_L, m)``."""
        return self._grad(*self._check(a, y))

    def sym(self, a, y):
        """SymPy :math:`C_x` for one example; ``a`` and ``y`` are column Matrices (or lists)."""
        return self._sym(sp.Matrix(a), sp.Matrix(y))

    def output_delta_shortcut(self, activation_name: str) -> bool:
        """True when :math:`\\nabla_a C \\odot f'(z)` simplifies to :math:`a - y` for this activation."""
        return self.shortcut_activation is not None and activation_name == self.shortcut_activation

    def __repr__(self) -> str:
        return f"Cost({self.name!r})"


quadratic = Cost(
    "quadratic",
    lambda a, y: 0.5 * np.sum((a - y) ** 2, axis=0),
    lambda a, y: a - y,
    lambda a, y: sp.Rational(1, 2) * sum((aj - yj) ** 2 for aj, yj in zip(a, y)),
    description="C_x = 1/2 ||a - y||^2",
)


def _xent(a, y):
    a = _clip01(a)
    return -np.sum(y * np.log(a) + (1 - y) * np.log1p(-a), axis=0)


def _xent_grad(a, y):
    a = _clip01(a)
    return (a - y) / (a * (1 - a))


cross_entropy = Cost(
    "cross_entropy",
    _xent,
    _xent_grad,
    lambda a, y: -sum(yj * sp.log(aj) + (1 - yj) * sp.log(1 - aj) for aj, yj in zip(a, y)),
    shortcut_activation="sigmoid",
    description="C_x = -sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)], for sigmoid outputs",
    # -y ln sigma(z) - (1-y) ln(1 - sigma(z)) = softplus(z) - y z; logaddexp(0, z) = softplus(z)
    _from_z=lambda z, y: np.sum(np.logaddexp(0.0, z) - y * z, axis=0),
)

log_likelihood = Cost(
    "log_likelihood",
    lambda a, y: -np.sum(y * np.log(_clip01(a)), axis=0),
    lambda a, y: -y / _clip01(a),
    lambda a, y: -sum(yj * sp.log(aj) for aj, yj in zip(a, y)),
    shortcut_activation="softmax",
    description="C_x = -sum_j y_j ln a_j, for softmax outputs with one-hot y",
    _from_z=lambda z, y: np.sum(y * (_logsumexp(z) - z), axis=0),
)

_REGISTRY = {c.name: c for c in (quadratic, cross_entropy, log_likelihood)}


def names() -> list[str]:
    """The valid cost names."""
    return sorted(_REGISTRY)


def get(name) -> Cost:
    """Look a cost up by name (a :class:`Cost` is passed through)."""
    if isinstance(name, Cost):
        return name
    if not isinstance(name, str):
        raise TypeError(f"cost must be a name (str), got {type(name).__name__}")
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown cost {name!r}; valid names: {', '.join(names())}") from None

r"""Activation functions, each with its derivative and its SymPy form.

Introduced in the chapter *The sigmoid and its derivative*; used by every model.

An :class:`Activation` carries three views of one function so that the book can
check each against the others:

* ``f(z)``: the NumPy function, applied elementwise to an array of any shape;
* ``df(z)``: its derivative :math:`f'(z)`, elementwise;
* ``sym(z)``: the SymPy expression of :math:`f` for a SymPy symbol ``z``.

Softmax is the exception: it maps a whole column :math:`z \in \mathbb{R}^n` to
:math:`a_j = e^{z_j} / \sum_k e^{z_k}`, so its derivative is a Jacobian, not an
elementwise function. Every activation therefore also offers
``backward(z, grad_a)``, the vector-Jacobian product
:math:`(\partial a / \partial z)^T \nabla_a C`, which for an elementwise function
is just :math:`\nabla_a C \odot f'(z)`, the Hadamard product of BP1 and BP2.

Derivatives at kinks are conventions: ReLU's derivative at 0 is taken to be 0
(as in PyTorch and JAX).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.special import expit

from ._validate import as_float_array

__all__ = ["Activation", "get", "names", "sigmoid", "tanh", "relu", "identity", "softmax"]


@dataclass(frozen=True)
class Activation:
    """One activation function in its NumPy, derivative and SymPy forms."""

    name: str
    _f: Callable[[np.ndarray], np.ndarray]
    _df: Callable[[np.ndarray], np.ndarray] | None
    _sym: Callable
    elementwise: bool = True
    kinks: tuple[float, ...] = ()
    description: str = ""
    _df_from_a: Callable[[np.ndarray], np.ndarray] | None = None

    def f(self, z) -> np.ndarray:
        """The activation :math:`a = f(z)`; softmax works down each column."""
        z = as_float_array(z, "z")
        if not self.elementwise and z.ndim != 2:
            raise ValueError(f"{self.name} needs z with shape (n, m), got {z.shape}")
        return self._f(z)

    __call__ = f

    def df(self, z) -> np.ndarray:
        """The derivative :math:`f'(z)`, elementwise (not defined for softmax)."""
        if not self.elementwise:
            raise ValueError(
                f"{self.name} is not elementwise: its derivative is a Jacobian; "
                "use backward(z, grad_a) or jacobian(z_column)"
            )
        return self._df(as_float_array(z, "z"))

    def df_from_a(self, a) -> np.ndarray:
        """f'(z) computed from the value a = f(z) that the forward pass already has:
        sigma' = a(1 - a), tanh' = 1 - a^2, relu' = [a > 0], identity' = 1."""
        if self._df_from_a is None:
            raise ValueError(f"{self.name} has no elementwise derivative in terms of its value")
        return self._df_from_a(as_float_array(a, "a"))

    def backward(self, z, grad_a) -> np.ndarray:
        r"""Vector-Jacobian product :math:`(\partial a/\partial z)^T g` for each column."""
        z = as_float_array(z, "z")
        grad_a = as_float_array(grad_a, "grad_a")
        if grad_a.shape != z.shape:
            raise ValueError(f"grad_a must have the shape of z {z.shape}, got {grad_a.shape}")
        if self.elementwise:
            return grad_a * self._df(z)
        a = self.f(z)
        # softmax: J = diag(a) - a a^T is symmetric, so J^T g = a * (g - a.g)
        return a * (grad_a - np.sum(a * grad_a, axis=0, keepdims=True))

    def jacobian(self, z) -> np.ndarray:
        r"""The Jacobian :math:`\partial a / \partial z` for one column ``z`` of shape (n,) or (n, 1)."""
        z = as_float_array(z, "z")
        if z.ndim == 2 and z.shape[1] == 1:
            z = z[:, 0]
        if z.ndim != 1:
            raise ValueError(f"jacobian takes one column z of shape (n,) or (n, 1), got {z.shape}")
        if self.elementwise:
            return np.diag(self._df(z))
        a = self.f(z[:, None])[:, 0]
        return np.diag(a) - np.outer(a, a)

    def sym(self, z):
        """The SymPy expression of the activation at ``z`` (a Symbol, or a column Matrix for softmax)."""
        return self._sym(z)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


# --- sigmoid -------------------------------------------------------------------
def _sigmoid(z: np.ndarray) -> np.ndarray:
    # SciPy's expit is the logistic function as one compiled ufunc that never
    # overflows: it evaluates 1/(1+e^{-z}) for z >= 0 and e^{z}/(1+e^{z}) for z < 0,
    # so the exponential only ever sees -|z|, as the chapter explains.
    return expit(z)


def _sigmoid_prime(z: np.ndarray) -> np.ndarray:
    s = _sigmoid(z)
    return s * (1.0 - s)  # sigma'(z) = sigma(z)(1 - sigma(z))


sigmoid = Activation(
    "sigmoid",
    _sigmoid,
    _sigmoid_prime,
    lambda z: 1 / (1 + sp.exp(-z)),
    description="logistic sigmoid 1/(1+e^{-z})",
    _df_from_a=lambda a: a * (1.0 - a),
)

# --- tanh ------------------------------------------------------------------------
def _tanh_prime(z: np.ndarray) -> np.ndarray:
    # tanh'(z) = 1 - tanh(z)^2 = sech(z)^2. Written as 1 - tanh^2 it loses digits
    # once tanh(z) is close to 1 (|z| > ~6); sech^2 = 4 e^{-2|z|} / (1 + e^{-2|z|})^2
    # keeps full precision and never overflows.
    e = np.exp(-2.0 * np.abs(z))
    return 4.0 * e / (1.0 + e) ** 2


tanh = Activation(
    "tanh",
    np.tanh,
    _tanh_prime,
    sp.tanh,
    description="hyperbolic tangent",
    _df_from_a=lambda a: 1.0 - a * a,
)

# --- ReLU ------------------------------------------------------------------------
relu = Activation(
    "relu",
    lambda z: np.maximum(z, 0.0),
    lambda z: (z > 0).astype(np.float64),  # convention: relu'(0) = 0
    lambda z: sp.Max(z, 0),
    kinks=(0.0,),
    description="rectified linear unit max(z, 0); derivative at 0 taken as 0",
    _df_from_a=lambda a: (a > 0).astype(np.float64),
)

# --- identity ------------------------------------------------------------------
identity = Activation(
    "identity",
    lambda z: z.copy(),
    np.ones_like,
    lambda z: z,
    description="identity, for regression outputs",
    _df_from_a=np.ones_like,
)


# --- softmax ---------------------------------------------------------------------
def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - np.max(z, axis=0, keepdims=True))  # shift: no overflow
    return e / np.sum(e, axis=0, keepdims=True)


def _softmax_sym(z):
    z = sp.Matrix(z)
    denom = sum(sp.exp(zk) for zk in z)
    return z.applyfunc(lambda zj: sp.exp(zj) / denom)


softmax = Activation(
    "softmax",
    _softmax,
    None,
    _softmax_sym,
    elementwise=False,
    description="softmax down each column, for a probability output layer",
)

_REGISTRY = {act.name: act for act in (sigmoid, tanh, relu, identity, softmax)}


def names() -> list[str]:
    """The valid activation names."""
    return sorted(_REGISTRY)


def get(name) -> Activation:
    """Look an activation up by name (an :class:`Activation` is passed through)."""
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), got {type(name).__name__}")
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; valid names: {', '.join(names())}") from None

r"""Activation functions for the networks, each with its derivative and SymPy form.

Introduced in the chapter *The sigmoid and its derivative*; used by every model.

An :class:`Activation` is the **checked** face of an unchecked core: it validates what
a user passes (an array of real, finite numbers of the right shape) and then calls
``core``, which is an entry of the one table of elementwise functions,
:mod:`bplib.functions` (sigmoid, tanh, ReLU, identity), or :class:`Softmax`. The models
call the core directly, once their own public methods have checked their inputs.

* ``f(z)``: :math:`a = f(z)`, elementwise on an array of any shape;
* ``df(z)``: :math:`f'(z)`, in a form exact in saturation (see :mod:`bplib.functions`);
* ``df_from_a(a)``: :math:`f'(z)` from the value :math:`a = f(z)`: :math:`a(1-a)` for the
  sigmoid, :math:`1-a^2` for tanh; the form the book teaches and the MLP runs;
* ``backward(z, grad_a)``: the vector-Jacobian product
  :math:`(\partial a/\partial z)^T \nabla_a C`, which for an elementwise function is the
  Hadamard product :math:`\nabla_a C \odot f'(z)` of BP1 and BP2;
* ``sym(z)``: the SymPy expression.

Softmax maps a whole column :math:`z \in \mathbb{R}^n` to :math:`a_j = e^{z_j}/\sum_k e^{z_k}`,
so its derivative is a Jacobian :math:`\operatorname{diag}(a) - a a^T`, not an elementwise
function: it has ``backward`` and ``jacobian`` but no ``df``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from . import functions
from .validate import as_float_array, lookup

__all__ = ["Activation", "Softmax", "get", "names", "sigmoid", "tanh", "relu", "identity", "softmax"]


class Softmax:
    """The unchecked softmax core: ``f`` down each column, its vector-Jacobian product and
    Jacobian, and the SymPy form."""

    name = "softmax"
    kinks: tuple[float, ...] = ()

    @staticmethod
    def f(z: np.ndarray) -> np.ndarray:
        e = np.exp(z - np.max(z, axis=0, keepdims=True))  # shifted: the exponent is never positive
        return e / np.sum(e, axis=0, keepdims=True)

    @staticmethod
    def vjp(z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        # J = diag(a) - a a^T is symmetric, so J^T g = a * (g - a.g), column by column
        return a * (grad_a - np.sum(a * grad_a, axis=0, keepdims=True))

    @staticmethod
    def jacobian(a_column: np.ndarray) -> np.ndarray:
        return np.diag(a_column) - np.outer(a_column, a_column)

    @staticmethod
    def sym(z):
        z = sp.Matrix(z)
        denominator = sum(sp.exp(zk) for zk in z)
        return z.applyfunc(lambda zj: sp.exp(zj) / denominator)


@dataclass(frozen=True)
class Activation:
    """One activation, checked: validates its input, then calls the unchecked ``core``."""

    core: functions.Elementwise | Softmax

    @property
    def name(self) -> str:
        return self.core.name

    @property
    def elementwise(self) -> bool:
        return isinstance(self.core, functions.Elementwise)

    @property
    def kinks(self) -> tuple[float, ...]:
        return self.core.kinks

    def _columns(self, z, name: str) -> np.ndarray:
        z = as_float_array(z, name)
        if not self.elementwise and (z.ndim != 2 or z.shape[0] == 0):
            raise ValueError(f"{name} must have shape (n, m) with n >= 1 for softmax (examples as "
                             f"columns), got {z.shape}")
        return z

    def f(self, z) -> np.ndarray:
        """The activation :math:`a = f(z)`; softmax works down each column."""
        return self.core.f(self._columns(z, "z"))

    __call__ = f

    def df(self, z) -> np.ndarray:
        """The derivative :math:`f'(z)`, elementwise (softmax has a Jacobian instead)."""
        if not self.elementwise:
            raise ValueError(f"{self.name} must be elementwise to have df, got softmax, whose derivative "
                             "is a Jacobian: use backward(z, grad_a) or jacobian(z)")
        return self.core.df(as_float_array(z, "z"))

    def df_from_a(self, a) -> np.ndarray:
        """f'(z) from the value a = f(z): sigma' = a(1 - a), tanh' = 1 - a^2, relu' = [a > 0]."""
        if not self.elementwise or self.core.df_from_f is None:
            raise ValueError(f"{self.name} must have an elementwise derivative in terms of its value "
                             "to use df_from_a, got one without; use backward(z, grad_a)")
        return self.core.df_from_f(as_float_array(a, "a"))

    def backward(self, z, grad_a) -> np.ndarray:
        r"""Vector-Jacobian product :math:`(\partial a/\partial z)^T g` for each column."""
        z = self._columns(z, "z")
        grad_a = as_float_array(grad_a, "grad_a")
        if grad_a.shape != z.shape:
            raise ValueError(f"grad_a must have the shape of z {z.shape}, got {grad_a.shape}")
        if self.elementwise:
            return grad_a * self.core.df(z)
        return self.core.vjp(z, self.core.f(z), grad_a)

    def jacobian(self, z) -> np.ndarray:
        r"""The Jacobian :math:`\partial a / \partial z` for one column ``z`` of shape (n,) or (n, 1)."""
        z = as_float_array(z, "z")
        if z.ndim == 2 and z.shape[1] == 1:
            z = z[:, 0]
        if z.ndim != 1 or z.size == 0:
            raise ValueError(f"z must have shape (n,) or (n, 1) with n >= 1 (one column), got {z.shape}")
        if self.elementwise:
            return np.diag(self.core.df(z))
        return self.core.jacobian(self.core.f(z[:, None])[:, 0])

    def sym(self, z):
        """The SymPy expression at ``z`` (a Symbol, or a column Matrix for softmax)."""
        return self.core.sym(z)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


sigmoid = Activation(functions.sigmoid)
tanh = Activation(functions.tanh)
relu = Activation(functions.relu)
identity = Activation(functions.identity)
softmax = Activation(Softmax())

_ACTIVATIONS = {act.name: act for act in (sigmoid, tanh, relu, identity, softmax)}


def names() -> list[str]:
    """The valid activation names."""
    return sorted(_ACTIVATIONS)


def get(name, what: str = "activation") -> Activation:
    """Look an activation up by name (an :class:`Activation` is passed through)."""
    return lookup(_ACTIVATIONS, name, what, Activation)

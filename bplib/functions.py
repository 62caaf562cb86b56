r"""The one table of elementwise functions: value, derivative, derivative from the value, SymPy.

Introduced in the chapter *The sigmoid and its derivative*; every other module that
applies a scalar function elementwise takes it from here: :mod:`bplib.activations`
(the MLP's and the RNN's :math:`\sigma`), :class:`bplib.toy.Toy` (Prince's
:math:`\sin, \exp, \cos`) and :mod:`bplib.autodiff` (each op's local derivative).

Each :class:`Elementwise` entry holds four views of one function :math:`g`:

* ``f(z)``: :math:`g(z)` in NumPy, elementwise, on an array of any shape;
* ``df(z)``: :math:`g'(z)` from :math:`z`, in a form exact in float64 everywhere,
  saturation included;
* ``df_from_f(a)``: :math:`g'(z)` from the value :math:`a = g(z)` the forward pass
  already has, where that is cheaper (``None`` where there is no such form);
* ``sym(z)``: the SymPy expression, the independent route every test checks against.

The entries are the **unchecked core**: they trust their input (a float64 array) and
never validate it; :mod:`bplib.activations` checks what a user passes.

Which form the book teaches and which one runs
----------------------------------------------
The book teaches :math:`\sigma'(z) = \sigma(z)(1 - \sigma(z))` and
:math:`\tanh'(z) = 1 - \tanh^2(z)`: the derivative from the value, which the backward
pass gets almost for free because the forward pass kept :math:`a = \sigma(z)`. That is
``df_from_f``, and :meth:`bplib.mlp.MLP.backprop` runs it (BP1, BP2), as Nielsen does.

It loses *relative* accuracy where the function saturates: once :math:`a` rounds to
1, :math:`1 - a` is 0 or one ulp, so at :math:`z = 37` the a-form of :math:`\sigma'` is
100 % off and at :math:`z = 19` the a-form of :math:`\tanh'` about 60 % off, although
both are off by less than :math:`10^{-16}` absolutely (what a gradient step sees).
``df`` therefore runs forms that keep every digit and never overflow,

.. math::

   \sigma'(z) = \frac{e^{-|z|}}{(1 + e^{-|z|})^2}, \qquad
   \tanh'(z) = \frac{4 e^{-2|z|}}{(1 + e^{-2|z|})^2},

and everything that does not need the a-form uses ``df``: the toy model, the RNN,
autodiff, the explorers, ``Activation.df``.

The sigmoid itself never exponentiates a positive number: for :math:`z \ge 0` it is
:math:`1/(1 + e^{-z})` and for :math:`z < 0` the equal :math:`e^{z}/(1 + e^{z})`, both
written with :math:`e^{-|z|} \in (0, 1]`. It is plain NumPy (not SciPy's ``expit``), so
``np.errstate(over="raise")`` around it would see an overflow if there were one.

ReLU's derivative at its kink 0 is taken to be 0 (as in PyTorch and JAX); ``kinks``
lists such points so that tests keep central differences away from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .validate import lookup

__all__ = ["Elementwise", "FUNCTIONS", "get", "names",
           "sigmoid", "tanh", "relu", "identity", "sin", "cos", "exp"]


@dataclass(frozen=True)
class Elementwise:
    """One scalar function, applied elementwise: value, derivative, derivative from
    the value (or ``None``), SymPy form, and its kinks."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    df_from_f: Callable[[np.ndarray], np.ndarray] | None
    sym: Callable
    kinks: tuple[float, ...] = ()

    def vjp(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """grad_a * g'(z), the Hadamard product of BP1 and BP2 (the vector-Jacobian product of
        an elementwise function), with g' from the value a = g(z) where the table has that form."""
        return grad_a * (self.df(z) if self.df_from_f is None else self.df_from_f(a))

    def __repr__(self) -> str:
        return f"Elementwise({self.name!r})"


# --- sigmoid ---------------------------------------------------------------------------
def sigmoid_f(z: np.ndarray) -> np.ndarray:
    e = np.exp(np.copysign(z, -1.0))   # e^{-|z|} in (0, 1]: exp never sees a positive number
    return np.where(z >= 0, 1.0, e) / (1.0 + e)   # 1/(1 + e^{-z}) for z >= 0, e^{z}/(1 + e^{z}) for z < 0


def sigmoid_df(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))             # sigma'(z) = sigma'(|z|) = e^{-|z|} / (1 + e^{-|z|})^2
    return e / (1.0 + e) ** 2


sigmoid = Elementwise("sigmoid", sigmoid_f, sigmoid_df, lambda a: a * (1.0 - a),
                      lambda z: 1 / (1 + sp.exp(-z)))


# --- tanh ------------------------------------------------------------------------------
def tanh_df(z: np.ndarray) -> np.ndarray:
    e = np.exp(-2.0 * np.abs(z))       # sech^2 z = 4 e^{-2|z|} / (1 + e^{-2|z|})^2
    return 4.0 * e / (1.0 + e) ** 2


tanh = Elementwise("tanh", np.tanh, tanh_df, lambda a: 1.0 - a * a, sp.tanh)

# --- the rest of the table ---------------------------------------------------------------
relu = Elementwise("relu", lambda z: np.maximum(z, 0.0),
                   lambda z: (z > 0).astype(np.float64),   # relu'(0) = 0 by convention
                   lambda a: (a > 0).astype(np.float64),
                   lambda z: sp.Max(z, 0), kinks=(0.0,))
identity = Elementwise("identity", lambda z: z.copy(), np.ones_like, np.ones_like, lambda z: z)
sin = Elementwise("sin", np.sin, np.cos, None, sp.sin)
cos = Elementwise("cos", np.cos, lambda z: -np.sin(z), None, sp.cos)
exp = Elementwise("exp", np.exp, np.exp, lambda a: a.copy(), sp.exp)

FUNCTIONS: dict[str, Elementwise] = {g.name: g for g in (sigmoid, tanh, relu, identity, sin, cos, exp)}


def names() -> list[str]:
    """The names in the table."""
    return sorted(FUNCTIONS)


def get(name) -> Elementwise:
    """Look a function up by name (an :class:`Elementwise` is passed through)."""
    return lookup(FUNCTIONS, name, "function", Elementwise)

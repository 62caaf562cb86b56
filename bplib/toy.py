r"""Prince's modular toy model, and its vector form with ReLU.

Introduced in the chapter *The modular toy model* (Prince, *Understanding Deep
Learning*, ch. 7).

Scalar form. With :math:`h_0 = x` and elementwise functions
:math:`(g_1, g_2, g_3) = (\sin, \exp, \cos)` by default,

.. math::

   f_k = \beta_k + \omega_k h_k \quad (k = 0..3), \qquad h_{k+1} = g_{k+1}(f_k),
   \qquad \ell = (f_3 - y)^2,

so :math:`f_3 = \beta_3 + \omega_3\cos[\beta_2 + \omega_2\exp[\beta_1 + \omega_1\sin[\beta_0 + \omega_0 x]]]`.
The backward pass reuses each factor once:

.. math::

   \frac{\partial\ell}{\partial f_3} = 2(f_3 - y), \quad
   \frac{\partial\ell}{\partial h_k} = \omega_k \frac{\partial\ell}{\partial f_k}, \quad
   \frac{\partial\ell}{\partial f_{k-1}} = g_k'(f_{k-1}) \frac{\partial\ell}{\partial h_k},

and then :math:`\partial\ell/\partial\beta_k = \partial\ell/\partial f_k`,
:math:`\partial\ell/\partial\omega_k = h_k\,\partial\ell/\partial f_k`.
For a batch of pairs ``x``, ``y`` of shape ``(m,)`` the loss is the sum
:math:`\sum_i \ell_i` (Prince's :math:`L`) and the gradients are of that sum.

Vector form. :math:`f_0 = \beta_0 + \Omega_0 x`, :math:`h_k = \mathrm{ReLU}(f_{k-1})`,
:math:`f_k = \beta_k + \Omega_k h_k`, loss :math:`\sum \lVert f_K - y\rVert^2`. The
ReLU's Jacobian is the diagonal 0/1 matrix :math:`\mathrm{diag}(\mathbb{I}[f_{k-1} > 0])`;
multiplying by it is the same as masking elementwise. Then
:math:`\partial\ell/\partial\Omega_k = (\partial\ell/\partial f_k)\, h_k^T`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from ._validate import as_float_array, check_positive_int, check_rng, check_shape
from .layers import Layers

__all__ = ["FUNCTIONS", "Toy", "ToyForward", "ToyBackward", "ReLUNet"]


@dataclass(frozen=True)
class Elementwise:
    """A scalar function for the toy model: value, derivative, SymPy form."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    sym: Callable


def _sig(t):
    from .activations import sigmoid

    return sigmoid._f(t)


FUNCTIONS = {
    "sin": Elementwise("sin", np.sin, np.cos, sp.sin),
    "cos": Elementwise("cos", np.cos, lambda t: -np.sin(t), sp.cos),
    "exp": Elementwise("exp", np.exp, np.exp, sp.exp),
    "tanh": Elementwise("tanh", np.tanh, lambda t: 1 / np.cosh(t) ** 2, sp.tanh),
    "sigmoid": Elementwise("sigmoid", _sig, lambda t: _sig(t) * (1 - _sig(t)),
                           lambda t: 1 / (1 + sp.exp(-t))),
}


def _function(name) -> Elementwise:
    if isinstance(name, Elementwise):
        return name
    try:
        return FUNCTIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown function {name!r}; valid names: {', '.join(sorted(FUNCTIONS))}") from None


@dataclass
class ToyForward:
    """f[0..3] and h[0..3] (h[0] is x), and the loss."""

    f: list
    h: list
    loss: float


@dataclass
class ToyBackward:
    """dl_df[k], dl_dh[k] and the parameter gradients dbeta[k], domega[k]."""

    dl_df: list
    dl_dh: list = field(default_factory=list)
    dbeta: np.ndarray | None = None
    domega: np.ndarray | None = None


class Toy:
    """``Toy(beta, omega, funcs=("sin", "exp", "cos"))``: four modules f0..f3."""

    def __init__(self, beta, omega, funcs=("sin", "exp", "cos")):
        self.beta = as_float_array(beta, "beta", ndim=1).copy()
        self.omega = as_float_array(omega, "omega", ndim=1).copy()
        check_shape(self.beta, (4,), "beta")
        check_shape(self.omega, (4,), "omega")
        if len(funcs) != 3:
            raise ValueError(f"funcs names the 3 functions between the 4 modules, got {len(funcs)}")
        self.funcs = [_function(g) for g in funcs]

    def params(self) -> dict[str, np.ndarray]:
        return {"beta": self.beta, "omega": self.omega}

    @staticmethod
    def _xy(x, y):
        x = np.atleast_1d(as_float_array(x, "x"))
        y = np.atleast_1d(as_float_array(y, "y"))
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError("x and y must be scalars or 1-D arrays of one shape, "
                             f"got {x.shape} and {y.shape}")
        return x, y

    def forward(self, x, y) -> ToyForward:
        """f_k = beta_k + omega_k h_k and h_{k+1} = g_{k+1}(f_k); loss = sum (f_3 - y)^2."""
        x, y = self._xy(x, y)
        h, f = [x], []
        for k in range(4):
            f.append(self.beta[k] + self.omega[k] * h[k])
            if k < 3:
                h.append(self.funcs[k].f(f[k]))
        return ToyForward(f=f, h=h, loss=float(np.sum((f[3] - y) ** 2)))

    def backward(self, x, y, fwd: ToyForward | None = None) -> ToyBackward:
        """dl/df_3, dl/dh_3, dl/df_2, ..., dl/df_0, then dl/dbeta_k and dl/domega_k."""
        x, y = self._xy(x, y)
        fwd = fwd or self.forward(x, y)
        f, h = fwd.f, fwd.h
        dl_df = [None] * 4
        dl_dh = [None] * 4
        dl_df[3] = 2 * (f[3] - y)
        for k in range(3, 0, -1):
            dl_dh[k] = self.omega[k] * dl_df[k]
            dl_df[k - 1] = self.funcs[k - 1].df(f[k - 1]) * dl_dh[k]
        dbeta = np.array([np.sum(dl_df[k]) for k in range(4)])
        domega = np.array([np.sum(h[k] * dl_df[k]) for k in range(4)])
        return ToyBackward(dl_df=dl_df, dl_dh=dl_dh, dbeta=dbeta, domega=domega)

    def loss(self, x, y) -> float:
        return self.forward(x, y).loss

    def gradients(self, x, y) -> dict[str, np.ndarray]:
        b = self.backward(x, y)
        return {"beta": b.dbeta, "omega": b.domega}

    # --- the whole expression, symbolically -------------------------------------------
    def symbols(self):
        x, y = sp.symbols("x y", real=True)
        beta = sp.symbols("beta0:4", real=True)
        omega = sp.symbols("omega0:4", real=True)
        return x, y, beta, omega

    def sym_loss(self):
        """The loss as one SymPy expression in x, y, beta0..3, omega0..3."""
        x, y, beta, omega = self.symbols()
        h = x
        for k in range(3):
            h = self.funcs[k].sym(beta[k] + omega[k] * h)
        return (beta[3] + omega[3] * h - y) ** 2

    def sym_gradients(self) -> dict[str, list]:
        """dl/dbeta_k and dl/domega_k by differentiating the whole expression."""
        x, y, beta, omega = self.symbols()
        loss = self.sym_loss()
        return {"beta": [sp.diff(loss, b) for b in beta], "omega": [sp.diff(loss, w) for w in omega]}


class ReLUNet:
    """The vector form: ``ReLUNet(sizes=[D_i, D_1, ..., D_o], rng=...)``.

    ``Omega[k]`` has shape ``(sizes[k+1], sizes[k])`` and ``beta[k]`` shape
    ``(sizes[k+1], 1)`` for ``k = 0..K``; ``x`` holds examples as columns.
    """

    def __init__(self, sizes, rng: np.random.Generator):
        self.sizes = [check_positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
        if len(self.sizes) < 2:
            raise ValueError(f"sizes needs an input and an output width, got {self.sizes}")
        check_rng(rng)
        K = len(self.sizes) - 2
        self.Omega = Layers([rng.normal(0, np.sqrt(2 / self.sizes[k]), (self.sizes[k + 1], self.sizes[k]))
                             for k in range(K + 1)], first=0, name="Omega")
        self.beta = Layers([rng.normal(0, 0.1, (self.sizes[k + 1], 1)) for k in range(K + 1)],
                           first=0, name="beta")

    @property
    def K(self) -> int:
        return len(self.sizes) - 2

    def params(self) -> dict[str, np.ndarray]:
        out = {}
        for k in range(self.K + 1):
            out[f"Omega[{k}]"] = self.Omega[k]
            out[f"beta[{k}]"] = self.beta[k]
        return out

    def _xy(self, x, y):
        x = as_float_array(x, "x")
        y = as_float_array(y, "y")
        check_shape(x, (self.sizes[0], None), "x")
        check_shape(y, (self.sizes[-1], x.shape[1]), "y")
        return x, y

    def forward(self, x, y):
        """Returns (f, h, loss): f[0..K], h[0..K] with h[0] = x."""
        x, y = self._xy(x, y)
        h, f = [x], []
        for k in range(self.K + 1):
            f.append(self.beta[k] + self.Omega[k] @ h[k])
            if k < self.K:
                h.append(np.maximum(f[k], 0.0))
        return f, h, float(np.sum((f[-1] - y) ** 2))

    def backward(self, x, y, relu_as: str = "mask") -> dict[str, np.ndarray]:
        """Gradients of the summed loss; ``relu_as`` is ``"mask"`` (elementwise) or
        ``"diagonal"`` (an explicit 0/1 diagonal matrix per example)."""
        if relu_as not in ("mask", "diagonal"):
            raise ValueError(f"relu_as must be 'mask' or 'diagonal', got {relu_as!r}")
        x, y = self._xy(x, y)
        f, h, _ = self.forward(x, y)
        grads = {}
        dl_df = 2 * (f[-1] - y)
        for k in range(self.K, -1, -1):
            grads[f"Omega[{k}]"] = dl_df @ h[k].T
            grads[f"beta[{k}]"] = dl_df.sum(axis=1, keepdims=True)
            if k == 0:
                break
            dl_dh = self.Omega[k].T @ dl_df
            if relu_as == "mask":
                dl_df = (f[k - 1] > 0) * dl_dh
            else:
                dl_df = np.column_stack([np.diag((f[k - 1][:, i] > 0).astype(float)) @ dl_dh[:, i]
                                         for i in range(x.shape[1])])
        return {name: grads[name] for name in self.params()}

    def loss(self, x, y) -> float:
        return self.forward(x, y)[2]

    def gradients(self, x, y) -> dict[str, np.ndarray]:
        return self.backward(x, y)

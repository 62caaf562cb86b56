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

Both models have an unchecked core that is the algorithm, ``feedforward`` and
``backprop`` (what the chapter shows is what runs), and checked methods ``forward``,
``backward``, ``loss``, ``gradients`` that validate a user's input once and call it.
The functions :math:`g_k` come from the one table :mod:`bplib.functions`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from . import functions
from .layers import Layers
from .validate import as_float_array, check_finite, check_positive_int, check_rng, check_shape, describe

__all__ = ["TOY_BETA", "TOY_OMEGA", "toy_data", "Toy", "ToyForward", "ToyBackward", "ReLUNet", "ReLUForward"]


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
    dl_dh: list
    dbeta: np.ndarray
    domega: np.ndarray


def _finite_result(value: float, what: str) -> float:
    """The loss of a checked call: finite, or a ValueError saying it overflowed."""
    if not np.isfinite(value):
        raise ValueError(f"the loss must be finite, got {value}: {what} overflowed float64 "
                         "(the parameters or inputs are too large)")
    return value


def _feedforward_checked(model, x: np.ndarray, y: np.ndarray):
    """``model.feedforward(x, y)`` of checked x, y, with an overflow reported by name."""
    with np.errstate(over="ignore", invalid="ignore"):
        fwd = model.feedforward(x, y)
    _finite_result(fwd.loss, "the forward pass")
    return fwd


class Toy:
    """``Toy(beta, omega, funcs=("sin", "exp", "cos"))``: four modules f0..f3."""

    def __init__(self, beta, omega, funcs=("sin", "exp", "cos")):
        self.beta = as_float_array(beta, "beta", ndim=1).copy()
        self.omega = as_float_array(omega, "omega", ndim=1).copy()
        check_shape(self.beta, (4,), "beta")
        check_shape(self.omega, (4,), "omega")
        if isinstance(funcs, (str, bytes)) or not isinstance(funcs, (list, tuple)):
            raise TypeError(f"funcs must be a list or tuple of 3 function names, e.g. ('sin', 'exp', 'cos'), "
                            f"got {describe(funcs)}")
        if len(funcs) != 3:
            raise ValueError(f"funcs must name the 3 functions between the 4 modules, got {len(funcs)}: "
                             f"{list(funcs)}")
        self.funcs = [functions.get(g) for g in funcs]

    def params(self) -> dict[str, np.ndarray]:
        return {"beta": self.beta, "omega": self.omega}

    # --- the algorithm: unchecked, as the chapter shows it ----------------------------------
    def feedforward(self, x: np.ndarray, y: np.ndarray) -> ToyForward:
        """f_k = beta_k + omega_k h_k and h_{k+1} = g_{k+1}(f_k); loss = sum (f_3 - y)^2."""
        h, f = [x], []
        for k in range(4):
            f.append(self.beta[k] + self.omega[k] * h[k])
            if k < 3:
                h.append(self.funcs[k].f(f[k]))
        return ToyForward(f=f, h=h, loss=float(np.sum((f[3] - y) ** 2)))

    def backprop(self, x: np.ndarray, y: np.ndarray, fwd: ToyForward) -> ToyBackward:
        """dl/df_3, dl/dh_3, dl/df_2, ..., dl/df_0, then dl/dbeta_k and dl/domega_k.

        Unchecked: ``fwd = feedforward(x, y)`` is trusted; :meth:`backward` checks first."""
        f, h = fwd.f, fwd.h
        dl_df = [None] * 4
        dl_dh = [None] * 4
        dl_df[3] = 2 * (f[3] - y)
        for k in range(3, 0, -1):
            dl_dh[k] = self.omega[k] * dl_df[k]                       # f_k = beta_k + omega_k h_k
            dl_df[k - 1] = self.funcs[k - 1].df(f[k - 1]) * dl_dh[k]  # h_k = g_k(f_{k-1})
        dbeta = np.array([np.sum(dl_df[k]) for k in range(4)])
        domega = np.array([np.sum(h[k] * dl_df[k]) for k in range(4)])
        return ToyBackward(dl_df=dl_df, dl_dh=dl_dh, dbeta=dbeta, domega=domega)

    def core_gradients(self, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
        """dl/dbeta and dl/domega by the unchecked core, for data that passed :meth:`validate`."""
        b = self.backprop(x, y, self.feedforward(x, y))
        return {"beta": b.dbeta, "omega": b.domega}

    # --- checked: what a user calls ---------------------------------------------------------
    def validate(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """x and y as float64 arrays of one 1-D shape, or a clear error; the parameters too."""
        x = np.atleast_1d(as_float_array(x, "x"))
        y = np.atleast_1d(as_float_array(y, "y"))
        if x.ndim != 1 or x.size == 0:
            raise ValueError(f"x must be a scalar or a non-empty 1-D array, got shape {x.shape}")
        if y.shape != x.shape:
            raise ValueError(f"y must have the shape of x {x.shape}, got {y.shape}")
        for name, p in self.params().items():  # public attributes: a user may have changed them
            check_shape(as_float_array(p, name), (4,), name)
        return x, y

    def forward(self, x, y) -> ToyForward:
        """The checked forward pass: :meth:`feedforward` of validated x, y and parameters."""
        return _feedforward_checked(self, *self.validate(x, y))

    def backward(self, x, y) -> ToyBackward:
        """The checked backward pass: :meth:`backprop` after a checked forward pass."""
        x, y = self.validate(x, y)
        fwd = _feedforward_checked(self, x, y)
        with np.errstate(over="ignore", invalid="ignore"):
            bwd = self.backprop(x, y, fwd)
        _finite_result(float(np.sum(bwd.dbeta) + np.sum(bwd.domega)), "the backward pass")
        return bwd

    def loss(self, x, y) -> float:
        return self.forward(x, y).loss

    def gradients(self, x, y) -> dict[str, np.ndarray]:
        b = self.backward(x, y)
        return {"beta": b.dbeta, "omega": b.domega}

    # --- the whole expression, symbolically -------------------------------------------
    @staticmethod
    def symbols():
        x, y = sp.symbols("x y", real=True)
        beta = sp.symbols("beta0:4", real=True)
        omega = sp.symbols("omega0:4", real=True)
        return x, y, beta, omega

    def sym_forward(self) -> tuple[list, list]:
        """The forward pass in SymPy: ``f[0..3]`` and ``h[0..3]`` (``h[0]`` is x) as
        expressions in x, beta0..3, omega0..3, by the loop of :meth:`feedforward` with each
        function's SymPy form."""
        x, _, beta, omega = self.symbols()
        h, f = [x], []
        for k in range(4):
            f.append(beta[k] + omega[k] * h[k])
            if k < 3:
                h.append(self.funcs[k].sym(f[k]))
        return f, h

    def sym_loss(self):
        """The loss as one SymPy expression in x, y, beta0..3, omega0..3."""
        _, y, _, _ = self.symbols()
        f, _ = self.sym_forward()
        return (f[3] - y) ** 2

    def sym_gradients(self) -> dict[str, list]:
        """dl/dbeta_k and dl/domega_k by differentiating the whole expression."""
        x, y, beta, omega = self.symbols()
        loss = self.sym_loss()
        return {"beta": [sp.diff(loss, b) for b in beta], "omega": [sp.diff(loss, w) for w in omega]}


@dataclass
class ReLUForward:
    """f[0..K] and h[0..K] (h[0] is x), and the summed loss."""

    f: list
    h: list
    loss: float


class ReLUNet:
    """The vector form: ``ReLUNet(sizes=[D_i, D_1, ..., D_o], rng=...)``.

    ``Omega[k]`` has shape ``(sizes[k+1], sizes[k])`` and ``beta[k]`` shape
    ``(sizes[k+1], 1)`` for ``k = 0..K``; ``x`` holds examples as columns.
    """

    def __init__(self, sizes, *, rng: np.random.Generator):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a list of layer widths, got {describe(sizes)}")
        if len(sizes) < 2:
            raise ValueError(f"sizes must name at least an input and an output width, got {list(sizes)}")
        self.sizes = [check_positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
        check_rng(rng)
        n, K = self.sizes, len(self.sizes) - 2
        self.Omega = Layers([rng.normal(0, np.sqrt(2 / n[k]), (n[k + 1], n[k])) for k in range(K + 1)],
                            first=0, name="Omega")
        self.beta = Layers([rng.normal(0, 0.1, (n[k + 1], 1)) for k in range(K + 1)], first=0, name="beta")

    @property
    def K(self) -> int:
        return len(self.sizes) - 2

    def params(self) -> dict[str, np.ndarray]:
        out = {}
        for k in range(self.K + 1):
            out[f"Omega[{k}]"] = self.Omega[k]
            out[f"beta[{k}]"] = self.beta[k]
        return out

    # --- the algorithm: unchecked, as the chapter shows it ----------------------------------
    def feedforward(self, x: np.ndarray, y: np.ndarray) -> ReLUForward:
        """f_k = beta_k + Omega_k h_k, h_{k+1} = ReLU(f_k); loss = sum ||f_K - y||^2."""
        h, f = [x], []
        for k in range(self.K + 1):
            f.append(self.beta[k] + self.Omega[k] @ h[k])
            if k < self.K:
                h.append(functions.relu.f(f[k]))
        return ReLUForward(f=f, h=h, loss=float(np.sum((f[-1] - y) ** 2)))

    def backprop(self, x: np.ndarray, y: np.ndarray, fwd: ReLUForward,
                 relu_as: str = "mask") -> dict[str, np.ndarray]:
        """Gradients of the summed loss, the ReLU's Jacobian applied as a 0/1 mask or as an
        explicit diagonal matrix per example. Unchecked: :meth:`backward` checks first."""
        f, h, relu_prime = fwd.f, fwd.h, functions.relu.df
        grads = {}
        dl_df = 2 * (f[-1] - y)
        for k in range(self.K, -1, -1):
            grads[f"Omega[{k}]"] = dl_df @ h[k].T
            grads[f"beta[{k}]"] = dl_df.sum(axis=1, keepdims=True)
            if k == 0:
                break
            dl_dh = self.Omega[k].T @ dl_df
            if relu_as == "mask":
                dl_df = relu_prime(f[k - 1]) * dl_dh
            else:
                dl_df = np.column_stack([np.diag(relu_prime(f[k - 1][:, i])) @ dl_dh[:, i]
                                         for i in range(x.shape[1])])
        return {name: grads[name] for name in self.params()}

    def core_gradients(self, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
        """The gradients by the unchecked core, for data that passed :meth:`validate`."""
        return self.backprop(x, y, self.feedforward(x, y))

    # --- checked: what a user calls ---------------------------------------------------------
    def validate(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """x (D_i, m) and y (D_o, m) as float64 arrays, or a clear error; the parameters too."""
        x = as_float_array(x, "x")
        y = as_float_array(y, "y")
        check_shape(x, (self.sizes[0], None), "x")
        if x.shape[1] == 0:
            raise ValueError(f"x must hold at least one example (m >= 1), got shape {x.shape}")
        check_shape(y, (self.sizes[-1], x.shape[1]), "y")
        for name, p in self.params().items():  # public: a user may have changed them in place
            check_finite(p, f"parameter {name}")
        return x, y

    def forward(self, x, y) -> ReLUForward:
        """The checked forward pass: :meth:`feedforward` of validated x, y and parameters."""
        return _feedforward_checked(self, *self.validate(x, y))

    def backward(self, x, y, relu_as: str = "mask") -> dict[str, np.ndarray]:
        """Gradients of the summed loss; ``relu_as`` is ``"mask"`` (elementwise) or
        ``"diagonal"`` (an explicit 0/1 diagonal matrix per example)."""
        if relu_as not in ("mask", "diagonal"):
            raise ValueError(f"relu_as must be 'mask' or 'diagonal', got {relu_as!r}")
        x, y = self.validate(x, y)
        grads = self.backprop(x, y, _feedforward_checked(self, x, y), relu_as)
        for name, g in grads.items():
            check_finite(g, f"the gradient of {name} (the backward pass overflowed)")
        return grads

    def loss(self, x, y) -> float:
        return self.forward(x, y).loss

    def gradients(self, x, y) -> dict[str, np.ndarray]:
        return self.backward(x, y)


# --- the toy model of the chapter, and its data ---------------------------------------------
TOY_BETA = (1.0, 2.0, -3.0, 0.4)  # beta_0..beta_3 of the chapter's toy model
TOY_OMEGA = (0.1, -0.4, 2.0, 3.0)  # omega_0..omega_3


def toy_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Six points (x, y) made by the toy model at TOY_BETA, TOY_OMEGA, plus N(0, 0.3^2) noise."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-2.5, 3.5, 6)
    f = Toy(TOY_BETA, TOY_OMEGA).forward(x, np.zeros_like(x)).f[3]
    return x, f + rng.normal(0, 0.3, x.shape)

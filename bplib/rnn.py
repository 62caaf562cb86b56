r"""A many-to-one recurrent network and backpropagation through time (BPTT).

Introduced in the chapter *Backpropagation through time* (source 002; d2l.ai's
BPTT section; arXiv:1610.02583).

For :math:`t = 1..T`, with :math:`s^{(0)} = 0`,

.. math::

   z^{(t)} = W_r s^{(t-1)} + W_x x^{(t)} \;(+\, b), \qquad s^{(t)} = \sigma(z^{(t)}),
   \qquad \hat y = W_y s^{(T)}, \qquad L = \tfrac12 \lVert \hat y - y \rVert^2

(the loss is averaged over the ``m`` columns of a batch). Only the last step has
a loss, so the error enters at :math:`s^{(T)}` and flows back through time:

.. math::

   \frac{\partial L}{\partial s^{(T)}} = W_y^T (\hat y - y), \qquad
   \frac{\partial L}{\partial z^{(t)}} = \frac{\partial L}{\partial s^{(t)}} \odot \sigma'(z^{(t)}), \qquad
   \frac{\partial L}{\partial s^{(t-1)}} = W_r^T \frac{\partial L}{\partial z^{(t)}}.

Because :math:`s^{(t-1)}` itself depends on :math:`W_r`, the product rule makes
:math:`\partial L/\partial W_r` a **sum over time** of one contribution per step:

.. math::

   \frac{\partial L}{\partial W_r} = \sum_{t=1}^{T} \frac{\partial L}{\partial z^{(t)}} (s^{(t-1)})^T,
   \qquad
   \frac{\partial L}{\partial W_x} = \sum_{t=1}^{T} \frac{\partial L}{\partial z^{(t)}} (x^{(t)})^T.

Truncated BPTT after ``k`` steps keeps only the ``k`` latest contributions
(:math:`t > T - k`) and stops the backward recursion there, so its backward pass
does ``k`` steps of work instead of ``T``; ``k >= T`` is full BPTT.

:meth:`RNN.feedforward` and :meth:`RNN.backprop` are the unchecked core (what the
chapter shows is what runs); :meth:`RNN.forward`, :meth:`RNN.loss`, :meth:`RNN.bptt`
and :meth:`RNN.gradients` check a user's input once and call it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import activations
from .validate import as_float_array, check_finite, check_positive_int, check_real, check_rng, check_shape

__all__ = ["RNN", "RNNForward", "BPTTResult"]


@dataclass
class RNNForward:
    """s[0..T] (s[0] = 0), z[1..T] stored at z[t - 1], the output y_hat and the loss."""

    s: list
    z: list
    y_hat: np.ndarray
    loss: float


@dataclass
class BPTTResult:
    """Gradients, their per-step contributions, and ||dL/ds(t)|| for t = 1..T."""

    dW_r: np.ndarray
    dW_x: np.ndarray
    dW_y: np.ndarray
    db: np.ndarray | None
    contrib_r: np.ndarray  # (T, n_h, n_h): contrib_r[t - 1] is step t's term
    contrib_x: np.ndarray  # (T, n_h, n_x)
    grad_s_norm: np.ndarray  # (T,): ||dL/ds(t)||, Frobenius over the batch; 0 where truncation stopped
    k: int


class RNN:
    """``RNN(n_x, n_h, n_y, rng=..., activation="tanh", bias=False)``.

    Inputs ``xs`` have shape ``(T, n_x, m)``: time first, then features, then
    examples as columns. Targets ``y`` have shape ``(n_y, m)``. ``scale`` multiplies
    the initial W_r (its spectral radius, roughly).
    """

    def __init__(self, n_x: int, n_h: int, n_y: int, rng: np.random.Generator,
                 activation: str = "tanh", bias: bool = False, scale: float = 1.0):
        self.n_x = check_positive_int(n_x, "n_x")
        self.n_h = check_positive_int(n_h, "n_h")
        self.n_y = check_positive_int(n_y, "n_y")
        self.sigma = activations.get(activation)
        if not self.sigma.elementwise:
            raise ValueError(f"activation must be elementwise for the hidden state, got {self.sigma.name}")
        if not isinstance(bias, (bool, np.bool_)):
            raise TypeError(f"bias must be True or False, got {type(bias).__name__}")
        scale = check_real(scale, "scale")
        check_rng(rng)
        self.W_r = scale * rng.normal(0, 1 / np.sqrt(n_h), (n_h, n_h))
        self.W_x = rng.normal(0, 1 / np.sqrt(n_x), (n_h, n_x))
        self.W_y = rng.normal(0, 1 / np.sqrt(n_h), (n_y, n_h))
        self.b = np.zeros((n_h, 1)) if bias else None

    def params(self) -> dict[str, np.ndarray]:
        p = {"W_r": self.W_r, "W_x": self.W_x, "W_y": self.W_y}
        if self.b is not None:
            p["b"] = self.b
        return p

    # --- the algorithm: unchecked, as the chapter shows it ----------------------------------
    def feedforward(self, xs: np.ndarray, y: np.ndarray) -> RNNForward:
        """Run the sequence; keep every state (the backward pass needs them all)."""
        T, _, m = xs.shape
        s, z = [np.zeros((self.n_h, m))], []
        for t in range(1, T + 1):
            zt = self.W_r @ s[t - 1] + self.W_x @ xs[t - 1]
            if self.b is not None:
                zt = zt + self.b
            z.append(zt)
            s.append(self.sigma.core.f(zt))
        y_hat = self.W_y @ s[T]
        loss = float(0.5 * np.sum((y_hat - y) ** 2) / m)
        return RNNForward(s=s, z=z, y_hat=y_hat, loss=loss)

    def backprop(self, xs: np.ndarray, y: np.ndarray, fwd: RNNForward, k: int) -> BPTTResult:
        """Backpropagation through time over the k latest steps (k >= T: full BPTT).

        Truncated BPTT stops the recursion after step T - k + 1: k steps of work,
        reading only s(T-k)..s(T) and z(T-k+1)..z(T). The steps it does not reach
        contribute nothing; their ||dL/ds(t)|| stays 0 (nothing is sent back).
        Unchecked: ``fwd = feedforward(xs, y)`` and ``k >= 1`` are trusted."""
        T, _, m = xs.shape
        s, z = fwd.s, fwd.z
        dL_dyhat = (fwd.y_hat - y) / m
        dW_y = dL_dyhat @ s[T].T
        dL_ds = self.W_y.T @ dL_dyhat  # dL/ds(T)
        contrib_r = np.zeros((T, self.n_h, self.n_h))
        contrib_x = np.zeros((T, self.n_h, self.n_x))
        contrib_b = np.zeros((T, self.n_h, 1))
        grad_s_norm = np.zeros(T)
        for t in range(T, max(T - k, 0), -1):  # t = T, T-1, ..., T-k+1 (or 1)
            grad_s_norm[t - 1] = np.linalg.norm(dL_ds)
            dL_dz = dL_ds * self.sigma.core.df(z[t - 1])
            contrib_r[t - 1] = dL_dz @ s[t - 1].T
            contrib_x[t - 1] = dL_dz @ xs[t - 1].T
            contrib_b[t - 1] = dL_dz.sum(axis=1, keepdims=True)
            dL_ds = self.W_r.T @ dL_dz  # dL/ds(t-1)
        return BPTTResult(
            dW_r=contrib_r.sum(axis=0), dW_x=contrib_x.sum(axis=0), dW_y=dW_y,
            db=contrib_b.sum(axis=0) if self.b is not None else None,
            contrib_r=contrib_r, contrib_x=contrib_x, grad_s_norm=grad_s_norm, k=k,
        )

    def core_gradients(self, xs: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
        """Full BPTT by the unchecked core, keyed like :meth:`params`, for validated data."""
        r = self.backprop(xs, y, self.feedforward(xs, y), xs.shape[0])
        g = {"W_r": r.dW_r, "W_x": r.dW_x, "W_y": r.dW_y}
        if self.b is not None:
            g["b"] = r.db
        return g

    # --- checked: what a user calls ---------------------------------------------------------
    def validate(self, xs, y) -> tuple[np.ndarray, np.ndarray]:
        """xs (T, n_x, m) and y (n_y, m) as float64 arrays, or a clear error; the parameters too."""
        xs = as_float_array(xs, "xs")
        check_shape(xs, (None, self.n_x, None), "xs", names=("T", "n_x", "m"))
        if xs.shape[0] == 0 or xs.shape[2] == 0:
            raise ValueError(f"xs must hold at least one time step and one example (T, m >= 1), "
                             f"got shape {xs.shape}")
        y = as_float_array(y, "y")
        check_shape(y, (self.n_y, xs.shape[2]), "y")
        shapes = {"W_r": (self.n_h, self.n_h), "W_x": (self.n_h, self.n_x), "W_y": (self.n_y, self.n_h),
                  "b": (self.n_h, 1)}
        for name, p in self.params().items():  # public attributes: a user may have changed them
            check_shape(as_float_array(p, f"parameter {name}"), shapes[name], f"parameter {name}")
        return xs, y

    def _feedforward_checked(self, xs, y) -> RNNForward:
        with np.errstate(over="ignore", invalid="ignore"):
            fwd = self.feedforward(xs, y)
        if not np.isfinite(fwd.loss):
            raise ValueError(f"the loss must be finite, got {fwd.loss}: the forward pass overflowed float64")
        return fwd

    def forward(self, xs, y) -> RNNForward:
        """The checked forward pass: :meth:`feedforward` of validated inputs."""
        return self._feedforward_checked(*self.validate(xs, y))

    def loss(self, xs, y) -> float:
        return self.forward(xs, y).loss

    def bptt(self, xs, y, k: int | None = None) -> BPTTResult:
        """Backpropagation through time, truncated after ``k`` steps (None: full)."""
        xs, y = self.validate(xs, y)
        k = xs.shape[0] if k is None else check_positive_int(k, "k")
        fwd = self._feedforward_checked(xs, y)
        with np.errstate(over="ignore", invalid="ignore"):
            result = self.backprop(xs, y, fwd, k)
        check_finite(result.dW_r, "dL/dW_r (the backward pass overflowed)")
        return result

    def gradients(self, xs, y) -> dict[str, np.ndarray]:
        r = self.bptt(xs, y)
        return {"W_r": r.dW_r, "W_x": r.dW_x, "W_y": r.dW_y} | ({"b": r.db} if self.b is not None else {})

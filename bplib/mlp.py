r"""A fully connected network in Nielsen's notation, trained by BP1–BP4.

Introduced in the chapter *The four equations of backpropagation*.

Examples are **columns**: ``x`` has shape ``(n_0, m)``. For layers ``l = 1..L``

.. math::

   z^l = W^l a^{l-1} + b^l, \qquad a^l = \sigma(z^l), \qquad a^0 = x,

with ``W[l].shape == (n_l, n_{l-1})`` (:math:`w^l_{jk}` connects neuron *k* of
layer *l-1* to neuron *j* of layer *l*) and ``b[l].shape == (n_l, 1)``. The cost
is the mean over the *m* columns, :math:`C = \frac1m \sum_x C_x`, and with
:math:`\delta^l_x = \partial C_x / \partial z^l_x` for each example:

.. math::

   \delta^L &= \nabla_a C \odot \sigma'(z^L) && \text{(BP1)} \\
   \delta^l &= \big((W^{l+1})^T \delta^{l+1}\big) \odot \sigma'(z^l) && \text{(BP2)} \\
   \partial C / \partial b^l_j &= \delta^l_j && \text{(BP3)} \\
   \partial C / \partial w^l_{jk} &= a^{l-1}_k \delta^l_j && \text{(BP4)}

over a batch, BP3 and BP4 average over the columns:
``db[l] = mean(delta[l])`` and ``dW[l] = delta[l] @ a[l-1].T / m``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import activations, costs
from ._validate import as_float_array, check_finite, check_positive_int, check_rng, check_shape
from .layers import Layers

__all__ = ["MLP", "Cache", "Grads", "bp1", "bp2", "bp3", "bp4"]


# --- the four equations, one small function each ----------------------------------
def bp1(grad_a_C: np.ndarray, sigma_prime_zL: np.ndarray) -> np.ndarray:
    """delta^L: the gradient of the cost with respect to a^L, times sigma'(z^L)."""
    return grad_a_C * sigma_prime_zL  # (BP1)


def bp2(W_next: np.ndarray, delta_next: np.ndarray, sigma_prime_zl: np.ndarray) -> np.ndarray:
    """delta^l from delta^{l+1}: back through W^{l+1}, then times sigma'(z^l)."""
    return (W_next.T @ delta_next) * sigma_prime_zl  # (BP2)


def bp3(delta_l: np.ndarray) -> np.ndarray:
    """dC/db^l: delta^l, averaged over the examples (columns)."""
    return delta_l.sum(axis=1, keepdims=True) / delta_l.shape[1]  # (BP3)


def bp4(delta_l: np.ndarray, a_prev: np.ndarray) -> np.ndarray:
    """dC/dW^l: the outer product delta^l (a^{l-1})^T, averaged over the examples."""
    m = delta_l.shape[1]
    if m == 1:  # one example: the outer product delta_j a_k itself (BLAS is slow for a rank-1 product)
        return delta_l * a_prev.T  # (BP4)
    return (delta_l / m) @ a_prev.T  # (BP4), averaged; dividing the small factor is cheaper


@dataclass
class Cache:
    """What the forward pass keeps for the backward pass: every z^l and a^l."""

    z: Layers  # z[1..L]
    a: Layers  # a[0..L], a[0] is x


@dataclass
class Grads:
    """dW[l], db[l] (mean over the batch) and delta[l] (one column per example)."""

    dW: Layers
    db: Layers
    delta: Layers

    def as_dict(self) -> dict[str, np.ndarray]:
        """``{"W[1]": dW[1], "b[1]": db[1], ...}``, parallel to :meth:`MLP.params`."""
        out = {}
        for l, g in self.dW.items():
            out[f"W[{l}]"] = g
            out[f"b[{l}]"] = self.db[l]
        return out


class MLP:
    """A fully connected network: ``MLP(sizes=[2, 3, 2], rng=np.random.default_rng(0))``.

    Parameters
    ----------
    sizes
        Layer widths ``[n_0, n_1, ..., n_L]``, input first.
    activation
        Hidden-layer activation name (``bplib.activations.names()``).
    cost
        Cost name (``bplib.costs.names()``).
    output_activation
        Output-layer activation; defaults to ``activation``.
    rng
        A ``numpy.random.Generator`` for the initial weights: W^l ~ N(0, 1/n_{l-1}),
        b^l ~ N(0, 1) (Nielsen ch. 3). ``None`` starts from zeros, for weights set by hand.
    """

    def __init__(self, sizes, activation="sigmoid", cost="quadratic", output_activation=None,
                 rng: np.random.Generator | None = None):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a list of layer widths, got {type(sizes).__name__}")
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least an input and an output width, got {list(sizes)}")
        self.sizes = [check_positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
        self.activation = activations.get(activation)
        if not self.activation.elementwise:
            raise ValueError(f"{self.activation.name} can only be an output activation")
        self.output_activation = activations.get(output_activation or activation)
        self.cost_fn = costs.get(cost)
        if self.cost_fn.name == "cross_entropy" and self.output_activation.name not in ("sigmoid",):
            raise ValueError("cross_entropy needs outputs in (0, 1): use output_activation='sigmoid'")
        if self.cost_fn.name == "log_likelihood" and self.output_activation.name != "softmax":
            raise ValueError("log_likelihood needs a probability output: use output_activation='softmax'")
        L = self.L
        if rng is None:
            Ws = [np.zeros((self.sizes[l], self.sizes[l - 1])) for l in range(1, L + 1)]
            bs = [np.zeros((self.sizes[l], 1)) for l in range(1, L + 1)]
        else:
            check_rng(rng)
            Ws = [rng.normal(0.0, 1.0 / np.sqrt(self.sizes[l - 1]), (self.sizes[l], self.sizes[l - 1]))
                  for l in range(1, L + 1)]
            bs = [rng.normal(0.0, 1.0, (self.sizes[l], 1)) for l in range(1, L + 1)]
        self.W = Layers(Ws, first=1, name="W")
        self.b = Layers(bs, first=1, name="b")

    @property
    def L(self) -> int:
        """The number of layers with weights (the input layer is layer 0)."""
        return len(self.sizes) - 1

    def sigma(self, l: int) -> activations.Activation:
        """The activation of layer l."""
        return self.output_activation if l == self.L else self.activation

    def params(self) -> dict[str, np.ndarray]:
        """``{"W[1]": W[1], "b[1]": b[1], ...}``: the live arrays (for gradient checks)."""
        out = {}
        for l in self.W.layers():
            out[f"W[{l}]"] = self.W[l]
            out[f"b[{l}]"] = self.b[l]
        return out

    def n_params(self) -> int:
        return sum(p.size for p in self.params().values())

    def __repr__(self) -> str:
        return (f"MLP(sizes={self.sizes}, activation={self.activation.name!r}, "
                f"output_activation={self.output_activation.name!r}, cost={self.cost_fn.name!r})")

    # --- input checks (once, at the public entry points) ------------------------------
    def _check_finite(self, cache: Cache) -> None:
        """Catch NaN or Inf in x or in any parameter through the z^l they produce.

        A non-finite entry of x, of a W^l or of a b^l always makes some z^l
        non-finite (Inf * 0 is NaN, Inf * 3 is Inf, NaN spreads), so checking the
        small z^l arrays is exact and replaces scanning x and every parameter on
        every call. The scan runs only when something is wrong, to name it.
        """
        if all(np.isfinite(z).all() for z in cache.z):  # z^l are small: a direct test is cheapest
            return
        check_finite(cache.a[0], "x")
        for name, p in self.params().items():
            if not np.all(np.isfinite(p)):
                raise ValueError(f"parameter {name} contains NaN or Inf")
        for l, z in cache.z.items():
            check_finite(z, f"z[{l}] (finite inputs and weights, but the sum overflowed)")

    def _x(self, x) -> np.ndarray:
        x = as_float_array(x, "x", finite=False)  # finiteness: checked through z^1
        if x.ndim == 2 and x.shape[0] == self.sizes[0] and x.shape[1] > 0:
            return x  # the common case
        if x.ndim == 1 and self.sizes[0] != 1 and x.shape[0] == self.sizes[0]:
            raise ValueError(f"x must have shape ({self.sizes[0]}, m) with examples as columns, "
                             f"got {x.shape}; use x.reshape(-1, 1) for one example")
        check_shape(x, (self.sizes[0], None), "x")
        if x.shape[1] == 0:
            raise ValueError("x has no examples (0 columns)")
        return x

    def _y(self, y, m: int) -> np.ndarray:
        y = as_float_array(y, "y", finite=False)  # finiteness: checked through delta^L
        if y.shape != (self.sizes[-1], m):
            check_shape(y, (self.sizes[-1], m), "y")
        return y

    # --- forward ------------------------------------------------------------------
    def forward(self, x) -> Cache:
        """z^l = W^l a^{l-1} + b^l and a^l = sigma(z^l) for l = 1..L; keeps them all."""
        x = self._x(x)
        cache = self._forward_checked(x)
        return cache

    def _forward_checked(self, x: np.ndarray) -> Cache:
        # NaN or Inf in x or a parameter is reported by _check_finite, by name,
        # instead of as NumPy's 'invalid value encountered in matmul' warning.
        with np.errstate(invalid="ignore", over="ignore"):
            cache = self._forward(x)
        self._check_finite(cache)
        return cache

    def _forward(self, x: np.ndarray) -> Cache:
        a, z = [x], []
        for l in range(1, self.L + 1):
            z.append(self.W[l] @ a[-1] + self.b[l])
            a.append(self.sigma(l)._f(z[-1]))
        return Cache(z=Layers(z, first=1, name="z"), a=Layers(a, first=0, name="a"))

    def predict(self, x) -> np.ndarray:
        """The output activations a^L."""
        return self.forward(x).a[self.L]

    def cost(self, x, y) -> float:
        """The mean cost over the columns of x."""
        cache = self.forward(x)
        y = self._y(y, cache.a[0].shape[1])
        check_finite(y, "y")
        if self.cost_fn.output_delta_shortcut(self.output_activation.name):
            # from z^L: exact where a^L = sigma(z^L) has rounded (see bplib.costs)
            return float(np.mean(self.cost_fn._from_z(cache.z[self.L], y)))
        return self.cost_fn.value(cache.a[self.L], y)

    # --- backward -----------------------------------------------------------------
    def backward(self, x, y, cache: Cache | None = None) -> Grads:
        """Every dC/dW^l and dC/db^l by BP1–BP4, for the mean cost over the columns."""
        x = self._x(x)
        y = self._y(y, x.shape[1])
        if cache is None:
            cache = self._forward_checked(x)
        else:
            self._check_finite(cache)
        return self._backward(x, y, cache)

    def _backward(self, x: np.ndarray, y: np.ndarray, cache: Cache) -> Grads:
        """BP1, then BP2 from layer L-1 down to 1, then BP3 and BP4 for every layer.

        sigma'(z^l) is computed from a^l, which the forward pass kept (a(1 - a) for
        the sigmoid), instead of evaluating the activation again.
        """
        L = self.L
        delta = [None] * (L + 1)
        aL, out = cache.a[L], self.output_activation
        if self.cost_fn.output_delta_shortcut(out.name):
            delta[L] = aL - y  # (BP1), with the cost's gradient and sigma' cancelled (Nielsen ch. 3)
        elif out.elementwise:
            delta[L] = bp1(self.cost_fn._grad(aL, y), out._df_from_a(aL))
        else:  # softmax with another cost: its Jacobian replaces the Hadamard product
            delta[L] = out.backward(cache.z[L], self.cost_fn._grad(aL, y))  # (BP1)
        if not np.isfinite(delta[L]).all():  # NaN or Inf in y always reaches delta^L
            check_finite(y, "y")
        for l in range(L - 1, 0, -1):
            delta[l] = bp2(self.W[l + 1], delta[l + 1], self.activation._df_from_a(cache.a[l]))
        dW = [bp4(delta[l], cache.a[l - 1]) for l in range(1, L + 1)]
        db = [bp3(delta[l]) for l in range(1, L + 1)]
        return Grads(dW=Layers(dW, 1, "dW"), db=Layers(db, 1, "db"), delta=Layers(delta[1:], 1, "delta"))

    def backward_loop(self, x, y) -> Grads:
        """The same gradients one example at a time, as in Nielsen's ``network.py``.

        Each column goes forward and backward as an (n, 1) vector and the gradients
        are averaged; slower than :meth:`backward`, and equal to it.
        """
        x = self._x(x)
        y = self._y(y, x.shape[1])
        self._forward_checked(x)
        m = x.shape[1]
        dW = [np.zeros_like(W) for W in self.W]
        db = [np.zeros_like(b) for b in self.b]
        deltas = [np.zeros((n, m)) for n in self.sizes[1:]]
        for i in range(m):
            xi, yi = x[:, i:i + 1], y[:, i:i + 1]
            g = self._backward(xi, yi, self._forward(xi))
            for l in range(1, self.L + 1):
                dW[l - 1] += g.dW[l] / m
                db[l - 1] += g.db[l] / m
                deltas[l - 1][:, i:i + 1] = g.delta[l]
        return Grads(dW=Layers(dW, 1, "dW"), db=Layers(db, 1, "db"), delta=Layers(deltas, 1, "delta"))

    # --- a gradient-descent step -----------------------------------------------------
    def gradients(self, x, y) -> dict[str, np.ndarray]:
        """The gradients keyed like :meth:`params` (the interface ``bplib.train`` uses)."""
        return self.backward(x, y).as_dict()

    def step(self, grads: Grads, lr: float) -> None:
        """W^l <- W^l - lr dC/dW^l and b^l <- b^l - lr dC/db^l, in place."""
        for l in self.W.layers():
            W, b = self.W[l], self.b[l]  # the arrays themselves: updated in place
            W -= lr * grads.dW[l]
            b -= lr * grads.db[l]

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

The class has two faces. Its **unchecked core**, :meth:`MLP.feedforward` and
:meth:`MLP.backprop` (Nielsen's names), is the algorithm and nothing else: what the
chapter shows is what runs. BP1 is the cost's own output error, ``cost.delta(z, a, y,
sigma)`` (:mod:`bplib.costs`), so the backward pass has no branch on the cost; BP2 uses
:math:`\sigma'` from the kept :math:`a^l` (:math:`a(1-a)` for the sigmoid, see
:mod:`bplib.functions`). Its **checked methods** (:meth:`forward`, :meth:`backward`,
:meth:`loss`, :meth:`gradients`, :meth:`step`, :meth:`from_weights`) validate what a
user passes once, then call the core.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from . import activations, costs
from .layers import Layers
from .validate import (
    as_float_array,
    check_finite,
    check_learning_rate,
    check_positive_int,
    check_rng,
    check_shape,
    describe,
)

__all__ = ["MLP", "Cache", "Grads"]


@dataclass(slots=True)
class Cache:
    """What the forward pass keeps for the backward pass: every z^l and a^l."""

    z: Layers  # z[1..L]
    a: Layers  # a[0..L], a[0] is x


@dataclass(slots=True)
class Grads:
    """dW[l], db[l] (mean over the batch) and delta[l] (one column per example), of the
    network whose layer widths are ``sizes``."""

    dW: Layers
    db: Layers
    delta: Layers
    sizes: list

    def as_dict(self) -> dict[str, np.ndarray]:
        """``{"W[1]": dW[1], "b[1]": db[1], ...}``, parallel to :meth:`MLP.params`."""
        out = {}
        for (w, b), dW, db in zip(param_names(len(self.dW)), self.dW, self.db):
            out[w], out[b] = dW, db
        return out


@functools.cache
def param_names(L: int) -> tuple[tuple[str, str], ...]:
    """("W[1]", "b[1]"), ..., ("W[L]", "b[L]"): the keys of params() and of gradients."""
    return tuple((f"W[{l}]", f"b[{l}]") for l in range(1, L + 1))


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
        b^l ~ N(0, 1) (Nielsen ch. 3). For weights set by hand, use :meth:`from_weights`.
    """

    def __init__(self, sizes, activation="sigmoid", cost="quadratic", output_activation=None, *,
                 rng: np.random.Generator):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a list of layer widths, got {describe(sizes)}")
        if len(sizes) < 2:
            raise ValueError(f"sizes must name at least an input and an output width, got {list(sizes)}")
        self.sizes = [check_positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
        self.activation = activations.get(activation, "activation")
        if not self.activation.elementwise:
            raise ValueError(f"activation must be elementwise for hidden layers, got {self.activation.name} "
                             "(use it as output_activation)")
        self.output_activation = activations.get(activation if output_activation is None
                                                 else output_activation, "output_activation")
        self.cost = costs.get(cost)
        if self.cost.requires not in (None, self.output_activation.name):
            raise ValueError(f"output_activation must be {self.cost.requires!r} for the {self.cost.name} "
                             f"cost, got {self.output_activation.name!r}")
        check_rng(rng)
        n = self.sizes
        self.W = Layers([rng.normal(0.0, 1.0 / np.sqrt(n[l - 1]), (n[l], n[l - 1]))
                         for l in range(1, len(n))], first=1, name="W")
        self.b = Layers([rng.normal(0.0, 1.0, (n[l], 1)) for l in range(1, len(n))], first=1, name="b")

    @classmethod
    def from_weights(cls, W, b, activation="sigmoid", cost="quadratic", output_activation=None) -> MLP:
        """A network with weights set by hand: ``W`` and ``b`` map layer ``l = 1..L`` to
        W^l of shape (n_l, n_{l-1}) and b^l of shape (n_l, 1) (dicts keyed 1..L, or lists
        in layer order). The arrays are copied."""
        Ws, bs = _by_layer(W, "W"), _by_layer(b, "b")
        if len(bs) != len(Ws):
            raise ValueError(f"b must have one entry per layer of W ({len(Ws)}), got {len(bs)}")
        Ws = [as_float_array(w, f"W[{l}]", ndim=2) for l, w in enumerate(Ws, start=1)]
        sizes = [Ws[0].shape[1]] + [w.shape[0] for w in Ws]
        for l in range(2, len(Ws) + 1):
            check_shape(Ws[l - 1], (sizes[l], sizes[l - 1]), f"W[{l}]")
        net = cls(sizes, activation, cost, output_activation, rng=np.random.default_rng(0))
        for l in net.W.layers():
            net.W[l] = Ws[l - 1]
            b_l = as_float_array(bs[l - 1], f"b[{l}]")
            net.b[l] = b_l.reshape(-1, 1) if b_l.shape == (sizes[l],) else b_l
        return net

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
        for (w, b), W, bias in zip(param_names(self.L), self.W, self.b):
            out[w], out[b] = W, bias
        return out

    def n_params(self) -> int:
        return sum(p.size for p in self.params().values())

    def __repr__(self) -> str:
        return (f"MLP(sizes={self.sizes}, activation={self.activation.name!r}, "
                f"output_activation={self.output_activation.name!r}, cost={self.cost.name!r})")

    # --- the algorithm: unchecked, as the chapter shows it ---------------------------------
    def feedforward(self, x: np.ndarray) -> Cache:
        """z^l = W^l a^{l-1} + b^l and a^l = sigma(z^l) for l = 1..L; keeps them all.

        Unchecked: ``x`` must be a finite float64 array of shape (n_0, m); :meth:`forward`
        checks it."""
        L, W, b = self.L, self.W, self.b
        a, z = [x], []
        for l in range(1, L + 1):
            z.append(W[l] @ a[l - 1] + b[l])
            a.append(self.sigma(l).core.f(z[l - 1]))
        return Cache(z=Layers(z, first=1, name="z"), a=Layers(a, first=0, name="a"))

    def backprop(self, x: np.ndarray, y: np.ndarray, cache: Cache) -> Grads:
        """BP1 at the output, BP2 from layer L-1 down to 1, then BP3 and BP4 in every layer.

        The gradients of the mean cost over the m columns of x. Unchecked: ``x``, ``y``
        and ``cache = feedforward(x)`` are trusted; :meth:`backward` checks them first."""
        L, W, m = self.L, self.W, x.shape[1]
        z, a = cache.z, cache.a
        sigma, sigma_L = self.activation.core, self.output_activation.core
        delta = [None] * (L + 1)
        delta[L] = self.cost.delta(z[L], a[L], y, sigma_L)                    # (BP1)
        for l in range(L - 1, 0, -1):
            delta[l] = (W[l + 1].T @ delta[l + 1]) * sigma.df_from_f(a[l])   # (BP2)
        db = [delta[l].sum(axis=1, keepdims=True) / m for l in range(1, L + 1)]  # (BP3), mean over x
        dW = [(delta[l] / m) @ a[l - 1].T for l in range(1, L + 1)]              # (BP4), mean over x
        return Grads(Layers(dW, 1, "dW"), Layers(db, 1, "db"), Layers(delta[1:], 1, "delta"), self.sizes)

    def core_gradients(self, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
        """The gradients keyed like :meth:`params`, by the unchecked core: for data that
        has passed :meth:`validate` (what ``bplib.train`` runs on each mini-batch)."""
        return self.backprop(x, y, self.feedforward(x)).as_dict()

    # --- checked: what a user calls ----------------------------------------------------------
    def forward(self, x) -> Cache:
        """The checked forward pass: :meth:`feedforward` of a validated ``x``."""
        return self._feedforward_checked(self._x(x))

    def predict(self, x) -> np.ndarray:
        """The output activations a^L."""
        return self.forward(x).a[self.L]

    def loss(self, x, y) -> float:
        """The cost C: the mean of C_x over the columns of x (from z^L where the cost can)."""
        cache = self.forward(x)
        y = self._y(y, cache.a[0].shape[1])
        check_finite(y, "y")
        return float(np.mean(self.cost.output_C(cache.z[self.L], cache.a[self.L], y)))

    def backward(self, x, y, cache: Cache | None = None) -> Grads:
        """Every dC/dW^l and dC/db^l by BP1–BP4 (:meth:`backprop`), for the mean cost
        over the columns of x. ``cache`` is ``forward(x)`` of this same ``x``, if at hand."""
        x, y = self.validate(x, y)
        with np.errstate(over="ignore", invalid="ignore"):  # NaN or Inf: reported below, by name
            if cache is None:
                cache = self.feedforward(x)
                self._check_finite(cache)
            else:
                self._check_cache(cache, x)  # its finiteness was checked by forward()
            grads = self.backprop(x, y, cache)
            delta_ok = math.isfinite(np.add.reduce(grads.delta[1], None))  # y and every delta^l reach it
        if not delta_ok:
            check_finite(y, "y")
            for name, p in self.params().items():  # changed since forward(x) made the cache?
                check_finite(p, f"parameter {name}")
            check_finite(grads.delta[1], "delta[1] (finite inputs and weights, but the backward pass "
                                         "overflowed)")
        return grads

    def backward_loop(self, x, y) -> Grads:
        """The same gradients one example at a time, as in Nielsen's ``network.py``.

        Each column goes forward and backward as an (n, 1) vector and the gradients
        are averaged; slower than :meth:`backward`, and equal to it.
        """
        x, y = self.validate(x, y)
        check_finite(y, "y")
        self._feedforward_checked(x)
        m = x.shape[1]
        dW = [np.zeros_like(W) for W in self.W]
        db = [np.zeros_like(b) for b in self.b]
        deltas = [np.zeros((n, m)) for n in self.sizes[1:]]
        for i in range(m):
            xi, yi = x[:, i:i + 1], y[:, i:i + 1]
            g = self.backprop(xi, yi, self.feedforward(xi))
            for l in range(1, self.L + 1):
                dW[l - 1] += g.dW[l] / m
                db[l - 1] += g.db[l] / m
                deltas[l - 1][:, i:i + 1] = g.delta[l]
        return Grads(Layers(dW, 1, "dW"), Layers(db, 1, "db"), Layers(deltas, 1, "delta"), self.sizes)

    def gradients(self, x, y) -> dict[str, np.ndarray]:
        """The gradients keyed like :meth:`params` (the interface ``bplib.train`` uses)."""
        return self.backward(x, y).as_dict()

    def step(self, grads: Grads, lr) -> None:
        """W^l <- W^l - lr dC/dW^l and b^l <- b^l - lr dC/db^l, in place."""
        lr = check_learning_rate(lr)
        if not isinstance(grads, Grads):
            raise TypeError(f"grads must be the Grads that backward() returns, got {describe(grads)}")
        if grads.sizes != self.sizes:
            raise ValueError(f"grads must come from a network of this one's sizes {self.sizes}, "
                             f"got grads of sizes {grads.sizes}")
        for l in self.W.layers():
            W, b = self.W[l], self.b[l]  # the arrays themselves: updated in place
            W -= lr * grads.dW[l]
            b -= lr * grads.db[l]

    # --- the checks behind them --------------------------------------------------------------
    def validate(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """x (n_0, m) and y (n_L, m) as float64 arrays, or a clear error (x's finiteness is
        checked through z^1 by the forward pass)."""
        x = self._x(x)
        return x, self._y(y, x.shape[1])

    def _x(self, x) -> np.ndarray:
        if type(x) is not np.ndarray or x.dtype != np.float64:  # else: the common case, at once
            x = as_float_array(x, "x", finite=False)  # finiteness: checked through z^1 (cheaper)
        if x.ndim == 2 and x.shape[0] == self.sizes[0] and x.shape[1] > 0:
            return x
        if x.ndim == 1 and self.sizes[0] != 1 and x.shape[0] == self.sizes[0]:
            raise ValueError(f"x must have shape ({self.sizes[0]}, m) with examples as columns, "
                             f"got {x.shape}; use x.reshape(-1, 1) for one example")
        check_shape(x, (self.sizes[0], None), "x")
        raise ValueError(f"x must hold at least one example (m >= 1), got shape {x.shape}")

    def _y(self, y, m: int) -> np.ndarray:
        if type(y) is not np.ndarray or y.dtype != np.float64:  # else: the common case, at once
            y = as_float_array(y, "y", finite=False)  # finiteness: checked through delta^1 (cheaper)
        if y.shape != (self.sizes[-1], m):
            check_shape(y, (self.sizes[-1], m), "y")
        self.cost.check_target(y)
        return y

    def _feedforward_checked(self, x: np.ndarray) -> Cache:
        with np.errstate(over="ignore", invalid="ignore"):  # NaN or Inf: reported below, by name
            cache = self.feedforward(x)
            self._check_finite(cache)
        return cache

    def _check_finite(self, cache: Cache) -> None:
        """Catch NaN or Inf in x or in any parameter through the z^l they produce.

        A non-finite entry of x, of a W^l or of a b^l always makes some z^l
        non-finite (Inf * 0 is NaN, Inf * 3 is Inf, NaN spreads), so checking the
        small z^l arrays is exact and replaces scanning x and every parameter on
        every call. The scan runs only when something is wrong, to name it.
        """
        if all(math.isfinite(np.add.reduce(z, None)) for z in cache.z):  # finite only if every entry is
            return
        check_finite(cache.a[0], "x")
        for name, p in self.params().items():
            check_finite(p, f"parameter {name}")
        for l, z in cache.z.items():
            check_finite(z, f"z[{l}] (finite inputs and weights, but the weighted sum overflowed)")

    def _check_cache(self, cache, x: np.ndarray) -> None:
        if not isinstance(cache, Cache):
            raise TypeError(f"cache must be the Cache that forward(x) returns, got {describe(cache)}")
        x0 = cache.a[0]
        if x0 is not x and (x0.shape != x.shape or not np.array_equal(x0, x)):
            raise ValueError(f"cache must come from forward(x) of this x {x.shape}, got a cache of another "
                             f"input (shape {x0.shape}); call backward(x, y) without cache")
        if len(cache.z) != self.L or any(cache.z[l].shape != (n, x.shape[1])
                                         for l, n in zip(cache.z.layers(), self.sizes[1:])):
            raise ValueError(f"cache must come from this network {self.sizes}, got z shapes "
                             f"{[z.shape for z in cache.z]}")


def _by_layer(values, name: str) -> list:
    """W or b given by hand, as a list in layer order 1..L (from a dict keyed 1..L, or a list)."""
    if isinstance(values, dict):
        if sorted(values) != list(range(1, len(values) + 1)):
            raise ValueError(f"{name} must be keyed by the layers 1..L, got keys {sorted(values, key=str)}")
        return [values[l] for l in range(1, len(values) + 1)]
    if isinstance(values, (list, tuple)) and values:
        return list(values)
    raise TypeError(f"{name} must be a dict {{1: {name}^1, 2: ...}} or a non-empty list of arrays, "
                    f"got {describe(values)}")

r"""Gradient descent: full batch, mini-batch and pure SGD, on any bplib model.

Introduced in the chapter *Why backpropagation*. One update is

.. math:: \theta \leftarrow \theta - \alpha\, \frac{\partial C}{\partial \theta}

for every parameter block :math:`\theta`. An epoch visits each of the *n*
examples once in batches of *B*, so it makes :math:`\lceil n/B \rceil` updates:
with 1,000 examples, full batch (B = 1000) makes 1 update per epoch and pure SGD
(B = 1) makes 1,000.

A model is anything with the interface every bplib model has: ``params() -> dict``
of live float64 arrays, ``loss(x, y) -> float`` and ``gradients(x, y) -> dict`` (the
same keys), and for training ``validate(x, y)`` and ``core_gradients(x, y)``;
examples lie along the **last** axis of ``x`` and ``y`` (columns), as for
:class:`~bplib.mlp.MLP`, :class:`~bplib.rnn.RNN`, :class:`~bplib.toy.ReLUNet`,
:class:`~bplib.toy.Toy` and the autodiff models.

The data enter once: :func:`gradient_descent` validates the whole data set at its
door and checks the parameters through the loss after every epoch; inside, each
mini-batch goes through the model's unchecked core (:func:`sgd_epoch`), so training
costs what the algorithm costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .validate import as_float_array, check_learning_rate, check_positive_int, check_rng, describe

__all__ = ["TrainResult", "gradient_descent", "sgd_epoch", "updates_per_epoch", "accuracy"]


@dataclass
class TrainResult:
    """The loss over the whole training set after each epoch (index 0: before training)."""

    losses: list = field(default_factory=list)
    updates_per_epoch: int = 0
    updates: int = 0
    test_accuracy: list = field(default_factory=list)


def updates_per_epoch(n_examples: int, batch_size: int) -> int:
    """ceil(n / B): the number of parameter updates in one epoch."""
    n = check_positive_int(n_examples, "n_examples")
    B = check_positive_int(batch_size, "batch_size")
    return math.ceil(n / min(B, n))


def accuracy(model, x, y) -> float:
    """Fraction of columns whose largest output is at the target's largest entry."""
    out = model.predict(x)
    return float(np.mean(np.argmax(out, axis=0) == np.argmax(y, axis=0)))


def sgd_epoch(model, x: np.ndarray, y: np.ndarray, *, lr: float, batch_size: int,
              order: np.ndarray | None = None) -> int:
    """One epoch of gradient descent, the unchecked core of :func:`gradient_descent`.

    ``x`` and ``y`` must have passed ``model.validate``; ``order`` is a permutation of
    the examples (None: in order, each batch a slice). For every batch,
    theta <- theta - lr dC/dtheta for every parameter block. Returns the number of updates.
    """
    n = x.shape[-1]
    params = model.params()
    updates = 0
    for start in range(0, n, batch_size):
        if order is None:
            xb, yb = x[..., start:start + batch_size], y[..., start:start + batch_size]
        else:
            idx = order[start:start + batch_size]
            xb, yb = x[..., idx], y[..., idx]
        grads = model.core_gradients(xb, yb)
        for name, p in params.items():
            p -= lr * grads[name]
        updates += 1
    return updates


def gradient_descent(model, x, y, *, lr: float, epochs: int, batch_size: int | None = None,
                     rng: np.random.Generator | None = None, shuffle: bool = True,
                     x_test=None, y_test=None) -> TrainResult:
    """Train ``model`` in place. ``batch_size=None`` is full batch; 1 is pure SGD.

    Mini-batches are drawn from a fresh permutation each epoch (``rng`` needed unless
    the batch is full or ``shuffle=False``, which visits the examples in order). The
    data are validated once; the loss over the whole set after each epoch is recorded
    (and reports parameters that training has driven to NaN or Inf).
    """
    for method in ("params", "loss", "gradients", "validate", "core_gradients"):
        if not callable(getattr(model, method, None)):
            raise TypeError(f"model must have params(), loss(x, y), gradients(x, y), validate(x, y) "
                            f"and core_gradients(x, y), got {describe(model)} without {method}()")
    epochs = check_positive_int(epochs, "epochs")
    lr = check_learning_rate(lr)
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle must be True or False, got {describe(shuffle)}")
    x, y = as_float_array(x, "x"), as_float_array(y, "y")
    if x.ndim == 0 or y.ndim == 0 or x.shape[-1] == 0:
        raise ValueError(f"x and y must hold examples along their last axis, got shapes {x.shape} "
                         f"and {y.shape}")
    n = x.shape[-1]
    if y.shape[-1] != n:
        raise ValueError(f"y must hold as many examples (last axis) as x ({n}), got {y.shape[-1]}")
    if (x_test is None) != (y_test is None):
        raise ValueError("x_test and y_test must be given together, got only one of them")
    x, y = model.validate(x, y)
    B = n if batch_size is None else min(check_positive_int(batch_size, "batch_size"), n)
    if B < n and shuffle:
        check_rng(rng)
    result = TrainResult(updates_per_epoch=updates_per_epoch(n, B))
    result.losses.append(float(model.loss(x, y)))  # checks the parameters, and x and y in full
    for _ in range(epochs):
        order = rng.permutation(n) if (B < n and shuffle) else None
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run: named by the loss below
            result.updates += sgd_epoch(model, x, y, lr=lr, batch_size=B, order=order)
        result.losses.append(float(model.loss(x, y)))
        if x_test is not None:
            result.test_accuracy.append(accuracy(model, x_test, y_test))
    return result

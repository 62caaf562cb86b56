r"""Gradient descent: full batch, mini-batch and pure SGD, on any bplib model.

Introduced in the chapter *Why backpropagation*. One update is

.. math:: \theta \leftarrow \theta - \alpha\, \frac{\partial C}{\partial \theta}

for every parameter block :math:`\theta`. An epoch visits each of the *n*
examples once in batches of *B*, so it makes :math:`\lceil n/B \rceil` updates:
with 1,000 examples, full batch (B = 1000) makes 1 update per epoch and pure SGD
(B = 1) makes 1,000.

A model is anything with ``params() -> dict``, ``gradients(x, y) -> dict`` (same
keys) and a ``cost(x, y)`` or ``loss(x, y)``; examples lie along the **last** axis
of ``x`` and ``y`` (columns), as for :class:`~bplib.mlp.MLP`, :class:`~bplib.rnn.RNN`
and :class:`~bplib.toy.ReLUNet`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._validate import check_positive_int, check_rng

__all__ = ["TrainResult", "gradient_descent", "updates_per_epoch", "accuracy"]


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


def _loss(model, x, y) -> float:
    return float(model.cost(x, y) if hasattr(model, "cost") else model.loss(x, y))


def accuracy(model, x, y) -> float:
    """Fraction of columns whose largest output is at the target's largest entry."""
    out = model.predict(x)
    return float(np.mean(np.argmax(out, axis=0) == np.argmax(y, axis=0)))


def gradient_descent(model, x, y, *, lr: float, epochs: int, batch_size: int | None = None,
                     rng: np.random.Generator | None = None, x_test=None, y_test=None) -> TrainResult:
    """Train ``model`` in place. ``batch_size=None`` is full batch; 1 is pure SGD.

    Mini-batches are drawn from a fresh permutation each epoch (``rng`` needed
    unless the batch is full).
    """
    epochs = check_positive_int(epochs, "epochs")
    if not (isinstance(lr, (int, float)) and lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    n = x.shape[-1]
    if y.shape[-1] != n:
        raise ValueError("x and y must hold the same number of examples (last axis), "
                         f"got {n} and {y.shape[-1]}")
    B = n if batch_size is None else min(check_positive_int(batch_size, "batch_size"), n)
    if B < n:
        check_rng(rng)
    result = TrainResult(updates_per_epoch=updates_per_epoch(n, B))
    result.losses.append(_loss(model, x, y))
    params = model.params()
    for _ in range(epochs):
        order = rng.permutation(n) if B < n else np.arange(n)
        for start in range(0, n, B):
            idx = order[start:start + B]
            grads = model.gradients(x[..., idx], y[..., idx])
            for name, p in params.items():
                p -= lr * grads[name]
            result.updates += 1
        result.losses.append(_loss(model, x, y))
        if x_test is not None:
            result.test_accuracy.append(accuracy(model, x_test, y_test))
    return result

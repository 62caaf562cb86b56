"""Small data sets that need no network, with examples as columns.

- :func:`digits`: scikit-learn's bundled 8x8 handwritten digits (1,797 images),
  pixels scaled to [0, 1], one-hot targets; split into train and test.
- :func:`xor` and :func:`two_moons`: generated 2-D sets for pictures.
- :func:`mazur_222` and :func:`evan_moon_222`: the two published 2-2-2 examples that the
  chapter *A 2-2-2 network by hand* recomputes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validate import check_positive_int, check_real, check_rng, describe

__all__ = ["Split", "digits", "xor", "two_moons", "one_hot", "mazur_222", "evan_moon_222"]


@dataclass
class Split:
    x_train: np.ndarray  # (n_features, m_train)
    y_train: np.ndarray  # (n_classes, m_train), one-hot
    x_test: np.ndarray
    y_test: np.ndarray


def one_hot(labels, n_classes: int) -> np.ndarray:
    """Labels of shape (m,) as one-hot columns of shape (n_classes, m)."""
    n_classes = check_positive_int(n_classes, "n_classes")
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"labels must be a 1-D integer array, got {describe(labels)}")
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D integer array, got dtype {labels.dtype} "
                         f"and shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got {labels.min()}..{labels.max()}")
    y = np.zeros((n_classes, labels.size))
    y[labels, np.arange(labels.size)] = 1.0
    return y


def digits(rng: np.random.Generator, test_fraction: float = 0.25) -> Split:
    """The 8x8 digits as 64-pixel columns in [0, 1], shuffled by ``rng`` and split."""
    from sklearn.datasets import load_digits  # bundled with scikit-learn: no download

    check_rng(rng)
    test_fraction = check_real(test_fraction, "test_fraction")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction:g}")
    data = load_digits()
    x = data.data.T / 16.0
    y = one_hot(data.target, 10)
    order = rng.permutation(x.shape[1])
    n_test = int(round(test_fraction * x.shape[1]))
    test, train = order[:n_test], order[n_test:]
    return Split(x[:, train], y[:, train], x[:, test], y[:, test])


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR points as columns, and their targets (1, 4)."""
    x = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    return x, np.array([[0.0, 1.0, 1.0, 0.0]])


def two_moons(m: int, rng: np.random.Generator, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles: x (2, m), y (1, m) with labels 0 and 1."""
    m = check_positive_int(m, "m")
    check_rng(rng)
    noise = check_real(noise, "noise", low=0.0)
    labels = rng.integers(0, 2, m)
    angle = rng.uniform(0, np.pi, m)
    x = np.where(labels == 0, [np.cos(angle), np.sin(angle)],
                 [1 - np.cos(angle), 0.5 - np.sin(angle)])
    x = x + noise * rng.normal(size=(2, m))
    return x, labels[None, :].astype(float)


def mazur_222():
    """The 2-2-2 sigmoid network of Matt Mazur's "A Step by Step Backpropagation
    Example" (2015), whose intermediate numbers are published.

    Returns ``(W, b, x, t)``: ``W[l]``, ``b[l]`` for l = 1, 2 in bplib's numbering
    (the lecture slides' W^(2), W^(3)), one input column and its target. Each layer
    has one bias shared by its neurons (0.35, then 0.60). Published: total error
    0.298371109, dE/dw5 = 0.082167041 (w5 = W[2][0, 0]), dE/dw1 = 0.000438568
    (w1 = W[1][0, 0]); after one step with learning rate 0.5 on the weights only,
    the error is 0.291027924.
    """
    W = {1: np.array([[0.15, 0.20], [0.25, 0.30]]), 2: np.array([[0.40, 0.45], [0.50, 0.55]])}
    b = {1: np.array([[0.35], [0.35]]), 2: np.array([[0.60], [0.60]])}
    return W, b, np.array([[0.05], [0.10]]), np.array([[0.01], [0.99]])


def evan_moon_222():
    """What survives of the 2-2-2 sigmoid network of Evan Moon's post "Deep Learning이란
    무엇인가? - Backpropagation" (2018), the worked example that source 003 cites.

    Returns ``(W1, w2_row, x, t)`` in bplib's orientation: ``W1[j, k]`` is the weight to
    hidden neuron j from input k, ``w2_row[0, k]`` the weight to the *first* output from
    hidden neuron k; one input column x = (0.2, 0.5) and its target t = (0.2, 0.7). The
    network has no biases. The post writes w^0_kj (from input k to hidden j, j from 0)
    and w^1_kj; its figures, which held the rest, are lost.

    - ``W1``: the post's w^0_10 = 0.1, w^0_20 = 0.3, w^0_11 = 0.2, w^0_21 = 0.1, read
      from its sums z_10 = 0.2*0.1 + 0.5*0.3 = 0.17 and z_11 = 0.2*0.2 + 0.5*0.1 = 0.09.
    - ``w2_row``: w^1_10 = 0.4 is stated; w^1_20 = 0.1 is inferred, as the only weight with
      one decimal that gives the published z_20 = 0.27 (to two decimals). The weights
      into the second output are not recoverable and are not returned.

    Published (two decimals): a_10 = 0.54, a_11 = 0.52, z_20 = 0.27, a_20 = 0.57,
    z_21 = 0.43, a_21 = 0.61, E = 0.072 (E = 1/2 sum (t_i - y_i)^2), and the step
    dE/dw^1_10 = 0.37 x 0.14 x 0.54 = 0.028 with learning rate 0.3, of which the factor
    0.14, printed as 0.57 x (1 - 0.57), is wrong (0.57 x 0.43 = 0.2451).
    """
    W1 = np.array([[0.1, 0.3], [0.2, 0.1]])
    w2_row = np.array([[0.4, 0.1]])
    return W1, w2_row, np.array([[0.2], [0.5]]), np.array([[0.2], [0.7]])

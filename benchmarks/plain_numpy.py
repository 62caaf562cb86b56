"""The floor: a hand-written NumPy mini-batch SGD step with no abstraction at all.

The same 784-30-10 sigmoid network with quadratic cost as bplib's MLP: forward,
BP1-BP4, update; no input checks, no containers, the naive sigmoid.
"""

import numpy as np


def sgd_step(W1, b1, W2, b2, x, y, lr):
    m = x.shape[1]
    z1 = W1 @ x + b1
    a1 = 1.0 / (1.0 + np.exp(-z1))
    z2 = W2 @ a1 + b2
    a2 = 1.0 / (1.0 + np.exp(-z2))
    d2 = (a2 - y) * a2 * (1 - a2)          # BP1
    d1 = (W2.T @ d2) * a1 * (1 - a1)       # BP2
    W2 -= lr * (d2 @ a1.T) / m             # BP4
    b2 -= lr * d2.sum(axis=1, keepdims=True) / m  # BP3
    W1 -= lr * (d1 @ x.T) / m
    b1 -= lr * d1.sum(axis=1, keepdims=True) / m

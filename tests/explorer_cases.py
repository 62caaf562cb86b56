"""Every explorer of the book, built as its chapter builds it, for the explorer tests.

The why-backprop explorer needs the chapter's measurements; these are times of the
kind the chapter measures (seconds per one-example gradient of 784-n-10, on this
machine type: central differences 0.68 s and backprop 61 us at n = 30).
"""

from __future__ import annotations

import functools

import numpy as np

from bplib import explorers

WIDTHS = np.array([1, 2, 4, 8, 16, 30])
T_FD = np.array([0.021, 0.043, 0.085, 0.17, 0.35, 0.68])
T_BP = np.array([3.1e-5, 3.2e-5, 3.5e-5, 4.0e-5, 4.9e-5, 6.1e-5])


def build(name: str, **values) -> explorers.Explorer:
    """A fresh explorer ``name`` (a function of bplib.explorers) at its chapter's start."""
    fn = getattr(explorers, name)
    if name == "gradient_cost_explorer":
        return fn(WIDTHS, T_FD, T_BP, **values)
    return fn(**values)


@functools.cache
def static_copy(name: str) -> explorers.StaticCopy:
    """The static copy of explorer ``name`` (drawn once per test process)."""
    return build(name).static_copy()

"""The book's explorers: a pure state function and a view for each.

Each ``*_state`` function is the tested part (numbers in, numbers out); each
``*_explorer`` wires it to :class:`bplib.widgets.Explorer`.
"""

from __future__ import annotations

import numpy as np

from . import activations
from .gradcheck import central_difference
from .widgets import Explorer, Slider

__all__ = ["EXPLORERS", "sigmoid_state", "sigmoid_explorer"]

# Every explorer of the book, by function name (the benchmarks and tests walk this list).
EXPLORERS = ["sigmoid_explorer"]


# --- chapter "The sigmoid and its derivative" ----------------------------------------
def sigmoid_state(z: float) -> dict:
    """sigma(z), sigma'(z) by the formula, sigma'(z) by central differences, and the
    tangent line to sigma at z over a grid."""
    sig = activations.sigmoid
    z = float(z)
    s = float(sig.f(z))
    ds = float(sig.df(z))
    ds_fd = float(central_difference(lambda t: float(sig.f(t)), np.array(z)))
    grid = np.linspace(-8, 8, 161)
    return {
        "z": z,
        "sigma": s,
        "dsigma": ds,
        "dsigma_formula": s * (1 - s),
        "dsigma_fd": ds_fd,
        "grid": grid,
        "tangent": s + ds * (grid - z),
    }


def sigmoid_explorer(z: float = 1.0) -> Explorer:
    """Slide z: the tangent to sigma at z, and sigma'(z) on the curve of sigma'."""
    sig = activations.sigmoid
    grid = np.linspace(-8, 8, 161)

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        ax1.plot(grid, sig.f(grid), color="C0", label=r"$\sigma(z)$")
        (tangent,) = ax1.plot([], [], "--", color="C3", label="tangent, slope $\\sigma'(z)$")
        (p1,) = ax1.plot([], [], "o", color="C3")
        ax1.set(xlim=(-8, 8), ylim=(-0.2, 1.2), xlabel="$z$", title=r"$\sigma(z)$")
        ax1.legend(loc="upper left", fontsize=8)
        ax2.plot(grid, sig.df(grid), color="C1", label=r"$\sigma'(z)$")
        (p2,) = ax2.plot([], [], "o", color="C3")
        ax2.set(xlim=(-8, 8), ylim=(-0.02, 0.3), xlabel="$z$", title=r"$\sigma'(z)=\sigma(z)(1-\sigma(z))$")
        return {"tangent": tangent, "p1": p1, "p2": p2}

    def update(art, st):
        art["tangent"].set_data(st["grid"], st["tangent"])
        art["p1"].set_data([st["z"]], [st["sigma"]])
        art["p2"].set_data([st["z"]], [st["dsigma"]])

    def caption(st):
        return (f"z = {st['z']:.2f}:  σ(z) = {st['sigma']:.4f},  σ'(z) = σ(1−σ) = {st['dsigma']:.4f},  "
                f"central difference {st['dsigma_fd']:.4f}")

    return Explorer(sigmoid_state, setup, update, [Slider("z", -8.0, 8.0, 0.1, z, "z")],
                    caption=caption, frames=33)

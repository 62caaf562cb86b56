"""Explorer of the chapter *The sigmoid and its derivative*: slide z along sigma.

The state is sigma(z), sigma'(z) = sigma(z)(1 - sigma(z)) by the formula and by a
central difference, and the tangent line to sigma at z.
"""

from __future__ import annotations

import numpy as np

from .. import activations
from ..gradcheck import central_difference
from ..i18n import tr
from ..validate import check_real
from .base import Explorer, Slider

__all__ = ["sigmoid_state", "sigmoid_explorer"]

GRID = np.linspace(-8, 8, 161)


def sigmoid_state(z: float) -> dict:
    """sigma(z), sigma'(z) by the formula, sigma'(z) by central differences, and the
    tangent line to sigma at z over a grid."""
    sig = activations.sigmoid
    z = check_real(z, "z")
    s = float(sig.f(z))
    ds = float(sig.df(z))
    ds_fd = float(central_difference(lambda t: float(sig.f(t)), np.array(z)))
    return {"z": z, "sigma": s, "dsigma": ds, "dsigma_formula": s * (1 - s), "dsigma_fd": ds_fd,
            "grid": GRID, "tangent": s + ds * (GRID - z)}


def sigmoid_explorer(z: float = 1.0) -> Explorer:
    """Slide z: the tangent to sigma at z, and sigma'(z) on the curve of sigma'."""
    sig = activations.sigmoid

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        ax1.plot(GRID, sig.f(GRID), color="C0", label=r"$\sigma(z)$")
        (tangent,) = ax1.plot([], [], "--", color="C3", label=tr("tangent"))
        (p1,) = ax1.plot([], [], "o", color="C3")
        ax1.set(xlim=(-8, 8), ylim=(-0.2, 1.2), xlabel="$z$", title=tr(r"$\sigma(z)$ and its tangent"))
        ax1.legend(loc="upper left", fontsize=10)
        ax2.plot(GRID, sig.df(GRID), color="C1")
        (p2,) = ax2.plot([], [], "o", color="C3")
        ax2.set(xlim=(-8, 8), ylim=(-0.02, 0.3), xlabel="$z$", title=r"$\sigma'(z)=\sigma(z)(1-\sigma(z))$")
        return {"tangent": tangent, "p1": p1, "p2": p2}

    def update(art, st):
        art["tangent"].set_data(st["grid"], st["tangent"])
        art["p1"].set_data([st["z"]], [st["sigma"]])
        art["p2"].set_data([st["z"]], [st["dsigma"]])

    def caption(st):
        return tr("z = {z:.2f}:  σ(z) = {sigma:.4f},  σ'(z) = σ(1−σ) = {dsigma:.4f},  central difference "
                  "{fd:.4f}").format(z=st["z"], sigma=st["sigma"], dsigma=st["dsigma"], fd=st["dsigma_fd"])

    return Explorer(sigmoid_state, setup, update, [Slider("z", -8.0, 8.0, 0.1, z, "z")],
                    caption=caption)

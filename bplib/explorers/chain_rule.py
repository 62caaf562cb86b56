"""Explorer of the chapter *The chain rule and the notation*: y = sin(x^2), slope by slope.

The state is u = g(x) = x^2, y = f(u) = sin u, the two local slopes du/dx and dy/du,
their product, and dy/dx by a central difference.
"""

from __future__ import annotations

import numpy as np

from ..gradcheck import central_difference
from ..i18n import tr
from ..validate import check_real
from .base import Explorer, Slider

__all__ = ["chain_rule_state", "chain_rule_explorer"]


def chain_rule_state(x: float) -> dict:
    """y = f(u) = sin(u) with u = g(x) = x^2: the two local slopes and their product."""
    x = check_real(x, "x")
    u = x * x
    du_dx = 2 * x
    dy_du = float(np.cos(u))
    dy_dx_fd = float(central_difference(lambda t: float(np.sin(t * t)), np.array(x)))
    return {"x": x, "u": u, "y": float(np.sin(u)), "du_dx": du_dx, "dy_du": dy_du,
            "dy_dx": dy_du * du_dx, "dy_dx_fd": dy_dx_fd}


def chain_rule_explorer(x: float = 1.0) -> Explorer:
    """Three panels: g, f and f(g(x)) with their tangents; the slopes multiply."""
    xs = np.linspace(-2, 2, 201)
    us = np.linspace(0, 4, 201)

    def setup(fig):
        axes = fig.subplots(1, 3)
        axes[0].plot(xs, xs**2, color="C0")
        axes[0].set(title="$u = g(x) = x^2$", xlabel="$x$", ylim=(-1, 4.5), xlim=(-2, 2))
        axes[1].plot(us, np.sin(us), color="C1")
        axes[1].set(title="$y = f(u) = \\sin u$", xlabel="$u$", ylim=(-1.6, 1.6), xlim=(0, 4))
        axes[2].plot(xs, np.sin(xs**2), color="C2")
        axes[2].set(title="$y = \\sin(x^2)$", xlabel="$x$", ylim=(-1.6, 1.6), xlim=(-2, 2))
        art = {}
        for i, ax in enumerate(axes):
            (art[f"t{i}"],) = ax.plot([], [], "--", color="C3", lw=1)
            (art[f"p{i}"],) = ax.plot([], [], "o", color="C3", ms=4)
        return art

    def update(art, st):
        x, u, y = st["x"], st["u"], st["y"]
        for i, (c, v, slope, grid) in enumerate(((x, u, st["du_dx"], xs), (u, y, st["dy_du"], us),
                                                 (x, y, st["dy_dx"], xs))):
            art[f"t{i}"].set_data(grid, v + slope * (grid - c))
            art[f"p{i}"].set_data([c], [v])

    def caption(st):
        return tr("x = {x:.2f}: du/dx = {du_dx:.3f}, dy/du = cos(u) = {dy_du:.3f}; product {product:.4f}, "
                  "central difference {fd:.4f}").format(x=st["x"], du_dx=st["du_dx"], dy_du=st["dy_du"],
                                                        product=st["dy_dx"], fd=st["dy_dx_fd"])

    return Explorer(chain_rule_state, setup, update, [Slider("x", -2.0, 2.0, 0.05, x, "x")],
                    caption=caption, figsize=(7.2, 2.6))

"""Explorer of the chapter *A 2-2-2 network by hand*: Mazur's network as a graph, each
edge drawn by the gradient of the error with respect to its weight.

The figure is drawn narrow (416 px) with 13 pt labels, so that its smallest text is
at least 11 px both on a desktop (shown at natural size) and on a 390 px phone (where
the image shrinks to the column, about 345 px).
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ..validate import check_real
from .base import Explorer, Slider

__all__ = ["network_state", "network_explorer"]

_NODES = {(0, 0): (0.0, 0.8), (0, 1): (0.0, 0.2), (1, 0): (1.0, 0.8), (1, 1): (1.0, 0.2),
          (2, 0): (2.0, 0.8), (2, 1): (2.0, 0.2)}
_GRAD_SCALE = 0.15  # gradients are drawn relative to this size (fixed, so frames compare)
FONT = 13  # points: 14.4 px at 80 dpi, 11 px or more on a 390 px phone


def network_state(x1: float, x2: float = 0.10) -> dict:
    """Mazur's 2-2-2 network at input (x1, x2): activations, error and every gradient."""
    from ..data import mazur_222
    from ..mlp import MLP

    W, b, _, t = mazur_222()
    net = MLP.from_weights(W, b, activation="sigmoid", cost="quadratic")
    x = np.array([[check_real(x1, "x1")], [check_real(x2, "x2")]])
    cache = net.forward(x)
    g = net.backward(x, t, cache=cache)
    return {"x": x[:, 0], "a1": cache.a[1][:, 0], "a2": cache.a[2][:, 0],
            "E": net.loss(x, t), "dW1": g.dW[1], "dW2": g.dW[2], "db1": g.db[1][:, 0],
            "db2": g.db[2][:, 0]}


def _label_at(l: int, j: int, k: int) -> tuple[float, float]:
    """Where the label of edge w^l_jk sits: mid-edge for a level edge, near its tail for a
    crossing one (the two crossing labels then sit apart, above and below the crossing)."""
    (x0, y0), (x1, y1) = _NODES[(l - 1, k)], _NODES[(l, j)]
    frac = 0.5 if j == k else 0.36
    return x0 + frac * (x1 - x0), y0 + frac * (y1 - y0)


def network_explorer(x1: float = 0.05) -> Explorer:
    """The 2-2-2 network drawn as a graph; each edge's width and colour show dE/dw."""
    def setup(fig):
        fig.set_layout_engine("none")  # one axes filling the figure: nothing to lay out
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set(xlim=(-0.3, 2.3), ylim=(-0.08, 1.04))
        ax.set_label(tr("The 2-2-2 network as a graph: inputs, hidden and output neurons; each edge labelled "
                        "with the derivative of the error with respect to its weight"))
        edges, labels = {}, {}
        for l in (1, 2):
            for j in range(2):
                for k in range(2):
                    (x0, y0), (x1_, y1) = _NODES[(l - 1, k)], _NODES[(l, j)]
                    (edges[(l, j, k)],) = ax.plot([x0, x1_], [y0, y1], color="grey", lw=1, zorder=1)
                    labels[(l, j, k)] = ax.text(*_label_at(l, j, k), "", fontsize=FONT, ha="center",
                                                va="center", bbox={"fc": "white", "ec": "none", "pad": 0.3})
        nodes = []
        for (layer, j), (px, py) in _NODES.items():
            # drawn with the moving parts, after the edges, so the edges end at the circles
            nodes.append(ax.scatter([px], [py], s=2300, color="white", edgecolor="black", zorder=2))
            name = ["x", "a^{(2)}", "a^{(3)}"][layer]
            ax.text(px, py + (0.13 if j == 0 else -0.13), f"${name}_{j + 1}$", ha="center",
                    va="center", fontsize=FONT)
        values = {(layer, j): ax.text(px, py, "", ha="center", va="center", fontsize=FONT, zorder=3)
                  for (layer, j), (px, py) in _NODES.items()}
        error = ax.text(2.28, -0.04, "", ha="right", va="center", fontsize=FONT)
        # the order here is the drawing order: edges, their labels, circles, values
        return {"edges": edges, "labels": labels, "nodes": nodes, "values": values, "error": error}

    def update(art, st):
        for (l, j, k), line in art["edges"].items():
            g = st[f"dW{l}"][j, k]
            width = 0.5 + 7 * min(1.0, abs(g) / _GRAD_SCALE) ** 0.5
            line.set_linewidth(width)
            line.set_color("#c0392b" if g > 0 else "#2471a3")
            art["labels"][(l, j, k)].set_text(f"{g:+.4f}")
        acts = {0: st["x"], 1: st["a1"], 2: st["a2"]}
        for (layer, j), text in art["values"].items():
            text.set_text(f"{acts[layer][j]:.3f}")
        art["error"].set_text(f"E = {st['E']:.6f}")

    def caption(st):
        return tr("x = ({x1:.2f}, {x2:.2f}): E = {E:.6f}; dE/dw(3)_11 = {dw3:+.6f}, dE/dw(2)_11 = {dw2:+.6f} "
                  "(red: raising the weight raises E; blue: lowers it)").format(
            x1=st["x"][0], x2=st["x"][1], E=st["E"], dw3=st["dW2"][0, 0], dw2=st["dW1"][0, 0])

    return Explorer(network_state, setup, update, [Slider("x1", 0.0, 1.0, 0.05, x1, tr("input x1"))],
                    caption=caption, figsize=(5.2, 4.0))

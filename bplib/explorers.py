"""The book's explorers: a pure state function and a view for each.

Each ``*_state`` function is the tested part (numbers in, numbers out); each
``*_explorer`` wires it to :class:`bplib.widgets.Explorer`.
"""

from __future__ import annotations

import numpy as np

from . import activations
from .gradcheck import central_difference
from .widgets import Explorer, Slider

__all__ = ["EXPLORERS", "sigmoid_state", "sigmoid_explorer", "gradient_cost_state",
           "gradient_cost_explorer", "chain_rule_state", "chain_rule_explorer",
           "network_state", "network_explorer"]

# Every explorer of the book, by function name (the benchmarks and tests walk this list).
EXPLORERS = ["sigmoid_explorer", "gradient_cost_explorer", "chain_rule_explorer", "network_explorer"]


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


# --- chapter "Why backpropagation" ---------------------------------------------------------
def mlp_param_count(sizes) -> int:
    """Weights and biases of a fully connected network: sum of n_l (n_{l-1} + 1)."""
    return sum(n * (m + 1) for m, n in zip(sizes[:-1], sizes[1:]))


def gradient_cost_state(width: float, forward_seconds: float = 2.5e-5,
                        bp_seconds: float = 1e-4, examples: int = 60_000) -> dict:
    """The cost of one epoch of gradients for a 784-width-10 network, both ways.

    ``forward_seconds`` and ``bp_seconds`` are one forward pass and one backprop
    gradient of the 784-30-10 network (P = 23,860), measured by the chapter; both
    are scaled in proportion to the parameter count P. Central differences need 2P
    forward passes per example, so their cost grows like P^2; backprop's like P.
    """
    width = int(round(width))
    if width < 1:
        raise ValueError(f"width must be >= 1, got {width}")
    P = mlp_param_count([784, width, 10])
    scale = P / mlp_param_count([784, 30, 10])
    fd_per_example = 2 * P * forward_seconds * scale
    bp_per_example = bp_seconds * scale
    return {"width": width, "params": P, "forward_passes": 2 * P,
            "fd_example_s": fd_per_example, "bp_example_s": bp_per_example,
            "fd_epoch_h": fd_per_example * examples / 3600, "bp_epoch_s": bp_per_example * examples,
            "speedup": fd_per_example / bp_per_example}


def gradient_cost_explorer(width: float = 30, forward_seconds: float = 2.5e-5,
                           bp_seconds: float = 1e-4) -> Explorer:
    """Slide the hidden width of a 784-n-10 network: an epoch's gradient time, both ways."""
    def state(width):
        return gradient_cost_state(width, forward_seconds, bp_seconds)

    def setup(fig):
        ax = fig.subplots()
        bars = ax.bar(["numerical\ndifferentiation", "backpropagation"], [1, 1], color=["C3", "C0"])
        ax.set_yscale("log")
        ax.set_ylim(1e-2, 1e8)
        ax.set_ylabel("seconds for one epoch (60,000 examples)")
        for sec, label in ((60, "1 minute"), (3600, "1 hour"), (86400, "1 day")):
            ax.axhline(sec, color="grey", lw=0.6, ls=":")
            ax.text(1.45, sec, label, va="bottom", ha="right", fontsize=7, color="grey")
        texts = [ax.text(i, 1, "", ha="center", va="bottom", fontsize=8) for i in range(2)]
        return {"bars": list(bars), "texts": texts}

    def update(art, st):
        values = [st["fd_epoch_h"] * 3600, st["bp_epoch_s"]]
        for bar, text, v in zip(art["bars"], art["texts"], values):
            bar.set_height(v)
            text.set_position((bar.get_x() + bar.get_width() / 2, v))
            text.set_text(_duration(v))

    def caption(st):
        return (f"784-{st['width']}-10: {st['params']:,} parameters, {st['forward_passes']:,} forward passes "
                f"per example by central differences; backprop is about {st['speedup']:,.0f}x faster")

    return Explorer(state, setup, update, [Slider("width", 1, 100, 1, width, "hidden width")],
                    caption=caption, frames=34, figsize=(6.4, 3.4))


def _duration(seconds: float) -> str:
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.2g} s"


# --- chapter "The chain rule and the notation" --------------------------------------------------
def chain_rule_state(x: float) -> dict:
    """y = f(u) = sin(u) with u = g(x) = x^2: the two local slopes and their product."""
    x = float(x)
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
        return (f"x = {st['x']:.2f}: du/dx = {st['du_dx']:.3f}, dy/du = cos(u) = {st['dy_du']:.3f}; "
                f"product {st['dy_dx']:.4f}, central difference {st['dy_dx_fd']:.4f}")

    return Explorer(chain_rule_state, setup, update, [Slider("x", -2.0, 2.0, 0.05, x, "x")],
                    caption=caption, frames=41, figsize=(7.2, 2.6))


# --- chapter "A 2-2-2 network by hand" ----------------------------------------------------------
def network_state(x1: float, x2: float = 0.10) -> dict:
    """Mazur's 2-2-2 network at input (x1, x2): activations, error and every gradient."""
    from .data import mazur_222
    from .mlp import MLP

    W, b, _, t = mazur_222()
    net = MLP([2, 2, 2], activation="sigmoid", cost="quadratic", rng=None)
    for l in (1, 2):
        net.W[l], net.b[l] = W[l], b[l]
    x = np.array([[float(x1)], [float(x2)]])
    cache = net.forward(x)
    g = net.backward(x, t, cache=cache)
    return {"x": x[:, 0], "a1": cache.a[1][:, 0], "a2": cache.a[2][:, 0],
            "E": net.cost(x, t), "dW1": g.dW[1], "dW2": g.dW[2], "db1": g.db[1][:, 0],
            "db2": g.db[2][:, 0]}


_NODES = {(0, 0): (0.0, 0.75), (0, 1): (0.0, 0.25), (1, 0): (1.0, 0.75), (1, 1): (1.0, 0.25),
          (2, 0): (2.0, 0.75), (2, 1): (2.0, 0.25)}
_GRAD_SCALE = 0.15  # gradients are drawn relative to this size (fixed, so frames compare)


def network_explorer(x1: float = 0.05) -> Explorer:
    """The 2-2-2 network drawn as a graph; each edge's width and colour show dE/dw."""
    def setup(fig):
        ax = fig.subplots()
        ax.set_axis_off()
        ax.set(xlim=(-0.35, 2.35), ylim=(0.0, 1.0))
        edges, labels = {}, {}
        for l in (1, 2):
            for j in range(2):
                for k in range(2):
                    (x0, y0), (x1_, y1) = _NODES[(l - 1, k)], _NODES[(l, j)]
                    (edges[(l, j, k)],) = ax.plot([x0, x1_], [y0, y1], color="grey", lw=1, zorder=1)
                    frac = 0.3 if j == k else 0.7
                    labels[(l, j, k)] = ax.text(x0 + frac * (x1_ - x0), y0 + frac * (y1 - y0), "",
                                                fontsize=7, ha="center", va="center",
                                                bbox={"fc": "white", "ec": "none", "pad": 0.5})
        nodes = []
        for (layer, j), (px, py) in _NODES.items():
            # drawn with the moving parts, after the edges, so the edges end at the circles
            nodes.append(ax.scatter([px], [py], s=700, color="white", edgecolor="black", zorder=2))
            name = ["x", "a^{(2)}", "a^{(3)}"][layer]
            ax.text(px, py + 0.13, f"${name}_{j + 1}$", ha="center", fontsize=9)
        values = {(layer, j): ax.text(px, py, "", ha="center", va="center", fontsize=7, zorder=3)
                  for (layer, j), (px, py) in _NODES.items()}
        error = ax.text(2.3, 0.03, "", ha="right", fontsize=9)
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
        return (f"x = ({st['x'][0]:.2f}, {st['x'][1]:.2f}): E = {st['E']:.6f}; dE/dw(3)_11 = "
                f"{st['dW2'][0, 0]:+.6f}, dE/dw(2)_11 = {st['dW1'][0, 0]:+.6f} "
                "(red: raising the weight raises E; blue: lowers it)")

    return Explorer(network_state, setup, update, [Slider("x1", 0.0, 1.0, 0.05, x1, "input x1")],
                    caption=caption, frames=21, figsize=(6.4, 3.4))

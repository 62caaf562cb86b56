"""The book's explorers: a pure state function and a view for each.

Each ``*_state`` function is the tested part (numbers in, numbers out); each
``*_explorer`` wires it to :class:`bplib.widgets.Explorer`.
"""

from __future__ import annotations

import numpy as np

from . import activations
from .gradcheck import central_difference, numerical_gradient
from .toy import TOY_BETA, TOY_OMEGA, toy_data
from .validate import check_int_in_range, check_real
from .widgets import Explorer, Slider

__all__ = ["EXPLORERS", "sigmoid_state", "sigmoid_explorer", "gradient_cost_state",
           "gradient_cost_explorer", "chain_rule_state", "chain_rule_explorer",
           "network_state", "network_explorer", "deltas_state", "deltas_explorer",
           "toy_state", "toy_explorer", "bptt_state", "bptt_explorer", "graph_state", "graph_explorer",
           "chain_diagram"]

# Every explorer of the book, by function name (the benchmarks and tests walk this list).
EXPLORERS = ["sigmoid_explorer", "gradient_cost_explorer", "chain_rule_explorer", "network_explorer",
             "deltas_explorer", "toy_explorer", "bptt_explorer", "graph_explorer"]


# --- chapter "The sigmoid and its derivative" ----------------------------------------
def sigmoid_state(z: float) -> dict:
    """sigma(z), sigma'(z) by the formula, sigma'(z) by central differences, and the
    tangent line to sigma at z over a grid."""
    sig = activations.sigmoid
    z = check_real(z, "z")
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
    width = check_int_in_range(round(check_real(width, "width")), "width", 1, 10_000)
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
    net = MLP.from_weights(W, b, activation="sigmoid", cost="quadratic")
    x = np.array([[check_real(x1, "x1")], [check_real(x2, "x2")]])
    cache = net.forward(x)
    g = net.backward(x, t, cache=cache)
    return {"x": x[:, 0], "a1": cache.a[1][:, 0], "a2": cache.a[2][:, 0],
            "E": net.loss(x, t), "dW1": g.dW[1], "dW2": g.dW[2], "db1": g.db[1][:, 0],
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
        ax.set_label("The 2-2-2 network as a graph: inputs, hidden and output neurons; "
                     "each edge labelled with the derivative of the error with respect to its weight")
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


# --- chapter "The four equations of backpropagation" ------------------------------------------------
DELTA_SIZES = [4, 8, 8, 8, 8, 2]


def deltas_state(scale: float, seed: int = 0) -> dict:
    """A sigmoid network DELTA_SIZES with weights W^l ~ scale * N(0, 1/n_{l-1}) on fixed
    data: the size of delta^l in every layer (mean over the batch of ||delta^l_x||),
    the mean sigma'(z^l), and the backprop gradient's agreement with finite differences
    for one weight of the first layer."""
    from .mlp import MLP

    scale = check_real(scale, "scale", low=0.0, low_open=True)
    rng = np.random.default_rng(seed)
    net = MLP(DELTA_SIZES, activation="sigmoid", cost="quadratic", rng=rng)
    for l in range(1, net.L + 1):
        net.W[l] = net.W[l] * scale
    x = rng.normal(size=(DELTA_SIZES[0], 16))
    y = rng.uniform(0, 1, size=(DELTA_SIZES[-1], 16))
    cache = net.forward(x)
    g = net.backward(x, y, cache=cache)
    layers = list(range(1, net.L + 1))
    w11 = net.W[1][:1, :1]  # a view of the one weight w^1_11, perturbed in place
    dw_fd = float(numerical_gradient(lambda: net.loss(x, y), {"w": w11})["w"][0, 0])
    return {"scale": scale, "layers": layers,
            "delta_norm": np.array([np.mean(np.linalg.norm(g.delta[l], axis=0)) for l in layers]),
            "sigma_prime": np.array([np.mean(net.activation.df(cache.z[l])) for l in layers]),
            "dw_bp": float(g.dW[1][0, 0]), "dw_fd": dw_fd, "cost": net.loss(x, y)}


def deltas_explorer(scale: float = 1.0) -> Explorer:
    """Scale every weight: bars of ||delta^l|| per layer, and the mean sigma'(z^l)."""
    n = len(DELTA_SIZES) - 1

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        bars1 = ax1.bar(range(1, n + 1), np.ones(n), color="C0")
        ax1.set(yscale="log", ylim=(1e-9, 10), xlabel="layer $l$", title=r"size of $\delta^l$",
                xticks=range(1, n + 1))
        bars2 = ax2.bar(range(1, n + 1), np.ones(n), color="C1")
        ax2.set(ylim=(0, 0.26), xlabel="layer $l$", title=r"mean $\sigma'(z^l)$ (at most 1/4)",
                xticks=range(1, n + 1))
        return {"b1": list(bars1), "b2": list(bars2)}

    def update(art, st):
        for bar, v in zip(art["b1"], st["delta_norm"]):
            bar.set_height(max(v, 1e-12))
        for bar, v in zip(art["b2"], st["sigma_prime"]):
            bar.set_height(v)

    def caption(st):
        ratio = st["delta_norm"][0] / st["delta_norm"][-1]
        return (f"weight scale {st['scale']:.2f}: ||δ^1|| / ||δ^L|| = {ratio:.2e}; "
                f"∂C/∂w^1_11 by BP4 {st['dw_bp']:+.3e}, central difference {st['dw_fd']:+.3e}")

    return Explorer(deltas_state, setup, update, [Slider("scale", 0.2, 8.0, 0.1, scale, "weight scale")],
                    caption=caption, frames=40, figsize=(6.8, 3.0))


# --- chapter "The modular toy model" -----------------------------------------------------------
TOY_H = 1e-6  # the explorer's finite-difference step: its dots agree with the bars to ~1e-9


def toy_state(omega0: float, beta0: float = TOY_BETA[0], omega1: float = TOY_OMEGA[1],
              beta1: float = TOY_BETA[1], omega2: float = TOY_OMEGA[2], beta2: float = TOY_BETA[2],
              omega3: float = TOY_OMEGA[3], beta3: float = TOY_BETA[3]) -> dict:
    """The toy model at the given parameters on toy_data(): its curve, the summed loss,
    and all eight gradients by the modular backward pass and by central differences."""
    from .toy import Toy

    given = {"beta0": beta0, "beta1": beta1, "beta2": beta2, "beta3": beta3,
             "omega0": omega0, "omega1": omega1, "omega2": omega2, "omega3": omega3}
    v = {name: check_real(value, name) for name, value in given.items()}
    toy = Toy([v[f"beta{k}"] for k in range(4)], [v[f"omega{k}"] for k in range(4)])
    x, y = toy_data()
    grid = np.linspace(-3, 4, 141)
    grads = toy.gradients(x, y)
    # h = 1e-6: exp makes the third derivative large, so at h = 1e-5 the truncation
    # error (about h^2 |f'''| / 6) reaches 1e-7 relative; rounding stays far below
    fd = numerical_gradient(lambda: toy.loss(x, y), toy.params(), h=TOY_H)
    return {"beta": toy.beta.copy(), "omega": toy.omega.copy(), "x": x, "y": y, "grid": grid,
            "curve": toy.forward(grid, np.zeros_like(grid)).f[3], "loss": toy.loss(x, y),
            "dbeta": grads["beta"], "domega": grads["omega"],
            "dbeta_fd": fd["beta"], "domega_fd": fd["omega"]}


def toy_explorer(**values) -> Explorer:
    """Eight sliders (omega0 first, the one the static book scrubs); the curve against the
    data, and every gradient by backprop (bars) and by finite differences (dots)."""
    names = ["omega0", "beta0", "omega1", "beta1", "omega2", "beta2", "omega3", "beta3"]
    defaults = {f"omega{k}": TOY_OMEGA[k] for k in range(4)} | {f"beta{k}": TOY_BETA[k] for k in range(4)}
    defaults |= values
    labels = {n: ("ω" if n[0] == "o" else "β") + n[-1] for n in names}
    ranges = {"omega0": (-1.0, 1.0), "omega1": (-1.5, 1.5), "omega2": (-3.0, 3.0), "omega3": (-4.0, 4.0),
              "beta0": (-2.0, 2.0), "beta1": (-1.0, 3.0), "beta2": (-5.0, 1.0), "beta3": (-2.0, 2.0)}
    sliders = [Slider(n, *ranges[n], 0.05, defaults[n], labels[n]) for n in names]
    x, y = toy_data()
    params = [r"$\beta_0$", r"$\omega_0$", r"$\beta_1$", r"$\omega_1$", r"$\beta_2$", r"$\omega_2$",
              r"$\beta_3$", r"$\omega_3$"]

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        ax1.plot(x, y, "o", color="k", ms=4, label="data")
        (curve,) = ax1.plot([], [], color="C0", label="$f(x)$")
        ax1.set(xlim=(-3, 4), ylim=(-4, 4), xlabel="$x$", title="the model and six data points")
        ax1.legend(loc="lower left", fontsize=7)
        bars = ax2.bar(range(8), np.zeros(8), color=["C2", "C4"] * 4)
        (dots,) = ax2.plot(range(8), np.zeros(8), "k.", ms=6, label="finite differences")
        ax2.axhline(0, color="grey", lw=0.5)
        ax2.set(xticks=range(8), xticklabels=params, yscale="symlog", ylim=(-1e4, 1e4),
                title=r"$\partial L/\partial$ parameter")
        ax2.legend(loc="lower left", fontsize=7)
        return {"curve": curve, "bars": list(bars), "dots": dots}

    def update(art, st):
        art["curve"].set_data(st["grid"], st["curve"])
        bp = np.ravel(np.column_stack([st["dbeta"], st["domega"]]))
        fd = np.ravel(np.column_stack([st["dbeta_fd"], st["domega_fd"]]))
        for bar, v in zip(art["bars"], bp):
            bar.set_height(v)
        art["dots"].set_data(range(8), fd)

    def caption(st):
        from .gradcheck import DEFAULT_FLOOR, rel_error

        # as check_gradients: entries are judged at the scale of their own block
        tiny = DEFAULT_FLOOR * max(np.max(np.abs(st["dbeta"])), np.max(np.abs(st["domega"])))
        err = max(np.max(rel_error(st["dbeta"], st["dbeta_fd"], tiny)),
                  np.max(rel_error(st["domega"], st["domega_fd"], tiny)))
        return (f"ω0 = {st['omega'][0]:.2f}: loss L = {st['loss']:.3f}; ∂L/∂ω0 = {st['domega'][0]:+.3f}, "
                f"∂L/∂β0 = {st['dbeta'][0]:+.3f}; largest relative difference from central differences "
                f"{err:.1e}")

    return Explorer(toy_state, setup, update, sliders, caption=caption, frames=41, figsize=(7.2, 3.0))


# --- chapter "Backpropagation through time" ---------------------------------------------------
BPTT_MAX_T = 1000  # the longest sequence an explorer state runs (a slider never asks for more)


def bptt_state(radius: float, T: float = 30, k: float = 30, activation: str = "tanh", seed: int = 0) -> dict:
    """A many-to-one RNN (n_x = 3, n_h = 16, n_y = 1) whose W_r is rescaled to spectral
    radius ``radius``, on one random sequence of length T: ||dL/ds(t)|| for every t,
    the size of each step's contribution to dL/dW_r, and how far truncation after k
    steps moves dL/dW_r."""
    from .rnn import RNN

    radius = check_real(radius, "radius", low=0.0, low_open=True)
    T = check_int_in_range(round(check_real(T, "T")), "T", 1, BPTT_MAX_T)
    k = check_int_in_range(round(check_real(k, "k")), "k", 1, BPTT_MAX_T)
    rng = np.random.default_rng(seed)
    rnn = RNN(3, 16, 1, rng=rng, activation=activation)
    rnn.W_r = rnn.W_r * (radius / np.max(np.abs(np.linalg.eigvals(rnn.W_r))))
    xs = rng.normal(size=(T, 3, 1))
    y = np.array([[1.0]])
    full = rnn.bptt(xs, y)
    cut = rnn.bptt(xs, y, k=k)
    diff = np.linalg.norm(cut.dW_r - full.dW_r) / max(np.linalg.norm(full.dW_r), 1e-300)
    return {"radius": radius, "T": T, "k": min(k, T), "t": np.arange(1, T + 1),
            "grad_s_norm": full.grad_s_norm,
            "contrib_norm": np.linalg.norm(full.contrib_r, axis=(1, 2)),
            "dW_r_norm": float(np.linalg.norm(full.dW_r)), "truncation_error": float(diff)}


def bptt_explorer(radius: float = 1.0, T: float = 30, k: float = 30, activation: str = "tanh") -> Explorer:
    """The spectral radius of W_r (scrubbed), T and the truncation k: ||dL/ds(t)|| against t
    and each step's contribution to dL/dW_r (grey where truncation drops it)."""
    t_max = 60

    def state(radius, T, k):
        return bptt_state(radius, T, k, activation)

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        (line,) = ax1.plot([], [], "o-", ms=2, color="C0")
        ax1.set(yscale="log", xlim=(0, t_max + 1), ylim=(1e-12, 1e4), xlabel="time step $t$",
                title=r"$\|\partial L/\partial s^{(t)}\|$")
        bars = ax2.bar(range(1, t_max + 1), np.full(t_max, 1e-13), color="C1")
        ax2.set(yscale="log", xlim=(0, t_max + 1), ylim=(1e-12, 1e4), xlabel="time step $t$",
                title=r"step $t$'s term of $\partial L/\partial W_r$")
        return {"line": line, "bars": list(bars)}

    def update(art, st):
        art["line"].set_data(st["t"], st["grad_s_norm"])
        for i, bar in enumerate(art["bars"]):
            t = i + 1
            if t <= st["T"]:
                bar.set_height(max(st["contrib_norm"][i], 1e-13))
                bar.set_color("C1" if t > st["T"] - st["k"] else "0.75")
            else:
                bar.set_height(1e-13)

    def caption(st):
        return (f"{activation}, spectral radius {st['radius']:.2f}, T = {st['T']}: "
                f"||∂L/∂s(1)|| / ||∂L/∂s(T)|| = {st['grad_s_norm'][0] / st['grad_s_norm'][-1]:.2e}; "
                f"truncating after k = {st['k']} steps changes ∂L/∂W_r by "
                f"{100 * st['truncation_error']:.2g}%")

    sliders = [Slider("radius", 0.2, 3.0, 0.05, radius, "spectral radius of W_r"),
               Slider("T", 2, t_max, 1, T, "sequence length T"),
               Slider("k", 1, t_max, 1, k, "truncation k")]
    return Explorer(state, setup, update, sliders, caption=caption, frames=29, figsize=(7.2, 3.0))


# --- chapter "From backpropagation to automatic differentiation" -----------------------------
CHAIN = ["f0", "h1", "f1", "h2", "f2", "h3", "f3", "loss"]  # the toy model's nodes, in order


def graph_state(x: float, y: float = 2.0) -> dict:
    """The toy model at TOY_BETA, TOY_OMEGA for one pair (x, y), run through the autodiff
    engine: every node of the chain f0, h1, ..., f3, loss with its value and adjoint,
    next to the hand-written backward pass's dl/df_k and dl/dh_k."""
    from .autodiff import Value, toy_forward
    from .toy import Toy

    x, y = check_real(x, "x"), check_real(y, "y")
    beta = [Value(b, name=f"beta{k}") for k, b in enumerate(TOY_BETA)]
    omega = [Value(w, name=f"omega{k}") for k, w in enumerate(TOY_OMEGA)]
    by_name = {n.name: n for n in toy_forward(beta, omega, x, y).backward()}
    nodes = [by_name[name] for name in CHAIN]
    hand = Toy(TOY_BETA, TOY_OMEGA).backward(x, y)
    hand_adj = []
    for kk in range(4):
        hand_adj.append(float(hand.dl_df[kk][0]))
        if kk < 3:
            hand_adj.append(float(hand.dl_dh[kk + 1][0]))
    hand_adj.append(1.0)
    return {"x": x, "names": CHAIN, "values": np.array([float(n.data) for n in nodes]),
            "adjoints": np.array([float(n.grad) for n in nodes]), "hand": np.array(hand_adj),
            "domega0": float(omega[0].grad), "dbeta0": float(beta[0].grad)}


def chain_diagram(ax, labels=("$f_0$", "$h_1$", "$f_1$", "$h_2$", "$f_2$", "$h_3$", "$f_3$", r"$\ell$")):
    """Draw the toy model's chain x -> f0 -> ... -> loss on ``ax``; returns the empty text
    artists for the forward values (above each node) and the adjoints (below)."""
    from matplotlib.patches import Circle

    n = len(labels)
    ax.set_axis_off()
    ax.set(xlim=(-0.7, n - 0.4), ylim=(-1.2, 1.2))
    ax.set_label("The chain x, f0, h1, f1, h2, f2, h3, f3, loss as a graph: the forward value "
                 "above each node, the adjoint (derivative of the loss) below it")
    for i in range(-1, n - 1):
        ax.annotate("", xy=(i + 0.72, 0), xytext=(i + 0.28 if i >= 0 else i + 0.32, 0),
                    arrowprops={"arrowstyle": "->", "color": "grey"})
    ax.text(-0.68, 0.12, "$x$", fontsize=9)
    for i, lab in enumerate(labels):
        ax.add_patch(Circle((i, 0), 0.27, fc="white", ec="black"))
        ax.text(i, 0, lab, ha="center", va="center", fontsize=10)
    ax.text(-0.6, 0.75, "forward value", fontsize=7, color="C0", ha="left")
    ax.text(-0.6, -0.85, r"adjoint $\partial\ell/\partial$node", fontsize=7, color="C3", ha="left")
    values = [ax.text(i, 0.45, "", ha="center", fontsize=8, color="C0") for i in range(n)]
    adjoints = [ax.text(i, -0.55, "", ha="center", fontsize=8, color="C3") for i in range(n)]
    return values, adjoints


def graph_explorer(x: float = 2.3) -> Explorer:
    """The toy model's chain as a computational graph: forward values above each node,
    adjoints (the backward values) below, from the autodiff engine."""
    def setup(fig):
        vals, adjs = chain_diagram(fig.subplots())
        return {"vals": vals, "adjs": adjs}

    def update(art, st):
        for i in range(8):
            art["vals"][i].set_text(f"{st['values'][i]:.3g}")
            art["adjs"][i].set_text(f"{st['adjoints'][i]:.3g}")

    def caption(st):
        from .gradcheck import rel_error

        err = float(np.max(rel_error(st["adjoints"], st["hand"])))
        return (f"x = {st['x']:.2f}: ℓ = {st['values'][-1]:.4f}; ∂ℓ/∂ω0 = {st['domega0']:+.4g}, "
                f"∂ℓ/∂β0 = {st['dbeta0']:+.4g}; engine vs hand-written backward: largest relative "
                f"difference {err:.1e}")

    return Explorer(graph_state, setup, update, [Slider("x", -3.0, 3.0, 0.1, x, "input x")],
                    caption=caption, frames=31, figsize=(7.2, 2.2))

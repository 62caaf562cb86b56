r"""Explorer of the chapter *Backpropagation through time*: how the gradient travels
back through a many-to-one RNN, as the spectral radius of :math:`W_r`, the sequence
length T and the truncation k change.

The radius reaches 8, where a tanh network's gradient explodes (about
:math:`10^5` times from the last step to the first at T = 30); below 1 it vanishes.
The x-axis runs to T's largest value, 40. In the static book the radius moves together
with T and with k (two precomputed grids): those are the pairs that interact.
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ..validate import check_int_in_range, check_real
from .base import Explorer, Slider

__all__ = ["BPTT_MAX_T", "T_MAX", "RADIUS_MAX", "bptt_state", "bptt_explorer"]

BPTT_MAX_T = 1000  # the longest sequence an explorer state runs (a slider never asks for more)
T_MAX = 40  # the T and k sliders' maximum, and the x-axis's end
RADIUS_MAX = 8.0


def bptt_state(radius: float, T: float = 30, k: float = 30, activation: str = "tanh", seed: int = 0) -> dict:
    """A many-to-one RNN (n_x = 3, n_h = 16, n_y = 1) whose W_r is rescaled to spectral
    radius ``radius``, on one random sequence of length T: ||dL/ds(t)|| for every t,
    the size of each step's contribution to dL/dW_r, and how far truncation after k
    steps moves dL/dW_r."""
    from ..rnn import RNN

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
    """The spectral radius of W_r, T and the truncation k: ||dL/ds(t)|| against t and each
    step's contribution to dL/dW_r (grey where truncation drops it)."""
    ylim = (1e-16, 1e7)

    def state(radius, T, k):
        return bptt_state(radius, T, k, activation)

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        (line,) = ax1.plot([], [], "o-", ms=2, color="C0")
        bars = ax2.bar(range(1, T_MAX + 1), np.full(T_MAX, ylim[0] / 10), color="C1")
        ax1.set_title(r"$\|\partial L/\partial s^{(t)}\|$")
        ax2.set_title(tr(r"step $t$'s term of $\partial L/\partial W_r$"))
        for ax in (ax1, ax2):
            ax.set_ylim(ylim)  # before the log scale: an empty axes' (0, 1) has no logarithm
            ax.set(yscale="log", xlim=(0.5, T_MAX + 0.5), xlabel=tr("time step $t$"),
                   yticks=[1e-15, 1e-10, 1e-5, 1, 1e5])
        return {"line": line, "bars": list(bars)}

    def update(art, st):
        art["line"].set_data(st["t"], st["grad_s_norm"])
        for i, bar in enumerate(art["bars"]):
            t = i + 1
            if t <= st["T"]:
                bar.set_height(max(st["contrib_norm"][i], ylim[0] / 10))
                bar.set_color("C1" if t > st["T"] - st["k"] else "0.75")
            else:
                bar.set_height(ylim[0] / 10)

    def caption(st):
        return tr("{activation}, spectral radius {radius:.2f}, T = {T}, k = {k}: "
                  "||∂L/∂s(1)|| / ||∂L/∂s(T)|| = "
                  "{ratio:.2e}; truncating after k = {k} steps changes ∂L/∂W_r by {percent:.3g} %").format(
            activation=activation, radius=st["radius"], T=st["T"], k=st["k"],
            ratio=st["grad_s_norm"][0] / st["grad_s_norm"][-1], percent=100 * st["truncation_error"])

    sliders = [Slider("radius", 0.2, RADIUS_MAX, 0.05, radius, tr("spectral radius of W_r"), static_step=0.4),
               Slider("T", 2, T_MAX, 1, T, tr("sequence length T"), static_step=2),
               Slider("k", 1, T_MAX, 1, k, tr("truncation k"), static_step=3)]
    return Explorer(state, setup, update, sliders, caption=caption, grids=[("radius", "T"), ("radius", "k")],
                    figsize=(7.2, 3.0))

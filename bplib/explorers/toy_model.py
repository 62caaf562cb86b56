"""Explorer of the chapter *The modular toy model*: all eight parameters of Prince's
toy model, the curve against the data, and every gradient by the modular backward
pass (bars) and by central differences (dots).

The model, its constants and data live in :mod:`bplib.toy`; ``TOY_H`` is this
explorer's finite-difference step.
"""

from __future__ import annotations

import numpy as np

from ..gradcheck import DEFAULT_FLOOR, numerical_gradient, rel_error
from ..i18n import tr
from ..toy import TOY_BETA, TOY_OMEGA, Toy, toy_data
from ..validate import check_real
from .base import Explorer, Slider

__all__ = ["TOY_H", "TOY_RANGES", "toy_state", "toy_explorer"]

# the explorer's finite-difference step: exp makes the third derivative large, so at
# h = 1e-5 the truncation error (about h^2 |f'''| / 6) is far larger; rounding stays far below
TOY_H = 1e-6
NAMES = ["omega0", "beta0", "omega1", "beta1", "omega2", "beta2", "omega3", "beta3"]
TOY_RANGES = {"omega0": (-1.0, 1.0), "omega1": (-1.5, 1.5), "omega2": (-3.0, 3.0), "omega3": (-4.0, 4.0),
              "beta0": (-2.0, 2.0), "beta1": (-1.0, 3.0), "beta2": (-5.0, 1.0), "beta3": (-2.0, 2.0)}
GRID = np.linspace(-3, 4, 141)


def toy_state(omega0: float, beta0: float = TOY_BETA[0], omega1: float = TOY_OMEGA[1],
              beta1: float = TOY_BETA[1], omega2: float = TOY_OMEGA[2], beta2: float = TOY_BETA[2],
              omega3: float = TOY_OMEGA[3], beta3: float = TOY_BETA[3]) -> dict:
    """The toy model at the given parameters on toy_data(): its curve, the summed loss,
    and all eight gradients by the modular backward pass and by central differences."""
    given = {"beta0": beta0, "beta1": beta1, "beta2": beta2, "beta3": beta3,
             "omega0": omega0, "omega1": omega1, "omega2": omega2, "omega3": omega3}
    v = {name: check_real(value, name) for name, value in given.items()}
    toy = Toy([v[f"beta{k}"] for k in range(4)], [v[f"omega{k}"] for k in range(4)])
    x, y = toy_data()
    grads = toy.gradients(x, y)
    fd = numerical_gradient(lambda: toy.loss(x, y), toy.params(), h=TOY_H)
    return {"beta": toy.beta.copy(), "omega": toy.omega.copy(), "x": x, "y": y, "grid": GRID,
            "curve": toy.forward(GRID, np.zeros_like(GRID)).f[3], "loss": toy.loss(x, y),
            "dbeta": grads["beta"], "domega": grads["omega"],
            "dbeta_fd": fd["beta"], "domega_fd": fd["omega"]}


def toy_explorer(**values) -> Explorer:
    """Eight sliders, one per parameter (start: TOY_OMEGA, TOY_BETA, or ``values``); the
    curve against the data, and every gradient by backprop (bars) and by finite
    differences (dots)."""
    defaults = {f"omega{k}": TOY_OMEGA[k] for k in range(4)} | {f"beta{k}": TOY_BETA[k] for k in range(4)}
    unknown = set(values) - set(defaults)
    if unknown:
        raise ValueError(f"unknown toy parameter(s) {sorted(unknown)}; parameters: {NAMES}")
    defaults |= values
    labels = {n: ("ω" if n[0] == "o" else "β") + n[-1] for n in NAMES}
    sliders = [Slider(n, *TOY_RANGES[n], 0.05, defaults[n], labels[n]) for n in NAMES]
    x, y = toy_data()
    params = [r"$\beta_0$", r"$\omega_0$", r"$\beta_1$", r"$\omega_1$", r"$\beta_2$", r"$\omega_2$",
              r"$\beta_3$", r"$\omega_3$"]

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        ax1.plot(x, y, "o", color="k", ms=4, label=tr("data"))
        (curve,) = ax1.plot([], [], color="C0", label="$f(x)$")
        ax1.set(xlim=(-3, 4), ylim=(-4, 4), xlabel="$x$", title=tr("the model and six data points"))
        ax1.legend(loc="lower left", fontsize=10)
        bars = ax2.bar(range(8), np.zeros(8), color=["C2", "C4"] * 4)
        (dots,) = ax2.plot(range(8), np.zeros(8), "k.", ms=6, label=tr("central differences"))
        ax2.axhline(0, color="grey", lw=0.5)
        ax2.set(xticks=range(8), xticklabels=params, yscale="symlog", ylim=(-1e4, 1e4),
                title=tr(r"$\partial L/\partial$ parameter"))
        ax2.legend(loc="lower left", fontsize=10)
        return {"curve": curve, "bars": list(bars), "dots": dots}

    def update(art, st):
        art["curve"].set_data(st["grid"], st["curve"])
        bp = np.ravel(np.column_stack([st["dbeta"], st["domega"]]))
        fd = np.ravel(np.column_stack([st["dbeta_fd"], st["domega_fd"]]))
        for bar, v in zip(art["bars"], bp):
            bar.set_height(v)
        art["dots"].set_data(range(8), fd)

    def caption(st):
        # as check_gradients: entries are judged at the scale of their own block
        tiny = DEFAULT_FLOOR * max(np.max(np.abs(st["dbeta"])), np.max(np.abs(st["domega"])))
        err = max(np.max(rel_error(st["dbeta"], st["dbeta_fd"], tiny)),
                  np.max(rel_error(st["domega"], st["domega_fd"], tiny)))
        return tr("loss L = {loss:.3f}; ∂L/∂ω0 = {domega0:+.3f}, ∂L/∂β0 = {dbeta0:+.3f}, "
                  "∂L/∂ω3 = {domega3:+.3f}, ∂L/∂β3 = {dbeta3:+.3f}; "
                  "largest relative difference from central differences {err:.1e}").format(
            loss=st["loss"], domega0=st["domega"][0], dbeta0=st["dbeta"][0], domega3=st["domega"][3],
            dbeta3=st["dbeta"][3], err=err)

    return Explorer(toy_state, setup, update, sliders, caption=caption, figsize=(7.2, 3.0))

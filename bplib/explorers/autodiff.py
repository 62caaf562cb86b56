"""Explorer of the chapter *From backpropagation to automatic differentiation*: the toy
model's chain as a computational graph, its forward values and adjoints from the engine.
"""

from __future__ import annotations

import numpy as np

from ..gradcheck import rel_error
from ..i18n import tr
from ..toy import TOY_BETA, TOY_OMEGA
from ..validate import check_real
from .base import Explorer, Slider
from .figures import chain_diagram

__all__ = ["CHAIN", "graph_state", "graph_explorer"]

CHAIN = ["f0", "h1", "f1", "h2", "f2", "h3", "f3", "loss"]  # the toy model's nodes, in order


def graph_state(x: float, y: float = 2.0) -> dict:
    """The toy model at TOY_BETA, TOY_OMEGA for one pair (x, y), run through the autodiff
    engine: every node of the chain f0, h1, ..., f3, loss with its value and adjoint,
    next to the hand-written backward pass's dl/df_k and dl/dh_k."""
    from ..autodiff import Value, toy_forward
    from ..toy import Toy

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
        err = float(np.max(rel_error(st["adjoints"], st["hand"])))
        return tr("x = {x:.2f}: ℓ = {loss:.4f}; ∂ℓ/∂ω0 = {domega0:+.4g}, ∂ℓ/∂β0 = {dbeta0:+.4g}; engine vs "
                  "hand-written backward: largest relative difference {err:.1e}").format(
            x=st["x"], loss=st["values"][-1], domega0=st["domega0"], dbeta0=st["dbeta0"], err=err)

    return Explorer(graph_state, setup, update, [Slider("x", -3.0, 3.0, 0.1, x, tr("input x"))],
                    caption=caption, figsize=(7.2, 2.4))

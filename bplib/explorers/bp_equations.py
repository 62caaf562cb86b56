r"""Explorers of the chapter *The four equations of backpropagation*.

* :func:`deltas_explorer`: scale every weight of a deep sigmoid network and watch the
  size of :math:`\delta^l` in each layer. Small weights make :math:`\delta` vanish on
  its way back; larger weights saturate the sigmoids (:math:`\sigma'` falls all along the
  slider), yet here they more than make up for it: :math:`\|\delta^1\|/\|\delta^L\|`
  grows with the scale up to about 8, where it levels off. The explorer shows that as it is.
* :func:`training_explorer`: one recorded training run of a small sigmoid network on
  the bundled digits (:func:`training_record`, seeded); the slider is the training
  step. The loss, each layer's mean :math:`\|\delta^l_x\|` and
  :math:`\|\partial C/\partial W^l\|`, and the weights' histograms, as the network
  learns. The live widget and the static copy read the same recorded run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..gradcheck import numerical_gradient
from ..i18n import tr
from ..validate import check_int_in_range, check_real
from .base import Explorer, Slider

__all__ = ["DELTA_SIZES", "deltas_state", "deltas_explorer", "TRAIN_SIZES", "TrainingRecord",
           "training_record", "training_state", "training_explorer"]

# --- the size of delta per layer ------------------------------------------------------------
DELTA_SIZES = [4, 8, 8, 8, 8, 2]


def deltas_state(scale: float, seed: int = 0) -> dict:
    """A sigmoid network DELTA_SIZES with weights W^l ~ scale * N(0, 1/n_{l-1}) on fixed
    data: the size of delta^l in every layer (mean over the batch of ||delta^l_x||),
    the mean sigma'(z^l), and the backprop gradient's agreement with finite differences
    for one weight of the first layer."""
    from ..mlp import MLP

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
        ax1.set(yscale="log", ylim=(1e-8, 1), xlabel=tr("layer $l$"), title=tr(r"mean $\|\delta^l_x\|$"),
                xticks=range(1, n + 1))
        bars2 = ax2.bar(range(1, n + 1), np.ones(n), color="C1")
        ax2.axhline(0.25, color="grey", lw=0.6, ls=":")
        ax2.set(ylim=(0, 0.27), xlabel=tr("layer $l$"), title=tr(r"mean $\sigma'(z^l)$, at most 1/4"),
                xticks=range(1, n + 1))
        return {"b1": list(bars1), "b2": list(bars2)}

    def update(art, st):
        for bar, v in zip(art["b1"], st["delta_norm"]):
            bar.set_height(max(v, 1e-12))
        for bar, v in zip(art["b2"], st["sigma_prime"]):
            bar.set_height(v)

    def caption(st):
        ratio = st["delta_norm"][0] / st["delta_norm"][-1]
        hidden = float(np.mean(st["sigma_prime"][:-1]))
        return tr("weight scale {scale:.1f}: mean σ' of the hidden layers {hidden:.3f} (at most 0.25), "
                  "||δ^1|| / ||δ^L|| = {ratio:.2e}; ∂C/∂w^1_11 by BP4 {bp:+.3e}, central difference "
                  "{fd:+.3e}").format(scale=st["scale"], hidden=hidden, ratio=ratio, bp=st["dw_bp"],
                                      fd=st["dw_fd"])

    return Explorer(deltas_state, setup, update, [Slider("scale", 0.2, 8.0, 0.1, scale, tr("weight scale"),
                                                         static_step=0.2)],
                    caption=caption, figsize=(7.2, 3.0))


# --- watching a network learn ------------------------------------------------------------
TRAIN_SIZES = [64, 16, 16, 16, 10]  # the 8x8 digits, three hidden sigmoid layers, ten outputs
TRAIN_STEPS = 4000  # mini-batch updates in the recorded run
TRAIN_EVERY = 100  # a snapshot every so many updates: 41 of them
TRAIN_BATCH = 16
TRAIN_LR = 2.0
HIST_BINS = 40  # bins of the weights' histogram, over the run's whole range


@dataclass(frozen=True)
class TrainingRecord:
    """Snapshots of one training run, every ``every`` mini-batch updates (index 0: before
    training). Per snapshot: the cost on the training set, the test accuracy, per layer
    the mean over the training set of ||delta^l_x|| and the Frobenius norm of dC/dW^l
    (the full training-set gradient), and the histogram of W^l's entries over ``bins``
    (which hold 99.5 % of the run's weights; the rest are counted in the end bins)."""

    sizes: tuple
    steps: np.ndarray  # (S,) update counts
    loss: np.ndarray  # (S,)
    accuracy: np.ndarray  # (S,) on the test set
    delta_norm: np.ndarray  # (S, L)
    grad_norm: np.ndarray  # (S, L)
    hist: np.ndarray  # (S, L, len(bins) - 1)
    bins: np.ndarray
    batch_size: int
    lr: float
    examples: int


@functools.lru_cache(maxsize=4)
def training_record(seed: int = 0, steps: int = TRAIN_STEPS, every: int = TRAIN_EVERY) -> TrainingRecord:
    """Train MLP(TRAIN_SIZES), sigmoid, quadratic cost, on bplib.data.digits by mini-batch
    SGD (batch 16, learning rate 2, a fresh permutation each epoch, all from ``seed``),
    and record a snapshot every ``every`` updates. Computed once per process."""
    from ..data import digits
    from ..mlp import MLP
    from ..train import sgd_epoch

    seed = check_int_in_range(seed, "seed", 0, None)
    steps = check_int_in_range(steps, "steps", 1, 100_000)
    every = check_int_in_range(every, "every", 1, steps)
    if steps % every:
        raise ValueError(f"steps must be a whole number of snapshots apart (every = {every}), got {steps}")
    rng = np.random.default_rng(seed)
    data = digits(rng)
    net = MLP(TRAIN_SIZES, activation="sigmoid", cost="quadratic", rng=rng)
    x, y = net.validate(data.x_train, data.y_train)
    n, L = x.shape[1], net.L
    order, pos = rng.permutation(n), 0
    rows = []
    for step in range(steps + 1):
        if step % every == 0:
            g = net.backward(x, y)
            predicted = np.argmax(net.predict(data.x_test), axis=0)
            rows.append((step, net.loss(x, y), float(np.mean(predicted == np.argmax(data.y_test, axis=0))),
                         [float(np.mean(np.linalg.norm(g.delta[l], axis=0))) for l in range(1, L + 1)],
                         [float(np.linalg.norm(g.dW[l])) for l in range(1, L + 1)],
                         [net.W[l].ravel().copy() for l in range(1, L + 1)]))
        if step == steps:
            break
        if pos + TRAIN_BATCH > n:  # a new epoch: a fresh permutation
            order, pos = rng.permutation(n), 0
        batch = order[pos:pos + TRAIN_BATCH]
        sgd_epoch(net, x[:, batch], y[:, batch], lr=TRAIN_LR, batch_size=TRAIN_BATCH)  # one update
        pos += TRAIN_BATCH
    cols = list(zip(*rows))
    # the bins cover 99.5 % of the run's weights; the few beyond are counted in the end bins
    reach = np.ceil(2 * np.quantile(np.abs(np.concatenate([w for s in cols[5] for w in s])), 0.995)) / 2
    bins = np.linspace(-reach, reach, HIST_BINS + 1)
    hist = np.array([[np.histogram(np.clip(w, -reach, reach), bins)[0] for w in s] for s in cols[5]])
    return TrainingRecord(sizes=tuple(TRAIN_SIZES), steps=np.array(cols[0]), loss=np.array(cols[1]),
                          accuracy=np.array(cols[2]), delta_norm=np.array(cols[3]),
                          grad_norm=np.array(cols[4]), hist=hist, bins=bins,
                          batch_size=TRAIN_BATCH, lr=TRAIN_LR, examples=n)


def training_state(step: float, seed: int = 0) -> dict:
    """The recorded run (:func:`training_record`) at update ``step``, a multiple of its
    snapshot interval: the curves up to it and the snapshot's numbers."""
    step = check_int_in_range(round(check_real(step, "step")), "step", 0, TRAIN_STEPS)
    if step % TRAIN_EVERY:
        raise ValueError(f"step must be a multiple of {TRAIN_EVERY} (a recorded snapshot), got {step}")
    rec = training_record(seed)
    i = step // TRAIN_EVERY
    return {"step": step, "i": i, "steps": rec.steps, "loss": rec.loss, "accuracy": rec.accuracy,
            "delta_norm": rec.delta_norm, "grad_norm": rec.grad_norm, "hist": rec.hist[i],
            "bins": rec.bins, "epoch": step * rec.batch_size / rec.examples,
            "grad_ratio": float(rec.grad_norm[i, 0] / rec.grad_norm[i, -1]),
            "delta_ratio": float(rec.delta_norm[i, 0] / rec.delta_norm[i, -1])}


def training_explorer(step: float = 0) -> Explorer:
    """Slide the training step of the recorded run: loss, ||delta^l||, ||dC/dW^l|| and the
    weights' histograms, layer by layer."""
    rec = training_record()
    L = len(rec.sizes) - 1
    colors = [f"C{l}" for l in range(L)]

    def setup(fig):
        (ax1, ax2), (ax3, ax4) = fig.subplots(2, 2)
        ax1.plot(rec.steps, rec.loss, color="0.8")
        (loss,) = ax1.plot([], [], color="k")
        (dot,) = ax1.plot([], [], "o", color="k", ms=4)
        ax1.set(xlim=(0, rec.steps[-1]), ylim=(0, 1.05 * rec.loss.max()), title=tr("training cost $C$"))
        lines = {}
        for ax, key, title in ((ax2, "delta_norm", tr(r"mean $\|\delta^l_x\|$ per layer")),
                               (ax3, "grad_norm", tr(r"$\|\partial C/\partial W^l\|$ per layer"))):
            values = getattr(rec, key)
            for l in range(L):
                ax.plot(rec.steps, values[:, l], color=colors[l], alpha=0.25, lw=1)
            lines[key] = [ax.plot([], [], color=colors[l], label=f"$l = {l + 1}$")[0] for l in range(L)]
            ax.set(yscale="log", xlim=(0, rec.steps[-1]), title=title,
                   ylim=(values.min() / 2, values.max() * 2))
        ax3.set_xlabel(tr("training step"))
        fig.legend(handles=lines["grad_norm"], loc="outside lower center", ncols=L, fontsize=10)
        centres = (rec.bins[:-1] + rec.bins[1:]) / 2
        share = rec.hist / rec.hist.sum(axis=2, keepdims=True)  # each layer's weights per bin
        hists = [ax4.plot(centres, np.zeros_like(centres), color=colors[l], drawstyle="steps-mid")[0]
                 for l in range(L)]
        ax4.set(ylim=(0, 1.05 * share.max()), xlim=(rec.bins[0], rec.bins[-1]),
                title=tr("weights $W^l$: histogram"),
                xlabel=tr("weight (beyond ±{reach:g}: at the ends)").format(reach=rec.bins[-1]),
                ylabel=tr("share of the layer"))
        return {"loss": loss, "dot": dot, "delta": lines["delta_norm"], "grad": lines["grad_norm"],
                "hists": hists}

    def update(art, st):
        i = st["i"]
        steps = st["steps"][:i + 1]
        art["loss"].set_data(steps, st["loss"][:i + 1])
        art["dot"].set_data([st["step"]], [st["loss"][i]])
        for l in range(L):
            art["delta"][l].set_data(steps, st["delta_norm"][:i + 1, l])
            art["grad"][l].set_data(steps, st["grad_norm"][:i + 1, l])
            art["hists"][l].set_ydata(st["hist"][l] / st["hist"][l].sum())

    def caption(st):
        i = st["i"]
        return tr("step {step:,} (epoch {epoch:.1f}): cost C = {loss:.3f}, test accuracy {accuracy:.0f} %; "
                  "||∂C/∂W^1|| / ||∂C/∂W^{L}|| = {grad_ratio:.2g}, mean ||δ^1|| / ||δ^{L}|| = "
                  "{delta_ratio:.2g}").format(step=st["step"], epoch=st["epoch"], loss=st["loss"][i],
                                              accuracy=100 * st["accuracy"][i], L=L,
                                              grad_ratio=st["grad_ratio"],
                                              delta_ratio=st["delta_ratio"])

    return Explorer(training_state, setup, update,
                    [Slider("step", 0, int(rec.steps[-1]), int(rec.steps[1]), step, tr("training step"))],
                    caption=caption, figsize=(7.2, 4.6))

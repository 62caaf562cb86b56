r"""Explorer of the chapter *Why backpropagation*: the cost of a gradient as a
784-n-10 network widens, from the chapter's own measurements.

The chapter times one gradient of one example by central differences and by
backprop at a few hidden widths. Between two measured widths the explorer
interpolates each time linearly on log-log axes; beyond the widest (or below the
narrowest) it extends the nearest segment with that segment's slope, and its caption
says so. At a measured width it shows exactly the measured times, so its caption
agrees with the chapter's table. (A 784-n-10 forward pass is overhead-bound at these
widths: scaling the time in proportion to the parameter count would overstate wide
networks several times.)
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ..validate import as_float_array, check_int_in_range, check_real
from .base import Explorer, Slider
from .figures import duration

__all__ = ["mlp_param_count", "gradient_cost_state", "gradient_cost_explorer", "EXAMPLES"]

EXAMPLES = 60_000  # one epoch of MNIST, the source's setting
WIDTH_MAX = 100


def mlp_param_count(sizes) -> int:
    """Weights and biases of a fully connected network: sum of n_l (n_{l-1} + 1)."""
    return sum(n * (m + 1) for m, n in zip(sizes[:-1], sizes[1:]))


def _measurements(widths, fd_seconds, bp_seconds):
    """The chapter's measurements, checked: widths increasing, times positive and finite."""
    w = as_float_array(widths, "widths", ndim=1)
    fd = as_float_array(fd_seconds, "fd_seconds", ndim=1)
    bp = as_float_array(bp_seconds, "bp_seconds", ndim=1)
    if len(w) < 2:
        raise ValueError(f"widths must hold at least two measured widths, got {len(w)}")
    if fd.shape != w.shape or bp.shape != w.shape:
        raise ValueError(f"fd_seconds and bp_seconds must hold one time per width ({len(w)}), "
                         f"got {len(fd)} and {len(bp)}")
    if np.any(w < 1) or np.any(w != np.round(w)) or np.any(np.diff(w) <= 0):
        raise ValueError(f"widths must be increasing whole numbers >= 1, got {w.tolist()}")
    for name, t in (("fd_seconds", fd), ("bp_seconds", bp)):
        if np.any(t <= 0):
            raise ValueError(f"{name} must be > 0 (seconds), got {t.tolist()}")
    return w, fd, bp


def _loglog(width: float, w: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    """t at ``width`` on the broken line through (log w, log t), extended past either end
    with its end segment's slope; and the slope used."""
    lw, lt, x = np.log(w), np.log(t), np.log(width)
    i = int(np.clip(np.searchsorted(lw, x) - 1, 0, len(lw) - 2))
    slope = (lt[i + 1] - lt[i]) / (lw[i + 1] - lw[i])
    return float(np.exp(lt[i] + slope * (x - lw[i]))), float(slope)


def gradient_cost_state(width: float, widths, fd_seconds, bp_seconds, examples: int = EXAMPLES) -> dict:
    """One epoch of single-example gradients of a 784-width-10 network, both ways.

    ``widths``, ``fd_seconds``, ``bp_seconds``: the chapter's measured seconds per
    gradient (one example) by central differences and by backprop at each hidden
    width. ``kind`` says whether ``width`` was measured, is interpolated (log-log,
    between two measured widths) or extrapolated (the end segment's slope).
    """
    w, fd, bp = _measurements(widths, fd_seconds, bp_seconds)
    width = check_int_in_range(round(check_real(width, "width")), "width", 1, 10_000)
    examples = check_int_in_range(examples, "examples", 1, None)
    P = mlp_param_count([784, width, 10])
    if width in w:
        i = int(np.flatnonzero(w == width)[0])
        fd_x, bp_x, kind = float(fd[i]), float(bp[i]), "measured"
        slopes = (None, None)
    else:
        (fd_x, s_fd), (bp_x, s_bp) = _loglog(width, w, fd), _loglog(width, w, bp)
        kind = "interpolated" if w[0] < width < w[-1] else "extrapolated"
        slopes = (s_fd, s_bp)
    return {"width": width, "params": P, "forward_passes": 2 * P, "kind": kind,
            "slope_fd": slopes[0], "slope_bp": slopes[1], "fd_example_s": fd_x, "bp_example_s": bp_x,
            "fd_epoch_h": fd_x * examples / 3600, "bp_epoch_s": bp_x * examples,
            "speedup": fd_x / bp_x, "examples": examples,
            "widths": w, "fd_seconds": fd, "bp_seconds": bp}


def gradient_cost_explorer(widths, fd_seconds, bp_seconds, width: float = 30) -> Explorer:
    """Slide the hidden width of a 784-n-10 network (1..100): an epoch's gradient time
    both ways, read off the chapter's measurements (``widths``, ``fd_seconds``,
    ``bp_seconds``: seconds per one-example gradient at each measured width)."""
    w, fd, bp = _measurements(widths, fd_seconds, bp_seconds)
    n = np.arange(1, WIDTH_MAX + 1)
    curves = {name: np.array([_loglog(k, w, t)[0] if k not in w else t[list(w).index(k)] for k in n])
              * EXAMPLES for name, t in (("fd", fd), ("bp", bp))}
    lo, hi = min(curves["bp"].min(), curves["fd"].min()), max(curves["fd"].max(), curves["bp"].max())
    ylim = (10 ** np.floor(np.log10(lo) - 0.3), 10 ** np.ceil(np.log10(hi) + 0.3))

    def state(width):
        return gradient_cost_state(width, w, fd, bp)

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2, width_ratios=[3, 2])
        inside = (n >= w[0]) & (n <= w[-1])
        for key, color, label in (("fd", "C3", tr("central differences")), ("bp", "C0", tr("backprop"))):
            ax1.plot(n[inside], curves[key][inside], "-", color=color, label=label)
            ax1.plot(n[~inside], curves[key][~inside], ":", color=color)
            ax1.plot(w, {"fd": fd, "bp": bp}[key] * EXAMPLES, "o", color=color, ms=4)
        ax1.set(xscale="log", yscale="log", xlim=(1, WIDTH_MAX), ylim=ylim, xlabel=tr("hidden width $n$"),
                ylabel=tr("seconds per epoch"), title=tr("Epoch time against width"),
                xticks=[1, 3, 10, 30, 100], xticklabels=["1", "3", "10", "30", "100"])
        ax1.legend(loc="upper left", fontsize=10)
        vline = ax1.axvline(30, color="grey", lw=1)
        ax2.set(yscale="log", ylim=ylim, title=tr("At this width"))
        bars = ax2.bar([0, 1], [1, 1], color=["C3", "C0"])
        ax2.set_xticks([0, 1], [tr("numerical"), tr("backprop")])
        for sec, label in ((60, tr("1 min")), (3600, tr("1 h")), (86400, tr("1 day"))):
            if ylim[0] < sec < ylim[1]:
                ax2.axhline(sec, color="grey", lw=0.6, ls=":")
                ax2.text(1.45, sec, label, va="bottom", ha="right", fontsize=10, color="grey")
        texts = [ax2.text(i, 1, "", ha="center", va="bottom", fontsize=10) for i in range(2)]
        return {"bars": list(bars), "texts": texts, "vline": vline}

    def update(art, st):
        art["vline"].set_xdata([st["width"], st["width"]])
        values = [st["fd_epoch_h"] * 3600, st["bp_epoch_s"]]
        for bar, text, v in zip(art["bars"], art["texts"], values):
            bar.set_height(v)
            text.set_position((bar.get_x() + bar.get_width() / 2, v))
            text.set_text(duration(v))

    def caption(st):
        if st["kind"] == "measured":
            head = tr("784-{width}-10, {params:,} parameters (measured)")
        elif st["kind"] == "interpolated":
            head = tr("784-{width}-10, {params:,} parameters (interpolated on log-log axes between the two "
                      "nearest measured widths)")
        elif st["width"] > st["widths"][-1]:
            head = tr("784-{width}-10, {params:,} parameters (extrapolated: beyond the widest measured "
                      "width the "
                      "end segment's log-log slope continues, {slope_fd:.2f} for central differences, "
                      "{slope_bp:.2f} for backprop)")
        else:
            head = tr("784-{width}-10, {params:,} parameters (extrapolated: beyond the narrowest "
                      "measured width "
                      "the end segment's log-log slope continues, {slope_fd:.2f} for central differences, "
                      "{slope_bp:.2f} for backprop)")
        head = head.format(width=st["width"], params=st["params"], slope_fd=st["slope_fd"],
                           slope_bp=st["slope_bp"])
        return tr("{head}: one epoch of {examples:,} single-example gradients takes {fd_hours:.1f} hours by "
                  "numerical differentiation and {bp_seconds:.1f} seconds by backpropagation; backprop is "
                  "{speedup:,.0f} times faster").format(head=head, examples=st["examples"],
                                                        fd_hours=st["fd_epoch_h"],
                                                        bp_seconds=st["bp_epoch_s"],
                                                        speedup=st["speedup"])

    return Explorer(state, setup, update, [Slider("width", 1, WIDTH_MAX, 1, width, tr("hidden width"),
                                                  static_step=1)],
                    caption=caption, figsize=(7.2, 3.4))

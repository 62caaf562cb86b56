"""Figure helpers shared by the explorers and the chapters: diagrams and labels.

Nothing here computes a result: these functions draw what they are given. Text is
drawn at least 10 pt (at the explorers' 80 dpi, 11 px: :data:`base.MIN_TEXT_PX`).
"""

from __future__ import annotations

from ..i18n import tr

__all__ = ["chain_diagram", "duration"]


def chain_diagram(ax, labels=("$f_0$", "$h_1$", "$f_1$", "$h_2$", "$f_2$", "$h_3$", "$f_3$", r"$\ell$")):
    """Draw the toy model's chain x -> f0 -> ... -> loss on ``ax``; returns the empty text
    artists for the forward values (above each node) and the adjoints (below).

    Introduced in the chapter *The modular toy model*; the autodiff chapter's explorer
    fills the texts in."""
    from matplotlib.patches import Circle

    n = len(labels)
    ax.set_axis_off()
    ax.set(xlim=(-0.75, n - 0.4), ylim=(-1.25, 1.25))
    ax.set_label(tr("The chain x, f0, h1, f1, h2, f2, h3, f3, loss as a graph: the forward value above each "
                    "node, the adjoint (derivative of the loss) below it"))
    for i in range(-1, n - 1):
        ax.annotate("", xy=(i + 0.7, 0), xytext=(i + 0.3 if i >= 0 else i + 0.35, 0),
                    arrowprops={"arrowstyle": "->", "color": "grey"})
    ax.text(-0.72, 0.12, "$x$", fontsize=11)
    for i, lab in enumerate(labels):
        ax.add_patch(Circle((i, 0), 0.29, fc="white", ec="black"))
        ax.text(i, 0, lab, ha="center", va="center", fontsize=12)
    ax.text(-0.7, 0.85, tr("forward value"), fontsize=10, color="C0", ha="left")
    ax.text(-0.7, -1.05, tr(r"adjoint $\partial\ell/\partial$node"), fontsize=10, color="C3", ha="left")
    values = [ax.text(i, 0.45, "", ha="center", fontsize=10, color="C0") for i in range(n)]
    adjoints = [ax.text(i, -0.62, "", ha="center", fontsize=10, color="C3") for i in range(n)]
    return values, adjoints


def duration(seconds: float) -> str:
    """A time in the unit a reader thinks in: 2.5 days, 11.2 h, 3.1 min, 0.52 s."""
    if seconds >= 86400:
        return tr("{value:.1f} days").format(value=seconds / 86400)
    if seconds >= 3600:
        return tr("{value:.1f} h").format(value=seconds / 3600)
    if seconds >= 60:
        return tr("{value:.1f} min").format(value=seconds / 60)
    return tr("{value:.2g} s").format(value=seconds)

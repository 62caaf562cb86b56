r"""How a checked result looks on the page: a derivation as rows of HTML.

Introduced in the chapter *Why backpropagation*, where the book first
explains how to read a check. :class:`bplib.derive.Derivation` hands this module
plain data (TeX strings and the outcome of each check); this module only lays it
out. One derivation is a ``div.bplib-derivation`` holding a ``div.bplib-steps`` with one
``div.bplib-step`` per line:

.. code-block:: html

   <div class="bplib-derivation mathjax_process" role="group" aria-label="derivation, 2 checked lines">
     <div class="bplib-steps">
       <div class="bplib-step bplib-proved">
         <div class="bplib-lhs">\(\displaystyle \frac{d}{dz}\sigma(z)\)</div>
         <div class="bplib-rel">\(=\)</div>
         <div class="bplib-expr">\(\displaystyle \dots\)</div>
         <div class="bplib-why">definition of \(\sigma\)
           <span class="bplib-mark" aria-hidden="true" title="proved: ...">✓</span>
           <span class="bplib-sr">(proved: ...)</span></div>
       </div>
       ...
     </div>
     <p class="bplib-derivation-note">...</p>
   </div>

The math is left to MathJax (``\(...\)`` inside an element of class
``mathjax_process``), so the same output reads in the web book and in JupyterLab.
The book's stylesheet (``_static/bplib.css``) lays the steps out as a grid on wide
screens (reason and mark in a column of their own) and, when the derivation is
narrower than 36rem, puts each reason and its mark under its line; a long
expression scrolls inside its own cell, with a shadow at the edge that hides more.
The mark is drawn for the eye (``aria-hidden``) and spelled out for a screen reader
(``span.bplib-sr``).

:func:`figure_alt` describes a matplotlib figure in words (its titles, else its
axis labels and legend), for the alternative text of the book's images.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .i18n import tr

__all__ = ["DerivationLine", "MARKS", "derivation_html", "figure_alt", "reason_html"]

# The mark shown after each reason, and what it means (its tooltip and screen-reader text),
# in the reader's language when it is read: ``MARKS[outcome]`` is ``(symbol, meaning)``.
def _marks() -> dict[str, tuple[str, str]]:
    return {
        "proved": ("✓", tr("proved: SymPy reduced the difference of the two lines to exactly 0")),
        "numerical": ("✓ₙ", tr("checked numerically: zero at every sample point, not proved")),
        "approximate": ("≈✓", tr("equal to within the stated tolerance (a rounded, published number)")),
        "vacuous": (tr("(unchecked)"), tr("not a check: this line repeats the line before")),
    }


class _Marks(Mapping):
    """The marks by outcome, translated each time one is looked up."""

    def __getitem__(self, outcome: str) -> tuple[str, str]:
        return _marks()[outcome]

    def __iter__(self):
        return iter(("proved", "numerical", "approximate", "vacuous"))

    def __len__(self) -> int:
        return 4


MARKS = _Marks()


@dataclass(frozen=True)
class DerivationLine:
    """One rendered line: TeX for the left side (first line only), the relation and the
    expression; the reason as HTML; the outcome of its check (a key of ``MARKS``)."""

    lhs: str
    relation: str
    expr: str
    why: str
    outcome: str


def reason_html(why: str) -> str:
    """A reason as HTML: plain text escaped, ``$...$`` spans kept as inline math."""
    parts = why.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"unbalanced $ in reason {why!r}")
    return "".join(html.escape(p) if i % 2 == 0 else rf"\({html.escape(p)}\)"
                   for i, p in enumerate(parts) if p)


def derivation_html(lines: list[DerivationLine], note: str = "", label: str | None = None) -> str:
    """The derivation as HTML rows (see the module docstring)."""
    rows = []
    for line in lines:
        if line.outcome not in MARKS:
            raise ValueError(f"outcome must be one of {sorted(MARKS)}, got {line.outcome!r}")
        symbol, meaning = MARKS[line.outcome]
        lhs = rf"\(\displaystyle {line.lhs}\)" if line.lhs else ""
        rows.append(
            f'<div class="bplib-step bplib-{line.outcome}">'
            f'<div class="bplib-lhs">{lhs}</div>'
            f'<div class="bplib-rel">\\({line.relation}\\)</div>'
            f'<div class="bplib-expr">\\(\\displaystyle {line.expr}\\)</div>'
            f'<div class="bplib-why">{line.why} '
            f'<span class="bplib-mark" aria-hidden="true" title="{html.escape(meaning)}">{symbol}</span>'
            f'<span class="bplib-sr"> ({html.escape(meaning)})</span></div></div>'
        )
    ident = f' id="{html.escape(label)}"' if label else ""
    foot = f'<p class="bplib-derivation-note">{html.escape(note)}</p>' if note else ""
    group = tr("derivation, {n} checked lines").format(n=len(lines))
    return (f'<div class="bplib-derivation mathjax_process"{ident} role="group" '
            f'aria-label="{html.escape(group)}">'
            f'<div class="bplib-steps">{"".join(rows)}</div>{foot}</div>')


_TEX_WORDS = {r"\sigma": "σ", r"\delta": "δ", r"\omega": "ω", r"\beta": "β", r"\alpha": "α",
              r"\ell": "ℓ", r"\partial": "∂", r"\nabla": "∇", r"\odot": "⊙", r"\cdot": "·",
              r"\times": "×", r"\to": "→", r"\prime": "′", r"\lambda": "λ", r"\eta": "η",
              r"\phi": "φ", r"\rho": "ρ", r"\theta": "θ", r"\sum": "Σ", r"\infty": "∞"}


def _plain(text: str) -> str:
    """A matplotlib label as words: mathtext ``$...$`` without its TeX markup."""
    for tex, char in _TEX_WORDS.items():
        text = text.replace(tex, char)
    text = text.replace(r"\|", "‖")
    text = re.sub(r"\\(?:mathrm|mathbf|text|operatorname)\{([^}]*)\}", r"\1", text)
    text = re.sub(r"\\(sin|cos|tan|exp|log|ln|max|min|tanh|det)\b", r"\1 ", text)
    text = re.sub(r"\\[a-zA-Z]+", "", text)
    return " ".join(re.sub(r"[${}\\]", "", text).split())


def figure_alt(fig) -> str:
    """Alternative text for a matplotlib figure, from what the figure itself says.

    In order: its suptitle and axes titles (followed by what is plotted when they
    are only a word or two); an axes' own label (``ax.set_label``,
    drawn nowhere: the place for a diagram's description); per axes, the legend
    entries against the x label, or the axis labels. Empty when the figure names
    nothing, so the caller can refuse it rather than invent words.
    """
    titles = []
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    if suptitle:
        titles.append(_plain(suptitle))
    for ax in fig.get_axes():
        for loc in ("center", "left", "right"):
            t = ax.get_title(loc=loc)
            if t:
                titles.append(_plain(t))
    said = "; ".join(dict.fromkeys(titles))
    if said and len(said.split()) >= 4:
        return said
    described = [_plain(ax.get_label()) for ax in fig.get_axes()
                 if ax.get_label() and not ax.get_label().startswith("_")]
    parts = []
    for ax in fig.get_axes():
        legend = ax.get_legend()
        entries = [_plain(t.get_text()) for t in legend.get_texts()] if legend else []
        x, y = _plain(ax.get_xlabel()), _plain(ax.get_ylabel())
        what = ", ".join(entries) if entries else y  # an x label alone says nothing about what is drawn
        if what:
            parts.append(tr("{what} against {x}").format(what=what, x=x) if x else what)
    more = "; ".join(described) if described else (tr("Plot of {what}").format(what="; ".join(parts))
                                                    if parts else "")
    if said:  # a title of a word or two ("tanh"): say what is drawn as well
        return f"{said}: {more}" if more else said
    return more

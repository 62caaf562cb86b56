r"""How a checked result looks on the page: a derivation as rows of HTML.

Introduced in the chapter *The chain rule and the notation*, where the book first
explains how to read a check. :class:`bplib.derive.Derivation` hands this module
plain data (TeX strings and the outcome of each check); this module only lays it
out. One derivation is a ``div.bplib-derivation`` with one ``div.bplib-step`` per
line:

.. code-block:: html

   <div class="bplib-derivation mathjax_process">
     <div class="bplib-step bplib-proved">
       <div class="bplib-lhs">\(\displaystyle \frac{d}{dz}\sigma(z)\)</div>
       <div class="bplib-rel">\(=\)</div>
       <div class="bplib-expr">\(\displaystyle \dots\)</div>
       <div class="bplib-why">definition of \(\sigma\)
         <span class="bplib-mark" title="proved: SymPy reduced the difference to 0">✓</span></div>
     </div>
     ...
     <p class="bplib-derivation-note">...</p>
   </div>

The math is left to MathJax (``\(...\)`` inside an element of class
``mathjax_process``), so the same output reads in the web book and in JupyterLab;
the stylesheet decides whether the reason sits beside its line (wide screens) or
under it (phones).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["DerivationLine", "MARKS", "derivation_html", "reason_html"]

# The mark shown after each reason, and what it means (its tooltip and screen-reader text).
MARKS = {
    "proved": ("✓", "proved: SymPy reduced the difference of the two lines to exactly 0"),
    "numerical": ("✓ₙ", "checked numerically: zero at every sample point, not proved"),
    "approximate": ("≈✓", "equal to within the stated tolerance (a rounded, published number)"),
    "vacuous": ("(unchecked)", "not a check: this line repeats the line before"),
}


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
        symbol, meaning = MARKS[line.outcome]
        lhs = rf"\(\displaystyle {line.lhs}\)" if line.lhs else ""
        rows.append(
            f'<div class="bplib-step bplib-{line.outcome}">'
            f'<div class="bplib-lhs">{lhs}</div>'
            f'<div class="bplib-rel">\\({line.relation}\\)</div>'
            f'<div class="bplib-expr">\\(\\displaystyle {line.expr}\\)</div>'
            f'<div class="bplib-why">{line.why} '
            f'<span class="bplib-mark" title="{html.escape(meaning)}" aria-label="{html.escape(meaning)}">'
            f"{symbol}</span></div></div>"
        )
    ident = f' id="{html.escape(label)}"' if label else ""
    foot = f'<p class="bplib-derivation-note">{html.escape(note)}</p>' if note else ""
    return (f'<div class="bplib-derivation mathjax_process"{ident} role="group" '
            f'aria-label="derivation, {len(lines)} checked lines">{"".join(rows)}{foot}</div>')

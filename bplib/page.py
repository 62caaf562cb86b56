r"""From checked code to the page: displayed equations and numbers, glued.

Introduced in the chapter *The chain rule and the notation*, where the book explains
how to read a check. No equation on the book's pages is typed by hand: a code cell
produces it with :func:`equation` (or :func:`formula`), which refuses to show anything
without a check behind it, and the prose shows it with

.. code-block:: md

   ```{glue:math} eq-sigmoid-prime
   :label: eq-sigmoid-prime
   ```

so that ``{eq}`eq-sigmoid-prime``` still refers to it by number. Result numbers reach
the prose the same way, ``{glue:text}`fd_hours:.1f```, from a :func:`number` glued in
the cell that computed them.

Three kinds of evidence are accepted:

* a :class:`~bplib.derive.Derivation`: the equation shown is its first line equal to
  its last, and every step between was checked;
* two sides and their ``where`` definitions: :func:`bplib.equality.decide` must prove
  (or numerically confirm) the equality before it is shown;
* for a display that is not an equality (an update rule :math:`W \leftarrow W - \alpha g`,
  an approximation :math:`\approx`), :func:`formula` takes the result of the check the
  cell ran on the implementation, and refuses a check that did not pass.
"""

from __future__ import annotations

import math
import numbers

from .derive import Derivation, DerivationError, latex
from .equality import decide

__all__ = ["equation", "formula", "number", "passed"]


def _glue(name: str, tex: str) -> None:
    """Record ``tex`` under ``name`` in the cell's outputs, for ``{glue:math}``."""
    from myst_nb import glue

    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty str (the glue key), got {name!r}")
    glue(name, _Tex(tex), display=False)


class _Tex:
    """A display-math object: LaTeX for ``{glue:math}``, plain text for a terminal."""

    def __init__(self, tex: str):
        self.tex = tex

    def _repr_latex_(self) -> str:
        return f"$$ {self.tex} $$"

    def __repr__(self) -> str:
        return self.tex


def passed(evidence) -> bool:
    """Whether ``evidence`` is a passed check: True, a Derivation, a holding Verdict, a
    passed gradient-check report or exercise result."""
    if evidence is True:
        return True
    if isinstance(evidence, Derivation):
        return bool(evidence.steps)
    for attr in ("holds", "passed", "ok"):
        if hasattr(evidence, attr):
            return bool(getattr(evidence, attr))
    return False


def equation(name: str, lhs, rhs=None, *, where=None, mul_symbol: str | None = None,
             partial: bool = False) -> str:
    """Check ``lhs = rhs`` and glue it (as display math) under ``name``; returns the LaTeX.

    ``equation(name, derivation)`` shows a derivation's first line equal to its last.
    ``equation(name, lhs, rhs, where=...)`` shows ``lhs = rhs`` once the checker has
    proved (or numerically confirmed) it, and raises :class:`DerivationError` otherwise.
    """
    if isinstance(lhs, Derivation):
        if rhs is not None:
            raise TypeError("equation(name, derivation) takes no right-hand side: it shows the "
                            "derivation's first line equal to its last")
        d = lhs
        tex = (f"{latex(d.lhs, d.mul_symbol or mul_symbol, d.partial or partial)} = "
               f"{latex(d.result, d.mul_symbol or mul_symbol, d.partial or partial)}")
    else:
        if rhs is None:
            raise TypeError("equation(name, lhs, rhs) needs both sides (or a Derivation)")
        verdict = decide(lhs, rhs, where=where)
        if not verdict.holds:
            raise DerivationError(f"equation {name!r} is not shown: {verdict.outcome}: {verdict.detail}")
        tex = f"{latex(lhs, mul_symbol, partial)} = {latex(rhs, mul_symbol, partial)}"
    _glue(name, tex)
    return tex


def formula(name: str, tex: str, evidence) -> str:
    """Glue a display that is not an equality (``W \\leftarrow W - \\alpha g``, ``\\approx``)
    under ``name``, only if ``evidence`` shows the check of its implementation passed."""
    if not isinstance(tex, str) or not tex.strip():
        raise TypeError(f"tex must be a non-empty LaTeX string, got {tex!r}")
    if not passed(evidence):
        raise DerivationError(f"formula {name!r} is not shown: its check did not pass ({evidence!r})")
    _glue(name, tex)
    return tex


def number(name: str, value) -> float:
    """Glue a computed number under ``name`` for ``{glue:text}`name:format``` in the prose."""
    from myst_nb import glue

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a real number, got {type(value).__name__}")
    value = float(value) if not isinstance(value, numbers.Integral) else int(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} is {value}: only finite numbers reach the page")
    glue(name, value, display=False)
    return value

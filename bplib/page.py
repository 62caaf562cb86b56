r"""From checked code to the page: displayed equations, listings and tables.

Introduced in the chapter *Why backpropagation*, where the book explains how to read a
check. No equation on the book's pages is typed by hand: a code cell
tagged ``remove-input`` produces it with :func:`equation` (or :func:`formula`), which
refuses to show anything without a check behind it, and its output is the display:

.. code-block:: md

   ```{code-cell} ipython3
   :tags: [remove-input]

   equation("eq-sigmoid-prime", derivation)
   ```

The output is Markdown, ``$$ ... $$ (eq-sigmoid-prime)``: the web book numbers it
and gives it the anchor ``#equation-eq-sigmoid-prime``, and JupyterLab (jupyterlab-myst)
typesets and numbers it too. (myst-nb's ``{glue:math}`` would show as an unknown
directive in JupyterLab.) Prose names an equation in words ("BP1", "the update
rule") rather than by ``{eq}``, which JupyterLab cannot resolve into an output.

Three kinds of evidence are accepted:

* a :class:`~bplib.derive.Derivation`: the equation shown is its first line equal to
  its last, and every step between was checked;
* two sides and their ``where`` definitions: :func:`bplib.equality.decide` must prove
  (or numerically confirm) the equality before it is shown;
* for a display that is not an equality (an update rule :math:`W \leftarrow W - \alpha g`,
  an approximation :math:`\approx`), :func:`formula` takes the result of the check the
  cell ran on the implementation, and refuses a check that did not pass.

:func:`listing` shows the source of what runs (``{literalinclude}`` shows nothing in
JupyterLab), and :func:`table` a Markdown table of computed numbers.
"""

from __future__ import annotations

import inspect
import re
import textwrap

from .derive import Derivation, DerivationError, latex
from .equality import decide

__all__ = ["Display", "equation", "formula", "listing", "passed", "table"]

_LABEL = re.compile(r"^[a-z][a-z0-9-]*$")


class Display:
    """Markdown for the page (display math, a listing, a table), with what produced it."""

    def __init__(self, markdown: str, kind: str, **meta):
        self.markdown, self.kind, self.meta = markdown, kind, meta

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/markdown": self.markdown, "text/plain": self.markdown}
        return data, {"bplib": {"kind": self.kind, **self.meta}}


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


def _display_math(label: str, tex: str, tag: str | None, evidence: str) -> Display:
    if not isinstance(label, str) or not _LABEL.match(label):
        raise TypeError(f"label must be lower-case letters, digits and dashes (e.g. 'eq-bp1'), got {label!r}")
    if tag is not None:
        if not isinstance(tag, str):
            raise TypeError(f"tag must be a str such as 'BP1', got {type(tag).__name__}")
        tex = rf"{tex} \qquad \text{{({tag})}}"
    return Display(f"$$\n{tex}\n$$ ({label})", "equation", label=label, evidence=evidence, tex=tex)


def equation(label: str, lhs, rhs=None, *, where=None, tag: str | None = None,
             mul_symbol: str | None = None, partial: bool = False) -> Display:
    """``lhs = rhs`` as a numbered display, once it is checked (see the module docstring).

    ``equation(label, derivation)`` shows a derivation's first line equal to its last.
    ``equation(label, lhs, rhs, where=...)`` shows ``lhs = rhs`` once the checker has
    proved (or numerically confirmed) it, and raises :class:`DerivationError` otherwise.
    ``tag`` names the equation on the right, as Nielsen names BP1-BP4.
    """
    if isinstance(lhs, Derivation):
        if rhs is not None:
            raise TypeError("equation(label, derivation) takes no right-hand side: it shows the "
                            "derivation's first line equal to its last")
        d = lhs
        ms, pt = d.mul_symbol or mul_symbol, d.partial or partial
        tex = f"{latex(d.lhs, ms, pt)} = {latex(d.result, ms, pt)}"
        evidence = "derivation: " + ", ".join(s.outcome for s in d.steps)
    else:
        if rhs is None:
            raise TypeError("equation(label, lhs, rhs) needs both sides (or a Derivation)")
        verdict = decide(lhs, rhs, where=where)
        if not verdict.holds:
            raise DerivationError(f"equation {label!r} is not shown: {verdict.outcome}: {verdict.detail}")
        tex = f"{latex(lhs, mul_symbol, partial)} = {latex(rhs, mul_symbol, partial)}"
        evidence = verdict.outcome
    return _display_math(label, tex, tag, evidence)


def formula(label: str, tex: str, evidence, *, tag: str | None = None) -> Display:
    """A display that is not an equality (``W \\leftarrow W - \\alpha g``, ``\\approx``), shown
    only if ``evidence`` says the check of its implementation passed."""
    if not isinstance(tex, str) or not tex.strip():
        raise TypeError(f"tex must be a non-empty LaTeX string, got {tex!r}")
    if not passed(evidence):
        raise DerivationError(f"formula {label!r} is not shown: its check did not pass ({evidence!r})")
    return _display_math(label, tex, tag, "check passed")


def listing(obj, *, start: str | None = None, end: str | None = None) -> Display:
    """The source of ``obj`` (a function, method, class or module) as a Markdown code
    block: what the page shows is what runs. With ``start``/``end``, only the lines of a
    module from the one that begins with ``start`` up to (not including) the one that
    begins with ``end``. Works on the web and in JupyterLab, unlike ``{literalinclude}``."""
    source = inspect.getsource(obj)
    if start is not None:
        lines = source.splitlines(keepends=True)
        first = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith(start)), None)
        if first is None:
            raise ValueError(f"no line of {getattr(obj, '__name__', obj)} begins with {start!r}")
        last = next((i for i, ln in enumerate(lines[first + 1:], first + 1)
                     if end is not None and ln.lstrip().startswith(end)), len(lines))
        source = "".join(lines[first:last]).rstrip() + "\n"
    name = getattr(obj, "__qualname__", getattr(obj, "__name__", ""))
    return Display(f"```python\n{textwrap.dedent(source)}```", "listing", name=name)


def table(header: list[str], rows: list[list]) -> Display:
    """A Markdown table; cells are written as given (format numbers before passing them)."""
    if not header or any(len(r) != len(header) for r in rows):
        raise ValueError(f"every row needs {len(header)} cells, one per column of {header}")
    lines = ["| " + " | ".join(str(c) for c in header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return Display("\n".join(lines), "table")

"""bplib.page: nothing reaches the page without a passed check behind it."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from bplib.derive import Derivation, DerivationError
from bplib.page import equation, formula, listing, passed, table

z = sp.Symbol("z", real=True)
sigma = sp.Function("sigma")
SIG = {sigma: sp.Lambda(z, 1 / (1 + sp.exp(-z)))}


def test_an_equation_is_shown_only_when_proved():
    d = equation("eq-prime", sp.Derivative(sigma(z), z), sigma(z) * (1 - sigma(z)), where=SIG)
    assert d.markdown.startswith("$$\n") and d.markdown.endswith("$$ (eq-prime)")
    assert r"\frac{d}{d z} \sigma(z) = " in d.markdown and r"\left(1 - \sigma(z)\right)" in d.markdown
    data, meta = d._repr_mimebundle_()
    assert data["text/markdown"] == d.markdown and meta["bplib"] == {
        "kind": "equation", "label": "eq-prime", "evidence": "proved", "tex": d.meta["tex"]}
    with pytest.raises(DerivationError, match="is not shown: refuted"):
        equation("eq-wrong", sp.Derivative(sigma(z), z), sigma(z) * (1 + sigma(z)), where=SIG)


def test_a_derivation_is_shown_first_line_equal_to_last_with_its_tag():
    d = Derivation(sp.Derivative(z**3, z), 3 * z**2, "power rule")
    shown = equation("eq-d", d, tag="P")
    assert r"\frac{d}{d z} z^{3} = 3 z^{2} \qquad \text{(P)}" in shown.markdown
    assert shown.meta["evidence"] == "derivation: proved"
    with pytest.raises(TypeError, match="takes no right-hand side"):
        equation("eq-d", d, z)
    with pytest.raises(TypeError, match="label must be"):
        equation("Eq D", d)


def test_a_formula_needs_a_passed_check():
    assert formula("eq-update", r"W \leftarrow W - \alpha g", True).markdown.endswith("$$ (eq-update)")
    with pytest.raises(DerivationError, match="its check did not pass"):
        formula("eq-update", r"W \leftarrow W - \alpha g", False)
    with pytest.raises(DerivationError):
        formula("eq-update", r"W \leftarrow W - \alpha g", 1)  # a truthy number is not a check


def test_passed_reads_every_kind_of_evidence():
    from bplib.equality import decide

    assert passed(decide(z + z, 2 * z)) and not passed(decide(z, 2 * z))
    assert not passed(None) and not passed("yes")


def test_listing_and_table():
    from bplib.mlp import MLP

    shown = listing(MLP.backprop)
    assert shown.markdown.startswith("```python\ndef backprop(") and "(BP2)" in shown.markdown
    part = listing(re, start="def compile(", end="def purge(")
    assert part.markdown.startswith("```python\ndef compile(") and "def purge(" not in part.markdown
    with pytest.raises(ValueError, match="begins with"):
        listing(re, start="def no_such_function(")
    t = table(["a", "b"], [[1, "2.50"]])
    assert t.markdown == "| a | b |\n| --- | --- |\n| 1 | 2.50 |"
    with pytest.raises(ValueError, match="every row needs 2 cells"):
        table(["a", "b"], [[1]])


@pytest.mark.book
@pytest.mark.xdist_group("strict")
def test_a_displayed_equation_is_numbered_and_anchored_in_the_web_book(tmp_path):
    from .test_strict_build import build

    body = """# Shown

```{code-cell} ipython3
:tags: [remove-input]

import sympy as sp
from bplib.page import equation
z = sp.Symbol("z", real=True)
equation("eq-square", sp.Derivative(z**2, z), 2 * z)
```

As {eq}`eq-square` says.
"""
    result = build(tmp_path, body)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = (tmp_path / "book" / "_build" / "html" / "chapters" / "page.html").read_text()
    assert 'id="equation-eq-square"' in html and "2 z" in html and "import sympy" not in html
    assert re.search(r'href="#equation-eq-square">\(1\)</a>', html)

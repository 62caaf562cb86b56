"""bplib.page: nothing is glued onto the page without a passed check behind it."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from bplib.derive import Derivation, DerivationError
from bplib.page import equation, formula, number, passed

z = sp.Symbol("z", real=True)
sigma = sp.Function("sigma")
SIG = {sigma: sp.Lambda(z, 1 / (1 + sp.exp(-z)))}


def test_an_equation_is_glued_only_when_proved(capsys):
    tex = equation("eq-prime", sp.Derivative(sigma(z), z), sigma(z) * (1 - sigma(z)), where=SIG)
    assert r"\frac{d}{d z} \sigma(z) = " in tex and r"\left(1 - \sigma(z)\right)" in tex
    with pytest.raises(DerivationError, match="is not shown: refuted"):
        equation("eq-wrong", sp.Derivative(sigma(z), z), sigma(z) * (1 + sigma(z)), where=SIG)


def test_a_derivation_is_shown_first_line_equal_to_last():
    d = Derivation(sp.Derivative(z**3, z), 3 * z**2, "power rule")
    assert equation("eq-d", d) == r"\frac{d}{d z} z^{3} = 3 z^{2}"
    with pytest.raises(TypeError, match="takes no right-hand side"):
        equation("eq-d", d, z)


def test_a_formula_needs_a_passed_check():
    assert formula("eq-update", r"W \leftarrow W - \alpha g", True) == r"W \leftarrow W - \alpha g"
    with pytest.raises(DerivationError, match="its check did not pass"):
        formula("eq-update", r"W \leftarrow W - \alpha g", False)
    with pytest.raises(DerivationError):
        formula("eq-update", r"W \leftarrow W - \alpha g", 1)  # a truthy number is not a check


def test_passed_reads_every_kind_of_evidence():
    from bplib.equality import decide

    assert passed(decide(z + z, 2 * z)) and not passed(decide(z, 2 * z))
    assert not passed(None) and not passed("yes")


def test_numbers_must_be_real_and_finite():
    assert number("n", 3) == 3 and number("x", 2.5) == 2.5
    with pytest.raises(ValueError, match="finite"):
        number("bad", float("nan"))
    with pytest.raises(TypeError):
        number("bad", "12")


@pytest.mark.book
@pytest.mark.xdist_group("strict")
def test_a_glued_equation_keeps_its_label_number_and_reference(tmp_path):
    from .test_strict_build import build

    body = """# Glued

```{code-cell} ipython3
import sympy as sp
from bplib.page import equation
z = sp.Symbol("z", real=True)
equation("eq-square", sp.Derivative(z**2, z), 2 * z)
```

```{glue:math} eq-square
:label: eq-square
```

As {eq}`eq-square` says.
"""
    result = build(tmp_path, body)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = (tmp_path / "book" / "_build" / "html" / "chapters" / "page.html").read_text()
    assert 'id="equation-eq-square"' in html and "2 z" in html
    assert re.search(r'href="#equation-eq-square">\(1\)</a>', html)

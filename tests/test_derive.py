"""Executable derivations: right steps pass, wrong steps fail naming the step."""

import pytest
import sympy as sp

from bplib.derive import Derivation, DerivationError, check_sizes, equal, product

z = sp.Symbol("z", real=True)
sigma = sp.Function("sigma")
E = sp.exp(-z)
MEANING = {sigma: sp.Lambda(z, 1 / (1 + sp.exp(-z)))}


def six_steps(chain_rule_sign=1):
    """The sigmoid derivation of the lecture slides (source 001), as in the chapter."""
    D = sp.UnevaluatedExpr(1 + E)
    with sp.evaluate(False):
        d = Derivation(sp.Derivative(sigma(z), z), sp.Derivative(1 / (1 + E), z), "definition",
                       where=MEANING)
        d.step(sp.Derivative(D**-1, z), "as a power")
        d.step(chain_rule_sign * E / (1 + E) ** 2, "chain rule")
        d.step(product(1 / (1 + E), E / (1 + E)), "split the denominator")
        d.step(product(1 / (1 + E), ((1 + E) - 1) / (1 + E)), "add and subtract 1")
        d.step(product(1 / (1 + E), 1 - 1 / (1 + E)), "cancel")
        d.step(sigma(z) * (1 - sigma(z)), "recognise sigma")
    return d


def test_six_step_sigmoid_derivation_passes_symbolically():
    d = six_steps()
    assert len(d.steps) == 7 and d.symbolic
    # the result agrees with SymPy's own derivative, an independent route
    s = 1 / (1 + sp.exp(-z))
    assert sp.simplify(d.result.subs(sigma(z), s) - sp.diff(s, z)) == 0


def test_a_sign_error_fails_and_names_the_step():
    with pytest.raises(DerivationError, match=r"step 2 \('chain rule'\) does not follow"):
        six_steps(chain_rule_sign=-1)


def test_every_later_step_is_checked_too():
    d = six_steps()
    with pytest.raises(DerivationError, match="step 7"):
        d.step(sigma(z) * (1 + sigma(z)), "wrong")
    with pytest.raises(DerivationError, match="differ by"):
        Derivation(z**2, z**2 + 1, "off by one")


def test_a_step_sympy_cannot_simplify_is_marked_numerical():
    # Gamma(z) Gamma(1-z) = pi / sin(pi z): SymPy's simplify does not close this
    # reflection formula for a general positive z, so the step is only checked at points.
    x = sp.Symbol("x", positive=True)
    d = Derivation(sp.gamma(x) * sp.gamma(1 - x), sp.pi / sp.sin(sp.pi * x), "reflection formula")
    assert d.steps[0].method in ("numerical", "symbolic")
    if d.steps[0].method == "numerical":
        assert "num" in d.latex() and "only numerically" in d.summary()


def test_undefined_function_without_meaning_cannot_be_checked():
    f = sp.Function("f")
    assert Derivation(f(z), f(z) + f(z) - f(z), "identical after SymPy's own tidying").symbolic
    with pytest.raises(DerivationError, match="undefined function"):
        Derivation(sp.Derivative(f(z), z), 2 * f(z), "no meaning given")


def test_chain_rule_with_undefined_functions_checked_through_definitions():
    u = sp.Symbol("u", real=True)
    f, g = sp.Function("f"), sp.Function("g")
    meaning = {f: sp.Lambda(u, sp.sin(u)), g: sp.Lambda(u, u**3 + 1)}
    d = Derivation(sp.Derivative(f(g(z)), z),
                   sp.Subs(sp.Derivative(f(u), u), u, g(z)) * sp.Derivative(g(z), z),
                   "chain rule", where=meaning)
    assert d.symbolic


def test_matrix_steps_and_index_notation_for_concrete_sizes():
    def build(n_out, n_in):
        W = sp.Matrix(n_out, n_in, lambda j, k: sp.Symbol(f"w_{j}{k}", real=True))
        delta = sp.Matrix(sp.symbols(f"d0:{n_out}", real=True))
        by_index = sp.Matrix([sum(W[k, j] * delta[k] for k in range(n_out)) for j in range(n_in)])
        return Derivation(by_index, W.T * delta, "sum over k is the j-th entry of W^T delta")

    d = check_sizes(build, [(1, 1), (2, 3), (3, 2), (3, 3)])
    assert d.sizes == [(1, 1), (2, 3), (3, 2), (3, 3)]
    with pytest.raises(DerivationError):
        W = sp.Matrix(2, 2, sp.symbols("a b c e", real=True))
        v = sp.Matrix(sp.symbols("p q", real=True))
        Derivation(W.T * v, W * v, "transpose forgotten")


def test_rendering_is_an_aligned_chain_with_reasons_and_marks():
    tex = six_steps().latex()
    assert tex.startswith(r"\begin{aligned}") and tex.count(r"\\") == 6
    assert tex.count(r"\checkmark") == 7 and r"\text{chain rule}" in tex
    data, meta = six_steps()._repr_mimebundle_()
    assert data["text/latex"].startswith("$$") and meta["bplib"]["steps"] == 7
    d = Derivation(z**2, z * z, "the product $z \\cdot z$")
    assert r"z \cdot z" in d.latex()
    with pytest.raises(ValueError, match="unbalanced"):
        Derivation(z, z, "a $ stray dollar")


def test_equal_reports_methods():
    assert equal(sp.sin(z) ** 2 + sp.cos(z) ** 2, 1)[0] == "symbolic"
    with pytest.raises(DerivationError):
        equal(sp.sin(z), sp.cos(z))
    with pytest.raises(TypeError):
        Derivation(z, z, why=3)


def test_chain_rule_for_every_function_is_proved_without_definitions():
    x, y = sp.symbols("x y", real=True)
    f, g, h = sp.Function("f"), sp.Function("g"), sp.Function("h")
    u = sp.Symbol("u", real=True)
    d = Derivation(sp.Derivative(f(g(x)), x),
                   sp.Subs(sp.Derivative(f(u), u), u, g(x)) * sp.Derivative(g(x), x), "chain rule")
    assert d.symbolic and d.steps[0].points == 0
    # two intermediate variables: z = f(s, t), s = g(x, y), t = h(x, y)
    s_, t_ = sp.symbols("s t", real=True)
    z = f(g(x, y), h(x, y))
    rhs = (sp.Subs(sp.Derivative(f(s_, h(x, y)), s_), s_, g(x, y)) * sp.Derivative(g(x, y), x)
           + sp.Subs(sp.Derivative(f(g(x, y), t_), t_), t_, h(x, y)) * sp.Derivative(h(x, y), x))
    assert Derivation(sp.Derivative(z, x), rhs, "two paths").symbolic
    # and a wrong general claim is still refused, not passed
    with pytest.raises(DerivationError, match="could not prove"):
        Derivation(sp.Derivative(f(g(x)), x), sp.Derivative(g(x), x) * f(x), "wrong")


def test_partial_derivatives_print_with_the_partial_sign():
    E, w = sp.symbols("E w")
    d = Derivation(sp.Derivative(E, w), sp.Derivative(E, w), "same", where={E: w**2}, partial=True)
    assert r"\frac{\partial}{\partial w} E" in d.latex() and r"\frac{d}" not in d.latex()
    assert r"\frac{d}{d w} E" in Derivation(sp.Derivative(E, w), 2 * w, "d", where={E: w**2}).latex()

"""Executable derivations: right steps pass, wrong and vacuous steps fail naming the step."""

import pytest
import sympy as sp

from bplib.derive import Derivation, DerivationError, check_sizes, product

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


def test_six_step_sigmoid_derivation_is_proved():
    d = six_steps()
    assert len(d.steps) == 7 and d.proved
    # the result agrees with SymPy's own derivative, an independent route
    s = 1 / (1 + sp.exp(-z))
    assert sp.simplify(d.result.subs(sigma(z), s) - sp.diff(s, z)) == 0


def test_a_sign_error_fails_naming_the_step_the_point_and_both_values():
    with pytest.raises(DerivationError, match=r"step 2 \('chain rule'\) does not follow") as err:
        six_steps(chain_rule_sign=-1)
    assert "refuted at z = " in str(err.value) and "this line is" in str(err.value)


def test_every_later_step_is_checked_too():
    d = six_steps()
    with pytest.raises(DerivationError, match="step 7"):
        d.step(sigma(z) * (1 + sigma(z)), "wrong")
    with pytest.raises(DerivationError, match="the difference is -1"):
        Derivation(z**2, z**2 + 1, "off by one")


def test_a_vacuous_step_is_an_error_in_strict_mode_and_marked_otherwise():
    f = sp.Function("f")
    lhs = sp.Derivative(f(z), z)
    with pytest.raises(DerivationError, match="vacuous"):
        Derivation(lhs, sp.Derivative(f(z), z), "the same object")
    with pytest.raises(DerivationError, match="vacuous"):  # different objects, the same formula on the page
        Derivation(2 * z, sp.Mul(2, z, evaluate=False), "prints the same")
    d = six_steps()
    with pytest.raises(DerivationError, match=r"step 7 \('again'\) is vacuous"):
        d.step(d.result, "again")
    loose = Derivation(lhs, sp.Derivative(f(z), z), "the same object", strict=False)
    assert loose.steps[0].outcome == "vacuous" and not loose.proved
    assert "checks nothing" in loose.note() and "(unchecked)" in loose.html()


def test_an_undecided_verdict_is_never_a_pass():
    from bplib.equality import decide

    # no time left to prove, no time to evaluate a single point: undecided, and it does not hold
    v = decide(sp.sin(z) ** 2 + sp.cos(z) ** 2, 1, proof_seconds=0, numeric_seconds=0)
    assert v.outcome == "undecided" and not v.holds and "time budget" in v.detail
    # where a side is undefined at every sample point (a pole of Gamma at each negative integer)
    n = sp.Symbol("n", integer=True, negative=True)
    v = decide(sp.gamma(n) * (n + 1), sp.gamma(n) * n + sp.gamma(n), proof_seconds=0)
    assert v.outcome == "undecided" and "could be evaluated" in v.detail


def test_a_chain_of_tolerance_steps_cannot_drift():
    one = sp.Integer(1)
    d = Derivation(one, sp.Float("1.0000000001", 20), "published", tol=1e-9)
    assert d.steps[0].outcome == "approximate" and d.steps[0].relation == r"\approx"
    for j in range(2, 9):  # each within 1e-9 of the line before ...
        d.step(sp.Float(f"1.{'0' * 9}{j}", 20), "rounded again", tol=1e-9)
    with pytest.raises(DerivationError, match="beyond the tolerance"):  # ... but not of the exact line
        for j in range(10, 30):
            d.step(sp.Float(1 + j * 1e-10, 20), "rounded again", tol=1e-9)


def test_a_build_that_ignores_its_size_is_caught():
    def honest(n):
        v = sp.ImmutableMatrix(sp.symbols(f"v0:{n}", real=True))
        return Derivation(sp.MatMul(2 * v.T, v, evaluate=False), sp.Matrix([2 * sum(e**2 for e in v)]),
                          "$2 v^T v = 2 |v|^2$")

    assert check_sizes(honest, [2, 3, 4]).sizes == [2, 3, 4]

    def lazy(n):
        return honest(2)

    with pytest.raises(DerivationError, match="ignores its size"):
        check_sizes(lazy, [2, 3, 4])
    with pytest.raises(TypeError, match="must return a Derivation"):
        check_sizes(lambda n: None, [1])
    with pytest.raises(ValueError, match="at least one size"):
        check_sizes(honest, [])


def test_matrix_steps_and_index_notation_for_concrete_sizes():
    def build(n_out, n_in):
        W = sp.Matrix(n_out, n_in, lambda j, k: sp.Symbol(f"w_{j}{k}", real=True))
        delta = sp.Matrix(sp.symbols(f"d0:{n_out}", real=True))
        by_index = sp.Matrix([sum(W[k, j] * delta[k] for k in range(n_out)) for j in range(n_in)])
        Wt = sp.ImmutableMatrix(W).T
        return Derivation(by_index, sp.MatMul(Wt, sp.ImmutableMatrix(delta), evaluate=False),
                          "sum over k is the j-th entry of W^T delta")

    d = check_sizes(build, [(2, 3), (3, 2), (3, 3)])
    assert d.sizes == [(2, 3), (3, 2), (3, 3)] and "(2, 3)" in d.note()
    with pytest.raises(DerivationError, match="vacuous"):  # evaluated, W^T delta is the very same matrix
        W = sp.Matrix(2, 3, lambda j, k: sp.Symbol(f"w_{j}{k}", real=True))
        delta = sp.Matrix(sp.symbols("d0:2", real=True))
        Derivation(sp.Matrix([sum(W[k, j] * delta[k] for k in range(2)) for j in range(3)]), W.T * delta, "x")
    with pytest.raises(DerivationError, match="does not follow"):
        W = sp.Matrix(2, 2, sp.symbols("a b c e", real=True))
        v = sp.Matrix(sp.symbols("p q", real=True))
        Derivation(W.T * v, W * v, "transpose forgotten")


def test_rendering_latex_and_html_show_each_line_its_reason_and_its_mark():
    tex = six_steps().latex()
    assert tex.startswith(r"\begin{aligned}") and tex.count(r"\\") == 6
    assert tex.count(r"\checkmark") == 7 and r"\text{chain rule}" in tex
    data, meta = six_steps()._repr_mimebundle_()
    assert data["text/latex"].startswith("$$") and meta["bplib"]["steps"] == 7
    assert meta["bplib"]["outcomes"] == ["proved"] * 7
    html = data["text/html"]
    assert html.count('class="bplib-step bplib-proved"') == 7 and "All 7 steps proved" in html
    d = Derivation(z**2, sp.Mul(z, z, evaluate=False), "the product $z \\cdot z$", mul_symbol="dot")
    assert r"z \cdot z" in d.latex() and r"\(z \cdot z\)" in d.html()
    with pytest.raises(ValueError, match="unbalanced"):
        Derivation(z, 2 * z / 2 + 0 * z + z - z, "a $ stray dollar")


def test_numerical_steps_are_labelled_with_points_and_ranges():
    s = sp.Symbol("s")  # complex: SymPy does not close the reflection formula quickly
    d = Derivation(sp.gamma(s) * sp.gamma(1 - s), sp.pi / sp.sin(sp.pi * s), "reflection formula")
    step = d.steps[0]
    if step.outcome == "numerical":
        assert r"\checkmark_{\text{num}}" in d.latex() and "checked numerically, not proved" in d.note()
        assert "s ∈" in d.note() and str(step.points) in d.note()
    else:
        assert step.outcome == "proved"


def test_undefined_function_without_meaning_is_proved_for_every_function_or_refuted():
    f = sp.Function("f")
    d = Derivation(sp.Derivative(3 * f(z), z), 3 * sp.Derivative(f(z), z), "constant factor")
    assert d.proved
    with pytest.raises(DerivationError, match="refuted at z = .*with f = Lambda"):
        Derivation(sp.Derivative(f(z), z), 2 * f(z), "no meaning given")


def test_chain_rule_for_every_function_is_proved_without_definitions():
    x, y = sp.symbols("x y", real=True)
    f, g, h = sp.Function("f"), sp.Function("g"), sp.Function("h")
    u = sp.Symbol("u", real=True)
    d = Derivation(sp.Derivative(f(g(x)), x),
                   sp.Subs(sp.Derivative(f(u), u), u, g(x)) * sp.Derivative(g(x), x), "chain rule")
    assert d.proved
    s_, t_ = sp.symbols("s t", real=True)
    zz = f(g(x, y), h(x, y))
    rhs = (sp.Subs(sp.Derivative(f(s_, h(x, y)), s_), s_, g(x, y)) * sp.Derivative(g(x, y), x)
           + sp.Subs(sp.Derivative(f(g(x, y), t_), t_), t_, h(x, y)) * sp.Derivative(h(x, y), x))
    assert Derivation(sp.Derivative(zz, x), rhs, "two paths").proved
    with pytest.raises(DerivationError, match="does not follow"):
        Derivation(sp.Derivative(f(g(x)), x), sp.Derivative(g(x), x) * f(x), "wrong")


def test_meaningless_symbols_and_unsupported_steps_are_errors_not_verdicts():
    Es, w = sp.symbols("E w", real=True)
    with pytest.raises(DerivationError, match="cannot be checked: the derivative .* E does not depend on w"):
        Derivation(sp.Derivative(Es, w), 0, "E as a bare symbol")
    a = sp.Symbol("a", real=True)
    with pytest.raises(DerivationError, match="cannot be checked: .*differentiates with respect to a"):
        Derivation(sp.Derivative(Es, a), 2 * a, "by a defined symbol", where={Es: a**2, a: 3 * w})


def test_bad_arguments_get_clear_errors():
    d = Derivation(z**2, sp.Mul(z, z, evaluate=False), "square")
    with pytest.raises(TypeError, match="expr must be a SymPy expression, .* got NoneType"):
        d.step(None, "nothing")
    with pytest.raises(TypeError, match="wrap a vector or table in sp.Matrix"):
        d.step([z, z], "a list")
    with pytest.raises(TypeError, match="why must be a str"):
        d.step(z**2, 3)
    with pytest.raises(TypeError, match="where must be a mapping"):
        Derivation(z, z + 0 * z, "x", where="abc")
    with pytest.raises(TypeError, match="points must be an integer"):
        Derivation(z, 2 * z - z, "x", points="40")
    with pytest.raises(TypeError, match="strict must be True or False"):
        Derivation(z, 2 * z - z, "x", strict="yes")


def test_partial_derivatives_print_with_the_partial_sign():
    Es, w = sp.symbols("E w", real=True)
    d = Derivation(sp.Derivative(Es, w), 2 * w, "d", where={Es: w**2}, partial=True)
    assert r"\frac{\partial}{\partial w} E" in d.latex() and r"\frac{d}" not in d.latex()
    assert r"\frac{d}{d w} E" in Derivation(sp.Derivative(Es, w), 2 * w, "d", where={Es: w**2}).latex()


def test_the_hadamard_product_prints_as_odot_with_a_product_bracketed():
    from bplib.derive import latex

    g, s, d = (sp.MatrixSymbol(name, 3, 1) for name in ("g", "s", r"\delta"))
    W = sp.MatrixSymbol("W^{l+1}", 3, 3)
    assert latex(sp.HadamardProduct(g, s)) == r"g \odot s"
    assert latex(sp.HadamardProduct(sp.MatMul(W.T, d), s)) == \
        r"\left(\left(W^{l+1}\right)^{T} \delta\right) \odot s"

"""The checker, tried adversarially: wrong steps it must refuse, right steps it must accept.

Each WRONG case must end "refuted" (or "undecided", never "proved", "numerical" or
"approximate"); each RIGHT case must end "proved" or "numerical". Both lists cover the
classes of the checker issue: exact numbers, meaningless symbols, narrow sampling,
hangs, crashes on valid input, and the book's own kinds of step (index sums for
concrete sizes, matrices, undefined functions with ``where``, derivatives).
A hang guard bounds every case (a generous ceiling, not a speed test).
"""

from __future__ import annotations

import pytest
import sympy as sp

from bplib.equality import EqualityError, decide

x, y, u, w = sp.symbols("x y u w", real=True)
z = sp.Symbol("z", positive=True)
p, q = sp.symbols("p q")  # complex: SymPy's default
m = sp.Symbol("m", nonpositive=True)
n = sp.Symbol("n", integer=True, positive=True)
k = sp.Symbol("k", integer=True)
e_ = sp.Symbol("e", even=True)
A, B = sp.symbols("A B", commutative=False)
X, Y = sp.MatrixSymbol("X", 2, 2), sp.MatrixSymbol("Y", 2, 2)
f, g, h = sp.Function("f"), sp.Function("g"), sp.Function("h")
sigma = sp.Function("sigma")
SIG = {sigma: sp.Lambda(u, 1 / (1 + sp.exp(-u)))}
HANG_GUARD = 30.0  # seconds; every case takes well under one


def taylor_sin(order):
    return sum((-1) ** j * x ** (2 * j + 1) / sp.factorial(2 * j + 1) for j in range(order))


def index_sum(n_out, n_in, transposed):
    W = sp.Matrix(n_out, n_in, lambda j, i: sp.Symbol(f"w_{j}{i}", real=True))
    d = sp.Matrix(sp.symbols(f"d0:{n_out}", real=True))
    if transposed:  # the classic slip: W[j, k] where W[k, j] belongs
        by_index = sp.Matrix([sum(W[min(j, n_out - 1), min(kk, n_in - 1)] * d[kk] for kk in range(n_out))
                              for j in range(n_in)])
    else:
        by_index = sp.Matrix([sum(W[kk, j] * d[kk] for kk in range(n_out)) for j in range(n_in)])
    return by_index, W.T * d


def bp1_entry(factor=1):
    """delta^L_j = dC/da_j sigma'(z_j), with C and sigma undefined (width 2)."""
    C = sp.Function("C")
    z0, z1 = sp.symbols("z0 z1", real=True)
    a = [sigma(z0), sigma(z1)]
    lhs = sp.Derivative(C(*a), z0)
    t = sp.Symbol("t", real=True)
    dC = sp.Subs(sp.Derivative(C(t, a[1]), t), t, a[0])
    return lhs, factor * dC * sp.Derivative(sigma(z0), z0)


def bptt_sum(T, drop_first_term=False):
    """dL/dw for s_t = sigma(w s_{t-1} + v x_t), L = s_T: a sum over time (scalars)."""
    wr, v = sp.symbols("w_r v", real=True)
    xs = sp.symbols(f"x1:{T + 1}", real=True)
    s, zs, ss = [sp.Integer(0)], [], [sp.Integer(0)]
    for t in range(T):
        zs.append(wr * s[-1] + v * xs[t])
        s.append(sp.tanh(zs[-1]))
        ss.append(s[-1])
    lhs = sp.Derivative(s[-1], wr)
    terms = []
    for t in range(1, T + 1):  # dL/dz_t * s_{t-1}, with dL/dz_t = prod of tanh' and w_r
        grad = sp.Integer(1)
        for r in range(T, t - 1, -1):
            grad *= 1 - sp.tanh(zs[r - 1]) ** 2
            if r > t:
                grad *= wr
        terms.append(grad * ss[t - 1])
    if drop_first_term:
        terms = terms[:-1] if T > 1 else terms
        terms[0] *= 2  # a term dropped and another doubled: zero at many points for T = 1
    return lhs, sp.Add(*terms)


def softmax_jacobian(correct=True):
    zs = sp.symbols("z0:3", real=True)
    S = sum(sp.exp(zi) for zi in zs)
    a = [sp.exp(zi) / S for zi in zs]
    J = sp.Matrix(3, 3, lambda i, j: sp.diff(a[i], zs[j]))
    claim = sp.diag(*a) - sp.Matrix(a) * sp.Matrix(a).T if correct else sp.diag(*a)
    return J, claim


def network_step(sign):
    from benchmarks.checker import network_222

    lhs, right, wrong, meaning = network_222()
    return lhs, right if sign > 0 else wrong["a lost sign"], meaning


E_, a_ = sp.symbols("E a", real=True)

# (id, lhs, rhs, where, tol)
WRONG = [
    # 1. exact numbers compared exactly
    ("1e9 vs 1e9+1", sp.Integer(10**9), sp.Integer(10**9 + 1), None, None),
    ("pi vs pi+1e-10", sp.pi, sp.pi + sp.Float("1e-10"), None, None),
    ("published decimal off in the 10th digit", sp.Float("0.298371109", 15),
     sp.Float("0.2983711091", 15), None, None),
    ("sqrt 2 vs 17 digits", sp.sqrt(2), sp.Rational(14142135623730951, 10**16), None, None),
    ("e vs its float", sp.E, sp.Float(2.718281828459045), None, None),
    ("zeta(2) vs a partial sum", sp.pi**2 / 6, sum(sp.Rational(1, j * j) for j in range(1, 2000)),
     None, None),
    ("tolerance 1e-12 on a 1e-10 error", sp.pi, sp.pi + sp.Float("1e-10"), None, 1e-12),
    # 2. meaningless or ill-ordered symbols
    ("where in either order, wrong (1)", sp.Derivative(E_, w), 2 * w * x, {E_: a_**2, a_: w * x}, None),
    ("where in either order, wrong (2)", sp.Derivative(E_, w), 2 * w * x, {a_: w * x, E_: a_**2}, None),
    # 3. narrow sampling
    ("acos(cos z) = z", sp.acos(sp.cos(z)), z, None, None),
    ("degree-15 Taylor polynomial = sin", sp.sin(x), taylor_sin(8), None, None),
    ("degree-29 Taylor polynomial = sin", sp.sin(x), taylor_sin(15), None, None),
    ("(n-1)(n-2)(n-3) = 0", (n - 1) * (n - 2) * (n - 3), 0, None, None),
    ("prod_{j<=10} (n - j) = 0", sp.Mul(*[(n - j) for j in range(1, 11)]), 0, None, None),
    ("floor vs Piecewise beyond |x| > 2", sp.floor(x), sp.Piecewise((sp.floor(x), sp.Abs(x) < 2), (x, True)),
     None, None),
    ("A B = B A, non-commuting", A * B, B * A, None, None),
    ("(A + B)^2 = A^2 + 2AB + B^2", sp.expand((A + B) ** 2), A**2 + 2 * A * B + B**2, None, None),
    ("exp = degree-20 polynomial", sp.exp(x), sum(x**j / sp.factorial(j) for j in range(21)), None, None),
    ("Heaviside(x - 3) = 0", sp.Heaviside(x - 3), 0, None, None),
    ("log(pq) = log p + log q, complex", sp.log(p * q), sp.log(p) + sp.log(q), None, None),
    ("sqrt(x^2) = x, real", sp.sqrt(x**2), x, None, None),
    ("|x| = x, real", sp.Abs(x), x, None, None),
    ("sqrt(m^2) = m, m <= 0", sp.sqrt(m**2), m, None, None),
    ("tanh x = sign x", sp.tanh(x), sp.sign(x), None, None),
    ("2 floor(k/2) = k, integer", 2 * sp.floor(k / 2), k, None, None),
    ("Mod(k, 2) = 0, integer", sp.Mod(k, 2), 0, None, None),
    ("exp(x) exp(y) = exp(xy)", sp.exp(x) * sp.exp(y), sp.exp(x * y), None, None),
    ("d/dz z^z = z z^(z-1)", sp.Derivative(z**z, z), z * z ** (z - 1), None, None),
    ("x(x-1)(x-2) = 0: right at three points", x * (x - 1) * (x - 2), 0, None, None),
    # 4. never a hang
    ("sin(1e40 x) = sin(1e40 x + 1)", sp.sin(10**40 * x), sp.sin(10**40 * x + 1), None, None),
    ("exp(exp(exp(x))) off by 1e-30", sp.exp(sp.exp(sp.exp(x))),
     sp.exp(sp.exp(sp.exp(x))) + sp.Float("1e-30"), None, None),
    ("sin(1e40 x)^2 + cos^2 = 1.0000001", sp.sin(10**40 * x) ** 2 + sp.cos(10**40 * x) ** 2,
     sp.Rational(10000001, 10**7), None, None),
    # 6. matrices, arrays
    ("(XY)^T = X^T Y^T", (X * Y).T, X.T * Y.T, None, None),
    ("Array entries swapped", sp.Array([x, y]), sp.Array([y, x]), None, None),
    ("matrix shapes differ", sp.Matrix([x, y]), sp.Matrix([[x, y]]), None, None),
    # the book's kinds
    ("index sum with W[j, k] for W[k, j]", *index_sum(3, 2, transposed=True), None, None),
    ("BP1 with a factor 2", *bp1_entry(factor=2), SIG, None),
    ("sigma' with a lost sign", sp.Derivative(sigma(u), u), -sigma(u) * (1 - sigma(u)), SIG, None),
    ("sigma' = sigma(1 + sigma)", sp.Derivative(sigma(u), u), sigma(u) * (1 + sigma(u)), SIG, None),
    ("chain rule f(x) g'(x)", sp.Derivative(f(g(x)), x), f(x) * sp.Derivative(g(x), x), None, None),
    ("product rule f' g'", sp.Derivative(f(x) * g(x), x),
     sp.Derivative(f(x), x) * sp.Derivative(g(x), x), None, None),
    ("BPTT sum, a term dropped (T = 3)", *bptt_sum(3, drop_first_term=True), None, None),
    ("softmax Jacobian is diagonal", *softmax_jacobian(correct=False), None, None),
    ("quotient rule, wrong sign", sp.Derivative(f(x) / g(x), x),
     (sp.Derivative(f(x), x) * g(x) + f(x) * sp.Derivative(g(x), x)) / g(x) ** 2, None, None),
    ("2-2-2 hidden gradient, lost sign", *network_step(-1)[:2], network_step(-1)[2], None),
]

RIGHT = [
    ("cosh^2(30x) - sinh^2(30x) = 1", sp.cosh(30 * x) ** 2 - sp.sinh(30 * x) ** 2, 1, None, None),
    ("log(zw) = log z + log w, positive", sp.log(z * sp.Symbol("v", positive=True)),
     sp.log(z) + sp.log(sp.Symbol("v", positive=True)), None, None),
    ("sqrt(m^2) = -m, m <= 0", sp.sqrt(m**2), -m, None, None),
    ("Mod(e, 2) = 0, e even", sp.Mod(e_, 2), 0, None, None),
    ("Gamma reflection", sp.gamma(z) * sp.gamma(1 - z), sp.pi / sp.sin(sp.pi * z), None, None),
    ("(XY)^T = Y^T X^T", (X * Y).T, Y.T * X.T, None, None),
    ("Array, entry by entry", sp.Array([x + x, y * y]), sp.Array([2 * x, y**2]), None, None),
    ("index sum (2, 3)", *index_sum(2, 3, transposed=False), None, None),
    ("index sum (3, 2)", *index_sum(3, 2, transposed=False), None, None),
    ("chain rule for every f, g", sp.Derivative(f(g(x)), x),
     sp.Subs(sp.Derivative(f(u), u), u, g(x)) * sp.Derivative(g(x), x), None, None),
    ("where in either order (1)", sp.Derivative(E_, w), 2 * w * x**2, {E_: a_**2, a_: w * x}, None),
    ("where in either order (2)", sp.Derivative(E_, w), 2 * w * x**2, {a_: w * x, E_: a_**2}, None),
    ("BP1 for every cost C", *bp1_entry(), SIG, None),
    ("2-2-2 hidden gradient", *network_step(1)[:2], network_step(1)[2], None),
    ("a published decimal within its rounding", sp.Float("0.298371109", 15),
     sp.Rational(298371108804806, 10**15), None, 2e-9),
    ("(A + B)^2, non-commuting", sp.expand((A + B) ** 2), A**2 + A * B + B * A + B**2, None, None),
    ("sum_{j=1}^n j = n(n+1)/2", sp.Sum(sp.Symbol("j", integer=True), (sp.Symbol("j", integer=True), 1, n)),
     n * (n + 1) / 2, None, None),
    ("exp(p) exp(q) = exp(p + q), complex", sp.exp(p) * sp.exp(q), sp.exp(p + q), None, None),
    ("tanh' = sech^2", sp.Derivative(sp.tanh(x), x), 1 / sp.cosh(x) ** 2, None, None),
    ("d/dz z^z, z > 0", sp.Derivative(z**z, z), z**z * (sp.log(z) + 1), None, None),
    ("sin^2(1e40 x) + cos^2(1e40 x) = 1", sp.sin(10**40 * x) ** 2 + sp.cos(10**40 * x) ** 2, 1, None, None),
    ("10^300 x / 10^300 = x", sp.Mul(10**300, x, evaluate=False) / 10**300, x, None, None),
    ("softmax Jacobian diag(a) - a a^T", *softmax_jacobian(correct=True), None, None),
    ("BPTT sum over time (T = 3)", *bptt_sum(3), None, None),
    ("d(2 f)/dx = 2 f'", sp.Derivative(2 * f(x), x), 2 * sp.Derivative(f(x), x), None, None),
    ("sigma' = sigma (1 - sigma)", sp.Derivative(sigma(u), u), sigma(u) * (1 - sigma(u)), SIG, None),
]


def ids(cases):
    return [c[0] for c in cases]


@pytest.mark.parametrize("case", WRONG, ids=ids(WRONG))
def test_a_wrong_step_is_never_accepted(case):
    name, lhs, rhs, where, tol = case
    verdict = decide(lhs, rhs, where=where, tol=tol)
    assert verdict.outcome in ("refuted", "undecided"), f"{name}: {verdict}"
    assert verdict.seconds < HANG_GUARD


@pytest.mark.parametrize("case", RIGHT, ids=ids(RIGHT))
def test_a_right_step_is_accepted(case):
    name, lhs, rhs, where, tol = case
    verdict = decide(lhs, rhs, where=where, tol=tol)
    expected = ("approximate",) if tol else ("proved", "numerical")
    assert verdict.outcome in expected, f"{name}: {verdict}"
    assert verdict.seconds < HANG_GUARD


def test_the_suite_is_as_large_as_promised():
    assert len(WRONG) >= 40 and len(RIGHT) >= 20


def test_refutations_name_the_point_and_both_values_with_imaginary_parts():
    v = decide(sp.log(p * q), sp.log(p) + sp.log(q), seed=3)
    assert v.outcome == "refuted" and "this line is" in v.detail and "·i" in v.detail
    # log(pq) - log p - log q is a multiple of 2 pi i: the difference shown says so
    diff = complex(v.detail.split("the difference is ")[1].split(";")[0].replace("·i", "j")
                   .replace(" − ", "-").replace(" + ", "+").replace(" ", ""))
    assert abs(diff.real) < 1e-12 and abs(abs(diff.imag) - 2 * 3.141592653589793) < 1e-9
    v = decide(sp.Integer(10**9), sp.Integer(10**9 + 1))
    assert "1000000000" in v.detail and "1000000001" in v.detail and "difference is -1" in v.detail


def test_exact_numbers_are_proved_only_when_exactly_equal():
    assert decide(sp.sqrt(2) * sp.sqrt(3), sp.sqrt(6)).outcome == "proved"
    assert decide(sp.Rational(1, 3), sp.Float(1 / 3)).outcome == "refuted"  # 1/3 is not a binary float
    assert decide(sp.Rational(1, 2), sp.Float(0.5)).outcome == "proved"  # but 1/2 is


def test_a_tolerance_is_relative_and_reported():
    v = decide(sp.Float("0.298371109", 15), sp.Rational(298371108804806, 10**15), tol=2e-9)
    assert v.outcome == "approximate" and "2e-09" in v.detail
    assert decide(sp.Float("0.298371109", 15), sp.Rational(298371108804806, 10**15), tol=5e-10).outcome \
        == "refuted"


def test_meaningless_derivatives_are_errors_naming_the_symbol():
    with pytest.raises(EqualityError, match="E does not depend on w.*define it in where"):
        decide(sp.Derivative(E_, w), 0)
    with pytest.raises(EqualityError, match="does not depend on w"):
        decide(sp.Derivative(E_ + 3 * a_, w), 0)
    # a real expression that does not involve w differentiates to a legitimate 0
    assert decide(sp.Derivative(sp.sin(x) * y, w), 0).outcome == "proved"
    with pytest.raises(EqualityError, match="differentiates with respect to a, which where defines"):
        decide(sp.Derivative(E_, a_), 2 * a_, where={E_: a_**2, a_: w * x})
    with pytest.raises(EqualityError, match="cycle"):
        decide(E_, 1, where={E_: a_ + 1, a_: E_ - 1})


def test_where_order_never_changes_a_verdict():
    for wrong in (2 * w * x, w * x**2, 2 * w * x**2 + 1):
        a = decide(sp.Derivative(E_, w), wrong, where={E_: a_**2, a_: w * x}).outcome
        b = decide(sp.Derivative(E_, w), wrong, where={a_: w * x, E_: a_**2}).outcome
        assert a == b == "refuted"


def test_bad_arguments_get_clear_errors():
    with pytest.raises(TypeError, match="got NoneType"):
        decide(x, None)
    with pytest.raises(TypeError, match="wrap a vector or table in sp.Matrix"):
        decide(x, [x])
    with pytest.raises(TypeError, match="never parsed|got str"):
        decide(x, "x")
    with pytest.raises(TypeError, match="where must be a mapping"):
        decide(x, x, where="abc")
    with pytest.raises(TypeError, match="points must be an integer"):
        decide(x, x, points="40")
    with pytest.raises(TypeError, match=r"where\[f\] must be sp.Lambda"):
        decide(f(x), x, where={f: x**2})
    with pytest.raises(ValueError, match="tol must be"):
        decide(x, x, tol=float("nan"))
    with pytest.raises(EqualityError, match="symbolic shape"):
        decide(sp.MatrixSymbol("M", sp.Symbol("r", integer=True, positive=True), 2).T,
               sp.MatrixSymbol("M", sp.Symbol("r", integer=True, positive=True), 2).T * 2)


def test_numerical_verdicts_say_how_many_points_over_which_ranges():
    # Gamma's reflection formula for a complex s: SymPy's simplify does not close it
    s = sp.Symbol("s")
    v = decide(sp.gamma(s) * sp.gamma(1 - s), sp.pi / sp.sin(sp.pi * s), proof_seconds=0.5)
    assert v.outcome in ("numerical", "proved")
    if v.outcome == "numerical":
        assert v.points >= 12 and "s ∈" in v.ranges and "complex" in v.ranges


def test_samples_respect_assumptions_and_span_magnitudes():
    import numpy as np

    from bplib.equality import _value

    rng = np.random.default_rng(0)
    for sym, ok in [(z, lambda v: v > 0), (m, lambda v: v <= 0), (n, lambda v: v.is_integer and v > 0),
                    (e_, lambda v: v % 2 == 0), (sp.Symbol("r", prime=True), lambda v: sp.isprime(v)),
                    (sp.Symbol("q", negative=True, integer=True), lambda v: v < 0 and v.is_integer)]:
        values = [_value(sym, rng, cls) for cls in ("small", "unit", "large") for _ in range(20)]
        assert all(ok(v) for v in values), sym
    reals = [abs(float(_value(x, rng, cls))) for cls in ("small", "unit", "large") for _ in range(30)]
    assert min(reals) < 1e-2 and max(reals) > 1e2
    ints = {int(_value(n, rng, "large")) for _ in range(30)}
    assert len(ints) == 30 and max(ints) > 1000


def test_a_deadline_lands_in_the_computation_not_in_a_gc_callback():
    """The budget is enforced with SIGALRM; an interrupt raised inside a garbage-collector
    callback would be swallowed and reported (Hypothesis registers such a callback). Plant
    a callback that runs on every collection and a computation that makes cyclic garbage
    under a tight budget: the deadline must still end it, and nothing be reported."""
    import gc
    import time
    import warnings

    from bplib.equality import _deadline, _OutOfTime

    calls = []

    def callback(phase, info):
        calls.append(phase)
        time.sleep(0.001)

    gc.callbacks.append(callback)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            start, landed = time.monotonic(), False
            try:
                with _deadline(0.2):
                    while time.monotonic() - start < 3.0:  # cyclic garbage: collections run the callback
                        a = []
                        a.append(a)
            except _OutOfTime:
                landed = True
            assert landed and time.monotonic() - start < 2.0, "the deadline never interrupted the loop"
        # nested deadlines: the outer keeps its time after the inner one ends
        with pytest.raises(_OutOfTime):
            with _deadline(0.3):
                with _deadline(5.0):
                    pass
                time.sleep(1.0)
    finally:
        gc.callbacks.remove(callback)


def test_a_wrong_step_through_sympys_own_chain_rule_is_refuted_not_a_crash():
    """SymPy differentiates C(sigma(z0), sigma(z1)) by z0 into a factor dC/d sigma(z0) (a
    derivative by a function application); substituting sigma's definition, or a random
    stand-in for an undefined sigma, used to raise ValueError inside SymPy. And explicit
    matrices bound to MatrixSymbols in ``where`` are compared entry by entry (an
    ImmutableMatrix is also a MatrixExpr in SymPy; it used to leave the check undecided)."""
    C = sp.Function("C")
    z0, z1 = sp.symbols("z0 z1", real=True)
    delta0 = sp.diff(C(sigma(z0), sigma(z1)), z0)  # contains d C / d sigma(z0)
    dC = sp.diff(C(x, y), x).subs({x: sigma(z0), y: sigma(z1)})  # the same kind of factor
    right, wrong = dC * sp.Derivative(sigma(z0), z0), dC  # BP1, and BP1 without sigma'
    for where in (SIG, None):  # sigma defined, and sigma undefined (random stand-ins)
        assert decide(delta0, right, where=where).outcome == "proved"
        assert decide(delta0, wrong, where=where).outcome == "refuted"
    d, g, s = (sp.MatrixSymbol(name, 2, 1) for name in ("d", "g", "s"))
    zs, on_z = [z0, z1], {x: sigma(z0), y: sigma(z1)}
    meaning = {d: sp.ImmutableMatrix([sp.diff(C(sigma(z0), sigma(z1)), zj) for zj in zs]),
               g: sp.ImmutableMatrix([sp.diff(C(x, y), v).subs(on_z) for v in (x, y)]),
               s: sp.ImmutableMatrix([sp.Derivative(sigma(zj), zj) for zj in zs])}
    assert decide(d, sp.HadamardProduct(g, s), where=meaning).outcome == "proved"
    assert decide(d, g, where=meaning).outcome == "refuted"

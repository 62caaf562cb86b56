"""How long the derivation checker takes on the book's hardest step, right and wrong.

The step is the hidden-weight gradient of the 2-2-2 sigmoid network (chapter *A
2-2-2 network by hand*): dE/dw^(2)_11 written as two backward paths times
sigma' times x_1, with E, a^(2), a^(3) bound through ``where`` to the full
expression in all twelve parameters. Goals: accept the right step in at most 5 s,
reject a wrong one (a lost factor, a swapped weight, a wrong sign) in at most 1 s.

Run alone with ``python -m benchmarks.checker``; ``make bench`` runs it too.
"""

from __future__ import annotations

import statistics
import time

import sympy as sp

from bplib.derive import Derivation, DerivationError, product


def network_222():
    """The symbols, the meaning of E, a^(2), a^(3), and the right and wrong right-hand sides."""
    sym = sp.Symbol
    x1, x2, t1, t2 = sp.symbols("x_1 x_2 t_1 t_2", real=True)
    w2 = sp.Matrix(2, 2, lambda j, k: sym(f"w^{{(2)}}_{{{j + 1}{k + 1}}}", real=True))
    w3 = sp.Matrix(2, 2, lambda j, k: sym(f"w^{{(3)}}_{{{j + 1}{k + 1}}}", real=True))
    b2 = sp.Matrix(2, 1, lambda j, _: sym(f"b^{{(2)}}_{j + 1}", real=True))
    b3 = sp.Matrix(2, 1, lambda j, _: sym(f"b^{{(3)}}_{j + 1}", real=True))

    def sigma(v):
        return 1 / (1 + sp.exp(-v))

    a2 = (w2 * sp.Matrix([x1, x2]) + b2).applyfunc(sigma)
    a3 = (w3 * a2 + b3).applyfunc(sigma)
    E = sp.Symbol("E", real=True)
    A2 = [sym(f"a^{{(2)}}_{j + 1}", real=True) for j in range(2)]
    A3 = [sym(f"a^{{(3)}}_{j + 1}", real=True) for j in range(2)]
    meaning = {E: sp.Rational(1, 2) * ((t1 - A3[0]) ** 2 + (t2 - A3[1]) ** 2),
               **dict(zip(A2, a2)), **dict(zip(A3, a3))}

    def rhs(sign=1, w_1=None, w_2=None, last=x1):
        w_1 = w3[0, 0] if w_1 is None else w_1
        w_2 = w3[1, 0] if w_2 is None else w_2
        with sp.evaluate(False):
            back_1 = product(-(t1 - A3[0]), A3[0] * (1 - A3[0]), w_1)
            back_2 = product(-(t2 - A3[1]), A3[1] * (1 - A3[1]), w_2)
            return product(sign * (back_1 + back_2), A2[0] * (1 - A2[0]), last)

    wrong = {"a lost sign": rhs(sign=-1), "a swapped weight": rhs(w_1=w3[0, 1]),
             "x_2 for x_1": rhs(last=x2)}
    return sp.Derivative(E, w2[0, 0]), rhs(), wrong, meaning


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(repeat: int = 3) -> dict:
    lhs, right, wrong, meaning = network_222()

    def accept():
        d = Derivation(lhs, right, "two paths, then $\\sigma'$ and $x_1$", where=meaning, partial=True)
        assert d.steps[0].outcome in ("proved", "numerical"), d.steps[0]
        return d

    outcome = accept().steps[0].outcome
    accept_s = statistics.median(timed(accept) for _ in range(repeat))
    rows = [("accept the right step", f"{accept_s:.2f}", outcome)]
    for name, expr in wrong.items():
        def reject(expr=expr):
            try:
                Derivation(lhs, expr, "wrong", where=meaning, partial=True)
            except DerivationError:
                return
            raise AssertionError(f"{name} was accepted")

        rows.append((f"reject {name}", f"{statistics.median(timed(reject) for _ in range(repeat)):.2f}",
                     "refuted"))
    print("\nDerivation checker, 2-2-2 network, dE/dw^(2)_11 (median of "
          f"{repeat}; goals: accept <= 5 s, reject <= 1 s)")
    for r in rows:
        print(f"  {r[0]:<28} {r[1]:>6} s   {r[2]}")
    return {r[0]: float(r[1]) for r in rows}


if __name__ == "__main__":
    main()

"""The exercise checkers tell a reader what is wrong, and accept what is right."""

import numpy as np

from bplib.exercises import check_array, check_function, check_value


def test_check_array_names_shape_then_first_wrong_entry():
    ref = np.arange(6.0).reshape(2, 3)
    assert check_array(ref.copy(), ref).ok
    assert "not computed" in check_array(None, ref).message
    assert "shape (3, 2)" in check_array(ref.T, ref).message
    wrong = ref.copy()
    wrong[1, 2] = -1
    res = check_array(wrong, ref)
    assert not res.ok and "[1, 2]" in res.message and "1 of 6" in res.message


def test_check_value_and_function_catch_a_sign_error():
    assert "sign is wrong" in check_value(-2.0, 2.0).message
    assert not check_function(lambda t: -np.sin(t), np.sin, [0.5, 1.0]).ok
    assert check_function(np.sin, np.sin, [0.5, 1.0]).ok


def test_answers_that_are_not_real_finite_numbers_of_the_right_shape_are_reported():
    """Planted wrong answers: each is refused with a message saying what is wrong, never
    'agrees' (complex numbers used to lose their imaginary part and pass)."""
    ref = np.array([[0.5, 1.0], [2.0, -1.0]])
    for answer, says in ((ref + 1e-3j, "complex"), (np.where(ref > 1, np.nan, ref), "NaN"),
                         (np.where(ref > 1, np.inf, ref), "Inf"), (ref.T[:1], "shape (1, 2)"),
                         ("0.5", "str"), (lambda: 1, "function"), ([[0.5, 1.0], [2.0]], "must be")):
        result = check_array(answer, ref)
        assert not result.ok and says in result.message, (answer, result.message)
    for answer, says in ((0.25 + 0j * 0 + 1e-9j, "complex"), (np.nan, "NaN"), (np.inf, "Inf"),
                         (np.array([0.25, 0.25]), "one number"), (True, "must be")):
        result = check_value(answer, 0.25)
        assert not result.ok and says in result.message, (answer, result.message)
    for fn, says in ((lambda t: np.sin(t) + 1e-12j, "complex"), (lambda t: np.sin(t) / 0 * t, "finite"),
                     (lambda t: np.sin(t)[:1], "shape"), (lambda t: "sin", "str"),
                     (lambda t: 1 / "x", "raised")):
        with np.errstate(divide="ignore", invalid="ignore"):
            result = check_function(fn, np.sin, [0.5, 1.0])
        assert not result.ok and says in result.message, result.message


def test_right_answers_are_accepted_in_any_honest_form():
    ref = np.array([[0.5, 1.0], [2.0, -1.0]])
    assert check_array(ref.tolist(), ref).ok and check_array(np.asfortranarray(ref), ref).ok
    assert check_array(ref + 1e-13, ref).ok and not check_array(ref + 1e-6, ref).ok  # off in the 7th digit
    assert check_value(np.float32(0.25), 0.25).ok and check_value(np.array([0.25]), 0.25).ok
    assert check_value(0.25 + 0j, 0.25).ok is False  # a complex type is refused even with 0j: say real
    assert check_function(lambda t: np.sin(t).tolist(), np.sin, [0.5, 1.0]).ok


def test_a_hint_is_shown_only_when_the_answer_is_wrong():
    wrong, right = check_value(0.3, 0.25, hint="square it"), check_value(0.25, 0.25, hint="square it")
    assert "Hint: square it" in repr(wrong) and "Hint" not in repr(right)
    assert "bplib-hint" in wrong._repr_html_() and wrong._repr_mimebundle_()[1]["bplib"] == {
        "kind": "exercise-check", "ok": False}
    import pytest

    with pytest.raises(TypeError, match="hint must be a str"):
        check_value(0.25, 0.25, hint=3)


def test_check_derivation_needs_the_right_start_and_end():
    import sympy as sp

    from bplib.derive import Derivation
    from bplib.exercises import check_derivation

    s = sp.Symbol("s", positive=True)
    d = Derivation(s * (1 - s), sp.Rational(1, 4) - (s - sp.Rational(1, 2)) ** 2, "complete the square")
    assert check_derivation(d, s * (1 - s), sp.Rational(1, 4) - (s - sp.Rational(1, 2)) ** 2).ok
    assert "starts from" in check_derivation(d, s * (1 + s), s).message
    assert "ends at" in check_derivation(d, s * (1 - s), sp.Rational(1, 4)).message
    assert "not written yet" in check_derivation(None, s, s).message
    assert "must be a bplib Derivation" in check_derivation(s, s, s).message


def test_answer_box_carries_the_value_tolerance_and_hint_and_refuses_nonsense():
    import json
    import re

    import pytest

    from bplib.exercises import answer_box

    box = answer_box(0.082167041, rtol=1e-6, hint="three factors")
    html = box._repr_html_()
    data = json.loads(re.search(r'data-answer="([^"]*)"', html).group(1).replace("&quot;", '"'))
    assert data == {"value": 0.082167041, "rtol": 1e-6, "atol": 0.0, "hint": "three factors"}
    assert "<input" in html and "<output" in html and 'aria-live="polite"' in html
    assert box._repr_mimebundle_()[1]["bplib"]["kind"] == "answer-box"
    with pytest.raises(ValueError, match="cannot both be 0"):
        answer_box(1.0, rtol=0.0, hint="h")
    with pytest.raises(TypeError, match="hint must be a non-empty str"):
        answer_box(1.0, hint="")
    with pytest.raises(ValueError):
        answer_box(float("nan"), hint="h")

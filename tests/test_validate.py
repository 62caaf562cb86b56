"""The boundary checks themselves: each message names the argument, the expected and the actual."""

import numpy as np
import pytest

from bplib.validate import (
    as_float_array,
    check_finite,
    check_int_in_range,
    check_learning_rate,
    check_real,
    check_shape,
    lookup,
)


def test_as_float_array_accepts_any_real_layout_and_refuses_what_would_be_lost():
    f = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    assert as_float_array(f, "x") is f  # no copy, any memory order
    assert as_float_array([[1, 2]], "x").dtype == np.float64
    assert as_float_array(np.int8(3), "x").shape == ()
    with pytest.raises(TypeError, match=r"x must be a real numeric array, got complex numbers"):
        as_float_array(np.array([1.0, 2j]), "x")
    with pytest.raises(ValueError, match="x must have 2 dimensions, got shape"):
        as_float_array(np.zeros(3), "x", ndim=2)


def test_check_finite_names_the_first_bad_entry_and_the_count():
    a = np.zeros((2, 3))
    a[1, 2], a[0, 1] = np.inf, -np.inf
    with pytest.raises(ValueError, match=r"a must be finite, got -Inf at index \(0, 1\); it contains NaN "
                                         r"or Inf in 2 of 6 entries"):
        check_finite(a, "a")
    big = np.full(4, 1e308)  # the sum overflows, yet every entry is finite: no false alarm
    with np.errstate(over="raise"):
        check_finite(big, "big")


def test_shapes_numbers_and_names():
    with pytest.raises(ValueError, match=r"xs must have shape \(T, 2, m\), got \(3, 3, 1\)"):
        check_shape(np.zeros((3, 3, 1)), (None, 2, None), "xs", names=("T", "n_x", "m"))
    assert check_int_in_range(30.0, "T", 1, 100, whole_floats=True) == 30
    with pytest.raises(ValueError, match="T must be a whole number, got 2.5"):
        check_int_in_range(2.5, "T", 1, 100, whole_floats=True)
    assert check_learning_rate(np.float32(0.1)) == pytest.approx(0.1) and check_learning_rate(1) == 1.0
    for bad, exc in ((True, TypeError), (np.nan, ValueError), (0.0, ValueError), ("0.1", TypeError)):
        with pytest.raises(exc, match="lr must be"):
            check_learning_rate(bad)
    assert check_real(np.array([2.5]), "v") == 2.5
    table = {"a": 1, "b": 2}
    assert lookup(table, "b", "letter", int) == 2 and lookup(table, 7, "letter", int) == 7
    with pytest.raises(ValueError, match="letter must be one of a, b; got 'c'"):
        lookup(table, "c", "letter", int)

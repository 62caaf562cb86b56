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

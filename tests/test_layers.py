"""Layers: containers numbered as in the book, with clear errors for a layer that does not exist."""

import numpy as np
import pytest

from bplib.layers import Layers


def test_numbering_starts_where_the_quantity_starts():
    W = Layers([np.zeros((3, 2)), np.zeros((1, 3))], first=1, name="W")
    a = Layers([np.zeros((2, 1)), np.zeros((3, 1)), np.zeros((1, 1))], first=0, name="a")
    assert W[1].shape == (3, 2) and W[2].shape == (1, 3) and W[-1] is W[2] and len(W) == 2
    assert a[0].shape == (2, 1) and list(a.layers()) == [0, 1, 2] and a.last == 2
    assert [l for l, _ in W.items()] == [1, 2]
    with pytest.raises(IndexError, match=r"W\[0\]: the layer must be in 1\.\.2, got 0 \(layer 0 is the"):
        W[0]
    with pytest.raises(IndexError, match=r"a\[3\]: the layer must be in 0\.\.2, got 3"):
        a[3]


def test_assignment_keeps_the_shape_and_refuses_what_would_be_lost():
    W = Layers([np.zeros((3, 2))], first=1, name="W")
    new = np.ones((3, 2))
    W[1] = new
    new[0, 0] = 7.0  # the layer holds a copy: changing the original leaves it alone
    assert W[1][0, 0] == 1.0
    W[1] = [[1, 2], [3, 4], [5, 6]]  # lists of ints become float64
    assert W[1].dtype == np.float64 and W[1][2, 1] == 6.0
    with pytest.raises(ValueError, match=r"W\[1\] must have shape \(3, 2\), got \(2, 3\)"):
        W[1] = np.zeros((2, 3))
    with pytest.raises(TypeError, match=r"W\[1\] must be a real numeric array, got complex"):
        W[1] = np.zeros((3, 2)) + 1j  # planted: the imaginary part would be dropped silently
    with pytest.raises(ValueError, match=r"W\[1\] must be finite, got NaN at index \(0, 0\)"):
        W[1] = np.full((3, 2), np.nan)
    assert "W{1: (3, 2)}" == repr(W)

"""Data sets: shapes, one-hot coding, and the published 2-2-2 example."""

import numpy as np
import pytest

from bplib.data import digits, mazur_222, one_hot, two_moons, xor


def test_one_hot_columns_against_the_labels():
    y = one_hot(np.array([2, 0, 1, 2]), 3)
    assert y.shape == (3, 4) and np.array_equal(y.sum(axis=0), np.ones(4))
    assert [int(np.argmax(y[:, i])) for i in range(4)] == [2, 0, 1, 2]
    assert one_hot(np.array([], dtype=int), 2).shape == (2, 0)


def test_digits_are_scikit_learns_scaled_split_and_shuffled_by_rng():
    from sklearn.datasets import load_digits

    d = digits(np.random.default_rng(0))
    raw = load_digits()
    assert d.x_train.shape == (64, 1348) and d.x_test.shape == (64, 449)
    assert d.x_train.min() == 0.0 and d.x_train.max() == 1.0  # 0..16 scaled by 16
    # every image of the split is one of scikit-learn's, and none is in both halves
    train = {tuple(np.round(c * 16).astype(int)) for c in d.x_train.T}
    test = {tuple(np.round(c * 16).astype(int)) for c in d.x_test.T}
    known = {tuple(r.astype(int)) for r in raw.data}
    assert train <= known and test <= known
    assert np.array_equal(digits(np.random.default_rng(0)).x_test, d.x_test)
    assert not np.array_equal(digits(np.random.default_rng(1)).x_test, d.x_test)


def test_xor_and_two_moons():
    x, y = xor()
    assert np.array_equal(y[0], np.logical_xor(x[0], x[1]).astype(float))
    xm, ym = two_moons(200, np.random.default_rng(0), noise=0.0)
    assert xm.shape == (2, 200) and set(np.unique(ym)) == {0.0, 1.0}
    upper = xm[:, ym[0] == 0]  # without noise the first moon lies on the unit circle
    np.testing.assert_allclose(np.hypot(upper[0], upper[1]), 1.0, rtol=1e-12)


def test_mazur_222_is_the_published_network():
    W, b, x, t = mazur_222()
    assert W[1][0, 0] == 0.15 and W[2][1, 1] == 0.55 and b[1][0, 0] == 0.35 and b[2][1, 0] == 0.60
    assert x[:, 0].tolist() == [0.05, 0.10] and t[:, 0].tolist() == [0.01, 0.99]
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.1, got 0\.\.2"):
        one_hot(np.array([0, 2]), 2)

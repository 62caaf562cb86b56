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


def test_evan_moon_222_reproduces_the_posts_printed_forward_pass():
    """The post printed its forward pass to two decimals: the weights must give those digits
    (an independent check of the weights read from its sums, and of the one inferred)."""
    from bplib.data import evan_moon_222
    from bplib.functions import sigmoid

    W1, w2_row, x, t = evan_moon_222()
    assert x[:, 0].tolist() == [0.2, 0.5] and t[:, 0].tolist() == [0.2, 0.7]
    z1 = W1 @ x
    np.testing.assert_allclose(z1[:, 0], [0.17, 0.09], rtol=0, atol=1e-15)  # the post's sums
    a1 = sigmoid.f(z1)
    z20 = (w2_row @ a1)[0, 0]
    a20 = sigmoid.f(np.array(z20))
    published = {"a_10": 0.54, "a_11": 0.52, "z_20": 0.27, "a_20": 0.57}
    computed = {"a_10": a1[0, 0], "a_11": a1[1, 0], "z_20": z20, "a_20": a20}
    for name, value in published.items():
        assert round(float(computed[name]), 2) == value, (name, computed[name])
    # the inferred w^1_20 = 0.1 is the only one-decimal weight that prints z_20 = 0.27
    fits = [w for w in np.round(np.arange(0.0, 1.01, 0.1), 1)
            if round(float(0.4 * a1[0, 0] + w * a1[1, 0]), 2) == 0.27]
    assert fits == [w2_row[0, 1]]

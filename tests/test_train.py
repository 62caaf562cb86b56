"""Gradient descent: update counts, and learning on real and generated data."""

import numpy as np
import pytest

from bplib.data import digits, one_hot, two_moons, xor
from bplib.mlp import MLP
from bplib.rnn import RNN
from bplib.train import accuracy, gradient_descent, updates_per_epoch


@pytest.mark.parametrize("B, expected", [(None, 1), (1000, 1), (100, 10), (7, 143), (1, 1000)])
def test_updates_per_epoch_for_1000_examples(B, expected):
    rng = np.random.default_rng(0)
    net = MLP([2, 3, 1], rng=rng)
    x, y = rng.normal(size=(2, 1000)), rng.uniform(size=(1, 1000))
    result = gradient_descent(net, x, y, lr=0.01, epochs=2, batch_size=B, rng=rng)
    assert result.updates_per_epoch == expected == updates_per_epoch(1000, B or 1000)
    assert result.updates == 2 * expected and len(result.losses) == 3


def test_digits_reaches_a_stated_accuracy():
    """Measured with these seeds: 96.4% test accuracy after 30 epochs (0.8 s). Floor: 90%."""
    d = digits(np.random.default_rng(0))
    net = MLP([64, 30, 10], activation="sigmoid", cost="cross_entropy", rng=np.random.default_rng(1))
    result = gradient_descent(net, d.x_train, d.y_train, lr=0.5, epochs=30, batch_size=10,
                              rng=np.random.default_rng(2), x_test=d.x_test, y_test=d.y_test)
    assert result.test_accuracy[-1] > 0.90
    assert result.losses[-1] < 0.2 * result.losses[0]
    assert d.x_train.shape == (64, 1348) and d.x_test.shape == (64, 449)


def test_xor_and_two_moons_are_learned():
    x, y = xor()
    net = MLP([2, 4, 1], activation="tanh", cost="cross_entropy", output_activation="sigmoid",
              rng=np.random.default_rng(3))
    gradient_descent(net, x, y, lr=1.0, epochs=2000)
    assert np.array_equal(net.predict(x).round(), y)
    xm, ym = two_moons(300, np.random.default_rng(4))
    net = MLP([2, 16, 2], activation="tanh", cost="log_likelihood", output_activation="softmax",
              rng=np.random.default_rng(5))
    yy = one_hot(ym[0].astype(int), 2)
    gradient_descent(net, xm, yy, lr=0.5, epochs=200, batch_size=20, rng=np.random.default_rng(6))
    assert accuracy(net, xm, yy) > 0.95


def test_training_an_rnn_lowers_its_loss():
    rng = np.random.default_rng(7)
    xs = rng.normal(size=(6, 1, 200))
    y = xs.sum(axis=0)  # remember the running sum
    net = RNN(1, 8, 1, rng)
    result = gradient_descent(net, xs, y, lr=0.05, epochs=30, batch_size=20, rng=rng)
    assert result.losses[-1] < 0.2 * result.losses[0]


def test_bad_arguments():
    net = MLP([2, 1], rng=np.random.default_rng(0))
    x, y = np.zeros((2, 10)), np.zeros((1, 10))
    with pytest.raises(ValueError, match="lr must be > 0, got -1"):
        gradient_descent(net, x, y, lr=-1, epochs=1)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        gradient_descent(net, x, y, lr=0.1, epochs=1, batch_size=2)
    with pytest.raises(ValueError, match=r"y must hold as many examples \(last axis\) as x \(10\), got 9"):
        gradient_descent(net, x, np.zeros((1, 9)), lr=0.1, epochs=1)
    with pytest.raises(ValueError, match="labels must lie in 0..2"):
        one_hot(np.array([0, 3]), 3)


def test_an_epoch_in_order_is_the_same_steps_taken_by_hand():
    from bplib.train import sgd_epoch

    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(3, 10)), rng.uniform(size=(2, 10))
    a, b = MLP([3, 4, 2], rng=np.random.default_rng(1)), MLP([3, 4, 2], rng=np.random.default_rng(1))
    result = gradient_descent(a, x, y, lr=0.5, epochs=1, batch_size=4, shuffle=False)
    for start in (0, 4, 8):  # the checked public API, one batch at a time
        b.step(b.backward(x[:, start:start + 4], y[:, start:start + 4]), 0.5)
    for k, p in a.params().items():
        np.testing.assert_allclose(p, b.params()[k], rtol=1e-14, atol=1e-15)
    assert result.updates == 3 and len(result.losses) == 2 and result.losses[1] < result.losses[0]
    assert sgd_epoch(a, x, y, lr=0.5, batch_size=10) == 1


def test_a_diverging_run_stops_with_a_clear_error_and_no_warning():
    import warnings

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(2, 8)), rng.normal(size=(1, 8))
    net = MLP([2, 8, 1], activation="relu", output_activation="identity", rng=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a NumPy overflow warning would fail here
        with pytest.raises(ValueError, match="NaN or Inf|must be finite"):
            gradient_descent(net, x, y * 1e150, lr=1e150, epochs=3)

"""The BP1-BP4 chapter's explorers (bplib.explorers.bp_equations): the size of delta per
layer, and the recorded training run."""

from __future__ import annotations

import numpy as np
import pytest

from bplib.data import digits
from bplib.explorers import (
    TRAIN_SIZES,
    deltas_explorer,
    deltas_state,
    training_explorer,
    training_record,
    training_state,
)
from bplib.gradcheck import numerical_gradient, rel_error
from bplib.mlp import MLP


def test_deltas_state_bp4_matches_finite_differences_and_saturation_shrinks_delta():
    st = deltas_state(1.0)
    assert rel_error(st["dw_bp"], st["dw_fd"]) < 1e-6
    big, small = deltas_state(8.0), deltas_state(0.2)
    # large weights saturate the sigmoids: sigma' falls in every hidden layer
    assert np.all(big["sigma_prime"][:-1] < st["sigma_prime"][:-1])
    # small weights: each step back multiplies by about scale * sigma' < 1, so delta vanishes
    assert np.all(np.diff(small["delta_norm"]) > 0)
    assert small["delta_norm"][0] / small["delta_norm"][-1] < 1e-4


def test_larger_weights_more_than_compensate_saturation():
    """The honest finding the explorer shows, over every setting of its static copy: as the
    scale grows sigma' falls, yet ||delta^1|| / ||delta^L|| grows (up to about 8, where it
    levels off), from a vanishing 1e-5 to about a third."""
    scales = deltas_explorer().static_values()[0]
    states = [deltas_state(s) for s in scales]
    ratio = np.array([s["delta_norm"][0] / s["delta_norm"][-1] for s in states])
    sigma = np.array([np.mean(s["sigma_prime"][:-1]) for s in states])
    assert np.all(np.diff(sigma) < 0)
    assert np.all(np.diff(ratio[scales <= 7.6]) > 0) and ratio[-1] > 0.99 * ratio.max()
    assert ratio[0] < 1e-4 < 0.2 < ratio[-1]
    caption = deltas_explorer(scale=8.0).caption()
    assert f"{ratio[-1]:.2e}" in caption and f"{sigma[-1]:.3f}" in caption


def test_the_recorded_run_is_one_seeded_run():
    rec = training_record()
    assert rec is training_record()  # recorded once, shared by the live and static views
    assert rec.steps.tolist() == list(range(0, 4001, 100))
    assert rec.hist.sum(axis=2).tolist() == [[a * b for a, b in zip(TRAIN_SIZES[1:], TRAIN_SIZES[:-1])]] * 41
    other = training_record(seed=1)
    assert not np.array_equal(other.loss, rec.loss)
    assert rec.loss[-1] < rec.loss[0] / 5 and rec.accuracy[-1] > 0.7


def test_the_first_snapshot_against_central_differences():
    """The recorded norms at step 0, against a network rebuilt from the same seed and a
    gradient by central differences (not by backprop)."""
    rec = training_record()
    rng = np.random.default_rng(0)
    data = digits(rng)
    net = MLP(TRAIN_SIZES, activation="sigmoid", cost="quadratic", rng=rng)
    x, y = data.x_train, data.y_train
    assert rec.loss[0] == pytest.approx(net.loss(x, y), rel=1e-12)
    last = f"W[{net.L}]"
    fd = numerical_gradient(lambda: net.loss(x, y), {last: net.params()[last]})[last]
    assert rec.grad_norm[0, -1] == pytest.approx(np.linalg.norm(fd), rel=1e-6)


def test_early_layers_learn_slower_on_the_plateau_then_catch_up():
    rec = training_record()
    ratio = rec.grad_norm[:, 0] / rec.grad_norm[:, -1]
    plateau = (rec.steps >= 200) & (rec.steps <= 1500)
    assert np.all(ratio[plateau] < 0.2)
    assert np.all(rec.delta_norm[plateau, 0] < rec.delta_norm[plateau, -1] / 10)
    assert np.ptp(rec.loss[plateau]) < 0.01  # a plateau: the cost hardly moves
    assert ratio[-1] > 1  # by the end the first layer's gradient is the larger


def test_training_state_and_explorer():
    st = training_state(2000)
    assert st["i"] == 20 and st["hist"].shape == (4, 40)
    with pytest.raises(ValueError, match="step must be a multiple of 100"):
        training_state(150)
    ex = training_explorer()
    assert ex.sliders[0].max == 4000 and ex.sliders[0].step == 100 and ex.sliders[0].integer
    assert ex.static_values()[0].tolist() == list(range(0, 4001, 100))  # every recorded step
    ex.set(step=4000)
    assert "step 4,000" in ex.caption() and f"{100 * training_record().accuracy[-1]:.0f} %" in ex.caption()

"""One model interface: params(), loss(x, y) and gradients(x, y), on every model, and the
code base's own rules (no private names across modules, no hasattr in train.py)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from bplib.autodiff import MLPModel, ToyModel
from bplib.gradcheck import numerical_gradient, rel_error
from bplib.mlp import MLP
from bplib.rnn import RNN
from bplib.toy import ReLUNet, Toy
from bplib.train import gradient_descent

ROOT = Path(__file__).resolve().parents[1]


def models():
    rng = np.random.default_rng(0)
    x2, y2 = rng.normal(size=(3, 5)), rng.uniform(size=(2, 5))
    xt, yt = rng.uniform(-1, 1, 5), rng.uniform(-1, 1, 5)
    beta, omega = rng.uniform(-1, 1, 4), rng.uniform(-1, 1, 4)
    return {
        "MLP": (MLP([3, 4, 2], rng=rng), x2, y2),
        "MLPModel": (MLPModel([3, 4, 2], rng=rng), x2, y2),
        "Toy": (Toy(beta, omega), xt, yt),
        "ToyModel": (ToyModel(beta, omega), xt, yt),
        "ReLUNet": (ReLUNet([3, 4, 2], rng=rng), x2 + 3.0, y2),
        "RNN": (RNN(3, 4, 2, rng), rng.normal(size=(6, 3, 5)), rng.normal(size=(2, 5))),
    }


@pytest.mark.parametrize("name", list(models()))
def test_every_model_has_params_loss_gradients_and_they_agree_with_finite_differences(name):
    model, x, y = models()[name]
    params, grads = model.params(), model.gradients(x, y)
    assert isinstance(model.loss(x, y), float)
    assert list(grads) == list(params)
    assert all(grads[k].shape == p.shape and p.dtype == np.float64 for k, p in params.items())
    fd = numerical_gradient(lambda: model.loss(x, y), params, h=1e-6)
    for k in params:
        assert np.max(rel_error(grads[k], fd[k], tiny=1e-4)) < 1e-6, (name, k)


@pytest.mark.parametrize("name", list(models()))
def test_gradient_descent_trains_every_model_through_that_interface(name):
    model, x, y = models()[name]
    result = gradient_descent(model, x, y, lr=0.01, epochs=3)
    assert len(result.losses) == 4 and result.losses[-1] < result.losses[0]


@pytest.mark.parametrize("name", list(models()))
def test_the_core_gradients_of_validated_data_are_the_checked_ones(name):
    model, x, y = models()[name]
    core = model.core_gradients(*model.validate(x, y))
    checked = model.gradients(x, y)
    assert list(core) == list(checked) == list(model.params())
    for k in core:
        np.testing.assert_array_equal(core[k], checked[k])


def test_autodiff_models_give_the_hand_written_gradients():
    rng = np.random.default_rng(3)
    net = MLP([3, 4, 2], rng=np.random.default_rng(1))
    auto = MLPModel([3, 4, 2], rng=np.random.default_rng(1))
    x, y = rng.normal(size=(3, 6)), rng.uniform(size=(2, 6))
    for k, g in net.gradients(x, y).items():
        assert np.max(rel_error(auto.gradients(x, y)[k], g)) < 1e-12
    toy, auto_toy = Toy([1, 2, -3, 0.4], [0.1, -0.4, 2, 3]), ToyModel([1, 2, -3, 0.4], [0.1, -0.4, 2, 3])
    xt, yt = rng.uniform(-1, 1, 4), rng.uniform(-1, 1, 4)
    for k, g in toy.gradients(xt, yt).items():
        assert np.max(rel_error(auto_toy.gradients(xt, yt)[k], g)) < 1e-12


def test_train_needs_no_hasattr_and_no_module_uses_anothers_private_names():
    assert "hasattr" not in (ROOT / "bplib" / "train.py").read_text()
    offenders = []
    for path in sorted([*(ROOT / "bplib").glob("*.py"), *(ROOT / "benchmarks").glob("*.py")]):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            for match in re.finditer(r"(\w+)\._[a-z]\w*", code):
                owner = match.group(1)
                own = ("self", "cls", "node", "parent", "out", "other", "n")  # autodiff.Value's graph links
                if owner in own or "_repr_" in match.group(0):
                    continue  # a class's own attributes, or IPython's display protocol
                offenders.append(f"{path.name}:{n}: {match.group(0)}")
            if re.search(r"from \.?_[a-z]\w* import|import _[a-z]", code):
                offenders.append(f"{path.name}:{n}: {code.strip()}")
    assert not offenders, offenders

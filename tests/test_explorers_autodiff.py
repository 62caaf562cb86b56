"""The autodiff chapter's explorer (bplib.explorers.autodiff): the engine's adjoints."""

from __future__ import annotations

import numpy as np
import pytest

from bplib.explorers import graph_explorer, graph_state
from bplib.gradcheck import central_difference, rel_error
from bplib.toy import TOY_BETA, TOY_OMEGA, Toy


def test_graph_state_engine_adjoints_equal_the_hand_written_backward_pass():
    st = graph_state(0.7)
    assert np.max(rel_error(st["adjoints"], st["hand"])) < 1e-12
    assert st["values"][-1] == pytest.approx(Toy(TOY_BETA, TOY_OMEGA).loss(0.7, 2.0), rel=1e-14)
    assert st["names"] == ["f0", "h1", "f1", "h2", "f2", "h3", "f3", "loss"]


def test_graph_state_omega0_adjoint_against_central_differences():
    st = graph_state(-1.3)

    def loss(w0):
        return Toy(TOY_BETA, [float(w0), *TOY_OMEGA[1:]]).loss(-1.3, 2.0)

    fd = float(central_difference(loss, np.array(TOY_OMEGA[0])))
    assert st["domega0"] == pytest.approx(fd, rel=1e-6)


def test_graph_explorer_writes_each_node_value():
    ex = graph_explorer(x=1.0)
    st = graph_state(1.0)
    assert [t.get_text() for t in ex.artists["vals"]] == [f"{v:.3g}" for v in st["values"]]

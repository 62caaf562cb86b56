"""The 2-2-2 chapter's explorer (bplib.explorers.network_222): Mazur's published numbers,
and labels legible on a desktop and on a 390 px phone."""

from __future__ import annotations

import pytest

from bplib.explorers import network_explorer, network_state

PHONE_COLUMN = 345  # px: the article column at 390 px, less the dark-mode card's padding


def test_network_state_reproduces_the_published_example():
    st = network_state(0.05)  # Mazur's input (0.05, 0.10)
    assert st["E"] == pytest.approx(0.298371109, abs=5e-10)
    assert st["dW2"][0, 0] == pytest.approx(0.082167041, abs=5e-10)
    assert st["dW1"][0, 0] == pytest.approx(0.000438568, abs=5e-10)
    assert network_state(0.5)["E"] != st["E"]


def test_network_labels_are_at_least_11_px_at_1280_and_at_390():
    ex = network_explorer()
    width, _ = ex.canvas.get_width_height()
    assert ex.min_text_px() >= 11  # a desktop column (688 px) shows the image at its size
    assert ex.min_text_px() * min(1.0, PHONE_COLUMN / width) >= 11, (ex.min_text_px(), width)
    labels = [t.get_text() for t in ex.artists["labels"].values()]
    assert "+0.0822" in labels and "+0.0004" in labels  # dE/dw5 and dE/dw1 as published, rounded

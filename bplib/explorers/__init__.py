"""The book's explorers: for each chapter, a pure state function and a view.

One module per chapter; the framework is :mod:`bplib.explorers.base`, figure helpers
are :mod:`bplib.explorers.figures`. Each ``*_state`` function is the tested part
(numbers in, numbers out); each ``*_explorer`` wires it to
:class:`~bplib.explorers.base.Explorer`: live sliders in Jupyter, a scrubbable copy
with every slider in the static book. Models and their constants live in the model
modules (:mod:`bplib.toy`, :mod:`bplib.rnn`, :mod:`bplib.mlp`), not here.

=====================  =============================================  =============
chapter                explorer                                       live sliders
=====================  =============================================  =============
why-backprop           :func:`gradient_cost_explorer`                 1
chain-rule             :func:`chain_rule_explorer`                    1
sigmoid                :func:`sigmoid_explorer`                       1
network-222            :func:`network_explorer`                       1
bp-equations           :func:`deltas_explorer`, :func:`training_explorer`  1 + 1
toy-model              :func:`toy_explorer`                           8
bptt                   :func:`bptt_explorer`                          3
autodiff               :func:`graph_explorer`                         1
=====================  =============================================  =============
"""

from .autodiff import CHAIN, graph_explorer, graph_state
from .base import FRAMES_DIR, FRAMES_ENV, FRAMES_KEY, Explorer, Slider, StaticCopy
from .bp_equations import (
    DELTA_SIZES,
    TRAIN_SIZES,
    TrainingRecord,
    deltas_explorer,
    deltas_state,
    training_explorer,
    training_record,
    training_state,
)
from .bptt import BPTT_MAX_T, bptt_explorer, bptt_state
from .chain_rule import chain_rule_explorer, chain_rule_state
from .figures import chain_diagram, duration
from .network_222 import network_explorer, network_state
from .sigmoid import sigmoid_explorer, sigmoid_state
from .toy_model import TOY_H, toy_explorer, toy_state
from .why_backprop import gradient_cost_explorer, gradient_cost_state, mlp_param_count

__all__ = [
    "EXPLORERS", "CHAPTER_EXPLORERS", "Explorer", "Slider", "StaticCopy", "FRAMES_DIR", "FRAMES_ENV",
    "FRAMES_KEY", "sigmoid_state", "sigmoid_explorer", "gradient_cost_state", "gradient_cost_explorer",
    "mlp_param_count", "chain_rule_state", "chain_rule_explorer", "network_state", "network_explorer",
    "DELTA_SIZES", "deltas_state", "deltas_explorer", "TRAIN_SIZES", "TrainingRecord", "training_record",
    "training_state", "training_explorer", "TOY_H", "toy_state", "toy_explorer", "BPTT_MAX_T",
    "bptt_state", "bptt_explorer", "CHAIN", "graph_state", "graph_explorer", "chain_diagram", "duration",
]

# Every explorer of the book by chapter (the file name in chapters/), in book order.
CHAPTER_EXPLORERS = {
    "why-backprop": ["gradient_cost_explorer"],
    "chain-rule": ["chain_rule_explorer"],
    "sigmoid": ["sigmoid_explorer"],
    "network-222": ["network_explorer"],
    "bp-equations": ["deltas_explorer", "training_explorer"],
    "toy-model": ["toy_explorer"],
    "bptt": ["bptt_explorer"],
    "autodiff": ["graph_explorer"],
}
EXPLORERS = [name for names in CHAPTER_EXPLORERS.values() for name in names]

"""bplib: the small library behind *Backpropagation, Executed*.

Each module is one idea of the book, introduced by one chapter:

- ``functions``: the one table of elementwise functions (value, derivative, derivative
  from the value, SymPy form) that activations, the toy model and autodiff share
- ``activations``: the networks' activations, checked, over that table (and softmax)
- ``costs``: cost functions, each owning its output error delta^L (BP1)
- ``layers``: containers indexed by layer number, as in the book (``W[1]`` is W^1)
- ``mlp``: a fully connected network trained by BP1-BP4
- ``toy``: Prince's modular toy model and its vector (ReLU) form
- ``rnn``: a many-to-one RNN and backpropagation through time
- ``autodiff``: a micrograd-style reverse-mode engine, and the two models on it
- ``gradcheck``: central differences and gradient checks
- ``equality``: deciding an equality: proved, refuted, checked numerically, undecided
- ``derive``: executable derivations, every step decided; ``render`` lays them out
- ``page``: checked equations and computed numbers, glued onto the page
- ``train``, ``data``: gradient descent and small offline data sets
- ``exercises``: checks of a reader's answers
- ``explorers``: a package, one module per chapter's explorer over its framework
  ``explorers.base`` (live sliders in Jupyter, every slider scrubbable in the static book)
- ``validate``: the input checks at the public boundary

Every model has one interface: ``params()`` (the live arrays), ``loss(x, y)`` and
``gradients(x, y)`` (keyed like ``params()``). Each model's algorithm is an unchecked
core (``feedforward``, ``backprop``) that reads as the equations and is what the
chapters show; its public methods (``forward``, ``backward``, ``loss``, ...) check a
user's input once, then call the core.
"""

from . import activations, costs, derive, equality, functions, gradcheck
from .derive import Derivation, DerivationError, check_sizes
from .gradcheck import (
    GradientCheckError,
    central_difference,
    check_derivative,
    check_gradients,
    check_model,
    rel_error,
)
from .mlp import MLP
from .rnn import RNN
from .toy import ReLUNet, Toy

__version__ = "0.1.0"

__all__ = [
    "activations",
    "costs",
    "derive",
    "equality",
    "functions",
    "gradcheck",
    "Derivation",
    "DerivationError",
    "check_sizes",
    "GradientCheckError",
    "central_difference",
    "check_derivative",
    "check_gradients",
    "check_model",
    "rel_error",
    "MLP",
    "RNN",
    "ReLUNet",
    "Toy",
]

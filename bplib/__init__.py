"""bplib: the small library behind *Backpropagation, Executed*.

Each module is one idea of the book:

- ``activations``: activation functions with derivative and SymPy form
- ``costs``: cost functions with gradient and SymPy form
- ``gradcheck``: central differences and gradient checks
- ``derive``: executable derivations checked by SymPy
- ``mlp``: a fully connected network trained by BP1-BP4
- ``toy``: Prince's modular toy model and its vector (ReLU) form
- ``rnn``: a many-to-one RNN and backpropagation through time
- ``train``, ``data``: gradient descent and small offline data sets
- ``widgets``, ``explorers``: explorers for Jupyter and the static book
"""

from . import activations, costs, derive, gradcheck
from .derive import Derivation, DerivationError, check_sizes
from .gradcheck import GradientCheckError, central_difference, check_derivative, check_gradients, rel_error
from .mlp import MLP
from .rnn import RNN
from .toy import ReLUNet, Toy

__version__ = "0.1.0"

__all__ = [
    "activations",
    "costs",
    "derive",
    "gradcheck",
    "Derivation",
    "DerivationError",
    "check_sizes",
    "GradientCheckError",
    "central_difference",
    "check_derivative",
    "check_gradients",
    "rel_error",
    "MLP",
    "RNN",
    "ReLUNet",
    "Toy",
]

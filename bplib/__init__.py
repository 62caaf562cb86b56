"""bplib: the small library behind *Backpropagation, Executed*.

Each module is one idea of the book:

- ``activations``: activation functions with derivative and SymPy form
- ``costs``: cost functions with gradient and SymPy form
- ``gradcheck``: central differences and gradient checks
- ``derive``: executable derivations checked by SymPy
"""

from . import activations, costs, derive, gradcheck
from .derive import Derivation, DerivationError, check_sizes
from .gradcheck import GradientCheckError, central_difference, check_gradients, rel_error

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
    "check_gradients",
    "rel_error",
]

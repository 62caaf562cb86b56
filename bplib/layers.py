"""``Layers``: a list indexed by layer number, as in the book's notation.

``W[l]`` is :math:`W^l` for ``l = 1..L``; ``a[0]`` is the input :math:`x`. Python's
0-based lists would make every formula off by one, so layer containers start at
the first layer that has the quantity (1 for W, b, z, delta; 0 for a) and say so
when asked for a layer that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .validate import as_float_array

__all__ = ["Layers"]


class Layers:
    """A sequence indexed by layer ``first..last``; ``[-1]`` is the last layer."""

    __slots__ = ("_items", "_n", "first", "name")

    def __init__(self, items, first: int = 1, name: str = "layer"):
        self._items = list(items)
        self._n = len(self._items)  # fixed: layers are replaced in place, never added
        self.first = first
        self.name = name

    @property
    def last(self) -> int:
        return self.first + self._n - 1

    def _index(self, l: int) -> int:
        if isinstance(l, bool) or not isinstance(l, (int, np.integer)):
            raise TypeError(f"{self.name}[...] must be indexed by a layer number (int), "
                            f"got {type(l).__name__}")
        if l < 0:
            l = self.last + 1 + l
        if not self.first <= l <= self.last:
            extra = " (layer 0 is the input x; it has no weights)" if l == 0 and self.first == 1 else ""
            raise IndexError(f"{self.name}[{l}]: the layer must be in {self.first}..{self.last}, "
                             f"got {l}{extra}")
        return l - self.first

    def __getitem__(self, l):
        if type(l) is int and 0 <= l - self.first < self._n:
            return self._items[l - self.first]  # the common case, without the checks below
        return self._items[self._index(l)]

    def __setitem__(self, l, value):
        i = self._index(l)
        old = self._items[i]
        if isinstance(old, np.ndarray):
            value = as_float_array(value, f"{self.name}[{l}]")  # no complex, NaN or Inf slips in
            if value.shape != old.shape:
                raise ValueError(f"{self.name}[{l}] must have shape {old.shape}, got {value.shape}")
        self._items[i] = value.copy() if isinstance(value, np.ndarray) else value

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def layers(self) -> range:
        """The layer numbers, ``first..last``."""
        return range(self.first, self.last + 1)

    def items(self):
        return zip(self.layers(), self._items)

    def __repr__(self) -> str:
        shapes = ", ".join(f"{l}: {getattr(v, 'shape', v)}" for l, v in self.items())
        return f"{self.name}{{{shapes}}}"

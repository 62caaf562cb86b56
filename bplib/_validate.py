"""Kept only for ``bplib.gradcheck``, which imports the input checks under this old
name; the checks live in :mod:`bplib.validate`. Delete this file once gradcheck
imports ``from .validate``."""

from .validate import as_float_array  # noqa: F401

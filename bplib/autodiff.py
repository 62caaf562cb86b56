r"""A tiny reverse-mode automatic differentiation engine, in the spirit of micrograd.

Introduced in the chapter *From backpropagation to automatic differentiation*.

A :class:`Value` holds a NumPy array (``data``), the gradient of the final scalar
with respect to it (``grad``), the values it was computed from, and a *local*
backward rule. Each operation's backward rule sits beside its forward code. For
``out = op(u, v)`` the rule adds the chain-rule product to each parent:

.. math::

   \bar u \mathrel{+}= \bar{o}\,\frac{\partial\, o}{\partial u}, \qquad
   \bar x := \frac{\partial \ell}{\partial x}\ \text{(the "adjoint" of }x\text{)},

where for elementwise ops the product is a Hadamard product and for ``W @ a`` it is
:math:`\bar W \mathrel{+}= \bar o\, a^T`, :math:`\bar a \mathrel{+}= W^T \bar o`.
:meth:`Value.backward` orders the graph topologically and sweeps it once in reverse,
so every node's adjoint is complete before it is passed on: one backward sweep,
whatever the number of parameters. This is BP1–BP4 without writing them: the
:math:`\delta^l` of the MLP are the adjoints of the nodes :math:`z^l`.

Broadcasting (a bias ``(n, 1)`` added to ``(n, m)``) is undone in the backward pass
by summing the adjoint over the broadcast axes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ._validate import as_float_array

__all__ = ["Value", "stored_bytes", "toy_forward", "mlp_forward"]


def _unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` down to ``shape``: the adjoint of NumPy broadcasting."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Value:
    """A node of the computational graph: ``Value(np.array(...), name="W1")``."""

    __slots__ = ("data", "grad", "_parents", "_backward", "op", "name")

    def __init__(self, data, _parents: tuple = (), op: str = "", name: str = ""):
        if isinstance(data, Value):
            raise TypeError("Value(data): data is already a Value")
        self.data = as_float_array(data, name or (f"the result of {op}" if op else "Value data"))
        self.grad = np.zeros_like(self.data)
        self._parents = _parents
        self._backward: Callable[[], None] = lambda: None
        self.op = op
        self.name = name

    def __repr__(self) -> str:
        label = self.name or self.op or "leaf"
        return f"Value({label}, shape={self.data.shape})"

    @property
    def shape(self) -> tuple:
        return self.data.shape

    @staticmethod
    def _lift(other) -> Value:
        return other if isinstance(other, Value) else Value(other, name="const")

    def _broadcast_check(self, other: Value, op: str) -> None:
        try:
            np.broadcast_shapes(self.shape, other.shape)
        except ValueError:
            raise ValueError(f"{op}: shapes {self.shape} and {other.shape} do not broadcast") from None

    # --- sums and products ------------------------------------------------------------------
    def __add__(self, other) -> Value:
        other = self._lift(other)
        self._broadcast_check(other, "+")
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():  # d(u+v)/du = d(u+v)/dv = 1
            self.grad += _unbroadcast(out.grad, self.shape)
            other.grad += _unbroadcast(out.grad, other.shape)

        out._backward = _backward
        return out

    def __mul__(self, other) -> Value:
        other = self._lift(other)
        self._broadcast_check(other, "*")
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():  # d(uv)/du = v, d(uv)/dv = u (elementwise: Hadamard products)
            self.grad += _unbroadcast(out.grad * other.data, self.shape)
            other.grad += _unbroadcast(out.grad * self.data, other.shape)

        out._backward = _backward
        return out

    def __matmul__(self, other) -> Value:
        other = self._lift(other)
        if self.data.ndim != 2 or other.data.ndim != 2 or self.shape[1] != other.shape[0]:
            raise ValueError(f"@: expected (n, k) @ (k, m), got {self.shape} @ {other.shape}")
        out = Value(self.data @ other.data, (self, other), "@")

        def _backward():  # o = W a: W-bar += o-bar a^T, a-bar += W^T o-bar
            self.grad += out.grad @ other.data.T
            other.grad += self.data.T @ out.grad

        out._backward = _backward
        return out

    def __pow__(self, p) -> Value:
        if not isinstance(p, (int, float)) or isinstance(p, bool):
            raise TypeError(f"**: exponent must be an int or float, got {type(p).__name__}")
        out = Value(self.data**p, (self,), f"**{p}")

        def _backward():  # d(u^p)/du = p u^(p-1)
            self.grad += out.grad * p * self.data ** (p - 1)

        out._backward = _backward
        return out

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other) -> Value:
        return self + (-self._lift(other))

    def __rsub__(self, other) -> Value:
        return self._lift(other) + (-self)

    def __radd__(self, other) -> Value:
        return self + other

    def __rmul__(self, other) -> Value:
        return self * other

    def __truediv__(self, other) -> Value:
        if isinstance(other, Value):
            return self * other**-1
        return self * (1.0 / float(other))

    def sum(self) -> Value:
        out = Value(np.sum(self.data), (self,), "sum")

        def _backward():  # d(sum u)/du_i = 1
            self.grad += np.broadcast_to(out.grad, self.shape)

        out._backward = _backward
        return out

    def mean(self) -> Value:
        return self.sum() / self.data.size

    # --- elementwise functions: value and local derivative side by side --------------------
    def _elementwise(self, op: str, value: np.ndarray, local_derivative: np.ndarray) -> Value:
        out = Value(value, (self,), op)

        def _backward():  # u-bar += o-bar * g'(u), a Hadamard product
            self.grad += out.grad * local_derivative

        out._backward = _backward
        return out

    def sin(self) -> Value:
        return self._elementwise("sin", np.sin(self.data), np.cos(self.data))

    def cos(self) -> Value:
        return self._elementwise("cos", np.cos(self.data), -np.sin(self.data))

    def exp(self) -> Value:
        with np.errstate(over="ignore"):  # an overflow becomes Inf, which Value rejects by name
            e = np.exp(self.data)
        return self._elementwise("exp", e, e)

    def tanh(self) -> Value:
        t = np.tanh(self.data)
        return self._elementwise("tanh", t, 1.0 - t * t)

    def sigmoid(self) -> Value:
        from .activations import sigmoid

        s = sigmoid.f(self.data)
        return self._elementwise("sigmoid", s, s * (1.0 - s))

    def relu(self) -> Value:  # derivative 0 at 0, as bplib.activations.relu
        return self._elementwise("relu", np.maximum(self.data, 0.0), (self.data > 0).astype(float))

    # --- the backward sweep --------------------------------------------------------------------
    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each after all of its parents."""
        order, seen = [], set()
        stack = [(self, False)]
        while stack:  # iterative depth-first search: long chains need no recursion
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node._parents if id(p) not in seen)
        return order

    def backward(self) -> list[Value]:
        """Fill ``grad`` of every node with d(self)/d(node); ``self`` must be a scalar.

        Gradients are recomputed from zero on each call (they do not accumulate across
        calls). Returns the nodes in topological order.
        """
        if self.data.size != 1:
            raise ValueError(f"backward() needs a scalar output, got shape {self.shape}; "
                             "reduce it first, e.g. with .sum() or .mean()")
        order = self.topological_order()
        for node in order:
            node.grad = np.zeros_like(node.data)
        self.grad = np.ones_like(self.data)
        for node in reversed(order):
            node._backward()
        return order


def stored_bytes(order: Iterable[Value]) -> int:
    """Bytes held by the graph's intermediate nodes (not its leaves): what reverse mode
    must keep from the forward pass until the backward sweep."""
    return int(sum(n.data.nbytes for n in order if n._parents))


# --- the two models of the book, written only forwards -----------------------------------------
def toy_forward(beta: list[Value], omega: list[Value], x, y, funcs=("sin", "exp", "cos")) -> Value:
    """Prince's toy model: f_k = beta_k + omega_k h_k, h_{k+1} = g(f_k); loss sum (f_3 - y)^2.

    The nodes f_k, h_k and the loss carry those names (``node.name``)."""
    if len(beta) != 4 or len(omega) != 4:
        raise ValueError(f"beta and omega need 4 entries each, got {len(beta)} and {len(omega)}")
    h = Value(x, name="x")
    for k in range(4):
        f = beta[k] + omega[k] * h
        f.name = f"f{k}"  # Prince's names, so the graph can be read back by name
        if k < 3:
            h = getattr(f, funcs[k])()
            h.name = f"h{k + 1}"
    loss = ((f - Value(y, name="y")) ** 2).sum()
    loss.name = "loss"
    return loss


def mlp_forward(W: dict, b: dict, x, y, activation: str = "sigmoid") -> Value:
    """An MLP with quadratic cost C = mean over columns of 1/2 ||a^L - y||^2."""
    a = Value(x, name="a[0]")
    for l in sorted(W):
        z = W[l] @ a + b[l]
        a = getattr(z, activation)()
    m = a.shape[1]
    return ((a - Value(y, name="y")) ** 2).sum() * (0.5 / m)

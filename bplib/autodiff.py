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

The elementwise operations (``sin``, ``exp``, ``tanh``, ``sigmoid``, ...) take value and
local derivative from the one table :mod:`bplib.functions`. Every value a node holds
is checked to be finite (an overflow is named where it happens), and so is every
adjoint after the sweep: ``(Value(0.0) ** 0.5).backward()`` raises instead of leaving
an infinite gradient behind.

:class:`ToyModel` and :class:`MLPModel` wrap the two graphs in the interface every
bplib model has (``params()``, ``loss(x, y)``, ``gradients(x, y)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from . import functions
from .mlp import MLP
from .toy import Toy
from .validate import as_float_array, check_real, describe

__all__ = ["Value", "stored_bytes", "toy_forward", "mlp_forward", "ToyModel", "MLPModel"]


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
            raise TypeError(f"data must be a number or an array, got a Value ({data!r}): use it directly")
        self.data = as_float_array(data, name or (f"the result of {op}" if op else "data"))
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
        return other if isinstance(other, Value) else Value(other, name="the other operand")

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
        if isinstance(p, Value):
            raise TypeError("the exponent p in u ** p must be a constant number, got a Value")
        p = check_real(p, "the exponent p in u ** p")
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # checked by Value
            value = self.data**p
        out = Value(value, (self,), f"**{p:g}")

        def _backward():  # d(u^p)/du = p u^(p-1); infinite where u = 0 and p < 1: caught by backward()
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
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
        other = check_real(other, "the divisor")
        if other == 0:
            raise ValueError("the divisor must be nonzero, got 0")
        return self * (1.0 / other)

    def sum(self) -> Value:
        out = Value(np.sum(self.data), (self,), "sum")

        def _backward():  # d(sum u)/du_i = 1
            self.grad += np.broadcast_to(out.grad, self.shape)

        out._backward = _backward
        return out

    def mean(self) -> Value:
        return self.sum() / self.data.size

    # --- elementwise functions: value and local derivative side by side --------------------
    def apply(self, g: functions.Elementwise | str) -> Value:
        """g applied elementwise, g an entry (or the name of one) of :mod:`bplib.functions`."""
        g = functions.get(g)
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow: Value names it
            value = g.f(self.data)
        out = Value(value, (self,), g.name)

        def _backward():  # u-bar += o-bar * g'(u), a Hadamard product
            self.grad += out.grad * g.df(self.data)

        out._backward = _backward
        return out

    def sin(self) -> Value:
        return self.apply(functions.sin)

    def cos(self) -> Value:
        return self.apply(functions.cos)

    def exp(self) -> Value:
        return self.apply(functions.exp)

    def tanh(self) -> Value:
        return self.apply(functions.tanh)

    def sigmoid(self) -> Value:
        return self.apply(functions.sigmoid)

    def relu(self) -> Value:  # derivative 0 at 0, as in bplib.functions
        return self.apply(functions.relu)

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
            for parent in node._parents:  # a derivative that does not exist, named where it arose
                if not np.isfinite(parent.grad).all():
                    raise ValueError(f"the gradient must be finite, got Inf or NaN from the backward rule "
                                     f"of {node.op or 'a node'} (its derivative does not exist at "
                                     f"{describe(parent.data)})")
        return order


def stored_bytes(order: Iterable[Value]) -> int:
    """Bytes held by the graph's intermediate nodes (not its leaves): what reverse mode
    must keep from the forward pass until the backward sweep."""
    return int(sum(n.data.nbytes for n in order if n._parents))


# --- the two models of the book, written only forwards -----------------------------------------
def toy_forward(beta: list[Value], omega: list[Value], x, y, funcs=("sin", "exp", "cos")) -> Value:
    """Prince's toy model: f_k = beta_k + omega_k h_k, h_{k+1} = g(f_k); loss sum (f_3 - y)^2.

    The nodes f_k, h_k and the loss carry those names (``node.name``)."""
    for name, vs in (("beta", beta), ("omega", omega)):
        if not isinstance(vs, (list, tuple)) or len(vs) != 4 or not all(isinstance(v, Value) for v in vs):
            raise TypeError(f"{name} must be a list of 4 Values, got {describe(vs)}")
    g = [functions.get(name) for name in funcs]
    h = Value(x, name="x")
    for k in range(4):
        f = beta[k] + omega[k] * h
        f.name = f"f{k}"  # Prince's names, so the graph can be read back by name
        if k < 3:
            h = f.apply(g[k])
            h.name = f"h{k + 1}"
    loss = ((f - Value(y, name="y")) ** 2).sum()
    loss.name = "loss"
    return loss


def mlp_forward(W: dict, b: dict, x, y, activation: str = "sigmoid") -> Value:
    """An MLP with quadratic cost C = mean over columns of 1/2 ||a^L - y||^2."""
    for name, vs in (("W", W), ("b", b)):
        if not isinstance(vs, dict) or not vs or not all(isinstance(v, Value) for v in vs.values()):
            raise TypeError(f"{name} must be a dict {{l: Value}} for the layers l = 1..L, got {describe(vs)}")
    if sorted(W) != sorted(b):
        raise ValueError(f"b must have the layers of W {sorted(W)}, got {sorted(b)}")
    sigma = functions.get(activation)
    a = Value(x, name="x")
    for l in sorted(W):
        z = W[l] @ a + b[l]
        a = z.apply(sigma)
    m = a.shape[1]
    return ((a - Value(y, name="y")) ** 2).sum() * (0.5 / m)


# --- the same models behind the interface every bplib model has ---------------------------------
class ToyModel(Toy):
    """Prince's toy model with gradients from the engine: ``ToyModel(beta, omega, funcs)``.

    Parameters, inputs and checks are :class:`bplib.toy.Toy`'s; ``loss`` and
    ``gradients`` build the graph of :func:`toy_forward` and sweep it backwards."""

    def _graph(self, x, y):
        beta = [Value(b, name=f"beta{k}") for k, b in enumerate(self.beta)]
        omega = [Value(w, name=f"omega{k}") for k, w in enumerate(self.omega)]
        return toy_forward(beta, omega, x, y, [g.name for g in self.funcs]), beta, omega

    def loss(self, x, y) -> float:
        return float(self._graph(*self.validate(x, y))[0].data)

    def gradients(self, x, y) -> dict[str, np.ndarray]:
        return self.core_gradients(*self.validate(x, y))

    def core_gradients(self, x, y) -> dict[str, np.ndarray]:
        loss, beta, omega = self._graph(x, y)
        loss.backward()
        return {"beta": np.array([float(b.grad) for b in beta]),
                "omega": np.array([float(w.grad) for w in omega])}


class MLPModel(MLP):
    """An MLP with gradients from the engine: ``MLPModel(sizes, activation, rng=...)``,
    quadratic cost, one activation in every layer (what :func:`mlp_forward` builds).

    Parameters, inputs and checks are :class:`bplib.mlp.MLP`'s; ``loss`` and
    ``gradients`` build the graph and sweep it backwards."""

    def __init__(self, sizes, activation="sigmoid", *, rng: np.random.Generator):
        super().__init__(sizes, activation, "quadratic", rng=rng)

    def _graph(self, x, y):
        W = {l: Value(self.W[l], name=f"W[{l}]") for l in self.W.layers()}
        b = {l: Value(self.b[l], name=f"b[{l}]") for l in self.b.layers()}
        return mlp_forward(W, b, x, y, self.activation.name), W, b

    def loss(self, x, y) -> float:
        return float(self._graph(*self.validate(x, y))[0].data)

    def gradients(self, x, y) -> dict[str, np.ndarray]:
        return self.core_gradients(*self.validate(x, y))

    def core_gradients(self, x, y) -> dict[str, np.ndarray]:
        C, W, b = self._graph(x, y)
        C.backward()
        return {key: node.grad for l in W for key, node in ((f"W[{l}]", W[l]), (f"b[{l}]", b[l]))}

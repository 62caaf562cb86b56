"""``make bench``: bplib against plain NumPy, PyTorch and numerical differentiation.

Every comparison runs side by side in this one process; implementations are
interleaved and repeated, and medians and ratios are printed (and written to
``benchmarks/results.json``). Figures are from one run on one machine. Nothing
here is asserted: speed is never a unit test.

1. One epoch of mini-batch SGD, 784-30-10 sigmoid, quadratic cost, float64,
   60,000 random MNIST-shaped examples; a fraction is timed and scaled up.
2. A full gradient by central differences (all 23,860 parameters, one example)
   versus one backprop gradient; the hours for an epoch by numerical differentiation.
3. Backward time over forward time in bplib, batches 1, 10, 100, 1000.
4. Many-to-one RNN (hidden 32, input 8, T = 50, batch 64, tanh): forward + BPTT.
5. Each explorer: one update (state + redraw + PNG) along every slider; its static copy
   (frames, files, bytes, seconds to draw it).
6. The derivation checker on the book's hardest step, right and wrong (``benchmarks.checker``).

In 1, "bplib matrix" is one epoch of bplib's training (``bplib.train.sgd_epoch``: the
data validated once, each mini-batch through the unchecked core), and "bplib
backward+step" the public checked API called on every batch.

``--cpu`` times CPU seconds of this process (``time.process_time``) with BLAS and
PyTorch held to one thread each. On a machine shared with other work, wall-clock
medians swing by tens of percent between runs (threads wait for a core); CPU time of
single-threaded code measures the work each implementation does, which is what a
ratio of implementations is about. ``--quick`` repeats 3 times instead of 7.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from bplib.gradcheck import numerical_gradient
from bplib.mlp import MLP
from bplib.rnn import RNN
from bplib.train import sgd_epoch

from . import checker
from .plain_numpy import sgd_step

try:
    import torch
except ImportError:  # optional: not in requirements.txt
    torch = None

N_EPOCH = 60_000
RESULTS = Path(__file__).with_name("results.json")


CLOCK = time.perf_counter  # --cpu: time.process_time
PAUSE = 0.25  # seconds between timed runs: PyTorch's OpenMP threads spin-wait after
# each operation and would otherwise steal the cores from whatever NumPy code runs next


def median_time(fns: dict, repeat: int) -> dict[str, float]:
    """Run each function ``repeat`` times, interleaved in rotating order; median seconds."""
    times: dict[str, list] = {k: [] for k in fns}
    names = list(fns)
    for r in range(repeat):
        # rotate the order each round: the first run after a pause starts cold, and
        # every implementation should take that place equally often
        for name in names[r % len(names):] + names[:r % len(names)]:
            fn = fns[name]
            t = CLOCK()
            fn()
            times[name].append(CLOCK() - t)
            if "PyTorch" in name:
                time.sleep(PAUSE)
    return {k: statistics.median(v) for k, v in times.items()}


def table(title: str, rows: list[tuple], header: tuple) -> None:
    print(f"\n{title}")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, tuple("-" * w for w in widths), *rows]:
        print("  " + "  ".join(str(c).rjust(w) for c, w in zip(r, widths)))


# --- 1. an epoch of mini-batch SGD ---------------------------------------------------------
def epoch_comparison(repeat: int) -> dict:
    rng = np.random.default_rng(0)
    n = 6_000  # timed fraction of the 60,000-example epoch (scaled by 10)
    x, y = rng.normal(size=(784, n)), rng.uniform(size=(10, n))
    lr = 0.1
    out = {}
    for B in (10, 100):
        net = MLP([784, 30, 10], rng=np.random.default_rng(1))
        W1, b1, W2, b2 = (p.copy() for p in net.params().values())
        n_loop = 1_200  # the per-example loop is slow: time a smaller fraction

        xv, yv = net.validate(x, y)  # the data enter once, as gradient_descent takes them

        def bplib_matrix(B=B, net=net):  # one epoch of bplib's training: the unchecked core per batch
            sgd_epoch(net, xv, yv, lr=lr, batch_size=B)

        def bplib_checked(B=B, net=net):  # the public API called on every batch: checks each call
            for s in range(0, n, B):
                net.step(net.backward(x[:, s:s + B], y[:, s:s + B]), lr)

        def bplib_loop(B=B, net=net):
            for s in range(0, n_loop, B):
                net.step(net.backward_loop(x[:, s:s + B], y[:, s:s + B]), lr)

        def plain(B=B):
            for s in range(0, n, B):
                sgd_step(W1, b1, W2, b2, x[:, s:s + B], y[:, s:s + B], lr)

        fns = {"bplib matrix": bplib_matrix, "bplib backward+step": bplib_checked,
               "bplib per-example loop": bplib_loop, "plain NumPy": plain}
        if torch is not None:
            torch.manual_seed(0)
            model = torch.nn.Sequential(torch.nn.Linear(784, 30), torch.nn.Sigmoid(),
                                        torch.nn.Linear(30, 10), torch.nn.Sigmoid()).double()
            opt = torch.optim.SGD(model.parameters(), lr=lr)
            xt, yt = torch.from_numpy(x.T.copy()), torch.from_numpy(y.T.copy())

            def pytorch(B=B):
                for s in range(0, n, B):
                    opt.zero_grad()
                    loss = 0.5 * ((model(xt[s:s + B]) - yt[s:s + B]) ** 2).sum(dim=1).mean()
                    loss.backward()
                    opt.step()

            fns["PyTorch eager"] = pytorch
        t = median_time(fns, repeat)
        epoch = {k: v * N_EPOCH / (n_loop if "loop" in k else n) for k, v in t.items()}
        out[B] = epoch
        rows = [(k, f"{v:.3f}", f"{v / epoch['plain NumPy']:.2f}",
                 f"{v / epoch['PyTorch eager']:.2f}" if "PyTorch eager" in epoch else "-")
                for k, v in epoch.items()]
        table(f"1. One epoch, 784-30-10 sigmoid, batch {B} ({n:,} examples timed, x10; loop: "
              f"{n_loop:,}, x{N_EPOCH // n_loop})", rows, ("implementation", "s/epoch", "/plain", "/PyTorch"))
    return out


# --- 2. numerical differentiation versus backprop ------------------------------------------
def finite_difference_comparison(repeat: int) -> dict:
    rng = np.random.default_rng(2)
    net = MLP([784, 30, 10], rng=rng)
    x, y = rng.normal(size=(784, 1)), rng.uniform(size=(10, 1))
    L, cost, params = net.L, net.cost, net.params()
    h = 1e-5

    def lean_cost():  # the cheapest honest forward pass: the unchecked core, no input checks
        return float(cost.C(net.feedforward(x).a[L], y)[0])

    def numerical():  # bplib's one finite-difference primitive, as every check uses it
        numerical_gradient(lean_cost, params, h)

    def backprop(n=500):
        for _ in range(n):
            net.backward(x, y)

    t_fd = median_time({"fd": numerical}, max(1, repeat // 3))["fd"]
    t_bp = median_time({"bp": backprop}, repeat)["bp"] / 500
    n_params = net.n_params()
    out = {"params": n_params, "fd_s": t_fd, "bp_s": t_bp, "speedup": t_fd / t_bp,
           "fd_epoch_hours": t_fd * N_EPOCH / 3600, "bp_epoch_s": t_bp * N_EPOCH,
           "forward_passes": 2 * n_params}
    table("2. Gradient of one example, 784-30-10 (all parameters)",
          [("central differences", f"{n_params:,}", f"{2 * n_params:,}", f"{t_fd:.3f} s",
            f"{out['fd_epoch_hours']:.1f} h"),
           ("backprop", f"{n_params:,}", "1 + 1 backward", f"{t_bp * 1e6:.0f} us",
            f"{t_bp * N_EPOCH:.1f} s")],
          ("method", "parameters", "forward passes", "per gradient", "60,000 examples"))
    print(f"  speedup of backprop: {out['speedup']:,.0f}x")
    return out


# --- 3. backward over forward ---------------------------------------------------------------
def backward_forward_ratio(repeat: int) -> dict:
    rng = np.random.default_rng(3)
    net = MLP([784, 30, 10], rng=rng)
    out, rows = {}, []
    for B in (1, 10, 100, 1000):
        x, y = rng.normal(size=(784, B)), rng.uniform(size=(10, B))
        cache = net.forward(x)
        n = max(20, 20_000 // B)

        def fwd(x=x, n=n):
            for _ in range(n):
                net.forward(x)

        def bwd(x=x, y=y, cache=cache, n=n):
            for _ in range(n):
                net.backward(x, y, cache=cache)

        t = median_time({"forward": fwd, "backward": bwd}, repeat)
        out[B] = t["backward"] / t["forward"]
        rows.append((B, f"{t['forward'] / n * 1e6:.1f}", f"{t['backward'] / n * 1e6:.1f}", f"{out[B]:.2f}"))
    table("3. bplib backward / forward (784-30-10; backward given the forward cache)", rows,
          ("batch", "forward us", "backward us", "ratio"))
    return out


# --- 4. RNN ---------------------------------------------------------------------------------
def rnn_comparison(repeat: int) -> dict:
    rng = np.random.default_rng(4)
    n_x, n_h, T, m = 8, 32, 50, 64
    net = RNN(n_x, n_h, 1, rng, activation="tanh")
    xs, y = rng.normal(size=(T, n_x, m)), rng.normal(size=(1, m))
    fns = {"bplib forward + BPTT": lambda: net.bptt(xs, y)}
    if torch is not None:
        W_r = torch.tensor(net.W_r, requires_grad=True)
        W_x = torch.tensor(net.W_x, requires_grad=True)
        W_y = torch.tensor(net.W_y, requires_grad=True)
        xt = torch.from_numpy(np.ascontiguousarray(xs.transpose(0, 2, 1)))  # (T, m, n_x)
        yt = torch.from_numpy(y.T.copy())
        cell = torch.nn.RNN(n_x, n_h, bias=False, nonlinearity="tanh").double()
        with torch.no_grad():
            cell.weight_ih_l0.copy_(W_x)
            cell.weight_hh_l0.copy_(W_r)

        def manual():
            for w in (W_r, W_x, W_y):
                w.grad = None
            s = torch.zeros(m, n_h, dtype=torch.float64)
            for t in range(T):
                s = torch.tanh(s @ W_r.T + xt[t] @ W_x.T)
            loss = 0.5 * ((s @ W_y.T - yt) ** 2).sum() / m
            loss.backward()

        def fused():
            cell.zero_grad()
            W_y.grad = None
            _, s = cell(xt)
            loss = 0.5 * ((s[0] @ W_y.T - yt) ** 2).sum() / m
            loss.backward()

        fns["PyTorch autograd, step loop"] = manual
        fns["PyTorch nn.RNN"] = fused
        # the same gradients, or the comparison would mean nothing
        manual()
        ours = net.bptt(xs, y)
        assert np.allclose(W_r.grad.numpy(), ours.dW_r) and np.allclose(W_x.grad.numpy(), ours.dW_x)
    t = median_time({k: (lambda f=f: [f() for _ in range(20)]) for k, f in fns.items()}, repeat)
    base = t["bplib forward + BPTT"]
    table(f"4. RNN forward + BPTT (hidden {n_h}, input {n_x}, T = {T}, batch {m}, tanh)",
          [(k, f"{v / 20 * 1e3:.2f}", f"{v / base:.2f}") for k, v in t.items()],
          ("implementation", "ms", "/bplib"))
    return {k: v / 20 for k, v in t.items()}


# --- 5. explorers ---------------------------------------------------------------------------
# the why-backprop explorer reads the chapter's measurements; times of that kind (s per gradient)
BENCH_WIDTHS = [1, 2, 4, 8, 16, 30]
BENCH_FD = [0.021, 0.043, 0.085, 0.17, 0.35, 0.68]
BENCH_BP = [3.1e-5, 3.2e-5, 3.5e-5, 4.0e-5, 4.9e-5, 6.1e-5]


def explorer_updates(repeat: int) -> dict:
    """Per explorer: one update (state + redraw + PNG) timed along every slider (the
    median over the slider's static values, then the slowest slider), and the static
    copy: frames, files, bytes and the seconds to draw it."""
    from bplib import explorers

    out, rows = {}, []
    for chapter, names in explorers.CHAPTER_EXPLORERS.items():
        for name in names:
            fn = getattr(explorers, name)
            ex = fn(BENCH_WIDTHS, BENCH_FD, BENCH_BP) if name == "gradient_cost_explorer" else fn()
            start = dict(ex.values)
            per_slider = {}
            for s in ex.sliders:
                values = s.static_values()
                values = values[np.linspace(0, len(values) - 1, min(len(values), 15)).round().astype(int)]

                def sweep(ex=ex, s=s, values=values):
                    for v in values:
                        ex.set(**{s.name: float(v)})
                        ex.png()

                per_slider[s.name] = median_time({"u": sweep}, repeat)["u"] / len(values) * 1e3
                ex.set(**start)
            t = CLOCK()
            copy = ex.static_copy()
            drawn = CLOCK() - t
            worst = max(per_slider, key=per_slider.get)
            out[name] = {"chapter": chapter, "update_ms": per_slider, "worst_ms": per_slider[worst],
                         "sliders": len(ex.sliders), "frames": copy.frames, "files": len(copy.files),
                         "frame_bytes": copy.nbytes, "html_bytes": len(copy.html.encode()),
                         "static_seconds": drawn}
            rows.append((chapter, name, len(ex.sliders), f"{per_slider[worst]:.1f} ({worst})",
                         copy.frames, len(copy.files), f"{copy.nbytes / 1024:.0f} KiB",
                         f"{len(copy.html.encode()) / 1024:.0f} KiB", f"{drawn:.1f}"))
    table("5. Explorer update (state + redraw + PNG; slowest slider) and static copy", rows,
          ("chapter", "explorer", "sliders", "ms/update", "frames", "files", "frame bytes", "HTML",
           "s to draw"))
    return out


def main(argv: list[str]) -> int:
    global CLOCK
    quick, cpu = "--quick" in argv, "--cpu" in argv
    repeat = 3 if quick else 7
    if cpu:
        from threadpoolctl import threadpool_limits

        CLOCK = time.process_time
        threadpool_limits(1)  # BLAS: one thread, for the rest of this process
        if torch is not None:
            torch.set_num_threads(1)
        print("CPU seconds of this process, BLAS and PyTorch on one thread each (--cpu)")
    print(f"bplib benchmarks: Python {platform.python_version()}, NumPy {np.__version__}, "
          f"PyTorch {torch.__version__ if torch else 'not installed (comparisons skipped)'}; "
          f"medians of {repeat} interleaved runs")
    results = {
        "epoch": epoch_comparison(repeat),
        "finite_differences": finite_difference_comparison(repeat),
        "backward_over_forward": backward_forward_ratio(repeat),
        "rnn": rnn_comparison(repeat),
        "explorers": explorer_updates(repeat),
        "checker": checker.main(repeat=3),
    }
    RESULTS.write_text(json.dumps(results, indent=2, default=float))
    print(f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

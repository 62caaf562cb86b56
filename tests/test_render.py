"""bplib.render: the HTML of a derivation and the words that describe a figure."""

from __future__ import annotations

import importlib.util
import io
import re

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bplib.render import DerivationLine, derivation_html, figure_alt

from .conftest import ROOT


def lines():
    return [DerivationLine(r"\sigma'(z)", "=", r"\frac{e^{-z}}{(1+e^{-z})^2}", "quotient rule", "proved"),
            DerivationLine("", "=", r"\sigma(z)(1-\sigma(z))", r"definition of \(\sigma\)", "numerical")]


def test_each_step_is_a_row_with_its_reason_and_a_named_mark():
    out = derivation_html(lines(), "2 steps checked", label="d-sigmoid")
    assert out.startswith('<div class="bplib-derivation mathjax_process" id="d-sigmoid" role="group"')
    steps = re.findall(r'<div class="bplib-step bplib-(\w+)">', out)
    assert steps == ["proved", "numerical"]
    # every step has its four cells, in order, and the mark is spelled out for screen readers
    for cell in ("bplib-lhs", "bplib-rel", "bplib-expr", "bplib-why"):
        assert out.count(f'class="{cell}"') == 2
    assert out.count('aria-hidden="true"') == 2 and out.count('class="bplib-sr"') == 2
    assert "checked numerically" in out and "SymPy reduced" in out
    assert out.index("bplib-steps") < out.index("bplib-derivation-note")


def figure(**setup):
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label=setup.pop("line", "_nolegend_"))
    if setup.pop("legend", False):
        ax.legend()
    ax.set(**setup)
    return fig, ax


def test_a_figure_is_described_by_its_title_then_its_labels():
    fig, _ = figure(title=r"The sigmoid $\sigma$ and $\sin(x^2)$", xlabel="$z$")
    assert figure_alt(fig) == "The sigmoid σ and sin (x^2)"
    fig, _ = figure(line=r"$\sigma'(z)$", legend=True, xlabel="$z$")
    assert figure_alt(fig) == "Plot of σ'(z) against z"
    fig, _ = figure(xlabel="epoch", ylabel="cost")
    assert figure_alt(fig) == "Plot of cost against epoch"
    fig, ax = figure()
    assert figure_alt(fig) == ""  # says nothing: the caller must refuse, not invent
    ax.set_label("A diagram of the chain")
    assert figure_alt(fig) == "A diagram of the chain"
    fig.suptitle("Both panels")  # too short to say what is drawn: the description follows
    assert figure_alt(fig) == "Both panels: A diagram of the chain"
    fig, _ = figure(title="tanh", xlabel="time step $t$", ylabel=r"$\|\delta\|$")
    assert figure_alt(fig) == "tanh: Plot of ‖δ‖ against time step t"


def test_the_build_reads_the_title_back_from_the_png(tmp_path):
    spec = importlib.util.spec_from_file_location("figure_alt_ext", ROOT / "_ext" / "figure_alt.py")
    ext = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ext)
    fig, _ = figure(title="Loss against the weight")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Title": figure_alt(fig)})
    (tmp_path / "a.png").write_bytes(buf.getvalue())
    assert ext.png_title(tmp_path / "a.png") == "Loss against the weight"
    plain = io.BytesIO()
    fig.savefig(plain, format="png")
    (tmp_path / "b.png").write_bytes(plain.getvalue())
    assert ext.png_title(tmp_path / "b.png") == ""
    (tmp_path / "c.png").write_bytes(b"not a png")
    assert ext.png_title(tmp_path / "c.png") == ""


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="outcome must be one of"):
        derivation_html([DerivationLine("a", "=", "b", "why", "probably")])

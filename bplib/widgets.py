"""Explorers: one cell that is a live ipywidgets slider in Jupyter and a scrubbable
figure in the static web book.

Introduced in the chapter *The sigmoid and its derivative*; every chapter's
explorer is built from :class:`Explorer`.

An explorer is split in two:

* a **state function** ``state(**values) -> dict`` (pure: slider values in,
  numbers and arrays out), which is what the tests check;
* a **view**: ``setup(fig) -> artists`` once, then ``update(artists, state)`` on
  every change, which moves the existing artists (no figure is re-created).
  The artists returned by ``setup`` are the moving parts: everything else is drawn
  once into a background that each update restores before drawing only them
  (blitting; ~40 ms per full draw becomes a few ms). An explorer whose update
  changes axes limits or titles passes ``blit=False``.

Displayed in a notebook, an explorer offers two renderings of the same cell:

* ``application/vnd.jupyter.widget-view+json``: sliders and an image widget
  that is redrawn in place on every slider move (needs a kernel);
* ``text/html``: the figure precomputed at ``frames`` values of the first slider,
  with a range input that swaps frames (no kernel, no network, no external JS).

JupyterLab picks the widget; the book's build is told to prefer ``text/html``
(``nb_mime_priority_overrides`` in ``_config.yml``).
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure  # a bare Figure: no pyplot state, no backend switch
from PIL import Image

from .render import figure_alt
from .validate import check_callable, check_int_in_range, check_real

__all__ = ["Slider", "Explorer"]

_ids = itertools.count()
MAX_FRAMES = 200  # precomputed frames of a static explorer: more would bloat the page

# The whole of the static explorer's script: on input, show frame i of the JSON data.
_SCRUB_JS = (
    "var r=this.closest('.bplib-explorer-static'),"
    "d=JSON.parse(r.querySelector('.bplib-frames').textContent),i=+this.value;"
    "r.querySelector('img').src=d.frames[i];"
    "r.querySelector('.bplib-value').textContent=d.values[i];"
    "this.setAttribute('aria-valuetext',this.dataset.name+' = '+d.values[i]);"
    "r.querySelector('.bplib-caption').textContent=d.captions[i];"
)


def _artists_in(obj):
    """Every matplotlib Artist inside a (nested) dict, list or tuple."""
    if isinstance(obj, Artist):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _artists_in(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _artists_in(v)


@dataclass(frozen=True)
class Slider:
    """A numeric control: name, range, step, start value and a label."""

    name: str
    min: float
    max: float
    step: float
    value: float
    label: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"slider name must be a Python identifier (a keyword of the state function), "
                             f"got {self.name!r}")
        for field in ("min", "max", "step", "value"):  # frozen: set through object.__setattr__
            object.__setattr__(self, field, check_real(getattr(self, field), f"slider {self.name}: {field}"))
        if not self.min < self.max:
            raise ValueError(f"slider {self.name}: min {self.min} must be < max {self.max}")
        if not self.min <= self.value <= self.max:
            raise ValueError(f"slider {self.name}: value {self.value} outside [{self.min}, {self.max}]")
        if self.step <= 0:
            raise ValueError(f"slider {self.name}: step must be > 0, got {self.step}")


class Explorer:
    """A figure driven by sliders through a pure state function.

    Parameters
    ----------
    state
        ``state(**values) -> dict``; pure, tested on its own.
    setup
        ``setup(fig) -> artists``: draws the static parts once and returns whatever
        ``update`` needs (lines, texts, bars).
    update
        ``update(artists, state)``: moves the artists to show ``state``.
    sliders
        The controls; the first is the one the static book scrubs through.
    caption
        ``caption(state) -> str``: a line of numbers shown under the figure.
    frames
        How many values of the first slider the static book precomputes.
    """

    def __init__(self, state: Callable[..., dict], setup: Callable, update: Callable,
                 sliders: list[Slider], *, caption: Callable[[dict], str] | None = None,
                 frames: int = 21, figsize=(6.4, 3.2), dpi: int = 80, blit: bool = True):
        if not isinstance(sliders, (list, tuple)) or not sliders:
            raise ValueError(f"sliders must be a non-empty list of Slider, got {sliders!r}")
        if not all(isinstance(s, Slider) for s in sliders):
            raise TypeError(f"sliders must be Slider objects, got {[type(s).__name__ for s in sliders]}")
        for name, fn in (("state", state), ("setup", setup), ("update", update)):
            check_callable(fn, name)
        frames = check_int_in_range(frames, "frames", 2, MAX_FRAMES)
        dpi = check_int_in_range(dpi, "dpi", 10, 600)
        self.state_fn, self.update_fn = state, update
        self.sliders = list(sliders)
        self.values = {s.name: s.value for s in self.sliders}
        self.caption_fn = caption or (lambda st: "")
        self.frames, self.dpi = frames, dpi
        self.fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        self.artists = setup(self.fig)
        self.blit = blit
        self._moving = list(_artists_in(self.artists))
        self._background = None
        if blit:
            for a in self._moving:
                a.set_animated(True)
            self.canvas.draw()  # lays out once; the moving artists are left out
            self.fig.set_layout_engine("none")  # freeze that layout
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        self.state = None
        self._widget = None
        self.redraw()

    # --- model -------------------------------------------------------------
    def set(self, **values) -> dict:
        """Change slider values, recompute the state, move the artists; returns the state."""
        unknown = set(values) - set(self.values)
        if unknown:
            raise ValueError(f"unknown slider(s) {sorted(unknown)}; sliders: {sorted(self.values)}")
        self.values.update({k: check_real(v, k) for k, v in values.items()})
        return self.redraw()

    def redraw(self) -> dict:
        """Recompute the state from the slider values and draw it."""
        self.state = self.state_fn(**self.values)
        self.update_fn(self.artists, self.state)
        if self.blit:
            self.canvas.restore_region(self._background)
            for a in self._moving:
                self.fig.draw_artist(a)
        else:
            self.canvas.draw()
        return self.state

    def png(self) -> bytes:
        """The current drawing as a PNG, quantised to a 64-colour palette (line
        plots lose nothing visible; frames shrink about threefold)."""
        rgba = Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba())
        img = rgba.convert("RGB").quantize(colors=64, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        img.save(out, format="png")
        return out.getvalue()

    # --- live view (ipywidgets) ----------------------------------------------
    def widget(self):
        """The live view: sliders above an image that is redrawn in place."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        image = w.Image(value=self.png(), format="png")
        text = w.HTML(value=html.escape(self.caption_fn(self.state)))
        controls = []
        for s in self.sliders:
            ctl = w.FloatSlider(value=self.values[s.name], min=s.min, max=s.max, step=s.step,
                                description=s.label or s.name, continuous_update=True,
                                readout_format=".3g", style={"description_width": "initial"})

            def on_change(change, name=s.name):
                self.set(**{name: change["new"]})
                image.value = self.png()
                text.value = html.escape(self.caption_fn(self.state))

            ctl.observe(on_change, names="value")
            controls.append(ctl)
        self._widget = w.VBox([*controls, image, text])
        self._widget.add_class("bplib-explorer")
        return self._widget

    # --- static view (self-contained HTML) -------------------------------------
    def frame_values(self) -> np.ndarray:
        s = self.sliders[0]
        return np.linspace(s.min, s.max, self.frames)

    def static_html(self) -> str:
        """Precomputed frames over the first slider, swapped by a range input."""
        s = self.sliders[0]
        keep = dict(self.values)
        frames, captions = [], []
        values = self.frame_values()
        for v in values:
            self.set(**{s.name: v})
            frames.append("data:image/png;base64," + base64.b64encode(self.png()).decode())
            captions.append(self.caption_fn(self.state))
        self.set(**keep)
        start = int(np.argmin(np.abs(values - keep[s.name])))
        uid = f"bplib-explorer-{next(_ids)}"
        data = json.dumps({"frames": frames, "captions": captions,
                           "values": [float(f"{v:.6g}") for v in values]}).replace("</", "<\\/")
        fixed = ", ".join(f"{x.label or x.name} = {self.values[x.name]:.3g}" for x in self.sliders[1:])
        label = html.escape(s.label or s.name)
        note = f"Static copy: {len(values)} precomputed frames"
        if fixed:
            note += "; " + html.escape(fixed)
        note += ". Run this page as a notebook for live sliders."
        shows = figure_alt(self.fig) or "the figure"
        alt = html.escape(f"{shows}, drawn for {s.label or s.name} "
                          "(value and numbers in the caption below)")
        group = html.escape(f"{shows}: explorer")
        name = f"{label}, {len(values)} precomputed frames"
        return f"""<div class="bplib-explorer-static" id="{uid}" role="group" aria-label="{group}">
<script type="application/json" class="bplib-frames">{data}</script>
<div class="bplib-controls"><label>{label}
<input type="range" class="bplib-scrub" min="0" max="{len(values) - 1}" step="1"
 value="{start}" data-name="{label}" aria-label="{name}"
 aria-valuetext="{label} = {values[start]:.6g}" oninput="{_SCRUB_JS}">
<output class="bplib-value">{values[start]:.6g}</output></label></div>
<div><img src="{frames[start]}" alt="{alt}" style="max-width:100%"></div>
<div class="bplib-caption">{html.escape(captions[start])}</div>
<div class="bplib-note"><small>{note}</small></div>
</div>"""

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"Explorer({', '.join(f'{k}={v:.3g}' for k, v in self.values.items())})"
        meta = {"bplib": {"kind": "explorer", "sliders": [s.name for s in self.sliders],
                          "frames": self.frames}}
        return bundle, meta

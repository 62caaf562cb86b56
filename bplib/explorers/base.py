"""The explorer framework: one cell that is a live ipywidgets figure in Jupyter and a
scrubbable figure in the static web book, both drawn by the same code.

Introduced in the chapter *The sigmoid and its derivative*; every chapter's explorer
(one module per chapter in this package) is built from :class:`Explorer`.

An explorer is split in two:

* a **state function** ``state(**values) -> dict`` (pure: slider values in, numbers
  and arrays out), which is what the tests check;
* a **view**: ``setup(fig) -> artists`` once, then ``update(artists, state)`` on every
  change, which moves the existing artists (no figure is re-created). The artists
  returned by ``setup`` are the moving parts: everything else is drawn once into a
  background that each update restores before drawing only them (blitting; ~40 ms
  per full draw becomes a few ms). An explorer whose update changes axes limits or
  titles passes ``blit=False``.

Displayed in a notebook, an explorer offers two renderings of the same cell:

* ``application/vnd.jupyter.widget-view+json``: one ipywidgets slider per
  :class:`Slider` above an image that is redrawn in place (needs a kernel);
* ``text/html``: the **static copy**, for the web book (no kernel, no network).

The static copy
---------------
Every slider of the live widget is a range input of the static copy, with the same
label and range; only the step may be coarser (:meth:`Slider.static_values`, each a
multiple of the live step, always holding the start value and both ends). A state of
eight sliders cannot be precomputed on a full grid, so the copy holds:

* a **sweep** of every slider with the others at their start values (a reader moves
  one slider at a time, as one reads a partial derivative), and
* a full **grid** for each pair of sliders that interact (``grids=[("radius", "T")]``):
  there both move together.

Moving a slider to a setting that was not precomputed returns the sliders it was not
precomputed with to their start values, visibly and announced (``role="status"``).
Each frame is drawn by the same state function, view and caption as the live widget
(``Explorer.set`` then ``png``): nothing is reimplemented in JavaScript, which only
picks a precomputed frame.

Frames are **files of the built site**, loaded lazily: the page carries the first frame
(inline) and each frame's caption; the others are PNG files in
``explorer-frames/<hash>/`` beside the page, fetched by a relative URL when a slider
reaches them (offline, same site; a ``file://`` copy works too). While the book builds
(``_ext/explorer_frames.py`` sets :data:`FRAMES_ENV`), the output's metadata also carries
those files (``metadata["bplib"]["frame_files"]``, see :meth:`StaticCopy.files_json`); the
extension writes them next to the page. (Metadata, not a MIME type of the output: the
book's renderer would warn about a MIME type it does not know, and JupyterLab ignores
output metadata.) In JupyterLab, without a build, the ``text/html`` is only a preview
of the first frame.

Each slider announces its value (``aria-valuetext="ω0 = 0.30"``); each frame's alt
text says what the figure shows, at which values, and its caption.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import math
import os
import string
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure  # a bare Figure: no pyplot state, no backend switch
from matplotlib.text import Text
from PIL import Image

from ..i18n import tr
from ..render import figure_alt
from ..validate import check_callable, check_int_in_range, check_real, describe

__all__ = ["Slider", "Explorer", "StaticCopy", "FRAMES_KEY", "FRAMES_ENV", "FRAMES_DIR",
           "MAX_FRAMES", "MAX_STATIC_VALUES", "MIN_TEXT_PX"]

FRAMES_KEY = "frame_files"  # in a build, metadata["bplib"][FRAMES_KEY] holds the frame files
FRAMES_ENV = "BPLIB_EXPLORER_FRAMES"  # set while the book builds: outputs carry their frame files
FRAMES_DIR = "explorer-frames"  # beside the page: <page dir>/explorer-frames/<hash>/<n>.png
MAX_FRAMES = 1500  # frames of one static copy (a full grid of three sliders would be far more)
MAX_STATIC_VALUES = 101  # static values of one slider
STATIC_TARGET = 41  # values a slider's static step aims at when not given
MIN_TEXT_PX = 11  # the smallest text an explorer may draw, in pixels of its image (10 pt at 80 dpi)

_ids = itertools.count()


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


def _decimals(step: float) -> int:
    """Decimals that write every multiple of ``step`` exactly (0.05 -> 2, 1 -> 0)."""
    for d in range(0, 10):
        if abs(round(step, d) - step) < 1e-9 * max(1.0, abs(step)):
            return d
    return 10


def _on_grid(x: float, origin: float, step: float) -> bool:
    k = (x - origin) / step
    return abs(k - round(k)) < 1e-6


@dataclass(frozen=True)
class Slider:
    """A numeric control: name, range, step, start value and a label.

    ``static_step`` is the step of the static copy (a whole multiple of ``step``;
    None: the smallest multiple that gives at most about 41 values, preferring one
    whose grid holds the start value). A slider whose range, step and value are
    whole numbers is an integer slider.
    """

    name: str
    min: float
    max: float
    step: float
    value: float
    label: str = ""
    static_step: float | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"slider name must be a Python identifier (a keyword of the state function), "
                             f"got {self.name!r}")
        for name in ("min", "max", "step", "value"):  # frozen: set through object.__setattr__
            object.__setattr__(self, name, check_real(getattr(self, name), f"slider {self.name}: {name}"))
        if not self.min < self.max:
            raise ValueError(f"slider {self.name}: min {self.min} must be < max {self.max}")
        if not self.min <= self.value <= self.max:
            raise ValueError(f"slider {self.name}: value {self.value} outside [{self.min}, {self.max}]")
        if self.step <= 0:
            raise ValueError(f"slider {self.name}: step must be > 0, got {self.step}")
        if not _on_grid(self.max, self.min, self.step):
            raise ValueError(f"slider {self.name}: max {self.max} must be min {self.min} plus a whole "
                             f"number of steps {self.step}")
        if self.static_step is not None:
            s = check_real(self.static_step, f"slider {self.name}: static_step", low=0.0, low_open=True)
            if not _on_grid(s, 0.0, self.step) or s < self.step:
                raise ValueError(f"slider {self.name}: static_step must be a whole multiple of step "
                                 f"{self.step}, got {s}")
            object.__setattr__(self, "static_step", s)
        if not isinstance(self.label, str):
            raise TypeError(f"slider {self.name}: label must be a str, got {describe(self.label)}")

    @property
    def text_label(self) -> str:
        return self.label or self.name

    @property
    def integer(self) -> bool:
        return all(float(v).is_integer() for v in (self.min, self.max, self.step, self.value))

    @property
    def decimals(self) -> int:
        return _decimals(self.step)

    def text(self, v: float) -> str:
        """A value as the slider writes it (its step's decimals): 0.3 -> '0.30' for step 0.05."""
        return f"{v:.{self.decimals}f}"

    def _grid(self, step: float) -> list[float]:
        n = int(math.floor((self.max - self.min) / step + 1e-9))
        values = [self.min + i * step for i in range(n + 1)]
        if self.max - values[-1] > 1e-9 * step:
            values.append(self.max)
        return values

    def static_values(self) -> np.ndarray:
        """The values of the static copy: min, max, the start value and a grid between,
        each written as the live slider would reach it (a multiple of ``step``)."""
        n_live = round((self.max - self.min) / self.step)
        if self.static_step is not None:
            step = self.static_step
        else:
            k = max(1, math.ceil(n_live / (STATIC_TARGET - 1)))
            step = self.step * k
            for m in range(k, 2 * k):  # a grid through the start value, if one is close
                if _on_grid(self.value, self.min, self.step * m):
                    step = self.step * m
                    break
        values = self._grid(step)
        if not any(abs(v - self.value) < 1e-9 * max(1.0, step) for v in values):
            values = sorted([*values, self.value])
        values = [round(v, self.decimals + 6) for v in values]
        if len(values) > MAX_STATIC_VALUES:
            raise ValueError(f"slider {self.name}: {len(values)} static values, at most {MAX_STATIC_VALUES}: "
                             "give a coarser static_step")
        return np.array(values)

    def start_index(self, values: np.ndarray) -> int:
        return int(np.argmin(np.abs(values - self.value)))


@dataclass
class StaticCopy:
    """The static copy of an explorer: its HTML (first frame inline) and its frame files.

    ``files`` maps a file name (``"3.png"``) to its bytes; ``directory`` is where they
    belong, relative to the page (``explorer-frames/<hash>``). ``frames`` counts the
    precomputed settings; identical drawings share a file, so ``len(files) <= frames``.
    """

    html: str
    directory: str
    files: dict[str, bytes] = field(repr=False)
    frames: int
    sliders: int

    def files_json(self) -> dict:
        """The frame files as JSON, for the output's metadata (:data:`FRAMES_KEY`)."""
        return {"directory": self.directory,
                "files": {name: base64.b64encode(data).decode() for name, data in self.files.items()}}

    @property
    def nbytes(self) -> int:
        return sum(len(b) for b in self.files.values())


# The static copy's whole script, included once per explorer and run once per page:
# on a slider's input, pick the precomputed frame for the sliders' positions (or return
# the sliders it was not precomputed with to their start), then show its file, caption
# and alt text, and announce the values. No arithmetic of the explorer's own is here.
_SCRUB_JS = r"""
(function () {
  if (window.bplibExplorers) return;
  window.bplibExplorers = true;
  function data(root) {
    if (!root.bplibData) {
      root.bplibData = JSON.parse(root.querySelector("script.bplib-frames").textContent);
      root.bplibData.firstSrc = root.querySelector("img").getAttribute("src");
    }
    return root.bplibData;
  }
  function src(d, n) { return n === 0 ? d.firstSrc : d.dir + d.files[n] + ".png"; }
  function said(d, idx) {
    return d.sliders.map(function (s, i) { return s.label + " = " + s.values[idx[i]]; }).join(", ");
  }
  document.addEventListener("input", function (ev) {
    var input = ev.target;
    if (!input.matches || !input.matches("input.bplib-scrub")) return;
    var root = input.closest(".bplib-explorer-static"), d = data(root);
    var inputs = root.querySelectorAll("input.bplib-scrub");
    var moved = +input.dataset.slider;
    var idx = Array.prototype.map.call(inputs, function (el) { return +el.value; });
    var back = [];
    if (!(idx.join() in d.frames)) {
      // not precomputed: keep the group of the moved slider that keeps most of the others
      var best = null, kept = -1;
      d.groups.forEach(function (g) {
        if (g.indexOf(moved) < 0) return;
        var k = g.filter(function (s) { return idx[s] !== d.sliders[s].start; }).length;
        if (k > kept) { best = g; kept = k; }
      });
      idx.forEach(function (v, s) {
        if (best.indexOf(s) < 0 && v !== d.sliders[s].start) { idx[s] = d.sliders[s].start; back.push(s); }
      });
    }
    var n = d.frames[idx.join()];
    inputs.forEach(function (el, s) {
      var s_ = d.sliders[s];
      el.value = idx[s];
      el.setAttribute("aria-valuetext", s_.label + " = " + s_.values[idx[s]]);
      root.querySelectorAll("output.bplib-value")[s].textContent = s_.values[idx[s]];
    });
    var img = root.querySelector("img");
    img.src = src(d, n);
    img.alt = @ALT@;
    root.querySelector(".bplib-caption").textContent = d.captions[n];
    root.querySelector(".bplib-status").textContent = back.length ? back.map(function (s) {
      return @BACK@;
    }).join(", ") + ": " + d.reset : "";
    [-1, 1].forEach(function (step) {  // the neighbours along the moved slider, fetched ahead
      var next = idx.slice(); next[moved] += step;
      var m = d.frames[next.join()];
      if (m !== undefined && m !== 0) { new Image().src = src(d, m); }
    });
  });
})();
"""


def _js_concat(template: str, values: dict[str, str]) -> str:
    """A translated ``template`` ("{shows}, at {values}. {caption}") as a JavaScript
    expression that joins its text with the expressions ``values`` gives for its fields."""
    parts = []
    for literal, field_name, _spec, _conv in string.Formatter().parse(template):
        if literal:
            parts.append(json.dumps(literal, ensure_ascii=False))
        if field_name is not None:
            parts.append(values[field_name])
    return " + ".join(parts) or '""'


def _alt_template() -> str:
    """A frame's alt text: what the figure shows, at which slider values, and its caption."""
    return tr("{shows}, at {values}. {caption}")


def _js() -> str:
    """The script, one statement per line (a // comment ends at its line), comments dropped;
    the text it writes is in the reader's language."""
    script = (_SCRUB_JS
              .replace("@ALT@", _js_concat(_alt_template(), {"shows": "d.shows", "values": "said(d, idx)",
                                                             "caption": "d.captions[n]"}))
              .replace("@BACK@", _js_concat(tr("{label} back to {value}"), {
                  "label": "d.sliders[s].label", "value": "d.sliders[s].values[idx[s]]"})))
    lines = (line.split("  // ")[0].strip() for line in script.strip().splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def _together(labels: list[str]) -> str:
    """Slider labels that move together: "a with b with c"."""
    text = labels[0]
    for label in labels[1:]:
        text = tr("{first} with {second}").format(first=text, second=label)
    return text


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
        The controls, in the order they are shown.
    caption
        ``caption(state) -> str``: a line of numbers shown under the figure.
    grids
        Pairs (or triples) of slider names whose static copy is a full grid, for
        sliders that interact; every slider also gets its own sweep.
    """

    def __init__(self, state: Callable[..., dict], setup: Callable, update: Callable,
                 sliders: list[Slider], *, caption: Callable[[dict], str] | None = None,
                 grids=(), figsize=(6.4, 3.2), dpi: int = 80, blit: bool = True):
        if not isinstance(sliders, (list, tuple)) or not sliders:
            raise ValueError(f"sliders must be a non-empty list of Slider, got {sliders!r}")
        if not all(isinstance(s, Slider) for s in sliders):
            raise TypeError(f"sliders must be Slider objects, got {[type(s).__name__ for s in sliders]}")
        names = [s.name for s in sliders]
        if len(set(names)) != len(names):
            raise ValueError(f"slider names must differ, got {names}")
        for name, fn in (("state", state), ("setup", setup), ("update", update)):
            check_callable(fn, name)
        if caption is not None:
            check_callable(caption, "caption")
        if isinstance(grids, (str, bytes)) or not isinstance(grids, (list, tuple)):
            raise TypeError(f"grids must be a list of tuples of slider names, got {describe(grids)}")
        self.grids = []
        for g in grids:
            if isinstance(g, (str, bytes)) or not isinstance(g, (list, tuple)) or len(g) < 2:
                raise ValueError(f"each grid must name at least two sliders, got {g!r}")
            unknown = [n for n in g if n not in names]
            if unknown or len(set(g)) != len(g):
                raise ValueError(f"grid {tuple(g)} must name distinct sliders of {names}, got {unknown or g}")
            self.grids.append(tuple(g))
        dpi = check_int_in_range(dpi, "dpi", 10, 600)
        self.state_fn, self.update_fn = state, update
        self.sliders = list(sliders)
        self.values = {s.name: s.value for s in self.sliders}
        self.caption_fn = caption or (lambda st: "")
        self.dpi = dpi
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
        smallest = self.min_text_px()
        if smallest < MIN_TEXT_PX - 0.05:
            raise ValueError(f"explorer text must be at least {MIN_TEXT_PX} px (10 pt at 80 dpi) to be "
                             f"legible, got {smallest:.1f} px: give its fontsize 10 or more")
        n = self.static_frame_count()
        if n > MAX_FRAMES:
            raise ValueError(f"the static copy would hold {n} frames, at most {MAX_FRAMES}: "
                             "coarser static steps or fewer grids")
        if not figure_alt(self.fig):
            raise ValueError("an explorer's figure must say what it shows (its frames' alt text): give "
                             "its axes a title (ax.set_title) or a description (ax.set_label)")

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

    def caption(self) -> str:
        return self.caption_fn(self.state)

    def png(self) -> bytes:
        """The current drawing as a PNG, quantised to a 64-colour palette (line
        plots lose nothing visible; frames shrink about threefold)."""
        rgba = Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba())
        img = rgba.convert("RGB").quantize(colors=64, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        img.save(out, format="png", optimize=False)
        return out.getvalue()

    def describe(self) -> str:
        """What the figure shows, in words (its titles: see :func:`bplib.render.figure_alt`)."""
        return figure_alt(self.fig)

    def min_text_px(self) -> float:
        """The smallest text drawn in the figure, in pixels of the image (at its dpi)."""
        sizes = [t.get_fontsize() for t in self.fig.findobj(Text)
                 if t.get_visible() and t.get_text().strip() and t.figure is not None]
        return min(sizes) * self.dpi / 72 if sizes else float("inf")

    # --- live view (ipywidgets) ----------------------------------------------
    def widget(self):
        """The live view: one slider per Slider above an image that is redrawn in place."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        image = w.Image(value=self.png(), format="png")
        text = w.HTML(value=html.escape(self.caption()))
        controls = []
        for s in self.sliders:
            common = {"description": s.text_label, "continuous_update": True,
                      "style": {"description_width": "initial"},
                      "layout": w.Layout(width="min(100%, 36rem)")}
            if s.integer:
                ctl = w.IntSlider(value=int(self.values[s.name]), min=int(s.min), max=int(s.max),
                                  step=int(s.step), **common)
            else:
                ctl = w.FloatSlider(value=self.values[s.name], min=s.min, max=s.max, step=s.step,
                                    readout_format=f".{s.decimals}f", **common)

            def on_change(change, name=s.name):
                self.set(**{name: change["new"]})
                image.value = self.png()
                text.value = html.escape(self.caption())

            ctl.observe(on_change, names="value")
            controls.append(ctl)
        self._widget = w.VBox([*controls, image, text])
        self._widget.add_class("bplib-explorer")
        return self._widget

    # --- static view ------------------------------------------------------------
    def static_values(self) -> list[np.ndarray]:
        return [s.static_values() for s in self.sliders]

    def static_groups(self) -> list[tuple[int, ...]]:
        """Which sliders move together in the static copy: each alone, then each grid."""
        index = {s.name: i for i, s in enumerate(self.sliders)}
        return [(i,) for i in range(len(self.sliders))] + [tuple(index[n] for n in g) for g in self.grids]

    def static_keys(self) -> list[tuple[int, ...]]:
        """Every precomputed setting, as indices into the static values; the start first."""
        values = self.static_values()
        start = tuple(s.start_index(v) for s, v in zip(self.sliders, values))
        keys = {start: None}
        for group in self.static_groups():
            for combo in itertools.product(*(range(len(values[i])) for i in group)):
                key = list(start)
                for i, j in zip(group, combo):
                    key[i] = j
                keys.setdefault(tuple(key), None)
        return list(keys)

    def static_frame_count(self) -> int:
        sizes = [len(v) for v in self.static_values()]
        total = 1
        for group in self.static_groups():
            total += math.prod(sizes[i] for i in group) - 1  # the start is counted once
        return total  # an upper bound when grids share sliders

    def static_copy(self) -> StaticCopy:
        """Draw every precomputed setting (through :meth:`set`, as the live widget does)
        and lay out the static copy; the explorer's values are left as they were."""
        values = self.static_values()
        keys = self.static_keys()
        keep = dict(self.values)
        pngs, captions = [], []
        try:
            for key in keys:
                self.set(**{s.name: float(v[j]) for s, v, j in zip(self.sliders, values, key)})
                pngs.append(self.png())
                captions.append(self.caption())
        finally:
            self.set(**keep)
        files: dict[str, bytes] = {}
        by_content: dict[bytes, int] = {}
        file_of = []
        for data in pngs:  # identical drawings (e.g. truncation k beyond T) share one file
            n = by_content.setdefault(hashlib.sha256(data).digest(), len(by_content))
            if f"{n}.png" not in files:
                files[f"{n}.png"] = data
            file_of.append(n)
        digest = hashlib.sha256()
        for data in files.values():
            digest.update(data)
        digest.update(json.dumps(captions).encode())
        directory = f"{FRAMES_DIR}/{digest.hexdigest()[:12]}"
        html_ = self._static_html(values, keys, file_of, captions, pngs[0], directory)
        return StaticCopy(html_, directory, files, len(keys), len(self.sliders))

    def _static_html(self, values, keys, file_of, captions, first_png, directory) -> str:
        start = keys[0]
        texts = [[s.text(v) for v in vals] for s, vals in zip(self.sliders, values)]
        shows = self.describe()
        said = ", ".join(f"{s.text_label} = {t[j]}" for s, t, j in zip(self.sliders, texts, start))
        groups = self.static_groups()
        together = [_together([self.sliders[i].text_label for i in g]) for g in groups if len(g) > 1]
        if together:
            reset = tr("in this static copy a slider moves with the others at their start values "
                       "(except {groups}, which move together). Run the page as a notebook to "
                       "combine any values.").format(
                groups="; ".join(together))
        else:
            reset = tr("in this static copy a slider moves with the others at their start values. "
                       "Run the page as a notebook to combine any values.")
        data = {"sliders": [{"name": s.name, "label": s.text_label, "values": t, "start": j}
                            for s, t, j in zip(self.sliders, texts, start)],
                "groups": [list(g) for g in groups],
                "frames": {",".join(map(str, k)): n for n, k in enumerate(keys)},
                "files": file_of, "captions": captions, "dir": directory + "/",
                "shows": shows, "reset": reset}
        blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        uid = f"bplib-explorer-{next(_ids)}"
        controls = []
        for i, (s, t, j) in enumerate(zip(self.sliders, texts, start)):
            label = html.escape(s.text_label)
            controls.append(
                f'<label><span class="bplib-label">{label}</span>'
                f'<input type="range" class="bplib-scrub" min="0" max="{len(t) - 1}" step="1" value="{j}" '
                f'data-slider="{i}" aria-label="{label}" aria-valuetext="{label} = {html.escape(t[j])}">'
                f'<output class="bplib-value" aria-hidden="true">{html.escape(t[j])}</output></label>')
        w, h = self.canvas.get_width_height()
        alt = _alt_template().format(shows=shows, values=said, caption=captions[0])
        n_files = len(set(file_of))
        if together:
            note = tr("Static copy: every slider of the live explorer, {n} frames drawn when the book "
                      "was built and fetched as you move a slider; each slider moves with the others at "
                      "their start values, and {groups} move together. Run this page as a notebook for "
                      "live sliders.").format(
                n=n_files, groups="; ".join(together))
        else:
            note = tr("Static copy: every slider of the live explorer, {n} frames drawn when the book "
                      "was built and fetched as you move a slider; each slider moves with the others at "
                      "their start values. Run this page as a notebook for live sliders.").format(n=n_files)
        widget = f' data-widget="{self._widget.model_id}"' if self._widget is not None else ""
        group = tr("Explorer: {shows}").format(shows=shows)
        return (
            f'<div class="bplib-explorer-static" id="{uid}" role="group" '
            f'aria-label="{html.escape(group)}" '
            f'data-sliders="{len(self.sliders)}"{widget}>\n'
            f'<script type="application/json" class="bplib-frames">{blob}</script>\n'
            f'<div class="bplib-controls">{"".join(controls)}</div>\n'
            f'<img src="data:image/png;base64,{base64.b64encode(first_png).decode()}" width="{w}" '
            f'height="{h}" alt="{html.escape(alt)}" data-min-text-px="{self.min_text_px():.1f}">\n'
            f'<div class="bplib-caption" aria-live="polite">{html.escape(captions[0])}</div>\n'
            f'<div class="bplib-status" role="status"></div>\n'
            f'<div class="bplib-note"><small>{html.escape(note)}</small></div>\n'
            f'<script>{_js()}</script>\n</div>')

    def static_html(self) -> str:
        """The static copy's HTML (its frame files: :meth:`static_copy`)."""
        return self.static_copy().html

    def preview_html(self) -> str:
        """Outside a book build: the current frame and caption, no precomputed frames."""
        shows = self.describe()
        said = ", ".join(f"{s.text_label} = {s.text(self.values[s.name])}" for s in self.sliders)
        alt = _alt_template().format(shows=shows, values=said, caption=self.caption())
        w, h = self.canvas.get_width_height()
        group = html.escape(tr("Explorer: {shows}").format(shows=shows))
        live = tr("Run this cell with a kernel for live sliders; the web book has a scrubbable copy.")
        return (f'<div class="bplib-explorer-preview" role="group" aria-label="{group}">'
                f'<img src="data:image/png;base64,{base64.b64encode(self.png()).decode()}" width="{w}" '
                f'height="{h}" alt="{html.escape(alt)}">'
                f"<div>{html.escape(self.caption())}</div>"
                f"<div><small>{html.escape(live)}</small></div></div>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {})
        meta = {"kind": "explorer", "sliders": [s.name for s in self.sliders]}
        if os.environ.get(FRAMES_ENV):
            copy = self.static_copy()
            bundle["text/html"] = copy.html
            meta |= {"static_sliders": copy.sliders, "frames": copy.frames, "files": len(copy.files),
                     "frame_bytes": copy.nbytes, FRAMES_KEY: copy.files_json()}
        else:
            bundle["text/html"] = self.preview_html()
        bundle["text/plain"] = f"Explorer({', '.join(f'{k}={v:.3g}' for k, v in self.values.items())})"
        return bundle, {"bplib": meta}

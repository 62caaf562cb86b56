"""Sphinx extension of this book: runnable notebooks from the web book.

Two things a reader of the web book can take away:

* every chapter's download menu offers an ``.ipynb``: the notebook as this build
  executed it, **with its outputs** (figures, tables, each explorer's precomputed
  frame and caption), so it reads before it runs. Widget views are dropped from the
  outputs (they need a running kernel); an explorer keeps its first frame and caption
  but not the web book's frame files (they are files of the site, and JupyterLab would
  not run the static copy's script anyway: the sliders are live once the cell runs). Links between
  chapters point at ``.ipynb`` files, and a first cell says in one line how to get
  ``bplib``;
* one bundle, ``downloads/backprop-executed-notebooks.zip``, linked from the intro:
  those notebooks, ``bplib`` as a wheel built from this repository, the exact pins
  the notebooks need (from ``requirements.txt``) and a README with the two commands
  that install it and open JupyterLab.

The sphinx-book-theme offers an ``.ipynb`` only when a launch button (Binder,
JupyterHub, ...) is configured; this book has none, so the notebook is put into
``_sources/`` here and the theme's own menu entry does the rest.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

BUNDLE_DIR = "downloads"
BUNDLE_NAME = "backprop-executed-notebooks"
BUNDLE_ZIP = f"{BUNDLE_DIR}/{BUNDLE_NAME}.zip"
PDF_NAME = "backprop-executed.pdf"
PDF_PATH = f"{BUNDLE_DIR}/{PDF_NAME}"

# What a reader's JupyterLab needs to run the chapters; their dependencies are pinned too.
NOTEBOOK_NEEDS = ["numpy", "scipy", "sympy", "matplotlib", "pillow", "ipywidgets", "ipykernel",
                  "scikit-learn", "jupyterlab", "jupyterlab-myst"]

INSTALL_NOTE = (
    "**To run this notebook** you need `bplib`, the book's library: download "
    f"`{BUNDLE_NAME}.zip` from the book's first page, unzip it, and run "
    "`pip install -r requirements.txt` in its folder."
)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
FRAMES_KEY = "frame_files"  # bplib.explorers.base.FRAMES_KEY, in an output's metadata["bplib"]
STATIC_IMG = re.compile(r"<img [^>]*>")
STATIC_CAPTION = re.compile(r'<div class="bplib-caption"[^>]*>.*?</div>', re.S)
MD_LINK = re.compile(r"\]\((?!\w+:)([^)#\s]+)\.md(#[^)\s]*)?\)")


# --- one chapter as a notebook a reader can take away ------------------------------

def export_notebook(nb: dict) -> dict:
    """The executed notebook as a reader gets it (see the module docstring)."""
    nb = copy.deepcopy(nb)
    for key in ("jupytext", "source_map", "widgets"):  # jupytext pairing, myst-nb internals, widget state
        nb.get("metadata", {}).pop(key, None)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = MD_LINK.sub(lambda m: f"]({m.group(1)}.ipynb{m.group(2) or ''})", src)
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data and WIDGET_VIEW in data and len(data) > 1:
                del data[WIDGET_VIEW]
            bplib_meta = out.get("metadata", {}).get("bplib", {})
            if data and FRAMES_KEY in bplib_meta:
                del bplib_meta[FRAMES_KEY]
                data["text/html"] = explorer_preview("".join(data.get("text/html", "")))
    note = {"cell_type": "markdown", "id": "bplib-install-note", "metadata": {},
            "source": INSTALL_NOTE}
    nb["cells"].insert(0, note)
    return nb


def explorer_preview(static: str) -> str:
    """An explorer's static copy without its frame files: its first frame and caption."""
    img, caption = STATIC_IMG.search(static), STATIC_CAPTION.search(static)
    return ('<div class="bplib-explorer-preview">' + (img.group(0) if img else "")
            + (caption.group(0) if caption else "")
            + "<div><small>Run this cell for live sliders.</small></div></div>")


def is_notebook_page(app, pagename: str) -> bool:
    return "kernelspec" in app.env.metadata.get(pagename, {})


def restore_cached_outputs(app, doctree):
    """Give ``jupyter_execute/<page>.ipynb`` its outputs when the page came from the cache.

    On a cache hit (a chapter whose prose changed but not its code), myst-nb 1.4 merges
    the cached outputs into a new notebook for the page but writes the notebook it read,
    without outputs; the download, the bundle and the chapter tests would then lose the
    outputs. The cached outputs are merged in again here, right after the page is read."""
    docname = app.env.docname
    if "kernelspec" not in app.env.metadata.get(docname, {}):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{docname}.ipynb"
    # Jupyter Book passes its cache's path; its default sits beside the output folder
    cache_path = app.config.nb_execution_cache_path or str(Path(app.outdir).parent / ".jupyter_cache")
    if app.config.nb_execution_mode != "cache" or not executed.exists() or not Path(cache_path).exists():
        return
    import nbformat
    from jupyter_cache import get_cache

    nb = nbformat.read(executed, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or any(c.get("outputs") for c in code):
        return  # executed just now (it has its outputs), or nothing to restore
    try:
        _, merged = get_cache(cache_path).merge_match_into_notebook(nb)
    except KeyError:
        return  # not in the cache: nothing was executed for it
    nbformat.write(merged, executed)


def offer_ipynb(app, pagename, templatename, context, doctree):
    """Put the executed notebook into _sources/ and let the theme's menu offer it."""
    if app.builder.format != "html" or not is_notebook_page(app, pagename):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nb = export_notebook(json.loads(executed.read_text(encoding="utf-8")))
    target.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


# --- the bundle ---------------------------------------------------------------------

def pinned(requirements: Path) -> dict[str, str]:
    """name -> exact version, from the repository's requirements.txt."""
    pins = {}
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonical(name)] = version.strip()
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(needs: list[str], pins: dict[str, str]) -> list[str]:
    """``name==version`` for ``needs`` and everything they require, from the pins."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement

    seen: dict[str, str] = {}
    done: set[tuple[str, str]] = set()
    todo = [(canonical(n), "") for n in needs]   # (package, extra it was asked for with)
    while todo:
        name, extra = todo.pop()
        if (name, extra) in done:
            continue
        done.add((name, extra))
        if name not in pins:
            raise RuntimeError(f"{name} is needed by the notebooks but not pinned in requirements.txt")
        seen[name] = pins[name]
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError as err:
            raise RuntimeError(f"{name} is pinned but not installed: run `make install`") from err
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": extra}):
                todo += [(canonical(req.name), e) for e in ("", *req.extras)]
    return [f"{name}=={version}" for name, version in sorted(seen.items())]


def build_wheel(root: Path, into: Path) -> Path:
    """bplib as a wheel, built offline from a clean copy of the package sources."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(root / name, src / name)
        shutil.copytree(root / "bplib", src / "bplib",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
             "--quiet", "--disable-pip-version-check", "-w", str(into), str(src)],
            capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"building the bplib wheel failed:\n{result.stdout}{result.stderr}")
    return next(into.glob("bplib-*.whl"))


README = """\
# Backpropagation, Executed: the notebooks

Every chapter of the book as a Jupyter notebook, with the outputs of the web
build, plus `bplib` (the book's library, as a wheel) and the exact versions of
everything the notebooks need. Python 3.11 or newer.

In this folder (inside a virtual environment if you like:
`python3 -m venv .venv && . .venv/bin/activate`):

```bash
pip install -r requirements.txt
jupyter lab
```

Open a chapter and choose *Run > Run All Cells*. The explorers' sliders are live
once the notebook runs; equations, references and folded solutions render through
`jupyterlab-myst`, which the first command installs.

Chapters: {chapters}
"""


def build_bundle(app, exception):
    """``downloads/backprop-executed-notebooks.zip`` in the HTML output."""
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.srcdir)
    if not (root / "pyproject.toml").exists() or not (root / "bplib").is_dir():
        return  # a book without the library (the strict-build tests' tiny books)
    outdir = Path(app.outdir)
    names = [d for d in app.env.found_docs if is_notebook_page(app, d)]
    order = {d: i for i, d in enumerate(app.env.toctree_includes.get(app.config.root_doc, []))}
    names.sort(key=lambda d: (order.get(d, len(order)), d))
    notebooks = [outdir / "_sources" / f"{d}.ipynb" for d in names]
    missing = [str(p) for p in notebooks if not p.exists()]
    if missing:
        raise RuntimeError(f"executed notebooks missing from the build: {missing}")
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(root, Path(tmp))
        reqs = closure(NOTEBOOK_NEEDS, pinned(root / "requirements.txt"))
        requirements = ("# Exact pins for running the notebooks (from the book's requirements.txt)\n"
                        + "\n".join(reqs) + f"\n./{wheel.name}\n")
        target = outdir / BUNDLE_ZIP
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".zip.part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
            top = BUNDLE_NAME
            z.writestr(f"{top}/README.md",
                       README.format(chapters=", ".join(p.name for p in notebooks)))
            z.writestr(f"{top}/requirements.txt", requirements)
            z.write(wheel, f"{top}/{wheel.name}")
            for path in notebooks:
                z.write(path, f"{top}/{path.name}")
        partial.replace(target)


def setup(app):
    app.connect("doctree-read", restore_cached_outputs)
    app.connect("html-page-context", offer_ipynb, priority=400)  # before the theme's buttons (501)
    app.connect("build-finished", build_bundle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

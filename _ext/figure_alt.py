"""Sphinx extension of this book: every image says what it shows.

Notebook outputs reach Sphinx as bare images, and Sphinx then writes the image's
file path as its alt text. Here, while the book builds:

1. every kernel that executes a chapter starts with ``_ext/kernel_startup.py``
   (through ``PYTHONSTARTUP``), which writes each matplotlib figure's description
   (``bplib.render.figure_alt``: its titles, else its axis labels and legend) into
   the PNG as a ``Title`` text chunk;
2. when a page's doctree is resolved, an image with no alt text of its own takes
   the caption of the figure around it, else that ``Title`` chunk. An image left
   with nothing to say is a warning, and so fails the book's ``-W`` build: give the
   plot a title (``ax.set_title``) or the cell ``mystnb: image: alt:`` metadata.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
STARTUP = Path(__file__).with_name("kernel_startup.py")


def png_title(path: Path) -> str:
    """The ``Title`` text chunk of a PNG file, or ''."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            return (getattr(im, "text", {}) or {}).get("Title", "").strip()
    except (OSError, ValueError):
        return ""


def _image_file(app, node) -> Path | None:
    uri = node.get("candidates", {}).get("*") or node.get("uri", "")
    if not uri or "://" in uri or uri.startswith("data:"):
        return None
    for base in (Path(app.srcdir), Path(app.outdir)):
        p = (base / uri).resolve()
        if p.is_file():
            return p
    return None


def name_images(app, doctree, docname):
    for node in doctree.findall(nodes.image):
        if node.get("alt", "").strip():
            continue
        figure = node.parent if isinstance(node.parent, nodes.figure) else None
        caption = next(iter(figure.findall(nodes.caption)), None) if figure else None
        alt = caption.astext().strip() if caption is not None else ""
        if not alt:
            path = _image_file(app, node)
            alt = png_title(path) if path else ""
        if alt:
            node["alt"] = alt
        else:
            logger.warning(f"image {node.get('uri')!r} has no alt text, caption or plot title: "
                           "give the plot a title or the cell `mystnb: image: alt:` metadata",
                           location=node, type="bplib", subtype="alt")


def setup(app):
    previous = os.environ.get("PYTHONSTARTUP")
    if previous and Path(previous).resolve() != STARTUP.resolve():
        os.environ["BPLIB_PREVIOUS_PYTHONSTARTUP"] = previous
    os.environ["PYTHONSTARTUP"] = str(STARTUP)
    app.connect("doctree-resolved", name_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension of this book: the static explorers' frames as files of the built site.

An explorer's static copy (``bplib.explorers.base``) puts its first frame inline and
fetches the others, lazily, as ``explorer-frames/<hash>/<n>.png`` relative to the
page. While the book builds:

1. this extension sets ``BPLIB_EXPLORER_FRAMES`` in the build's environment, which
   the kernels executing the chapters inherit: each explorer then renders every frame
   of its static copy and puts the files in its output's metadata,
   ``metadata["bplib"]["frame_files"]`` (a JSON object: the directory and each file
   base64-encoded). The executed notebook (and jupyter-cache) keep them, so
   a chapter served from the cache still has its frames;
2. when a page is written, the files of each of its explorers are written beside it
   (``<outdir>/<page's folder>/explorer-frames/<hash>/``), from the notebook this
   build executed (``_build/jupyter_execute``);
3. when the build finishes, every frame folder that no page refers to is removed,
   and a page that refers to a missing file is a warning (so, under ``-W``, a failure).

The PDF (``_ext/book_pdf.py``) prints each explorer's first frame and caption only;
the notebook downloads (``_ext/book_downloads.py``) drop the frame files and keep the
first frame.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from pathlib import Path

from sphinx.util import logging

from bplib.explorers.base import FRAMES_DIR, FRAMES_ENV, FRAMES_KEY

logger = logging.getLogger(__name__)
DIRECTORY = re.compile(rf"^{re.escape(FRAMES_DIR)}/[0-9a-f]{{12}}$")
FILE = re.compile(r"^\d+\.png$")
FRAMES_JSON = re.compile(r'<script type="application/json" class="bplib-frames">(.*?)</script>', re.S)


def frame_outputs(nb: dict):
    """Every explorer output's frame files in an executed notebook (as JSON)."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            files = (out.get("metadata") or {}).get("bplib", {}).get(FRAMES_KEY)
            if files:
                yield files


def write_frames(app, pagename, templatename, context, doctree):
    if app.builder.format != "html":
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    nb = json.loads(executed.read_text(encoding="utf-8"))
    folder = (Path(app.outdir) / pagename).parent
    for frames in frame_outputs(nb):
        directory = frames.get("directory", "")
        if not DIRECTORY.match(directory):
            logger.warning(f"explorer frames: unexpected directory {directory!r} in {pagename}",
                           type="bplib", subtype="frames")
            continue
        target = folder / directory
        target.mkdir(parents=True, exist_ok=True)
        for name, b64 in frames.get("files", {}).items():
            if not FILE.match(name):
                logger.warning(f"explorer frames: unexpected file name {name!r} in {pagename}",
                               type="bplib", subtype="frames")
                continue
            data = base64.b64decode(b64)
            path = target / name
            if not path.exists() or path.stat().st_size != len(data) or path.read_bytes() != data:
                path.write_bytes(data)


def referenced(html_path: Path) -> list[tuple[str, list[int]]]:
    """The frame folders a built page refers to, each with the file numbers it uses."""
    text = html_path.read_text(encoding="utf-8")
    out = []
    for match in FRAMES_JSON.finditer(text):
        data = json.loads(match.group(1))
        out.append((data["dir"].rstrip("/"), sorted(set(data["files"]))))
    return out


def check_and_prune(app, exception):
    """Every frame a page refers to exists; no frame folder is left that no page uses."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    used: set[Path] = set()
    for page in outdir.rglob("*.html"):
        if "bplib-frames" not in page.read_text(encoding="utf-8"):
            continue
        for directory, files in referenced(page):
            folder = (page.parent / directory).resolve()
            used.add(folder)
            missing = [f"{n}.png" for n in files if not (folder / f"{n}.png").is_file()]
            if missing:
                logger.warning(f"{page.relative_to(outdir)}: explorer frames missing from {directory}: "
                               f"{missing[:3]}{' ...' if len(missing) > 3 else ''}",
                               type="bplib", subtype="frames")
    for root in outdir.rglob(FRAMES_DIR):
        if root.is_dir():
            for folder in root.iterdir():
                if folder.resolve() not in used:
                    shutil.rmtree(folder)


def setup(app):
    os.environ[FRAMES_ENV] = "1"  # inherited by the kernels that execute the chapters
    app.connect("html-page-context", write_frames)
    app.connect("build-finished", check_and_prune)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

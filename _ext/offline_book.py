"""Sphinx extension of this book: keep every page free of assets it does not use.

* Jupyter Book 1 always loads sphinx-thebe (live code cells through a remote
  kernel). This book has no Thebe launch button, so its scripts only add a
  duplicated ``const THEBE_JS_URL`` declaration (a console error) and a CDN URL.
  They are dropped from every page here.
* The pydata theme puts ``fontawesome.js`` (1.45 MB, Font Awesome's whole SVG icon
  set) on every page, for the dozen icons of its header. Its stylesheet already
  carries Font Awesome's CSS and ``@font-face`` rules, so without the script the
  same icons are drawn from the solid webfont (156 KB, fetched only by pages that
  show an icon). The script tag sits in the theme's ``static/webpack-macros.html``;
  this extension writes a copy without it into ``_build/.templates`` and puts that
  folder first on ``templates_path``. If the theme's file changes shape, the build
  warns (and so fails under ``-W``) instead of silently keeping the script.
* MathJax is loaded as the components ``_config.yml`` names (``startup.js`` and
  its loader) rather than as the combined ``tex-chtml.js``: see
  :func:`load_mathjax_as_components`.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)
FONTAWESOME_TAG = re.compile(r"[ \t]*<script[^>]*_static/scripts/fontawesome\.js[^>]*></script>\n?")


def _is_thebe(asset) -> bool:
    name = getattr(asset, "filename", asset) or ""
    body = getattr(asset, "attributes", {}).get("body", "") if hasattr(asset, "attributes") else ""
    return "thebe" in str(name) or "THEBE_JS_URL" in body


def strip_thebe(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def drop_fontawesome_js(app, config):
    import pydata_sphinx_theme

    theme_dir = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    original = (theme_dir / "static" / "webpack-macros.html").read_text()
    trimmed, n = FONTAWESOME_TAG.subn("", original)
    if n != 1:
        logger.warning("offline_book: expected one fontawesome.js <script> in the pydata theme's "
                       f"webpack-macros.html, found {n}; the icon script stays on every page",
                       type="bplib", subtype="assets")
        return
    out = Path(app.outdir).parent / ".templates"
    (out / "static").mkdir(parents=True, exist_ok=True)
    target = out / "static" / "webpack-macros.html"
    if not target.exists() or target.read_text() != trimmed:
        target.write_text(trimmed)
    config.templates_path = [str(out), *config.templates_path]


def load_mathjax_as_components(app, config):
    """sphinx-mathjax-offline points every page at its combined ``tex-chtml.js``
    (1.16 MB, a third of it the context menu). When the book's ``mathjax3_config``
    names the components to load, load them through MathJax's own ``startup.js``
    instead (the same folder, so the same offline copy)."""
    loader = (config.mathjax3_config or {}).get("loader", {})
    if loader.get("load") and str(config.mathjax_path).endswith("tex-chtml.js"):
        config.mathjax_path = str(config.mathjax_path).replace("tex-chtml.js", "startup.js")


def setup(app):
    app.connect("config-inited", drop_fontawesome_js)
    app.connect("config-inited", load_mathjax_as_components, priority=900)
    app.connect("html-page-context", strip_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

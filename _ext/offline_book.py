"""Sphinx extension of this book: keep every page free of assets it does not use.

Jupyter Book 1 always loads sphinx-thebe (live code cells through a remote
kernel). This book has no Thebe launch button, so its scripts only add a
duplicated ``const THEBE_JS_URL`` declaration (a console error) and a CDN URL.
They are dropped from every page here.
"""

from __future__ import annotations


def _is_thebe(asset) -> bool:
    name = getattr(asset, "filename", asset) or ""
    body = getattr(asset, "attributes", {}).get("body", "") if hasattr(asset, "attributes") else ""
    return "thebe" in str(name) or "THEBE_JS_URL" in body


def strip_thebe(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def setup(app):
    app.connect("html-page-context", strip_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx roles of this book.

``{given}`...``` marks a number the page does not compute: an input the reader is
given (a learning rate, Mazur's published weights) or a figure quoted from a source
("20+ hours"). It renders as plain text; the page lint (tests/test_chapter_text.py)
accepts hand-typed numbers only inside it, in code, in math, or glued from a cell.
"""

from __future__ import annotations

from docutils import nodes


def given_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    node = nodes.inline(rawtext, text, classes=["given"])
    return [node], []


def setup(app):
    app.add_role("given", given_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

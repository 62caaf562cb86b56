"""The book's build is strict: a cell that raises, or a broken reference, fails it.

Each test copies the real configuration into a temporary book with one small
chapter and runs the same command as ``make book``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.book, pytest.mark.xdist_group("strict")]

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


def book_flags() -> list[str]:
    """The build flags of `make book`, read from their one place, the Makefile."""
    line = next(ln for ln in (ROOT / "Makefile").read_text().splitlines() if ln.startswith("JB_FLAGS"))
    return line.split(":=", 1)[1].split()


def test_the_flags_are_the_strict_ones():
    assert {"-W", "-n", "--keep-going"} <= set(book_flags())


def build(tmp_path: Path, chapter_body: str) -> subprocess.CompletedProcess:
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copytree(ROOT / "_ext", book / "_ext")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: chapters/page\n")
    (book / "intro.md").write_text("# A tiny book\n\nOne page follows.\n")
    (book / "chapters" / "page.md").write_text(HEADER + chapter_body)
    jb = Path(sys.executable).parent / "jupyter-book"
    return subprocess.run([str(jb), "build", str(book), *book_flags()],
                          capture_output=True, text=True, timeout=300)


def err_log(tmp_path: Path) -> str:
    """The executed notebook's traceback that myst-nb saved, without colour codes."""
    log = next((tmp_path / "book" / "_build" / "html" / "reports").rglob("*.err.log")).read_text()
    return re.sub(r"\x1b\[[0-9;]*m", "", log)


def test_a_good_page_builds(tmp_path):
    result = build(tmp_path, "# Fine\n\n```{code-cell} ipython3\n1 + 1\n```\n")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_a_cell_that_raises_fails_the_build(tmp_path):
    body = "# Broken\n\n```{code-cell} ipython3\nraise RuntimeError('planted')\n```\n"
    result = build(tmp_path, body)
    assert result.returncode != 0
    assert "Executing notebook failed" in result.stdout + result.stderr
    assert "RuntimeError: planted" in err_log(tmp_path)


def test_a_wrong_derivation_step_fails_the_build(tmp_path):
    body = ("# Wrong step\n\n```{code-cell} ipython3\nimport sympy as sp\n"
            "from bplib import Derivation\nz = sp.Symbol('z')\n"
            "Derivation(sp.Derivative(z**2, z), 2*z, 'power rule').step(2*z + 1, 'oops')\n```\n")
    result = build(tmp_path, body)
    assert result.returncode != 0
    log = err_log(tmp_path)
    assert "DerivationError" in log and "step 1 ('oops') does not follow" in log


def test_a_broken_cross_reference_fails_the_build(tmp_path):
    result = build(tmp_path, "# Dangling\n\nSee {ref}`no-such-label` and {eq}`eq-nowhere`.\n")
    assert result.returncode != 0
    assert "no-such-label" in result.stdout + result.stderr


def test_a_warning_printed_by_a_cell_fails_the_build(tmp_path):
    body = "# Noisy\n\n```{code-cell} ipython3\nimport warnings\nwarnings.warn('planted')\n```\n"
    result = build(tmp_path, body)
    assert result.returncode != 0
    assert "stderr was found in the cell outputs" in result.stdout + result.stderr


def test_a_chapter_served_from_the_cache_keeps_its_outputs(tmp_path):
    """When only a chapter's prose changes, its code comes from the execution cache; the
    executed notebook (downloads, the bundle, the chapter tests) must still carry the
    outputs (myst-nb writes it without them; _ext/book_downloads.py restores them)."""
    import nbformat

    body = "# Cached\n\nBefore.\n\n```{code-cell} ipython3\nprint(6 * 7)\n```\n"
    assert build(tmp_path, body).returncode == 0
    page = tmp_path / "book" / "chapters" / "page.md"
    page.write_text(page.read_text().replace("Before.", "After, with other words."))
    jb = Path(sys.executable).parent / "jupyter-book"
    again = subprocess.run([str(jb), "build", str(tmp_path / "book"), *book_flags()],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "Using cached notebook" in again.stdout + again.stderr
    executed = tmp_path / "book" / "_build" / "jupyter_execute" / "chapters" / "page.ipynb"
    outputs = [o for c in nbformat.read(executed, as_version=4).cells for o in c.get("outputs", [])]
    assert outputs and "42" in outputs[0]["text"]

"""Shared fixtures: paths, and executing a chapter as a notebook."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
HTML = ROOT / "_build" / "html"


def toc_chapters() -> list[Path]:
    """Every chapter file named in _toc.yml, in book order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = []
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            files.append(ROOT / f"{ch['file']}.md")
    return files


def is_notebook(path: Path) -> bool:
    """A MyST text notebook (has a kernelspec), not a plain Markdown page."""
    head = path.read_text().split("---", 2)
    return len(head) > 2 and "kernelspec" in head[1]


NOTEBOOK_CHAPTERS = [p for p in toc_chapters() if is_notebook(p)]


def execute_notebook(path: Path, timeout: int = 600):
    """Read a MyST .md chapter with jupytext and run it top to bottom with nbclient."""
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


@pytest.fixture(scope="session")
def in_ci() -> bool:
    return bool(os.environ.get("CI"))

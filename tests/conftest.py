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


EXECUTED = ROOT / "_build" / "jupyter_execute"


def executed_notebook(path: Path):
    """The notebook that `make book` executed for chapter ``path`` (each chapter runs once)."""
    import nbformat

    ipynb = EXECUTED / path.relative_to(ROOT).with_suffix(".ipynb")
    if not ipynb.exists():
        raise FileNotFoundError(f"{ipynb.relative_to(ROOT)} is missing: run `make book` first "
                                "(`make test` does), whose build executes every chapter")
    if ipynb.stat().st_mtime < path.stat().st_mtime:
        raise AssertionError(f"{ipynb.relative_to(ROOT)} is older than {path.name}: run `make book` again")
    return nbformat.read(ipynb, as_version=4)


@pytest.fixture(scope="session")
def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def pytest_terminal_summary(terminalreporter):
    """Print the bad-input table's counts (tests/test_bad_input.py): cases refused clearly,
    and any silent, unclear, wrongly typed or hanging ones. Read from each report's
    user_properties, so the counts survive pytest-xdist's workers."""
    counts: dict[str, int] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for key, value in getattr(report, "user_properties", []):
                if key == "bad_input":
                    counts[value] = counts.get(value, 0) + 1
    if counts:
        total = sum(counts.values())
        order = ["refused", "silent", "unclear", "wrong type", "hang"]
        shown = ", ".join(f"{counts.get(k, 0)} {k}" for k in order)
        terminalreporter.write_sep("-", f"bad-input table: {total} cases: {shown}")

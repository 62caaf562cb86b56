"""Every chapter executes as a notebook, and shows what a chapter must show.

Each chapter is executed once, by the book's build (`make book`, which `make test`
runs first); these tests read the notebooks it executed (``_build/jupyter_execute``).
The evidence is read from the executed outputs, not from the chapter's text:
bplib's Derivation, gradient-check report and Explorer tag their outputs with
``metadata["bplib"]["kind"]``, and a matplotlib figure is an ``image/png`` output.
"""

from __future__ import annotations

import pytest

from .conftest import NOTEBOOK_CHAPTERS

pytestmark = [pytest.mark.book, pytest.mark.xdist_group("chapters")]

# Chapters that teach a derivation must show all four; back matter is plain Markdown.
REQUIRED = {"derivation", "gradcheck", "figure", "explorer"}


def evidence(nb) -> dict[str, int]:
    found: dict[str, int] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"cell raised: {out.get('ename')}"
            meta = out.get("metadata", {}).get("bplib", {})
            kind = meta.get("kind")
            if kind:
                found[kind] = found.get(kind, 0) + 1
            if kind == "derivation":  # strict mode refuses a vacuous step; the page shows none
                assert "vacuous" not in meta.get("outcomes", []), f"a vacuous step: {meta}"
                found["steps"] = found.get("steps", 0) + len(meta.get("outcomes", []))
            if "image/png" in out.get("data", {}) and kind is None:
                found["figure"] = found.get("figure", 0) + 1
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                raise AssertionError(f"a cell wrote to stderr: {out.get('text', '')[:300]}")
    return found


@pytest.mark.parametrize("path", NOTEBOOK_CHAPTERS, ids=lambda p: p.stem)
def test_chapter_executes_and_shows_what_a_chapter_must(path):
    from .conftest import executed_notebook

    nb = executed_notebook(path)
    found = evidence(nb)
    missing = REQUIRED - set(found)
    assert not missing, f"{path.name} shows no {', '.join(sorted(missing))} (found {found})"


def test_every_toc_entry_exists_and_there_are_chapters():
    from .conftest import ROOT, toc_chapters

    files = toc_chapters()
    assert files and all(f.exists() for f in files), [str(f.relative_to(ROOT)) for f in files]
    assert NOTEBOOK_CHAPTERS

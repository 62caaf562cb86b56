"""The notebook bundle the intro links, and the .ipynb in each chapter's download menu.

The bundle is written by ``make book`` (``_ext/book_downloads.py``). Checked as a
reader would use it: unzip it outside the repository, create a fresh virtual
environment, run the README's install command, and execute a chapter with nbclient.
Its contents are checked against the repository (every chapter of _toc.yml, a bplib
wheel with exactly the package's modules, the repository's own pins), and a bundle
without its wheel is refused.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import HTML, NOTEBOOK_CHAPTERS, ROOT

pytestmark = [pytest.mark.book, pytest.mark.xdist_group("bundle")]

BUNDLE = HTML / "downloads" / "backprop-executed-notebooks.zip"
RUN_CHAPTER = "sigmoid"   # the quickest chapter to execute


def bundle_problems(path: Path) -> list[str]:
    """What is missing or wrong in a bundle, compared with this repository."""
    problems = []
    with zipfile.ZipFile(path) as z:
        names = {n.split("/", 1)[1]: n for n in z.namelist() if "/" in n}
        for chapter in NOTEBOOK_CHAPTERS:
            if f"{chapter.stem}.ipynb" not in names:
                problems.append(f"no {chapter.stem}.ipynb")
        wheels = [n for n in names if re.fullmatch(r"bplib-[\w.]+-py3-none-any\.whl", n)]
        if len(wheels) != 1:
            problems.append(f"expected one bplib wheel, found {wheels}")
        else:
            import io

            with zipfile.ZipFile(io.BytesIO(z.read(names[wheels[0]]))) as w:
                modules = {n for n in w.namelist() if n.startswith("bplib/")}
                for module in sorted((ROOT / "bplib").rglob("*.py")):  # subpackages too
                    packed = f"bplib/{module.relative_to(ROOT / 'bplib').as_posix()}"
                    if packed not in modules:
                        problems.append(f"the wheel lacks {packed}")
                    elif w.read(packed) != module.read_bytes():
                        problems.append(f"the wheel's {packed} differs from the repository's")
        if "requirements.txt" not in names:
            problems.append("no requirements.txt")
        else:
            reqs = z.read(names["requirements.txt"]).decode()
            ours = {line.split("==")[0].lower().replace("_", "-"): line.split("==")[1]
                    for line in (ROOT / "requirements.txt").read_text().splitlines()
                    if "==" in line and not line.startswith("#")}
            for line in reqs.splitlines():
                if "==" in line:
                    name, version = line.split("==")
                    if ours.get(name) != version:
                        problems.append(f"{line} is not the repository's pin ({ours.get(name)})")
                elif line and not line.startswith("#") and not line.startswith("./bplib-"):
                    problems.append(f"unpinned requirement {line!r}")
            for need in ("numpy", "jupyterlab", "jupyterlab-myst", "ipykernel", "ipywidgets"):
                if not re.search(rf"^{need}==", reqs, re.M):
                    problems.append(f"{need} not pinned")
            if wheels and f"./{wheels[0]}" not in reqs.splitlines():
                problems.append("requirements.txt does not install the bplib wheel")
        readme = z.read(names["README.md"]).decode() if "README.md" in names else ""
        for command in ("pip install -r requirements.txt", "jupyter lab"):
            if command not in readme:
                problems.append(f"README lacks `{command}`")
    return problems


@pytest.fixture(scope="module")
def bundle():
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: `make book` writes it")
    return BUNDLE


def test_the_intro_links_the_bundle_and_it_holds_what_the_readme_says(bundle):
    assert 'href="downloads/backprop-executed-notebooks.zip"' in (HTML / "intro.html").read_text()
    assert bundle_problems(bundle) == []


def test_a_bundle_without_bplib_is_refused(bundle, tmp_path):
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            if not item.filename.endswith(".whl") and not item.filename.endswith("sigmoid.ipynb"):
                dst.writestr(item, src.read(item))
    problems = "\n".join(bundle_problems(broken))
    assert "expected one bplib wheel" in problems and "no sigmoid.ipynb" in problems


def test_each_chapter_download_is_its_executed_notebook(bundle):
    for chapter in NOTEBOOK_CHAPTERS:
        page = (HTML / "chapters" / f"{chapter.stem}.html").read_text()
        offered = f'href="../_sources/chapters/{chapter.stem}.ipynb"' in page
        assert offered, f"{chapter.stem}: no .ipynb in the download menu"
        nb = json.loads((HTML / "_sources" / "chapters" / f"{chapter.stem}.ipynb").read_text())
        first = nb["cells"][0]
        assert first["cell_type"] == "markdown" and "pip install -r requirements.txt" in first["source"]
        assert "\n" not in first["source"].strip(), "the install note is one line"
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert code and all(c.get("outputs") is not None for c in code)
        assert sum(bool(c["outputs"]) for c in code) > len(code) / 2, "the download carries outputs"
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {})
            if cell["cell_type"] == "markdown":
                assert not re.search(r"\]\([\w-]+\.md[#)]", "".join(cell["source"])), "a link to a .md"


def test_the_bundle_installs_in_a_fresh_venv_and_a_chapter_runs_outside_the_repository(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as z:
        z.extractall(tmp_path)
    folder = tmp_path / "backprop-executed-notebooks"
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # the README's command; --no-compile only skips writing .pyc files (a third of the time)
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-compile",
                              "-r", "requirements.txt"], cwd=folder, env=clean,
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    # everything pip installed is pinned by the bundle (no dependency slipped in unpinned)
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=json"],
                            env=clean, capture_output=True, text=True, check=True).stdout
    pins = dict(line.split("==") for line in (folder / "requirements.txt").read_text().splitlines()
                if "==" in line)
    unpinned = [f"{d['name']}=={d['version']}" for d in json.loads(listed)
                if d["name"] not in ("pip", "setuptools", "bplib")
                and pins.get(re.sub(r"[-_.]+", "-", d["name"]).lower()) != d["version"]]
    assert not unpinned, f"installed without a pin in the bundle's requirements.txt: {unpinned}"
    script = f"""
import json, nbformat, bplib
from nbclient import NotebookClient
assert "site-packages" in bplib.__file__, bplib.__file__
nb = nbformat.read("{RUN_CHAPTER}.ipynb", as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3").execute()
errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
print(json.dumps({{"bplib": bplib.__file__, "cells": len(nb.cells), "errors": len(errors)}}))
"""
    run = subprocess.run([str(python), "-c", script], cwd=folder, env=clean, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["errors"] == 0 and str(tmp_path) in result["bplib"], result
    assert not str(result["bplib"]).startswith(str(ROOT)), "ran against the repository's bplib"

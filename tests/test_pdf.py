"""The whole book as one PDF (``make pdf``), read back with poppler's pdftotext.

The fixture prints the PDF from the HTML build once, exactly as ``make pdf`` does,
into the place the intro links. The tests then read it as a reader would: every
chapter title is there, no raw TeX or MyST directive text is (code listings may
show TeX source: a suspicious line is allowed only where the chapters' code says
it), the maths is typeset (glyphs, not TeX), every figure is embedded, Korean is
set in a CJK font, and every solution is printed unfolded. The Korean edition's PDF
(printed from ``_build/html/ko`` into its own ``downloads/``) has every chapter under its
Korean title, Korean prose and no raw markup.
"""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import HTML, NOTEBOOK_CHAPTERS, ROOT, toc_chapters
from .test_browser import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.book, pytest.mark.xdist_group("pdf")]

RAW = [r"\(", r"\)", r"\[", r"\]", "$$", "\\begin{", "\\frac", ":::{", "```{", "{eq}", "{math}",
       "{glue", "{literalinclude}", ":label:", ":class:", "{admonition}", "{code-cell}"]


def printed(html_dir, in_ci):
    """The PDF of the build in ``html_dir`` (the English book, or ``ko/``), printed as
    ``make pdf`` prints it, into the place its intro links."""
    if not shutil.which("pdftotext"):
        if in_ci:
            pytest.fail("pdftotext not found; .ci/run installs poppler-utils")
        pytest.skip("pdftotext not found (apt-get install poppler-utils)")
    if not Path(CHROMIUM).exists():
        if in_ci:
            pytest.fail(f"{CHROMIUM} not found; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not found; the PDF is printed with it")
    if not (html_dir / "index.html").exists():
        pytest.fail(f"{html_dir} is missing: run `make book` first (make test does)")
    out = html_dir / "downloads" / "backprop-executed.pdf"
    # Printed once per build of the HTML: under pytest-xdist another worker may be printing it
    # already (xdist_group does not hold with pytest 9), so take a lock and reuse a fresh PDF.
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / ".pdf.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        newest_page = max(p.stat().st_mtime for p in html_dir.glob("**/*.html"))
        if not out.exists() or out.stat().st_mtime < newest_page:
            result = subprocess.run([sys.executable, str(ROOT / "_ext" / "book_pdf.py"),
                                     "--html", str(html_dir)], capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def pdf_ko(in_ci):
    return printed(HTML / "ko", in_ci)


def test_the_korean_pdf_has_every_chapter_under_its_korean_title(pdf_ko):
    from bs4 import BeautifulSoup

    pages = [HTML / "ko" / "intro.html"] + [HTML / "ko" / p.relative_to(ROOT).with_suffix(".html")
                                           for p in toc_chapters()]
    titles = [re.sub(r"#$|¶$", "", BeautifulSoup(p.read_text(), "html.parser").h1.get_text().strip()).strip()
              for p in pages]
    assert all(re.search(r"[\uac00-\ud7a3]", t) for t in titles), titles
    text = pdf_text(pdf_ko)
    missing = missing_titles(text, titles)
    assert not missing, f"Korean chapter titles missing from the Korean PDF: {missing}"
    assert "모든 유도가 실행된다" in flat(text)
    bad = raw_markup(text, code_text())
    assert not bad, "raw TeX or MyST in the Korean PDF:\n  " + "\n  ".join(bad[:10])
    assert 'href="downloads/backprop-executed.pdf"' in (HTML / "ko" / "intro.html").read_text()


@pytest.fixture(scope="module")
def pdf(in_ci):
    return printed(HTML, in_ci)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def flat(text: str) -> str:
    """Whitespace collapsed, typographic quotes made plain (Sphinx prints “ ” ’)."""
    return re.sub(r"\s+", " ", text.translate(str.maketrans("“”‘’", "\"\"''")))


def code(text: str) -> str:
    """Code as pdftotext gives it back, whatever the line wrapping: no spaces, no hyphens."""
    return re.sub(r"[\s\-]+", "", flat(text))


def chapter_titles() -> list[str]:
    """The first heading of every page in _toc.yml, read from the sources."""
    titles = []
    for path in [ROOT / "intro.md", *toc_chapters()]:
        m = re.search(r"^# (.+)$", path.read_text(), re.M)
        assert m, f"{path.name} has no title"
        titles.append(m.group(1).strip())
    return titles


def code_text() -> str:
    """Everything the chapters show as code: code cells and the bplib sources they list."""
    import jupytext

    parts = [c.source for p in NOTEBOOK_CHAPTERS for c in jupytext.read(p).cells if c.cell_type == "code"]
    parts += [p.read_text() for p in sorted((ROOT / "bplib").glob("*.py"))]
    return flat("\n".join(parts))


def missing_titles(text: str, titles: list[str]) -> list[str]:
    """Titles that head no page (each chapter starts a page; the intro's contents do not count).

    Compared without whitespace: pdftotext breaks a line where Latin meets a CJK font.
    """
    tops = [re.sub(r"^[\d.]*", "", re.sub(r"\s+", "", flat(page))) for page in text.split("\f")]
    return [t for t in titles if not any(top.startswith(re.sub(r"\s+", "", flat(t))) for top in tops)]


def raw_markup(text: str, code: str) -> list[str]:
    """Lines with raw TeX or MyST that are not lines of the chapters' code."""
    bad = []
    for line in text.splitlines():
        hits = [r for r in RAW if r in line]
        if hits and flat(line).strip() not in code:
            bad.append(f"{hits}: {line.strip()[:120]}")
    return bad


def test_the_site_links_the_pdf(pdf):
    assert 'href="downloads/backprop-executed.pdf"' in (HTML / "intro.html").read_text()
    assert pdf.exists() and pdf.stat().st_size > 100_000


def test_every_chapter_title_is_in_the_pdf(pdf):
    titles = chapter_titles()
    assert len(titles) == len(toc_chapters()) + 1
    missing = missing_titles(pdf_text(pdf), titles)
    assert not missing, f"chapter titles missing from the PDF: {missing}"


def test_no_raw_tex_or_directive_text_in_the_pdf(pdf):
    text = pdf_text(pdf)
    bad = raw_markup(text, code_text())
    assert not bad, "raw TeX or MyST in the PDF:\n  " + "\n  ".join(bad[:10])


def test_maths_typeset_figures_embedded_korean_set(pdf):
    text = flat(pdf_text(pdf))
    # typeset glyphs: at least one σ and ∂ for each \sigma and \partial in the chapters' prose
    import jupytext

    prose = "".join(c.source for p in NOTEBOOK_CHAPTERS for c in jupytext.read(p).cells
                    if c.cell_type == "markdown")
    for tex, glyph in [("\\sigma", "σ"), ("\\partial", "∂")]:
        assert text.count(glyph) >= prose.count(tex) > 10, f"{glyph}: {text.count(glyph)} vs {tex}"
    # every figure of the web build is embedded
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    pages = [HTML / p.relative_to(ROOT).with_suffix(".html") for p in toc_chapters()]
    figures = sum(len(re.findall(r'<img[^>]+src="(?:\.\./)?_images/', p.read_text())) for p in pages)
    assert len(images) >= figures > 0, f"{len(images)} images in the PDF, {figures} figures in the book"
    # Korean text is there, and Chromium had a Korean font to draw it with (else: boxes).
    # Chromium embeds the CJK font as unnamed Type 3 fonts, so ask fontconfig, as it does.
    assert "오차역전파" in text and "기울기 소실" in text
    korean = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True).stdout
    assert korean.strip(), "no Korean font installed (apt-get install fonts-noto-cjk)"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Type 3" in fonts


def test_every_solution_is_printed(pdf):
    import jupytext

    text = flat(pdf_text(pdf))
    solutions = hidden = 0
    for path in NOTEBOOK_CHAPTERS:
        for cell in jupytext.read(path).cells:
            if cell.cell_type == "markdown":
                # an admonition titled Solution or a sphinx-exercise {solution}: its first prose line
                pattern = r"^[:`]{3,}\{(?:admonition\} Solution|solution\}[^\n]*)\n(?::[^\n]*\n)*\n?(.+?)\n"
                for body in re.findall(pattern, cell.source, re.M):
                    solutions += 1
                    words = re.sub(r"[$`\\*_\[{].*", "", body).strip()  # the prose before maths, code, links
                    assert flat(words) in text, f"{path.name}: solution not printed: {words!r}"
            elif "hide-cell" in cell.metadata.get("tags", []):
                hidden += 1
                first = cell.source.strip().splitlines()[0]
                # a long code line wraps in print, and pdftotext joins a line broken after "-"
                # by dropping the hyphen: compare code without spaces and hyphens
                assert code(first) in code(text), f"{path.name}: hidden solution cell not printed: {first!r}"
    assert solutions >= 10 and hidden >= 10, (solutions, hidden)


def test_the_checks_fail_on_a_planted_pdf_text():
    """A missing title, raw TeX in prose and a raw directive are caught; code is not."""
    titles = ["Why backpropagation", "The chain rule and the notation"]
    contents = "Contents\n1. Why backpropagation\n2. The chain rule and the notation\n"
    pages = contents + "\f1. Why backpropagation\nA network learns\f"
    assert missing_titles(pages, titles) == ["The chain rule and the notation"]
    code = flat('print(r"$$\\frac{1}{2}$$")')
    assert raw_markup('print(r"$$\\frac{1}{2}$$")', code) == []
    assert raw_markup("the derivative \\(\\sigma'(z)\\) is", code)
    assert raw_markup("By {eq}`eq-sigmoid` the value", code)
    assert raw_markup(":::{admonition} Solution", code)

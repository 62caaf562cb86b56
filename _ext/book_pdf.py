"""The whole book as one PDF, printed from the HTML build by Debian's Chromium.

``make pdf`` runs this after ``make book``. It joins the article of every page of
``_build/html`` (in ``_toc.yml`` order, after a title page; the intro's contents follow it) into
one print page that uses the build's own CSS and local MathJax, unfolds every
solution and hidden cell, waits until MathJax has typeset everything and every
figure has loaded, and prints it with headless Chromium through Playwright
(``/usr/bin/chromium``; no downloaded browser, no LaTeX). An explorer prints its first
frame (inline in the page) and caption; its sliders, and the frame files they fetch,
are left out. Korean text needs a CJK
font (Debian: ``fonts-noto-cjk``). Nothing is fetched from the network.

    python _ext/book_pdf.py [--html _build/html] [--out _build/html/downloads/backprop-executed.pdf]

The Korean edition prints the same way from its own build (``--html _build/html/ko``, into
``_build/html/ko/downloads/``, where its intro links it); the title page's line is translated
by the book's catalog (``book.po``: :data:`SUBTITLE`), the language read from the pages.
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import os
import posixpath
import re
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PDF_PATH = "downloads/backprop-executed.pdf"  # the intro links it (see book_downloads.py)
PRINT_PAGE = "_print-book.html"                # written beside index.html, removed afterwards
CHROMIUM = os.environ.get("BPLIB_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

SUBTITLE = "Every derivation runs: the whole book, printed from its web build."

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
html, body { background: #fff; }
body { font-size: 10.5pt; margin: 0; }
.print-book { max-width: none; margin: 0; padding: 0; }
.print-chapter { break-before: page; }
.print-title { text-align: center; padding-top: 30vh; break-after: page; }
.print-title h1 { font-size: 2.4em; margin-bottom: .4em; }
.headerlink, .toggle-button, .copybtn, .bplib-explorer-static .bplib-controls,
.bplib-explorer-static .bplib-status, .bplib-explorer-static .bplib-note,
details > summary { display: none !important; }
details > *:not(summary) { display: block; }
.cell_output, .cell_input, figure, img, .math, table { break-inside: avoid; }
h1, h2, h3 { break-after: avoid; }
div.highlight pre { white-space: pre-wrap; word-break: break-word; font-size: .85em; }
mjx-container[display="true"] { overflow: visible !important; max-width: 100%; }
img { max-width: 100% !important; height: auto; }
"""


def toc_pages(html_dir: Path) -> list[str]:
    """Built pages in book order: the root, then every file of _toc.yml."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        files += [ch["file"] for ch in part.get("chapters", [])]
    pages = [f"{f}.html" for f in files]
    missing = [p for p in pages if not (html_dir / p).exists()]
    if missing:
        raise SystemExit(f"pages missing from {html_dir}: {missing}; run `make book` first")
    return pages


def _rebase(url: str, page: str, pages: set[str]) -> str:
    """A URL of ``page`` as seen from the print page at the root of the build."""
    if not url or re.match(r"^(\w+:|#|//)", url):
        return url
    path, _, anchor = url.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    if target in pages:  # a link into the book: jump inside the PDF
        return f"#{anchor}" if anchor else f"#page-{_slug(target)}"
    return target + (f"#{anchor}" if anchor else "")


def _local_file_link(url: str) -> bool:
    """A link to a file of the build (a download), which a PDF cannot follow."""
    return bool(url) and not re.match(r"^(\w+:|#|//)", url)


def _slug(page: str) -> str:
    return re.sub(r"[^\w-]+", "-", page.removesuffix(".html"))


def print_page(html_dir: Path) -> str:
    """One HTML page holding every page's article, in book order."""
    from bs4 import BeautifulSoup

    pages = toc_pages(html_dir)
    first = BeautifulSoup((html_dir / pages[0]).read_text(encoding="utf-8"), "html.parser")
    head = [str(tag) for tag in first.head.find_all("link", rel="stylesheet")]
    head += [str(tag) for tag in first.head.find_all("script")
             if "mathjax" in (tag.get("src") or "").lower() or "MathJax" in (tag.string or "")]
    title = first.title.get_text().split("—")[-1].strip() if first.title else "Backpropagation, Executed"
    language = first.html.get("lang", "en") if first.html else "en"

    chapters = []
    for page in pages:
        soup = BeautifulSoup((html_dir / page).read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.bd-article")
        if article is None:
            raise SystemExit(f"{page}: no <article class='bd-article'>; is this a Jupyter Book build?")
        for tag in article.find_all(src=True):
            tag["src"] = _rebase(tag["src"], page, set(pages))
        for tag in article.find_all(href=True):
            tag["href"] = _rebase(tag["href"], page, set(pages))
            if _local_file_link(tag["href"]):
                del tag["href"]  # the PDF names the file; it cannot link into the web build
        for tag in article.find_all("details"):
            tag["open"] = ""
        chapters.append(f'<section class="print-chapter" id="page-{_slug(page)}">'
                        f"{article.decode_contents()}</section>")
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(language)}" data-theme="light" data-mode="light"><head>'
        f'<meta charset="utf-8"><title>{html.escape(title)}</title>{"".join(head)}'
        f"<style>{PRINT_CSS}</style></head>"
        '<body><main class="bd-main print-book"><article class="bd-article">'
        f'<section class="print-title"><h1>{html.escape(title)}</h1>'
        f"<p>{html.escape(subtitle(language))}</p></section>"
        f'{"".join(chapters)}</article></main></body></html>\n'
    )


def subtitle(language: str) -> str:
    """:data:`SUBTITLE` in ``language``, from the book's catalog (refused if untranslated)."""
    if language == "en":
        return SUBTITLE
    from babel.messages.pofile import read_po

    with (ROOT / "locales" / language / "LC_MESSAGES" / "book.po").open("rb") as f:
        found = {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}
    if SUBTITLE not in found:
        raise SystemExit(f"book.po ({language}) has no translation of {SUBTITLE!r}: make translations")
    return found[SUBTITLE]


def _serve(directory: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def build_pdf(html_dir: Path, out: Path) -> Path:
    """Print the whole book to ``out``; raise if maths or a figure did not render."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium (Debian's)")
    korean = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True).stdout
    if not korean.strip():
        raise SystemExit("no Korean font: the book's Korean terms would print as boxes "
                         "(apt-get install fonts-noto-cjk)")
    source = html_dir / PRINT_PAGE
    source.write_text(print_page(html_dir), encoding="utf-8")
    httpd = _serve(html_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".pdf.part")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            page = browser.new_page()
            remote = []
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(("http://127.0.0.1", "data:"))
                       else (remote.append(route.request.url), route.abort()))
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{PRINT_PAGE}", wait_until="load")
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise",
                                   timeout=60_000)
            page.evaluate("MathJax.startup.promise")
            errors = page.evaluate("document.querySelectorAll('mjx-merror').length")
            typeset = page.evaluate("document.querySelectorAll('mjx-container').length")
            broken = page.evaluate("[...document.images].filter(i => !i.complete || !i.naturalWidth)"
                                   ".map(i => i.src.slice(0, 80))")
            if errors or not typeset or broken or remote:
                raise SystemExit(f"not printed: {errors} TeX errors, {typeset} formulas typeset, "
                                 f"broken images {broken[:3]}, remote requests {remote[:3]}")
            page.pdf(path=str(partial), format="A4", print_background=True, outline=True, tagged=True,
                     display_header_footer=True, header_template="<span></span>",
                     footer_template='<div style="font-size:8px;width:100%;text-align:center">'
                                     '<span class="pageNumber"></span> / <span class="totalPages">'
                                     "</span></div>",
                     margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"})
            browser.close()
        partial.replace(out)
    finally:
        httpd.shutdown()
        httpd.server_close()
        source.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or args.html / PDF_PATH
    start = time.perf_counter()
    build_pdf(args.html, out)
    print(f"==> {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

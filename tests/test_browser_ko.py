"""The Korean edition in a real browser. ``test_browser.py`` visits every Korean page
like an English one (offline, maths typeset, accessible, every slider scrubs) and, on the
same load, checks what is Korean about it: no run of English prose outside code, maths and
the link to the English edition, no heading without Korean, the theme's own words (buttons,
tooltips, landmarks) in Korean (:func:`browser_probes.english_left`, whose refusals are
tested here), and a language switch that lands on the same English page. Here besides:

* the English pages' switch lands on the same Korean page;
* search: a bare stem (역전파, 기울기) finds the pages where the word only ever
  occurs with a particle attached (역전파는, 기울기를), and a query with a particle
  finds the same pages.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from .browser_probes import english_left
from .conftest import HTML
from .test_browser import browser, edition_link, open_page, pages, server  # noqa: F401 (fixtures)
from .test_i18n import book_i18n

pytestmark = [pytest.mark.browser]


def korean_pages() -> list[str]:
    """The Korean edition's pages (its index.html is only a redirect to its intro)."""
    return [p for p in pages() if p.startswith("ko/")
            and not p.endswith(("search.html", "genindex.html", "ko/index.html"))]


def test_the_english_check_refuses_english_and_accepts_korean():
    assert english_left({"text": "The sigmoid and its derivative", "headings": [], "attrs": []})
    assert english_left({"text": "", "headings": ["Exercises"], "attrs": []})
    assert english_left({"text": "", "headings": [], "attrs": ["Toggle primary sidebar"]})
    assert english_left({"text": "", "headings": [], "attrs": ["Main"]})
    assert english_left({"text": "", "headings": [], "attrs": [], "refs": ["Nielsen, Neural Networks"]})
    korean = {"text": "역전파(backpropagation)는 연쇄법칙(chain rule)을 되풀이해 쓴다. BP1–BP4, ReLU.",
              "headings": ["시그모이드와 그 도함수", "BP1–BP4", "3.1. 연습 문제"],
              "attrs": ["검색", "Ctrl+K"]}
    assert english_left(korean) == []


def test_the_english_pages_switch_to_the_same_korean_page(browser, server):  # noqa: F811
    for path in ["intro.html", "chapters/bp-equations.html"]:
        context, page, _ = open_page(browser, f"{server}/{path}")
        try:
            assert edition_link(page, "ko") == f"{server}/ko/{path}"
        finally:
            context.close()


def search(browser, server, query: str) -> list[str]:  # noqa: F811
    """The pages Sphinx's search lists for ``query`` in the Korean edition."""
    context, page, problems = open_page(browser, f"{server}/ko/search.html?q={quote(query)}")
    try:
        page.wait_for_function("document.querySelector('#search-results .search-summary') &&"
                               " !document.querySelector('#search-results').classList.contains('searching')"
                               " && /\\d|없/.test(document.querySelector('#search-results .search-summary')"
                               ".textContent + document.querySelectorAll('#search-results li').length)",
                               timeout=20_000)
        hits = page.evaluate("[...document.querySelectorAll('#search-results li a')]"
                             ".map(a => new URL(a.href).pathname)")
        assert not problems["console"], problems["console"]
        return sorted({h.split("/ko/", 1)[1] for h in hits if "/ko/" in h})
    finally:
        context.close()


def search_index() -> dict:
    """The Korean edition's search index, as Sphinx wrote it."""
    import json

    text = (HTML / "ko" / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


def article_words(path: str) -> set[str]:
    """The words of a Korean page's article (what the index is built from)."""
    html = (HTML / path).read_text(encoding="utf-8")
    start = html.find('<article class="bd-article"')
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html[start: html.find("</article>", start)], flags=re.S)
    return set(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.parametrize("stem, with_particle", [("역전파", "역전파는"), ("기울기", "기울기를")])
def test_korean_search_finds_a_bare_stem(browser, server, stem, with_particle):  # noqa: F811
    """The index files every particle form under the stem (a particle-blind index would
    have 역전파는 and 역전파를 as words of their own), and the search for the bare stem
    lists every page where the word occurs with a particle; a query with a particle
    finds the same pages."""
    if not korean_pages():
        pytest.fail("no Korean edition built")
    terms = search_index()["terms"]
    assert stem in terms
    forms = {stem + p for p in book_i18n.PARTICLES}
    assert not forms & set(terms), f"particle forms indexed as words: {sorted(forms & set(terms))}"
    with_particles = {p[3:] for p in korean_pages() if article_words(p) & forms}
    assert len(with_particles) >= 3, with_particles
    hits = search(browser, server, stem)
    missed = with_particles - set(hits)
    assert not missed, f"{stem}: pages with {stem}+particle not found: {missed}"
    assert search(browser, server, with_particle) == hits

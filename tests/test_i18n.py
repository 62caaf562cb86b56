"""The Korean edition's machinery: code strings through bplib.i18n, catalogs that must be
complete and current, and a Korean search that finds bare stems."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from .conftest import ROOT


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "_ext" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


book_i18n = load("book_i18n")
translations = load("translations")


@pytest.mark.parametrize("word, stem", [
    ("역전파는", "역전파"), ("역전파를", "역전파"), ("역전파", "역전파"), ("기울기를", "기울기"),
    ("기울기", "기울기"), ("은닉층에서", "은닉층"), ("가중치의", "가중치"), ("함수이다", "함수"),
    ("미분이", "미분"), ("평가", "평가"), ("평가를", "평가"), ("연쇄", "연쇄"), ("법칙은", "법칙"),
    ("gradient", "gradient"),
])
def test_one_particle_comes_off_and_a_stem_keeps_two_syllables(word, stem):
    assert book_i18n.stem_korean(word) == stem
    search = book_i18n.SearchKorean({})
    assert search.stem(word) == stem
    assert search.split("역전파는 기울기를 구한다") == ["역전파는", "기울기를", "구한다"]


def test_the_javascript_stemmer_carries_the_same_particles():
    js = book_i18n.SearchKorean.js_stemmer_code
    assert all(f'"{p}"' in js for p in book_i18n.PARTICLES) and f">= {book_i18n.MIN_STEM}" in js


def _po(path, entries, fuzzy=()):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="ko")
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog)


def test_untranslated_fuzzy_missing_and_obsolete_entries_are_all_refused(tmp_path):
    pots, locales = tmp_path / "gettext", tmp_path / "locales"
    _po(pots / "chapters" / "page.pot", {"Stays": "", "Changed": "", "New": ""})
    po = locales / "ko" / "LC_MESSAGES" / "chapters" / "page.po"
    _po(po, {"Stays": "그대로", "Changed": "바뀌었다", "Gone": "사라졌다"}, fuzzy={"Changed"})
    found = translations.problems(pots, locales)
    assert any("fuzzy" in f and "Changed" in f for f in found)
    assert any("not in the catalog" in f and "New" in f for f in found)
    assert any("obsolete" in f and "Gone" in f for f in found)
    assert not any("Stays" in f for f in found)
    _po(po, {"Stays": "그대로", "Changed": "바뀌었다", "New": ""})
    assert any("untranslated" in f and "New" in f for f in translations.problems(pots, locales))
    _po(po, {"Stays": "그대로", "Changed": "바뀌었다", "New": "새것"})
    assert translations.problems(pots, locales) == []
    assert "is missing" in translations.problems(pots, tmp_path / "nowhere")[0]


def test_code_strings_are_translated_or_refused(tmp_path, monkeypatch):
    from bplib import i18n

    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.catalog.cache_clear()
    _po(tmp_path / "ko" / "LC_MESSAGES" / "bplib.po",
        {"loss": "손실", "{n} steps": "{n}단계", "stale": "낡은", "bad {n}": "잘못"}, fuzzy={"stale"})
    try:
        monkeypatch.delenv("BPLIB_LANG", raising=False)
        assert i18n.tr("anything at all") == "anything at all"  # English: as written
        monkeypatch.setenv("BPLIB_LANG", "ko")
        with pytest.raises(i18n.MissingTranslation, match="changes its placeholders"):
            i18n.tr("loss")
        _po(tmp_path / "ko" / "LC_MESSAGES" / "bplib.po",
            {"loss": "손실", "{n} steps": "{n}단계", "stale": "낡은"}, fuzzy={"stale"})
        i18n.catalog.cache_clear()
        assert i18n.tr("loss") == "손실" and i18n.tr("{n} steps").format(n=3) == "3단계"
        for missing in ("stale", "never seen"):
            with pytest.raises(i18n.MissingTranslation, match="no current 'ko' translation"):
                i18n.tr(missing)
        monkeypatch.setenv("BPLIB_I18N_DRAFT", "1")  # a translator's preview: English stays
        assert i18n.tr("never seen") == "never seen" and i18n.tr("loss") == "손실"
        monkeypatch.delenv("BPLIB_I18N_DRAFT")
        monkeypatch.setenv("BPLIB_LANG", "fr")
        with pytest.raises(ValueError, match="BPLIB_LANG must be one of en, ko"):
            i18n.tr("loss")
        with pytest.raises(TypeError):
            i18n.tr(3)
    finally:
        i18n.catalog.cache_clear()


def test_code_strings_go_to_bplibs_catalog_or_their_chapters(tmp_path):
    sources = list(translations.code_sources())
    assert {name for name, _, _ in sources} >= {"bplib", "code/sigmoid", "code/bptt"}
    assert all(f.startswith("bplib/") for name, f, _ in sources if name == "bplib")
    assert all(f == f"chapters/{name[5:]}.md" for name, f, _ in sources if name.startswith("code/"))


def test_korean_figures_draw_hangul_without_a_missing_glyph(monkeypatch):
    """The Korean build's figures carry Korean titles and labels: with use_fonts(),
    matplotlib draws them with a Hangul font (no 'Glyph missing' warning, which the
    strict build would turn into a failure)."""
    import io
    import warnings

    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from bplib import i18n

    monkeypatch.setenv("BPLIB_LANG", "ko")
    with matplotlib.rc_context():
        i18n.use_fonts()
        fig = Figure()
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        ax.set_title("시그모이드와 그 도함수")
        ax.set_xlabel("가중치 $w$")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.savefig(io.BytesIO(), format="png")


def test_korean_text_uses_the_glossarys_one_term_per_concept():
    """The lint ``make book`` runs (``translations.py check``): no refused variant in any
    Korean catalog."""
    variants = translations.glossary_variants((ROOT / "chapters" / "glossary.md").read_text())
    assert {"오차역전파", "그래디언트", "레이어"} <= set(variants), variants
    found = [line for line in translations.problems() if "not the glossary's term" in line]
    assert not found, "\n".join(found[:20])


def test_the_terminology_lint_catches_a_planted_variant():
    from babel.messages.catalog import Catalog

    variants = translations.glossary_variants(": **역전파**. Sources: ... *Not used:* 오차역전파.\n"
                                              ": **기울기**. ... *Not used:* 그래디언트, 그라디언트.\n")
    assert variants == {"오차역전파": "역전파", "그래디언트": "기울기", "그라디언트": "기울기"}
    catalog = Catalog()
    catalog.add("Backpropagation finds the gradient.", "오차역전파는 그라디언트를 구한다.")
    catalog.add("Backpropagation finds the gradient", "역전파는 기울기를 구한다.")  # the right terms
    catalog.add("Source 001: 파이썬으로 구현하는 오차역전파", "출처 001: 파이썬으로 구현하는 오차역전파")
    found = translations.variants_used(catalog, variants)
    assert len(found) == 2 and "'오차역전파'" in found[0] and "'그라디언트'" in found[1], found


def test_the_book_themes_english_attributes_go_through_the_translator(tmp_path):
    """Each text of TEMPLATE_TEXTS leaves its template as ``_('...')``, and a theme whose
    template no longer holds the text is a warning, not a silently English page."""
    from types import SimpleNamespace

    app = SimpleNamespace(outdir=str(tmp_path / "html"))
    config = SimpleNamespace(templates_path=["_templates"])
    book_i18n.translatable_templates(app, config)
    out = tmp_path / ".templates_i18n"
    assert config.templates_path == [str(out), "_templates"]
    for name, attribute in book_i18n.TEMPLATE_TEXTS:
        written = (out / name.split("/")[-1]).read_text()
        key, text = attribute.split("=", 1)
        assert attribute not in written
        assert f"{key}=\"{{{{ _('{text[1:-1]}') }}}}\"" in written


def test_a_changed_theme_template_is_a_warning(tmp_path, monkeypatch):
    from types import SimpleNamespace

    warnings = []
    monkeypatch.setattr(book_i18n.logger, "warning", lambda msg, **kw: warnings.append(msg))
    monkeypatch.setattr(book_i18n, "TEMPLATE_TEXTS", [("layout.html", 'aria-label="Not there"')])
    book_i18n.translatable_templates(SimpleNamespace(outdir=str(tmp_path / "html")),
                                     SimpleNamespace(templates_path=[]))
    assert len(warnings) == 1 and "Not there" in warnings[0] and "stays English" in warnings[0]


def test_the_themes_catalogs_list_every_message_of_the_installed_themes():
    catalogs = translations.theme_catalogs()
    sphinx = {m.id for m in catalogs["sphinx"] if m.id}
    assert {"Skip to main content", "Back to top", "Toggle primary sidebar", "Main", "Page"} <= sphinx
    assert {"By", "Fullscreen mode", "Search"} <= {m.id for m in catalogs["booktheme"] if m.id}

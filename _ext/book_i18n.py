"""Sphinx extension: the book in two languages from one source.

* **Catalogs of prose only.** The gettext builder extracts every paragraph, heading
  and admonition of the chapters into ``.pot`` catalogs; code cells are literal blocks
  (never extracted) and their *outputs* are removed here before extraction: outputs are
  made by code, whose text is translated by ``bplib.i18n`` when the Korean book is
  executed (``BPLIB_LANG=ko``), never from the prose catalogs.
* **Korean search.** Sphinx has no Korean search language: words would be indexed
  with their particles attached (역전파는, 기울기를), and a bare stem (역전파) would find
  nothing. :class:`SearchKorean` strips one trailing particle (조사) or copula ending,
  longest first, keeping a stem of at least two syllables, both when the index is built
  (Python) and when a reader's query is read (the same rule in JavaScript).
* **Editions.** ``bplib_editions`` maps each *other* edition's language to its root,
  relative to this edition's root (``{"ko": "ko/"}`` in the English book, ``{"en": "../"}``
  in the Korean one). Every page gets ``<link rel="alternate" hreflang=...>`` to the same
  page in the other edition; ``_static/bplib.js`` turns it into a visible switch.
* **The themes' words.** The pydata theme's strings (domain ``sphinx``) are translated by
  ``locales/<lang>/LC_MESSAGES/sphinx.po``, which Sphinx reads before the theme's own
  catalog. Four of the book theme's templates carry English in attributes (``title="Toggle
  primary sidebar"``, ``aria-label="Main"``): :func:`translatable_templates` writes copies
  with those texts through ``_()`` into ``_build/.templates_i18n``, first on
  ``templates_path``. The book theme's own catalog (domain ``booktheme``; its Korean is a
  machine translation: "By" as 으로) is overridden by ``locales/<lang>/LC_MESSAGES/
  booktheme.po``: :func:`book_theme_catalog`. Both catalogs are checked like the pages'
  (``_ext/translations.py``: :data:`TEMPLATE_TEXTS` and the themes' message ids).
"""

from __future__ import annotations

import gettext
import html
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx import locale
from sphinx.search import SearchLanguage
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

# The book theme's templates that hold English outside ``_()``: (template, the text as
# it stands in the attribute). Each becomes ``attr="{{ _('text') }}"``.
TEMPLATE_TEXTS = [
    ("components/toggle-primary-sidebar.html", 'title="Toggle primary sidebar"'),
    ("components/toggle-secondary-sidebar.html", 'title="Toggle secondary sidebar"'),
    ("components/sbt-sidebar-nav.html", 'aria-label="Main"'),
    ("layout.html", 'aria-label="Page"'),
]

# Particles (조사) and copula endings, longest first; a word loses at most one of them.
PARTICLES = sorted({
    "에서는", "에서도", "으로는", "으로도", "에게서", "이라는", "이라고", "입니다", "이다",
    "에서", "에게", "께서", "으로", "로서", "로써", "부터", "까지", "처럼", "보다", "하고",
    "이나", "이며", "이고", "라는", "라고", "와의", "과의", "에는", "에도", "로는", "로도",
    "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도", "만", "나", "며", "고",
}, key=lambda p: (-len(p), p))
MIN_STEM = 2  # syllables a stem keeps: 평가 is not 평 + 가


def stem_korean(word: str) -> str:
    """The word without one trailing particle, if a stem of MIN_STEM syllables remains."""
    for p in PARTICLES:
        if word.endswith(p) and len(word) - len(p) >= MIN_STEM:
            return word[: -len(p)]
    return word


_JS_STEMMER = """
/* Korean: strip one trailing particle (the rule of _ext/book_i18n.py, in JavaScript). */
var Stemmer = function() {
  var particles = PARTICLES;
  this.stemWord = function(w) {
    for (var i = 0; i < particles.length; i++) {
      var p = particles[i];
      if (w.length - p.length >= MIN_STEM && w.slice(-p.length) === p) return w.slice(0, -p.length);
    }
    return w;
  };
};
""".replace("PARTICLES", json.dumps(PARTICLES, ensure_ascii=False)).replace("MIN_STEM", str(MIN_STEM))


class SearchKorean(SearchLanguage):
    lang = "ko"
    language_name = "Korean"
    js_stemmer_code = _JS_STEMMER
    _word_re = re.compile(r"\w+")

    def split(self, input: str) -> list[str]:
        return self._word_re.findall(input)

    def stem(self, word: str) -> str:
        return stem_korean(word.lower())


class StripOutputsForCatalogs(SphinxPostTransform):
    """For the gettext builder only: remove code-cell outputs (made by code, translated
    by ``bplib.i18n``) so that the prose catalogs hold prose."""

    default_priority = 100
    builders = ("gettext",)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(nodes.container)):
            if "cell_output" in node.get("classes", []):
                node.parent.remove(node)


def alternate_links(app, pagename, templatename, context, doctree):
    editions = app.config.bplib_editions or {}
    if not editions or "pathto" not in context:
        return
    root = context["pathto"]("", 1)  # this page -> this edition's root
    root = "" if root in ("", "#") else root.rstrip("/") + "/"
    suffix = app.builder.get_target_uri(pagename)
    tags = "".join(
        f'<link rel="alternate" hreflang="{html.escape(lang)}" '
        f'href="{html.escape(root + prefix + suffix)}" data-bplib-edition="{html.escape(lang)}">\n'
        for lang, prefix in editions.items())
    context["metatags"] = context.get("metatags", "") + tags


def translatable_templates(app, config):
    """Copies of the book theme's templates in :data:`TEMPLATE_TEXTS` with their English
    through ``_()``; a template that no longer holds its text exactly once is a warning
    (an error under ``-W``), never a silently English page."""
    import sphinx_book_theme

    theme_dir = Path(sphinx_book_theme.get_html_theme_path())
    out = Path(app.outdir).parent / ".templates_i18n"
    out.mkdir(parents=True, exist_ok=True)
    for name, attribute in TEMPLATE_TEXTS:
        original = (theme_dir / name).read_text()
        if original.count(attribute) != 1:
            logger.warning(f"book_i18n: expected {attribute} once in the book theme's {name}, "
                           f"found it {original.count(attribute)} times; it stays English",
                           type="bplib", subtype="i18n")
            continue
        key, text = attribute.split("=", 1)
        target = out / Path(name).name
        translated = original.replace(attribute, f'{key}="{{{{ _({text[1:-1]!r}) }}}}"')
        if not target.exists() or target.read_text() != translated:
            target.write_text(translated)
    config.templates_path = [str(out), *config.templates_path]


def book_theme_catalog(app, config):
    """Put this book's ``booktheme`` catalog before the book theme's own (which the theme
    registered first, so a plain ``add_message_catalog`` would only be its fallback)."""
    if not config.language or config.language == "en":
        return
    from sphinx.util.i18n import CatalogInfo

    for directory in config.locale_dirs:
        messages = Path(app.srcdir, directory, config.language, "LC_MESSAGES")
        catalog = CatalogInfo(str(messages), "booktheme", "utf-8")
        if not Path(catalog.po_path).exists():
            continue
        if catalog.is_outdated():  # compiled as Sphinx compiles its own catalogs
            catalog.write_mo(config.language)
        ours = gettext.translation("booktheme", localedir=str(messages.parents[1]),
                                   languages=[config.language])
        theirs = locale.translators.get(("general", "booktheme"))
        if theirs is not None:
            ours.add_fallback(theirs)
        locale.translators["general", "booktheme"] = ours
        return


def setup(app):
    app.add_config_value("bplib_editions", {}, "html")
    app.connect("config-inited", translatable_templates)
    app.connect("config-inited", book_theme_catalog)
    app.add_search_language(SearchKorean)
    app.add_post_transform(StripOutputsForCatalogs)
    app.connect("html-page-context", alternate_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

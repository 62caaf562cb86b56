"""The book's translation catalogs: extract, update, check.

``make translations`` runs ``python _ext/translations.py update``:

1. the prose: Jupyter Book's ``gettext`` builder writes one ``.pot`` per page into
   ``_build/gettext/`` (code-cell outputs left out by ``_ext/book_i18n.py``);
2. the code: every ``tr("...")`` in ``bplib/`` goes into ``bplib.pot``, and those in each
   chapter's code cells into ``code/<chapter>.pot`` (Babel's Python extractor); the book's
   title, author and table-of-contents captions, and myst-nb's code-cell prompts, into
   ``book.pot``;
3. ``sphinx-intl update`` merges both into ``locales/<lang>/LC_MESSAGES/``: a new English
   text arrives untranslated, a changed one keeps its old translation marked *fuzzy*.

``python _ext/translations.py config ko`` writes the Korean book's configuration (a copy
of ``_config.yml`` with its language, search language and execution cache).
``python _ext/translations.py check`` (run by ``make book`` before the Korean build and
by the tests) fails while any catalog has an untranslated or fuzzy entry, or while the
catalogs do not match the current sources (a text added, changed or removed since
``make translations``): a stale Korean page cannot be built.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "_build" / "i18n"  # the generated configurations and the catalog build
GETTEXT = WORK / "_build" / "gettext"
LOCALES = ROOT / "locales"
LANGUAGES = ["ko"]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).parent))  # the book's other extensions (book_i18n, book_pdf)


def code_sources():
    """(catalog name, file name, Python source): every bplib module goes to the catalog
    ``bplib``, each chapter's code cells to a catalog of their own, ``code/<chapter>``
    (so that translators of different chapters never edit the same file)."""
    import jupytext

    for path in sorted((ROOT / "bplib").rglob("*.py")):
        yield "bplib", str(path.relative_to(ROOT)), path.read_text()
    for path in sorted((ROOT / "chapters").glob("*.md")):
        nb = jupytext.read(path)
        if "kernelspec" not in nb.metadata:
            continue  # plain Markdown pages have no code
        cells = [c.source for c in nb.cells if c.cell_type == "code"]
        yield f"code/{path.stem}", str(path.relative_to(ROOT)), "\n\n".join(
            "\n".join(line for line in cell.splitlines() if not line.startswith(("%", "!")))
            for cell in cells)


def code_catalogs() -> dict[str, Catalog]:
    """Every ``tr("...")`` of the code, by catalog name."""
    catalogs: dict[str, Catalog] = {}
    for catalog_name, name, source in code_sources():
        catalog = catalogs.setdefault(catalog_name, Catalog(project="bplib", charset="utf-8"))
        for lineno, message, comments, _context in extract("python", io.BytesIO(source.encode()),
                                                            keywords={"tr": None}):
            catalog.add(message, locations=[(name, lineno)], auto_comments=comments)
    return catalogs


def book_strings() -> list[str]:
    """What the book's configuration shows a reader: its title, author and the captions of
    the table of contents's parts (they are not prose of any page)."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [config["title"], config["author"], *(part["caption"] for part in toc.get("parts", []))]


def book_catalog() -> Catalog:
    """What the book shows a reader outside its pages' prose and code: its title, author
    and part captions; myst-nb's code-cell prompts; sphinx-togglebutton's hints; the PDF's
    title page."""
    from book_pdf import SUBTITLE

    catalog = Catalog(project="book", charset="utf-8")
    title, author, *captions = book_strings()
    for text in (title, author):
        catalog.add(text, locations=[("_config.yml", 1)])
    for text in captions:
        catalog.add(text, locations=[("_toc.yml", 1)])
    for text in ("Show code cell {type}", "Hide code cell {type}",  # myst-nb's prompts
                 "Click to show", "Click to hide"):  # sphinx-togglebutton's hints
        catalog.add(text, locations=[("_ext/translations.py", 1)])
    catalog.add(SUBTITLE, locations=[("_ext/book_pdf.py", 1)])  # the PDF's title page
    return catalog


def translated(lang: str, domain: str) -> dict[str, str]:
    """{English: translation} of a catalog of ``lang`` (fuzzy and empty entries left out)."""
    path = LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}


def write_config(name: str, *, language: str, execute: bool, editions: dict) -> Path:
    """A copy of ``_config.yml`` for another build: its language, its execution cache (or
    none), its editions map; paths made absolute (they are read relative to the copy)."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    sphinx = config.setdefault("sphinx", {})
    sphinx["local_extensions"] = {k: str(ROOT / v) for k, v in sphinx.get("local_extensions", {}).items()}
    extra = sphinx.setdefault("config", {})
    extra["language"] = language
    extra["locale_dirs"] = [str(LOCALES)]
    extra["bplib_editions"] = editions
    if language != "en":
        extra["html_search_language"] = language
        book = translated(language, "book")
        config["title"] = book.get(config["title"], config["title"])
        config["author"] = book.get(config["author"], config["author"])
        extra["nb_code_prompt_show"] = book.get("Show code cell {type}", "Show code cell {type}")
        extra["nb_code_prompt_hide"] = book.get("Hide code cell {type}", "Hide code cell {type}")
        extra["togglebutton_hint"] = book.get("Click to show", "Click to show")
        extra["togglebutton_hint_hide"] = book.get("Click to hide", "Click to hide")
    config.setdefault("execute", {})
    if execute:
        config["execute"]["execution_cache_path"] = str(ROOT / "_build" / f".jupyter_cache_{language}")
    else:
        config["execute"]["execute_notebooks"] = "off"
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"_config_{name}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path


def write_toc(language: str) -> Path:
    """``_toc.yml`` with its part captions in ``language`` (the Korean book's sidebar)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    book = translated(language, "book")
    for part in toc.get("parts", []):
        part["caption"] = book.get(part["caption"], part["caption"])
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"_toc_{language}.yml"
    path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False))
    return path


def theme_catalogs() -> dict[str, Catalog]:
    """The themes' words: the pydata theme's ``sphinx`` catalog and the texts
    ``book_i18n`` makes translatable in the book theme's templates (``sphinx.pot``), and the
    book theme's own messages (``booktheme.pot``; plus "Search", which it translates
    without listing it). A theme upgrade that adds a message makes it untranslated here."""
    import pydata_sphinx_theme
    import sphinx as sphinx_package
    import sphinx_book_theme
    from book_i18n import TEMPLATE_TEXTS

    def add_ids(catalog: Catalog, path: Path, where: str, keep=lambda text: True) -> None:
        with path.open("rb") as f:
            for m in read_po(f):
                if isinstance(m.id, str) and m.id and keep(m.id):
                    catalog.add(m.id, locations=[(where, 1)])

    sphinx = Catalog(project="themes", charset="utf-8")
    pydata = Path(pydata_sphinx_theme.__file__).parent / "locale" / "sphinx.pot"
    add_ids(sphinx, pydata, "pydata_sphinx_theme")
    for name, attribute in TEMPLATE_TEXTS:
        sphinx.add(attribute.split("=", 1)[1][1:-1], locations=[(f"sphinx_book_theme/{name}", 1)])
    # Sphinx's own permalink titles ("Link to this heading"), which its Korean catalog leaves
    # untranslated: every page shows them
    add_ids(sphinx, Path(sphinx_package.__file__).parent / "locale" / "sphinx.pot", "sphinx",
            keep=lambda text: text.startswith("Link to this "))
    booktheme = Catalog(project="themes", charset="utf-8")
    locales = Path(sphinx_book_theme.get_html_theme_path()) / "static" / "locales"
    add_ids(booktheme, locales / "ko" / "LC_MESSAGES" / "booktheme.po", "sphinx_book_theme")  # no .pot
    booktheme.add("Search", locations=[("sphinx_book_theme/__init__.py", 74)])
    return {"sphinx": sphinx, "booktheme": booktheme}


def write_pots() -> None:
    """The prose catalogs (gettext builder, no execution: outputs are not prose) and the
    code catalog, into GETTEXT."""
    config = write_config("gettext", language="en", execute=False, editions={})
    subprocess.run([str(BIN / "jupyter-book"), "build", str(ROOT), "--config", str(config),
                    "--path-output", str(WORK), "--builder", "custom", "--custom-builder", "gettext",
                    "--quiet"], check=True, cwd=ROOT)
    catalogs = {**code_catalogs(), "book": book_catalog(), **theme_catalogs()}
    for name, catalog in catalogs.items():
        pot = GETTEXT / f"{name}.pot"
        pot.parent.mkdir(parents=True, exist_ok=True)
        with pot.open("wb") as f:
            write_po(f, catalog, width=100, omit_header=False)


def update() -> None:
    write_pots()
    for lang in LANGUAGES:
        subprocess.run([str(BIN / "sphinx-intl"), "update", "-p", str(GETTEXT), "-l", lang,
                        "-d", str(LOCALES), "-w", "100"], check=True, cwd=ROOT)


def glossary_variants(text: str) -> dict[str, str]:
    """{variant: the glossary's term} from the glossary's definition lines
    (``: **term**. ... *Not used:* variant, variant.``)."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^: \*\*(.+?)\*\*.*?\*Not used:\* (.+?)\.\s*$", line)
        if m:
            for variant in m.group(2).split(","):
                out[variant.strip()] = m.group(1)
    return out


def variants_used(catalog, variants: dict[str, str]) -> list[str]:
    """The glossary's refused variants in a catalog's translations: one term per concept.
    A variant the English itself quotes (a Korean source's title, say) stays as quoted."""
    return [f"{variant!r} (the glossary's term: {term}) in {m.string[:60]!r}"
            for m in catalog if m.id and m.string
            for variant, term in variants.items() if variant in m.string and variant not in m.id]


def problems(pots: Path = GETTEXT, locales: Path = LOCALES,
             glossary: Path = ROOT / "chapters" / "glossary.md") -> list[str]:
    """Untranslated, fuzzy, missing or obsolete entries, per catalog, for every language;
    and a glossary's refused variant in a translation (the glossary's own page aside: it
    names the variants in order to refuse them)."""
    found = []
    variants = glossary_variants(glossary.read_text()) if glossary.exists() else {}
    templates = {p.relative_to(pots).with_suffix(""): p for p in pots.rglob("*.pot")}
    if not templates:
        return [f"no .pot catalogs under {pots}: run make translations"]
    for lang in LANGUAGES:
        for name, pot in sorted(templates.items()):
            po_path = locales / lang / "LC_MESSAGES" / name.with_suffix(".po")
            rel = po_path.relative_to(locales.parent)
            if not po_path.exists():
                found.append(f"{lang}: {rel} is missing")
                continue
            with pot.open("rb") as f:
                want = {m.id for m in read_po(f) if m.id}
            with po_path.open("rb") as f:
                po = read_po(f)
            have = {m.id: m for m in po if m.id}
            if po_path.name != "glossary.po":
                found += [f"{lang}: {rel}: not the glossary's term: {v}" for v in variants_used(po, variants)]
            for text in sorted(want - set(have)):
                found.append(f"{lang}: {rel}: not in the catalog (run make translations): {text[:70]!r}")
            for text, m in have.items():
                if text not in want:
                    found.append(f"{lang}: {rel}: obsolete, its English is gone: {text[:70]!r}")
                elif m.fuzzy:
                    found.append(f"{lang}: {rel}: fuzzy (the English changed): {text[:70]!r}")
                elif not m.string:
                    found.append(f"{lang}: {rel}: untranslated: {text[:70]!r}")
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["pots"]:
        write_pots()
        return 0
    if argv[:1] == ["config"] and len(argv) == 2:  # the Korean book's configuration
        print(write_config(argv[1], language=argv[1], execute=True, editions={"en": "../"}))
        return 0
    if argv[:1] == ["toc"] and len(argv) == 2:  # the Korean book's table of contents
        print(write_toc(argv[1]))
        return 0
    if argv[:1] == ["check"]:
        found = problems()
        for line in found[:50]:
            print(line)
        if found:
            print(f"{len(found)} catalog entries are not ready ({len(found) - min(len(found), 50)} more "
                  "not shown): translate them in locales/, then build again")
            return 1
        print("translation catalogs: complete and current")
        return 0
    print("usage: python _ext/translations.py update | pots | check | config LANG | toc LANG")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

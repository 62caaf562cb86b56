r"""Text that code puts on the page, in the reader's language.

Introduced with the Korean edition (한국어판). The book's prose is translated by Sphinx
from gettext catalogs (``locales/ko/LC_MESSAGES/chapters/*.po``); what *code* writes
(figure titles and axis labels, explorer labels and captions, derivation reasons,
table headers, generated sentences, exercise hints) goes through :func:`tr`:

.. code-block:: python

   ax.set_title(tr("The sigmoid and its derivative"))
   Markdown(tr("The epoch takes {hours:.1f} hours.").format(hours=h))

(Not the gettext convention ``_``: in a notebook IPython rebinds ``_`` to the last result
shown, so a chapter's ``_`` would not stay the translator.)

The language is the environment variable ``BPLIB_LANG`` (``en`` when unset; the Korean
build of the book sets ``ko``). Translations live beside the prose catalogs, in
``locales/ko/LC_MESSAGES/bplib.po`` (bplib's own strings) and ``code/<chapter>.po`` (each
chapter's code cells), written by ``make translations`` from every ``tr("...")``. In Korean, a string with no
translation, or a *fuzzy* one (its English changed since it was translated), is an
error that names it: the Korean book never shows stale or English text from code.
Placeholders ``{name}`` must survive translation unchanged (checked when the catalog is
read). A translator previewing a partly translated chapter sets ``BPLIB_I18N_DRAFT=1``:
missing strings then stay English (the book's build never sets it). :func:`use_fonts`
lets matplotlib draw Hangul (the book's Korean build calls it in every kernel it
starts; a reader running the notebooks in Korean calls it once).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

__all__ = ["tr", "language", "use_fonts", "MissingTranslation", "catalog", "LANGUAGES", "LOCALES"]

LANGUAGES = ("en", "ko")
LOCALES = Path(__file__).resolve().parents[1] / "locales"  # the repository's catalogs


class MissingTranslation(LookupError):
    """A string that code shows has no current translation in the reader's language."""


def language() -> str:
    """The reader's language: ``BPLIB_LANG``, ``en`` by default."""
    lang = os.environ.get("BPLIB_LANG", "en") or "en"
    if lang not in LANGUAGES:
        raise ValueError(f"BPLIB_LANG must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^{}]*)?\}")


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """``{English: translation}`` for ``lang`` from its code catalogs, ``bplib.po`` and
    ``code/*.po`` (one per chapter); fuzzy and empty entries are left out, so they count
    as missing."""
    from babel.messages.pofile import read_po

    folder = LOCALES / lang / "LC_MESSAGES"
    paths = [folder / "bplib.po", *sorted((folder / "code").glob("*.po"))]
    if not paths[0].exists():
        raise MissingTranslation(f"no catalog for {lang!r}: {paths[0]} does not exist "
                                 "(run make translations)")
    out = {}
    for path in paths:
        with path.open("rb") as f:
            po = read_po(f)
        for message in po:
            if not message.id or not message.string or message.fuzzy:
                continue
            if set(_FIELD.findall(message.id)) != set(_FIELD.findall(message.string)):
                raise MissingTranslation(f"the translation of {message.id!r} changes its placeholders: "
                                         f"{message.string!r} ({path.name})")
            out[message.id] = message.string
    return out


def tr(text: str) -> str:
    """``text`` in the reader's language (see the module docstring)."""
    if not isinstance(text, str):
        raise TypeError(f"tr() translates a str, got {type(text).__name__}")
    lang = language()
    if lang == "en":
        return text
    try:
        return catalog(lang)[text]
    except KeyError:
        if os.environ.get("BPLIB_I18N_DRAFT") == "1":
            return text  # a translator's preview of a partly translated chapter, never the book

        raise MissingTranslation(
            f"no current {lang!r} translation of {text!r}: run `make translations` and translate it "
            f"in {LOCALES / lang / 'LC_MESSAGES'} (bplib.po, or code/<chapter>.po)") from None


KOREAN_FONT = "Noto Sans CJK KR"  # Debian's fonts-noto-cjk


def use_fonts() -> None:
    """Make matplotlib draw the reader's language (Korean needs a Hangul font)."""
    if language() != "ko":
        return
    import matplotlib
    from matplotlib import font_manager

    if KOREAN_FONT not in {f.name for f in font_manager.fontManager.ttflist}:
        # a font cache written before the font was installed: register the files directly
        for path in font_manager.findSystemFonts():
            if "NotoSansCJK" in Path(path).name:
                font_manager.fontManager.addfont(path)
    if KOREAN_FONT not in {f.name for f in font_manager.fontManager.ttflist}:
        raise MissingTranslation(f"Korean figures need the font {KOREAN_FONT!r}: install Debian's "
                                 "fonts-noto-cjk (apt-get install fonts-noto-cjk)")
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [KOREAN_FONT, *matplotlib.rcParams["font.sans-serif"]]

"""Run at the start of every kernel that executes a chapter while the book builds.

``_ext/figure_alt.py`` points ``PYTHONSTARTUP`` here for the build only (IPython
kernels run that file, as a terminal Python does). It changes one thing: the PNG
of every matplotlib figure a cell shows carries the figure's own description
(``bplib.render.figure_alt``: its titles, else its labels) as a PNG ``Title``
text chunk. The Sphinx side reads that chunk back as the image's alt text, so
the page says what the figure shows instead of the image's file path.

A ``PYTHONSTARTUP`` the reader had before the build is run first.
"""

import os as _os

_previous = _os.environ.get("BPLIB_PREVIOUS_PYTHONSTARTUP")
if _previous and _os.path.isfile(_previous):
    with open(_previous) as _f:
        exec(compile(_f.read(), _previous, "exec"))


def _bplib_stamp_figure_titles():
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib

    if "inline" not in str(matplotlib.rcParams._get("backend")):
        return
    # Importing the inline backend registers its own PNG formatter (once per kernel);
    # ours replaces it and differs only in the metadata it passes to savefig.
    import matplotlib_inline.backend_inline  # noqa: F401
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure
    from matplotlib_inline.config import InlineBackend

    from bplib.render import figure_alt

    def png_with_title(fig):
        kwargs = dict(InlineBackend.instance().print_figure_kwargs)
        alt = figure_alt(fig)
        if alt:
            kwargs["metadata"] = {"Title": alt}
        return print_figure(fig, "png", base64=True, **kwargs)

    shell.display_formatter.formatters["image/png"].for_type(Figure, png_with_title)


_bplib_stamp_figure_titles()
del _bplib_stamp_figure_titles


def _bplib_reader_fonts():
    """The Korean build (BPLIB_LANG=ko): figures drawn with a Hangul font."""
    if _os.environ.get("BPLIB_LANG", "en") == "en":
        return
    from bplib.i18n import use_fonts

    use_fonts()


_bplib_reader_fonts()
del _bplib_reader_fonts

"""End to end through the real build: a plot's title becomes its image's alt text,
and a plot that names nothing fails the build (_ext/figure_alt.py)."""

from __future__ import annotations

import html
import re

import pytest

from .test_strict_build import build

pytestmark = [pytest.mark.book, pytest.mark.xdist_group("strict")]

PLOTS = """# Two plots

```{code-cell} ipython3
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot([0, 1], [1, 0])
ax.set_title(r"Loss against the weight $w$")
plt.show()
```

```{code-cell} ipython3
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 1])
plt.show()
```
"""


def test_titles_become_alt_text_and_an_unnamed_plot_fails(tmp_path):
    result = build(tmp_path, PLOTS)
    out = result.stdout + result.stderr
    assert result.returncode != 0, "a plot with no title, labels or alt passed the build"
    assert "has no alt text, caption or plot title" in out
    page = (tmp_path / "book" / "_build" / "html" / "chapters" / "page.html").read_text()
    alts = [html.unescape(a) for a in re.findall(r'<img alt="([^"]*)"', page)]
    assert "Loss against the weight w" in alts, alts
    # the unnamed plot, and only it, is left with Sphinx's default: its file path
    assert sum(a.endswith(".png") for a in alts) == 1, alts

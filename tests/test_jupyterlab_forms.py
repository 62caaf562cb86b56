"""Every chapter uses only MyST forms that render both in the web book and in JupyterLab.

jupyterlab-myst 2.7.0 renders most of what the book writes (see README, "Writing for
both the web book and JupyterLab"), but some constructs fail there quietly: a
``{literalinclude}`` shows nothing, a ``{glue:text}`` role shows its key as if it
were prose, a reference to another chapter's label shows the bare label, a
``hide-cell`` tag is ignored. The browser test opens three chapters; this test reads
the source of every chapter and refuses those forms, naming the replacement.
"""

from __future__ import annotations

import re

import pytest

from .conftest import NOTEBOOK_CHAPTERS

REFUSED = {
    r"\{literalinclude\}|\{include\}": "shows nothing in JupyterLab; show the object with "
        "bplib.page.listing(obj) in a remove-input code cell",
    r"\{glue(:\w+)?\}": "glue does not render in JupyterLab (a role shows its key); put the "
        "sentence or equation in a remove-input cell's Markdown output",
    r"\{eval\}": "myst-nb evaluates {eval} only with execute_notebooks: inline (the book uses cache)",
    r"\\tag\{": "JupyterLab numbers the equation a second time beside the tag",
    r"\{doc\}": "JupyterLab links {doc} to a file without its extension; use [text](chapter.md)",
}


def lab_form_problems(text: str) -> list[str]:
    """What in a chapter's MyST source would not render in JupyterLab."""
    problems = []
    for pattern, why in REFUSED.items():
        for m in re.finditer(pattern, text):
            problems.append(f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}: {why}")
    labels = set(re.findall(r"^:label: ([\w-]+)\s*$", text, re.M))
    labels |= set(re.findall(r"^\$\$ \(([\w-]+)\)\s*$", text, re.M))
    labels |= set(re.findall(r"^:name: ([\w-]+)\s*$", text, re.M))
    labels |= set(re.findall(r"^\(([\w-]+)\)=\s*$", text, re.M))
    for role, target in re.findall(r"\{(eq|numref|ref)\}`(?:[^`<]*<)?([\w-]+)>?`", text):
        if target not in labels:
            problems.append(f"{{{role}}}`{target}`: defined in another chapter, so JupyterLab shows the "
                            "bare label; link the chapter instead, [text](chapter.md)")
    for block in re.findall(r"```\{code-cell\}[^\n]*\n((?:---\n.*?\n---\n)|(?::[^\n]*\n)*)", text, re.S):
        if re.search(r"hide-(cell|input)", block) and "source_hidden: true" not in block:
            problems.append("a hide-cell/hide-input cell without `jupyter: {source_hidden: true}` "
                            "is shown unfolded in JupyterLab")
    return problems


@pytest.mark.parametrize("path", NOTEBOOK_CHAPTERS, ids=lambda p: p.stem)
def test_chapter_uses_forms_that_render_in_jupyterlab(path):
    problems = lab_form_problems(path.read_text())
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


PLANTED = """\
(ch-here)=
# A chapter

```{math}
:label: eq-here
a = b
```

By {eq}`eq-here` and {ref}`ch-here`, fine. By {eq}`eq-elsewhere`, not.
It takes {glue:text}`hours:.1f` hours; {eval}`x`; see {doc}`other`.

```{literalinclude} ../bplib/mlp.py
:pyobject: bp1
```

$$ x \\tag{BP1} $$

```{code-cell} ipython3
:tags: [hide-cell]

secret = 1
```

```{code-cell} ipython3
---
tags: [hide-cell]
jupyter: {source_hidden: true, outputs_hidden: true}
---
fine = 1
```
"""


def test_the_check_refuses_each_planted_form():
    problems = lab_form_problems(PLANTED)
    found = "\n".join(problems)
    for expected in ["{literalinclude}", "{glue:text}", "{eval}", "\\tag{", "{doc}", "eq-elsewhere",
                     "hide-cell/hide-input cell without"]:
        assert expected in found, f"not refused: {expected}\n{found}"
    assert "eq-here" not in found and "ch-here" not in found  # same-chapter references are fine
    assert len(problems) == 7, found

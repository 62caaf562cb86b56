"""The prose has nothing typed by hand that code should have produced.

For each chapter's Markdown (outside code cells):

* no display equation typed by hand: no ```` ```{math} ```` block and no ``$$``; every
  displayed equation is ``{glue:math}`` of an expression a cell checked (bplib.page);
* no result number typed by hand: no decimal with three or more significant digits,
  no thousands-separated integer, no percentage or "×" ratio, in prose or inline math,
  unless it comes from a cell's output or is marked ``{given}`` as an input or a citation;
* every exercise can be checked by the student: an ``{exercise}`` with a label, then a
  code cell that checks an answer (a ``bplib.exercises`` check or an ``answer_box``),
  then its ``{solution}`` folded (``:class: dropdown``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import toc_chapters

_FENCE = re.compile(r"^(`{3,}|:{3,})(.*)$")


def unfenced(text: str) -> str:
    """The Markdown without its front matter and without code cells and code blocks."""
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    out, fence, keep = [], None, True
    for line in text.splitlines():
        m = _FENCE.match(line.strip())
        if fence is not None:  # inside a fenced block: its closing fence, or its content
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
                fence = None
                if keep:
                    out.append(line)
            elif keep:
                out.append(line)
            continue
        if m:
            fence = m.group(1)
            info = m.group(2).strip()
            code = "code-cell" in info or "literalinclude" in info or info in ("", "python", "bash", "text")
            keep = not code
            if keep:
                out.append(line)
            continue
        out.append(line)
    return "\n".join(out)


def prose(text: str) -> str:
    """The Markdown a reader sees as text: :func:`unfenced`, and without code spans,
    glued values, ``{given}`` spans, cross-references and link targets."""
    body = unfenced(text)
    body = re.sub(r"\{glue(:\w+)?\}`[^`]*`", " ", body)
    body = re.sub(r"\{given\}`[^`]*`", " ", body)
    body = re.sub(r"\{(eq|ref|numref|doc|download|cite|term)\}`[^`]*`", " ", body)
    body = re.sub(r"^\s*(`{3,}|:{3,}).*$", " ", body, flags=re.M)  # fence lines of kept directives
    body = re.sub(r"`[^`\n]*`", " ", body)
    body = re.sub(r"\]\([^)]*\)", "]", body)  # link targets
    body = re.sub(r"^\([\w-]+\)=$", " ", body, flags=re.M)  # labels
    return body


def display_equations(text: str) -> list[str]:
    body = unfenced(text)
    return [ln for ln in body.splitlines() if re.match(r"^\s*(`{3,}|:{3,})\{math\}", ln) or "$$" in ln]


_NUMBER = re.compile(
    r"(?<![\w.])(\d+\.\d+(?:[eE][-+]?\d+)?|\d{1,3}(?:(?:,|\{,\})\d{3})+|\d+(?:\.\d+)?\s*(?:%|\\%|×|\\times(?=\s*$)))"
)


def _significant(decimal: str) -> int:
    mantissa = re.split(r"[eE]", decimal)[0].replace(".", "").lstrip("0")
    return len(mantissa)


def hand_typed_numbers(text: str) -> list[str]:
    found = []
    for m in _NUMBER.finditer(prose(text)):
        s = m.group(1)
        if re.fullmatch(r"\d+\.\d+(?:[eE][-+]?\d+)?", s) and _significant(s) < 3:
            continue
        found.append(s.strip())
    return found


CHAPTERS = [p for p in toc_chapters() if p.exists()]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_hand_typed_display_equations(path: Path):
    eqs = display_equations(path.read_text())
    assert not eqs, f"{path.name}: {len(eqs)} hand-typed display equations, e.g. {eqs[:3]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_hand_typed_result_numbers(path: Path):
    nums = hand_typed_numbers(path.read_text())
    assert not nums, (f"{path.name}: hand-typed result numbers {nums[:10]} "
                      "(glue them, or mark inputs and citations {given})")


def test_the_lint_finds_what_it_must_and_spares_what_it_may():
    bad = """Some prose with an error of 0.0198 and 23,860 parameters, $23{,}861$ passes,
a speedup of 16,688x, 51 % of the gradient, and $\\partial E/\\partial w_5 = 0.082167041$.

```{math}
a = b
```

$$ c = d $$
"""
    assert hand_typed_numbers(bad) == ["0.0198", "23,860", "23{,}861", "16,688", "51 %", "0.082167041"]
    assert len(display_equations(bad)) == 2
    good = """The epoch takes {glue:text}`fd_hours:.1f` hours against the slides' {given}`20+ hours`,
with a rate of {given}`0.5` and $h = 10^{-5}$; a quarter, 0.25, and $\\sigma'(0) = 1/4$.

```{code-cell} ipython3
x = 0.298371109  # code is not prose
print(f"{23_860:,}")
```

```{glue:math} eq-sigmoid
:label: eq-sigmoid
```

Inline `0.123456` code, {eq}`eq-sigmoid`, and a [link](https://example.org/v1.2.3).
"""
    assert hand_typed_numbers(good) == [] and display_equations(good) == []



CHECKS = re.compile(r"\b(check_function|check_value|check_array|check_derivation|check_gradients|"
                    r"check_model|check_derivative|answer_box)\(")


def exercise_problems(text: str) -> list[str]:
    """What keeps an exercise from being checked by the student (see the module docstring)."""
    problems = []
    starts = [m.start() for m in re.finditer(r"^(`{3,}|:{3,})\{exercise\}", text, re.M)]
    for n, start in enumerate(starts, 1):
        end = starts[n] if n < len(starts) else len(text)
        block = text[start:end]
        label = re.search(r"^:label: ([\w-]+)", block, re.M)
        if not label:
            problems.append(f"exercise {n} has no :label:")
            continue
        name = re.escape(label.group(1))
        solution = re.search(rf"^(`{{3,}}|:{{3,}})\{{solution\}} {name}\s*$", block, re.M)
        if not solution:
            problems.append(f"exercise {label.group(1)} has no {{solution}} {label.group(1)}")
            continue
        if not re.match(r"\s*:class: dropdown", block[solution.end():]):
            problems.append(f"the solution of {label.group(1)} is not folded (:class: dropdown)")
        if not CHECKS.search(block[:solution.start()]):
            problems.append(f"exercise {label.group(1)} has no cell that checks an answer before its "
                            "solution")
    return problems


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_exercise_can_be_checked_by_the_student(path: Path):
    text = path.read_text()
    problems = exercise_problems(text)
    assert not problems, f"{path.name}: " + "; ".join(problems)
    assert "**Exercise" not in text, f"{path.name}: an exercise written as bold text, not {{exercise}}"


def test_the_exercise_lint_refuses_what_it_must():
    good = """:::{exercise}
:label: ex-a
Do it.
:::

```{code-cell} ipython3
check_value(answer, 2.0, hint="h")
```

:::{solution} ex-a
:class: dropdown
Done.
:::
"""
    assert exercise_problems(good) == []
    assert exercise_problems(good.replace(":label: ex-a\n", "")) == ["exercise 1 has no :label:"]
    assert "not folded" in exercise_problems(good.replace(":class: dropdown\n", ""))[0]
    unchecked = good.replace("check_value(answer, 2.0", "print(answer")
    assert "no cell that checks" in exercise_problems(unchecked)[0]
    assert "has no {solution}" in exercise_problems(good.replace("{solution} ex-a", "{solution} ex-b"))[0]

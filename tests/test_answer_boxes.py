"""Numeric exercises answered on the static page: every answer box accepts the value the
build computed, typed as a reader types it, and refuses a wrong one with its hint (no
kernel, no network: the check runs in the page)."""

from __future__ import annotations

import json

import pytest

from .conftest import HTML
from .test_browser import browser, pages, server  # noqa: F401 - browser and server are fixtures

pytestmark = [pytest.mark.browser]


def answer_pages() -> list[str]:
    return [p for p in pages() if 'class="bplib-answer"' in (HTML / p).read_text(encoding="utf-8")]


def first_message(path: str) -> str:
    """What a box says when checked empty, in the page's edition (bplib's catalog)."""
    from bplib.i18n import catalog

    english = "Type a number first (for example 0.25 or 1e-3)."
    return catalog("ko")[english] if path.startswith("ko/") else english


def typed(value: float) -> str:
    """The value as a reader would type it: a short decimal (or exponent) and a real minus."""
    text = f"{value:.10g}"
    return text.replace("-", "\u2212") if value < 0 else text


@pytest.mark.parametrize("path", answer_pages() or ["(none built)"])
def test_every_answer_box_accepts_the_right_number_and_refuses_a_wrong_one(browser, server, path):  # noqa: F811
    if path == "(none built)":
        pytest.fail("no page of the built book has an answer box")
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{server}/{path}", wait_until="load")
        boxes = page.locator(".bplib-answer")
        assert boxes.count() > 0
        # a Korean page runs the same in-page check on the values its own run computed:
        # its first box shows that, and the Korean words
        for i in range(1 if path.startswith("ko/") else boxes.count()):
            box = boxes.nth(i)
            data = json.loads(box.get_attribute("data-answer"))
            field, button, said = box.locator("input"), box.locator("button"), box.locator("output")
            field.fill("")
            button.click()
            assert first_message(path) in said.inner_text()
            wrong = data["value"] * 1.5 + 1.0 if data["value"] else 1.0
            field.fill(typed(wrong))
            field.press("Enter")
            assert said.inner_text().startswith("\u2717") and data["hint"] in said.inner_text(), (path, i)
            field.fill(typed(data["value"]))
            button.click()
            assert said.inner_text().startswith("\u2713"), (path, i, data, said.inner_text())
    finally:
        context.close()

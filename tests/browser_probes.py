"""What the browser test measures on a page, as JavaScript run inside it.

Kept apart from ``test_browser.py`` so a planted page (``test_browser_planted``)
and the real pages are judged by the same code. Every probe returns plain data;
the tests decide what is a failure.
"""

from __future__ import annotations

import re

# Records when MathJax finished its first typeset, in ms since navigation start.
# Installed before any page script runs (context.add_init_script); it attaches to
# MathJax.startup.promise as soon as that exists, so the time is not the time we asked.
TYPESET_TIMER = """
(() => {
  const poll = () => {
    const mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) {
      mj.startup.promise.then(() => { window.__bplibTypeset = performance.now(); });
    } else {
      setTimeout(poll, 5);
    }
  };
  poll();
})();
"""

# Bytes and requests of everything this page load fetched (Resource Timing).
# transferSize: what crossed the wire (compressed bodies plus headers);
# decodedBodySize: what the browser had after decompression.
LOAD_SIZE = """
() => {
  const all = [performance.getEntriesByType('navigation')[0],
               ...performance.getEntriesByType('resource')];
  const rows = all.filter(e => !e.name.startsWith('data:'));
  return {
    requests: rows.length,
    transfer: rows.reduce((s, e) => s + e.transferSize, 0),
    decoded: rows.reduce((s, e) => s + e.decodedBodySize, 0),
    biggest: rows.map(e => [e.name.replace(location.origin, ''), e.decodedBodySize, e.transferSize])
                .sort((a, b) => b[1] - a[1]).slice(0, 6),
  };
}
"""

# Maths that cannot be read whole: a typeset formula (mjx-container) whose glyphs
# reach outside a box that hides overflow, or outside the page, or that scrolls
# inside a box with no visible cue that it scrolls. A scroll box is accepted when
# it shows a cue (the book's stylesheet draws edge shadows as background images)
# and itself fits the page.
CLIPPED_MATH = """
() => {
  const vw = document.documentElement.clientWidth;
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const boxOf = el => {
    for (let a = el; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible') return [a, s];
    }
    return [null, null];
  };
  const bad = [];
  let display = 0;
  for (const m of document.querySelectorAll('mjx-container')) {
    const math = m.querySelector('mjx-math');
    if (!math || !shown(m)) continue;
    if (m.getAttribute('display') === 'true' || m.closest('.bplib-derivation')) display++;
    const r = math.getBoundingClientRect();
    if (r.width === 0) continue;
    const where = (m.closest('[id]') || {}).id || '';
    const [box, style] = boxOf(m);
    const describe = why => bad.push({why, where, width: Math.round(r.width),
                                      box: box ? [box.tagName.toLowerCase(), ...box.classList].join('.')
                                               : 'page',
                                      text: m.textContent.slice(0, 60)});
    if (!box) {
      if (r.right > vw + 1 || r.left < -1) describe('overflows the page');
      continue;
    }
    const b = box.getBoundingClientRect();
    const outside = r.right > b.right + 1 || r.left < b.left - 1;
    if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
      if (outside) {
        const cue = (style.backgroundImage || '').includes('gradient');
        if (!cue) describe('scrolls with no visible cue');
        if (b.right > vw + 1 || b.left < -1) describe('its scroll box overflows the page');
      }
      continue;
    }
    if (outside) describe('cut off by ' + style.overflowX + ' overflow');
  }
  return {display, bad};
}
"""

# Each derivation step's reason and check mark must be on screen at the page's
# own scroll position: inside the viewport and inside every box that clips.
HIDDEN_MARKS = """
() => {
  const vw = document.documentElement.clientWidth;
  const bad = [];
  let n = 0;
  for (const el of document.querySelectorAll('.bplib-derivation .bplib-mark, .bplib-derivation .bplib-why')) {
    if (!el.getClientRects().length) continue;
    n++;
    const r = el.getBoundingClientRect();
    let hidden = r.width === 0 || r.right > vw + 1 || r.left < -1;
    for (let a = el.parentElement; a && !hidden && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible') continue;
      const b = a.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1) hidden = true;
    }
    if (hidden) bad.push(el.className + ': ' + el.textContent.slice(0, 40));
  }
  return {n, bad};
}
"""

# Images whose alternative text says nothing: missing, empty (unless marked
# decorative), or a file name / path / data URI instead of a description.
BAD_ALT = r"""
() => {
  const bad = [];
  for (const img of document.querySelectorAll('img')) {
    if (img.getAttribute('role') === 'presentation' || img.getAttribute('aria-hidden') === 'true') continue;
    const alt = (img.getAttribute('alt') || '').trim();
    const pathy = /^(data:|\.\.?\/|\/)|\.(png|jpe?g|gif|svg|webp)$/i.test(alt) || /^[\w.\/-]+$/.test(alt);
    if (!alt || pathy || alt.split(/\s+/).length < 3) bad.push(alt || '(no alt) ' + img.src.slice(0, 60));
  }
  return bad;
}
"""

# Icons the theme draws with its icon font: each must have a glyph (a ::before
# with content) once fontawesome.js is gone, and be hidden from screen readers or named.
ICONS = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll('.fa-solid, .fas, .fa-regular, .fa-brands')) {
    if (!el.getClientRects().length) continue;
    const before = getComputedStyle(el, '::before').content;
    if (!before || before === 'none' || before === 'normal') bad.push(el.className);
  }
  return bad;
}
"""


def set_theme(page, mode: str) -> None:
    """Switch the pydata theme's light/dark mode in place (what its button does).

    Colours measured mid-transition are neither mode's: transitions are switched
    off for the test, and any animation still running is waited for."""
    page.evaluate("""mode => {
        if (!document.getElementById('bplib-test-no-transitions')) {
          // the end colours are what a reader sees; the test need not watch them fade in
          const style = document.createElement('style');
          style.id = 'bplib-test-no-transitions';
          style.textContent = '*, *::before, *::after { transition: none !important; }';
          document.head.appendChild(style);
        }
        document.documentElement.dataset.theme = mode;
        document.documentElement.dataset.mode = mode;
        void document.body.offsetHeight;
        return Promise.all(document.getAnimations().map(a => a.finished)); }""", mode)


# Text contrast of typeset maths and highlighted code, which axe is told to skip
# (see axe_serious): each element's colour against the first opaque background
# behind it, by WCAG's formula; each colour pair is computed once.
TEXT_CONTRAST = """
() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bgCache = new Map();
  const background = el => {
    if (bgCache.has(el)) return bgCache.get(el);
    let out = [255, 255, 255];
    for (let a = el; a; a = a.parentElement) {
      const c = rgb(getComputedStyle(a).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] > 0.5)) { out = c.slice(0, 3); break; }
    }
    bgCache.set(el, out);
    return out;
  };
  const seen = new Map();
  const bad = [];
  const items = document.querySelectorAll('mjx-container, div.highlight pre, div.highlight pre span');
  for (const m of items) {
    if (m.closest('mjx-container') !== m && m.tagName !== 'SPAN' && m.tagName !== 'PRE') continue;
    if (!m.textContent.trim() || !m.getClientRects().length) continue;
    const fg = rgb(getComputedStyle(m).color).slice(0, 3);
    const bg = background(m.tagName === 'SPAN' ? m.parentElement : m.parentElement || m);
    const key = fg.join() + '/' + bg.join();
    if (!seen.has(key)) {
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      seen.set(key, (l1 + 0.05) / (l2 + 0.05));
    }
    const ratio = seen.get(key);
    if (ratio < 4.5) {
      bad.push(`${ratio.toFixed(2)}:1 ${key} ${m.tagName.toLowerCase()} ${m.textContent.slice(0, 30)}`);
    }
  }
  return bad.slice(0, 10);
}
"""

# A box that scrolls sideways must be reachable with the keyboard (axe's
# scrollable-region-focusable, for the code blocks axe is told to skip).
UNREACHABLE_SCROLLERS = """
() => [...document.querySelectorAll(
    'div.highlight pre, mjx-container[display="true"], .bplib-expr, .bplib-lhs')]
  .filter(el => el.getClientRects().length && el.scrollWidth > el.clientWidth
                && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
                && el.tabIndex < 0 && !el.querySelector('a, button, input, [tabindex]'))
  .map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' ' + el.textContent.slice(0, 30))
"""

def axe_serious(page, only_colour: bool = False) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now (axe already
    injected), and any violation of the STRUCTURE_RULES (headings, landmarks).

    Every rule runs, the experimental ones too (label-content-name-mismatch is one);
    with ``only_colour`` just the rules that depend on the colour mode (what changes
    between light and dark). Typeset maths and highlighted code are left out: MathJax
    makes one element per glyph and Pygments one per token, which makes axe several
    times slower; their text contrast is checked by TEXT_CONTRAST and the code
    blocks' keyboard access by UNREACHABLE_SCROLLERS. ``preload: false`` keeps axe
    from re-fetching stylesheets (it resolves the theme's ``@import`` against the
    wrong folder and logs a 404).
    """
    result = page.evaluate("""onlyColour => {
        const options = {resultTypes: ['violations'], preload: false};
        if (onlyColour) {
          options.runOnly = {type: 'rule', values: ['color-contrast', 'link-in-text-block']};
        } else {
          options.rules = {};
          axe.getRules(['experimental']).forEach(r => { options.rules[r.ruleId] = {enabled: true}; });
        }
        return axe.run({exclude: [['mjx-container'], ['div.highlight pre']]}, options)
          .then(r => r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3), count: v.nodes.length})));
    }""", only_colour)
    return [f"{v['id']} ({v['impact']}, {v['count']}x: {', '.join(v['nodes'])})"
            for v in result if v["impact"] in ("serious", "critical") or v["id"] in STRUCTURE_RULES]


# Rules about headings, landmarks and the names of focusable things: failures at
# any impact count (most are "moderate"), since a page must be navigable by them.
STRUCTURE_RULES = {
    "region", "landmark-one-main", "landmark-unique", "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo", "landmark-no-duplicate-main",
    "landmark-banner-is-top-level", "landmark-complementary-is-top-level",
    "landmark-contentinfo-is-top-level", "landmark-main-is-top-level",
    "page-has-heading-one", "empty-heading", "heading-order", "focus-order-semantics",
}


# The text a reader reads, without code, maths, the English edition's link and scripts;
# and the words in attributes (tooltips, labels, placeholders, image descriptions: a figure's
# alt text is its plot's title). English by design:
# the glossary's English terms (each <dt>) and the titles of English works in the
# references (in quotation marks or italics there).
READER_TEXT = """() => {
  const b = document.body.cloneNode(true);
  b.querySelectorAll('pre, code, kbd, mjx-container, .math, script, style, [lang=en], '
                     + '.bplib-lang-switch, .bplib-frames').forEach(e => e.remove());
  if (location.pathname.endsWith('/glossary.html')) b.querySelectorAll('dt').forEach(e => e.remove());
  // titles of works: in italics, or in quotation marks
  b.querySelectorAll('em, cite').forEach(e => e.remove());
  const walk = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode())
    n.data = n.data.replace(/\u201c[^\u201d]*\u201d|"[^"]*"/g, '');
  // a reference is its authors, title and address in English, then a description in
  // Korean: there, each entry must have Korean
  const refs = location.pathname.endsWith('/references.html')
    ? [...b.querySelectorAll('article li, article p')].map(e => e.innerText.trim())
        .filter(t => /[A-Za-z]{3,}/.test(t) && !/[\uac00-\ud7a3]/.test(t)) : [];
  if (location.pathname.endsWith('/references.html'))
    b.querySelectorAll('article li, article p').forEach(e => e.remove());
  document.documentElement.appendChild(b);
  const text = b.innerText;
  const headings = [...b.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => h.innerText.trim());
  b.remove();
  const attrs = [...document.querySelectorAll('[title], [aria-label], [placeholder], img[alt]')]
    .filter(e => !e.closest('pre, code, mjx-container, [lang=en], .bplib-lang-switch'))
    .flatMap(e => ['title', 'aria-label', 'placeholder', 'alt'].map(a => e.getAttribute(a)).filter(Boolean));
  return {text, headings, attrs, refs, lang: document.documentElement.lang};
}"""

ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,'-]+[A-Za-z][a-z]+){3,}")  # four English words in a row
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LOWER_WORD = re.compile(r"(?!trl\b)[a-z]{3,}")  # a word, not an acronym (Ctrl is a key's name)


def english_left(read: dict) -> list[str]:
    """What is still English in a Korean page (empty: nothing)."""
    found = [f"prose: {m.group(0)!r}" for m in ENGLISH_RUN.finditer(read["text"])]
    found += [f"a reference with no Korean: {r[:80]!r}" for r in read.get("refs", [])]
    found += [f"heading: {h!r}" for h in read["headings"]
              if h and not HANGUL.search(h) and LOWER_WORD.search(h)]
    found += [f"attribute: {a!r}" for a in read["attrs"]
              if not HANGUL.search(a) and LOWER_WORD.search(a) and not a.startswith(("http", "#"))]
    return found

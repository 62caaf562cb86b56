/* The book's own script, on every page (Jupyter Book adds every _static/*.js).
 *
 * 1. A box that scrolls sideways (wide maths, code, tables) can be reached and
 *    scrolled with the keyboard: it gets tabindex=0 while it overflows. Checked
 *    again after MathJax typesets, when fonts arrive, when a box changes size and
 *    whenever the window is resized.
 *    A scroll box that is not maths' own container is a named region ("wide
 *    formula 3, scrolls sideways"), so a screen reader says why it can be focused.
 * 2. A control's accessible name starts with the words it shows (WCAG 2.5.3,
 *    "label in name"): the theme's search button and the "Show code cell"
 *    toggles say one thing and are named another; their names are completed here.
 * 3. The theme's left sidebar becomes a named landmark (axe: "region").
 * 4. The other edition of this page (English / 한국어): _ext/book_i18n.py writes
 *    <link rel="alternate" hreflang=...> into the head; it becomes a link in the
 *    page's header, in the other language's own words.
 */
(function () {
  "use strict";
  var SCROLLERS = "mjx-container[display='true'], .bplib-lhs, .bplib-expr, .bplib-scroll, " +
    "div.highlight pre, div.cell_output .output, .bd-content .table-wrapper, .pst-scrollable-table-container";

  // The names this script gives, in the page's language (the Korean edition's <html lang="ko">)
  var WORDS = {
    en: { formula: "wide formula", code: "code", table: "table", output: "output",
          scrolls: ", scrolls sideways", contents: "Book contents and search",
          toggle: "Toggle hidden content" },
    ko: { formula: "넓은 수식", code: "코드", table: "표", output: "출력",
          scrolls: ", 옆으로 스크롤", contents: "책의 목차와 검색",
          toggle: "숨겨진 내용 펼치기/접기" }
  };
  var words = WORDS[(document.documentElement.lang || "en").slice(0, 2)] || WORDS.en;

  var named = 0;
  function scrollerName(el) {
    named += 1;  // landmarks of one kind need names of their own
    var what = el.matches("mjx-container, .bplib-lhs, .bplib-expr") ? words.formula
      : el.matches("pre") ? words.code : el.matches(".pst-scrollable-table-container") ? words.table
      : words.output;
    return what + " " + named + words.scrolls;
  }

  // data-bplib-scroll records what this script added ("tab", "name"), to undo it
  // when the box no longer overflows (a wider window)
  function markScrollers() {
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      var over = el.scrollWidth > el.clientWidth;   // as axe-core counts a scroll box
      var added = (el.dataset.bplibScroll || "").split(" ").filter(Boolean);
      if (over) {
        if (el.tabIndex < 0 && added.indexOf("tab") < 0) {
          el.setAttribute("tabindex", "0");
          added.push("tab");
        }
        if (!el.hasAttribute("role")) {
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", scrollerName(el));
          added.push("name");
        }
        if (added.length) el.dataset.bplibScroll = added.join(" ");
      } else if (added.length) {
        if (added.indexOf("tab") >= 0) el.removeAttribute("tabindex");
        if (added.indexOf("name") >= 0) {
          el.removeAttribute("role");
          el.removeAttribute("aria-label");
        }
        delete el.dataset.bplibScroll;
      }
    });
  }

  // The theme's left sidebar (book contents and a search button) is a plain div:
  // a landmark of its own, so everything on the page sits in one.
  function nameLandmarks() {
    var side = document.querySelector(".bd-sidebar-primary");
    if (side && !side.hasAttribute("role")) {
      side.setAttribute("role", "complementary");
      side.setAttribute("aria-label", words.contents);
    }
  }

  // sphinx-togglebutton names its buttons in English whatever the page's language
  function nameToggles() {
    if (words === WORDS.en) return;
    // (and myst-nb its hidden cells' summaries, which nameWhatIsShown completes later)
    document.querySelectorAll("[aria-label*='" + WORDS.en.toggle + "']").forEach(function (b) {
      b.setAttribute("aria-label", b.getAttribute("aria-label").replace(WORDS.en.toggle, words.toggle));
    });
  }

  function visibleText(el) {
    var clone = el.cloneNode(true);
    clone.querySelectorAll("[aria-hidden='true'], .visually-hidden, .sr-only").forEach(function (n) { n.remove(); });
    return (clone.textContent || "").replace(/\s+/g, " ").trim();
  }

  function nameWhatIsShown() {
    document.querySelectorAll("button[aria-label], a[aria-label], summary[aria-label], [role='button'][aria-label]").forEach(function (el) {
      var shown = visibleText(el);
      var label = el.getAttribute("aria-label");
      if (shown && label.toLowerCase().indexOf(shown.toLowerCase()) === -1) {
        el.setAttribute("aria-label", shown + (label && shown.toLowerCase().indexOf(label.toLowerCase()) === -1 ? " (" + label + ")" : ""));
      }
    });
  }

  // data-bplib-checked on <html>: the window width the last check saw (tests wait for it)
  function check() {
    nameToggles();
    markScrollers();
    nameWhatIsShown();
    document.documentElement.dataset.bplibChecked = String(window.innerWidth);
  }

  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 100);
  }

  var EDITION_NAMES = { en: "English", ko: "한국어" };
  function languageSwitch() {
    var header = document.querySelector(".article-header-buttons");
    if (!header || document.querySelector(".bplib-lang-switch")) return;
    document.querySelectorAll("link[rel='alternate'][data-bplib-edition]").forEach(function (link) {
      var lang = link.getAttribute("hreflang");
      var a = document.createElement("a");
      a.className = "btn btn-sm bplib-lang-switch";
      a.href = link.getAttribute("href");
      a.hreflang = lang;
      a.lang = lang;
      a.textContent = EDITION_NAMES[lang] || lang;
      a.title = lang === "ko" ? "이 장의 한국어판" : "This chapter in English";
      header.insertBefore(a, header.firstChild);
    });
  }

  function start() {
    languageSwitch();
    nameLandmarks();
    check();
    window.addEventListener("resize", later);
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      // at once, not later(): whoever waits for the typesetting (a reader's Tab key, a
      // test) must find the wide formulas it made already reachable
      MathJax.startup.promise.then(check);
    }
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(later);
    // MathJax's own fonts arrive after its typesetting: a formula grows wider then
    if (document.fonts && document.fonts.addEventListener) document.fonts.addEventListener("loadingdone", later);
    // and a box can narrow without the window changing (a sidebar opens, an image loads)
    if (window.ResizeObserver) {
      var boxes = new ResizeObserver(later);
      document.querySelectorAll(SCROLLERS).forEach(function (el) { boxes.observe(el); });
    }
    // toggle buttons are added by other scripts on load; buttons change text when clicked
    document.addEventListener("click", later);
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();

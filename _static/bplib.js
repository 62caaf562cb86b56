/* The book's own script, on every page (Jupyter Book adds every _static/*.js).
 *
 * 1. A box that scrolls sideways (wide maths, code, tables) can be reached and
 *    scrolled with the keyboard: it gets tabindex=0 while it overflows. Checked
 *    again after MathJax typesets and whenever the window is resized.
 * 2. A control's accessible name starts with the words it shows (WCAG 2.5.3,
 *    "label in name"): the theme's search button and the "Show code cell"
 *    toggles say one thing and are named another; their names are completed here.
 */
(function () {
  "use strict";
  var SCROLLERS = "mjx-container[display='true'], .bplib-lhs, .bplib-expr, .bplib-scroll, " +
    "div.highlight pre, div.cell_output .output, .bd-content .table-wrapper";

  function markScrollers() {
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      var over = el.scrollWidth > el.clientWidth + 1;
      if (over && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.dataset.bplibScroll = "1";
      } else if (!over && el.dataset.bplibScroll) {
        el.removeAttribute("tabindex");
        delete el.dataset.bplibScroll;
      }
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

  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { markScrollers(); nameWhatIsShown(); }, 100);
  }

  function start() {
    markScrollers();
    nameWhatIsShown();
    window.addEventListener("resize", later);
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(later);
    }
    // toggle buttons are added by other scripts on load; buttons change text when clicked
    document.addEventListener("click", later);
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();

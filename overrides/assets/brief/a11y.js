// Accessibility fixes for the Material theme's own widgets, loaded on every page by
// overrides/main.html. Material's footnote tooltips (content.footnote.tooltips) open as
// role="dialog" elements without a name (axe-core: aria-dialog-name); each gets one.
(function () {
  "use strict";
  var SELECTOR = '.md-tooltip2[role="dialog"]:not([aria-label])';
  // The name in the brief's language (overrides/main.html), English by default.
  var script = document.currentScript;
  var NAME = (script && script.getAttribute("data-footnote")) || "Footnote";
  function label(node) {
    if (node.nodeType !== 1) return;
    if (node.matches(SELECTOR)) node.setAttribute("aria-label", NAME);
    node.querySelectorAll(SELECTOR).forEach(function (d) { d.setAttribute("aria-label", NAME); });
  }
  label(document.body);
  new MutationObserver(function (records) {
    records.forEach(function (r) { r.addedNodes.forEach(label); });
  }).observe(document.body, { childList: true, subtree: true });
})();

// Footnote tooltips can be dismissed with Escape without moving the pointer or the focus
// (WCAG 1.4.13): hidden until the pointer or the focus moves to another element.
(function () {
  "use strict";
  var root = document.documentElement, dismissedOn = null;
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !document.querySelector(".md-tooltip2--active")) return;
    root.classList.add("brief-tooltips-dismissed");
    dismissedOn = document.activeElement;
  });
  function reset(e) {
    if (!root.classList.contains("brief-tooltips-dismissed")) return;
    if (e.type === "pointerover" && dismissedOn && dismissedOn.contains(e.target)) return;
    if (e.type === "focusin" && e.target === dismissedOn) return;
    root.classList.remove("brief-tooltips-dismissed");
    dismissedOn = null;
  }
  document.addEventListener("focusin", reset);
  document.addEventListener("pointerover", reset);
})();

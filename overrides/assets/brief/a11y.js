// Accessibility fixes for the Material theme's own widgets, loaded on every page by
// overrides/main.html. Material's footnote tooltips (content.footnote.tooltips) open as
// role="dialog" elements without a name (axe-core: aria-dialog-name); each gets one.
(function () {
  "use strict";
  var SELECTOR = '.md-tooltip2[role="dialog"]:not([aria-label])';
  function label(node) {
    if (node.nodeType !== 1) return;
    if (node.matches(SELECTOR)) node.setAttribute("aria-label", "Footnote");
    node.querySelectorAll(SELECTOR).forEach(function (d) { d.setAttribute("aria-label", "Footnote"); });
  }
  label(document.body);
  new MutationObserver(function (records) {
    records.forEach(function (r) { r.addedNodes.forEach(label); });
  }).observe(document.body, { childList: true, subtree: true });
})();

// Runs in <head> before the first paint (a blocking script): the site's Content-Security-Policy allows
// no inline script, so the two short scripts Material and gongkai used to inline live here.
(function (root) {
  "use strict";
  // Material's helpers (its partials/javascripts/base.html), unchanged but for the scope: the site's
  // root is this file's URL two folders up (assets/gongkai/head.js), which is what Material computes
  // from base_url; a configured extra.scope comes in data-md-scope and is read against the page.
  var script = document.currentScript;
  var scope = script.getAttribute("data-md-scope");
  window.__md_scope = scope ? new URL(scope, location) : new URL("../..", script.src);
  window.__md_hash = (e) => [...e].reduce((h, c) => (h << 5) - h + c.charCodeAt(0), 0);
  window.__md_get = (e, storage = localStorage, at = window.__md_scope) =>
    JSON.parse(storage.getItem(at.pathname + "." + e));
  window.__md_set = (e, value, storage = localStorage, at = window.__md_scope) => {
    try {
      storage.setItem(at.pathname + "." + e, JSON.stringify(value));
    } catch (err) {
      // Private browsing may refuse storage.
    }
  };

  // 适老化 modes (大字, 高对比) remembered by a11y.js, applied now so that a page never flashes in the
  // default size; a11y.js (deferred) wires the buttons.
  root.classList.add("gk-js");
  try {
    (localStorage.getItem("gk-a11y") || "").split(" ").forEach(function (mode) {
      if (mode === "large" || mode === "contrast") root.classList.add("gk-" + mode);
    });
  } catch (err) {
    // No storage: default modes.
  }
})(document.documentElement);

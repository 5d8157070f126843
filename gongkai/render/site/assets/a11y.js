// 适老化 buttons (大字, 高对比): toggle a class on <html> and remember the choice in localStorage.
// head.js applies the remembered modes before the first paint.
(function () {
  "use strict";
  var KEY = "gk-a11y";
  var root = document.documentElement;

  function modes() {
    return ["large", "contrast"].filter(function (mode) {
      return root.classList.contains("gk-" + mode);
    });
  }

  function sync() {
    var on = modes();
    document.querySelectorAll("[data-gk-mode]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(on.indexOf(button.dataset.gkMode) >= 0));
    });
  }

  function toggle(mode) {
    root.classList.toggle("gk-" + mode);
    try {
      localStorage.setItem(KEY, modes().join(" "));
    } catch (e) {
      // Private browsing may refuse storage: the mode still applies to this page.
    }
    sync();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-gk-mode]");
    if (button) toggle(button.dataset.gkMode);
  });
  sync();
})();

// Wide tables scroll inside their .gk-scroll box; a box whose table does not fit says so (the cue in
// site.css shows on data-gk-overflow="true"), again whenever its width changes (大字, rotating a phone).
(function () {
  "use strict";
  function mark(box) {
    var over = box.scrollWidth > box.clientWidth + 1;
    if (box.dataset.gkOverflow !== String(over)) box.dataset.gkOverflow = String(over);
  }
  var boxes = document.querySelectorAll(".gk-scroll");
  if (!window.ResizeObserver) return boxes.forEach(mark);
  var observer = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { mark(entry.target.closest(".gk-scroll")); });
  });
  boxes.forEach(function (box) {
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);  // the table grows in 大字
  });
})();

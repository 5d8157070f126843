"""Helpers for tests/e2e/test_page_layout.py: the widths and modes every page is read in, and the in-page probe
that finds content a reader cannot see (cut off, spilling out of its box, or only reachable by scrolling
the whole page sideways)."""

from __future__ import annotations

from pathlib import Path

WIDTHS = {"1366": (1366, 900), "390": (390, 844)}
MODES = {"普通": "", "大字": "large", "高对比": "contrast"}


def every_page(site: Path) -> list[str]:
    """Every HTML page of a built site, as paths relative to its root (the search bundle's files aside)."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "pagefind" not in p.parts)
    return [p.removesuffix("index.html") for p in pages]


# Runs in the page: a list of problems, one line each. An element's content is cut off when it reaches
# beyond the box of an ancestor that clips it (overflow other than visible) or beyond the window, or when
# a box clips its own text without an ellipsis (…, as Material's header title has); the one
# allowed way for content to stay out of view is a scroll container that says so (.gk-scroll with its
# data-gk-overflow cue shown, see assets/site.css and a11y.js).
OVERFLOW_PROBE = """async () => {
  // a11y.js marks the scroll boxes from a ResizeObserver, which reports at the next frame
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const problems = [];
  const root = document.scrollingElement;
  const width = root.clientWidth;
  if (root.scrollWidth > width + 1) problems.push(`the page scrolls sideways: ${root.scrollWidth} px in ${width} px`);
  const name = (el) => {
    const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + cls;
  };
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) parts.unshift(name(e));
    return parts.join(" > ");
  };
  const shown = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const hidden = (el) => {  // visually hidden on purpose: 1 px boxes read by screen readers only
    const r = el.getBoundingClientRect();
    return r.width <= 1 || r.height <= 1;
  };
  const clips = (style) => style.overflowX !== "visible" || style.overflowY !== "visible";
  const scrolls = (style) => ["auto", "scroll"].includes(style.overflowX);
  const cued = (el) => el.classList.contains("gk-scroll") && el.dataset.gkOverflow === "true" &&
    getComputedStyle(el, "::before").content.includes("滑动");
  const text = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) ||
    ["IMG", "INPUT", "BUTTON", "SELECT", "TEXTAREA", "svg"].includes(el.tagName);
  const seen = new Set();
  for (const el of document.querySelectorAll("body *")) {
    if (!el.getClientRects().length || !shown(el) || hidden(el)) continue;
    const style = getComputedStyle(el);
    if (scrolls(style) && el.scrollWidth > el.clientWidth + 1 && !cued(el)) {
      problems.push(`scrolls sideways without saying so: ${path(el)} (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
    if (!text(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.right <= 0 || box.left >= width) continue;  // a closed drawer, moved out of the window
    // Half a character of slack: inline code's padding, repeated on each line, may pass the line's end.
    const slack = Math.max(1, parseFloat(style.fontSize) / 2);
    if (style.display !== "inline" && el.scrollWidth > el.clientWidth + slack && style.overflowX === "visible" &&
        !["TABLE", "TR", "TBODY", "THEAD"].includes(el.tagName)) {
      problems.push(`text spills out of its box: ${path(el)} (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
    if (style.overflowX !== "visible" && !scrolls(style) && style.textOverflow !== "ellipsis" &&
        el.scrollWidth > el.clientWidth + slack) {  // its own text clipped, with no "…" to say so
      problems.push(`text clipped in its box: ${path(el)} (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
    let clip = null;
    for (let up = el.parentElement; up && up !== document.documentElement; up = up.parentElement) {
      if (clips(getComputedStyle(up))) { clip = up; break; }
    }
    if (clip && scrolls(getComputedStyle(clip))) continue;  // reachable by scrolling (the cue is checked above)
    if (clip && hidden(clip)) continue;  // inside a box read by screen readers only
    const edge = clip ? clip.getBoundingClientRect() : {left: 0, right: width, top: -Infinity, bottom: Infinity};
    const left = Math.max(edge.left, clip ? 0 : -Infinity), right = Math.min(edge.right, width);
    const cut = box.left < left - 1 || box.right > right + 1 ||
      (clip && (box.top < edge.top - 1 || box.bottom > edge.bottom + 1));
    if (cut && !seen.has(el.parentElement)) {
      seen.add(el);
      const where = clip ? `inside ${name(clip)}` : "by the window";
      problems.push(`cut off ${where}: ${path(el)} «${(el.textContent || el.value || "").trim().slice(0, 20)}» ` +
        `(${Math.round(box.left)}–${Math.round(box.right)} px of ${Math.round(left)}–${Math.round(right)} px)`);
    }
  }
  return problems;
}"""

// The /search/ page: Pagefind finds the pages holding each term; facets, counts, order and the
// results shown come from gongkai's own files beside Pagefind's (gongkai/render/search/pack.py).
// The URL query string holds the state (?q=…&领域=…&sort=date), so a result list can be shared and
// a reload restores it. Search works like Ctrl-F: a page matches when it contains every
// space-separated term; the index holds character grams (tokens.py), termWords picks those of a term.
import { allPages, fetchJson, loadData, narrow, ordered, publishedVersion } from "./facets.js";
import { suggestions } from "./suggest.js";
import { excerpt, expansions, holdsAny, queryTerms, termPages, termWords } from "./terms.js";

const PAGE_SIZE = 10;
const TYPING_DELAY_MS = 250;
const MAX_QUERY = 50; // characters searched; the rest of a longer query is left out (and said so)
const RELOADED = "gk-search-reloaded"; // sessionStorage: the bundle version this tab was reloaded for
const [TOWN, VILLAGE] = ["乡镇", "村"]; // facet names, from markers.py

const box = document.querySelector(".gk-search");
const form = box.querySelector(".gk-search__form");
const input = form.querySelector("input[name=q]");
const sortSelect = form.querySelector("select[name=sort]");
const main = box.querySelector(".gk-search__main");
const status = box.querySelector(".gk-search__status");
const list = box.querySelector(".gk-search__list");
const more = box.querySelector(".gk-search__more");
const toggle = box.querySelector(".gk-search__toggle"); // on a phone, opens the facets (筛选)
const apply = box.querySelector(".gk-search__apply");
const suggest = box.querySelector(".gk-search__suggest");
const { sortKey } = box.dataset; // the sort parameter's value, from markers.py
const base = new URL(`${box.dataset.root}/`, location.href);
const bundle = new URL("pagefind/", base);

let pagefind = null;
let data = null; // facets.json: { pages, head, facets: [{ name, values, codes }] }, grams.json, their folder
let totals = {};
let results = []; // page numbers, in the order shown
let shown = 0;
let generation = 0;
let timer = 0;
let terms = [];
let expanded = new Set(); // results found only by an abbreviation's other spelling
let vias = null; // page → { via: [the spellings that found it] }
let ready = false; // the data and Pagefind are loaded and the facets built

start();

async function start() {
  readQuery(); // the form shows at once; what is typed before the data loads is searched once it has
  // Enter before the data has loaded must not submit the form natively (a page reload on a slow
  // phone): the query goes into the URL, and start() searches the input's text once loaded.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (ready) update(true);
    else writeUrl(true);
  });
  form.hidden = false;
  try {
    [data, pagefind] = await Promise.all([loadData(bundle), import(new URL("pagefind.js", bundle).href)]);
    await pagefind.options({ baseUrl: base.pathname });
  } catch (error) {
    console.error("搜索索引加载失败", error);
    form.hidden = true;
    box.querySelector(".gk-search__failed").hidden = false;
    return;
  }
  totals = narrow(data, allPages(data), {}).counts;
  for (const fieldset of box.querySelectorAll("fieldset[data-filter]")) buildFacet(fieldset);
  readFilters();
  main.hidden = false;
  listen();
  ready = true;
  await run().catch(fail);
}

function buildFacet(fieldset) {
  const name = fieldset.dataset.filter;
  const counts = totals[name] ?? {};
  const values = Object.keys(counts);
  const numeric = values.every((v) => /^\d+$/.test(v));
  // Years newest first; other facets by how many documents they hold, then in pinyin order.
  values.sort(numeric ? (a, b) => b - a : (a, b) => counts[b] - counts[a] || a.localeCompare(b, "zh-CN"));
  fieldset.querySelector("ul").append(...values.map((value) => facetItem(name, value)));
  fieldset.hidden = values.length === 0;
}

function facetItem(name, value) {
  const checkbox = element("input");
  checkbox.type = "checkbox";
  checkbox.name = name;
  checkbox.value = value;
  const label = element("label");
  label.append(checkbox, value, " ", element("span", "gk-facet__count"));
  const item = element("li");
  item.append(label);
  return item;
}

function checkboxes() {
  return [...main.querySelectorAll("input[type=checkbox]")];
}

function state() {
  const filters = {};
  for (const checkbox of checkboxes()) {
    if (checkbox.checked) (filters[checkbox.name] ??= []).push(checkbox.value);
  }
  return { q: input.value.trim(), sort: sortSelect.value, filters };
}

function readQuery() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") ?? "";
  sortSelect.value = params.get("sort") === sortKey ? sortKey : "";
}

function readFilters() {
  const params = new URLSearchParams(location.search);
  for (const checkbox of checkboxes()) {
    checkbox.checked = params.getAll(checkbox.name).includes(checkbox.value);
  }
}

function writeUrl(push) {
  const { q, sort, filters } = state();
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  for (const [name, values] of Object.entries(filters)) {
    for (const value of values) params.append(name, value);
  }
  if (sort) params.set("sort", sort);
  const query = params.toString();
  const url = location.pathname + (query ? `?${query}` : "");
  if (url !== location.pathname + location.search) {
    history[push ? "pushState" : "replaceState"](null, "", url);
  }
}

function listen() {
  input.addEventListener("input", (event) => {
    if (event.isComposing) return; // wait for the input method to finish the word
    clearTimeout(timer);
    timer = setTimeout(() => update(false), TYPING_DELAY_MS);
  });
  input.addEventListener("compositionend", () => update(false));
  sortSelect.addEventListener("change", () => update(true));
  main.addEventListener("change", (event) => {
    if (event.target.type === "checkbox") update(true, true);
  });
  toggle.addEventListener("click", () => openFilters(!main.hasAttribute("data-open")));
  apply.addEventListener("click", () => {
    openFilters(false);
    status.scrollIntoView({ block: "start" });
    status.focus();
  });
  box.querySelector(".gk-search__clear").addEventListener("click", () => {
    for (const checkbox of checkboxes()) checkbox.checked = false;
    update(true, true);
  });
  more.addEventListener("click", () => showMore(generation, true).catch(fail));
  window.addEventListener("popstate", () => {
    readQuery();
    readFilters();
    run().catch(fail);
  });
}

function update(push, filtered = false) {
  clearTimeout(timer);
  writeUrl(push);
  run(filtered).catch(fail);
}

// filtered: a facet changed — the count line flashes, so that the change shows where the eye is.
async function run(filtered = false) {
  const current = ++generation;
  const { q, sort, filters } = state();
  const chars = Array.from(q); // characters, not UTF-16 units: never cut one in half
  const cut = chars.length > MAX_QUERY;
  const wanted = queryTerms(cut ? chars.slice(0, MAX_QUERY).join("") : q);
  if (!wanted.length && Object.keys(filters).length === 0) {
    results = [];
    showCounts(totals);
    showStatus(q ? "搜索词只有空白或引号，请输入要查找的文字。" : "输入关键词搜索，或勾选筛选条件浏览文件。");
    box.gkDone = { q, ids: [] };
    return;
  }
  const extra = expansions(wanted, data.grams.abbr);
  const now = publishedVersion(bundle).catch(() => data.version); // asked beside the search, not before it
  const found = wanted.length ? await findAll(wanted, extra) : null;
  if (current !== generation) return;
  if (republished(await now)) return;
  const { passing, counts } = narrow(data, found ? [...found.keys()] : allPages(data), filters);
  showCounts(counts);
  results = ordered(passing, found, sort);
  expanded = new Set(found ? results.filter((page) => found.get(page).via.length) : []);
  vias = found;
  terms = [...wanted.flatMap((term) => term.forms), ...extra.flat().flatMap((e) => e.form ?? e.via.split("、"))];
  const literal = results.length - expanded.size;
  const also = expanded.size ? `，另有 ${expanded.size} 条按同义写法${quoted(found, expanded)}找到，排在后面` : "";
  showStatus(`找到 ${literal} 条结果${also}` + (cut ? `（搜索词过长，只按前 ${MAX_QUERY} 个字查找）` : ""));
  apply.textContent = `查看 ${results.length} 条结果`;
  if (filtered) flash();
  if (!results.length && wanted.length) await showSuggestions(current, wanted, filters);
  await showMore(current, false);
  // For the accuracy harness (benchmarks/search_accuracy.py): which query the list now answers, the
  // literal results (what Ctrl-F finds) apart from those found by an abbreviation's other spelling.
  if (current === generation) {
    const ids = (pages) => pages.map((page) => page.toString(36));
    box.gkDone = { q, ids: ids(results.filter((p) => !expanded.has(p))), expanded: ids([...expanded]) };
  }
}

function quoted(found, pages) {
  return [...new Set([...pages].flatMap((page) => found.get(page).via))].map((via) => `「${via}」`).join("");
}

// The pages holding every term: page number → { score, head, via }, head counting the terms found
// in the title or 文号 (the first data.head positions of a page, tokens.py). A term is found in any
// of its forms (forms.js), else in one of its expansions (extra, terms.js): via names those used.
async function findAll(wanted, extra) {
  const searches = new Map(); // index word → Pagefind's search for it, once per query
  const search = (word) => searches.get(word) ?? searches.set(word, pagefind.search(word)).get(word);
  const formPages = async (form) => {
    const words = termWords(form, data.grams);
    return termPages(words, await Promise.all(words.map(([, word]) => search(word))), data.head);
  };
  const perTerm = await Promise.all(wanted.map(async (term, i) => {
    const literal = union(await Promise.all(term.forms.map(formPages)));
    const wordPages = async (word) => termPages([[0, word]], [await search(word)], data.head);
    const other = await Promise.all(extra[i].map(async ({ form, word, via }) =>
      [via, await (word ? wordPages(word) : formPages(form))]));
    const more = new Map();
    for (const [via, pages] of other) {
      for (const [page, hit] of pages) if (!literal.has(page) && !more.has(page)) more.set(page, { ...hit, via });
    }
    return [[literal, false], [more, true]];
  }));
  let found = null;
  for (const kinds of perTerm) {
    const next = new Map();
    for (const [pages, isExpanded] of kinds) {
      for (const [page, hit] of pages) {
        const before = found ? found.get(page) : { score: 0, head: 0, via: [] };
        if (!before) continue;
        const via = isExpanded ? [...before.via, hit.via] : before.via;
        next.set(page, { score: before.score + hit.score, head: before.head + hit.head, via });
      }
    }
    found = next;
  }
  return found;
}

function union(maps) {
  const all = new Map();
  for (const map of maps) {
    for (const [page, hit] of map) {
      const before = all.get(page);
      all.set(page, before ? { score: Math.max(before.score, hit.score), head: Math.max(before.head, hit.head) } : hit);
    }
  }
  return all;
}

// A value no result holds is hidden (unless ticked), and a facet with no value left; the 村 facet
// (hundreds of values) shows once a 乡镇 or a 村 is ticked. The 筛选 button says how many are ticked.
function showCounts(counts) {
  for (const checkbox of checkboxes()) {
    const count = counts[checkbox.name]?.[checkbox.value] ?? 0;
    checkbox.parentElement.querySelector(".gk-facet__count").textContent = `(${count})`;
    checkbox.closest("li").hidden = count === 0 && !checkbox.checked;
  }
  const ticked = (name) => main.querySelector(`fieldset[data-filter="${name}"] input:checked`);
  for (const fieldset of main.querySelectorAll("fieldset[data-filter]")) {
    const open = fieldset.dataset.filter !== VILLAGE || ticked(TOWN) || ticked(VILLAGE);
    fieldset.hidden = !open || !fieldset.querySelector("li:not([hidden])");
  }
  const active = checkboxes().filter((checkbox) => checkbox.checked).length;
  toggle.querySelector(".gk-search__active").textContent = active ? `（已选 ${active} 项）` : "";
}

function openFilters(open) {
  main.toggleAttribute("data-open", open);
  toggle.setAttribute("aria-expanded", String(open));
}

function flash() {
  status.classList.remove("gk-search__status--fresh");
  void status.offsetWidth; // restart the animation
  status.classList.add("gk-search__status--fresh");
}

// An empty result: other queries that do find pages (suggest.js), as links with their counts.
async function showSuggestions(current, wanted, filters) {
  const found = [];
  for (const query of suggestions(wanted, data.grams.abbr)) {
    const terms = queryTerms(query);
    const pages = await findAll(terms, expansions(terms, data.grams.abbr));
    const { passing } = narrow(data, [...pages.keys()], filters);
    if (passing.length) found.push([query, passing.length]);
  }
  if (current !== generation) return;
  const intro = element("p", "", found.length ? "没有找到。可以试试这些写法：" : "没有找到。请减少搜索词、换一种说法，或检查错别字。");
  const items = found.map(([query, count]) => {
    const params = new URLSearchParams(location.search);
    params.set("q", query);
    const link = element("a", "", `${query}（${count}）`);
    link.href = `${location.pathname}?${params}`;
    const item = element("li");
    item.append(link);
    return item;
  });
  const listed = element("ul");
  listed.append(...items);
  suggest.replaceChildren(intro, ...(items.length ? [listed] : []));
  suggest.hidden = false;
}

function showStatus(text) {
  status.textContent = text;
  suggest.hidden = true;
  suggest.replaceChildren();
  list.replaceChildren();
  shown = 0;
  more.hidden = true;
}

async function showMore(current, moveFocus) {
  const page = results.slice(shown, shown + PAGE_SIZE);
  const records = await Promise.all(page.map(async (n) => {
    const record = await fetchJson(new URL(`r/${n.toString(36)}.json`, data.folder));
    // m: the body goes on beyond the lead (pack.py); fetch it when no term is in the lead or the
    // metadata lines (h).
    if (record.m && terms.length && !holdsAny(record.x, terms) && !holdsAny(record.h ?? "", terms)) {
      Object.assign(record, await fetchJson(new URL(`t/${n.toString(36)}.json`, data.folder)));
    }
    record.page = n;
    return record;
  }));
  if (current !== generation) return;
  const items = records.map(resultItem);
  list.append(...items);
  shown += items.length;
  more.hidden = shown >= results.length;
  if (moveFocus && items.length) items[0].querySelector("a").focus();
}

// A record (pack.py): u URL from the site root, t title, d date, n 文号, x body, h metadata lines.
function resultItem(record) {
  const link = element("a", "gk-result__title", record.t || record.u);
  link.href = new URL(record.u, base).pathname;
  const meta = element("p", "gk-result__meta");
  if (record.d) {
    const time = element("time", "", record.d);
    time.dateTime = record.d;
    meta.append("发布日期：", time);
  }
  if (record.n) meta.append(element("span", "", `文号：${record.n}`));
  const text = element("p", "gk-result__excerpt");
  text.append(...excerpt(record, terms).map(([part, marked]) =>
    marked ? element("mark", "", part) : document.createTextNode(part)));
  const item = element("li", "gk-result");
  const via = vias?.get(record.page)?.via ?? [];
  const note = via.length ? [element("p", "gk-result__via", `按同义写法${via.map((v) => `「${v}」`).join("")}找到`)] : [];
  item.append(link, ...note, ...(meta.childNodes.length ? [meta] : []), text);
  return item;
}

function element(tag, className = "", text = "") {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

async function fail(error) {
  if (republished(await publishedVersion(bundle).catch(() => data?.version))) return;
  console.error("搜索出错", error);
  showStatus("搜索出错，请刷新页面后重试。");
}

// The site was published again since this page loaded its index: the index in memory is the old one, whose
// files are removed (an error) or no longer say what the pages hold (a word added since: 0 results). The
// page is loaded again — the URL holds the query and the filters —, once per version (never a loop, even
// where two servers answer with different versions).
function republished(version) {
  if (!data || version === data.version) return false;
  try {
    if (sessionStorage.getItem(RELOADED) === version) return false;
    sessionStorage.setItem(RELOADED, version);
  } catch {
    return false; // no storage: no reload that could loop
  }
  showStatus("网站刚刚更新，正在重新载入搜索……");
  location.reload();
  return true;
}

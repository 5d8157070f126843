// The /search/ page: Pagefind results with live facet counts. The URL query string holds the
// state (?q=…&领域=…&sort=date), so a result list can be shared and a reload restores it.
// Search works like Ctrl-F: a page matches when it contains every space-separated term. The index
// holds each text as character-bigram tokens (gongkai/render/search/tokens.py); encodeTerm maps a
// term the same way, and a term is the exact phrase of its bigrams.
import { encodeTerm, excerpt, queryTerms } from "./terms.js";

const PAGE_SIZE = 10;
const TYPING_DELAY_MS = 250;
const MAX_QUERY = 50; // characters searched; the rest of a longer query is left out (and said so)

const box = document.querySelector(".gk-search");
const form = box.querySelector(".gk-search__form");
const input = form.querySelector("input[name=q]");
const sortSelect = form.querySelector("select[name=sort]");
const main = box.querySelector(".gk-search__main");
const status = box.querySelector(".gk-search__status");
const list = box.querySelector(".gk-search__list");
const more = box.querySelector(".gk-search__more");
const { sortKey, dateKey, docNoKey } = box.dataset; // marker names, from markers.py
const base = new URL(`${box.dataset.root}/`, location.href);

let pagefind = null;
let totals = {};
let results = [];
let shown = 0;
let generation = 0;
let timer = 0;
let terms = [];
let memberships = null;

start();

async function start() {
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", base).href);
    await pagefind.options({ baseUrl: base.pathname, excerptLength: 40 });
    totals = await pagefind.filters();
  } catch (error) {
    console.error("搜索索引加载失败", error);
    box.querySelector(".gk-search__failed").hidden = false;
    return;
  }
  for (const fieldset of box.querySelectorAll("fieldset[data-filter]")) buildFacet(fieldset);
  readUrl();
  form.hidden = false;
  main.hidden = false;
  listen();
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

function readUrl() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") ?? "";
  sortSelect.value = params.get("sort") === sortKey ? sortKey : "";
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
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    update(true);
  });
  input.addEventListener("input", (event) => {
    if (event.isComposing) return; // wait for the input method to finish the word
    clearTimeout(timer);
    timer = setTimeout(() => update(false), TYPING_DELAY_MS);
  });
  input.addEventListener("compositionend", () => update(false));
  sortSelect.addEventListener("change", () => update(true));
  main.addEventListener("change", (event) => {
    if (event.target.type === "checkbox") update(true);
  });
  more.addEventListener("click", () => showMore(generation, true).catch(fail));
  window.addEventListener("popstate", () => {
    readUrl();
    run().catch(fail);
  });
}

function update(push) {
  clearTimeout(timer);
  writeUrl(push);
  run().catch(fail);
}

async function run() {
  const current = ++generation;
  const { q, sort, filters } = state();
  const cut = q.length > MAX_QUERY;
  const wanted = queryTerms(cut ? q.slice(0, MAX_QUERY) : q);
  if (!wanted.length && Object.keys(filters).length === 0) {
    results = [];
    showCounts(totals);
    showStatus(q ? "搜索词只有空白或引号，请输入要查找的文字。" : "输入关键词搜索，或勾选筛选条件浏览文件。");
    box.gkDone = { q, ids: [] };
    return;
  }
  const found = wanted.length > 1 ? await findAll(wanted, filters, sort) : await findOne(wanted[0], filters, sort);
  if (current !== generation) return;
  showCounts(found.counts);
  results = found.results;
  terms = wanted;
  showStatus(`找到 ${results.length} 条结果` + (cut ? `（搜索词过长，只按前 ${MAX_QUERY} 个字查找）` : ""));
  await showMore(current, false);
  // For the accuracy harness (benchmarks/search_accuracy.py): which query the list now answers.
  if (current === generation) box.gkDone = { q, ids: results.map((r) => r.id) };
}

// One term (or none): Pagefind's result list and filter counts are exact.
async function findOne(term, filters, sort) {
  const query = term === undefined ? null : encodeTerm(term);
  const options = { filters: pagefindFilters(filters) };
  // Without a query there is no relevance to rank by: newest first.
  if (sort || !query) options.sort = { [sortKey]: "desc" };
  const search = await pagefind.search(query, options);
  return { results: search.results, counts: await facetCounts(query, filters, search) };
}

// Several terms: one Pagefind search per term, intersected here; filters and counts from the
// pages each facet value holds (filter-only searches, no download: the filters are loaded).
async function findAll(wanted, filters, sort) {
  const order = sort ? { sort: { [sortKey]: "desc" } } : {};
  const searches = await Promise.all(wanted.map((term, i) => pagefind.search(encodeTerm(term), i ? {} : order)));
  const score = new Map();
  for (const search of searches) for (const r of search.results) score.set(r.id, (score.get(r.id) ?? 0) + r.score);
  const sets = searches.slice(1).map((search) => new Set(search.results.map((r) => r.id)));
  let base = searches[0].results.filter((r) => sets.every((set) => set.has(r.id)));
  if (!sort) base = base.sort((a, b) => score.get(b.id) - score.get(a.id));
  const members = await (memberships ??= facetMembers());
  const passes = (r, skip) =>
    Object.entries(filters).every(([name, values]) => name === skip || values.some((v) => members[name]?.[v]?.has(r.id)));
  const counts = {};
  for (const [name, values] of Object.entries(members)) {
    const pool = base.filter((r) => passes(r, name));
    counts[name] = Object.fromEntries(Object.entries(values).map(([v, ids]) => [v, pool.filter((r) => ids.has(r.id)).length]));
  }
  return { results: base.filter((r) => passes(r)), counts };
}

async function facetMembers() {
  const pairs = Object.entries(totals).flatMap(([name, counts]) => Object.keys(counts).map((value) => [name, value]));
  const searches = await Promise.all(pairs.map(([name, value]) => pagefind.search(null, { filters: { [name]: value } })));
  const members = {};
  pairs.forEach(([name, value], i) => {
    (members[name] ??= {})[value] = new Set(searches[i].results.map((r) => r.id));
  });
  return members;
}

// Values ticked within one facet are alternatives (any); different facets narrow each other.
function pagefindFilters(filters) {
  return Object.fromEntries(Object.entries(filters).map(([name, values]) => [name, { any: values }]));
}

// A facet's counts ignore its own ticks, so that its other values show what ticking them adds.
async function facetCounts(query, filters, search) {
  const counts = { ...search.filters };
  await Promise.all(Object.keys(filters).map(async (name) => {
    const others = { ...filters };
    delete others[name];
    if (!query && Object.keys(others).length === 0) {
      counts[name] = totals[name];
      return;
    }
    const wider = await pagefind.search(query, { filters: pagefindFilters(others) });
    counts[name] = wider.filters[name];
  }));
  return counts;
}

function showCounts(counts) {
  for (const checkbox of checkboxes()) {
    const count = counts[checkbox.name]?.[checkbox.value] ?? 0;
    checkbox.parentElement.querySelector(".gk-facet__count").textContent = `(${count})`;
    checkbox.disabled = count === 0 && !checkbox.checked;
  }
}

function showStatus(text) {
  status.textContent = text;
  list.replaceChildren();
  shown = 0;
  more.hidden = true;
}

async function showMore(current, moveFocus) {
  const page = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(page.map((result) => result.data()));
  if (current !== generation) return;
  const items = data.map(resultItem);
  list.append(...items);
  shown += items.length;
  more.hidden = shown >= results.length;
  if (moveFocus && items.length) items[0].querySelector("a").focus();
}

function resultItem(data) {
  const link = element("a", "gk-result__title", data.meta.title || data.url);
  link.href = data.url;
  const meta = element("p", "gk-result__meta");
  const date = data.meta[dateKey];
  if (date) {
    const time = element("time", "", date);
    time.dateTime = date;
    meta.append("发布日期：", time);
  }
  const docNo = data.meta[docNoKey];
  if (docNo && docNo !== "无") meta.append(element("span", "", `文号：${docNo}`));
  const text = element("p", "gk-result__excerpt");
  text.append(...excerpt(data.content, data.meta.title ?? "", terms).map(([part, marked]) =>
    marked ? element("mark", "", part) : document.createTextNode(part)));
  const item = element("li", "gk-result");
  item.append(link, ...(meta.childNodes.length ? [meta] : []), text);
  return item;
}

function element(tag, className = "", text = "") {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function fail(error) {
  console.error("搜索出错", error);
  showStatus("搜索出错，请刷新页面后重试。");
}

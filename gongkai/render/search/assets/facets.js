// The search page's own data beside Pagefind's (gongkai/render/search/pack.py): per facet, its values
// and a column with each page's value; pages are numbered oldest first. Counting and ordering here.
const FACET_BASE = 0x3a; // the character FACET_BASE + i in a facet column is value i - 1, FACET_BASE none

// gongkai.json names the version of the files below; it is revalidated on every visit.
export async function loadData(bundle) {
  const version = await publishedVersion(bundle);
  const folder = new URL(`gk/${version}/`, bundle);
  const [loaded, grams] = await Promise.all(["facets.json", "grams.json"].map((name) => fetchJson(new URL(name, folder))));
  for (const facet of loaded.facets) {
    facet.codes = decode(facet.column);
    delete facet.column;
  }
  return { ...loaded, grams: { longest: grams.longest, common: new Set(grams.common), abbr: grams.abbr ?? [] }, folder, version };
}

// A column, one character per page (its code units: FACET_BASE + a value's number is below the surrogates),
// into numbers. A loop over code units: Uint16Array.from would walk the string's iterator and call back per page.
function decode(column) {
  const codes = new Uint16Array(column.length);
  for (let page = 0; page < column.length; page++) codes[page] = column.charCodeAt(page) - FACET_BASE;
  return codes;
}

/** The version of the bundle published now (revalidated: never a cached copy's). */
export async function publishedVersion(bundle) {
  const { version } = await fetchJson(new URL("gongkai.json", bundle), { cache: "no-cache" });
  return version;
}

export async function fetchJson(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** Every page number (in no order: ordered sorts them). */
export function allPages(data) {
  return Array.from({ length: data.pages }, (_, page) => page);
}

// The pages passing the ticked facets, and each facet's counts. Values ticked within one facet are
// alternatives (any); different facets narrow each other. A facet's counts ignore its own ticks,
// so that its other values show what ticking them adds: a page failing one facet only counts there.
export function narrow(data, pages, filters) {
  const facets = data.facets;
  const ticked = facets.map(({ name, values }) =>
    filters[name] ? new Set(filters[name].map((v) => values.indexOf(v) + 1).filter((code) => code > 0)) : null);
  const counts = facets.map(({ values }) => new Uint32Array(values.length + 1));
  const passing = [];
  for (const page of pages) {
    let failed = -1;
    let failures = 0;
    for (let i = 0; i < facets.length && failures < 2; i++) {
      if (ticked[i] && !ticked[i].has(facets[i].codes[page])) {
        failures++;
        failed = i;
      }
    }
    if (failures === 0) {
      passing.push(page);
      for (let i = 0; i < facets.length; i++) counts[i][facets[i].codes[page]]++;
    } else if (failures === 1) {
      counts[failed][facets[failed].codes[page]]++;
    }
  }
  const named = Object.fromEntries(facets.map(({ name, values }, i) =>
    [name, Object.fromEntries(values.map((value, v) => [value, counts[i][v + 1]]))]));
  return { passing, counts: named };
}

// Pages are numbered oldest first (pack.py): the newest has the highest number. Literal results
// before those found by an abbreviation's other spelling (via); by relevance: title or 文号 hits
// first, then Pagefind's score.
export function ordered(pages, found, sort) {
  if (!found) return pages.sort((a, b) => b - a);
  const rank = (page) => found.get(page);
  const tier = (a, b) => Math.sign(rank(a).via.length) - Math.sign(rank(b).via.length);
  if (sort) return pages.sort((a, b) => tier(a, b) || b - a);
  return pages.sort((a, b) => tier(a, b) || rank(b).head - rank(a).head || rank(b).score - rank(a).score || b - a);
}


// Query terms → index tokens (the mirror of tokens.py), and excerpts of a result's text.
// A code is 3 base-36 digits for code points below SHORT, else "z" + 4 digits; a token is the
// codes of two neighbouring characters, the last character of a run paired with END.
const SHORT = 35 * 36 * 36;
const END = "000";
const EXCERPT_BEFORE = 20;
const EXCERPT_LENGTH = 90;

// ASCII letters only are folded, as tokens.py folds the text.
const fold = (text) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

function code(char) {
  const point = char.codePointAt(0);
  return point < SHORT ? point.toString(36).padStart(3, "0") : `z${point.toString(36).padStart(4, "0")}`;
}

/** The terms of a query: space-separated, ASCII double quotes read as spaces, folded. */
export function queryTerms(query) {
  return fold(query.replace(/"/g, " ")).split(/\s+/).filter(Boolean);
}

/**
 * The index words that find a term, as [offset, word] pairs. One character: the prefix of every
 * bigram it starts. More: bigrams at offsets 0, 2, 4, … and n - 2, which cover every character; the
 * term is at a word position p when each word is at p + its offset (search.js checks that). Half
 * the bigrams of a long term are fetched, and the rarer words of a phrase are never skipped.
 */
export function termWords(term) {
  const codes = Array.from(term, code);
  if (codes.length === 1) return [[0, codes[0]]];
  const offsets = [];
  for (let at = 0; at < codes.length - 1; at += 2) offsets.push(at);
  if (offsets.at(-1) !== codes.length - 2) offsets.push(codes.length - 2);
  return offsets.map((at) => [at, codes[at] + codes[at + 1]]);
}

/**
 * The pages where a term's words stand at their offsets from one start position: page number →
 * { score, head }, head 1 when a start lies in the first ``head`` positions (title and 文号).
 * ``searches`` holds Pagefind's search for each of ``words``; a result's id is its page in base 36.
 */
export function termPages(words, searches, head) {
  const byPage = searches.map((search) => new Map(search.results.map((r) => [r.id, r])));
  const pages = new Map();
  for (const [id, first] of byPage[0]) {
    const others = byPage.slice(1).map((map) => map.get(id));
    if (others.some((r) => !r)) continue;
    const at = others.map((r) => new Set(r.words));
    const starts = first.words.filter((p) => at.every((set, k) => set.has(p + words[k + 1][0])));
    if (!starts.length) continue;
    const score = first.score + others.reduce((sum, r) => sum + r.score, 0);
    pages.set(parseInt(id, 36), { score, head: starts.some((p) => p < head) ? 1 : 0 });
  }
  return pages;
}

/** Whether text holds any of the terms. */
export function holdsAny(text, terms) {
  const folded = fold(text);
  return terms.some((term) => folded.includes(term));
}

/** [text, marked] pieces of a readable excerpt of text around the first term found in it. */
export function excerpt(source, terms) {
  const text = source.replace(/\s+/g, " ").trim();
  const folded = fold(text);
  const hits = terms.map((term) => folded.indexOf(term)).filter((at) => at >= 0);
  const from = hits.length ? Math.max(0, Math.min(...hits) - EXCERPT_BEFORE) : 0;
  const window = text.slice(from, from + EXCERPT_LENGTH);
  const pieces = [];
  let at = 0;
  while (at < window.length) {
    const next = nextHit(fold(window), terms, at);
    if (!next) break;
    if (next.at > at) pieces.push([window.slice(at, next.at), false]);
    pieces.push([window.slice(next.at, next.at + next.length), true]);
    at = next.at + next.length;
  }
  if (at < window.length) pieces.push([window.slice(at), false]);
  if (from > 0) pieces.unshift(["…", false]);
  if (from + EXCERPT_LENGTH < text.length) pieces.push(["…", false]);
  return pieces;
}

function nextHit(folded, terms, from) {
  let best = null;
  for (const term of terms) {
    const at = folded.indexOf(term, from);
    if (at >= 0 && (!best || at < best.at || (at === best.at && term.length > best.length))) {
      best = { at, length: term.length };
    }
  }
  return best;
}

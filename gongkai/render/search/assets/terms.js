// Query terms → index words (the mirror of tokens.py), and excerpts of a result's text.
// A code is 3 base-36 digits for code points below SHORT, else "z" + 4 digits. A gram word is its
// length (one base-36 digit) and its codes, at every position; a page word is "y" and the same, once
// per page, for a single character or a common gram (grams.json, grams.py).
const SHORT = 35 * 36 * 36;
const RARE = 1; // the cost of a rare gram in a cover; a common one costs COMMON
const COMMON = 1000;
const EXCERPT_BEFORE = 20;
const EXCERPT_LENGTH = 90;

import { fold, queryText, termForms } from "./forms.js";

function code(char) {
  const point = char.codePointAt(0);
  return point < SHORT ? point.toString(36).padStart(3, "0") : `z${point.toString(36).padStart(4, "0")}`;
}

const spell = (chars) => chars.length.toString(36) + chars.map(code).join("");

// What Python's str.split() splits at (tokens.runs), which is not quite JavaScript's \s (no U+FEFF).
const SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * The terms of a query: space-separated, ASCII double quotes read as spaces, folded (forms.js); each
 * as { text, forms }, forms being the spellings it is searched in (a page holding any of them has it).
 */
export function queryTerms(query) {
  const texts = queryText(query.replace(/"/g, " ")).split(SPACE).filter(Boolean);
  return texts.map((text) => ({ text, forms: termForms(text) }));
}


/**
 * The index words that find a term, as [offset, word] pairs; ``grams`` is grams.json with ``common``
 * as a Set. A single character or a common gram: its page word. Else the fewest rare grams that cover
 * every character (a gram is indexed wherever it stands when it is a bigram or one character longer
 * than a common gram); the term is at a position p when each word is at p + its offset.
 */
export function termWords(term, grams) {
  const chars = Array.from(term);
  if (chars.length === 1 || grams.common.has(term)) return [[0, `y${spell(chars)}`]];
  const n = chars.length;
  const indexed = (from, to) => to - from === 2 || (to - from <= grams.longest &&
    (grams.common.has(chars.slice(from, to - 1).join("")) || grams.common.has(chars.slice(from + 1, to).join(""))));
  // cost[x]: the cheapest cover of the first x characters; how[x]: its last gram [from, to) and the x before.
  const cost = [0, ...Array(n).fill(Infinity)];
  const how = [];
  for (let to = 2; to <= n; to++) {
    for (let from = Math.max(0, to - grams.longest); from <= to - 2; from++) {
      if (!indexed(from, to)) continue;
      const price = grams.common.has(chars.slice(from, to).join("")) ? COMMON : RARE;
      for (let x = from; x < to; x++) {
        if (cost[x] + price < cost[to]) [cost[to], how[to]] = [cost[x] + price, [from, x]];
      }
    }
  }
  const words = [];
  for (let to = n; to > 0; to = how[to][1]) {
    const from = how[to][0];
    words.unshift([from, spell(chars.slice(from, to))]);
  }
  return words;
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

const MAX_SPELLED = 1; // terms holding an abbreviation, searched with it replaced: each costs its words' chunks

/**
 * The other spellings of each query term (abbreviations.py's groups, from grams.json), as
 * { word, via } or { form, via } (via: the other spelling). A term that is a spelling of a group is
 * found through the group's page word (tokens.py group_word: one small chunk for all groups); a term
 * holding a spelling is searched with it replaced by each other spelling, at most MAX_SPELLED of those
 * in a query. None is a form a page holding the term holds anyway.
 */
export function expansions(terms, groups) {
  let left = MAX_SPELLED;
  return terms.map((term) => {
    const found = [];
    groups.forEach((group, index) => {
      if (group.includes(term.text)) {
        found.push({ word: groupWord(index), via: group.filter((s) => s !== term.text).join("、") });
        return;
      }
      for (const from of group.filter((spelling) => term.text.includes(spelling))) {
        for (const via of group) {
          const form = term.text.replaceAll(from, via);
          if (via === from || form.includes(term.text) || found.some((e) => e.form === form) || left <= 0) continue;
          found.push({ form, via });
          left--;
        }
      }
    });
    return found;
  });
}

/** The page word of abbreviation group ``index`` (tokens.py group_word). */
export function groupWord(index) {
  return `x${index.toString(36).padStart(3, "0")}`;
}

/** Whether text holds any of the terms. */
export function holdsAny(text, terms) {
  const folded = fold(text);
  return terms.some((term) => folded.includes(term));
}

/**
 * [text, marked] pieces of a result's excerpt: the body around the first term found in it, else the
 * line of the metadata block holding one (a whole line, never a fragment of several), else the body's start.
 */
export function excerpt(record, terms) {
  if (holdsAny(record.x, terms)) return around(record.x, terms);
  const line = (record.h ?? "").split("\n").find((text) => holdsAny(text, terms));
  return around(line ?? record.x, terms);
}

function around(source, terms) {
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

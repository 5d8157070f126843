// Query terms → index tokens, and index tokens → readable text: the mirror of tokens.py.
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

/** A term as a Pagefind query: one character is a prefix of its bigrams; more, the exact phrase. */
export function encodeTerm(term) {
  const codes = Array.from(term, code);
  if (codes.length === 1) return codes[0];
  const tokens = codes.slice(1).map((second, i) => codes[i] + second);
  return tokens.length === 1 ? tokens[0] : `"${tokens.join(" ")}"`;
}

/** The text a fragment's token content stands for, runs separated by one space. */
export function decode(content) {
  let text = "";
  for (const word of content.split(/\s+/)) {
    const token = word.replace(/[^0-9a-z]/g, "");
    const width = token.startsWith("z") ? 5 : 3;
    if (token.length < width + 3) continue;
    const first = parseInt(width === 5 ? token.slice(1, 5) : token.slice(0, 3), 36);
    text += String.fromCodePoint(first) + (token.slice(width) === END ? " " : "");
  }
  return text.trim();
}

/** [text, marked] pieces of a readable excerpt around the first term found after the title. */
export function excerpt(content, title, terms) {
  const text = decode(content);
  const folded = fold(text);
  const skip = folded.startsWith(fold(title.split(/\s+/).join(" "))) ? title.length : 0;
  const hits = terms.map((term) => folded.indexOf(term, skip)).filter((at) => at >= 0);
  const from = hits.length ? Math.max(skip, Math.min(...hits) - EXCERPT_BEFORE) : skip;
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

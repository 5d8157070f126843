// What to offer when a query finds nothing: the other spellings of its terms the site's abbreviation
// list knows (abbreviations.py), a 文号 without its number, a date one step coarser, and the query
// without one of its terms. search.js searches each and shows those that find pages, with their counts.
const MAX_SUGGESTIONS = 4; // each costs a search: its words' downloads

/** Up to MAX_SUGGESTIONS other queries for the terms ({ text, forms }, terms.js), best first. */
export function suggestions(terms, groups) {
  const texts = terms.map((term) => term.text);
  const asked = texts.join(" ");
  const found = [];
  const add = (i, text) => {
    const query = texts.map((other, k) => (k === i ? text : other)).filter(Boolean).join(" ");
    if (query && query !== asked && !found.includes(query)) found.push(query);
  };
  terms.forEach((term, i) => {
    for (const group of groups) {
      for (const from of group.filter((spelling) => term.text.includes(spelling))) {
        for (const to of group) if (to !== from) add(i, term.text.replaceAll(from, to));
      }
    }
    const canonical = term.forms[0]; // forms.js: dates spelled 2022年3月5日
    const coarser = canonical.match(/^(.*〔[0-9]{4}〕)[0-9]+号?$/) ?? canonical.match(/^([0-9]{4}年[0-9]{1,2}月)[0-9]{1,2}日$/)
      ?? canonical.match(/^([0-9]{4}年)[0-9]{1,2}月$/);
    if (coarser) add(i, coarser[1]);
  });
  if (texts.length > 1) texts.forEach((_, i) => add(i, ""));
  return found.slice(0, MAX_SUGGESTIONS);
}

// Spellings a reader takes for the same text (the mirror of gongkai/render/search/forms.py; keep the
// two in step): Latin case, full-width ASCII, the brackets around a year, dates, a 文号 without brackets.
const OPEN = "([【〔﹝〖";
const CLOSE = ")]】〕﹞〗";
const escape = (chars) => chars.replace(/[\]\[()\\^-]/g, "\\$&");
const YEAR = new RegExp(`[${escape(OPEN)}]([0-9]{4})[${escape(CLOSE)}]`, "g");
const YEAR_OPEN = new RegExp(`[${escape(OPEN)}]([0-9]{4})$`);
const YEAR_CLOSE = new RegExp(`^([0-9]{4})[${escape(CLOSE)}]`);
const BARE_DOC_NO = /(?<![0-9])([0-9]{4})[ \t]+([0-9]{1,5}号)/g;
const NUMERIC_DATE = /(?<![0-9])((?:19|20)[0-9][0-9])([-./])([0-9]{1,2})(?:\2([0-9]{1,2}))?(?![0-9])/g;
const CHINESE_DATE = /(?<![0-9])((?:19|20)[0-9][0-9])年([0-9]{1,2})月(?:([0-9]{1,2})日)?/g;

/** Half-width, lower-case Latin, 〔〕 around years; every character stays at its place (UTF-16 units too). */
export function fold(text) {
  const narrow = text.replace(/[\uff01-\uff5e\u3000]/g, (c) =>
    c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return narrow.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(YEAR, "〔$1〕");
}

function canonical(match, year, month, day) {
  const [m, d] = [Number(month), day === undefined ? undefined : Number(day)];
  if (m < 1 || m > 12 || (d !== undefined && (d < 1 || d > 31))) return match;
  return `${year}年${m}月` + (d === undefined ? "" : `${d}日`);
}

/** text with every date spelled 2022年3月5日 (or 2022年3月 for a month). */
export function canonicalDates(text) {
  return text
    .replace(NUMERIC_DATE, (match, year, _sep, month, day) => canonical(match, year, month, day))
    .replace(CHINESE_DATE, (match, year, month, day) => canonical(match, year, month, day));
}

/** A query as typed, without invisible format characters (a pasted zero-width space, a direction mark), folded, with a 文号's bare year and number joined as 〔year〕number. */
export function queryText(query) {
  return fold(query.replace(/\p{Cf}/gu, "")).replace(BARE_DOC_NO, "〔$1〕$2");
}

/** The spellings one (folded) query term is searched in: itself, and with its dates canonical. */
export function termForms(term) {
  const whole = term.replace(YEAR_OPEN, "〔$1").replace(YEAR_CLOSE, "$1〕");
  const dated = canonicalDates(whole);
  return dated === whole ? [whole] : [dated, whole];
}

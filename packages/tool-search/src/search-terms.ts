/**
 * How text becomes search terms, the same for tool definitions and for queries: words split on
 * anything that is not a letter or digit and on camelCase (`read_text_file`, `readTextFile`,
 * `read-text-file` all give read · text · file), lower-cased, common English words dropped,
 * and each word reduced to a rough stem, so that "reading files" meets `read_file`.
 */

/** Words that say nothing about which tool is meant. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be by can could do does for from give how i if in into is it its me my ' +
    'of on or our please should so some that the their them then there these this those to us ' +
    'using via want was we what when where which who will with would you your'
  ).split(' '),
);

/**
 * Words that mean the same to someone asking for a tool, as groups: a query word also searches
 * the others of its group. Only in queries: the index holds the tools' own words.
 */
const SYNONYM_GROUPS = [
  'remove delete erase drop destroy purge forget',
  'get fetch retrieve obtain read load',
  'list show enumerate display',
  'create add make new insert',
  'update modify change edit alter set',
  'search find query lookup look locate',
  'run execute invoke start launch',
  'write save store put',
  'send post publish',
  'move rename',
  'picture image photo',
  'folder directory',
  'web url page site',
  'add plus sum total',
].map((group) => group.split(' '));

/** Each stem's synonyms: the other stems of every group it is in. */
const SYNONYMS = new Map<string, string[]>();
for (const group of SYNONYM_GROUPS) {
  const stems = [...new Set(group.map(stem))];
  for (const word of stems) {
    const known = SYNONYMS.get(word) ?? [];
    SYNONYMS.set(word, [...new Set([...known, ...stems.filter((other) => other !== word)])]);
  }
}

/** A letter or digit of any script (beyond ASCII: tested per character, which is rare). */
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const OTHER_WORD = 4;

/** ASCII letters and digits by kind; 0 for the rest of ASCII, which separates words. */
const ASCII_KIND = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  if (code >= 97 && code <= 122) ASCII_KIND[code] = LOWER;
  else if (code >= 65 && code <= 90) ASCII_KIND[code] = UPPER;
  else if (code >= 48 && code <= 57) ASCII_KIND[code] = DIGIT;
}

/**
 * Calls `word` with each word of `text`: runs of letters and digits, split where camelCase or
 * an acronym ends (`getHTTPResponse` gives get · HTTP · Response). One pass over the text, no
 * regular expression but for characters beyond ASCII.
 */
function eachWord(text: string, word: (word: string) => void): void {
  let start = -1;
  let previous = 0;
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    let kind: number;
    let width = 1;
    if (code < 128) kind = ASCII_KIND[code] as number;
    else {
      const point = text.codePointAt(i) as number;
      width = point > 0xffff ? 2 : 1;
      kind = WORD_CHAR.test(String.fromCodePoint(point)) ? OTHER_WORD : 0;
    }
    if (kind === 0) {
      if (start >= 0) word(text.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    } else if (
      kind === UPPER &&
      (previous === LOWER ||
        previous === DIGIT ||
        (previous === UPPER && ASCII_KIND[text.charCodeAt(i + 1)] === LOWER))
    ) {
      word(text.slice(start, i));
      start = i;
    }
    previous = kind;
    i += width;
  }
  if (start >= 0) word(text.slice(start));
}

/** Splits camelCase and acronyms, then on everything that is not a letter or digit. */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  eachWord(text, (word) => words.push(word));
  return words;
}

/** The terms of `text` as the index holds them: its words through `processTerm`, in order. */
export function indexTerms(text: string): string[] {
  const terms: string[] = [];
  eachWord(text, (word) => {
    const term = processTerm(word);
    if (term !== null) terms.push(term);
  });
  return terms;
}

/** Words seen, and their terms: a catalog's vocabulary is small, its word count is not. */
const TERMS = new Map<string, string | null>();
const MAX_REMEMBERED = 100_000;

/** A word as it is indexed and searched: lower case, stemmed; `null` for a stop word. */
export function processTerm(word: string): string | null {
  let term = TERMS.get(word);
  if (term !== undefined) return term;
  const lower = word.toLowerCase();
  term = STOP_WORDS.has(lower) ? null : stem(lower);
  if (TERMS.size >= MAX_REMEMBERED) TERMS.clear();
  TERMS.set(word, term);
  return term;
}

/** The query's own terms, and their synonyms' (not repeating the own ones). */
export function queryTerms(query: string, maxTerms: number): { own: string[]; synonyms: string[] } {
  const own = new Set<string>();
  for (const word of tokenize(query)) {
    const term = processTerm(word);
    if (term !== null) own.add(term);
    if (own.size >= maxTerms) break;
  }
  const synonyms = new Set<string>();
  for (const term of own) {
    for (const synonym of SYNONYMS.get(term) ?? []) if (!own.has(synonym)) synonyms.add(synonym);
  }
  return { own: [...own], synonyms: [...synonyms] };
}

/**
 * A light suffix stripper (not Porter's whole algorithm): plurals, -ing, -ed, -er, -ly and a
 * few derivations, keeping at least three letters, so `entities`/`entity`, `searching`/`search`,
 * `deleted`/`delete`, `directories`/`directory` meet. A term of three letters or fewer is kept.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(sses|xes|ches|shes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of ['ing', 'ed', 'er', 'ly', 'ment', 'ation', 'ion']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // deleting → delet, delete → delet; running → runn → run
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  if (/([bdgmnprt])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

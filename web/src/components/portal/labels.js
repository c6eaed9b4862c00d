// What the portal's power list pages share: the names of the 执法领域 (the
// public API gives codes; the console's list of them needs a login), the
// query's place in a name for highlighting, and dates as the portal shows them.

/** Sector code → 执法领域, as src/core/sectors.cpp names them. */
export const SECTOR_NAMES = Object.freeze({
  market: '市场监管',
  ecology: '生态环境',
  transport: '交通运输',
  urban: '城市管理',
  culture: '文化市场',
  agriculture: '农业',
  emergency: '应急管理',
  natural_resources: '自然资源',
  housing: '住房城乡建设',
  health: '卫生健康',
  education: '教育',
  public_security: '公安',
  water: '水利',
  taxation: '税务',
  other: '其他',
});

export const sectorName = (item) => item?.sector_name || SECTOR_NAMES[item?.sector] || item?.sector || '';

/** The longest query the server takes (search/normalize.hpp kMaxQueryChars). */
export const MAX_QUERY_CHARS = 64;

// One character as the server compares it: NFKC, then case folded (lower
// case is close enough for what people type).
const fold = (ch) => ch.normalize('NFKC').toLowerCase();

/**
 * `text` cut into [{ text, match }] where match marks each occurrence of
 * `query`, compared as the server compares (full-width Ａ is a, case does
 * not matter). Without a query, or without an occurrence, one part.
 */
export function highlightParts(text, query) {
  const source = String(text ?? '');
  const needle = Array.from(String(query ?? '').trim()).map(fold).join('');
  if (!needle || !source) return [{ text: source, match: false }];
  // The folded text, and for each of its code units the index of the
  // character of `source` it came from, so a match maps back.
  const chars = Array.from(source);
  let folded = '';
  const origin = [];
  let offset = 0;
  for (const ch of chars) {
    const f = fold(ch);
    folded += f;
    for (let i = 0; i < f.length; i += 1) origin.push(offset);
    offset += ch.length;
  }
  origin.push(source.length);
  const parts = [];
  let last = 0;
  let from = 0;
  for (;;) {
    const at = folded.indexOf(needle, from);
    if (at < 0) break;
    const start = origin[at];
    const endIndex = at + needle.length;
    // The end of the source character that holds the match's last unit.
    let end = origin[endIndex];
    if (endIndex < origin.length - 1 && origin[endIndex] === origin[endIndex - 1]) {
      end = origin.find((o) => o > origin[endIndex - 1]) ?? source.length;
    }
    if (start > last) parts.push({ text: source.slice(last, start), match: false });
    if (end > start) parts.push({ text: source.slice(start, end), match: true });
    last = Math.max(last, end);
    from = endIndex;
  }
  if (last < source.length) parts.push({ text: source.slice(last), match: false });
  return parts.length ? parts : [{ text: source, match: false }];
}

/** Microseconds since the epoch → "2026年11月28日" in Asia/Shanghai. */
export function formatDay(micros) {
  const ms = Number(micros) / 1000;
  if (!Number.isFinite(ms) || ms <= 0) return '';
  const d = new Date(ms + 8 * 3600e3);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}年${pad(d.getUTCMonth() + 1)}月${pad(d.getUTCDate())}日`;
}

const DIGITS = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS = { 十: 10, 百: 100, 千: 1000 };

/** "十二" → 12, "一百零五" → 105; 0 when it is not a Chinese number. */
export function chineseNumberValue(text) {
  let total = 0;
  let digit = -1;
  for (const ch of String(text || '')) {
    if (ch in DIGITS) digit = DIGITS[ch];
    else if (ch in UNITS) { total += (digit < 0 ? 1 : digit) * UNITS[ch]; digit = -1; }
    else return 0;
  }
  return total + (digit > 0 ? digit : 0);
}

/** The 款 and 项 a basis label cites: "《法》第十条第二款第（三）项" → { paragraph: 2, item: 3 } (0: not cited). */
export function citedPart(label) {
  const rest = String(label || '').split('》').pop();
  const paragraph = /第([零一二两三四五六七八九十百]+)款/.exec(rest);
  const item = /第（([零一二两三四五六七八九十百]+)）项/.exec(rest);
  return { paragraph: paragraph ? chineseNumberValue(paragraph[1]) : 0, item: item ? chineseNumberValue(item[1]) : 0 };
}

const ITEM_LINE = /^（[零一二两三四五六七八九十百]+）/;

/**
 * An article's text as its lines, paragraphs (款) and the items (项) under
 * them: [{ text, item, cited }]. cited marks the lines of the 款 or 项 that
 * `label` cites (none when it cites the whole article).
 */
export function articleLines(text, label = '') {
  const { paragraph, item } = citedPart(label);
  let p = 0;
  let i = 0;
  return String(text || '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const isItem = ITEM_LINE.test(line) && p > 0;
      if (isItem) i += 1;
      else { p += 1; i = 0; }
      const cited = paragraph > 0 && p === paragraph && (item > 0 ? isItem && i === item : true);
      return { text: line, item: isItem, cited };
    });
}

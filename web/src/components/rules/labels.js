// Names and formats the rule set and the calendar pages share.

/** Rule.region_level → the level's name. */
export const REGION_LEVELS = Object.freeze({ 0: '全国', 1: '省', 2: '市', 3: '县', 4: '乡镇' });

/** Units of a rule's value, as the amendment form names them. */
export const RULE_UNITS = Object.freeze({
  fen: '元',
  days: '日',
  working_days: '工作日',
  persons: '人',
  years: '年',
});

/** Units of a period the calendar counts. */
export const DAY_UNITS = Object.freeze({ days: '日', working_days: '工作日' });

export const isDayUnit = (unit) => unit === 'days' || unit === 'working_days';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(text) {
  const m = typeof text === 'string' ? DATE.exec(text) : null;
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
}

/** "2021-07-15" → "2021-07-14"; other text unchanged. */
export function dayBefore(text) {
  const d = parseDate(text);
  if (!d) return text;
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * 施行期间 of a version: "2021-07-15 起" or "1996-10-01 至 2021-07-14".
 * effective_to is the first day the version is no longer in force, so the
 * last day shown is the day before.
 */
export function periodText(rule) {
  if (!rule) return '';
  if (!rule.effective_to) return `${rule.effective_from} 起`;
  return `${rule.effective_from} 至 ${dayBefore(rule.effective_to)}`;
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** "2026-10-01" → "周四". */
export function weekdayText(text) {
  const d = parseDate(text);
  return d ? `周${WEEKDAYS[d.getUTCDay()]}` : '';
}

/** Versions in the order of the history: by level (全国 first), then by the day they took effect. */
export function sortVersions(items) {
  return [...items].sort((a, b) => a.region_level - b.region_level
    || String(a.effective_from).localeCompare(String(b.effective_from))
    || String(a.sector).localeCompare(String(b.sector)));
}

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
  points: '分',
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

/**
 * Is the jurisdiction `id` the jurisdiction `ownId` or one below it? Walks up
 * the parent_id of the jurisdictions list. An account without a jurisdiction
 * (ownId null: deployment-wide) is over every one, 全国 (id null) included;
 * one with a jurisdiction is not over 全国 nor a level above its own.
 */
export function isWithinJurisdiction(items, id, ownId) {
  if (ownId == null) return true;
  if (id == null) return false;
  const byId = new Map(items.map((j) => [j.id, j]));
  const seen = new Set();
  for (let at = id; at != null && !seen.has(at); at = byId.get(at)?.parent_id ?? null) {
    if (at === ownId) return true;
    seen.add(at);
  }
  return false;
}
